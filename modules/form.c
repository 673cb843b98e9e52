/*
 * The report outlines as data (forms/PL1.json, forms/PL2.json): loading
 * and validating a definition, who reports what, the shape of a report
 * body and the derived values.  What the outline means is in the files;
 * this code only knows the format (forms/README.md).
 *
 * A definition is validated completely at start-up, so the rest of the
 * portal may trust every index and every kind it finds in a struct form.
 * Load errors are for the developer and in English; what form_validate
 * says goes to the focal point and is in Vietnamese.
 */
#define PCRE2_CODE_UNIT_WIDTH	8

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <pcre2.h>

#include "form.h"

#define FORM_FILE_MAX		(1024 * 1024)
#define FORM_WHERE_MAX		160
#define FORM_MSG_MAX		512
#define FORM_DEPTH_MAX		3
#define FORM_MAXLEN_MAX		100000	/* characters, any text */
#define FORM_ROWS_MAX		10000
#define FORM_LEVEL_LIMIT	1000000
#define FORM_DELTA_MAX		FORM_INT_MAX

#define FORM_OPT		0x00
#define FORM_REQ		0x01	/* the key must be there */
#define FORM_NONEMPTY		0x02	/* and not "" */

/* Check types as bits, for the keys each type accepts. */
#define FORM_T(t)		(1U << (t))
#define FORM_T_PARTS		(FORM_T(CHECK_PARTS_LE) | FORM_T(CHECK_PARTS_EQ))
#define FORM_T_LIST		(FORM_T(CHECK_PATTERN) | \
				    FORM_T(CHECK_DATE_IN_PERIOD))
#define FORM_T_ITEMS		(FORM_T(CHECK_STATIONS_SUM) | \
				    FORM_T(CHECK_DEVIATION) | \
				    FORM_T(CHECK_RATE_JUMP) | FORM_T(CHECK_REQUIRED))

/* Vietnamese messages of form_validate, in one place. */
#define FORM_MSG_PART		"Phần «%s» phải là một đối tượng JSON."
#define FORM_MSG_BODY		"Nội dung gửi lên phải là một đối tượng JSON."
#define FORM_MSG_UNKNOWN	\
	"Mục không có trong đề cương; bỏ mục này."
#define FORM_MSG_DERIVED	\
	"Mục này được tính tự động từ các số liệu khác; không nhập."
#define FORM_MSG_NOT_APPLY	"Mục này không áp dụng cho đơn vị."
#define FORM_MSG_NOT_STATION	\
	"Mục này không báo cáo theo từng trạm; nhập vào số liệu chung " \
	"của đơn vị."
#define FORM_MSG_NO_STATIONS	\
	"Đơn vị không quản lý trạm y tế nào; bỏ số liệu theo trạm."
#define FORM_MSG_BAD_STATION	\
	"Trạm này không thuộc phạm vi quản lý của đơn vị; bỏ số liệu " \
	"của trạm này."
#define FORM_MSG_STATION_ROW	\
	"Số liệu của trạm phải là một đối tượng {mã mục: giá trị}."
#define FORM_MSG_REAL		\
	"Nhập số nguyên, không có phần thập phân."
#define FORM_MSG_NOT_INT	\
	"Nhập một số nguyên, không nhập chữ hay giá trị khác."
#define FORM_MSG_NEGATIVE	\
	"Số liệu không được âm; nhập số nguyên từ 0 trở lên."
#define FORM_MSG_TOO_BIG	\
	"Số quá lớn (tối đa 9.007.199.254.740.991); kiểm tra lại số liệu."
#define FORM_MSG_LEVEL		"Nhập mức từ %lld đến %lld."
#define FORM_MSG_NOT_TEXT	"Nhập nội dung dạng chữ."
#define FORM_MSG_CONTROL	\
	"Nội dung có ký tự điều khiển không hợp lệ (chỉ được xuống dòng " \
	"và tab); xóa ký tự đó."
#define FORM_MSG_TOO_LONG	\
	"Nội dung dài %zu ký tự, tối đa %zu ký tự; viết ngắn gọn hơn."
#define FORM_MSG_LIST_UNKNOWN	\
	"Danh sách không có trong đề cương; bỏ danh sách này."
#define FORM_MSG_LIST_NOT_APPLY	"Danh sách này không áp dụng cho đơn vị."
#define FORM_MSG_LIST_ARRAY	"Danh sách phải là một mảng các dòng."
#define FORM_MSG_LIST_ROWS	\
	"Danh sách có %zu dòng, tối đa %zu dòng; gộp hoặc bớt dòng."
#define FORM_MSG_ROW		\
	"Mỗi dòng phải là một đối tượng {mã cột: giá trị}."
#define FORM_MSG_COL_UNKNOWN	\
	"Cột không có trong danh sách; bỏ cột này."
#define FORM_MSG_COL_REQUIRED	"Cột bắt buộc: nhập «%s»."
#define FORM_MSG_DATE		\
	"Ngày không hợp lệ; ghi theo dạng năm-tháng-ngày, ví dụ 2023-06-15."
#define FORM_MSG_DOCNO_LONG	\
	"Số văn bản dài quá %d ký tự; chỉ ghi số và ký hiệu văn bản."
#define FORM_MSG_CHOICE		"Chọn một trong các giá trị: %s."
#define FORM_MSG_COMMENT_TEXT	"Ghi chú phải là chữ."

struct form_name {
	const char	*name;
	int		value;
};

/* Where a load error is: "checks[3] (erx.linked_le_total)". */
struct form_ctx {
	struct form	*f;
	char		*err;
	size_t		errlen;
	char		where[FORM_WHERE_MAX];
};

/* A key that only some item kinds, column kinds or check types take. */
struct form_only {
	const char	*key;
	unsigned int	mask;
	const char	*what;
};

struct form_vctx {
	const struct form	*f;
	const struct form_unit	*u;
	json_t			*details;
};

static const struct form_name	form_kinds[] = {
	{ "count",	FORM_COUNT },
	{ "money",	FORM_MONEY },
	{ "level",	FORM_LEVEL },
	{ "text",	FORM_TEXT },
	{ "rate",	FORM_RATE },
	{ "sum",	FORM_SUM },
	{ NULL,		0 }
};

static const struct form_name	form_over_names[] = {
	{ "sum",	FORM_OVER_SUM },
	{ "last",	FORM_OVER_LAST },
	{ NULL,		0 }
};

static const struct form_name	form_applies_names[] = {
	{ "all",	FORM_APPLIES_ALL },
	{ "gksklx",	FORM_APPLIES_GKSKLX },
	{ "hospital",	FORM_APPLIES_HOSPITAL },
	{ "cdc",	FORM_APPLIES_CDC },
	{ "care",	FORM_APPLIES_CARE },
	{ NULL,		0 }
};

static const struct form_name	form_col_kinds[] = {
	{ "text",	FORM_COL_TEXT },
	{ "date",	FORM_COL_DATE },
	{ "docno",	FORM_COL_DOCNO },
	{ "count",	FORM_COL_COUNT },
	{ "choice",	FORM_COL_CHOICE },
	{ NULL,		0 }
};

static const struct form_name	form_types[] = {
	{ "parts_le",		CHECK_PARTS_LE },
	{ "parts_eq",		CHECK_PARTS_EQ },
	{ "stations_sum",	CHECK_STATIONS_SUM },
	{ "pattern",		CHECK_PATTERN },
	{ "date_in_period",	CHECK_DATE_IN_PERIOD },
	{ "deviation",		CHECK_DEVIATION },
	{ "rate_jump",		CHECK_RATE_JUMP },
	{ "required",		CHECK_REQUIRED },
	{ "complete",		CHECK_COMPLETE },
	{ NULL,			0 }
};

static const struct form_name	form_severities[] = {
	{ "error",	CHECK_ERROR },
	{ "warning",	CHECK_WARNING },
	{ NULL,		0 }
};

static const char	*form_top_keys[] = {
	"form", "name", "title", "note", "sections", "lists", "checks", NULL
};
static const char	*form_section_keys[] = {
	"id", "title", "who", "applies", "stations", "note", "items", NULL
};
static const char	*form_item_keys[] = {
	"code", "label", "unit", "kind", "depth", "applies", "note", "min",
	"max", "maxlen", "num", "den", "sum", "over_time", NULL
};
static const char	*form_list_keys[] = {
	"code", "label", "unit", "note", "section", "applies", "max_rows",
	"columns", NULL
};
static const char	*form_column_keys[] = {
	"code", "label", "kind", "required", "maxlen", "choices", NULL
};
static const char	*form_choice_keys[] = { "code", "label", NULL };
static const char	*form_check_keys[] = {
	"rule", "type", "severity", "message", "parts", "whole", "items",
	"list", "column", "pattern", "factor", "min_delta", "points", "kinds",
	NULL
};

static const struct form_only	form_item_only[] = {
	{ "min",	1U << FORM_LEVEL,	"level items" },
	{ "max",	1U << FORM_LEVEL,	"level items" },
	{ "maxlen",	1U << FORM_TEXT,	"text items" },
	{ "num",	1U << FORM_RATE,	"rate items" },
	{ "den",	1U << FORM_RATE,	"rate items" },
	{ "sum",	1U << FORM_SUM,		"sum items" },
	{ "over_time",	(1U << FORM_COUNT) | (1U << FORM_MONEY),
							"count and money items" },
	{ NULL,		0,			NULL }
};

static const struct form_only	form_column_only[] = {
	{ "maxlen",	1U << FORM_COL_TEXT,	"text columns" },
	{ "choices",	1U << FORM_COL_CHOICE,	"choice columns" },
	{ NULL,		0,			NULL }
};

static const struct form_only	form_check_only[] = {
	{ "parts",	FORM_T_PARTS,		"parts_le and parts_eq" },
	{ "whole",	FORM_T_PARTS,		"parts_le and parts_eq" },
	{ "items",	FORM_T_ITEMS,		"stations_sum, deviation, "
						"rate_jump and required" },
	{ "list",	FORM_T_LIST,		"pattern and date_in_period" },
	{ "column",	FORM_T_LIST,		"pattern and date_in_period" },
	{ "pattern",	FORM_T(CHECK_PATTERN),	"pattern" },
	{ "factor",	FORM_T(CHECK_DEVIATION), "deviation" },
	{ "min_delta",	FORM_T(CHECK_DEVIATION), "deviation" },
	{ "points",	FORM_T(CHECK_RATE_JUMP), "rate_jump" },
	{ "kinds",	FORM_T(CHECK_COMPLETE),	"complete" },
	{ NULL,		0,			NULL }
};

