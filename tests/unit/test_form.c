/*
 * Unit tests for the report outlines (modules/form.c): the real form
 * files, broken definitions, who reports what, the shape of a report
 * body and the derived values.  Run from the top of the repository:
 * forms/ and tests/data/forms/ are read relative to it.
 */

#define PCRE2_CODE_UNIT_WIDTH	8

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <pcre2.h>

#include "form.h"

#define PL1_PATH	"forms/PL1.json"
#define PL2_PATH	"forms/PL2.json"
#define FIXTURES	"tests/data/forms/"

struct want_item {
	const char	*code;
	const char	*unit;
	int		kind;
};

struct want_parts {
	const char	*rule;
	int		type;
	const char	*whole;
	const char	*parts[7];
};

struct broken {
	const char	*file;
	const char	*says;
};

static struct form	*pl1;
static struct form	*pl2;

static const char	*ttyt_stations[] = { "TYT-A", "TYT-B" };

/* The units of the applicability tests, as the registry describes them. */
static const struct form_unit	u_hospital = {
	"BVDK-TINH", "provincial_hospital", 1, 1, 0, NULL, 0
};
static const struct form_unit	u_ttyt = {
	"TTYT-X", "district_centre", 0, 0, 0, ttyt_stations, 2
};
static const struct form_unit	u_station = {
	"TYT-A", "commune_station", 0, 0, 0, NULL, 0
};
static const struct form_unit	u_cdc = {
	"CDC", "cdc", 0, 0, 1, NULL, 0
};
static const struct form_unit	u_clinic_gksklx = {
	"PK-1", "private_clinic", 1, 0, 0, NULL, 0
};
static const struct form_unit	u_clinic = {
	"PK-2", "private_clinic", 0, 0, 0, NULL, 0
};
static const struct form_unit	u_office = {
	"VP-SYT", "department_office", 0, 0, 0, NULL, 0
};

static const struct want_item	pl1_items[] = {
	{ "bhyt.records_total",		"Hồ sơ",	FORM_COUNT },
	{ "bhyt.records_ontime",	"Hồ sơ",	FORM_COUNT },
	{ "bhyt.ontime_pct",		"%",		FORM_RATE },
	{ "erx.total",			"Đơn",		FORM_COUNT },
	{ "erx.linked",			"Đơn",		FORM_COUNT },
	{ "gksklx.issued",		"GKSKLX",	FORM_COUNT },
	{ "gksklx.linked",		"GKSKLX",	FORM_COUNT },
	{ "birth.total",		"Trẻ",		FORM_COUNT },
	{ "birth.synced",		"Trẻ",		FORM_COUNT },
	{ "death.total",		"Người",	FORM_COUNT },
	{ "death.synced",		"Người",	FORM_COUNT },
	{ "pay.total",			"Lượt",		FORM_COUNT },
	{ "pay.transfer",		"Lượt",		FORM_COUNT },
	{ "pay.pos",			"Lượt",		FORM_COUNT },
	{ "pay.qr_static",		"Lượt",		FORM_COUNT },
	{ "pay.qr_dynamic",		"Lượt",		FORM_COUNT },
	{ "pay.ewallet",		"Lượt",		FORM_COUNT },
	{ "pay.other",			"Lượt",		FORM_COUNT },
	{ "cccd.visits",		"Lượt",		FORM_COUNT },
	{ "cccd.used",			"Lượt",		FORM_COUNT },
	{ "cccd.insurance_returned",	"Lượt",		FORM_COUNT },
	{ "cccd.qr_readers",		"Thiết bị",	FORM_COUNT },
	{ "sign.issued",		"Người",	FORM_COUNT },
	{ "sign.needed",		"Người",	FORM_COUNT },
	{ "stay.declared",		"Lượt",		FORM_COUNT },
	{ "erx.linked_pct",		"%",		FORM_RATE },
	{ "gksklx.linked_pct",		"%",		FORM_RATE },
	{ "birth.synced_pct",		"%",		FORM_RATE },
	{ "death.synced_pct",		"%",		FORM_RATE },
	{ "pay.cashless",		"Lượt",		FORM_SUM },
	{ "pay.cashless_pct",		"%",		FORM_RATE },
	{ "cccd.used_pct",		"%",		FORM_RATE },
	{ NULL,				NULL,		0 }
};

static const struct want_item	pl2_items[] = {
	{ "infra.pc_before_2020",	"Bộ",		FORM_COUNT },
	{ "infra.pc_after_2020",	"Bộ",		FORM_COUNT },
	{ "infra.pc_total",		"Bộ",		FORM_SUM },
	{ "infra.printers",		"Cái",		FORM_COUNT },
	{ "infra.routers",		"Cái",		FORM_COUNT },
	{ "infra.switches",		"Cái",		FORM_COUNT },
	{ "infra.servers",		"Cái",		FORM_COUNT },
	{ "emr.level",			NULL,		FORM_LEVEL },
	{ "infosec.systems",		"HTTT",		FORM_COUNT },
	{ "infosec.approved",		"HTTT",		FORM_COUNT },
	{ "infosec.level1",		"HTTT",		FORM_COUNT },
	{ "infosec.level2",		"HTTT",		FORM_COUNT },
	{ "infosec.level3",		"HTTT",		FORM_COUNT },
	{ "covid.doses",		"Mũi",		FORM_COUNT },
	{ "covid.persons",		"Người",	FORM_COUNT },
	{ "covid.verified",		"Người",	FORM_COUNT },
	{ "covid.unverified",		"Người",	FORM_COUNT },
	{ "covid.reasons",		"",		FORM_TEXT },
	{ "docs.in_total",		"Văn bản",	FORM_COUNT },
	{ "docs.in_online",		"Văn bản",	FORM_COUNT },
	{ "docs.out_total",		"Văn bản",	FORM_COUNT },
	{ "docs.out_sign_both",		"Văn bản",	FORM_COUNT },
	{ "docs.out_sign_leader",	"Văn bản",	FORM_COUNT },
	{ "docs.out_sign_org",		"Văn bản",	FORM_COUNT },
	{ "docs.out_unsigned",		"Văn bản",	FORM_COUNT },
	{ "hr.fulltime",		"Người",	FORM_COUNT },
	{ "hr.fulltime_university",	"Người",	FORM_COUNT },
	{ "hr.fulltime_college",	"Người",	FORM_COUNT },
	{ "hr.fulltime_other",		"Người",	FORM_COUNT },
	{ "hr.fulltime_other_note",	"",		FORM_TEXT },
	{ "hr.parttime",		"Người",	FORM_COUNT },
	{ "hr.parttime_trained",	"Người",	FORM_COUNT },
	{ "fund.digital",		"Đồng",		FORM_MONEY },
	{ "fund.da06",			"Đồng",		FORM_MONEY },
	{ "eval.advantages",		"",		FORM_TEXT },
	{ "eval.difficulties",		"",		FORM_TEXT },
	{ "plan",			"",		FORM_TEXT },
	{ "proposals",			"",		FORM_TEXT },
	{ NULL,				NULL,		0 }
};

static const struct want_parts	pl1_parts[] = {
	{ "erx.linked_le_total", CHECK_PARTS_LE, "erx.total",
	    { "erx.linked", NULL } },
	{ "gksklx.linked_le_issued", CHECK_PARTS_LE, "gksklx.issued",
	    { "gksklx.linked", NULL } },
	{ "birth.synced_le_total", CHECK_PARTS_LE, "birth.total",
	    { "birth.synced", NULL } },
	{ "death.synced_le_total", CHECK_PARTS_LE, "death.total",
	    { "death.synced", NULL } },
	{ "pay.methods_le_total", CHECK_PARTS_LE, "pay.total",
	    { "pay.transfer", "pay.pos", "pay.qr_static", "pay.qr_dynamic",
	    "pay.ewallet", "pay.other", NULL } },
	{ "cccd.returned_le_used", CHECK_PARTS_LE, "cccd.used",
	    { "cccd.insurance_returned", NULL } },
	{ "cccd.used_le_visits", CHECK_PARTS_LE, "cccd.visits",
	    { "cccd.used", NULL } },
	{ "bhyt.ontime_le_total", CHECK_PARTS_LE, "bhyt.records_total",
	    { "bhyt.records_ontime", NULL } },
	{ NULL, 0, NULL, { NULL } }
};

static const struct want_parts	pl2_parts[] = {
	{ "infosec.approved_le_systems", CHECK_PARTS_LE, "infosec.systems",
	    { "infosec.approved", NULL } },
	{ "infosec.levels_eq_approved", CHECK_PARTS_EQ, "infosec.approved",
	    { "infosec.level1", "infosec.level2", "infosec.level3", NULL } },
	{ "docs.online_le_in", CHECK_PARTS_LE, "docs.in_total",
	    { "docs.in_online", NULL } },
	{ "docs.signatures_eq_out", CHECK_PARTS_EQ, "docs.out_total",
	    { "docs.out_sign_both", "docs.out_sign_leader",
	    "docs.out_sign_org", "docs.out_unsigned", NULL } },
	{ "hr.degrees_eq_fulltime", CHECK_PARTS_EQ, "hr.fulltime",
	    { "hr.fulltime_university", "hr.fulltime_college",
	    "hr.fulltime_other", NULL } },
	{ "hr.trained_le_parttime", CHECK_PARTS_LE, "hr.parttime",
	    { "hr.parttime_trained", NULL } },
	{ "covid.verified_le_persons", CHECK_PARTS_LE, "covid.persons",
	    { "covid.verified", "covid.unverified", NULL } },
	{ NULL, 0, NULL, { NULL } }
};

static const struct broken	broken_forms[] = {
	{ "not_object.json",		"phải là một đối tượng JSON" },
	{ "syntax_error.json",		"dòng 4, cột " },
	{ "duplicate_key.json",		"Khóa này có hai lần" },
	{ "missing_title.json",		"Thiếu «title»" },
	{ "title_not_string.json",	"«title» phải là một chuỗi" },
	{ "unknown_key.json",
	    "sections[0].items[2] (note): Khóa «maxlength» không có" },
	{ "unknown_kind.json",		"«kind» không nhận giá trị «cnt»" },
	{ "unknown_applies.json",	"«applies» không nhận giá trị «everyone»" },
	{ "bad_code.json",		"«code» «Erx.Total» không hợp lệ" },
	{ "duplicate_item.json",	"Trùng mã «erx.total»" },
	{ "duplicate_list.json",
	    "lists[0] (erx.total): Trùng mã «erx.total»" },
	{ "rate_unknown_input.json",
	    "(erx.linked_pct): Không có mục «erx.linkd»" },
	{ "rate_of_text.json",		"mục «note» không phải số liệu" },
	{ "sum_of_itself.json",		"trỏ tới chính mục này" },
	{ "derived_out_of_order.json",
	    "mục tính tự động «erx.all» phải đứng trước «erx.pct»" },
	{ "stations_sum_plain_item.json",
	    "checks[1] (erx.stations_sum): Mục «erx.total» không báo cáo "
	    "theo từng trạm" },
	{ "parts_whole_text.json",
	    "«whole»: mục «note» không phải số liệu" },
	{ "pattern_not_compiling.json",	"«pattern» không biên dịch được" },
	{ "level_min_gt_max.json",	"«min» 7 lớn hơn «max» 1" },
	{ "check_no_message.json",	"Thiếu «message»" },
	{ "text_no_maxlen.json",	"(note): Thiếu «maxlen»" },
	{ "unknown_type.json",		"«type» không nhận giá trị «parts_lt»" },
	{ "unknown_severity.json",	"«severity» không nhận giá trị «fatal»" },
	{ "check_unknown_item.json",
	    "checks[0] (erx.linked_le_total): Không có mục «erx.linkd»" },
	{ "stations_not_boolean.json",
	    "sections[1] (2): «stations» phải là true hoặc false" },
	{ "deviation_as_error.json",	"«severity» phải là \"warning\"" },
	{ "key_of_other_type.json",
	    "Khóa «factor» chỉ dùng cho kiểm tra deviation" },
	{ "list_unknown_section.json",	"Không có phần «IX»" },
	{ "choice_without_choices.json",
	    "«choices» phải là một mảng không rỗng" },
	{ "maxlen_on_count.json",
	    "Khóa «maxlen» chỉ dùng cho mục loại text" },
	{ "over_time_on_text.json",
	    "Khóa «over_time» chỉ dùng cho mục loại count và money" },
	{ "over_time_unknown.json",	"«over_time» không nhận giá trị «average»" },
	{ "date_check_on_text.json",	"Cột «abstract» không phải ngày" },
	{ "count_without_unit.json",	"(erx.total): Thiếu «unit»" },
	{ "depth_not_integer.json",
	    "«depth» phải là số nguyên từ 0 đến 3" },
	{ "complete_derived_kind.json",
	    "(values.complete): «kinds»: mục loại «rate» được tính tự động" },
	{ "complete_without_kinds.json",
	    "«kinds» phải là một mảng không rỗng các loại mục" },
	{ "complete_kind_twice.json",	"«kinds»: «count» có hai lần" },
	{ "complete_with_items.json",	"Khóa «items» chỉ dùng cho" },
	{ NULL,				NULL }
};

