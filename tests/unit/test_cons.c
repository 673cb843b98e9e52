/*
 * Consolidation maths: rates come from summed counts, never from an
 * average of the units' rates; months are compared with the longer
 * period they make.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "cons.h"
#include "form.h"

static struct form	*pl1, *pl2;

static int
setup(void **state)
{
	char	err[FORM_ERR_MAX];

	(void)state;
	if ((pl1 = form_load("forms/PL1.json", err, sizeof(err))) == NULL ||
	    (pl2 = form_load("forms/PL2.json", err, sizeof(err))) == NULL) {
		print_error("%s\n", err);
		return (-1);
	}

	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	form_free(pl1);
	form_free(pl2);

	return (0);
}

static json_t *
parse(const char *s)
{
	json_t		*j;

	if ((j = json_loads(s, 0, NULL)) == NULL)
		fail_msg("bad JSON in test: %s", s);

	return (j);
}

static double
real_at(json_t *o, const char *key)
{
	json_t	*v;

	v = json_object_get(o, key);
	assert_non_null(v);

	return (json_number_value(v));
}

static void
test_cons_rate_is_recomputed_from_summed_counts(void **state)
{
	json_t	*c;

	(void)state;
	/*
	 * Unit A: 1 of 1 records on time (100 %); unit B: 10 of 100 (10 %).
	 * The average of the rates would say 55 %; the province sent 11 of
	 * 101 on time: 10.9 %.
	 */
	c = parse("{\"values\": {\"bhyt.records_total\": 101,"
	    " \"bhyt.records_ontime\": 11}}");
	cons_complete(pl1, c);
	assert_true(real_at(json_object_get(c, "values"),
	    "bhyt.ontime_pct") > 10.85);
	assert_true(real_at(json_object_get(c, "values"),
	    "bhyt.ontime_pct") < 10.95);
	json_decref(c);
}

static void
test_cons_derives_every_breakdown(void **state)
{
	json_t	*c, *v;

	(void)state;
	c = parse("{\"values\": {\"erx.total\": 200, \"erx.linked\": 50},"
	    " \"by_district\": {\"NGASON\": {\"name\": \"Huyện Nga Sơn\","
	    "  \"values\": {\"erx.total\": 100, \"erx.linked\": 25}}},"
	    " \"by_kind\": {\"district_centre\": {\"values\":"
	    "  {\"cccd.visits\": 10, \"cccd.used\": 4}}},"
	    " \"stations\": {\"values\": {\"cccd.visits\": 8,"
	    "  \"cccd.used\": 2}, \"by_district\": {}},"
	    " \"units\": [{\"kind\": \"cdc\", \"values\":"
	    "  {\"pay.total\": 10, \"pay.pos\": 5}}],"
	    " \"trend\": [{\"period\": \"2023-07\", \"values\":"
	    "  {\"erx.total\": 4, \"erx.linked\": 1}}],"
	    " \"missing\": [{\"kind\": \"private_clinic\"}]}");
	cons_complete(pl1, c);
	assert_true(real_at(json_object_get(c, "values"),
	    "erx.linked_pct") == 25.0);
	v = json_object_get(json_object_get(json_object_get(c, "by_district"),
	    "NGASON"), "values");
	assert_true(real_at(v, "erx.linked_pct") == 25.0);
	v = json_object_get(json_object_get(json_object_get(c, "by_kind"),
	    "district_centre"), "values");
	assert_true(real_at(v, "cccd.used_pct") == 40.0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_object_get(c, "by_kind"), "district_centre"), "kind_label")),
	    "Trung tâm Y tế huyện");
	v = json_object_get(json_object_get(c, "stations"), "values");
	assert_true(real_at(v, "cccd.used_pct") == 25.0);
	v = json_object_get(json_array_get(json_object_get(c, "units"), 0),
	    "values");
	assert_int_equal(json_integer_value(json_object_get(v,
	    "pay.cashless")), 5);
	v = json_object_get(json_array_get(json_object_get(c, "trend"), 0),
	    "values");
	assert_true(real_at(v, "erx.linked_pct") == 25.0);
	assert_non_null(json_object_get(json_array_get(json_object_get(c,
	    "missing"), 0), "kind_label"));
	json_decref(c);
}

static void
test_cons_compares_a_long_period_with_its_months(void **state)
{
	json_t	*c, *d;

	(void)state;
	c = parse("{\"values\": {\"erx.total\": 300, \"stay.declared\": 7},"
	    " \"monthly\": {\"from\": [\"2024-01\", \"2024-02\"],"
	    "  \"values\": {\"erx.total\": 280, \"birth.total\": 4}}}");
	cons_complete(pl1, c);
	d = json_object_get(json_object_get(c, "monthly"), "differences");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(d,
	    "erx.total"), "difference")), 20);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(d,
	    "birth.total"), "reported")), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(d,
	    "birth.total"), "difference")), -4);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(d,
	    "stay.declared"), "monthly")), 0);
	assert_null(json_object_get(d, "erx.linked"));
	/* Derived items are never compared: they follow from the counts. */
	assert_null(json_object_get(d, "erx.linked_pct"));
	json_decref(c);
}