static int	form_parse(struct form_ctx *, json_t *);
static int	form_parse_code(struct form_ctx *, json_t *);
static int	form_parse_sections(struct form_ctx *, json_t *);
static int	form_parse_section(struct form_ctx *, size_t, json_t *);
static int	form_parse_items(struct form_ctx *, json_t *);
static int	form_parse_item(struct form_ctx *, int, int, json_t *);
static int	form_parse_item_kind(struct form_ctx *, struct form_item *,
		    json_t *);
static int	form_parse_lists(struct form_ctx *, json_t *);
static int	form_parse_list(struct form_ctx *, size_t, json_t *);
static int	form_parse_column(struct form_ctx *, struct form_list *,
		    size_t, json_t *);
static int	form_parse_choices(struct form_ctx *, struct form_column *,
		    json_t *);
static int	form_parse_derived(struct form_ctx *, json_t *);
static int	form_parse_inputs(struct form_ctx *, int, json_t *);
static int	form_parse_input(struct form_ctx *, int, json_t *,
		    const char *, int *);
static int	form_parse_checks(struct form_ctx *, json_t *);
static int	form_parse_check(struct form_ctx *, size_t, json_t *);
static int	form_parse_check_kind(struct form_ctx *, struct form_check *,
		    json_t *);
static int	form_parse_parts(struct form_ctx *, struct form_check *,
		    json_t *);
static int	form_parse_check_items(struct form_ctx *, struct form_check *,
		    json_t *);
static int	form_parse_check_item(struct form_ctx *,
		    const struct form_check *, int);
static int	form_parse_check_list(struct form_ctx *, struct form_check *,
		    json_t *);
static int	form_parse_check_numbers(struct form_ctx *,
		    struct form_check *, json_t *);
static int	form_parse_kinds(struct form_ctx *, struct form_check *,
		    json_t *);
static int	form_kind_named(const char *);
static int	form_parse_pattern(struct form_ctx *, struct form_check *,
		    json_t *);
static int	form_refs(struct form_ctx *, json_t *, const char *, int **,
		    size_t *);
static int	form_ref(struct form_ctx *, json_t *, const char *, int *);

static int	form_fail(struct form_ctx *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	form_where(struct form_ctx *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	form_where_code(struct form_ctx *, const char *, size_t,
		    json_t *, const char *);
static int	form_keys(struct form_ctx *, json_t *, const char **);
static int	form_only(struct form_ctx *, json_t *,
		    const struct form_only *, int);
static int	form_str(struct form_ctx *, json_t *, const char *, int,
		    char **);
static int	form_int(struct form_ctx *, json_t *, const char *, int,
		    int64_t, int64_t, int64_t *);
static int	form_num(struct form_ctx *, json_t *, const char *, double *);
static int	form_bool(struct form_ctx *, json_t *, const char *, int *);
static int	form_enum(struct form_ctx *, json_t *, const char *, int,
		    const struct form_name *, int *);
static int	form_code(struct form_ctx *, json_t *, const char *, int,
		    char **);
static int	form_code_valid(const char *, int);
static int	form_code_taken(const struct form *, const char *);
static int	form_numeric(int);
static int	form_derived(int);
static int	form_applies(int, const struct form_unit *);

static void	form_v_shape(struct form_vctx *, json_t *);
static int	form_v_part(struct form_vctx *, json_t *, const char *);
static void	form_v_values(struct form_vctx *, json_t *);
static void	form_v_stations(struct form_vctx *, json_t *);
static void	form_v_station(struct form_vctx *, const char *, json_t *);
static void	form_v_item(struct form_vctx *, const char *, int, json_t *);
static void	form_v_lists(struct form_vctx *, json_t *);
static void	form_v_list(struct form_vctx *, const char *, int, json_t *);
static void	form_v_row(struct form_vctx *, const struct form_list *,
		    size_t, json_t *);
static void	form_v_cell(struct form_vctx *, const struct form_list *,
		    size_t, const struct form_column *, json_t *);
static void	form_v_comments(struct form_vctx *, json_t *);
static const char	*form_value_problem(const struct form_item *, json_t *,
		    char *, size_t);
static const char	*form_int_problem(json_t *, int64_t, int64_t);
static const char	*form_text_problem(json_t *, size_t, char *, size_t);
static const char	*form_choice_problem(const struct form_column *,
		    json_t *, char *, size_t);
static int	form_text_scan(const char *, size_t, size_t *);
static int	form_has_station(const struct form_unit *, const char *);
static json_t	*form_detail(struct form_vctx *, const char *, const char *,
		    const char *);
static void	form_detail_cell(struct form_vctx *, const char *, size_t,
		    const char *, const char *);

static void	form_derive_row(const struct form *, json_t *, int);
static json_t	*form_derive_rate(const struct form *, json_t *,
		    const struct form_item *);
static json_t	*form_derive_sum(const struct form *, json_t *,
		    const struct form_item *);
static double	form_round1(double);

struct form *
form_load(const char *path, char *err, size_t errlen)
{
	FILE		*fp;
	struct form	*f;
	json_t		*def;
	json_error_t	jerr;
	char		*buf, msg[FORM_ERR_MAX];
	size_t		len;
	int		rerr;

	if (err == NULL)
		errlen = 0;
	else if (errlen > 0)
		err[0] = '\0';
	if ((fp = fopen(path, "r")) == NULL) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (NULL);
	}

	/* One byte more than allowed tells a file that is too large. */
	if ((buf = malloc(FORM_FILE_MAX + 1)) == NULL) {
		(void)fclose(fp);
		(void)snprintf(err, errlen, "%s: out of memory", path);
		return (NULL);
	}
	len = fread(buf, 1, FORM_FILE_MAX + 1, fp);
	rerr = ferror(fp);
	(void)fclose(fp);
	if (rerr || len > FORM_FILE_MAX) {
		free(buf);
		(void)snprintf(err, errlen, "%s: %s", path, rerr ?
		    "read error" : "larger than 1 MiB");
		return (NULL);
	}

	/* A key given twice in a definition is always a mistake. */
	def = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	free(buf);
	if (def == NULL) {
		(void)snprintf(err, errlen, "%s: line %d, column %d: %s",
		    path, jerr.line, jerr.column, jerr.text);
		return (NULL);
	}

	f = form_load_json(def, msg, sizeof(msg));
	json_decref(def);
	if (f == NULL)
		(void)snprintf(err, errlen, "%s: %s", path, msg);

	return (f);
}

struct form *
form_load_json(json_t *def, char *err, size_t errlen)
{
	struct form_ctx	ctx;
	struct form	*f;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	memset(&ctx, 0, sizeof(ctx));
	ctx.err = err;
	ctx.errlen = errlen;

	if ((f = calloc(1, sizeof(*f))) == NULL) {
		(void)form_fail(&ctx, "out of memory");
		return (NULL);
	}
	ctx.f = f;

	if (form_parse(&ctx, def) == -1) {
		form_free(f);
		return (NULL);
	}

	/* Served verbatim by GET /api/v1/forms/{form}. */
	f->json = json_incref(def);

	return (f);
}

void
form_free(struct form *f)
{
	struct form_list	*l;
	struct form_column	*c;
	size_t			i, j, k;

	if (f == NULL)
		return;

	for (i = 0; i < f->nsections; i++) {
		free(f->sections[i].id);
		free(f->sections[i].title);
		free(f->sections[i].who);
	}
	for (i = 0; i < f->nitems; i++) {
		free(f->items[i].code);
		free(f->items[i].label);
		free(f->items[i].unit);
		free(f->items[i].sum_of);
	}
	for (i = 0; i < f->nlists; i++) {
		l = &f->lists[i];
		for (j = 0; j < l->ncols; j++) {
			c = &l->cols[j];
			for (k = 0; k < c->nchoices; k++) {
				free(c->choices[k]);
				free(c->choice_labels[k]);
			}
			free(c->choices);
			free(c->choice_labels);
			free(c->code);
			free(c->label);
		}
		free(l->cols);
		free(l->code);
		free(l->label);
	}
	for (i = 0; i < f->nchecks; i++) {
		free(f->checks[i].rule);
		free(f->checks[i].message);
		free(f->checks[i].items);
		pcre2_code_free(f->checks[i].re);
	}

	free(f->sections);
	free(f->items);
	free(f->lists);
	free(f->checks);
	free(f->title);
	json_decref(f->json);
	free(f);
}

int
form_item_index(const struct form *f, const char *code)
{
	size_t		i;

	if (f == NULL || code == NULL)
		return (-1);
	for (i = 0; i < f->nitems; i++) {
		if (strcmp(f->items[i].code, code) == 0)
			return ((int)i);
	}

	return (-1);
}

int
form_list_index(const struct form *f, const char *code)
{
	size_t		i;

	if (f == NULL || code == NULL)
		return (-1);
	for (i = 0; i < f->nlists; i++) {
		if (strcmp(f->lists[i].code, code) == 0)
			return ((int)i);
	}

	return (-1);
}

int
form_item_applies(const struct form *f, int item, const struct form_unit *u)
{
	if (f == NULL || item < 0 || (size_t)item >= f->nitems)
		return (0);

	return (form_applies(f->items[item].applies, u));
}

int
form_list_applies(const struct form *f, int list, const struct form_unit *u)
{
	if (f == NULL || list < 0 || (size_t)list >= f->nlists)
		return (0);

	return (form_applies(f->lists[list].applies, u));
}

int
form_is_derived(const struct form_item *it)
{
	return (form_derived(it->kind));
}

/* Strict "YYYY-MM-DD" naming a real day of the years 1900 to 2100. */
int
form_date_valid(const char *s)
{
	static const int	mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			y, m, d, last, i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return (0);
	for (i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return (0);
	}

	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');

	/* "0023-06-15" is a real day, but never one a report speaks of. */
	if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1)
		return (0);

	last = mdays[m - 1];
	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		last = 29;

	return (d <= last);
}