static int
setup_forms(void **state)
{
	char		err[FORM_ERR_MAX];

	(void)state;
	if ((pl1 = form_load(PL1_PATH, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return (-1);
	}
	if ((pl2 = form_load(PL2_PATH, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return (-1);
	}

	return (0);
}

static int
teardown_forms(void **state)
{
	(void)state;
	form_free(pl1);
	form_free(pl2);

	return (0);
}

static const struct form_item *
item(const struct form *f, const char *code)
{
	int		i;

	if ((i = form_item_index(f, code)) == -1)
		fail_msg("no item %s in %s", code, f->code);

	return (&f->items[i]);
}

static int
applies(const struct form *f, const char *code, const struct form_unit *u)
{
	int		i;

	if ((i = form_item_index(f, code)) != -1)
		return (form_item_applies(f, i, u));
	if ((i = form_list_index(f, code)) != -1)
		return (form_list_applies(f, i, u));
	fail_msg("no item or list %s in %s", code, f->code);

	return (0);
}

static const struct form_check *
check(const struct form *f, const char *rule)
{
	size_t		i;

	for (i = 0; i < f->nchecks; i++) {
		if (strcmp(f->checks[i].rule, rule) == 0)
			return (&f->checks[i]);
	}
	fail_msg("no check %s in %s", rule, f->code);

	return (NULL);
}

/* 1 if the check looks at the item (its parts or items). */
static int
check_has(const struct form *f, const struct form_check *c,
    const char *code)
{
	size_t		i;

	for (i = 0; i < c->nitems; i++) {
		if (strcmp(f->items[c->items[i]].code, code) == 0)
			return (1);
	}

	return (0);
}

static json_t *
parse(const char *s)
{
	json_error_t	e;
	json_t		*j;

	if ((j = json_loads(s, 0, &e)) == NULL)
		fail_msg("bad JSON in test: %s: %s", e.text, s);

	return (j);
}

/* form_validate on a body written as JSON text; NULL when accepted. */
static json_t *
validate(const struct form *f, const struct form_unit *u, const char *s)
{
	json_t		*body, *details;
	int		rc;

	body = parse(s);
	details = NULL;
	rc = form_validate(f, u, body, &details);
	json_decref(body);
	if (rc == 0)
		assert_null(details);
	else
		assert_non_null(details);

	return (details);
}

static void
accepted(const struct form *f, const struct form_unit *u, const char *s)
{
	json_t		*d;
	char		*dump;

	if ((d = validate(f, u, s)) == NULL)
		return;
	dump = json_dumps(d, JSON_ENSURE_ASCII);
	json_decref(d);
	fail_msg("refused: %s", dump);
	free(dump);
}

/*
 * The detail for (key, code) saying what, with extra key/value pairs
 * (strings, or "row" as a number) that must match too.
 */
static int
has_detail(json_t *details, const char *key, const char *code,
    const char *what, const char *k2, const char *v2)
{
	json_t		*d, *x;
	size_t		i;
	const char	*msg;
	char		num[32];

	json_array_foreach(details, i, d) {
		if (json_string_value(json_object_get(d, key)) == NULL ||
		    strcmp(json_string_value(json_object_get(d, key)), code))
			continue;
		if (k2 != NULL) {
			x = json_object_get(d, k2);
			if (json_is_integer(x)) {
				(void)snprintf(num, sizeof(num), "%lld",
				    (long long)json_integer_value(x));
				if (strcmp(num, v2) != 0)
					continue;
			} else if (json_string_value(x) == NULL ||
			    strcmp(json_string_value(x), v2) != 0) {
				continue;
			}
		}
		msg = json_string_value(json_object_get(d, "message"));
		if (msg != NULL && strstr(msg, what) != NULL)
			return (1);
	}

	return (0);
}

/* Exactly one detail, about (key, code), saying what. */
static void
refused(const struct form *f, const struct form_unit *u, const char *s,
    const char *key, const char *code, const char *what)
{
	json_t		*d;
	char		*dump;

	d = validate(f, u, s);
	if (d == NULL)
		fail_msg("accepted: %s", s);
	dump = json_dumps(d, JSON_ENSURE_ASCII);
	if (json_array_size(d) != 1 ||
	    !has_detail(d, key, code, what, NULL, NULL)) {
		json_decref(d);
		fail_msg("want one %s %s \"%s\" for %s, got %s", key, code,
		    what, s, dump);
	}
	free(dump);
	json_decref(d);
}

static void
refused_cell(const struct form *f, const struct form_unit *u,
    const char *s, const char *list, const char *row, const char *column,
    const char *what)
{
	json_t		*d;
	char		*dump;
	int		ok;

	d = validate(f, u, s);
	if (d == NULL)
		fail_msg("accepted: %s", s);
	dump = json_dumps(d, JSON_ENSURE_ASCII);
	ok = json_array_size(d) == 1 &&
	    has_detail(d, "list", list, what, "row", row);
	if (ok && column != NULL)
		ok = has_detail(d, "list", list, what, "column", column);
	json_decref(d);
	if (!ok)
		fail_msg("want %s row %s column %s \"%s\" for %s, got %s",
		    list, row, column ? column : "-", what, s, dump);
	free(dump);
}

/* A string of n copies of s. */
static char *
repeat(const char *s, size_t n)
{
	char		*out;
	size_t		i, len;

	len = strlen(s);
	out = malloc(len * n + 1);
	assert_non_null(out);
	for (i = 0; i < n; i++)
		memcpy(out + i * len, s, len);
	out[len * n] = '\0';

	return (out);
}

static void
test_real_forms_load_with_their_codes(void **state)
{
	(void)state;
	assert_string_equal(pl1->code, "PL1");
	assert_string_equal(pl2->code, "PL2");
	assert_non_null(pl1->json);
	assert_non_null(pl2->json);
	assert_int_equal(pl1->nsections, 8);
	assert_int_equal(pl1->nlists, 0);
	assert_int_equal(pl2->nlists, 4);
}

static void
test_pl1_has_every_domain_item_with_unit_and_kind(void **state)
{
	const struct form_item	*it;
	size_t			i;

	(void)state;
	for (i = 0; pl1_items[i].code != NULL; i++) {
		it = item(pl1, pl1_items[i].code);
		assert_string_equal(it->unit, pl1_items[i].unit);
		assert_int_equal(it->kind, pl1_items[i].kind);
	}
	assert_int_equal(pl1->nitems, i);

	/* §1 asks only for the rate: it carries the letter's label. */
	assert_non_null(strstr(item(pl1, "bhyt.ontime_pct")->label,
	    "Tỷ lệ hồ sơ gửi đúng ngày lên Cổng Tiếp nhận"));
	assert_string_equal(item(pl1, "erx.total")->label,
	    "Số đơn thuốc được kê trong kỳ");
	assert_int_equal(item(pl1, "erx.linked")->depth, 1);
	assert_int_equal(item(pl1, "pay.ewallet")->depth, 1);
}

static void
test_pl1_derived_items_name_their_inputs(void **state)
{
	const struct form_item	*it;

	(void)state;
	it = item(pl1, "bhyt.ontime_pct");
	assert_string_equal(pl1->items[it->num].code, "bhyt.records_ontime");
	assert_string_equal(pl1->items[it->den].code, "bhyt.records_total");
	it = item(pl1, "cccd.used_pct");
	assert_string_equal(pl1->items[it->num].code, "cccd.used");
	assert_string_equal(pl1->items[it->den].code, "cccd.visits");
	it = item(pl1, "pay.cashless_pct");
	assert_string_equal(pl1->items[it->num].code, "pay.cashless");
	assert_string_equal(pl1->items[it->den].code, "pay.total");
	it = item(pl1, "pay.cashless");
	assert_int_equal(it->nsum, 6);
	assert_true(form_is_derived(it));
	assert_false(form_is_derived(item(pl1, "pay.total")));
}

static void
test_pl1_sections_six_and_seven_are_per_station(void **state)
{
	size_t		i;
	int		want;

	(void)state;
	for (i = 0; i < pl1->nitems; i++) {
		want = strncmp(pl1->items[i].code, "cccd.", 5) == 0 ||
		    strncmp(pl1->items[i].code, "sign.", 5) == 0;
		assert_int_equal(pl1->items[i].stations, want);
	}
	assert_true(pl1->sections[5].stations);
	assert_string_equal(pl1->sections[5].id, "6");
	assert_int_equal(item(pl1, "gksklx.issued")->applies,
	    FORM_APPLIES_GKSKLX);
	assert_string_equal(pl1->sections[2].who,
	    "Các cơ sở y tế đủ điều kiện khám và cấp GKSKLX");
}

static void
test_pl2_has_every_domain_item_with_unit_and_kind(void **state)
{
	const struct form_item	*it;
	size_t			i;

	(void)state;
	for (i = 0; pl2_items[i].code != NULL; i++) {
		it = item(pl2, pl2_items[i].code);
		if (pl2_items[i].unit != NULL)
			assert_string_equal(it->unit, pl2_items[i].unit);
		assert_int_equal(it->kind, pl2_items[i].kind);
	}
	assert_int_equal(pl2->nitems, i);

	it = item(pl2, "emr.level");
	assert_int_equal(it->min, 1);
	assert_int_equal(it->max, 7);
	assert_int_equal(it->applies, FORM_APPLIES_HOSPITAL);
	assert_int_equal(item(pl2, "covid.doses")->applies, FORM_APPLIES_CDC);
	assert_int_equal(item(pl2, "covid.reasons")->maxlen, 1000);
	assert_int_equal(item(pl2, "hr.fulltime_other_note")->maxlen, 300);
	assert_int_equal(item(pl2, "eval.advantages")->maxlen, 2000);
	assert_int_equal(item(pl2, "eval.difficulties")->maxlen, 2000);
	assert_int_equal(item(pl2, "plan")->maxlen, 2000);
	assert_int_equal(item(pl2, "proposals")->maxlen, 2000);
	assert_int_equal(item(pl2, "infra.pc_total")->nsum, 2);
}

static void
test_pl2_sections_follow_the_letter(void **state)
{
	static const char	*ids[] = {
		"I", "II", "2.1", "2.2", "2.3", "III", "3.1", "3.2", "3.3",
		"IV", "4.1", "4.2", "V", "5.1", "5.2", "VI", "6.1", "6.2",
		"VII", "VIII", NULL
	};
	size_t			i;

	(void)state;
	for (i = 0; ids[i] != NULL; i++) {
		assert_true(i < pl2->nsections);
		assert_string_equal(pl2->sections[i].id, ids[i]);
	}
	assert_int_equal(pl2->nsections, i);
	assert_string_equal(pl2->sections[7].who,
	    "Các bệnh viện trên địa bàn tỉnh");
	assert_string_equal(pl2->sections[10].who,
	    "Trung tâm Kiểm soát bệnh tật tỉnh");
}

static void
test_pl2_lists_have_their_columns_and_choices(void **state)
{
	static const char	*comm[] = {
		"comm.cccd", "comm.cashless", "comm.other", NULL
	};
	static const char	*codes[] = {
		"banner", "pano", "poster", "standee", "web", "social",
		"leaflet", "radio", "meeting", "other", NULL
	};
	static const char	*labels[] = {
		"Băng rôn", "Pano", "Áp phích", "Standee",
		"Tin bài trên website", "Mạng xã hội", "Tờ rơi",
		"Loa, đài phát thanh", "Hội nghị, tập huấn", "Hình thức khác",
		NULL
	};
	const struct form_list	*l;
	size_t			i, j;
	int			idx;

	(void)state;
	assert_int_not_equal((idx = form_list_index(pl2, "directives")), -1);
	l = &pl2->lists[idx];
	assert_string_equal(pl2->sections[l->section].id, "I");
	assert_int_equal(l->max_rows, 200);
	assert_int_equal(l->ncols, 3);
	assert_string_equal(l->cols[0].code, "number");
	assert_int_equal(l->cols[0].kind, FORM_COL_DOCNO);
	assert_true(l->cols[0].required);
	assert_string_equal(l->cols[1].code, "date");
	assert_int_equal(l->cols[1].kind, FORM_COL_DATE);
	assert_string_equal(l->cols[2].code, "abstract");
	assert_int_equal(l->cols[2].kind, FORM_COL_TEXT);
	assert_int_equal(l->cols[2].maxlen, 500);

	for (i = 0; comm[i] != NULL; i++) {
		assert_int_not_equal((idx = form_list_index(pl2, comm[i])),
		    -1);
		l = &pl2->lists[idx];
		assert_int_equal(l->applies, i == 0 ? FORM_APPLIES_CARE :
		    FORM_APPLIES_ALL);
		assert_string_equal(l->cols[0].code, "form");
		assert_int_equal(l->cols[0].kind, FORM_COL_CHOICE);
		for (j = 0; codes[j] != NULL; j++) {
			assert_true(j < l->cols[0].nchoices);
			assert_string_equal(l->cols[0].choices[j], codes[j]);
			assert_string_equal(l->cols[0].choice_labels[j],
			    labels[j]);
		}
		assert_int_equal(l->cols[0].nchoices, j);
		assert_string_equal(l->cols[1].code, "quantity");
		assert_int_equal(l->cols[1].kind, FORM_COL_COUNT);
		assert_true(l->cols[1].required);
		assert_string_equal(l->cols[2].code, "note");
		assert_int_equal(l->cols[2].maxlen, 300);
	}
}

static void
want_parts(const struct form *f, const struct want_parts *w)
{
	const struct form_check	*c;
	size_t			i, j;

	for (i = 0; w[i].rule != NULL; i++) {
		c = check(f, w[i].rule);
		assert_int_equal(c->type, w[i].type);
		assert_int_equal(c->severity, CHECK_ERROR);
		assert_string_equal(f->items[c->whole].code, w[i].whole);
		for (j = 0; w[i].parts[j] != NULL; j++)
			assert_true(check_has(f, c, w[i].parts[j]));
		assert_int_equal(c->nitems, j);
		assert_non_null(strstr(c->message, "«"));
	}
}

static void
test_pl1_checks_cover_the_domain_rules(void **state)
{
	const struct form_check	*c;
	size_t			i, nstations;
	int			dev, jump;

	(void)state;
	want_parts(pl1, pl1_parts);

	/* Every count of §6 and §7 is summed over the stations. */
	nstations = 0;
	for (i = 0; i < pl1->nchecks; i++) {
		c = &pl1->checks[i];
		if (c->type == CHECK_STATIONS_SUM)
			nstations += c->nitems;
	}
	assert_int_equal(nstations, 6);
	assert_true(check_has(pl1, check(pl1, "cccd.stations_sum"),
	    "cccd.qr_readers"));
	assert_true(check_has(pl1, check(pl1, "sign.stations_sum"),
	    "sign.needed"));

	dev = jump = 0;
	for (i = 0; i < pl1->nchecks; i++) {
		c = &pl1->checks[i];
		if (c->type == CHECK_DEVIATION) {
			assert_int_equal(c->severity, CHECK_WARNING);
			assert_true(c->factor == 3.0);
			assert_int_equal(c->min_delta, 20);
			dev += c->nitems;
		} else if (c->type == CHECK_RATE_JUMP) {
			assert_int_equal(c->severity, CHECK_WARNING);
			assert_true(c->points == 30.0);
			jump += c->nitems;
		}
	}
	assert_int_equal(dev, 4);
	assert_int_equal(jump, 4);
	assert_true(check_has(pl1, check(pl1, "cccd.visits.deviation"),
	    "cccd.visits"));
	assert_true(check_has(pl1, check(pl1, "pay.cashless_pct.jump"),
	    "pay.cashless_pct"));

	/* Nothing is submitted blank: every count is typed, 0 included. */
	c = check(pl1, "values.complete");
	assert_int_equal(c->type, CHECK_COMPLETE);
	assert_int_equal(c->severity, CHECK_ERROR);
	assert_true(c->kinds & (1U << FORM_COUNT));
	c = check(pl2, "values.complete");
	assert_int_equal(c->type, CHECK_COMPLETE);
	assert_int_equal(c->kinds, (1U << FORM_COUNT) | (1U << FORM_MONEY));
}

static void
test_pl2_checks_cover_the_domain_rules(void **state)
{
	const struct form_check	*c;

	(void)state;
	want_parts(pl2, pl2_parts);

	c = check(pl2, "directives.number_pattern");
	assert_int_equal(c->type, CHECK_PATTERN);
	assert_non_null(c->re);
	assert_string_equal(pl2->lists[c->list].code, "directives");
	assert_string_equal(pl2->lists[c->list].cols[c->column].code,
	    "number");

	c = check(pl2, "directives.date_in_period");
	assert_int_equal(c->type, CHECK_DATE_IN_PERIOD);
	assert_string_equal(pl2->lists[c->list].cols[c->column].code,
	    "date");

	c = check(pl2, "eval.required");
	assert_int_equal(c->type, CHECK_REQUIRED);
	assert_true(check_has(pl2, c, "eval.advantages"));
	assert_true(check_has(pl2, c, "eval.difficulties"));
	assert_true(check_has(pl2, c, "plan"));
	assert_int_equal(c->nitems, 3);
}

static int
docno_matches(const char *s)
{
	const struct form_check	*c;
	pcre2_match_data	*md;
	int			rc;

	c = check(pl2, "directives.number_pattern");
	md = pcre2_match_data_create_from_pattern(c->re, NULL);
	assert_non_null(md);
	rc = pcre2_match(c->re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
	pcre2_match_data_free(md);

	return (rc >= 0);
}

static void
test_docno_pattern_accepts_document_numbers(void **state)
{
	static const char	*good[] = {
		"372/QĐ-SYT", "15/2023/TT-BYT", "1234/SYT-VP",
		"2488/KH-SYT", "09/2019/NĐ-CP", "48/2017/TT-BYT",
		"54/2017/TT-BYT", "12/TTr-SYT", "45/2023/QĐ-UBND",
		"123/BC-BVĐK", "7/CĐ-UBND", "01/HD-SYT", "88/QĐ-TTYT-TCHC",
		NULL
	};
	static const char	*bad[] = {
		"", "372", "372/", "QĐ-SYT", "/QĐ-SYT", "372/qđ-syt",
		"372/Qd-SYT", "372 /QĐ-SYT", " 372/QĐ-SYT", "372/QĐ-SYT ",
		"372/QĐ-SYT\n", "372/QĐ SYT", "372/QĐ", "372//QĐ-SYT",
		"372/QĐ-", "372/-SYT", "372/2023/", "abc/QĐ-SYT",
		"372/1999x/QĐ-SYT", "372/QĐ--SYT", "1234567/QĐ-SYT",
		"372/QĐ-SYT/", "Số 372/QĐ-SYT", NULL
	};
	size_t			i;

	(void)state;
	for (i = 0; good[i] != NULL; i++) {
		if (!docno_matches(good[i]))
			fail_msg("refused \"%s\"", good[i]);
	}
	for (i = 0; bad[i] != NULL; i++) {
		if (docno_matches(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	}
}

static void
test_minimal_fixture_loads(void **state)
{
	struct form	*f;
	char		err[FORM_ERR_MAX];

	(void)state;
	f = form_load(FIXTURES "good_minimal.json", err, sizeof(err));
	if (f == NULL)
		fail_msg("%s", err);
	assert_string_equal(err, "");
	assert_int_equal(f->nitems, 4);
	form_free(f);
}

static void
test_broken_forms_fail_naming_the_problem(void **state)
{
	struct form	*f;
	char		path[256], err[FORM_ERR_MAX];
	size_t		i;

	(void)state;
	for (i = 0; broken_forms[i].file != NULL; i++) {
		(void)snprintf(path, sizeof(path), FIXTURES "%s",
		    broken_forms[i].file);
		err[0] = '\0';
		if ((f = form_load(path, err, sizeof(err))) != NULL) {
			form_free(f);
			fail_msg("%s loaded", path);
		}
		/* The file first, then the place and the problem. */
		if (strncmp(err, path, strlen(path)) != 0 ||
		    strstr(err, broken_forms[i].says) == NULL)
			fail_msg("%s: want \"%s\", got \"%s\"", path,
			    broken_forms[i].says, err);
	}
}

static void
test_load_error_names_file_check_and_item(void **state)
{
	char		err[FORM_ERR_MAX];

	(void)state;
	assert_null(form_load(FIXTURES "check_unknown_item.json", err,
	    sizeof(err)));
	assert_string_equal(err, FIXTURES "check_unknown_item.json: "
	    "checks[0] (erx.linked_le_total): Không có mục «erx.linkd».");
}

static void
test_load_refuses_missing_and_oversized_files(void **state)
{
	struct form	*f;
	FILE		*fp;
	char		err[FORM_ERR_MAX], path[] = "/tmp/test_form.XXXXXX";
	char		*pad;
	int		fd;

	(void)state;
	assert_null(form_load(FIXTURES "no_such_form.json", err,
	    sizeof(err)));
	assert_non_null(strstr(err, "no_such_form.json: "));

	/* A valid JSON document, just over FORM_TEXT_MAX of it. */
	assert_int_not_equal((fd = mkstemp(path)), -1);
	assert_non_null((fp = fdopen(fd, "w")));
	pad = repeat(" ", FORM_TEXT_MAX);
	fprintf(fp, "{\"form\": \"PL1\"}%s", pad);
	free(pad);
	assert_int_equal(fclose(fp), 0);
	f = form_load(path, err, sizeof(err));
	(void)unlink(path);
	assert_null(f);
	assert_non_null(strstr(err, "lớn hơn 256 KiB"));

	/* No room for a message is no reason to crash. */
	assert_null(form_load(FIXTURES "not_object.json", NULL, 0));
}

static void
test_load_json_refuses_non_objects(void **state)
{
	json_t		*j;
	char		err[FORM_ERR_MAX];

	(void)state;
	j = parse("[1, 2]");
	assert_null(form_load_json(j, err, sizeof(err)));
	assert_string_equal(err, "Đề cương phải là một đối tượng JSON {…}.");
	json_decref(j);
	assert_null(form_load_json(NULL, err, sizeof(err)));
	assert_string_equal(err, "Đề cương phải là một đối tượng JSON {…}.");
}

static void
test_definition_is_kept_verbatim(void **state)
{
	json_error_t	e;
	json_t		*file;

	(void)state;
	file = json_load_file(PL2_PATH, 0, &e);
	assert_non_null(file);
	assert_true(json_equal(file, pl2->json));
	json_decref(file);
}

static void
test_index_lookups(void **state)
{
	(void)state;
	assert_int_equal(form_item_index(pl1, "erx.total"), 3);
	assert_int_equal(form_item_index(pl1, "erx.totals"), -1);
	assert_int_equal(form_item_index(pl1, NULL), -1);
	assert_int_equal(form_item_index(NULL, "erx.total"), -1);
	assert_int_equal(form_list_index(pl2, "directives"), 0);
	assert_int_equal(form_list_index(pl2, "erx.total"), -1);
	assert_int_equal(form_list_index(pl1, "directives"), -1);
}

static void
test_hospital_reports_emr_not_covid(void **state)
{
	(void)state;
	assert_true(applies(pl1, "erx.total", &u_hospital));
	assert_true(applies(pl1, "gksklx.issued", &u_hospital));
	assert_true(applies(pl1, "cccd.visits", &u_hospital));
	assert_true(applies(pl2, "emr.level", &u_hospital));
	assert_true(applies(pl2, "comm.cccd", &u_hospital));
	assert_true(applies(pl2, "directives", &u_hospital));
	assert_false(applies(pl2, "covid.doses", &u_hospital));
	assert_false(applies(pl2, "covid.reasons", &u_hospital));
}

static void
test_ttyt_with_stations_reports_station_items(void **state)
{
	(void)state;
	assert_true(applies(pl1, "cccd.visits", &u_ttyt));
	assert_true(applies(pl1, "sign.issued", &u_ttyt));
	assert_true(applies(pl1, "bhyt.records_total", &u_ttyt));
	assert_true(applies(pl2, "comm.cccd", &u_ttyt));
	assert_false(applies(pl1, "gksklx.issued", &u_ttyt));
	assert_false(applies(pl2, "emr.level", &u_ttyt));
	assert_false(applies(pl2, "covid.persons", &u_ttyt));
}

static void
test_commune_station_reports_care_items(void **state)
{
	(void)state;
	assert_true(applies(pl1, "erx.total", &u_station));
	assert_true(applies(pl1, "cccd.visits", &u_station));
	assert_true(applies(pl2, "comm.cccd", &u_station));
	assert_true(applies(pl2, "infra.printers", &u_station));
	assert_false(applies(pl1, "gksklx.linked", &u_station));
	assert_false(applies(pl2, "emr.level", &u_station));
	assert_false(applies(pl2, "covid.doses", &u_station));
}

static void
test_cdc_reports_covid_not_care_communication(void **state)
{
	(void)state;
	assert_true(applies(pl2, "covid.doses", &u_cdc));
	assert_true(applies(pl2, "covid.reasons", &u_cdc));
	assert_true(applies(pl2, "comm.cashless", &u_cdc));
	assert_true(applies(pl1, "erx.total", &u_cdc));
	assert_false(applies(pl2, "comm.cccd", &u_cdc));
	assert_false(applies(pl2, "emr.level", &u_cdc));
	assert_false(applies(pl1, "gksklx.issued", &u_cdc));
}

static void
test_private_clinic_gksklx_follows_its_licence(void **state)
{
	(void)state;
	assert_true(applies(pl1, "gksklx.issued", &u_clinic_gksklx));
	assert_true(applies(pl1, "gksklx.linked_pct", &u_clinic_gksklx));
	assert_false(applies(pl1, "gksklx.issued", &u_clinic));
	assert_false(applies(pl1, "gksklx.linked_pct", &u_clinic));
	assert_true(applies(pl1, "pay.total", &u_clinic));
	assert_true(applies(pl2, "comm.cccd", &u_clinic));
	assert_false(applies(pl2, "emr.level", &u_clinic));
}

static void
test_department_office_is_not_a_care_facility(void **state)
{
	(void)state;
	assert_false(applies(pl2, "comm.cccd", &u_office));
	assert_false(applies(pl2, "covid.doses", &u_office));
	assert_false(applies(pl2, "emr.level", &u_office));
	assert_false(applies(pl1, "gksklx.issued", &u_office));
	assert_true(applies(pl2, "directives", &u_office));
	assert_true(applies(pl2, "comm.other", &u_office));
	assert_true(applies(pl2, "eval.advantages", &u_office));
}

static void
test_applies_refuses_bad_arguments(void **state)
{
	(void)state;
	assert_false(form_item_applies(pl1, 0, NULL));
	assert_false(form_item_applies(pl1, -1, &u_hospital));
	assert_false(form_item_applies(pl1, (int)pl1->nitems, &u_hospital));
	assert_false(form_item_applies(NULL, 0, &u_hospital));
	assert_false(form_list_applies(pl2, -1, &u_hospital));
	assert_false(form_list_applies(pl2, (int)pl2->nlists, &u_hospital));
	assert_false(form_list_applies(pl1, 0, &u_hospital));
}

static void
test_validate_accepts_full_pl1_for_a_ttyt(void **state)
{
	(void)state;
	accepted(pl1, &u_ttyt,
	    "{\"version\": 3, \"values\": {"
	    "\"bhyt.records_total\": 1200, \"bhyt.records_ontime\": 1180,"
	    "\"erx.total\": 900, \"erx.linked\": 850,"
	    "\"birth.total\": 40, \"birth.synced\": 38,"
	    "\"death.total\": 2, \"death.synced\": 2,"
	    "\"pay.total\": 3000, \"pay.transfer\": 200, \"pay.pos\": 10,"
	    "\"pay.qr_static\": 30, \"pay.qr_dynamic\": 400,"
	    "\"pay.ewallet\": 5, \"pay.other\": 0,"
	    "\"cccd.visits\": 120, \"cccd.used\": 60,"
	    "\"cccd.insurance_returned\": 55, \"cccd.qr_readers\": 4,"
	    "\"sign.issued\": 30, \"sign.needed\": 5,"
	    "\"stay.declared\": 70, \"gksklx.issued\": null},"
	    "\"stations\": {"
	    "\"TYT-A\": {\"cccd.visits\": 70, \"cccd.used\": 40,"
	    "\"cccd.insurance_returned\": 35, \"cccd.qr_readers\": 2,"
	    "\"sign.issued\": 10, \"sign.needed\": 2},"
	    "\"TYT-B\": {\"cccd.visits\": 50, \"cccd.used\": 20,"
	    "\"cccd.insurance_returned\": 20, \"cccd.qr_readers\": 2,"
	    "\"sign.issued\": 20, \"sign.needed\": 3}},"
	    "\"comments\": {\"erx.total\": \"Tăng do mùa dịch.\","
	    "\"cccd.used_pct\": \"Đã lắp thêm đầu đọc.\"}}");
}

static void
test_validate_accepts_full_pl2_for_a_hospital(void **state)
{
	(void)state;
	accepted(pl2, &u_hospital,
	    "{\"values\": {"
	    "\"infra.pc_before_2020\": 80, \"infra.pc_after_2020\": 120,"
	    "\"infra.printers\": 60, \"infra.routers\": 8,"
	    "\"infra.switches\": 12, \"infra.servers\": 3,"
	    "\"emr.level\": 4,"
	    "\"infosec.systems\": 5, \"infosec.approved\": 3,"
	    "\"infosec.level1\": 1, \"infosec.level2\": 2,"
	    "\"infosec.level3\": 0,"
	    "\"docs.in_total\": 1500, \"docs.in_online\": 1490,"
	    "\"docs.out_total\": 700, \"docs.out_sign_both\": 650,"
	    "\"docs.out_sign_leader\": 30, \"docs.out_sign_org\": 10,"
	    "\"docs.out_unsigned\": 10,"
	    "\"hr.fulltime\": 4, \"hr.fulltime_university\": 3,"
	    "\"hr.fulltime_college\": 0, \"hr.fulltime_other\": 1,"
	    "\"hr.fulltime_other_note\": \"Trung cấp CNTT\","
	    "\"hr.parttime\": 6, \"hr.parttime_trained\": 2,"
	    "\"fund.digital\": 1500000000, \"fund.da06\": 250000000,"
	    "\"eval.advantages\": \"Được Sở Y tế quan tâm chỉ đạo;\\n"
	    "\\tcán bộ nhiệt tình.\","
	    "\"eval.difficulties\": \"Thiếu kinh phí.\","
	    "\"plan\": \"Triển khai bệnh án điện tử mức 5.\","
	    "\"proposals\": \"\", \"covid.doses\": null},"
	    "\"lists\": {"
	    "\"directives\": [{\"number\": \"372/QĐ-SYT\","
	    "\"date\": \"2023-06-15\", \"abstract\": \"Kiện toàn Ban chỉ "
	    "đạo\"}, {\"number\": \"15/2023/TT-BYT\", \"date\": "
	    "\"2024-02-29\", \"abstract\": \"Hướng dẫn\"}],"
	    "\"comm.cccd\": [{\"form\": \"banner\", \"quantity\": 4,"
	    "\"note\": \"Tại cổng bệnh viện\"}, {\"form\": \"web\","
	    "\"quantity\": 2, \"note\": null}],"
	    "\"comm.cashless\": [{\"form\": \"standee\", \"quantity\": 1}],"
	    "\"comm.other\": []},"
	    "\"comments\": {\"directives\": \"Có văn bản ban hành trước kỳ.\","
	    "\"emr.level\": null}}");
}

static void
test_validate_accepts_empty_and_absent_parts(void **state)
{
	(void)state;
	accepted(pl1, &u_clinic, "{}");
	accepted(pl1, &u_clinic, "{\"values\": {}, \"stations\": {},"
	    " \"lists\": {}, \"comments\": {}}");
	/* null is empty, for items that do not apply or are derived too. */
	accepted(pl1, &u_clinic, "{\"values\": {\"gksklx.issued\": null,"
	    " \"erx.linked_pct\": null, \"erx.total\": null}}");
}

static void
test_validate_refuses_numbers_that_are_not_counts(void **state)
{
	(void)state;
	refused(pl1, &u_hospital, "{\"values\": {\"erx.total\": 1.5}}",
	    "item", "erx.total", "không có phần thập phân");
	refused(pl1, &u_hospital, "{\"values\": {\"erx.total\": 12.0}}",
	    "item", "erx.total", "không có phần thập phân");
	refused(pl1, &u_hospital, "{\"values\": {\"erx.total\": true}}",
	    "item", "erx.total", "Nhập một số nguyên");
	refused(pl1, &u_hospital, "{\"values\": {\"erx.total\": \"12\"}}",
	    "item", "erx.total", "Nhập một số nguyên");
	refused(pl1, &u_hospital, "{\"values\": {\"erx.total\": [12]}}",
	    "item", "erx.total", "Nhập một số nguyên");
	refused(pl1, &u_hospital, "{\"values\": {\"erx.total\": -1}}",
	    "item", "erx.total", "không được âm");
	refused(pl1, &u_hospital,
	    "{\"values\": {\"erx.total\": 9007199254740992}}",
	    "item", "erx.total", "Số quá lớn");
	accepted(pl1, &u_hospital,
	    "{\"values\": {\"erx.total\": 9007199254740991}}");
	accepted(pl1, &u_hospital, "{\"values\": {\"erx.total\": 0}}");
}

static void
test_validate_refuses_money_out_of_range(void **state)
{
	(void)state;
	refused(pl2, &u_hospital, "{\"values\": {\"fund.da06\": -5}}",
	    "item", "fund.da06", "không được âm");
	refused(pl2, &u_hospital,
	    "{\"values\": {\"fund.digital\": 9223372036854775807}}",
	    "item", "fund.digital", "Số quá lớn");
	refused(pl2, &u_hospital,
	    "{\"values\": {\"fund.digital\": 1500000.5}}",
	    "item", "fund.digital", "không có phần thập phân");
	accepted(pl2, &u_hospital,
	    "{\"values\": {\"fund.digital\": 9007199254740991}}");
}

static void
test_validate_refuses_levels_outside_min_max(void **state)
{
	(void)state;
	refused(pl2, &u_hospital, "{\"values\": {\"emr.level\": 0}}",
	    "item", "emr.level", "Nhập mức từ 1 đến 7");
	refused(pl2, &u_hospital, "{\"values\": {\"emr.level\": 8}}",
	    "item", "emr.level", "Nhập mức từ 1 đến 7");
	refused(pl2, &u_hospital, "{\"values\": {\"emr.level\": 3.5}}",
	    "item", "emr.level", "không có phần thập phân");
	refused(pl2, &u_hospital, "{\"values\": {\"emr.level\": \"4\"}}",
	    "item", "emr.level", "Nhập một số nguyên");
	accepted(pl2, &u_hospital, "{\"values\": {\"emr.level\": 1}}");
	accepted(pl2, &u_hospital, "{\"values\": {\"emr.level\": 7}}");
}

static void
test_validate_counts_text_in_characters(void **state)
{
	char		*s, *body;

	(void)state;
	/* 300 characters of two bytes each: at the limit, not over it. */
	s = repeat("ộ", 300);
	assert_true(asprintf(&body, "{\"values\": {\"hr.fulltime_other_note\":"
	    " \"%s\"}}", s) > 0);
	accepted(pl2, &u_hospital, body);
	free(body);
	free(s);

	s = repeat("ộ", 301);
	assert_true(asprintf(&body, "{\"values\": {\"hr.fulltime_other_note\":"
	    " \"%s\"}}", s) > 0);
	refused(pl2, &u_hospital, body, "item", "hr.fulltime_other_note",
	    "dài 301 ký tự, tối đa 300 ký tự");
	free(body);
	free(s);
}

static void
test_validate_refuses_bad_texts(void **state)
{
	(void)state;
	refused(pl2, &u_hospital, "{\"values\": {\"plan\": \"a\\u0001b\"}}",
	    "item", "plan", "ký tự điều khiển");
	refused(pl2, &u_hospital, "{\"values\": {\"plan\": \"a\\rb\"}}",
	    "item", "plan", "ký tự điều khiển");
	refused(pl2, &u_hospital, "{\"values\": {\"plan\": \"a\\u007fb\"}}",
	    "item", "plan", "ký tự điều khiển");
	refused(pl2, &u_hospital, "{\"values\": {\"plan\": \"a\\u0085b\"}}",
	    "item", "plan", "ký tự điều khiển");
	refused(pl2, &u_hospital, "{\"values\": {\"plan\": 12}}",
	    "item", "plan", "dạng chữ");
	accepted(pl2, &u_hospital,
	    "{\"values\": {\"plan\": \"Một;\\nHai;\\tBa — “đủ”.\"}}");
}

static void
test_validate_refuses_derived_unknown_and_foreign_items(void **state)
{
	(void)state;
	refused(pl1, &u_hospital, "{\"values\": {\"erx.linked_pct\": 50}}",
	    "item", "erx.linked_pct", "tính tự động");
	refused(pl1, &u_hospital, "{\"values\": {\"pay.cashless\": 5}}",
	    "item", "pay.cashless", "tính tự động");
	refused(pl1, &u_hospital, "{\"values\": {\"erx.totals\": 5}}",
	    "item", "erx.totals", "không có trong đề cương");
	refused(pl1, &u_clinic, "{\"values\": {\"gksklx.issued\": 5}}",
	    "item", "gksklx.issued", "Mục này không áp dụng cho đơn vị.");
	refused(pl2, &u_hospital, "{\"values\": {\"covid.doses\": 5}}",
	    "item", "covid.doses", "Mục này không áp dụng cho đơn vị.");
	refused(pl2, &u_ttyt, "{\"values\": {\"emr.level\": 3}}",
	    "item", "emr.level", "Mục này không áp dụng cho đơn vị.");
}

static void
test_validate_collects_every_problem(void **state)
{
	json_t		*d;

	(void)state;
	d = validate(pl1, &u_clinic, "{\"values\": {\"erx.total\": -1,"
	    " \"erx.linked\": \"x\", \"gksklx.issued\": 3, \"nope\": 1}}");
	assert_non_null(d);
	assert_int_equal(json_array_size(d), 4);
	assert_true(has_detail(d, "item", "erx.total", "âm", NULL, NULL));
	assert_true(has_detail(d, "item", "erx.linked", "số nguyên", NULL,
	    NULL));
	assert_true(has_detail(d, "item", "gksklx.issued", "không áp dụng",
	    NULL, NULL));
	assert_true(has_detail(d, "item", "nope", "không có", NULL, NULL));
	json_decref(d);
}

static void
test_validate_refuses_bad_parts_and_bodies(void **state)
{
	json_t		*d;

	(void)state;
	refused(pl1, &u_hospital, "{\"values\": [1]}", "part", "values",
	    "Phần «values»");
	refused(pl1, &u_hospital, "{\"stations\": null}", "part", "stations",
	    "Phần «stations»");
	refused(pl2, &u_hospital, "{\"lists\": 3}", "part", "lists",
	    "Phần «lists»");
	refused(pl2, &u_hospital, "{\"comments\": \"x\"}", "part", "comments",
	    "Phần «comments»");
	refused(pl1, &u_hospital, "[]", "part", "", "đối tượng JSON");

	d = NULL;
	assert_int_equal(form_validate(pl1, &u_hospital, NULL, &d),
	    FORM_BAD_SHAPE);
	assert_int_equal(json_array_size(d), 1);
	json_decref(d);
	/* Without a place for details, the answer stands. */
	assert_int_equal(form_validate(pl1, &u_hospital, NULL, NULL),
	    FORM_BAD_SHAPE);
}

/* form_validate's answer for a body written as JSON text. */
static int
validate_rc(const struct form *f, const struct form_unit *u, const char *s)
{
	json_t		*body, *details;
	int		rc, shape;

	body = parse(s);
	details = NULL;
	rc = form_validate(f, u, body, &details);
	assert_true(rc == 0 ? details == NULL : details != NULL);
	json_decref(details);
	/* The shape alone, without a form, agrees. */
	shape = form_shape(body, NULL);
	assert_int_equal(shape, rc == FORM_BAD_SHAPE ? FORM_BAD_SHAPE : 0);
	json_decref(body);

	return (rc);
}

static void
test_validate_tells_a_wrong_shape_from_a_wrong_value(void **state)
{
	static const char *const shapes[] = {
		"{\"values\": [1]}", "{\"values\": \"erx.total\"}",
		"{\"values\": 5}", "{\"stations\": []}",
		"{\"stations\": {\"TYT-A\": [1]}}",
		"{\"stations\": {\"TYT-A\": 3}}",
		"{\"lists\": \"directives\"}", "{\"lists\": []}",
		"{\"lists\": {\"directives\": \"x\"}}",
		"{\"lists\": {\"directives\": {\"number\": \"1\"}}}",
		"{\"lists\": {\"directives\": [\"1/QĐ-UBND\"]}}",
		"{\"comments\": [\"x\"]}", "{\"comments\": 1}", "[]",
		/* The shape is told even when the values are wrong too. */
		"{\"values\": {\"erx.total\": -1}, \"comments\": []}",
	};
	static const char *const values[] = {
		"{\"values\": {\"erx.total\": \"một trăm\"}}",
		"{\"values\": {\"erx.total\": [1]}}",
		"{\"values\": {\"erx.total\": {}}}",
		"{\"values\": {\"khong.co\": 1}}",
		"{\"stations\": {\"TYT-Z\": {\"cccd.visits\": 1}}}",
		"{\"stations\": {\"TYT-A\": {\"cccd.visits\": -1}}}",
		"{\"comments\": {\"erx.total\": 5}}",
		"{\"lists\": {\"directives\": [{\"number\": 5}]}}",
		"{\"lists\": {\"khong.co\": [{}]}}",
	};
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		if (validate_rc(pl2, &u_ttyt, shapes[i]) != FORM_BAD_SHAPE)
			fail_msg("not a shape error: %s", shapes[i]);
	}
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		if (validate_rc(strstr(values[i], "lists") ? pl2 : pl1,
		    &u_ttyt, values[i]) != FORM_BAD_VALUE)
			fail_msg("not a value error: %s", values[i]);
	}
	assert_int_equal(validate_rc(pl1, &u_ttyt,
	    "{\"values\": {\"erx.total\": 5}, \"stations\": {}, "
	    "\"comments\": {}}"), 0);
	assert_int_equal(validate_rc(pl2, &u_ttyt,
	    "{\"lists\": {\"directives\": null}}"), 0);
}

static void
test_shape_details_say_where(void **state)
{
	json_t		*body, *d;

	(void)state;
	body = parse("{\"values\": [], \"stations\": {\"TYT-A\": 1}, "
	    "\"lists\": {\"directives\": [{}, 7], \"comm.cccd\": \"x\"}, "
	    "\"comments\": \"x\"}");
	assert_int_equal(form_shape(body, &d), FORM_BAD_SHAPE);
	assert_int_equal(json_array_size(d), 5);
	assert_true(has_detail(d, "part", "values", "Phần «values»", NULL,
	    NULL));
	assert_true(has_detail(d, "part", "comments", "Phần «comments»", NULL,
	    NULL));
	assert_true(has_detail(d, "station", "TYT-A", "đối tượng", NULL,
	    NULL));
	assert_true(has_detail(d, "list", "directives", "Mỗi dòng", "row",
	    "2"));
	assert_true(has_detail(d, "list", "comm.cccd", "mảng", NULL, NULL));
	json_decref(d);
	json_decref(body);
	d = NULL;
	assert_int_equal(form_shape(NULL, &d), FORM_BAD_SHAPE);
	assert_int_equal(json_array_size(d), 1);
	json_decref(d);
}

static void
station_refused(const char *s, const char *station, const char *code,
    const char *what)
{
	json_t		*d;
	char		*dump;
	int		ok;

	d = validate(pl1, &u_ttyt, s);
	if (d == NULL)
		fail_msg("accepted: %s", s);
	dump = json_dumps(d, JSON_ENSURE_ASCII);
	ok = json_array_size(d) == 1 &&
	    has_detail(d, "station", station, what, code ? "item" : NULL,
	    code);
	json_decref(d);
	if (!ok)
		fail_msg("want station %s item %s \"%s\" for %s, got %s",
		    station, code ? code : "-", what, s, dump);
	free(dump);
}

static void
test_validate_refuses_bad_station_rows(void **state)
{
	(void)state;
	station_refused("{\"stations\": {\"TYT-Z\": {\"cccd.visits\": 1}}}",
	    "TYT-Z", NULL, "không thuộc phạm vi quản lý");
	station_refused("{\"stations\": {\"TYT-A\": [1]}}",
	    "TYT-A", NULL, "phải là một đối tượng");
	station_refused("{\"stations\": {\"TYT-A\": {\"erx.total\": 1}}}",
	    "TYT-A", "erx.total", "không báo cáo theo từng trạm");
	station_refused("{\"stations\": {\"TYT-A\": {\"cccd.used_pct\": 1}}}",
	    "TYT-A", "cccd.used_pct", "tính tự động");
	station_refused("{\"stations\": {\"TYT-A\": {\"cccd.visits\": -2}}}",
	    "TYT-A", "cccd.visits", "không được âm");
	station_refused("{\"stations\": {\"TYT-B\": {\"sign.needed\": 1.5}}}",
	    "TYT-B", "sign.needed", "phần thập phân");
	station_refused("{\"stations\": {\"TYT-B\": {\"sign.neded\": 1}}}",
	    "TYT-B", "sign.neded", "không có trong đề cương");

	/* The centre's own row is checked as a station row is. */
	station_refused("{\"stations\": {\"TTYT-X\": {\"erx.total\": 1}}}",
	    "TTYT-X", "erx.total", "không báo cáo theo từng trạm");
	station_refused("{\"stations\": {\"TTYT-X\": {\"cccd.visits\": "
	    "\"60.000\"}}}", "TTYT-X", "cccd.visits", "số nguyên");

	/* A unit without stations files no station rows at all. */
	refused(pl1, &u_hospital,
	    "{\"stations\": {\"TYT-A\": {\"cccd.visits\": 1}}}",
	    "station", "TYT-A", "không quản lý trạm y tế nào");
	refused(pl1, &u_hospital,
	    "{\"stations\": {\"BV-1\": {\"cccd.visits\": 1}}}",
	    "station", "BV-1", "không quản lý trạm y tế nào");
	accepted(pl1, &u_hospital, "{\"stations\": {}}");
}

/* A district centre files its own row beside its stations'. */
static void
test_validate_accepts_the_centres_own_row(void **state)
{
	(void)state;
	accepted(pl1, &u_ttyt, "{\"stations\": {"
	    "\"TTYT-X\": {\"cccd.visits\": 60000, \"cccd.used\": 41000,"
	    "\"cccd.insurance_returned\": 40000, \"cccd.qr_readers\": 7,"
	    "\"sign.issued\": 30, \"sign.needed\": 4},"
	    "\"TYT-A\": {\"cccd.visits\": 1500}}}");
}

static void
test_validate_refuses_bad_lists(void **state)
{
	char		*rows, *body;
	size_t		i;

	(void)state;
	refused(pl2, &u_hospital, "{\"lists\": {\"decisions\": []}}",
	    "list", "decisions", "không có trong đề cương");
	refused(pl2, &u_cdc, "{\"lists\": {\"comm.cccd\": [{\"form\": "
	    "\"banner\", \"quantity\": 1}]}}",
	    "list", "comm.cccd", "không áp dụng cho đơn vị");
	accepted(pl2, &u_cdc, "{\"lists\": {\"comm.cccd\": []}}");
	refused(pl2, &u_hospital, "{\"lists\": {\"directives\": {}}}",
	    "list", "directives", "mảng các dòng");

	/* 201 rows where 200 are allowed. */
	rows = repeat("{\"number\": \"1/QĐ-SYT\", \"date\": \"2023-01-02\","
	    " \"abstract\": \"x\"},", 201);
	rows[strlen(rows) - 1] = '\0';
	assert_true(asprintf(&body, "{\"lists\": {\"directives\": [%s]}}",
	    rows) > 0);
	refused(pl2, &u_hospital, body, "list", "directives",
	    "có 201 dòng, tối đa 200 dòng");
	free(body);
	/* ... and 200 pass. */
	i = strlen(rows);
	while (i > 0 && rows[i - 1] != '{')
		i--;
	rows[i - 2] = '\0';
	assert_true(asprintf(&body, "{\"lists\": {\"directives\": [%s]}}",
	    rows) > 0);
	accepted(pl2, &u_hospital, body);
	free(body);
	free(rows);
}

static void
test_validate_refuses_bad_list_rows(void **state)
{
	char		*body, *s;

	(void)state;
	refused_cell(pl2, &u_hospital, "{\"lists\": {\"directives\": [1]}}",
	    "directives", "1", NULL, "Mỗi dòng");
	refused_cell(pl2, &u_hospital, "{\"lists\": {\"directives\": ["
	    "{\"number\": \"1/QĐ-SYT\", \"date\": \"2023-01-02\","
	    " \"abstract\": \"x\", \"signer\": \"A\"}]}}",
	    "directives", "1", "signer", "Cột không có");
	refused_cell(pl2, &u_hospital, "{\"lists\": {\"directives\": ["
	    "{\"number\": \"1/QĐ-SYT\", \"date\": \"2023-01-02\","
	    " \"abstract\": \"x\"}, {\"date\": \"2023-01-02\","
	    " \"abstract\": \"y\"}]}}",
	    "directives", "2", "number", "Cột bắt buộc: nhập «Số văn bản»");
	refused_cell(pl2, &u_hospital, "{\"lists\": {\"directives\": ["
	    "{\"number\": \"1/QĐ-SYT\", \"date\": null, \"abstract\": "
	    "\"x\"}]}}", "directives", "1", "date", "Cột bắt buộc");
	refused_cell(pl2, &u_hospital, "{\"lists\": {\"directives\": ["
	    "{\"number\": \"1/QĐ-SYT\", \"date\": \"2023-01-02\","
	    " \"abstract\": \" \\u00a0\"}]}}",
	    "directives", "1", "abstract", "Cột bắt buộc");
	refused_cell(pl2, &u_hospital, "{\"lists\": {\"directives\": ["
	    "{\"number\": 372, \"date\": \"2023-01-02\", \"abstract\": "
	    "\"x\"}]}}", "directives", "1", "number", "dạng chữ");

	s = repeat("1", 65);
	assert_true(asprintf(&body, "{\"lists\": {\"directives\": ["
	    "{\"number\": \"%s\", \"date\": \"2023-01-02\", \"abstract\": "
	    "\"x\"}]}}", s) > 0);
	refused_cell(pl2, &u_hospital, body, "directives", "1", "number",
	    "dài quá 64 ký tự");
	free(body);
	free(s);

	s = repeat("a", 501);
	assert_true(asprintf(&body, "{\"lists\": {\"directives\": ["
	    "{\"number\": \"1/QĐ-SYT\", \"date\": \"2023-01-02\", "
	    "\"abstract\": \"%s\"}]}}", s) > 0);
	refused_cell(pl2, &u_hospital, body, "directives", "1", "abstract",
	    "tối đa 500 ký tự");
	free(body);
	free(s);

	/* The pattern is a check: a badly formed number is stored. */
	accepted(pl2, &u_hospital, "{\"lists\": {\"directives\": ["
	    "{\"number\": \"số 372\", \"date\": \"2023-01-02\", \"abstract\": "
	    "\"x\"}]}}");
}

static void
date_refused(const char *date)
{
	char		*body;

	assert_true(asprintf(&body, "{\"lists\": {\"directives\": ["
	    "{\"number\": \"1/QĐ-SYT\", \"date\": \"%s\", \"abstract\": "
	    "\"x\"}]}}", date) > 0);
	refused_cell(pl2, &u_hospital, body, "directives", "1", "date",
	    "năm-tháng-ngày");
	free(body);
}

static void
test_validate_refuses_dates_not_on_the_calendar(void **state)
{
	(void)state;
	date_refused("2023-02-29");
	date_refused("2023-04-31");
	date_refused("2023-13-01");
	date_refused("2023-00-10");
	date_refused("2023-01-00");
	date_refused("2023-6-15");
	date_refused("15/06/2023");
	date_refused("2023-06-15T00:00");
	date_refused("1900-02-29");
	date_refused("0023-06-15");
	date_refused("２０２３-06-15");

	assert_true(form_date_valid("2000-02-29"));
	assert_true(form_date_valid("2024-02-29"));
	assert_true(form_date_valid("2023-12-31"));
	assert_false(form_date_valid("2100-02-29"));
	assert_false(form_date_valid(NULL));
}

static void
test_validate_refuses_bad_choices_and_quantities(void **state)
{
	(void)state;
	refused_cell(pl2, &u_hospital, "{\"lists\": {\"comm.cashless\": ["
	    "{\"form\": \"billboard\", \"quantity\": 1}]}}",
	    "comm.cashless", "1", "form", "Băng rôn, Pano, Áp phích");
	refused_cell(pl2, &u_hospital, "{\"lists\": {\"comm.cashless\": ["
	    "{\"form\": \"Băng rôn\", \"quantity\": 1}]}}",
	    "comm.cashless", "1", "form", "Chọn một trong");
	refused_cell(pl2, &u_hospital, "{\"lists\": {\"comm.cashless\": ["
	    "{\"form\": \"pano\", \"quantity\": -1}]}}",
	    "comm.cashless", "1", "quantity", "không được âm");
	refused_cell(pl2, &u_hospital, "{\"lists\": {\"comm.cashless\": ["
	    "{\"form\": \"pano\", \"quantity\": 2.5}]}}",
	    "comm.cashless", "1", "quantity", "phần thập phân");
	refused_cell(pl2, &u_hospital, "{\"lists\": {\"comm.cashless\": ["
	    "{\"form\": \"pano\", \"quantity\": \"\"}]}}",
	    "comm.cashless", "1", "quantity", "số nguyên");
	refused_cell(pl2, &u_hospital, "{\"lists\": {\"comm.cashless\": ["
	    "{\"form\": \"pano\"}]}}",
	    "comm.cashless", "1", "quantity", "Cột bắt buộc: nhập «Số lượng»");
}

static void
test_validate_checks_comments(void **state)
{
	char		*s, *body;

	(void)state;
	accepted(pl2, &u_hospital, "{\"comments\": {\"comm.other\": \"x\","
	    " \"infra.pc_total\": \"y\", \"plan\": \"\"}}");
	refused(pl1, &u_hospital, "{\"comments\": {\"erx.totals\": \"x\"}}",
	    "item", "erx.totals", "không có trong đề cương");
	refused(pl1, &u_hospital, "{\"comments\": {\"erx.total\": 5}}",
	    "item", "erx.total", "Ghi chú phải là chữ");
	refused(pl1, &u_clinic, "{\"comments\": {\"gksklx.issued\": \"x\"}}",
	    "item", "gksklx.issued", "không áp dụng");

	s = repeat("đ", 1001);
	assert_true(asprintf(&body, "{\"comments\": {\"erx.total\": \"%s\"}}",
	    s) > 0);
	refused(pl1, &u_hospital, body, "item", "erx.total",
	    "dài 1001 ký tự, tối đa 1000 ký tự");
	free(body);
	free(s);
}

static double
real_of(json_t *o, const char *key)
{
	json_t		*v;

	v = json_object_get(o, key);
	if (!json_is_real(v))
		fail_msg("%s is not a JSON real", key);

	return (json_real_value(v));
}

static void
test_derive_computes_rates_to_one_decimal(void **state)
{
	json_t		*v;

	(void)state;
	v = parse("{\"erx.total\": 200, \"erx.linked\": 150,"
	    " \"bhyt.records_total\": 3, \"bhyt.records_ontime\": 1,"
	    " \"birth.total\": 3, \"birth.synced\": 2,"
	    " \"death.total\": 16, \"death.synced\": 1,"
	    " \"cccd.visits\": 7, \"cccd.used\": 7}");
	form_derive(pl1, v, NULL);
	assert_true(real_of(v, "erx.linked_pct") == 75.0);
	assert_true(real_of(v, "bhyt.ontime_pct") == 33.3);
	assert_true(real_of(v, "birth.synced_pct") == 66.7);
	/* 6.25 rounds half up. */
	assert_true(real_of(v, "death.synced_pct") == 6.3);
	assert_true(real_of(v, "cccd.used_pct") == 100.0);
	/* Typed values are left alone. */
	assert_int_equal(json_integer_value(json_object_get(v, "erx.total")),
	    200);
	json_decref(v);
}

static void
test_derive_sums_and_rates_of_sums(void **state)
{
	json_t		*v;

	(void)state;
	v = parse("{\"pay.total\": 400, \"pay.transfer\": 100,"
	    " \"pay.qr_dynamic\": 50, \"pay.other\": null}");
	form_derive(pl1, v, NULL);
	assert_true(json_is_integer(json_object_get(v, "pay.cashless")));
	assert_int_equal(json_integer_value(json_object_get(v,
	    "pay.cashless")), 150);
	assert_true(real_of(v, "pay.cashless_pct") == 37.5);
	json_decref(v);

	/* No method at all: no sum, and so no rate. */
	v = parse("{\"pay.total\": 400}");
	form_derive(pl1, v, NULL);
	assert_null(json_object_get(v, "pay.cashless"));
	assert_null(json_object_get(v, "pay.cashless_pct"));
	json_decref(v);

	v = parse("{\"infra.pc_after_2020\": 12}");
	form_derive(pl2, v, NULL);
	assert_int_equal(json_integer_value(json_object_get(v,
	    "infra.pc_total")), 12);
	json_decref(v);
}

static void
test_derive_skips_zero_and_missing_denominators(void **state)
{
	json_t		*v;

	(void)state;
	v = parse("{\"erx.total\": 0, \"erx.linked\": 0,"
	    " \"gksklx.linked\": 5,"
	    " \"birth.total\": 10, \"birth.synced\": \"3\"}");
	form_derive(pl1, v, NULL);
	assert_null(json_object_get(v, "erx.linked_pct"));
	assert_null(json_object_get(v, "gksklx.linked_pct"));
	assert_null(json_object_get(v, "birth.synced_pct"));
	assert_null(json_object_get(v, "bhyt.ontime_pct"));
	json_decref(v);
}

static void
test_derive_removes_stale_values(void **state)
{
	json_t		*v, *st;

	(void)state;
	v = parse("{\"erx.total\": 0, \"erx.linked\": 0,"
	    " \"erx.linked_pct\": 80.0, \"pay.cashless\": 999,"
	    " \"pay.cashless_pct\": \"x\"}");
	st = parse("{\"TYT-A\": {\"cccd.used_pct\": 12.5,"
	    " \"erx.linked_pct\": 1.0}}");
	form_derive(pl1, v, st);
	assert_null(json_object_get(v, "erx.linked_pct"));
	assert_null(json_object_get(v, "pay.cashless"));
	assert_null(json_object_get(v, "pay.cashless_pct"));
	assert_int_equal(json_object_size(json_object_get(st, "TYT-A")), 0);
	json_decref(v);
	json_decref(st);
}

static void
test_derive_works_per_station(void **state)
{
	json_t		*v, *st, *a, *b;

	(void)state;
	v = parse("{\"cccd.visits\": 120, \"cccd.used\": 30,"
	    " \"erx.total\": 10, \"erx.linked\": 5}");
	st = parse("{\"TYT-A\": {\"cccd.visits\": 40, \"cccd.used\": 10,"
	    " \"erx.total\": 10, \"erx.linked\": 5},"
	    " \"TYT-B\": {\"cccd.visits\": 0, \"cccd.used\": 0},"
	    " \"TYT-C\": null}");
	form_derive(pl1, v, st);
	assert_true(real_of(v, "cccd.used_pct") == 25.0);
	assert_true(real_of(v, "erx.linked_pct") == 50.0);

	a = json_object_get(st, "TYT-A");
	b = json_object_get(st, "TYT-B");
	assert_true(real_of(a, "cccd.used_pct") == 25.0);
	/* Only items kept per station are derived in a station row. */
	assert_null(json_object_get(a, "erx.linked_pct"));
	assert_null(json_object_get(b, "cccd.used_pct"));
	assert_true(json_is_null(json_object_get(st, "TYT-C")));
	json_decref(v);
	json_decref(st);

	/* Nothing to derive into is no reason to crash. */
	form_derive(pl1, NULL, NULL);
	form_derive(NULL, NULL, NULL);
}

/*
 * The six-month report offered from months filed before the own row
 * (stations only) and after it: the own row adds up over the months
 * that have it, as the stations do, and a stock takes its latest month.
 */
static void
test_six_months_carry_the_centres_own_row(void **state)
{
	json_t		*months, *agg, *own;

	(void)state;
	months = parse("[{\"values\": {\"cccd.visits\": 10},"
	    " \"stations\": {\"TYT-A\": {\"cccd.visits\": 10}}},"
	    " {\"values\": {\"cccd.visits\": 700, \"sign.issued\": 35},"
	    " \"stations\": {\"TTYT-X\": {\"cccd.visits\": 600,"
	    " \"cccd.used\": 300, \"sign.issued\": 30},"
	    " \"TYT-A\": {\"cccd.visits\": 100, \"sign.issued\": 5}}},"
	    " {\"values\": {\"cccd.visits\": 800, \"sign.issued\": 36},"
	    " \"stations\": {\"TTYT-X\": {\"cccd.visits\": 650,"
	    " \"sign.issued\": 31},"
	    " \"TYT-A\": {\"cccd.visits\": 150, \"sign.issued\": 5}}}]");
	agg = form_aggregate(pl1, months);
	own = json_object_get(json_object_get(agg, "stations"), "TTYT-X");
	assert_non_null(own);
	assert_int_equal(json_integer_value(json_object_get(own,
	    "cccd.visits")), 1250);
	assert_int_equal(json_integer_value(json_object_get(own,
	    "cccd.used")), 300);
	assert_int_equal(json_integer_value(json_object_get(own,
	    "sign.issued")), 31);
	/* The totals: own plus stations, month by month, added up. */
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    agg, "values"), "cccd.visits")), 1510);
	form_derive(pl1, json_object_get(agg, "values"),
	    json_object_get(agg, "stations"));
	assert_true(real_of(own, "cccd.used_pct") == 24.0);
	json_decref(agg);
	json_decref(months);
}

static void
test_six_months_add_flows_and_keep_the_latest_stock(void **state)
{
	json_t		*months, *agg, *v, *st;

	(void)state;
	months = parse("[{\"values\": {\"erx.total\": 100, "
	    "\"cccd.qr_readers\": 4, \"sign.issued\": 10},"
	    " \"stations\": {\"TYT-A\": {\"cccd.visits\": 5,"
	    " \"cccd.qr_readers\": 1}}},"
	    " {\"values\": {\"erx.total\": 50, \"cccd.qr_readers\": 6},"
	    " \"stations\": {\"TYT-A\": {\"cccd.visits\": 7},"
	    " \"TYT-B\": {\"cccd.visits\": 2}}}]");
	agg = form_aggregate(pl1, months);
	v = json_object_get(agg, "values");
	assert_int_equal(json_integer_value(json_object_get(v, "erx.total")),
	    150);
	assert_int_equal(json_integer_value(json_object_get(v,
	    "cccd.qr_readers")), 6);
	/* A stock only one month has keeps that month's value. */
	assert_int_equal(json_integer_value(json_object_get(v,
	    "sign.issued")), 10);
	assert_null(json_object_get(v, "birth.total"));
	st = json_object_get(json_object_get(agg, "stations"), "TYT-A");
	assert_int_equal(json_integer_value(json_object_get(st,
	    "cccd.visits")), 12);
	assert_int_equal(json_integer_value(json_object_get(st,
	    "cccd.qr_readers")), 1);
	st = json_object_get(json_object_get(agg, "stations"), "TYT-B");
	assert_int_equal(json_integer_value(json_object_get(st,
	    "cccd.visits")), 2);
	json_decref(agg);
	json_decref(months);
}

static void
test_six_months_ignore_non_numbers_and_saturate(void **state)
{
	json_t		*months, *agg, *v;

	(void)state;
	months = parse("[{\"values\": {\"erx.total\": 9007199254740991,"
	    " \"erx.linked\": \"nhiều\"}},"
	    " {\"values\": {\"erx.total\": 10, \"erx.linked\": 3.5}},"
	    " {}]");
	agg = form_aggregate(pl1, months);
	v = json_object_get(agg, "values");
	assert_int_equal(json_integer_value(json_object_get(v, "erx.total")),
	    FORM_INT_MAX);
	assert_null(json_object_get(v, "erx.linked"));
	json_decref(agg);
	json_decref(months);
	agg = form_aggregate(pl1, NULL);
	assert_int_equal(json_object_size(json_object_get(agg, "values")), 0);
	json_decref(agg);
}

/* ---- versions: every problem, differences, stable codes ---- */

#define EXAMPLE_PATH	"forms/examples/PL1-2026-vneid.json"
#define DEMO_SQL	"sql/demo/020_outline_2026.sql"

static int
has_problem(json_t *problems, const char *where, const char *says)
{
	json_t		*p;
	size_t		i;

	json_array_foreach(problems, i, p) {
		if (strcmp(json_string_value(json_object_get(p, "where")),
		    where) == 0 && strstr(json_string_value(json_object_get(p,
		    "message")), says) != NULL)
			return (1);
	}

	return (0);
}

static void
test_load_tells_every_problem_with_its_place(void **state)
{
	json_t		*def, *problems, *items;

	(void)state;
	def = json_deep_copy(pl1->json);
	items = json_object_get(json_array_get(json_object_get(def,
	    "sections"), 1), "items");
	json_object_set_new(json_array_get(items, 0), "kind",
	    json_string("cnt"));
	json_object_set_new(json_array_get(items, 1), "maxlength",
	    json_integer(3));
	json_object_del(json_array_get(items, 1), "label");
	json_object_set_new(json_array_get(json_object_get(def, "checks"), 0),
	    "whole", json_string("nothing.here"));
	json_object_set_new(def, "colour", json_string("red"));

	assert_null(form_load_checked(def, &problems));
	assert_true(has_problem(problems, "", "«colour»"));
	assert_true(has_problem(problems, "sections[1].items[0] (erx.total)",
	    "«cnt»"));
	assert_true(has_problem(problems, "sections[1].items[1] (erx.linked)",
	    "«maxlength»"));
	assert_true(has_problem(problems, "sections[1].items[1] (erx.linked)",
	    "Thiếu «label»"));
	assert_true(has_problem(problems, "checks[0] (bhyt.ontime_le_total)",
	    "«nothing.here»"));
	/*
	 * erx.total's kind is unreadable: the rate and the check over it
	 * are not blamed for it.
	 */
	assert_int_equal(json_array_size(problems), 5);
	json_decref(problems);
	json_decref(def);
}

static void
test_load_text_says_where_the_json_breaks(void **state)
{
	json_t		*problems;
	int		syntax;

	(void)state;
	assert_null(form_load_text("{\n  \"form\": \"PL1\"\n  \"title\": 1}",
	    33, &problems, &syntax));
	assert_int_equal(syntax, 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    problems, 0), "line")), 3);
	assert_non_null(strstr(json_string_value(json_object_get(
	    json_array_get(problems, 0), "where")), "dòng 3"));
	json_decref(problems);

	assert_null(form_load_text("{\"form\": \"PL1\"}", 15, &problems,
	    &syntax));
	assert_int_equal(syntax, 0);
	assert_true(has_problem(problems, "", "Thiếu «title»"));
	json_decref(problems);
}