static void
test_cons_survives_missing_and_wrongly_typed_parts(void **state)
{
	json_t	*c;

	(void)state;
	c = parse("{\"values\": [], \"by_district\": 5, \"units\": {},"
	    " \"monthly\": \"x\", \"trend\": [1, null]}");
	cons_complete(pl1, c);
	json_decref(c);
	c = json_object();
	cons_complete(pl1, c);
	assert_null(json_object_get(c, "monthly"));
	json_decref(c);
}

static json_int_t
int_at(json_t *o, const char *key)
{
	json_t	*v;

	v = json_object_get(o, key);
	if (!json_is_integer(v))
		fail_msg("%s is not a whole number", key);

	return (json_integer_value(v));
}

/*
 * A level-5 hospital and a level-4 centre are not "9": the province has
 * one unit at level 4 and one at level 5, by the form's kind "level"
 * (no item code here), every level of its range listed.
 */
static void
test_cons_level_counts_units_at_each_level(void **state)
{
	json_t	*c, *v, *lv;

	(void)state;
	c = parse("{\"values\": {\"emr.level\": 9, \"infra.pc_before_2020\": 3},"
	    " \"by_district\": {\"A\": {\"values\": {\"emr.level\": 5}},"
	    "  \"B\": {\"values\": {\"emr.level\": 4}},"
	    "  \"C\": {\"values\": {}}},"
	    " \"by_kind\": {\"provincial_hospital\": {\"values\": {}}},"
	    " \"units\": [{\"values\": {\"emr.level\": 5}}],"
	    " \"levels\": {\"values\": {\"emr.level\": {\"4\": 1, \"5\": 1}},"
	    "  \"by_district\": {\"A\": {\"emr.level\": {\"5\": 1}},"
	    "   \"B\": {\"emr.level\": {\"4\": 1}}},"
	    "  \"by_kind\": {\"provincial_hospital\":"
	    "   {\"emr.level\": {\"4\": 1, \"5\": 1}}}}}");
	cons_complete(pl2, c);
	assert_null(json_object_get(c, "levels"));

	v = json_object_get(c, "values");
	assert_int_equal(int_at(v, "infra.pc_before_2020"), 3);
	lv = json_object_get(v, "emr.level");
	assert_true(json_is_object(lv));
	assert_int_equal(json_object_size(lv), 7);
	assert_int_equal(int_at(lv, "1"), 0);
	assert_int_equal(int_at(lv, "4"), 1);
	assert_int_equal(int_at(lv, "5"), 1);
	assert_int_equal(int_at(lv, "7"), 0);

	lv = json_object_get(json_object_get(json_object_get(json_object_get(
	    c, "by_district"), "A"), "values"), "emr.level");
	assert_int_equal(int_at(lv, "5"), 1);
	assert_int_equal(int_at(lv, "4"), 0);
	/* A district where no unit has a level: zero at every level. */
	lv = json_object_get(json_object_get(json_object_get(json_object_get(
	    c, "by_district"), "C"), "values"), "emr.level");
	assert_int_equal(json_object_size(lv), 7);
	assert_int_equal(int_at(lv, "5"), 0);
	lv = json_object_get(json_object_get(json_object_get(json_object_get(
	    c, "by_kind"), "provincial_hospital"), "values"), "emr.level");
	assert_int_equal(int_at(lv, "4"), 1);

	/* A unit's own row keeps its level. */
	v = json_object_get(json_array_get(json_object_get(c, "units"), 0),
	    "values");
	assert_int_equal(int_at(v, "emr.level"), 5);
	json_decref(c);

	/* A form without level items: nothing changes, "levels" goes. */
	c = parse("{\"values\": {\"erx.total\": 4}, \"levels\": {}}");
	cons_complete(pl1, c);
	assert_null(json_object_get(c, "levels"));
	assert_int_equal(json_object_size(json_object_get(c, "values")), 1);
	json_decref(c);

	/* Counts of the wrong type are not trusted. */
	c = parse("{\"values\": {}, \"levels\": {\"values\":"
	    " {\"emr.level\": {\"4\": \"x\", \"5\": -2, \"6\": 2}}}}");
	cons_complete(pl2, c);
	lv = json_object_get(json_object_get(c, "values"), "emr.level");
	assert_int_equal(int_at(lv, "4"), 0);
	assert_int_equal(int_at(lv, "5"), 0);
	assert_int_equal(int_at(lv, "6"), 2);
	json_decref(c);
}

/* The example version 2 of PL1 (forms/examples/), with the VNeID items. */
static const struct form *
lookup_v(int version, void *arg)
{
	struct form	**v = arg;

	return (version == 1 ? v[0] : version == 2 ? v[1] : NULL);
}

static int
listed(json_t *a, const char *code)
{
	json_t		*c;
	size_t		i;

	json_array_foreach(a, i, c) {
		if (!strcmp(json_string_value(c), code))
			return (1);
	}

	return (0);
}