/*
 * Who reports: a unit's flags say whether it issues driver certificates,
 * is a hospital or is the CDC; "care" is every unit that treats patients,
 * which is every unit but the CDC and the Department's own office.
 */
static int
form_applies(int applies, const struct form_unit *u)
{
	if (u == NULL)
		return (0);

	switch (applies) {
	case FORM_APPLIES_ALL:
		return (1);
	case FORM_APPLIES_GKSKLX:
		return (u->gksklx != 0);
	case FORM_APPLIES_HOSPITAL:
		return (u->hospital != 0);
	case FORM_APPLIES_CDC:
		return (u->cdc != 0);
	case FORM_APPLIES_CARE:
		if (u->kind == NULL)
			return (1);
		return (strcmp(u->kind, "cdc") != 0 &&
		    strcmp(u->kind, "department_office") != 0);
	default:
		return (0);
	}
}

/*
 * Loading.  Order matters: every item and list code must be known before
 * derived items, lists and checks refer to them.
 */
static int
form_parse(struct form_ctx *ctx, json_t *def)
{
	json_t		*sections;

	if (!json_is_object(def))
		return (form_fail(ctx, "the definition is not a JSON object"));
	if (form_keys(ctx, def, form_top_keys) == -1)
		return (-1);
	if (form_parse_code(ctx, def) == -1)
		return (-1);
	if (form_str(ctx, def, "title", FORM_REQ | FORM_NONEMPTY,
	    &ctx->f->title) == -1)
		return (-1);
	if (form_str(ctx, def, "name", FORM_OPT, NULL) == -1 ||
	    form_str(ctx, def, "note", FORM_OPT, NULL) == -1)
		return (-1);

	sections = json_object_get(def, "sections");
	if (!json_is_array(sections) || json_array_size(sections) == 0)
		return (form_fail(ctx, "\"sections\" must be a non-empty "
		    "array"));

	if (form_parse_sections(ctx, sections) == -1 ||
	    form_parse_items(ctx, sections) == -1 ||
	    form_parse_lists(ctx, json_object_get(def, "lists")) == -1 ||
	    form_parse_derived(ctx, sections) == -1 ||
	    form_parse_checks(ctx, json_object_get(def, "checks")) == -1)
		return (-1);

	return (0);
}

static int
form_parse_code(struct form_ctx *ctx, json_t *def)
{
	json_t		*v;
	const char	*s;
	size_t		i;

	v = json_object_get(def, "form");
	if ((s = json_string_value(v)) == NULL)
		return (form_fail(ctx, "\"form\" must be a string such as "
		    "\"PL1\""));
	if (s[0] == '\0' || strlen(s) >= FORM_CODE_MAX)
		return (form_fail(ctx, "\"form\" must have 1 to %d characters",
		    FORM_CODE_MAX - 1));

	/* It names files and URLs: capitals and digits only. */
	for (i = 0; s[i] != '\0'; i++) {
		if (!(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= '0' && s[i] <= '9'))
			return (form_fail(ctx, "\"form\" must be capital "
			    "letters and digits, not \"%s\"", s));
	}
	memcpy(ctx->f->code, s, strlen(s) + 1);

	return (0);
}

static int
form_parse_sections(struct form_ctx *ctx, json_t *sections)
{
	struct form	*f = ctx->f;
	size_t		i, n;

	n = json_array_size(sections);
	if ((f->sections = calloc(n, sizeof(*f->sections))) == NULL)
		return (form_fail(ctx, "out of memory"));
	f->nsections = n;

	for (i = 0; i < n; i++) {
		if (form_parse_section(ctx, i, json_array_get(sections,
		    i)) == -1)
			return (-1);
	}
	ctx->where[0] = '\0';

	return (0);
}

static int
form_parse_section(struct form_ctx *ctx, size_t i, json_t *o)
{
	struct form_section	*s = &ctx->f->sections[i];
	size_t			j;

	form_where_code(ctx, "sections", i, o, "id");
	if (!json_is_object(o))
		return (form_fail(ctx, "not a JSON object"));
	if (form_keys(ctx, o, form_section_keys) == -1)
		return (-1);
	if (form_str(ctx, o, "id", FORM_REQ | FORM_NONEMPTY, &s->id) == -1 ||
	    form_str(ctx, o, "title", FORM_REQ | FORM_NONEMPTY,
	    &s->title) == -1 ||
	    form_str(ctx, o, "who", FORM_REQ, &s->who) == -1 ||
	    form_str(ctx, o, "note", FORM_OPT, NULL) == -1 ||
	    form_enum(ctx, o, "applies", FORM_REQ, form_applies_names,
	    &s->applies) == -1 ||
	    form_bool(ctx, o, "stations", &s->stations) == -1)
		return (-1);

	for (j = 0; j < i; j++) {
		if (strcmp(ctx->f->sections[j].id, s->id) == 0)
			return (form_fail(ctx, "duplicate section id \"%s\"",
			    s->id));
	}

	if (!json_is_array(json_object_get(o, "items")))
		return (form_fail(ctx, "\"items\" must be an array (empty for "
		    "a heading)"));

	return (0);
}

/* Items of every section in one array, in the order of the outline. */
static int
form_parse_items(struct form_ctx *ctx, json_t *sections)
{
	struct form	*f = ctx->f;
	json_t		*items;
	size_t		i, j, n;
	int		idx;

	n = 0;
	for (i = 0; i < f->nsections; i++)
		n += json_array_size(json_object_get(json_array_get(sections,
		    i), "items"));
	if (n == 0)
		return (form_fail(ctx, "the form has no items"));
	if (n > INT32_MAX || (f->items = calloc(n, sizeof(*f->items))) ==
	    NULL)
		return (form_fail(ctx, "out of memory"));

	idx = 0;
	for (i = 0; i < f->nsections; i++) {
		items = json_object_get(json_array_get(sections, i), "items");
		for (j = 0; j < json_array_size(items); j++) {
			form_where(ctx, "sections[%zu].items[%zu]", i, j);
			if (form_parse_item(ctx, (int)i, idx,
			    json_array_get(items, j)) == -1)
				return (-1);
			idx++;
		}
	}
	ctx->where[0] = '\0';

	return (0);
}

static int
form_parse_item(struct form_ctx *ctx, int sec, int idx, json_t *o)
{
	struct form		*f = ctx->f;
	struct form_item	*it = &f->items[idx];
	int64_t			depth;
	int			applies;
	char			prefix[FORM_WHERE_MAX];

	/* Counted now, so that form_free sees what was filled in. */
	f->nitems = (size_t)idx + 1;
	it->num = -1;
	it->den = -1;
	it->section = sec;
	it->stations = f->sections[sec].stations;

	(void)snprintf(prefix, sizeof(prefix), "%s", ctx->where);
	if (json_is_object(o) &&
	    json_is_string(json_object_get(o, "code")))
		form_where(ctx, "%s (%s)", prefix,
		    json_string_value(json_object_get(o, "code")));
	if (!json_is_object(o))
		return (form_fail(ctx, "not a JSON object"));
	if (form_keys(ctx, o, form_item_keys) == -1)
		return (-1);
	if (form_code(ctx, o, "code", 1, &it->code) == -1)
		return (-1);
	if (form_code_taken(f, it->code))
		return (form_fail(ctx, "duplicate code \"%s\"", it->code));
	if (form_str(ctx, o, "label", FORM_REQ | FORM_NONEMPTY,
	    &it->label) == -1 ||
	    form_enum(ctx, o, "kind", FORM_REQ, form_kinds, &it->kind) == -1 ||
	    form_str(ctx, o, "note", FORM_OPT, NULL) == -1)
		return (-1);

	/* A text has no unit of measure; every number has one. */
	if (form_str(ctx, o, "unit", it->kind == FORM_TEXT ? FORM_OPT :
	    FORM_REQ | FORM_NONEMPTY, &it->unit) == -1)
		return (-1);

	if (form_int(ctx, o, "depth", FORM_OPT, 0, FORM_DEPTH_MAX,
	    &depth) == -1)
		return (-1);
	it->depth = (int)depth;

	applies = f->sections[sec].applies;
	if (form_enum(ctx, o, "applies", FORM_OPT, form_applies_names,
	    &applies) == -1)
		return (-1);
	it->applies = applies;

	if (form_only(ctx, o, form_item_only, it->kind) == -1)
		return (-1);

	return (form_parse_item_kind(ctx, it, o));
}

static int
form_parse_item_kind(struct form_ctx *ctx, struct form_item *it, json_t *o)
{
	int64_t		v;

	switch (it->kind) {
	case FORM_LEVEL:
		if (form_int(ctx, o, "min", FORM_REQ, -FORM_LEVEL_LIMIT,
		    FORM_LEVEL_LIMIT, &it->min) == -1 ||
		    form_int(ctx, o, "max", FORM_REQ, -FORM_LEVEL_LIMIT,
		    FORM_LEVEL_LIMIT, &it->max) == -1)
			return (-1);
		if (it->min > it->max)
			return (form_fail(ctx, "min %lld is greater than max "
			    "%lld", (long long)it->min, (long long)it->max));
		break;
	case FORM_TEXT:
		if (form_int(ctx, o, "maxlen", FORM_REQ, 1, FORM_MAXLEN_MAX,
		    &v) == -1)
			return (-1);
		it->maxlen = (size_t)v;
		break;
	case FORM_COUNT:
	case FORM_MONEY:
		it->min = 0;
		it->max = FORM_INT_MAX;
		it->over_time = FORM_OVER_SUM;
		if (form_enum(ctx, o, "over_time", FORM_OPT, form_over_names,
		    &it->over_time) == -1)
			return (-1);
		break;
	default:
		/* Derived: inputs are resolved once every code is known. */
		break;
	}

	return (0);
}

