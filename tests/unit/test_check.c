/*
 * Unit tests for the check engine (modules/check.c).
 *
 * Most tests load a small form of their own (form_load_json) holding
 * only the checks under test, so that a result can only come from them.
 * JSON is written with ' for " to stay readable; no text here needs an
 * apostrophe.  The last tests run the real forms/PL1.json and PL2.json,
 * read from the project root like the other unit tests' data.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "check.h"
#include "form.h"

#define TEST_FORMS_DIR	"forms"
#define TEST_VECTORS	"tests/data/check_vectors.json"

/* Items of every kind the checks look at, in five sections. */
#define T_SECTIONS							\
	"[{'id': '1', 'title': 'Một', 'who': '', 'applies': 'all', "	\
	"  'items': ["							\
	"  {'code': 'erx.total', 'label': 'Số đơn thuốc', "		\
	"   'unit': 'Đơn', 'kind': 'count'},"				\
	"  {'code': 'erx.linked', 'label': 'Số đơn liên thông', "	\
	"   'unit': 'Đơn', 'kind': 'count', 'depth': 1},"		\
	"  {'code': 'bhyt.total', 'label': 'Tổng số hồ sơ', "		\
	"   'unit': 'Hồ sơ', 'kind': 'count'},"				\
	"  {'code': 'bhyt.ontime', 'label': 'Hồ sơ gửi đúng ngày', "	\
	"   'unit': 'Hồ sơ', 'kind': 'count', 'depth': 1},"		\
	"  {'code': 'bhyt.pct', 'label': 'Tỷ lệ gửi đúng ngày', "	\
	"   'unit': '%', 'kind': 'rate', 'depth': 1, "			\
	"   'num': 'bhyt.ontime', 'den': 'bhyt.total'}]},"		\
	" {'id': '2', 'title': 'Hai', 'who': '', 'applies': 'gksklx', "	\
	"  'items': ["							\
	"  {'code': 'gksklx.issued', 'label': 'Số GKSKLX đã cấp', "	\
	"   'unit': 'GKSKLX', 'kind': 'count'},"			\
	"  {'code': 'gksklx.linked', 'label': 'Số GKSKLX liên thông', "	\
	"   'unit': 'GKSKLX', 'kind': 'count', 'depth': 1}]},"		\
	" {'id': '3', 'title': 'Ba', 'who': '', 'applies': 'all', "	\
	"  'stations': true, 'items': ["				\
	"  {'code': 'cccd.visits', 'label': 'Lượt khám', "		\
	"   'unit': 'Lượt', 'kind': 'count'},"				\
	"  {'code': 'cccd.used', 'label': 'Lượt dùng CCCD', "		\
	"   'unit': 'Lượt', 'kind': 'count', 'depth': 1}]},"		\
	" {'id': '4', 'title': 'Bốn', 'who': '', 'applies': 'all', "	\
	"  'items': ["							\
	"  {'code': 'hr.total', 'label': 'Cán bộ CNTT', "		\
	"   'unit': 'Người', 'kind': 'count'},"				\
	"  {'code': 'hr.univ', 'label': 'Đại học', "			\
	"   'unit': 'Người', 'kind': 'count', 'depth': 1},"		\
	"  {'code': 'hr.other', 'label': 'Trình độ khác', "		\
	"   'unit': 'Người', 'kind': 'count', 'depth': 1},"		\
	"  {'code': 'fund.total', 'label': 'Tổng kinh phí', "		\
	"   'unit': 'Đồng', 'kind': 'money'},"				\
	"  {'code': 'fund.a', 'label': 'Nguồn A', "			\
	"   'unit': 'Đồng', 'kind': 'money', 'depth': 1},"		\
	"  {'code': 'fund.b', 'label': 'Nguồn B', "			\
	"   'unit': 'Đồng', 'kind': 'money', 'depth': 1},"		\
	"  {'code': 'fund.c', 'label': 'Nguồn C', "			\
	"   'unit': 'Đồng', 'kind': 'money', 'depth': 1}]},"		\
	" {'id': '5', 'title': 'Năm', 'who': '', 'applies': 'all', "	\
	"  'items': ["							\
	"  {'code': 'eval.plan', 'label': 'Phương hướng', "		\
	"   'kind': 'text', 'maxlen': 500},"				\
	"  {'code': 'eval.notes', 'label': 'Kiến nghị', "		\
	"   'kind': 'text', 'maxlen': 500}]}]"

#define T_LISTS								\
	"[{'code': 'directives', 'label': 'Văn bản đã ban hành', "	\
	"  'section': '5', 'applies': 'all', 'max_rows': 50, "		\
	"  'columns': ["						\
	"  {'code': 'number', 'label': 'Số văn bản', "			\
	"   'kind': 'docno'},"						\
	"  {'code': 'date', 'label': 'Ngày ban hành', 'kind': 'date'}]}]"

/* The document number pattern of forms/PL2.json. */
#define T_DOCNO_RE							\
	"\\\\A[0-9]{1,6}(?:/(?:19|20)[0-9]{2})?/"			\
	"(?:TTr|[A-ZĐ][A-ZĐ0-9]*)(?:-(?:TTr|[A-ZĐ][A-ZĐ0-9]*)){1,3}\\\\z"

#define MSG_ERX		"Số đơn liên thông không được lớn hơn số đơn thuốc."
#define MSG_CCCD	"Lượt dùng CCCD không được lớn hơn lượt khám."
#define MSG_HR		"Cộng các trình độ phải bằng số cán bộ CNTT."
#define MSG_FUND	"Cộng các nguồn không được lớn hơn tổng kinh phí."
#define MSG_GKSKLX	"Số GKSKLX liên thông không được lớn hơn số đã cấp."
#define MSG_STATIONS	"Số liệu mục 3 phải bằng cộng các trạm."
#define MSG_MISSING	"Nhập số liệu của từng trạm (trạm không có thì nhập " \
			"0): số của đơn vị bằng riêng đơn vị cộng các trạm."
#define MSG_COMPLETE	"Nhập đủ các mục; không có thì nhập 0."
#define MSG_DOCNO	"Số văn bản phải ghi như 372/QĐ-SYT."
#define MSG_DATE	"Ngày ban hành phải nằm trong kỳ."
#define MSG_REQUIRED	"Nhập phương hướng và kiến nghị."
#define MSG_DEVIATION	"Số đơn thuốc khác nhiều so với các kỳ trước."
#define MSG_JUMP	"Tỷ lệ gửi đúng ngày thay đổi hơn 30 điểm."

#define CHK_ERX								\
	"{'rule': 'erx.linked_le_total', 'type': 'parts_le', "		\
	" 'parts': ['erx.linked'], 'whole': 'erx.total', "		\
	" 'message': '" MSG_ERX "'}"
#define CHK_CCCD							\
	"{'rule': 'cccd.used_le_visits', 'type': 'parts_le', "		\
	" 'parts': ['cccd.used'], 'whole': 'cccd.visits', "		\
	" 'message': '" MSG_CCCD "'}"
#define CHK_HR								\
	"{'rule': 'hr.degrees_eq_total', 'type': 'parts_eq', "		\
	" 'parts': ['hr.univ', 'hr.other'], 'whole': 'hr.total', "	\
	" 'message': '" MSG_HR "'}"
#define CHK_FUND							\
	"{'rule': 'fund.sources_le_total', 'type': 'parts_le', "	\
	" 'parts': ['fund.a', 'fund.b', 'fund.c'], "			\
	" 'whole': 'fund.total', 'message': '" MSG_FUND "'}"
#define CHK_GKSKLX							\
	"{'rule': 'gksklx.linked_le_issued', 'type': 'parts_le', "	\
	" 'parts': ['gksklx.linked'], 'whole': 'gksklx.issued', "	\
	" 'message': '" MSG_GKSKLX "'}"
#define CHK_STATIONS							\
	"{'rule': 'cccd.stations_sum', 'type': 'stations_sum', "	\
	" 'items': ['cccd.visits', 'cccd.used'], "			\
	" 'message': '" MSG_STATIONS "'}"
#define CHK_COMPLETE							\
	"{'rule': 'values.complete', 'type': 'complete', "		\
	" 'kinds': ['count', 'money'], 'message': '" MSG_COMPLETE "'}"
#define CHK_DOCNO							\
	"{'rule': 'directives.number_pattern', 'type': 'pattern', "	\
	" 'list': 'directives', 'column': 'number', "			\
	" 'pattern': '" T_DOCNO_RE "', 'message': '" MSG_DOCNO "'}"
#define CHK_DATE							\
	"{'rule': 'directives.date_in_period', "			\
	" 'type': 'date_in_period', 'list': 'directives', "		\
	" 'column': 'date', 'message': '" MSG_DATE "'}"
#define CHK_REQUIRED							\
	"{'rule': 'eval.required', 'type': 'required', "		\
	" 'items': ['eval.plan', 'eval.notes', 'hr.total'], "		\
	" 'message': '" MSG_REQUIRED "'}"
#define CHK_DEVIATION							\
	"{'rule': 'erx.total.deviation', 'type': 'deviation', "		\
	" 'severity': 'warning', 'items': ['gksklx.issued', "		\
	" 'erx.total'], 'factor': 3.0, 'min_delta': 20, "		\
	" 'message': '" MSG_DEVIATION "'}"
#define CHK_JUMP							\
	"{'rule': 'bhyt.pct.jump', 'type': 'rate_jump', "		\
	" 'severity': 'warning', 'items': ['bhyt.pct'], 'points': 30, "	\
	" 'message': '" MSG_JUMP "'}"