static void
test_load_bounds_what_an_upload_may_hold(void **state)
{
	json_t		*def, *items, *problems;
	char		code[32];
	int		i;

	(void)state;
	def = json_deep_copy(pl1->json);
	items = json_object_get(json_array_get(json_object_get(def,
	    "sections"), 0), "items");
	for (i = 0; i < FORM_ITEMS_MAX; i++) {
		(void)snprintf(code, sizeof(code), "many.i%d", i);
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, "
		    "s:s}", "code", code, "label", "x", "unit", "Lượt",
		    "kind", "count"));
	}
	assert_null(form_load_checked(def, &problems));
	assert_true(has_problem(problems, "", "tối đa 500"));
	/* Told before anything else is read. */
	assert_int_equal(json_array_size(problems), 1);
	json_decref(problems);
	json_decref(def);
}

static void
test_diff_tells_added_removed_and_changed(void **state)
{
	struct form	*ex, *mod;
	json_t		*d, *def, *sec, *c;
	size_t		i;

	(void)state;
	ex = form_load(EXAMPLE_PATH, NULL, 0);
	assert_non_null(ex);
	d = form_diff(pl1, ex);
	assert_int_equal(json_array_size(json_object_get(json_object_get(d,
	    "added"), "items")), 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(json_object_get(d, "added"), "items"), 0),
	    "code")), "vneid.hb_updated");
	assert_int_equal(json_array_size(json_object_get(json_object_get(d,
	    "added"), "checks")), 2);
	assert_int_equal(json_array_size(json_object_get(json_object_get(d,
	    "removed"), "items")), 0);
	json_decref(d);

	/* Retire §8, relabel erx.total, tighten a deviation check. */
	def = json_deep_copy(pl1->json);
	json_array_remove(json_object_get(def, "sections"), 7);
	sec = json_array_get(json_object_get(def, "sections"), 1);
	json_object_set_new(json_array_get(json_object_get(sec, "items"), 0),
	    "label", json_string("Số đơn thuốc điện tử"));
	json_array_foreach(json_object_get(def, "checks"), i, c) {
		if (!strcmp(json_string_value(json_object_get(c, "rule")),
		    "erx.total.deviation"))
			json_object_set_new(c, "factor", json_real(2.0));
	}
	mod = form_load_json(def, NULL, 0);
	assert_non_null(mod);
	d = form_diff(pl1, mod);
	c = json_array_get(json_object_get(json_object_get(d, "removed"),
	    "items"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "code")),
	    "stay.declared");
	c = json_array_get(json_object_get(json_object_get(d, "changed"),
	    "items"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "code")),
	    "erx.total");
	assert_string_equal(json_string_value(json_array_get(json_object_get(c,
	    "fields"), 0)), "label");
	c = json_array_get(json_object_get(json_object_get(d, "changed"),
	    "checks"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "rule")),
	    "erx.total.deviation");
	assert_int_equal(json_array_size(json_object_get(json_object_get(d,
	    "changed"), "items")), 1);
	json_decref(d);

	/* Against nothing, everything is added. */
	d = form_diff(NULL, pl1);
	assert_int_equal(json_array_size(json_object_get(json_object_get(d,
	    "added"), "items")), pl1->nitems);
	json_decref(d);
	json_decref(def);
	form_free(mod);
	form_free(ex);
}