static int
form_parse_lists(struct form_ctx *ctx, json_t *lists)
{
	struct form	*f = ctx->f;
	size_t		i, n;

	if (lists == NULL)
		return (0);
	if (!json_is_array(lists))
		return (form_fail(ctx, "\"lists\" must be an array"));
	if ((n = json_array_size(lists)) == 0)
		return (0);
	if ((f->lists = calloc(n, sizeof(*f->lists))) == NULL)
		return (form_fail(ctx, "out of memory"));

	for (i = 0; i < n; i++) {
		f->nlists = i + 1;
		if (form_parse_list(ctx, i, json_array_get(lists, i)) == -1)
			return (-1);
	}
	ctx->where[0] = '\0';

	return (0);
}

static int
form_parse_list(struct form_ctx *ctx, size_t i, json_t *o)
{
	struct form_list	*l = &ctx->f->lists[i];
	json_t			*cols;
	const char		*sec;
	int64_t			v;
	size_t			j;
	char			prefix[FORM_WHERE_MAX];

	form_where_code(ctx, "lists", i, o, "code");
	if (!json_is_object(o))
		return (form_fail(ctx, "not a JSON object"));
	if (form_keys(ctx, o, form_list_keys) == -1)
		return (-1);
	if (form_code(ctx, o, "code", 1, &l->code) == -1)
		return (-1);
	/* Lists and items share one namespace (comments, check results). */
	if (form_code_taken(ctx->f, l->code))
		return (form_fail(ctx, "duplicate code \"%s\"", l->code));
	if (form_str(ctx, o, "label", FORM_REQ | FORM_NONEMPTY,
	    &l->label) == -1 ||
	    form_str(ctx, o, "unit", FORM_OPT, NULL) == -1 ||
	    form_str(ctx, o, "note", FORM_OPT, NULL) == -1 ||
	    form_enum(ctx, o, "applies", FORM_REQ, form_applies_names,
	    &l->applies) == -1 ||
	    form_int(ctx, o, "max_rows", FORM_REQ, 1, FORM_ROWS_MAX,
	    &v) == -1)
		return (-1);
	l->max_rows = (size_t)v;

	if ((sec = json_string_value(json_object_get(o, "section"))) == NULL)
		return (form_fail(ctx, "missing or non-string \"section\""));
	l->section = -1;
	for (j = 0; j < ctx->f->nsections; j++) {
		if (strcmp(ctx->f->sections[j].id, sec) == 0)
			l->section = (int)j;
	}
	if (l->section == -1)
		return (form_fail(ctx, "unknown section \"%s\"", sec));

	cols = json_object_get(o, "columns");
	if (!json_is_array(cols) || json_array_size(cols) == 0)
		return (form_fail(ctx, "\"columns\" must be a non-empty array"));
	if ((l->cols = calloc(json_array_size(cols), sizeof(*l->cols))) ==
	    NULL)
		return (form_fail(ctx, "out of memory"));

	(void)snprintf(prefix, sizeof(prefix), "%s", ctx->where);
	for (j = 0; j < json_array_size(cols); j++) {
		l->ncols = j + 1;
		form_where(ctx, "%s.columns[%zu]", prefix, j);
		if (form_parse_column(ctx, l, j, json_array_get(cols, j)) == -1)
			return (-1);
	}

	return (0);
}

static int
form_parse_column(struct form_ctx *ctx, struct form_list *l, size_t j,
    json_t *o)
{
	struct form_column	*c = &l->cols[j];
	int64_t			v;
	size_t			k;

	if (json_is_object(o) && json_is_string(json_object_get(o, "code")))
		(void)snprintf(ctx->where + strlen(ctx->where),
		    sizeof(ctx->where) - strlen(ctx->where), " (%s)",
		    json_string_value(json_object_get(o, "code")));
	if (!json_is_object(o))
		return (form_fail(ctx, "not a JSON object"));
	if (form_keys(ctx, o, form_column_keys) == -1)
		return (-1);
	/* Column codes are keys of one row: no dots needed. */
	if (form_code(ctx, o, "code", 0, &c->code) == -1)
		return (-1);
	for (k = 0; k < j; k++) {
		if (strcmp(l->cols[k].code, c->code) == 0)
			return (form_fail(ctx, "duplicate column \"%s\"",
			    c->code));
	}
	if (form_str(ctx, o, "label", FORM_REQ | FORM_NONEMPTY,
	    &c->label) == -1 ||
	    form_enum(ctx, o, "kind", FORM_REQ, form_col_kinds,
	    &c->kind) == -1 ||
	    form_bool(ctx, o, "required", &c->required) == -1 ||
	    form_only(ctx, o, form_column_only, c->kind) == -1)
		return (-1);

	switch (c->kind) {
	case FORM_COL_TEXT:
		if (form_int(ctx, o, "maxlen", FORM_REQ, 1, FORM_MAXLEN_MAX,
		    &v) == -1)
			return (-1);
		c->maxlen = (size_t)v;
		break;
	case FORM_COL_DOCNO:
		c->maxlen = FORM_DOCNO_MAX;
		break;
	case FORM_COL_DATE:
		c->maxlen = 10;
		break;
	case FORM_COL_CHOICE:
		return (form_parse_choices(ctx, c, json_object_get(o,
		    "choices")));
	default:
		break;
	}

	return (0);
}

static int
form_parse_choices(struct form_ctx *ctx, struct form_column *c, json_t *a)
{
	json_t		*o;
	size_t		i, k, n;
	char		prefix[FORM_WHERE_MAX];

	if (!json_is_array(a) || (n = json_array_size(a)) == 0)
		return (form_fail(ctx, "\"choices\" must be a non-empty array"));
	if ((c->choices = calloc(n, sizeof(*c->choices))) == NULL ||
	    (c->choice_labels = calloc(n, sizeof(*c->choice_labels))) ==
	    NULL)
		return (form_fail(ctx, "out of memory"));
	c->nchoices = n;

	(void)snprintf(prefix, sizeof(prefix), "%s", ctx->where);
	for (i = 0; i < n; i++) {
		o = json_array_get(a, i);
		form_where(ctx, "%s.choices[%zu]", prefix, i);
		if (!json_is_object(o))
			return (form_fail(ctx, "not a JSON object"));
		if (form_keys(ctx, o, form_choice_keys) == -1 ||
		    form_code(ctx, o, "code", 0, &c->choices[i]) == -1 ||
		    form_str(ctx, o, "label", FORM_REQ | FORM_NONEMPTY,
		    &c->choice_labels[i]) == -1)
			return (-1);
		for (k = 0; k < i; k++) {
			if (strcmp(c->choices[k], c->choices[i]) == 0)
				return (form_fail(ctx, "duplicate choice "
				    "\"%s\"", c->choices[i]));
		}
	}

	return (0);
}

/* Inputs of rates and sums, walking the sections as form_parse_items. */
static int
form_parse_derived(struct form_ctx *ctx, json_t *sections)
{
	json_t		*items, *o;
	size_t		i, j;
	int		idx;

	idx = 0;
	for (i = 0; i < ctx->f->nsections; i++) {
		items = json_object_get(json_array_get(sections, i), "items");
		for (j = 0; j < json_array_size(items); j++, idx++) {
			if (!form_derived(ctx->f->items[idx].kind))
				continue;
			o = json_array_get(items, j);
			form_where(ctx, "sections[%zu].items[%zu] (%s)", i, j,
			    ctx->f->items[idx].code);
			if (form_parse_inputs(ctx, idx, o) == -1)
				return (-1);
		}
	}
	ctx->where[0] = '\0';

	return (0);
}

static int
form_parse_inputs(struct form_ctx *ctx, int idx, json_t *o)
{
	struct form_item	*it = &ctx->f->items[idx];
	json_t			*a;
	size_t			i, k;

	if (it->kind == FORM_RATE) {
		if (form_parse_input(ctx, idx, json_object_get(o, "num"),
		    "num", &it->num) == -1 ||
		    form_parse_input(ctx, idx, json_object_get(o, "den"),
		    "den", &it->den) == -1)
			return (-1);
		if (it->num == it->den)
			return (form_fail(ctx, "\"num\" and \"den\" are the "
			    "same item"));
		return (0);
	}

	a = json_object_get(o, "sum");
	if (!json_is_array(a) || json_array_size(a) == 0)
		return (form_fail(ctx, "\"sum\" must be a non-empty array of "
		    "item codes"));
	if ((it->sum_of = calloc(json_array_size(a), sizeof(int))) == NULL)
		return (form_fail(ctx, "out of memory"));
	for (i = 0; i < json_array_size(a); i++) {
		if (form_parse_input(ctx, idx, json_array_get(a, i), "sum",
		    &it->sum_of[i]) == -1)
			return (-1);
		it->nsum = i + 1;
		for (k = 0; k < i; k++) {
			if (it->sum_of[k] == it->sum_of[i])
				return (form_fail(ctx, "\"%s\" is summed twice",
				    ctx->f->items[it->sum_of[i]].code));
		}
	}

	return (0);
}

/*
 * One input of a derived item.  A derived input must come earlier in the
 * outline: form_derive then needs a single pass, and no cycle can exist.
 */
static int
form_parse_input(struct form_ctx *ctx, int idx, json_t *v, const char *key,
    int *out)
{
	const struct form_item	*it = &ctx->f->items[idx];
	const struct form_item	*in;

	if (v == NULL)
		return (form_fail(ctx, "missing \"%s\"", key));
	if (form_ref(ctx, v, key, out) == -1)
		return (-1);
	in = &ctx->f->items[*out];

	if (*out == idx)
		return (form_fail(ctx, "\"%s\" refers to the item itself",
		    key));
	if (!form_numeric(in->kind))
		return (form_fail(ctx, "\"%s\": item \"%s\" is not numeric",
		    key, in->code));
	if (form_derived(in->kind) && *out > idx)
		return (form_fail(ctx, "\"%s\": derived item \"%s\" must "
		    "come before \"%s\"", key, in->code, it->code));
	if (it->stations && !in->stations)
		return (form_fail(ctx, "\"%s\": item \"%s\" is not kept per "
		    "station but \"%s\" is", key, in->code, it->code));

	return (0);
}