static json_t		*J(const char *);
static struct form	*form_with(const char *);
static struct form	*form_real(const char *);
static json_t		*run(const struct form *, const struct form_unit *,
			    const char *, const char *, const char *,
			    const char *, const char *);
static json_t		*run_w(const struct form *, const struct form_unit *,
			    const struct form_window *, const char *,
			    const char *, const char *, const char *,
			    const char *);
static void		expect_count(json_t *, size_t);
static json_t		*expect_result(json_t *, size_t, const char *,
			    const char *, const char *);
static void		expect_message(json_t *, const char *);
static const char	*str(json_t *);
static void		*limited_malloc(size_t);

/* Allocations jansson may still make when alloc_limited is set. */
static size_t		alloc_left;
static int		alloc_limited;

static const char	*two_stations[] = { "TYT-A", "TYT-B" };
static const char	*real_stations[] = { "TYT-TX-01", "TYT-TX-02" };

static const struct form_unit	plain = {
	"BV-DK-1", "private_hospital", 0, 1, 0, NULL, 0
};
static const struct form_unit	licensed = {
	"BV-DK-2", "provincial_hospital", 1, 1, 0, NULL, 0
};
static const struct form_unit	ttyt = {
	"TTYT-1", "district_centre", 0, 1, 0, two_stations, 2
};
static const struct form_unit	ttyt_real = {
	"TTYT-TX", "district_centre", 1, 1, 0, real_stations, 2
};

/* Tháng 7/2023 of the 2023 letter. */
static const struct form_window	july = { "2023-06-15", "2023-07-14" };
/* 6 tháng 2023. */
static const struct form_window	half = { "2023-01-01", "2023-06-14" };

/* JSON with ' for ", parsed; fails the test when it does not parse. */
static json_t *
J(const char *s)
{
	json_error_t	err;
	json_t		*v;
	char		*buf, *p;

	buf = strdup(s);
	assert_non_null(buf);
	for (p = buf; *p != '\0'; p++) {
		if (*p == '\'')
			*p = '"';
	}
	v = json_loads(buf, 0, &err);
	if (v == NULL)
		print_error("JSON line %d col %d: %s\n%s\n", err.line,
		    err.column, err.text, buf);
	free(buf);
	assert_non_null(v);

	return (v);
}

static struct form *
form_with(const char *checks)
{
	static const char	*head = "{'form': 'T', 'name': 'Thử', "
				    "'title': 'Mẫu thử', 'sections': "
				    T_SECTIONS ", 'lists': " T_LISTS
				    ", 'checks': [";
	struct form		*f;
	json_t			*def;
	char			*buf, err[FORM_ERR_MAX];
	size_t			len;

	len = strlen(head) + strlen(checks) + 3;
	buf = malloc(len);
	assert_non_null(buf);
	(void)snprintf(buf, len, "%s%s]}", head, checks);
	def = J(buf);
	free(buf);

	f = form_load_json(def, err, sizeof(err));
	json_decref(def);
	if (f == NULL)
		print_error("form_load_json: %s\n", err);
	assert_non_null(f);

	return (f);
}

static struct form *
form_real(const char *name)
{
	struct form	*f;
	char		path[256], err[FORM_ERR_MAX];

	(void)snprintf(path, sizeof(path), "%s/%s.json", TEST_FORMS_DIR,
	    name);
	if ((f = form_load(path, err, sizeof(err))) == NULL)
		print_error("%s (run from the project root)\n", err);
	assert_non_null(f);

	return (f);
}

static json_t *
run(const struct form *f, const struct form_unit *u, const char *values,
    const char *stations, const char *lists, const char *comments,
    const char *history)
{
	return (run_w(f, u, &july, values, stations, lists, comments,
	    history));
}

/* check_run over JSON texts; NULL stands for an absent part. */
static json_t *
run_w(const struct form *f, const struct form_unit *u,
    const struct form_window *w, const char *values, const char *stations,
    const char *lists, const char *comments, const char *history)
{
	json_t		*v, *s, *l, *c, *h, *res;

	v = values != NULL ? J(values) : NULL;
	s = stations != NULL ? J(stations) : NULL;
	l = lists != NULL ? J(lists) : NULL;
	c = comments != NULL ? J(comments) : NULL;
	h = history != NULL ? J(history) : NULL;

	res = check_run(f, u, w, v, s, l, c, h);

	json_decref(v);
	json_decref(s);
	json_decref(l);
	json_decref(c);
	json_decref(h);
	assert_non_null(res);
	assert_true(json_is_array(res));

	return (res);
}

static void
expect_count(json_t *res, size_t n)
{
	char		*dump;

	if (json_array_size(res) != n) {
		dump = json_dumps(res, JSON_INDENT(2));
		print_error("results: %s\n", dump != NULL ? dump : "?");
		free(dump);
	}
	assert_int_equal(json_array_size(res), n);
}

/* Result i has this rule, severity and items ("a,b" in order). */
static json_t *
expect_result(json_t *res, size_t i, const char *rule, const char *severity,
    const char *items)
{
	json_t		*r, *v;
	size_t		k, n;
	char		buf[1024];

	r = json_array_get(res, i);
	assert_non_null(r);
	assert_string_equal(str(json_object_get(r, "rule")), rule);
	assert_string_equal(str(json_object_get(r, "severity")), severity);
	assert_true(json_is_string(json_object_get(r, "message")));

	buf[0] = '\0';
	n = 0;
	json_array_foreach(json_object_get(r, "items"), k, v) {
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
		    k > 0 ? "," : "", str(v));
		assert_true(n < sizeof(buf));
	}
	assert_string_equal(buf, items);

	/* "answered" belongs to warnings only. */
	if (strcmp(severity, "warning") == 0)
		assert_true(json_is_boolean(json_object_get(r, "answered")));
	else
		assert_null(json_object_get(r, "answered"));

	return (r);
}

static void
expect_message(json_t *r, const char *message)
{
	assert_string_equal(str(json_object_get(r, "message")), message);
}

static void *
limited_malloc(size_t n)
{
	if (alloc_limited) {
		if (alloc_left == 0)
			return (NULL);
		alloc_left--;
	}

	return (malloc(n));
}

static const char *
str(json_t *v)
{
	const char	*s;

	s = json_string_value(v);

	return (s != NULL ? s : "(not a string)");
}

/* ---- parts_le ---- */