static void
test_stable_codes_keep_their_kind_across_versions(void **state)
{
	json_t		*def, *items, *problems;

	(void)state;
	def = json_deep_copy(pl1->json);
	items = json_object_get(json_array_get(json_object_get(def,
	    "sections"), 7), "items");
	json_object_set_new(json_array_get(items, 0), "kind",
	    json_string("text"));
	problems = json_array();
	form_stable(pl1, 1, def, problems);
	assert_int_equal(json_array_size(problems), 1);
	assert_true(has_problem(problems,
	    "sections[7].items[0] (stay.declared)", "phiên bản 1"));
	json_decref(problems);

	/* The example keeps every code of version 1 as it was. */
	json_decref(def);
	def = json_load_file(EXAMPLE_PATH, 0, NULL);
	assert_non_null(def);
	problems = json_array();
	form_stable(pl1, 1, def, problems);
	assert_int_equal(json_array_size(problems), 0);
	json_decref(problems);
	json_decref(def);
}

static void
test_absent_lists_what_the_other_version_lacks(void **state)
{
	struct form	*ex;
	json_t		*a;

	(void)state;
	ex = form_load(EXAMPLE_PATH, NULL, 0);
	assert_non_null(ex);
	a = form_absent(ex, pl1);
	assert_int_equal(json_array_size(a), 4);
	assert_string_equal(json_string_value(json_array_get(a, 3)),
	    "vneid.hb_staff_trained");
	json_decref(a);
	a = form_absent(pl1, ex);
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);
	a = form_absent(ex, NULL);
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);
	form_free(ex);
}