static int
form_parse_checks(struct form_ctx *ctx, json_t *checks)
{
	struct form	*f = ctx->f;
	size_t		i, n;

	if (checks == NULL)
		return (0);
	if (!json_is_array(checks))
		return (form_fail(ctx, "\"checks\" must be an array"));
	if ((n = json_array_size(checks)) == 0)
		return (0);
	if ((f->checks = calloc(n, sizeof(*f->checks))) == NULL)
		return (form_fail(ctx, "out of memory"));

	for (i = 0; i < n; i++) {
		f->nchecks = i + 1;
		f->checks[i].whole = -1;
		f->checks[i].list = -1;
		f->checks[i].column = -1;
		if (form_parse_check(ctx, i, json_array_get(checks, i)) == -1)
			return (-1);
	}
	ctx->where[0] = '\0';

	return (0);
}

static int
form_parse_check(struct form_ctx *ctx, size_t i, json_t *o)
{
	struct form_check	*c = &ctx->f->checks[i];
	size_t			j;

	form_where_code(ctx, "checks", i, o, "rule");
	if (!json_is_object(o))
		return (form_fail(ctx, "not a JSON object"));
	if (form_keys(ctx, o, form_check_keys) == -1)
		return (-1);
	if (form_code(ctx, o, "rule", 1, &c->rule) == -1)
		return (-1);
	for (j = 0; j < i; j++) {
		if (strcmp(ctx->f->checks[j].rule, c->rule) == 0)
			return (form_fail(ctx, "duplicate rule \"%s\"",
			    c->rule));
	}
	if (form_enum(ctx, o, "type", FORM_REQ, form_types, &c->type) == -1 ||
	    form_str(ctx, o, "message", FORM_REQ | FORM_NONEMPTY,
	    &c->message) == -1 ||
	    form_only(ctx, o, form_check_only, c->type) == -1)
		return (-1);

	/* Warnings are about the implausible: never an error. */
	c->severity = CHECK_ERROR;
	if (c->type == CHECK_DEVIATION || c->type == CHECK_RATE_JUMP)
		c->severity = CHECK_WARNING;
	if (form_enum(ctx, o, "severity", FORM_OPT, form_severities,
	    &c->severity) == -1)
		return (-1);
	if (c->severity != CHECK_WARNING && (c->type == CHECK_DEVIATION ||
	    c->type == CHECK_RATE_JUMP))
		return (form_fail(ctx, "deviation and rate_jump checks are "
		    "warnings: severity must be \"warning\""));

	return (form_parse_check_kind(ctx, c, o));
}

static int
form_parse_check_kind(struct form_ctx *ctx, struct form_check *c, json_t *o)
{
	switch (c->type) {
	case CHECK_PARTS_LE:
	case CHECK_PARTS_EQ:
		return (form_parse_parts(ctx, c, o));
	case CHECK_PATTERN:
	case CHECK_DATE_IN_PERIOD:
		return (form_parse_check_list(ctx, c, o));
	case CHECK_COMPLETE:
		return (form_parse_kinds(ctx, c, o));
	default:
		if (form_parse_check_items(ctx, c, o) == -1)
			return (-1);
		return (form_parse_check_numbers(ctx, c, o));
	}
}

static int
form_parse_parts(struct form_ctx *ctx, struct form_check *c, json_t *o)
{
	const struct form_item	*it;
	size_t			i;

	if (form_refs(ctx, json_object_get(o, "parts"), "parts", &c->items,
	    &c->nitems) == -1)
		return (-1);
	if (json_object_get(o, "whole") == NULL)
		return (form_fail(ctx, "missing \"whole\""));
	if (form_ref(ctx, json_object_get(o, "whole"), "whole",
	    &c->whole) == -1)
		return (-1);
	if (!form_numeric(ctx->f->items[c->whole].kind))
		return (form_fail(ctx, "\"whole\": item \"%s\" is not numeric",
		    ctx->f->items[c->whole].code));

	for (i = 0; i < c->nitems; i++) {
		it = &ctx->f->items[c->items[i]];
		if (!form_numeric(it->kind))
			return (form_fail(ctx, "\"parts\": item \"%s\" is not "
			    "numeric", it->code));
		if (c->items[i] == c->whole)
			return (form_fail(ctx, "\"%s\" is both a part and the "
			    "whole", it->code));
	}

	return (0);
}

static int
form_parse_check_items(struct form_ctx *ctx, struct form_check *c,
    json_t *o)
{
	size_t		i;

	if (form_refs(ctx, json_object_get(o, "items"), "items", &c->items,
	    &c->nitems) == -1)
		return (-1);
	for (i = 0; i < c->nitems; i++) {
		if (form_parse_check_item(ctx, c, c->items[i]) == -1)
			return (-1);
	}

	return (0);
}

/* What each type may look at. */
static int
form_parse_check_item(struct form_ctx *ctx, const struct form_check *c,
    int idx)
{
	const struct form_item	*it = &ctx->f->items[idx];

	switch (c->type) {
	case CHECK_STATIONS_SUM:
		if (!it->stations)
			return (form_fail(ctx, "item \"%s\" is not kept per "
			    "station (its section has no \"stations\": true)",
			    it->code));
		/* Rates and levels of stations do not add up. */
		if (it->kind != FORM_COUNT && it->kind != FORM_MONEY &&
		    it->kind != FORM_SUM)
			return (form_fail(ctx, "item \"%s\" is not a count, "
			    "money or sum item", it->code));
		break;
	case CHECK_DEVIATION:
		if (!form_numeric(it->kind))
			return (form_fail(ctx, "item \"%s\" is not numeric",
			    it->code));
		break;
	case CHECK_RATE_JUMP:
		if (it->kind != FORM_RATE)
			return (form_fail(ctx, "item \"%s\" is not a rate",
			    it->code));
		break;
	case CHECK_REQUIRED:
		if (form_derived(it->kind))
			return (form_fail(ctx, "item \"%s\" is derived: "
			    "nobody can fill it in", it->code));
		break;
	}

	return (0);
}

static int
form_parse_check_numbers(struct form_ctx *ctx, struct form_check *c,
    json_t *o)
{
	if (c->type == CHECK_DEVIATION) {
		if (form_num(ctx, o, "factor", &c->factor) == -1 ||
		    form_int(ctx, o, "min_delta", FORM_REQ, 0, FORM_DELTA_MAX,
		    &c->min_delta) == -1)
			return (-1);
		/* Within a factor of 1 every change would be a warning. */
		if (!(c->factor > 1.0))
			return (form_fail(ctx, "\"factor\" must be greater "
			    "than 1"));
	} else if (c->type == CHECK_RATE_JUMP) {
		if (form_num(ctx, o, "points", &c->points) == -1)
			return (-1);
		if (!(c->points > 0.0 && c->points <= 100.0))
			return (form_fail(ctx, "\"points\" must be above 0 "
			    "and at most 100"));
	}

	return (0);
}

static int
form_kind_named(const char *name)
{
	size_t		i;

	for (i = 0; form_kinds[i].name != NULL; i++) {
		if (strcmp(form_kinds[i].name, name) == 0)
			return (form_kinds[i].value);
	}

	return (0);
}

/*
 * The item kinds a "complete" check asks for: typed kinds only, each
 * once.  The items are the form's own, so a new item is covered without
 * editing the check.
 */
static int
form_parse_kinds(struct form_ctx *ctx, struct form_check *c, json_t *o)
{
	json_t		*a, *v;
	size_t		i;
	int		kind;

	a = json_object_get(o, "kinds");
	if (!json_is_array(a) || json_array_size(a) == 0)
		return (form_fail(ctx, "\"kinds\" must be a non-empty array "
		    "of item kinds"));
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return (form_fail(ctx, "\"kinds\" must hold item "
			    "kinds (strings)"));
		if ((kind = form_kind_named(json_string_value(v))) == 0)
			return (form_fail(ctx, "\"kinds\": unknown item kind "
			    "\"%s\"", json_string_value(v)));
		if (form_derived(kind))
			return (form_fail(ctx, "\"kinds\": \"%s\" items are "
			    "derived: nobody can fill them in",
			    json_string_value(v)));
		if (c->kinds & (1U << kind))
			return (form_fail(ctx, "\"kinds\": \"%s\" is listed "
			    "twice", json_string_value(v)));
		c->kinds |= 1U << kind;
	}

	return (0);
}

static int
form_parse_check_list(struct form_ctx *ctx, struct form_check *c, json_t *o)
{
	const struct form_list	*l;
	const char		*s;
	size_t			j;

	if ((s = json_string_value(json_object_get(o, "list"))) == NULL)
		return (form_fail(ctx, "missing or non-string \"list\""));
	if ((c->list = form_list_index(ctx->f, s)) == -1)
		return (form_fail(ctx, "unknown list \"%s\"", s));
	l = &ctx->f->lists[c->list];

	if ((s = json_string_value(json_object_get(o, "column"))) == NULL)
		return (form_fail(ctx, "missing or non-string \"column\""));
	for (j = 0; j < l->ncols; j++) {
		if (strcmp(l->cols[j].code, s) == 0)
			c->column = (int)j;
	}
	if (c->column == -1)
		return (form_fail(ctx, "unknown column \"%s\" of list \"%s\"",
		    s, l->code));

	if (c->type == CHECK_DATE_IN_PERIOD) {
		if (l->cols[c->column].kind != FORM_COL_DATE)
			return (form_fail(ctx, "column \"%s\" is not a date",
			    s));
		return (0);
	}
	if (l->cols[c->column].kind == FORM_COL_COUNT)
		return (form_fail(ctx, "column \"%s\" is a number, not text",
		    s));

	return (form_parse_pattern(ctx, c, o));
}

/* UTF-8 for "Đ"; no JIT: the server's sandbox refuses it. */
static int
form_parse_pattern(struct form_ctx *ctx, struct form_check *c, json_t *o)
{
	json_t		*v;
	PCRE2_UCHAR	msg[FORM_MSG_MAX];
	PCRE2_SIZE	off;
	int		code;

	v = json_object_get(o, "pattern");
	if (!json_is_string(v) || json_string_length(v) == 0)
		return (form_fail(ctx, "\"pattern\" must be a non-empty "
		    "string"));

	c->re = pcre2_compile((PCRE2_SPTR)json_string_value(v),
	    json_string_length(v), PCRE2_UTF, &code, &off, NULL);
	if (c->re == NULL) {
		if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
			(void)snprintf((char *)msg, sizeof(msg), "error %d",
			    code);
		return (form_fail(ctx, "pattern does not compile at offset "
		    "%zu: %s", (size_t)off, (char *)msg));
	}

	return (0);
}