static void
test_check_parts_le_part_within_whole_passes(void **state)
{
	struct form	*f;
	json_t		*res;

	(void)state;
	f = form_with(CHK_ERX);

	res = run(f, &plain, "{'erx.total': 120, 'erx.linked': 120}",
	    NULL, NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	res = run(f, &plain, "{'erx.total': 0, 'erx.linked': 0}",
	    NULL, NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	/* The whole alone, the part not yet typed: nothing to compare. */
	res = run(f, &plain, "{'erx.total': 120, 'erx.linked': null}",
	    NULL, NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	form_free(f);
}

static void
test_check_parts_le_part_above_whole_is_error_with_numbers(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_ERX);

	res = run(f, &plain, "{'erx.total': 1200, 'erx.linked': 1500}",
	    NULL, NULL, NULL, NULL);
	expect_count(res, 1);
	r = expect_result(res, 0, "erx.linked_le_total", "error",
	    "erx.linked,erx.total");
	expect_message(r, MSG_ERX " (trong đó: 1.500; tổng số: 1.200)");
	assert_null(json_object_get(r, "station"));
	json_decref(res);

	form_free(f);
}

static void
test_check_parts_le_whole_missing_with_part_is_error(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_ERX);

	res = run(f, &plain, "{'erx.linked': 15}", NULL, NULL, NULL, NULL);
	expect_count(res, 1);
	r = expect_result(res, 0, "erx.linked_le_total", "error",
	    "erx.linked,erx.total");
	expect_message(r, "Chưa nhập «Số đơn thuốc» trong khi đã nhập số "
	    "liệu trong đó.");
	json_decref(res);

	form_free(f);
}

static void
test_check_parts_le_all_missing_gives_nothing(void **state)
{
	struct form	*f;
	json_t		*res;

	(void)state;
	f = form_with(CHK_ERX "," CHK_HR "," CHK_FUND);

	res = run(f, &plain, NULL, NULL, NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	res = run(f, &plain, "{'erx.total': null, 'erx.linked': null}",
	    NULL, NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	form_free(f);
}

static void
test_check_parts_le_sums_several_parts(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_FUND);

	res = run(f, &plain, "{'fund.total': 1000000, 'fund.a': 400000, "
	    "'fund.b': 600000}", NULL, NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	res = run(f, &plain, "{'fund.total': 1000000, 'fund.a': 400000, "
	    "'fund.b': 600000, 'fund.c': 1}", NULL, NULL, NULL, NULL);
	expect_count(res, 1);
	r = expect_result(res, 0, "fund.sources_le_total", "error",
	    "fund.a,fund.b,fund.c,fund.total");
	expect_message(r, MSG_FUND " (trong đó: 1.000.001; tổng số: "
	    "1.000.000)");
	json_decref(res);

	form_free(f);
}

static void
test_check_parts_overflow_is_error_not_wrapped(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_FUND);

	/* 2^62 + 2^62 wraps to INT64_MIN, which would be "<= whole". */
	res = run(f, &plain, "{'fund.total': 9007199254740991, "
	    "'fund.a': 4611686018427387904, 'fund.b': 4611686018427387904}",
	    NULL, NULL, NULL, NULL);
	expect_count(res, 1);
	r = expect_result(res, 0, "fund.sources_le_total", "error",
	    "fund.a,fund.b,fund.c,fund.total");
	expect_message(r, MSG_FUND " (cộng các mục trong đó vượt quá giới "
	    "hạn tính toán; kiểm tra lại số liệu)");
	json_decref(res);

	form_free(f);
}

static void
test_check_parts_le_runs_per_station_row(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_CCCD);

	res = run(f, &ttyt, "{'cccd.visits': 300, 'cccd.used': 200}",
	    "{'TYT-A': {'cccd.visits': 100, 'cccd.used': 50}, "
	    " 'TYT-B': {'cccd.visits': 200, 'cccd.used': 150}}",
	    NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	res = run(f, &ttyt, "{'cccd.visits': 300, 'cccd.used': 200}",
	    "{'TYT-A': {'cccd.used': 10}, "
	    " 'TYT-B': {'cccd.visits': 200, 'cccd.used': 250}}",
	    NULL, NULL, NULL);
	expect_count(res, 2);
	r = expect_result(res, 0, "cccd.used_le_visits", "error",
	    "cccd.used,cccd.visits");
	assert_string_equal(str(json_object_get(r, "station")), "TYT-A");
	expect_message(r, "Trạm TYT-A: Chưa nhập «Lượt khám» trong khi đã "
	    "nhập số liệu trong đó.");
	r = expect_result(res, 1, "cccd.used_le_visits", "error",
	    "cccd.used,cccd.visits");
	assert_string_equal(str(json_object_get(r, "station")), "TYT-B");
	expect_message(r, "Trạm TYT-B: " MSG_CCCD " (trong đó: 250; tổng "
	    "số: 200)");
	json_decref(res);

	form_free(f);
}

static void
test_check_parts_le_unit_and_station_both_reported(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_CCCD);

	res = run(f, &ttyt, "{'cccd.visits': 10, 'cccd.used': 20}",
	    "{'TYT-B': {'cccd.visits': 1, 'cccd.used': 2}}", NULL, NULL, NULL);
	expect_count(res, 2);
	r = expect_result(res, 0, "cccd.used_le_visits", "error",
	    "cccd.used,cccd.visits");
	assert_null(json_object_get(r, "station"));
	r = expect_result(res, 1, "cccd.used_le_visits", "error",
	    "cccd.used,cccd.visits");
	assert_string_equal(str(json_object_get(r, "station")), "TYT-B");
	json_decref(res);

	form_free(f);
}

/* ---- parts_eq ---- */

static void
test_check_parts_eq_parts_adding_up_pass(void **state)
{
	struct form	*f;
	json_t		*res;

	(void)state;
	f = form_with(CHK_HR);

	res = run(f, &plain, "{'hr.total': 3, 'hr.univ': 2, 'hr.other': 1}",
	    NULL, NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	/* A part left empty counts 0. */
	res = run(f, &plain, "{'hr.total': 2, 'hr.univ': 2}",
	    NULL, NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	res = run(f, &plain, "{'hr.total': 0}", NULL, NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	form_free(f);
}

static void
test_check_parts_eq_mismatch_is_error(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_HR);

	res = run(f, &plain, "{'hr.total': 3, 'hr.univ': 1}",
	    NULL, NULL, NULL, NULL);
	expect_count(res, 1);
	r = expect_result(res, 0, "hr.degrees_eq_total", "error",
	    "hr.univ,hr.other,hr.total");
	expect_message(r, MSG_HR " (trong đó: 1; tổng số: 3)");
	json_decref(res);

	/* The whole with no parts at all: 0 is not 4. */
	res = run(f, &plain, "{'hr.total': 4}", NULL, NULL, NULL, NULL);
	expect_count(res, 1);
	expect_result(res, 0, "hr.degrees_eq_total", "error",
	    "hr.univ,hr.other,hr.total");
	json_decref(res);

	/* Parts above the whole fail "==" as well. */
	res = run(f, &plain, "{'hr.total': 1, 'hr.univ': 1, 'hr.other': 1}",
	    NULL, NULL, NULL, NULL);
	expect_count(res, 1);
	json_decref(res);

	form_free(f);
}

static void
test_check_parts_eq_whole_missing_is_error(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_HR);

	res = run(f, &plain, "{'hr.univ': 2, 'hr.other': 0}",
	    NULL, NULL, NULL, NULL);
	expect_count(res, 1);
	r = expect_result(res, 0, "hr.degrees_eq_total", "error",
	    "hr.univ,hr.other,hr.total");
	expect_message(r, "Chưa nhập «Cán bộ CNTT» trong khi đã nhập số "
	    "liệu trong đó.");
	json_decref(res);

	form_free(f);
}

/* ---- stations_sum ---- */

static void
test_check_stations_sum_rows_adding_up_pass(void **state)
{
	struct form	*f;
	json_t		*res;

	(void)state;
	f = form_with(CHK_STATIONS);

	res = run(f, &ttyt, "{'cccd.visits': 300, 'cccd.used': 200}",
	    "{'TYT-A': {'cccd.visits': 100, 'cccd.used': 50}, "
	    " 'TYT-B': {'cccd.visits': 200, 'cccd.used': 150}}",
	    NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	/* A station without a value for one item counts 0 for it. */
	res = run(f, &ttyt, "{'cccd.visits': 150, 'cccd.used': 30}",
	    "{'TYT-A': {'cccd.visits': 100}, "
	    " 'TYT-B': {'cccd.visits': 50, 'cccd.used': 30}}",
	    NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	/* Zero totals need no station rows. */
	res = run(f, &ttyt, "{'cccd.visits': 0, 'cccd.used': 0}", NULL,
	    NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	form_free(f);
}

static void
test_check_stations_sum_unit_differing_is_error(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_STATIONS);

	res = run(f, &ttyt, "{'cccd.visits': 1310, 'cccd.used': 200}",
	    "{'TYT-A': {'cccd.visits': 1100, 'cccd.used': 50}, "
	    " 'TYT-B': {'cccd.visits': 200, 'cccd.used': 150}}",
	    NULL, NULL, NULL);
	expect_count(res, 1);
	r = expect_result(res, 0, "cccd.stations_sum", "error",
	    "cccd.visits");
	expect_message(r, MSG_STATIONS " («Lượt khám»: số của đơn vị 1.310; "
	    "cộng các trạm 1.300; riêng đơn vị chưa nhập)");
	json_decref(res);

	form_free(f);
}

static void
test_check_stations_sum_unit_missing_is_error(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_STATIONS);

	res = run(f, &ttyt, "{'cccd.used': 200}",
	    "{'TYT-A': {'cccd.visits': 100, 'cccd.used': 50}, "
	    " 'TYT-B': {'cccd.visits': 200, 'cccd.used': 150}}",
	    NULL, NULL, NULL);
	expect_count(res, 1);
	r = expect_result(res, 0, "cccd.stations_sum", "error",
	    "cccd.visits");
	expect_message(r, MSG_STATIONS " («Lượt khám»: số của đơn vị chưa "
	    "nhập; cộng các trạm 300)");
	json_decref(res);

	form_free(f);
}

static void
test_check_stations_sum_names_stations_without_rows(void **state)
{
	struct form	*f;
	json_t		*res, *r, *st;

	(void)state;
	f = form_with(CHK_STATIONS);

	/* TYT-B has no row: the sums hold, but it was forgotten. */
	res = run(f, &ttyt, "{'cccd.visits': 100, 'cccd.used': 50}",
	    "{'TYT-A': {'cccd.visits': 100, 'cccd.used': 50}}",
	    NULL, NULL, NULL);
	expect_count(res, 1);
	r = expect_result(res, 0, "cccd.stations_sum.missing_station",
	    "error", "cccd.visits,cccd.used");
	st = json_object_get(r, "stations");
	assert_int_equal(json_array_size(st), 1);
	assert_string_equal(str(json_array_get(st, 0)), "TYT-B");
	expect_message(r, "Chưa có số liệu của trạm: TYT-B. " MSG_MISSING);
	json_decref(res);

	/* No rows at all: both sums wrong, both stations named. */
	res = run(f, &ttyt, "{'cccd.visits': 100, 'cccd.used': 0}",
	    "{'TYT-A': {}, 'TYT-B': null}", NULL, NULL, NULL);
	expect_count(res, 2);
	expect_result(res, 0, "cccd.stations_sum", "error", "cccd.visits");
	r = expect_result(res, 1, "cccd.stations_sum.missing_station",
	    "error", "cccd.visits,cccd.used");
	expect_message(r, "Chưa có số liệu của trạm: TYT-A, TYT-B. "
	    MSG_MISSING);
	json_decref(res);

	form_free(f);
}

static void
test_check_stations_sum_only_for_units_with_stations(void **state)
{
	struct form	*f;
	json_t		*res;

	(void)state;
	f = form_with(CHK_STATIONS);

	res = run(f, &plain, "{'cccd.visits': 100, 'cccd.used': 50}",
	    NULL, NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	form_free(f);
}

static void
test_check_stations_sum_overflow_is_error(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_STATIONS);

	res = run(f, &ttyt, "{'cccd.visits': 1}",
	    "{'TYT-A': {'cccd.visits': 9223372036854775807}, "
	    " 'TYT-B': {'cccd.visits': 2}}", NULL, NULL, NULL);
	expect_count(res, 1);
	r = expect_result(res, 0, "cccd.stations_sum", "error",
	    "cccd.visits");
	expect_message(r, MSG_STATIONS " («Lượt khám»: cộng các trạm vượt "
	    "quá giới hạn tính toán; kiểm tra lại số liệu các trạm)");
	json_decref(res);

	form_free(f);
}

/* A district centre's own row counts with its stations. */
static void
test_check_stations_sum_counts_the_own_row(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_STATIONS);

	/* 60.000 of its own and 2.850 at the stations: no mismatch. */
	res = run(f, &ttyt, "{'cccd.visits': 62850, 'cccd.used': 200}",
	    "{'TTYT-1': {'cccd.visits': 60000, 'cccd.used': 0}, "
	    " 'TYT-A': {'cccd.visits': 1500, 'cccd.used': 50}, "
	    " 'TYT-B': {'cccd.visits': 1350, 'cccd.used': 150}}",
	    NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	res = run(f, &ttyt, "{'cccd.visits': 60000, 'cccd.used': 200}",
	    "{'TTYT-1': {'cccd.visits': 60000, 'cccd.used': 0}, "
	    " 'TYT-A': {'cccd.visits': 1500, 'cccd.used': 50}, "
	    " 'TYT-B': {'cccd.visits': 1350, 'cccd.used': 150}}",
	    NULL, NULL, NULL);
	expect_count(res, 1);
	r = expect_result(res, 0, "cccd.stations_sum", "error",
	    "cccd.visits");
	assert_null(json_object_get(r, "station"));
	expect_message(r, MSG_STATIONS " («Lượt khám»: số của đơn vị 60.000; "
	    "riêng đơn vị 60.000 + các trạm 2.850 = 62.850)");
	json_decref(res);

	/* The own row is no station: never named as one missing. */
	res = run(f, &ttyt, "{'cccd.visits': 100, 'cccd.used': 50}",
	    "{'TYT-A': {'cccd.visits': 40, 'cccd.used': 20}, "
	    " 'TYT-B': {'cccd.visits': 60, 'cccd.used': 30}}",
	    NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	/* The total typed, the own row only: stations are missing. */
	res = run(f, &ttyt, "{'cccd.visits': 100, 'cccd.used': 50}",
	    "{'TTYT-1': {'cccd.visits': 100, 'cccd.used': 50}}",
	    NULL, NULL, NULL);
	expect_count(res, 1);
	r = expect_result(res, 0, "cccd.stations_sum.missing_station",
	    "error", "cccd.visits,cccd.used");
	assert_int_equal(json_array_size(json_object_get(r, "stations")), 2);
	json_decref(res);

	form_free(f);
}

/* Parts and wholes hold in the own row too, said as "Riêng đơn vị". */
static void
test_check_parts_run_on_the_own_row(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_CCCD);

	res = run(f, &ttyt, "{'cccd.visits': 400, 'cccd.used': 300}",
	    "{'TTYT-1': {'cccd.visits': 100, 'cccd.used': 250}, "
	    " 'TYT-A': {'cccd.visits': 300, 'cccd.used': 50}}",
	    NULL, NULL, NULL);
	expect_count(res, 1);
	r = expect_result(res, 0, "cccd.used_le_visits", "error",
	    "cccd.used,cccd.visits");
	assert_string_equal(str(json_object_get(r, "station")), "TTYT-1");
	expect_message(r, "Riêng đơn vị: " MSG_CCCD " (trong đó: 250; tổng "
	    "số: 100)");
	json_decref(res);

	form_free(f);
}

/* ---- complete ---- */

static void
test_check_complete_blank_report_lists_every_typed_item(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_COMPLETE);

	/* Counts and money of the unit; texts, rates and GKSKLX are not. */
	res = run(f, &plain, "{}", NULL, NULL, NULL, NULL);
	expect_count(res, 1);
	r = expect_result(res, 0, "values.complete", "error",
	    "erx.total,erx.linked,bhyt.total,bhyt.ontime,cccd.visits,"
	    "cccd.used,hr.total,hr.univ,hr.other,fund.total,fund.a,fund.b,"
	    "fund.c");
	expect_message(r, MSG_COMPLETE " (còn trống: 13 mục)");
	json_decref(res);

	/* null and a missing value are both empty; 0 is a value. */
	res = run(f, &plain, "{'erx.total': 0, 'erx.linked': null, "
	    "'bhyt.total': 0, 'bhyt.ontime': 0, 'cccd.visits': 0, "
	    "'cccd.used': 0, 'hr.total': 0, 'hr.univ': 0, 'hr.other': 0, "
	    "'fund.total': 0, 'fund.a': 0, 'fund.b': 0}", NULL, NULL, NULL,
	    NULL);
	expect_count(res, 1);
	r = expect_result(res, 0, "values.complete", "error",
	    "erx.linked,fund.c");
	expect_message(r, MSG_COMPLETE " (còn trống: 2 mục)");
	json_decref(res);

	res = run(f, &plain, "{'erx.total': 0, 'erx.linked': 0, "
	    "'bhyt.total': 0, 'bhyt.ontime': 0, 'cccd.visits': 0, "
	    "'cccd.used': 0, 'hr.total': 0, 'hr.univ': 0, 'hr.other': 0, "
	    "'fund.total': 0, 'fund.a': 0, 'fund.b': 0, 'fund.c': 0}",
	    NULL, NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	form_free(f);
}

/* Each station row, and the own row once begun; an old report has none. */
static void
test_check_complete_covers_station_and_own_rows(void **state)
{
	struct form	*f;
	json_t		*res, *r;
	const char	*full;

	(void)state;
	f = form_with(CHK_COMPLETE);
	full = "{'erx.total': 0, 'erx.linked': 0, 'bhyt.total': 0, "
	    "'bhyt.ontime': 0, 'cccd.visits': 10, 'cccd.used': 5, "
	    "'hr.total': 0, 'hr.univ': 0, 'hr.other': 0, 'fund.total': 0, "
	    "'fund.a': 0, 'fund.b': 0, 'fund.c': 0}";

	res = run(f, &ttyt, full, "{'TYT-A': {'cccd.visits': 10, "
	    "'cccd.used': 5}, 'TYT-B': {'cccd.visits': 0, 'cccd.used': 0}}",
	    NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	res = run(f, &ttyt, full, "{'TTYT-1': {'cccd.visits': 0}, "
	    "'TYT-A': {'cccd.visits': 10, 'cccd.used': 5}}",
	    NULL, NULL, NULL);
	expect_count(res, 2);
	r = expect_result(res, 0, "values.complete", "error", "cccd.used");
	assert_string_equal(str(json_object_get(r, "station")), "TTYT-1");
	expect_message(r, "Riêng đơn vị: " MSG_COMPLETE " (còn trống: 1 mục)");
	r = expect_result(res, 1, "values.complete", "error",
	    "cccd.visits,cccd.used");
	assert_string_equal(str(json_object_get(r, "station")), "TYT-B");
	expect_message(r, "Trạm TYT-B: " MSG_COMPLETE " (còn trống: 2 mục)");
	json_decref(res);

	form_free(f);
}

static void
test_check_complete_skips_items_that_do_not_apply(void **state)
{
	struct form	*f;
	json_t		*res;
	char		*items;

	(void)state;
	f = form_real("PL1");
	res = run(f, &plain, "{}", NULL, NULL, NULL, NULL);
	expect_count(res, 1);
	items = json_dumps(json_object_get(json_array_get(res, 0), "items"),
	    0);
	assert_non_null(items);
	assert_null(strstr(items, "gksklx"));
	assert_non_null(strstr(items, "stay.declared"));
	free(items);
	json_decref(res);

	res = run(f, &licensed, "{}", NULL, NULL, NULL, NULL);
	expect_count(res, 1);
	assert_int_equal(json_array_size(json_object_get(json_array_get(res,
	    0), "items")), 24);
	json_decref(res);
	form_free(f);
}

/*
 * The vectors the page's engine (assets/js/report-checks.js) is held to
 * as well, so that the two say the same.
 */
static void
test_check_shared_vectors_match(void **state)
{
	json_error_t	err;
	json_t		*doc, *c, *u, *st, *x, *res, *got, *g, *rules, *rr;
	json_t		*v, *s;
	struct form	*f;
	struct form_unit fu;
	const char	*codes[16];
	size_t		i, j, k;
	int		keep;
	char		*a, *b;

	(void)state;
	doc = json_load_file(TEST_VECTORS, JSON_REJECT_DUPLICATES, &err);
	if (doc == NULL)
		print_error("%s: %s\n", TEST_VECTORS, err.text);
	assert_non_null(doc);
	assert_true(json_array_size(json_object_get(doc, "cases")) > 0);

	json_array_foreach(json_object_get(doc, "cases"), i, c) {
		/* A case may name another version of the form by its file. */
		if (json_is_string(json_object_get(c, "outline"))) {
			f = form_load(str(json_object_get(c, "outline")), NULL,
			    0);
			assert_non_null(f);
		} else {
			f = form_real(str(json_object_get(c, "form")));
		}
		u = json_object_get(c, "unit");
		st = json_object_get(u, "stations");
		assert_true(json_array_size(st) <= 16);
		memset(&fu, 0, sizeof(fu));
		fu.code = str(json_object_get(u, "code"));
		fu.kind = str(json_object_get(u, "kind"));
		fu.gksklx = json_is_true(json_object_get(u, "gksklx"));
		fu.hospital = json_is_true(json_object_get(u, "hospital"));
		fu.cdc = json_is_true(json_object_get(u, "cdc"));
		json_array_foreach(st, j, x)
			codes[j] = str(x);
		fu.stations = codes;
		fu.nstations = json_array_size(st);

		v = json_deep_copy(json_object_get(c, "values"));
		s = json_deep_copy(json_object_get(c, "stations"));
		form_derive(f, v, s);
		res = check_run(f, &fu, NULL, v, s, NULL, NULL, NULL);
		assert_non_null(res);

		rules = json_object_get(c, "rules");
		got = json_array();
		json_array_foreach(res, j, x) {
			keep = 0;
			json_array_foreach(rules, k, rr) {
				if (json_equal(rr, json_object_get(x, "rule")))
					keep = 1;
			}
			if (!keep)
				continue;
			g = json_pack("{s:O, s:O, s:O, s:O}", "rule",
			    json_object_get(x, "rule"), "severity",
			    json_object_get(x, "severity"), "message",
			    json_object_get(x, "message"), "items",
			    json_object_get(x, "items"));
			if (json_object_get(x, "station") != NULL)
				json_object_set(g, "station",
				    json_object_get(x, "station"));
			if (json_object_get(x, "stations") != NULL)
				json_object_set(g, "stations",
				    json_object_get(x, "stations"));
			json_array_append_new(got, g);
		}
		if (!json_equal(got, json_object_get(c, "expect"))) {
			a = json_dumps(got, JSON_INDENT(1));
			b = json_dumps(json_object_get(c, "expect"),
			    JSON_INDENT(1));
			print_error("case \"%s\"\ngot: %s\nwant: %s\n",
			    str(json_object_get(c, "name")), a, b);
			free(a);
			free(b);
		}
		assert_true(json_equal(got, json_object_get(c, "expect")));

		json_decref(got);
		json_decref(res);
		json_decref(v);
		json_decref(s);
		form_free(f);
	}
	json_decref(doc);
}

/* ---- pattern ---- */

static void
test_check_pattern_accepts_vietnamese_capitals(void **state)
{
	struct form	*f;
	json_t		*res;

	(void)state;
	f = form_with(CHK_DOCNO);

	res = run(f, &plain, NULL, NULL,
	    "{'directives': ["
	    " {'number': '372/QĐ-SYT', 'date': '2023-07-01'},"
	    " {'number': '15/2023/TT-BYT', 'date': '2023-07-01'},"
	    " {'number': '1234/SYT-VP', 'date': '2023-07-01'},"
	    " {'number': '88/TTr-TTYT', 'date': '2023-07-01'},"
	    " {'number': '', 'date': '2023-07-01'},"
	    " {'date': '2023-07-01'}]}", NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	form_free(f);
}

/* A pattern that backtracks badly costs a bounded amount, and the cell
 * that makes it do so counts as not matching. */
static void
test_check_pattern_backtracking_is_bounded(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with("{'rule': 'directives.number_pattern', "
	    "'type': 'pattern', 'list': 'directives', 'column': 'number', "
	    "'pattern': '^(a+)+$', 'message': '" MSG_DOCNO "'}");

	res = run(f, &plain, NULL, NULL,
	    "{'directives': ["
	    " {'number': 'aaaa'},"
	    " {'number': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'}]}",
	    NULL, NULL);
	expect_count(res, 1);
	r = expect_result(res, 0, "directives.number_pattern", "error",
	    "directives");
	assert_int_equal(json_integer_value(json_object_get(r, "row")), 2);
	json_decref(res);

	form_free(f);
}

static void
test_check_pattern_reports_each_bad_row(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_DOCNO);

	res = run(f, &plain, NULL, NULL,
	    "{'directives': ["
	    " {'number': '372/QĐ-SYT'},"
	    " {'number': '372-QD'},"
	    " {'number': '15/2023/TT-BYT'},"
	    " {'number': '372/qđ-syt'},"
	    " {'number': 'Số 372/QĐ-SYT'}]}", NULL, NULL);
	expect_count(res, 3);
	r = expect_result(res, 0, "directives.number_pattern", "error",
	    "directives");
	assert_string_equal(str(json_object_get(r, "list")), "directives");
	assert_string_equal(str(json_object_get(r, "column")), "number");
	assert_int_equal(json_integer_value(json_object_get(r, "row")), 2);
	expect_message(r, "Dòng 2: " MSG_DOCNO);
	r = expect_result(res, 1, "directives.number_pattern", "error",
	    "directives");
	assert_int_equal(json_integer_value(json_object_get(r, "row")), 4);
	r = expect_result(res, 2, "directives.number_pattern", "error",
	    "directives");
	assert_int_equal(json_integer_value(json_object_get(r, "row")), 5);
	json_decref(res);

	form_free(f);
}

/* ---- date_in_period ---- */

static void
test_check_dates_inside_window_pass(void **state)
{
	struct form	*f;
	json_t		*res;

	(void)state;
	f = form_with(CHK_DATE);

	/* Both ends of the window belong to it. */
	res = run(f, &plain, NULL, NULL,
	    "{'directives': ["
	    " {'number': '1/QĐ-SYT', 'date': '2023-06-15'},"
	    " {'number': '2/QĐ-SYT', 'date': '2023-07-14'},"
	    " {'number': '3/QĐ-SYT', 'date': '2023-07-01'},"
	    " {'number': '4/QĐ-SYT', 'date': ''}]}", NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	form_free(f);
}

static void
test_check_dates_outside_window_reported_per_row(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_DATE);

	res = run(f, &plain, NULL, NULL,
	    "{'directives': ["
	    " {'number': '1/QĐ-SYT', 'date': '2023-07-01'},"
	    " {'number': '2/QĐ-SYT', 'date': '2023-06-14'},"
	    " {'number': '3/QĐ-SYT', 'date': '2023-07-15'},"
	    " {'number': '4/QĐ-SYT', 'date': '2023-02-30'}]}", NULL, NULL);
	expect_count(res, 3);
	r = expect_result(res, 0, "directives.date_in_period", "error",
	    "directives");
	assert_int_equal(json_integer_value(json_object_get(r, "row")), 2);
	assert_string_equal(str(json_object_get(r, "column")), "date");
	expect_message(r, "Dòng 2: " MSG_DATE " (ngày 14/06/2023 nằm ngoài "
	    "kỳ số liệu 15/06/2023 – 14/07/2023)");
	r = expect_result(res, 1, "directives.date_in_period", "error",
	    "directives");
	assert_int_equal(json_integer_value(json_object_get(r, "row")), 3);
	r = expect_result(res, 2, "directives.date_in_period", "error",
	    "directives");
	assert_int_equal(json_integer_value(json_object_get(r, "row")), 4);
	expect_message(r, "Dòng 4: " MSG_DATE " (ngày không hợp lệ, ghi "
	    "theo dạng năm-tháng-ngày)");
	json_decref(res);

	form_free(f);
}

static void
test_check_dates_without_window_are_not_checked(void **state)
{
	static const struct form_window	none = { NULL, NULL };
	struct form			*f;
	json_t				*res;
	const char			*lists;

	(void)state;
	f = form_with(CHK_DATE);
	lists = "{'directives': [{'number': '1/QĐ-SYT', "
	    "'date': '2020-01-01'}]}";

	res = run_w(f, &plain, NULL, NULL, NULL, lists, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);
	res = run_w(f, &plain, &none, NULL, NULL, lists, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	form_free(f);
}

/* ---- required ---- */

static void
test_check_required_blank_text_is_missing(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_REQUIRED);

	res = run(f, &plain, "{'eval.plan': '  \\n\\t ', "
	    "'eval.notes': 'Đề nghị cấp thêm máy tính.', 'hr.total': 0}",
	    NULL, NULL, NULL, NULL);
	expect_count(res, 1);
	r = expect_result(res, 0, "eval.required", "error", "eval.plan");
	expect_message(r, MSG_REQUIRED);
	json_decref(res);

	/* A no-break space pasted from Word is still blank. */
	res = run(f, &plain, "{'eval.plan': '\\u00a0', "
	    "'eval.notes': null}", NULL, NULL, NULL, NULL);
	expect_count(res, 1);
	expect_result(res, 0, "eval.required", "error",
	    "eval.plan,eval.notes,hr.total");
	json_decref(res);

	form_free(f);
}

static void
test_check_required_filled_passes(void **state)
{
	struct form	*f;
	json_t		*res;

	(void)state;
	f = form_with(CHK_REQUIRED);

	/* 0 is a value, and a one-letter text is not blank. */
	res = run(f, &plain, "{'eval.plan': 'Triển khai bệnh án điện tử.', "
	    "'eval.notes': 'Không', 'hr.total': 0}", NULL, NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	form_free(f);
}

/* ---- deviation ---- */

static void
test_check_deviation_needs_two_previous_values(void **state)
{
	struct form	*f;
	json_t		*res;

	(void)state;
	f = form_with(CHK_DEVIATION);

	res = run(f, &plain, "{'erx.total': 1500}", NULL, NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	/* One value only: the others lack the item or are null. */
	res = run(f, &plain, "{'erx.total': 1500}", NULL, NULL, NULL,
	    "[{'period': '2023-06', 'values': {'erx.total': 100}},"
	    " {'period': '2023-05', 'values': {'erx.total': null}},"
	    " {'period': '2023-04', 'values': {}}]");
	expect_count(res, 0);
	json_decref(res);

	form_free(f);
}

static void
test_check_deviation_within_factor_passes(void **state)
{
	struct form	*f;
	json_t		*res;

	(void)state;
	f = form_with(CHK_DEVIATION);

	res = run(f, &plain, "{'erx.total': 290}", NULL, NULL, NULL,
	    "[{'period': '2023-06', 'values': {'erx.total': 100}},"
	    " {'period': '2023-05', 'values': {'erx.total': 100}}]");
	expect_count(res, 0);
	json_decref(res);

	res = run(f, &plain, "{'erx.total': 40}", NULL, NULL, NULL,
	    "[{'period': '2023-06', 'values': {'erx.total': 100}},"
	    " {'period': '2023-05', 'values': {'erx.total': 100}}]");
	expect_count(res, 0);
	json_decref(res);

	form_free(f);
}

static void
test_check_deviation_small_moves_are_ignored(void **state)
{
	struct form	*f;
	json_t		*res;

	(void)state;
	f = form_with(CHK_DEVIATION);

	/* Five times the mean, but only 8 more: under min_delta 20. */
	res = run(f, &plain, "{'erx.total': 10}", NULL, NULL, NULL,
	    "[{'period': '2023-06', 'values': {'erx.total': 2}},"
	    " {'period': '2023-05', 'values': {'erx.total': 2}}]");
	expect_count(res, 0);
	json_decref(res);

	form_free(f);
}

static void
test_check_deviation_far_from_mean_warns(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_DEVIATION);

	res = run(f, &plain, "{'erx.total': 1500}", NULL, NULL, NULL,
	    "[{'period': '2023-06', 'values': {'erx.total': 100}},"
	    " {'period': '2023-05', 'values': {'erx.total': 120}},"
	    " {'period': '2023-04', 'values': {'erx.total': 140}}]");
	expect_count(res, 1);
	r = expect_result(res, 0, "erx.total.deviation", "warning",
	    "erx.total");
	assert_false(json_is_true(json_object_get(r, "answered")));
	expect_message(r, MSG_DEVIATION " (kỳ này: 1.500; trung bình 3 kỳ "
	    "trước: 120)");
	json_decref(res);

	/* Below the mean divided by the factor, by 800. */
	res = run(f, &plain, "{'erx.total': 200}", NULL, NULL, NULL,
	    "[{'period': '2023-06', 'values': {'erx.total': 900}},"
	    " {'period': '2023-05', 'values': {'erx.total': 1100}}]");
	expect_count(res, 1);
	r = expect_result(res, 0, "erx.total.deviation", "warning",
	    "erx.total");
	expect_message(r, MSG_DEVIATION " (kỳ này: 200; trung bình 2 kỳ "
	    "trước: 1.000)");
	json_decref(res);

	/* Exactly min_delta away counts, a hair less does not. */
	res = run(f, &plain, "{'erx.total': 25}", NULL, NULL, NULL,
	    "[{'period': '2023-06', 'values': {'erx.total': 5}},"
	    " {'period': '2023-05', 'values': {'erx.total': 5}}]");
	expect_count(res, 1);
	r = expect_result(res, 0, "erx.total.deviation", "warning",
	    "erx.total");
	expect_message(r, MSG_DEVIATION " (kỳ này: 25; trung bình 2 kỳ "
	    "trước: 5)");
	json_decref(res);
	res = run(f, &plain, "{'erx.total': 26}", NULL, NULL, NULL,
	    "[{'period': '2023-06', 'values': {'erx.total': 7}},"
	    " {'period': '2023-05', 'values': {'erx.total': 6}},"
	    " {'period': '2023-04', 'values': {'erx.total': 6}},"
	    " {'period': '2023-03', 'values': {'erx.total': 6}}]");
	expect_count(res, 0);
	json_decref(res);

	/* A mean keeps one decimal. */
	res = run(f, &plain, "{'erx.total': 26}", NULL, NULL, NULL,
	    "[{'period': '2023-06', 'values': {'erx.total': 5}},"
	    " {'period': '2023-05', 'values': {'erx.total': 6}},"
	    " {'period': '2023-04', 'values': {'erx.total': 6}}]");
	expect_count(res, 1);
	r = expect_result(res, 0, "erx.total.deviation", "warning",
	    "erx.total");
	expect_message(r, MSG_DEVIATION " (kỳ này: 26; trung bình 3 kỳ "
	    "trước: 5,7)");
	json_decref(res);

	form_free(f);
}

static void
test_check_deviation_uses_at_most_six_previous_values(void **state)
{
	struct form	*f;
	json_t		*res;

	(void)state;
	f = form_with(CHK_DEVIATION);

	/* A seventh, huge value would turn 250 into a warning. */
	res = run(f, &plain, "{'erx.total': 250}", NULL, NULL, NULL,
	    "[{'period': '2023-07', 'values': {'erx.total': 100}},"
	    " {'period': '2023-06', 'values': {'erx.total': 100}},"
	    " {'period': '2023-05', 'values': {'erx.total': 100}},"
	    " {'period': '2023-04', 'values': {'erx.total': 100}},"
	    " {'period': '2023-03', 'values': {'erx.total': 100}},"
	    " {'period': '2023-02', 'values': {'erx.total': 100}},"
	    " {'period': '2023-01', 'values': {'erx.total': 100000}}]");
	expect_count(res, 0);
	json_decref(res);

	form_free(f);
}

/* ---- rate_jump ---- */

static void
test_check_rate_jump_warns_beyond_points(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_JUMP);

	res = run(f, &plain, "{'bhyt.pct': 85.5}", NULL, NULL, NULL,
	    "[{'period': '2023-06', 'values': {'bhyt.pct': 20.0}},"
	    " {'period': '2023-05', 'values': {'bhyt.pct': 84.0}}]");
	expect_count(res, 1);
	r = expect_result(res, 0, "bhyt.pct.jump", "warning", "bhyt.pct");
	expect_message(r, MSG_JUMP " (kỳ này: 85,5%; kỳ trước: 20,0%)");
	json_decref(res);

	/* Downwards too. */
	res = run(f, &plain, "{'bhyt.pct': 0.0}", NULL, NULL, NULL,
	    "[{'period': '2023-06', 'values': {'bhyt.pct': 100.0}}]");
	expect_count(res, 1);
	r = expect_result(res, 0, "bhyt.pct.jump", "warning", "bhyt.pct");
	expect_message(r, MSG_JUMP " (kỳ này: 0,0%; kỳ trước: 100,0%)");
	json_decref(res);

	form_free(f);
}

static void
test_check_rate_jump_within_points_passes(void **state)
{
	struct form	*f;
	json_t		*res;

	(void)state;
	f = form_with(CHK_JUMP);

	/* 50,3 - 20,3 is 30 points, not more, whatever doubles say. */
	res = run(f, &plain, "{'bhyt.pct': 50.3}", NULL, NULL, NULL,
	    "[{'period': '2023-06', 'values': {'bhyt.pct': 20.3}}]");
	expect_count(res, 0);
	json_decref(res);

	/* No earlier rate (a month with no records): nothing to compare. */
	res = run(f, &plain, "{'bhyt.pct': 50.3}", NULL, NULL, NULL,
	    "[{'period': '2023-06', 'values': {'bhyt.total': 0}}]");
	expect_count(res, 0);
	json_decref(res);

	res = run(f, &plain, "{'bhyt.total': 0}", NULL, NULL, NULL,
	    "[{'period': '2023-06', 'values': {'bhyt.pct': 20.0}}]");
	expect_count(res, 0);
	json_decref(res);

	form_free(f);
}

static void
test_check_rate_jump_compares_latest_period_with_a_rate(void **state)
{
	struct form	*f;
	json_t		*res, *r;

	(void)state;
	f = form_with(CHK_JUMP);

	res = run(f, &plain, "{'bhyt.pct': 85.5}", NULL, NULL, NULL,
	    "[{'period': '2023-06', 'values': {}},"
	    " {'period': '2023-05', 'values': {'bhyt.pct': 80.0}},"
	    " {'period': '2023-04', 'values': {'bhyt.pct': 20.0}}]");
	expect_count(res, 0);
	json_decref(res);

	res = run(f, &plain, "{'bhyt.pct': 85.5}", NULL, NULL, NULL,
	    "[{'period': '2023-06', 'values': {'bhyt.pct': null}},"
	    " {'period': '2023-05', 'values': {'bhyt.pct': 40.0}},"
	    " {'period': '2023-04', 'values': {'bhyt.pct': 85.0}}]");
	expect_count(res, 1);
	r = expect_result(res, 0, "bhyt.pct.jump", "warning", "bhyt.pct");
	expect_message(r, MSG_JUMP " (kỳ này: 85,5%; kỳ trước: 40,0%)");
	json_decref(res);

	form_free(f);
}

/* ---- comments and blocking ---- */

static void
test_check_warning_answered_by_comment(void **state)
{
	struct form	*f;
	json_t		*res, *r;
	const char	*hist;

	(void)state;
	f = form_with(CHK_DEVIATION "," CHK_JUMP);
	hist = "[{'period': '2023-06', 'values': {'erx.total': 100, "
	    "'bhyt.pct': 20.0}}, {'period': '2023-05', 'values': "
	    "{'erx.total': 100, 'bhyt.pct': 20.0}}]";

	res = run(f, &plain, "{'erx.total': 1500, 'bhyt.pct': 85.5}", NULL,
	    NULL, "{'erx.total': 'Tháng này mở thêm phòng khám ngoại trú.'}",
	    hist);
	expect_count(res, 2);
	r = expect_result(res, 0, "erx.total.deviation", "warning",
	    "erx.total");
	assert_true(json_is_true(json_object_get(r, "answered")));
	r = expect_result(res, 1, "bhyt.pct.jump", "warning", "bhyt.pct");
	assert_true(json_is_false(json_object_get(r, "answered")));
	assert_int_equal(check_blocking(res), 1);
	json_decref(res);

	/* Blank comments answer nothing. */
	res = run(f, &plain, "{'erx.total': 1500, 'bhyt.pct': 85.5}", NULL,
	    NULL, "{'erx.total': ' ', 'bhyt.pct': ''}", hist);
	expect_count(res, 2);
	assert_true(json_is_false(json_object_get(json_array_get(res, 0),
	    "answered")));
	assert_true(json_is_false(json_object_get(json_array_get(res, 1),
	    "answered")));
	json_decref(res);

	res = run(f, &plain, "{'erx.total': 1500, 'bhyt.pct': 85.5}", NULL,
	    NULL, "{'erx.total': 'Mở thêm phòng khám.', "
	    "'bhyt.pct': 'Cổng tiếp nhận lỗi tháng trước.'}", hist);
	expect_count(res, 2);
	assert_int_equal(check_blocking(res), 0);
	json_decref(res);

	form_free(f);
}

static void
test_check_blocking_on_errors_and_unanswered_warnings(void **state)
{
	json_t		*res;

	(void)state;
	/* check_run gives NULL when out of memory: that is no pass. */
	assert_int_equal(check_blocking(NULL), 1);

	res = J("[]");
	assert_int_equal(check_blocking(res), 0);
	json_decref(res);

	res = J("[{'rule': 'a', 'severity': 'error', 'items': []}]");
	assert_int_equal(check_blocking(res), 1);
	json_decref(res);

	res = J("[{'rule': 'a', 'severity': 'warning', 'answered': false}]");
	assert_int_equal(check_blocking(res), 1);
	json_decref(res);

	res = J("[{'rule': 'a', 'severity': 'warning', 'answered': true},"
	    " {'rule': 'b', 'severity': 'warning', 'answered': true}]");
	assert_int_equal(check_blocking(res), 0);
	json_decref(res);

	res = J("[{'rule': 'a', 'severity': 'warning', 'answered': true},"
	    " {'rule': 'b', 'severity': 'error'}]");
	assert_int_equal(check_blocking(res), 1);
	json_decref(res);

	/* What is not plainly an answered warning blocks. */
	res = J("[{'rule': 'a'}]");
	assert_int_equal(check_blocking(res), 1);
	json_decref(res);
}

static void
test_check_blocking_on_real_results(void **state)
{
	struct form	*f;
	json_t		*res;

	(void)state;
	f = form_with(CHK_ERX);

	res = run(f, &plain, "{'erx.total': 1, 'erx.linked': 2}", NULL,
	    NULL, "{'erx.total': 'Số liệu đúng.'}", NULL);
	expect_count(res, 1);
	/* A comment does not turn an error into something acceptable. */
	assert_int_equal(check_blocking(res), 1);
	json_decref(res);

	res = run(f, &plain, "{'erx.total': 2, 'erx.linked': 1}", NULL,
	    NULL, NULL, NULL);
	expect_count(res, 0);
	assert_int_equal(check_blocking(res), 0);
	json_decref(res);

	form_free(f);
}

/* ---- who reports what ---- */

static void
test_check_skips_items_that_do_not_apply(void **state)
{
	struct form	*f;
	json_t		*res;
	const char	*values;

	(void)state;
	f = form_with(CHK_GKSKLX);
	values = "{'gksklx.issued': 5, 'gksklx.linked': 10}";

	res = run(f, &plain, values, NULL, NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	res = run(f, &licensed, values, NULL, NULL, NULL, NULL);
	expect_count(res, 1);
	expect_result(res, 0, "gksklx.linked_le_issued", "error",
	    "gksklx.linked,gksklx.issued");
	json_decref(res);

	form_free(f);
}

static void
test_check_per_item_checks_keep_items_that_apply(void **state)
{
	struct form	*f;
	json_t		*res;
	const char	*values, *hist;

	(void)state;
	f = form_with(CHK_DEVIATION);
	values = "{'erx.total': 1500, 'gksklx.issued': 900}";
	hist = "[{'period': '2023-06', 'values': {'erx.total': 100, "
	    "'gksklx.issued': 10}}, {'period': '2023-05', 'values': "
	    "{'erx.total': 100, 'gksklx.issued': 10}}]";

	res = run(f, &plain, values, NULL, NULL, NULL, hist);
	expect_count(res, 1);
	expect_result(res, 0, "erx.total.deviation", "warning", "erx.total");
	json_decref(res);

	res = run(f, &licensed, values, NULL, NULL, NULL, hist);
	expect_count(res, 2);
	expect_result(res, 0, "erx.total.deviation", "warning",
	    "gksklx.issued");
	expect_result(res, 1, "erx.total.deviation", "warning", "erx.total");
	json_decref(res);

	form_free(f);
}

static void
test_check_empty_report_gives_no_result(void **state)
{
	struct form	*f;
	json_t		*res;

	(void)state;
	f = form_with(CHK_ERX "," CHK_CCCD "," CHK_HR "," CHK_FUND ","
	    CHK_GKSKLX "," CHK_STATIONS "," CHK_DOCNO "," CHK_DATE ","
	    CHK_DEVIATION "," CHK_JUMP);

	res = check_run(f, &ttyt, NULL, NULL, NULL, NULL, NULL, NULL);
	expect_count(res, 0);
	json_decref(res);

	res = run(f, &ttyt, "{}", "{}", "{'directives': []}", "{}", "[]");
	expect_count(res, 0);
	json_decref(res);

	form_free(f);
}

/*
 * Every allocation check_run makes fails in turn: the answer is either
 * all the results or NULL (which blocks), never a shorter list.
 */
static void
test_check_out_of_memory_gives_null_never_partial(void **state)
{
	struct form	*f;
	json_t		*v, *s, *l, *c, *h, *ref, *res;
	size_t		n;

	(void)state;
	f = form_with(CHK_ERX "," CHK_CCCD "," CHK_HR "," CHK_STATIONS ","
	    CHK_DOCNO "," CHK_DATE "," CHK_REQUIRED "," CHK_DEVIATION ","
	    CHK_JUMP "," CHK_COMPLETE);
	v = J("{'erx.total': 1500, 'erx.linked': 1600, 'hr.univ': 1,"
	    " 'cccd.visits': 300, 'cccd.used': 200, 'bhyt.pct': 90.0,"
	    " 'eval.plan': ' '}");
	s = J("{'TYT-A': {'cccd.visits': 100, 'cccd.used': 150}}");
	l = J("{'directives': [{'number': '372-QD', 'date': '2020-01-01'}]}");
	c = J("{'bhyt.pct': 'Đúng.'}");
	h = J("[{'period': '2023-06', 'values': {'erx.total': 100, "
	    "'bhyt.pct': 10.0}}, {'period': '2023-05', 'values': "
	    "{'erx.total': 100}}]");

	ref = check_run(f, &ttyt, &july, v, s, l, c, h);
	expect_count(ref, 13);

	json_set_alloc_funcs(limited_malloc, free);
	for (n = 0; n < 100000; n++) {
		alloc_left = n;
		alloc_limited = 1;
		res = check_run(f, &ttyt, &july, v, s, l, c, h);
		alloc_limited = 0;
		if (res == NULL) {
			assert_int_equal(check_blocking(res), 1);
			continue;
		}
		assert_true(json_equal(res, ref));
		json_decref(res);
		if (alloc_left > 0)
			break;
	}
	json_set_alloc_funcs(malloc, free);
	assert_true(n < 100000);

	json_decref(ref);
	json_decref(v);
	json_decref(s);
	json_decref(l);
	json_decref(c);
	json_decref(h);
	form_free(f);
}

/* ---- the real forms ---- */

/* A district centre with two stations, July 2023, figures that agree. */
#define PL1_GOOD_VALUES							\
	"{'bhyt.records_total': 5200, 'bhyt.records_ontime': 5070,"	\
	" 'erx.total': 3100, 'erx.linked': 2950,"			\
	" 'gksklx.issued': 85, 'gksklx.linked': 80,"			\
	" 'birth.total': 42, 'birth.synced': 42,"			\
	" 'death.total': 6, 'death.synced': 5,"				\
	" 'pay.total': 9800, 'pay.transfer': 1200, 'pay.pos': 450,"	\
	" 'pay.qr_static': 800, 'pay.qr_dynamic': 1500,"		\
	" 'pay.ewallet': 120, 'pay.other': 30,"				\
	" 'cccd.visits': 2200, 'cccd.used': 1510,"			\
	" 'cccd.insurance_returned': 1450, 'cccd.qr_readers': 2,"	\
	" 'sign.issued': 5, 'sign.needed': 3,"				\
	" 'stay.declared': 140}"
#define PL1_GOOD_STATIONS						\
	"{'TYT-TX-01': {'cccd.visits': 1300, 'cccd.used': 900,"		\
	"  'cccd.insurance_returned': 850, 'cccd.qr_readers': 1,"	\
	"  'sign.issued': 3, 'sign.needed': 2},"			\
	" 'TYT-TX-02': {'cccd.visits': 900, 'cccd.used': 610,"		\
	"  'cccd.insurance_returned': 600, 'cccd.qr_readers': 1,"	\
	"  'sign.issued': 2, 'sign.needed': 1}}"
#define PL1_MONTH(p, k)							\
	"{'period': '" p "', 'values': "				\
	"{'bhyt.records_total': 50" k "0, 'bhyt.records_ontime': 48" k "0,"\
	" 'erx.total': 29" k "0, 'erx.linked': 27" k "0,"		\
	" 'gksklx.issued': 7" k ", 'gksklx.linked': 7" k ","		\
	" 'birth.total': 3" k ", 'birth.synced': 3" k ","		\
	" 'death.total': 5, 'death.synced': 5,"				\
	" 'pay.total': 95" k "0, 'pay.transfer': 11" k "0,"		\
	" 'pay.pos': 400, 'pay.qr_static': 700, 'pay.qr_dynamic': 14" k "0,"\
	" 'pay.ewallet': 100, 'pay.other': 20,"				\
	" 'cccd.visits': 21" k "0, 'cccd.used': 14" k "0,"		\
	" 'cccd.insurance_returned': 13" k "0, 'cccd.qr_readers': 2,"	\
	" 'sign.issued': 5, 'sign.needed': 3, 'stay.declared': 1" k "0}}"

static void
test_check_real_pl1_good_ttyt_report_passes(void **state)
{
	struct form	*f;
	json_t		*body, *details, *values, *stations, *hist, *res;
	size_t		i;
	char		*dump;

	(void)state;
	f = form_real("PL1");

	body = J("{'values': " PL1_GOOD_VALUES ", 'stations': "
	    PL1_GOOD_STATIONS ", 'lists': {}, 'comments': {}}");
	details = NULL;
	if (form_validate(f, &ttyt_real, body, &details) != 0) {
		dump = json_dumps(details, JSON_INDENT(2));
		print_error("form_validate: %s\n", dump != NULL ? dump : "?");
		free(dump);
	}
	assert_null(details);

	/* As reports.c does: derive, history included, then check. */
	values = json_object_get(body, "values");
	stations = json_object_get(body, "stations");
	hist = J("[" PL1_MONTH("2023-06", "1") "," PL1_MONTH("2023-05", "2")
	    "," PL1_MONTH("2023-04", "3") "]");
	for (i = 0; i < json_array_size(hist); i++)
		form_derive(f, json_object_get(json_array_get(hist, i),
		    "values"), NULL);
	form_derive(f, values, stations);
	assert_true(json_is_number(json_object_get(values,
	    "bhyt.ontime_pct")));
	assert_true(json_is_number(json_object_get(json_object_get(stations,
	    "TYT-TX-01"), "cccd.used_pct")));

	res = check_run(f, &ttyt_real, &july, values, stations,
	    json_object_get(body, "lists"), json_object_get(body, "comments"),
	    hist);
	expect_count(res, 0);
	assert_int_equal(check_blocking(res), 0);
	json_decref(res);

	/* The same report with one station left out is caught. */
	assert_int_equal(json_object_del(stations, "TYT-TX-02"), 0);
	res = check_run(f, &ttyt_real, &july, values, stations, NULL, NULL,
	    hist);
	assert_true(json_array_size(res) > 0);
	assert_int_equal(check_blocking(res), 1);
	json_decref(res);

	json_decref(hist);
	json_decref(body);
	form_free(f);
}

#define PL2_GOOD_VALUES							\
	"{'infra.pc_before_2020': 40, 'infra.pc_after_2020': 65,"	\
	" 'infra.printers': 30, 'infra.routers': 6, 'infra.switches': 9,"\
	" 'infra.servers': 2, 'emr.level': 3,"				\
	" 'infosec.systems': 5, 'infosec.approved': 4,"			\
	" 'infosec.level1': 1, 'infosec.level2': 3, 'infosec.level3': 0,"\
	" 'docs.in_total': 1200, 'docs.in_online': 1100,"		\
	" 'docs.out_total': 800, 'docs.out_sign_both': 600,"		\
	" 'docs.out_sign_leader': 100, 'docs.out_sign_org': 50,"	\
	" 'docs.out_unsigned': 50,"					\
	" 'hr.fulltime': 3, 'hr.fulltime_university': 2,"		\
	" 'hr.fulltime_college': 1, 'hr.fulltime_other': 0,"		\
	" 'hr.parttime': 4, 'hr.parttime_trained': 2,"			\
	" 'fund.digital': 1500000000, 'fund.da06': 200000000,"		\
	" 'eval.advantages': 'Được Sở Y tế chỉ đạo sát sao.',"		\
	" 'eval.difficulties': 'Thiếu máy đọc mã QR.',"			\
	" 'plan': 'Triển khai bệnh án điện tử mức 4.',"			\
	" 'proposals': 'Hỗ trợ kinh phí mua máy chủ.'}"

static void
test_check_real_pl2_good_and_bad_hospital_reports(void **state)
{
	struct form	*f;
	json_t		*body, *details, *values, *res, *r;
	char		*dump;

	(void)state;
	f = form_real("PL2");

	body = J("{'values': " PL2_GOOD_VALUES ", 'lists': {'directives': ["
	    " {'number': '372/QĐ-SYT', 'date': '2023-03-02',"
	    "  'abstract': 'Kế hoạch chuyển đổi số năm 2023'},"
	    " {'number': '15/2023/TT-BYT', 'date': '2023-06-14',"
	    "  'abstract': 'Hướng dẫn liên thông đơn thuốc'}],"
	    " 'comm.cashless': [{'form': 'banner', 'quantity': 4}]}}");
	details = NULL;
	if (form_validate(f, &licensed, body, &details) != 0) {
		dump = json_dumps(details, JSON_INDENT(2));
		print_error("form_validate: %s\n", dump != NULL ? dump : "?");
		free(dump);
	}
	assert_null(details);
	form_derive(f, json_object_get(body, "values"), NULL);

	res = check_run(f, &licensed, &half, json_object_get(body, "values"),
	    NULL, json_object_get(body, "lists"), NULL, NULL);
	expect_count(res, 0);
	json_decref(res);
	json_decref(body);

	values = J(PL2_GOOD_VALUES);
	body = J("{'directives': ["
	    " {'number': '372-QD', 'date': '2023-03-02', 'abstract': 'X'},"
	    " {'number': '372/QĐ-SYT', 'date': '2023-06-20', 'abstract': 'Y'}"
	    "]}");
	res = check_run(f, &licensed, &half, values, NULL, body, NULL, NULL);
	expect_count(res, 2);
	r = expect_result(res, 0, "directives.number_pattern", "error",
	    "directives");
	assert_int_equal(json_integer_value(json_object_get(r, "row")), 1);
	r = expect_result(res, 1, "directives.date_in_period", "error",
	    "directives");
	assert_int_equal(json_integer_value(json_object_get(r, "row")), 2);
	json_decref(res);
	json_decref(body);
	json_decref(values);

	form_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_parts_le_part_within_whole_passes),
		cmocka_unit_test(
		    test_check_parts_le_part_above_whole_is_error_with_numbers),
		cmocka_unit_test(
		    test_check_parts_le_whole_missing_with_part_is_error),
		cmocka_unit_test(test_check_parts_le_all_missing_gives_nothing),
		cmocka_unit_test(test_check_parts_le_sums_several_parts),
		cmocka_unit_test(
		    test_check_parts_overflow_is_error_not_wrapped),
		cmocka_unit_test(test_check_parts_le_runs_per_station_row),
		cmocka_unit_test(
		    test_check_parts_le_unit_and_station_both_reported),
		cmocka_unit_test(test_check_parts_eq_parts_adding_up_pass),
		cmocka_unit_test(test_check_parts_eq_mismatch_is_error),
		cmocka_unit_test(test_check_parts_eq_whole_missing_is_error),
		cmocka_unit_test(test_check_stations_sum_rows_adding_up_pass),
		cmocka_unit_test(
		    test_check_stations_sum_unit_differing_is_error),
		cmocka_unit_test(test_check_stations_sum_unit_missing_is_error),
		cmocka_unit_test(
		    test_check_stations_sum_names_stations_without_rows),
		cmocka_unit_test(
		    test_check_stations_sum_only_for_units_with_stations),
		cmocka_unit_test(test_check_stations_sum_overflow_is_error),
		cmocka_unit_test(test_check_stations_sum_counts_the_own_row),
		cmocka_unit_test(test_check_parts_run_on_the_own_row),
		cmocka_unit_test(
		    test_check_complete_blank_report_lists_every_typed_item),
		cmocka_unit_test(
		    test_check_complete_covers_station_and_own_rows),
		cmocka_unit_test(
		    test_check_complete_skips_items_that_do_not_apply),
		cmocka_unit_test(test_check_shared_vectors_match),
		cmocka_unit_test(
		    test_check_pattern_accepts_vietnamese_capitals),
		cmocka_unit_test(test_check_pattern_reports_each_bad_row),
		cmocka_unit_test(test_check_pattern_backtracking_is_bounded),
		cmocka_unit_test(test_check_dates_inside_window_pass),
		cmocka_unit_test(
		    test_check_dates_outside_window_reported_per_row),
		cmocka_unit_test(
		    test_check_dates_without_window_are_not_checked),
		cmocka_unit_test(test_check_required_blank_text_is_missing),
		cmocka_unit_test(test_check_required_filled_passes),
		cmocka_unit_test(
		    test_check_deviation_needs_two_previous_values),
		cmocka_unit_test(test_check_deviation_within_factor_passes),
		cmocka_unit_test(test_check_deviation_small_moves_are_ignored),
		cmocka_unit_test(test_check_deviation_far_from_mean_warns),
		cmocka_unit_test(
		    test_check_deviation_uses_at_most_six_previous_values),
		cmocka_unit_test(test_check_rate_jump_warns_beyond_points),
		cmocka_unit_test(test_check_rate_jump_within_points_passes),
		cmocka_unit_test(
		    test_check_rate_jump_compares_latest_period_with_a_rate),
		cmocka_unit_test(test_check_warning_answered_by_comment),
		cmocka_unit_test(
		    test_check_blocking_on_errors_and_unanswered_warnings),
		cmocka_unit_test(test_check_blocking_on_real_results),
		cmocka_unit_test(test_check_skips_items_that_do_not_apply),
		cmocka_unit_test(
		    test_check_per_item_checks_keep_items_that_apply),
		cmocka_unit_test(test_check_empty_report_gives_no_result),
		cmocka_unit_test(
		    test_check_out_of_memory_gives_null_never_partial),
		cmocka_unit_test(test_check_real_pl1_good_ttyt_report_passes),
		cmocka_unit_test(
		    test_check_real_pl2_good_and_bad_hospital_reports),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