/*
 * The demo stores the example through SQL, where no loader looks: its
 * JSON must be the example file's, which loads, marked as an example.
 */
static void
test_demo_outline_is_the_example_and_loads(void **state)
{
	FILE		*fp;
	char		*buf, *a, *b;
	size_t		len;
	struct form	*f;
	json_t		*problems, *file;

	(void)state;
	assert_non_null((fp = fopen(DEMO_SQL, "r")));
	buf = calloc(1, 256 * 1024);
	assert_non_null(buf);
	len = fread(buf, 1, 256 * 1024 - 1, fp);
	(void)fclose(fp);
	assert_non_null((a = strstr(buf, "$outline$")));
	a += strlen("$outline$");
	assert_non_null((b = strstr(a, "$outline$")));
	f = form_load_text(a, (size_t)(b - a), &problems, NULL);
	assert_non_null(f);
	assert_int_equal(json_array_size(problems), 0);
	assert_string_equal(f->code, "PL1");
	assert_non_null(strstr(f->title, "Ví dụ — Văn phòng Sở chỉnh sửa "
	    "trước khi dùng"));
	assert_true(form_item_index(f, "vneid.hb_updated") != -1);
	file = json_load_file(EXAMPLE_PATH, JSON_REJECT_DUPLICATES, NULL);
	assert_true(json_equal(file, f->json));
	(void)len;
	json_decref(file);
	json_decref(problems);
	form_free(f);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_real_forms_load_with_their_codes),
		cmocka_unit_test(
		    test_pl1_has_every_domain_item_with_unit_and_kind),
		cmocka_unit_test(test_pl1_derived_items_name_their_inputs),
		cmocka_unit_test(
		    test_pl1_sections_six_and_seven_are_per_station),
		cmocka_unit_test(
		    test_pl2_has_every_domain_item_with_unit_and_kind),
		cmocka_unit_test(test_pl2_sections_follow_the_letter),
		cmocka_unit_test(test_pl2_lists_have_their_columns_and_choices),
		cmocka_unit_test(test_pl1_checks_cover_the_domain_rules),
		cmocka_unit_test(test_pl2_checks_cover_the_domain_rules),
		cmocka_unit_test(test_docno_pattern_accepts_document_numbers),
		cmocka_unit_test(test_minimal_fixture_loads),
		cmocka_unit_test(test_broken_forms_fail_naming_the_problem),
		cmocka_unit_test(test_load_error_names_file_check_and_item),
		cmocka_unit_test(test_load_refuses_missing_and_oversized_files),
		cmocka_unit_test(test_load_json_refuses_non_objects),
		cmocka_unit_test(test_definition_is_kept_verbatim),
		cmocka_unit_test(test_load_tells_every_problem_with_its_place),
		cmocka_unit_test(test_load_text_says_where_the_json_breaks),
		cmocka_unit_test(test_load_bounds_what_an_upload_may_hold),
		cmocka_unit_test(test_diff_tells_added_removed_and_changed),
		cmocka_unit_test(
		    test_stable_codes_keep_their_kind_across_versions),
		cmocka_unit_test(test_absent_lists_what_the_other_version_lacks),
		cmocka_unit_test(test_demo_outline_is_the_example_and_loads),
		cmocka_unit_test(test_index_lookups),
		cmocka_unit_test(test_six_months_add_flows_and_keep_the_latest_stock),
		cmocka_unit_test(test_six_months_carry_the_centres_own_row),
		cmocka_unit_test(test_six_months_ignore_non_numbers_and_saturate),
		cmocka_unit_test(test_hospital_reports_emr_not_covid),
		cmocka_unit_test(test_ttyt_with_stations_reports_station_items),
		cmocka_unit_test(test_commune_station_reports_care_items),
		cmocka_unit_test(test_cdc_reports_covid_not_care_communication),
		cmocka_unit_test(
		    test_private_clinic_gksklx_follows_its_licence),
		cmocka_unit_test(test_department_office_is_not_a_care_facility),
		cmocka_unit_test(test_applies_refuses_bad_arguments),
		cmocka_unit_test(test_validate_accepts_full_pl1_for_a_ttyt),
		cmocka_unit_test(test_validate_accepts_full_pl2_for_a_hospital),
		cmocka_unit_test(test_validate_accepts_empty_and_absent_parts),
		cmocka_unit_test(
		    test_validate_refuses_numbers_that_are_not_counts),
		cmocka_unit_test(test_validate_refuses_money_out_of_range),
		cmocka_unit_test(test_validate_refuses_levels_outside_min_max),
		cmocka_unit_test(test_validate_counts_text_in_characters),
		cmocka_unit_test(test_validate_refuses_bad_texts),
		cmocka_unit_test(
		    test_validate_refuses_derived_unknown_and_foreign_items),
		cmocka_unit_test(test_validate_collects_every_problem),
		cmocka_unit_test(test_validate_refuses_bad_parts_and_bodies),
		cmocka_unit_test(
		    test_validate_tells_a_wrong_shape_from_a_wrong_value),
		cmocka_unit_test(test_shape_details_say_where),
		cmocka_unit_test(test_validate_refuses_bad_station_rows),
		cmocka_unit_test(test_validate_accepts_the_centres_own_row),
		cmocka_unit_test(test_validate_refuses_bad_lists),
		cmocka_unit_test(test_validate_refuses_bad_list_rows),
		cmocka_unit_test(
		    test_validate_refuses_dates_not_on_the_calendar),
		cmocka_unit_test(
		    test_validate_refuses_bad_choices_and_quantities),
		cmocka_unit_test(test_validate_checks_comments),
		cmocka_unit_test(test_derive_computes_rates_to_one_decimal),
		cmocka_unit_test(test_derive_sums_and_rates_of_sums),
		cmocka_unit_test(
		    test_derive_skips_zero_and_missing_denominators),
		cmocka_unit_test(test_derive_removes_stale_values),
		cmocka_unit_test(test_derive_works_per_station),
	};

	return (cmocka_run_group_tests(tests, setup_forms, teardown_forms));
}