/* A non-empty array of distinct item codes. */
static int
form_refs(struct form_ctx *ctx, json_t *a, const char *key, int **out,
    size_t *n)
{
	size_t		i, k;

	if (!json_is_array(a) || json_array_size(a) == 0)
		return (form_fail(ctx, "\"%s\" must be a non-empty array of "
		    "item codes", key));
	if ((*out = calloc(json_array_size(a), sizeof(int))) == NULL)
		return (form_fail(ctx, "out of memory"));

	for (i = 0; i < json_array_size(a); i++) {
		if (form_ref(ctx, json_array_get(a, i), key, &(*out)[i]) == -1)
			return (-1);
		*n = i + 1;
		for (k = 0; k < i; k++) {
			if ((*out)[k] == (*out)[i])
				return (form_fail(ctx, "\"%s\": item \"%s\" "
				    "is listed twice", key,
				    ctx->f->items[(*out)[i]].code));
		}
	}

	return (0);
}

static int
form_ref(struct form_ctx *ctx, json_t *v, const char *key, int *out)
{
	const char	*s;

	if ((s = json_string_value(v)) == NULL)
		return (form_fail(ctx, "\"%s\" must hold item codes (strings)",
		    key));
	if ((*out = form_item_index(ctx->f, s)) == -1)
		return (form_fail(ctx, "unknown item \"%s\"", s));

	return (0);
}

/* Always -1, so that callers may return it. */
static int
form_fail(struct form_ctx *ctx, const char *fmt, ...)
{
	va_list		ap;
	char		msg[FORM_MSG_MAX];

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (ctx->err == NULL || ctx->errlen == 0)
		return (-1);
	if (ctx->where[0] != '\0')
		(void)snprintf(ctx->err, ctx->errlen, "%s: %s", ctx->where,
		    msg);
	else
		(void)snprintf(ctx->err, ctx->errlen, "%s", msg);

	return (-1);
}

static void
form_where(struct form_ctx *ctx, const char *fmt, ...)
{
	va_list		ap;

	va_start(ap, fmt);
	(void)vsnprintf(ctx->where, sizeof(ctx->where), fmt, ap);
	va_end(ap);
}

/* "checks[3] (erx.linked_le_total)", or "checks[3]" before a code. */
static void
form_where_code(struct form_ctx *ctx, const char *array, size_t i,
    json_t *o, const char *key)
{
	const char	*code;

	code = json_string_value(json_object_get(o, key));
	if (code != NULL)
		form_where(ctx, "%s[%zu] (%s)", array, i, code);
	else
		form_where(ctx, "%s[%zu]", array, i);
}

/* Unknown keys are refused: a misspelt "maxlen" must not pass unseen. */
static int
form_keys(struct form_ctx *ctx, json_t *o, const char **allowed)
{
	const char	*key;
	json_t		*v;
	size_t		i;

	json_object_foreach(o, key, v) {
		for (i = 0; allowed[i] != NULL; i++) {
			if (strcmp(allowed[i], key) == 0)
				break;
		}
		if (allowed[i] == NULL)
			return (form_fail(ctx, "unknown key \"%s\"", key));
	}

	return (0);
}

static int
form_only(struct form_ctx *ctx, json_t *o, const struct form_only *only,
    int kind)
{
	size_t		i;

	for (i = 0; only[i].key != NULL; i++) {
		if (json_object_get(o, only[i].key) != NULL &&
		    (only[i].mask & (1U << kind)) == 0)
			return (form_fail(ctx, "\"%s\" is only for %s",
			    only[i].key, only[i].what));
	}

	return (0);
}

/* A string; out (if not NULL) gets a copy, "" when optional and absent. */
static int
form_str(struct form_ctx *ctx, json_t *o, const char *key, int flags,
    char **out)
{
	json_t		*v;
	const char	*s;

	v = json_object_get(o, key);
	if (v == NULL && (flags & FORM_REQ))
		return (form_fail(ctx, "missing \"%s\"", key));
	if (v != NULL && !json_is_string(v))
		return (form_fail(ctx, "\"%s\" must be a string", key));
	s = v != NULL ? json_string_value(v) : "";
	if ((flags & FORM_NONEMPTY) && s[0] == '\0')
		return (form_fail(ctx, "\"%s\" must not be empty", key));
	/* The struct holds C strings: "\u0000" would cut them short. */
	if (v != NULL && strlen(s) != json_string_length(v))
		return (form_fail(ctx, "\"%s\" contains a NUL character", key));

	if (out != NULL && (*out = strdup(s)) == NULL)
		return (form_fail(ctx, "out of memory"));

	return (0);
}

/* A JSON integer within [lo, hi]; 0 when optional and absent. */
static int
form_int(struct form_ctx *ctx, json_t *o, const char *key, int flags,
    int64_t lo, int64_t hi, int64_t *out)
{
	json_t		*v;

	*out = 0;
	if ((v = json_object_get(o, key)) == NULL) {
		if (flags & FORM_REQ)
			return (form_fail(ctx, "missing \"%s\"", key));
		return (0);
	}
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi)
		return (form_fail(ctx, "\"%s\" must be a whole number from "
		    "%lld to %lld", key, (long long)lo, (long long)hi));
	*out = (int64_t)json_integer_value(v);

	return (0);
}

static int
form_num(struct form_ctx *ctx, json_t *o, const char *key, double *out)
{
	json_t		*v;

	if ((v = json_object_get(o, key)) == NULL)
		return (form_fail(ctx, "missing \"%s\"", key));
	if (!json_is_number(v))
		return (form_fail(ctx, "\"%s\" must be a number", key));
	*out = json_number_value(v);

	return (0);
}

/* Optional; false when absent. */
static int
form_bool(struct form_ctx *ctx, json_t *o, const char *key, int *out)
{
	json_t		*v;

	*out = 0;
	if ((v = json_object_get(o, key)) == NULL)
		return (0);
	if (!json_is_boolean(v))
		return (form_fail(ctx, "\"%s\" must be true or false", key));
	*out = json_is_true(v);

	return (0);
}

/* One of the names; *out is left alone when optional and absent. */
static int
form_enum(struct form_ctx *ctx, json_t *o, const char *key, int flags,
    const struct form_name *names, int *out)
{
	json_t		*v;
	const char	*s;
	char		known[FORM_MSG_MAX];
	size_t		i, len;

	if ((v = json_object_get(o, key)) == NULL) {
		if (flags & FORM_REQ)
			return (form_fail(ctx, "missing \"%s\"", key));
		return (0);
	}
	if ((s = json_string_value(v)) == NULL)
		return (form_fail(ctx, "\"%s\" must be a string", key));

	known[0] = '\0';
	for (i = 0; names[i].name != NULL; i++) {
		if (strcmp(names[i].name, s) == 0) {
			*out = names[i].value;
			return (0);
		}
		len = strlen(known);
		(void)snprintf(known + len, sizeof(known) - len, "%s%s",
		    i > 0 ? ", " : "", names[i].name);
	}

	return (form_fail(ctx, "unknown %s \"%s\" (one of %s)", key, s, known));
}

/* A code: lower case, digits, "_", and with dots when allowed. */
static int
form_code(struct form_ctx *ctx, json_t *o, const char *key, int dots,
    char **out)
{
	const char	*s;

	if (json_object_get(o, key) == NULL)
		return (form_fail(ctx, "missing \"%s\"", key));
	if ((s = json_string_value(json_object_get(o, key))) == NULL)
		return (form_fail(ctx, "\"%s\" must be a string", key));
	if (!form_code_valid(s, dots))
		return (form_fail(ctx, "bad %s \"%s\" (%s, at most 64 "
		    "characters)", key, s, dots ?
		    "^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*$" : "^[a-z][a-z0-9_]*$"));
	if ((*out = strdup(s)) == NULL)
		return (form_fail(ctx, "out of memory"));

	return (0);
}

/* ^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$, by hand: no regex for a few bytes. */
static int
form_code_valid(const char *s, int dots)
{
	size_t		i;

	if (!(s[0] >= 'a' && s[0] <= 'z') || strlen(s) > 64)
		return (0);
	for (i = 1; s[i] != '\0'; i++) {
		if ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_')
			continue;
		if (s[i] == '.' && dots && s[i + 1] != '\0' &&
		    s[i + 1] != '.')
			continue;
		return (0);
	}

	return (1);
}

/* Items and lists filled in so far; the slot being filled has no code. */
static int
form_code_taken(const struct form *f, const char *code)
{
	size_t		i, n;

	n = 0;
	for (i = 0; i < f->nitems; i++) {
		if (f->items[i].code != NULL &&
		    strcmp(f->items[i].code, code) == 0)
			n++;
	}
	for (i = 0; i < f->nlists; i++) {
		if (f->lists[i].code != NULL &&
		    strcmp(f->lists[i].code, code) == 0)
			n++;
	}

	/* The caller's own slot already holds the code. */
	return (n > 1);
}

static int
form_numeric(int kind)
{
	return (kind == FORM_COUNT || kind == FORM_MONEY ||
	    kind == FORM_LEVEL || kind == FORM_RATE || kind == FORM_SUM);
}

static int
form_derived(int kind)
{
	return (kind == FORM_RATE || kind == FORM_SUM);
}

/*
 * Validation of a report body.  Every problem is collected, so that the
 * focal point sees all of them at once; check.c judges the content.
 * null always means "empty" and is accepted for any known item.  The
 * shape comes first: values of a body of the wrong shape are not read.
 */