static void
test_cons_months_of_an_older_version_are_absent_not_zero(void **state)
{
	struct form	*v2, *both[2];
	json_t		*c, *old, *now, *d;

	(void)state;
	v2 = form_load("forms/examples/PL1-2026-vneid.json", NULL, 0);
	assert_non_null(v2);
	both[0] = pl1;
	both[1] = v2;
	c = parse("{\"values\": {\"vneid.hb_updated\": 900, "
	    "\"vneid.hb_paperless\": 300, \"erx.total\": 10},"
	    " \"trend\": ["
	    "  {\"period\": \"2025-12\", \"version\": 1,"
	    "   \"values\": {\"erx.total\": 10, \"erx.linked\": 5}},"
	    "  {\"period\": \"2026-01\", \"version\": 2,"
	    "   \"values\": {\"erx.total\": 10, \"erx.linked\": 5,"
	    "    \"vneid.hb_updated\": 900, \"vneid.hb_paperless\": 300}}],"
	    " \"monthly\": {\"versions\": {\"2025-12\": 1, \"2026-01\": 2},"
	    "  \"values\": {\"vneid.hb_updated\": 900, \"erx.total\": 20}}}");
	cons_complete_versions(v2, c, lookup_v, both);

	old = json_array_get(json_object_get(c, "trend"), 0);
	now = json_array_get(json_object_get(c, "trend"), 1);
	assert_true(listed(json_object_get(old, "absent"),
	    "vneid.hb_paperless_pct"));
	assert_null(json_object_get(json_object_get(old, "values"),
	    "vneid.hb_paperless_pct"));
	assert_true(real_at(json_object_get(old, "values"),
	    "erx.linked_pct") == 50.0);
	assert_int_equal(json_array_size(json_object_get(now, "absent")), 0);
	assert_true(real_at(json_object_get(now, "values"),
	    "vneid.hb_paperless_pct") == 33.3);

	/* A sum over months one of which did not ask is no figure. */
	d = json_object_get(json_object_get(json_object_get(c, "monthly"),
	    "differences"), "vneid.hb_updated");
	assert_true(json_is_true(json_object_get(d, "absent")));
	assert_true(json_is_null(json_object_get(d, "monthly")));
	assert_true(json_is_null(json_object_get(d, "difference")));
	assert_null(json_object_get(json_object_get(json_object_get(c,
	    "monthly"), "values"), "vneid.hb_updated"));
	d = json_object_get(json_object_get(json_object_get(c, "monthly"),
	    "differences"), "erx.total");
	assert_int_equal(json_integer_value(json_object_get(d, "difference")),
	    -10);
	json_decref(c);
	form_free(v2);
}

/*
 * A unit's stored values as text give its derived items, in the order a
 * whole completion would add them, and the same values: the streamed
 * answer writes them after the text it has (cons_api.c).
 */
static void
test_cons_values_derived_are_those_of_a_whole_completion(void **state)
{
	const char	*text = "{\"erx.linked\":5,\"erx.total\":8,"
			    "\"bhyt.records_ontime\":1,"
			    "\"bhyt.records_total\":3}";
	json_t		*d, *row, *values, *x;
	const char	*key;
	size_t		n;

	(void)state;
	d = cons_values_derived(pl1, text, strlen(text));
	assert_non_null(d);
	row = json_pack("{s:o}", "values", parse(text));
	cons_complete_row(pl1, row);
	values = json_object_get(row, "values");
	/* Every derived one, and nothing else, in the same order. */
	assert_int_equal(json_object_size(values), 4 + json_object_size(d));
	n = 0;
	json_object_foreach(values, key, x) {
		if (n++ < 4)
			continue;
		assert_true(json_equal(x, json_object_get(d, key)));
	}
	assert_true(real_at(d, "erx.linked_pct") == 62.5);
	json_decref(d);
	json_decref(row);

	/* A derived item among the stored ones, or no JSON: not so. */
	assert_null(cons_values_derived(pl1, "{\"erx.linked_pct\":1}", 20));
	assert_null(cons_values_derived(pl1, "{\"erx", 5));
	assert_null(cons_values_derived(pl1, "[1]", 3));
	d = cons_values_derived(pl1, "{}", 2);
	assert_non_null(d);
	json_decref(d);
	assert_string_equal(cons_kind_label_of("private_clinic"),
	    "Phòng khám ngoài công lập");
	assert_null(cons_kind_label_of("no_such_kind"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cons_rate_is_recomputed_from_summed_counts),
		cmocka_unit_test(test_cons_derives_every_breakdown),
		cmocka_unit_test(test_cons_compares_a_long_period_with_its_months),
		cmocka_unit_test(test_cons_survives_missing_and_wrongly_typed_parts),
		cmocka_unit_test(test_cons_level_counts_units_at_each_level),
		cmocka_unit_test(
		    test_cons_months_of_an_older_version_are_absent_not_zero),
		cmocka_unit_test(
		    test_cons_values_derived_are_those_of_a_whole_completion),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