int
form_validate(const struct form *f, const struct form_unit *u, json_t *body,
    json_t **details)
{
	struct form_vctx	v;
	int			rc;

	if (details != NULL)
		*details = NULL;
	if ((v.details = json_array()) == NULL)
		return (FORM_BAD_VALUE);
	v.f = f;
	v.u = u;

	form_v_shape(&v, body);
	if (json_array_size(v.details) > 0) {
		rc = FORM_BAD_SHAPE;
	} else if (f == NULL || u == NULL) {
		(void)form_detail(&v, "part", "", FORM_MSG_BODY);
		rc = FORM_BAD_VALUE;
	} else {
		/* Other keys of the body (its version) are not ours. */
		form_v_values(&v, json_object_get(body, "values"));
		form_v_stations(&v, json_object_get(body, "stations"));
		form_v_lists(&v, json_object_get(body, "lists"));
		form_v_comments(&v, json_object_get(body, "comments"));
		rc = json_array_size(v.details) > 0 ? FORM_BAD_VALUE : 0;
	}

	if (rc == 0) {
		json_decref(v.details);
		return (0);
	}
	if (details != NULL)
		*details = v.details;
	else
		json_decref(v.details);

	return (rc);
}

int
form_shape(json_t *body, json_t **details)
{
	struct form_vctx	v;

	if (details != NULL)
		*details = NULL;
	if ((v.details = json_array()) == NULL)
		return (FORM_BAD_SHAPE);
	v.f = NULL;
	v.u = NULL;

	form_v_shape(&v, body);
	if (json_array_size(v.details) == 0) {
		json_decref(v.details);
		return (0);
	}
	if (details != NULL)
		*details = v.details;
	else
		json_decref(v.details);

	return (FORM_BAD_SHAPE);
}

/*
 * The containers of a body, whatever the form: the body and each part
 * it carries are objects, a station's row is an object, a list is an
 * array (or null) of objects.  What is inside them is form_v_*'s.
 */
static void
form_v_shape(struct form_vctx *v, json_t *body)
{
	const char	*code;
	json_t		*o, *rows, *row;
	size_t		r;

	if (!json_is_object(body)) {
		(void)form_detail(v, "part", "", FORM_MSG_BODY);
		return;
	}
	(void)form_v_part(v, json_object_get(body, "values"), "values");
	(void)form_v_part(v, json_object_get(body, "comments"), "comments");

	o = json_object_get(body, "stations");
	if (form_v_part(v, o, "stations")) {
		json_object_foreach(o, code, row) {
			if (!json_is_object(row))
				(void)form_detail(v, "station", code,
				    FORM_MSG_STATION_ROW);
		}
	}

	o = json_object_get(body, "lists");
	if (!form_v_part(v, o, "lists"))
		return;
	json_object_foreach(o, code, rows) {
		if (json_is_null(rows))
			continue;
		if (!json_is_array(rows)) {
			(void)form_detail(v, "list", code, FORM_MSG_LIST_ARRAY);
			continue;
		}
		json_array_foreach(rows, r, row) {
			/* Rows count from 1, as check.c and the page do. */
			if (!json_is_object(row))
				form_detail_cell(v, code, r + 1, NULL,
				    FORM_MSG_ROW);
		}
	}
}

/* 1 when the part is there and an object, 0 when absent or refused. */
static int
form_v_part(struct form_vctx *v, json_t *part, const char *name)
{
	char		msg[FORM_MSG_MAX];

	if (part == NULL)
		return (0);
	if (json_is_object(part))
		return (1);
	(void)snprintf(msg, sizeof(msg), FORM_MSG_PART, name);
	(void)form_detail(v, "part", name, msg);

	return (0);
}

static void
form_v_values(struct form_vctx *v, json_t *values)
{
	const char	*code;
	json_t		*val;
	int		i;

	/* Absent, or of the wrong shape and refused by form_v_shape. */
	if (!json_is_object(values))
		return;

	json_object_foreach(values, code, val) {
		if ((i = form_item_index(v->f, code)) == -1)
			(void)form_detail(v, "item", code, FORM_MSG_UNKNOWN);
		else
			form_v_item(v, NULL, i, val);
	}
}

static void
form_v_stations(struct form_vctx *v, json_t *stations)
{
	const char	*code;
	json_t		*row;

	if (!json_is_object(stations))
		return;

	json_object_foreach(stations, code, row) {
		if (v->u->nstations == 0)
			(void)form_detail(v, "station", code,
			    FORM_MSG_NO_STATIONS);
		else if (!form_has_station(v->u, code))
			(void)form_detail(v, "station", code,
			    FORM_MSG_BAD_STATION);
		else
			form_v_station(v, code, row);
	}
}

static void
form_v_station(struct form_vctx *v, const char *station, json_t *row)
{
	const char	*code;
	json_t		*val, *d;
	int		i;

	json_object_foreach(row, code, val) {
		if ((i = form_item_index(v->f, code)) != -1) {
			form_v_item(v, station, i, val);
			continue;
		}
		if ((d = form_detail(v, "station", station,
		    FORM_MSG_UNKNOWN)) != NULL)
			json_object_set_new(d, "item", json_string(code));
	}
}

/* One value of the unit (station NULL) or of one of its stations. */
static void
form_v_item(struct form_vctx *v, const char *station, int i, json_t *val)
{
	const struct form_item	*it = &v->f->items[i];
	const char		*p;
	json_t			*d;
	char			buf[FORM_MSG_MAX];

	if (json_is_null(val))
		return;

	if (station != NULL && !it->stations)
		p = FORM_MSG_NOT_STATION;
	else if (form_derived(it->kind))
		p = FORM_MSG_DERIVED;
	else if (!form_item_applies(v->f, i, v->u))
		p = FORM_MSG_NOT_APPLY;
	else
		p = form_value_problem(it, val, buf, sizeof(buf));
	if (p == NULL)
		return;

	if (station == NULL) {
		(void)form_detail(v, "item", it->code, p);
		return;
	}
	if ((d = form_detail(v, "station", station, p)) != NULL)
		json_object_set_new(d, "item", json_string(it->code));
}

static void
form_v_lists(struct form_vctx *v, json_t *lists)
{
	const char	*code;
	json_t		*rows;
	int		i;

	if (!json_is_object(lists))
		return;

	json_object_foreach(lists, code, rows) {
		if ((i = form_list_index(v->f, code)) == -1)
			(void)form_detail(v, "list", code,
			    FORM_MSG_LIST_UNKNOWN);
		else
			form_v_list(v, code, i, rows);
	}
}

static void
form_v_list(struct form_vctx *v, const char *code, int i, json_t *rows)
{
	const struct form_list	*l = &v->f->lists[i];
	size_t			r, n;
	char			msg[FORM_MSG_MAX];

	/* An empty list is as good as none, whoever sends it. */
	if (json_is_null(rows) || (json_is_array(rows) &&
	    json_array_size(rows) == 0))
		return;
	if (!form_list_applies(v->f, i, v->u)) {
		(void)form_detail(v, "list", code, FORM_MSG_LIST_NOT_APPLY);
		return;
	}

	n = json_array_size(rows);
	if (n > l->max_rows) {
		(void)snprintf(msg, sizeof(msg), FORM_MSG_LIST_ROWS, n,
		    l->max_rows);
		(void)form_detail(v, "list", code, msg);
		return;
	}
	for (r = 0; r < n; r++)
		form_v_row(v, l, r + 1, json_array_get(rows, r));
}

/* row counts from 1, as check.c and the page do. */
static void
form_v_row(struct form_vctx *v, const struct form_list *l, size_t row,
    json_t *o)
{
	const char	*key;
	json_t		*cell;
	size_t		c;

	json_object_foreach(o, key, cell) {
		for (c = 0; c < l->ncols; c++) {
			if (strcmp(l->cols[c].code, key) == 0)
				break;
		}
		if (c == l->ncols)
			form_detail_cell(v, l->code, row, key,
			    FORM_MSG_COL_UNKNOWN);
	}
	for (c = 0; c < l->ncols; c++)
		form_v_cell(v, l, row, &l->cols[c], json_object_get(o,
		    l->cols[c].code));
}

static void
form_v_cell(struct form_vctx *v, const struct form_list *l, size_t row,
    const struct form_column *col, json_t *cell)
{
	const char	*p, *s;
	char		buf[FORM_MSG_MAX];
	size_t		n;
	int		empty;

	/* Absent, null or blank text: nothing typed in the cell. */
	s = json_string_value(cell);
	empty = cell == NULL || json_is_null(cell) ||
	    (s != NULL && col->kind != FORM_COL_COUNT && form_blank(s));
	if (empty) {
		if (!col->required)
			return;
		(void)snprintf(buf, sizeof(buf), FORM_MSG_COL_REQUIRED,
		    col->label);
		form_detail_cell(v, l->code, row, col->code, buf);
		return;
	}

	p = NULL;
	switch (col->kind) {
	case FORM_COL_COUNT:
		p = form_int_problem(cell, 0, FORM_INT_MAX);
		break;
	case FORM_COL_DATE:
		if (s == NULL || !form_date_valid(s))
			p = FORM_MSG_DATE;
		break;
	case FORM_COL_DOCNO:
		/* Only the shape here: the pattern is a check of its own. */
		p = form_text_problem(cell, SIZE_MAX, buf, sizeof(buf));
		if (p == NULL && form_text_scan(s, json_string_length(cell),
		    &n) == 0 && n > FORM_DOCNO_MAX) {
			(void)snprintf(buf, sizeof(buf), FORM_MSG_DOCNO_LONG,
			    FORM_DOCNO_MAX);
			p = buf;
		}
		break;
	case FORM_COL_CHOICE:
		p = form_choice_problem(col, cell, buf, sizeof(buf));
		break;
	default:
		p = form_text_problem(cell, col->maxlen, buf, sizeof(buf));
		break;
	}
	if (p != NULL)
		form_detail_cell(v, l->code, row, col->code, p);
}

/* Comments answer warnings: on any item (rates too) or list. */
static void
form_v_comments(struct form_vctx *v, json_t *comments)
{
	const char	*code, *p;
	json_t		*val;
	int		i, l, applies;
	char		buf[FORM_MSG_MAX];

	if (!json_is_object(comments))
		return;

	json_object_foreach(comments, code, val) {
		i = form_item_index(v->f, code);
		l = form_list_index(v->f, code);
		if (i == -1 && l == -1) {
			(void)form_detail(v, "item", code, FORM_MSG_UNKNOWN);
			continue;
		}
		if (json_is_null(val))
			continue;
		applies = i != -1 ? form_item_applies(v->f, i, v->u) :
		    form_list_applies(v->f, l, v->u);
		if (!applies)
			p = FORM_MSG_NOT_APPLY;
		else if (!json_is_string(val))
			p = FORM_MSG_COMMENT_TEXT;
		else
			p = form_text_problem(val, FORM_COMMENT_MAX, buf,
			    sizeof(buf));
		if (p != NULL)
			(void)form_detail(v, "item", code, p);
	}
}

static const char *
form_value_problem(const struct form_item *it, json_t *v, char *buf,
    size_t len)
{
	const char	*p;

	switch (it->kind) {
	case FORM_COUNT:
	case FORM_MONEY:
		return (form_int_problem(v, 0, FORM_INT_MAX));
	case FORM_LEVEL:
		if ((p = form_int_problem(v, INT64_MIN, INT64_MAX)) != NULL)
			return (p);
		if (json_integer_value(v) < it->min ||
		    json_integer_value(v) > it->max) {
			(void)snprintf(buf, len, FORM_MSG_LEVEL,
			    (long long)it->min, (long long)it->max);
			return (buf);
		}
		return (NULL);
	case FORM_TEXT:
		return (form_text_problem(v, it->maxlen, buf, len));
	default:
		return (FORM_MSG_DERIVED);
	}
}

/* JSON integers only: 1.5, 1.0, true and "12" are all refused. */
static const char *
form_int_problem(json_t *v, int64_t lo, int64_t hi)
{
	if (json_is_real(v))
		return (FORM_MSG_REAL);
	if (!json_is_integer(v))
		return (FORM_MSG_NOT_INT);
	if (json_integer_value(v) < lo)
		return (FORM_MSG_NEGATIVE);
	if (json_integer_value(v) > hi)
		return (FORM_MSG_TOO_BIG);

	return (NULL);
}

static const char *
form_text_problem(json_t *v, size_t maxlen, char *buf, size_t len)
{
	size_t		n;

	if (!json_is_string(v))
		return (FORM_MSG_NOT_TEXT);
	if (form_text_scan(json_string_value(v), json_string_length(v),
	    &n) == -1)
		return (FORM_MSG_CONTROL);
	if (n > maxlen) {
		(void)snprintf(buf, len, FORM_MSG_TOO_LONG, n, maxlen);
		return (buf);
	}

	return (NULL);
}

static const char *
form_choice_problem(const struct form_column *col, json_t *v, char *buf,
    size_t len)
{
	const char	*s;
	size_t		i, n;

	if ((s = json_string_value(v)) != NULL) {
		for (i = 0; i < col->nchoices; i++) {
			if (strcmp(col->choices[i], s) == 0)
				return (NULL);
		}
	}

	(void)snprintf(buf, len, FORM_MSG_CHOICE, "");
	n = strlen(buf) - 1;	/* before the final "." */
	for (i = 0; i < col->nchoices && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s",
		    i > 0 ? ", " : "", col->choice_labels[i]);
	if (n < len)
		(void)snprintf(buf + n, len - n, ".");

	return (buf);
}

/*
 * Characters (code points) in valid UTF-8, which jansson guarantees; -1
 * on a control character other than newline and tab: C0, DEL and C1.
 */
static int
form_text_scan(const char *s, size_t len, size_t *nchars)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			i;

	*nchars = 0;
	for (i = 0; i < len; i++) {
		if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\t')
			return (-1);
		if (p[i] == 0x7f)
			return (-1);
		if (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f)
			return (-1);
		if ((p[i] & 0xc0) != 0x80)
			(*nchars)++;
	}

	return (0);
}

/* Only white space, the no-break space Word pastes included. */
int
form_blank(const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
			continue;
		if (p[0] == 0xc2 && p[1] == 0xa0) {
			p++;
			continue;
		}
		return (0);
	}

	return (1);
}

const char *
form_own_row(const struct form_unit *u)
{
	if (u == NULL || u->nstations == 0 || u->code == NULL)
		return (NULL);

	return (u->code);
}

/* One of the unit's stations, or the unit's own row beside them. */
static int
form_has_station(const struct form_unit *u, const char *code)
{
	const char	*own;
	size_t		i;

	if ((own = form_own_row(u)) != NULL && strcmp(own, code) == 0)
		return (1);

	for (i = 0; i < u->nstations; i++) {
		if (u->stations[i] != NULL && strcmp(u->stations[i], code) == 0)
			return (1);
	}

	return (0);
}

/* {key: code, "message": msg} appended; returned borrowed, or NULL. */
static json_t *
form_detail(struct form_vctx *v, const char *key, const char *code,
    const char *msg)
{
	json_t		*d;

	if ((d = json_pack("{s:s, s:s}", key, code, "message", msg)) == NULL)
		return (NULL);
	if (json_array_append_new(v->details, d) == -1)
		return (NULL);

	return (d);
}

static void
form_detail_cell(struct form_vctx *v, const char *list, size_t row,
    const char *column, const char *msg)
{
	json_t		*d;

	if ((d = form_detail(v, "list", list, msg)) == NULL)
		return;
	json_object_set_new(d, "row", json_integer((json_int_t)row));
	if (column != NULL)
		json_object_set_new(d, "column", json_string(column));
}

/*
 * Derived values.  Stale ones go first: a rate whose denominator became
 * 0 must disappear, not keep last month's figure.
 */
void
form_derive(const struct form *f, json_t *values, json_t *stations)
{
	const char	*code;
	json_t		*row;

	if (f == NULL)
		return;
	if (json_is_object(values))
		form_derive_row(f, values, 0);
	if (!json_is_object(stations))
		return;
	json_object_foreach(stations, code, row) {
		if (json_is_object(row))
			form_derive_row(f, row, 1);
	}
}

static void
form_derive_row(const struct form *f, json_t *row, int station)
{
	const struct form_item	*it;
	json_t			*v;
	size_t			i;

	for (i = 0; i < f->nitems; i++) {
		if (form_derived(f->items[i].kind))
			(void)json_object_del(row, f->items[i].code);
	}

	/* Derived inputs come first in the outline: one pass suffices. */
	for (i = 0; i < f->nitems; i++) {
		it = &f->items[i];
		if (!form_derived(it->kind) || (station && !it->stations))
			continue;
		if (it->kind == FORM_RATE)
			v = form_derive_rate(f, row, it);
		else
			v = form_derive_sum(f, row, it);
		if (v != NULL)
			(void)json_object_set_new(row, it->code, v);
	}
}

static json_t *
form_derive_rate(const struct form *f, json_t *row,
    const struct form_item *it)
{
	json_t		*num, *den;
	double		d;

	num = json_object_get(row, f->items[it->num].code);
	den = json_object_get(row, f->items[it->den].code);
	if (!json_is_number(num) || !json_is_number(den))
		return (NULL);
	if ((d = json_number_value(den)) == 0.0)
		return (NULL);

	return (json_real(form_round1(1000.0 * json_number_value(num) / d)));
}

/* Missing inputs count as 0, unless all are missing. */
static json_t *
form_derive_sum(const struct form *f, json_t *row, const struct form_item *it)
{
	json_t		*v;
	double		dsum;
	int64_t		isum, x;
	size_t		i;
	int		any, real;

	any = real = 0;
	isum = 0;
	dsum = 0.0;
	for (i = 0; i < it->nsum; i++) {
		v = json_object_get(row, f->items[it->sum_of[i]].code);
		if (!json_is_number(v))
			continue;
		any = 1;
		dsum += json_number_value(v);
		if (json_is_real(v)) {
			real = 1;
			continue;
		}
		x = (int64_t)json_integer_value(v);
		if ((x > 0 && isum > INT64_MAX - x) ||
		    (x < 0 && isum < INT64_MIN - x))
			real = 1;
		else
			isum += x;
	}

	if (!any)
		return (NULL);
	if (real)
		return (json_real(dsum));

	return (json_integer((json_int_t)isum));
}

/*
 * t is ten times the rate: round half away from zero to a whole number,
 * then back to one decimal.  By hand, so the core needs no libm; beyond
 * 2^52 a double has no fraction left to round.
 */
static double
form_round1(double t)
{
	if (t >= 4503599627370496.0 || t <= -4503599627370496.0)
		return (t / 10.0);
	if (t >= 0)
		return ((double)(int64_t)(t + 0.5) / 10.0);

	return ((double)(int64_t)(t - 0.5) / 10.0);
}

/* One item over the months' objects (values or one station's rows). */
static void
form_aggregate_item(const struct form_item *it, json_t *months,
    const char *station, json_t *out)
{
	json_t		*src, *v;
	size_t		i;
	int64_t		sum;
	int		seen;

	sum = 0;
	seen = 0;
	for (i = 0; i < json_array_size(months); i++) {
		src = json_object_get(json_array_get(months, i),
		    station ? "stations" : "values");
		if (station != NULL)
			src = json_object_get(src, station);
		if ((v = json_object_get(src, it->code)) == NULL ||
		    !json_is_integer(v))
			continue;
		if (it->over_time == FORM_OVER_LAST)
			sum = json_integer_value(v);
		else if (sum > FORM_INT_MAX - json_integer_value(v))
			sum = FORM_INT_MAX;
		else
			sum += json_integer_value(v);
		seen = 1;
	}
	if (seen)
		json_object_set_new(out, it->code, json_integer(sum));
}

json_t *
form_aggregate(const struct form *f, json_t *months)
{
	json_t		*values, *stations, *row, *m;
	const char	*code;
	size_t		i, j;

	values = json_object();
	stations = json_object();

	/* Every station any month has a row for. */
	json_array_foreach(months, j, m) {
		json_object_foreach(json_object_get(m, "stations"), code, row) {
			if (json_object_get(stations, code) == NULL)
				json_object_set_new(stations, code,
				    json_object());
		}
	}

	for (i = 0; i < f->nitems; i++) {
		if (f->items[i].kind != FORM_COUNT &&
		    f->items[i].kind != FORM_MONEY)
			continue;
		form_aggregate_item(&f->items[i], months, NULL, values);
		if (!f->items[i].stations)
			continue;
		json_object_foreach(stations, code, row)
			form_aggregate_item(&f->items[i], months, code, row);
	}

	return (json_pack("{s:o, s:o}", "values", values, "stations",
	    stations));
}
