/*
 * Unit tests for the reporting calendar (modules/period.c).
 *
 * Instants are written as literal Unix times, checked against
 * `date -u -d <ISO> +%s`, so the late rule is not tested against itself.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "period.h"

struct expect {
	const char	*code;
	const char	*name;
	int		 kind;
	int		 month;
	const char	*start;
	const char	*end;
	const char	*deadline;
	int		 forms;
};

static void	assert_date(const struct pdate *, const char *);
static void	assert_period(const struct period *, int,
		    const struct expect *);
static struct pdate	date(const char *);
static void	pdate_make(struct pdate *, int, int, int);

/* The table of the 2023 letter, as the letter states it. */
static const struct expect letter_2023[] = {
	{ "2023-H1", "6 tháng 2023", PERIOD_KIND_HALF, 0,
	  "2023-01-01", "2023-06-14", "2023-06-27",
	  PERIOD_FORM_PL1 | PERIOD_FORM_PL2 },
	{ "2023-07", "Tháng 7/2023", PERIOD_KIND_MONTH, 7,
	  "2023-06-15", "2023-07-14", "2023-07-15", PERIOD_FORM_PL1 },
	{ "2023-08", "Tháng 8/2023", PERIOD_KIND_MONTH, 8,
	  "2023-07-15", "2023-08-14", "2023-08-15", PERIOD_FORM_PL1 },
	{ "2023-09", "Tháng 9/2023", PERIOD_KIND_MONTH, 9,
	  "2023-08-15", "2023-09-14", "2023-09-15", PERIOD_FORM_PL1 },
	{ "2023-10", "Tháng 10/2023", PERIOD_KIND_MONTH, 10,
	  "2023-09-15", "2023-10-14", "2023-10-15", PERIOD_FORM_PL1 },
	{ "2023-11", "Tháng 11/2023", PERIOD_KIND_MONTH, 11,
	  "2023-10-15", "2023-11-14", "2023-11-15", PERIOD_FORM_PL1 },
	{ "2023-12", "Tháng 12/2023", PERIOD_KIND_MONTH, 12,
	  "2023-11-15", "2023-12-14", "2023-12-15", PERIOD_FORM_PL1 },
	{ "2023-Y", "Năm 2023", PERIOD_KIND_YEAR, 0,
	  "2023-01-01", "2023-12-14", "2023-12-15", PERIOD_FORM_PL2 },
};

static const char *const order_2024[PERIOD_MAX_PER_YEAR] = {
	"2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06",
	"2024-H1",
	"2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12",
	"2024-Y",
};

static struct pdate
date(const char *s)
{
	struct pdate	d;

	assert_int_equal(period_date_parse(s, &d), 0);

	return (d);
}

/* Builds a date without validating it, to feed impossible ones in. */
static void
pdate_make(struct pdate *d, int y, int m, int day)
{
	d->y = y;
	d->m = m;
	d->d = day;
}

static void
assert_date(const struct pdate *d, const char *want)
{
	char		buf[11];

	period_date_format(d, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void
assert_period(const struct period *p, int year, const struct expect *e)
{
	assert_string_equal(p->code, e->code);
	assert_string_equal(p->name, e->name);
	assert_int_equal(p->kind, e->kind);
	assert_int_equal(p->year, year);
	assert_int_equal(p->month, e->month);
	assert_date(&p->start, e->start);
	assert_date(&p->end, e->end);
	assert_date(&p->deadline, e->deadline);
	assert_int_equal(p->forms, e->forms);
}

static void
test_period_2023_table_matches_letter(void **state)
{
	struct period	cal[PERIOD_MAX_PER_YEAR];
	size_t		i, n;

	(void)state;
	n = sizeof(letter_2023) / sizeof(letter_2023[0]);
	assert_int_equal(period_generate(2023, cal, PERIOD_MAX_PER_YEAR),
	    (int)n);
	for (i = 0; i < n; i++)
		assert_period(&cal[i], 2023, &letter_2023[i]);
}

static void
test_period_2023_lookup_matches_letter(void **state)
{
	struct period	p;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(letter_2023) / sizeof(letter_2023[0]); i++) {
		assert_int_equal(period_lookup(letter_2023[i].code, &p), 0);
		assert_period(&p, 2023, &letter_2023[i]);
	}
}

static void
test_period_2023_has_no_january_to_june_months(void **state)
{
	static const char *const	codes[] = {
		"2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06",
	};
	struct period			p;
	int				kind, year, month, i;

	(void)state;
	for (i = 0; i < 6; i++) {
		assert_int_equal(period_code_parse(codes[i], &kind, &year,
		    &month), 0);
		assert_int_equal(kind, PERIOD_KIND_MONTH);
		assert_int_equal(year, 2023);
		assert_int_equal(month, i + 1);
		assert_int_equal(period_lookup(codes[i], &p), -1);
	}
}

static void
test_period_january_window_starts_in_previous_year(void **state)
{
	struct period	p;

	(void)state;
	assert_int_equal(period_lookup("2024-01", &p), 0);
	assert_string_equal(p.name, "Tháng 1/2024");
	assert_int_equal(p.year, 2024);
	assert_int_equal(p.month, 1);
	assert_date(&p.start, "2023-12-15");
	assert_date(&p.end, "2024-01-14");
	assert_date(&p.deadline, "2024-01-15");
	assert_int_equal(p.forms, PERIOD_FORM_PL1);

	assert_int_equal(period_lookup("2025-01", &p), 0);
	assert_date(&p.start, "2024-12-15");
	assert_date(&p.end, "2025-01-14");
	assert_date(&p.deadline, "2025-01-15");
}

static void
test_period_2024_has_fourteen_periods_in_deadline_order(void **state)
{
	struct period	cal[PERIOD_MAX_PER_YEAR];
	int		i;

	(void)state;
	assert_int_equal(period_generate(2024, cal, PERIOD_MAX_PER_YEAR),
	    PERIOD_MAX_PER_YEAR);
	for (i = 0; i < PERIOD_MAX_PER_YEAR; i++) {
		assert_string_equal(cal[i].code, order_2024[i]);
		assert_int_equal(cal[i].year, 2024);
		if (i > 0)
			assert_true(period_date_cmp(&cal[i - 1].deadline,
			    &cal[i].deadline) <= 0);
	}
}

static void
test_period_2025_half_year_and_year_follow_the_rule(void **state)
{
	static const struct expect	half = {
		"2025-H1", "6 tháng 2025", PERIOD_KIND_HALF, 0,
		"2024-12-15", "2025-06-14", "2025-06-15",
		PERIOD_FORM_PL1 | PERIOD_FORM_PL2
	};
	static const struct expect	year = {
		"2025-Y", "Năm 2025", PERIOD_KIND_YEAR, 0,
		"2024-12-15", "2025-12-14", "2025-12-15", PERIOD_FORM_PL2
	};
	static const struct expect	june = {
		"2025-06", "Tháng 6/2025", PERIOD_KIND_MONTH, 6,
		"2025-05-15", "2025-06-14", "2025-06-15", PERIOD_FORM_PL1
	};
	struct period			cal[PERIOD_MAX_PER_YEAR];

	(void)state;
	assert_int_equal(period_generate(2025, cal, PERIOD_MAX_PER_YEAR),
	    PERIOD_MAX_PER_YEAR);
	assert_period(&cal[5], 2025, &june);
	assert_period(&cal[6], 2025, &half);
	assert_period(&cal[13], 2025, &year);
}

static void
test_period_months_before_half_year_and_year_on_same_deadline(void **state)
{
	struct period	cal[PERIOD_MAX_PER_YEAR];
	int		y;

	(void)state;
	for (y = 2024; y <= PERIOD_YEAR_MAX; y++) {
		assert_int_equal(period_generate(y, cal, PERIOD_MAX_PER_YEAR),
		    PERIOD_MAX_PER_YEAR);
		assert_int_equal(cal[5].kind, PERIOD_KIND_MONTH);
		assert_int_equal(cal[6].kind, PERIOD_KIND_HALF);
		assert_int_equal(period_date_cmp(&cal[5].deadline,
		    &cal[6].deadline), 0);
		assert_int_equal(cal[12].kind, PERIOD_KIND_MONTH);
		assert_int_equal(cal[13].kind, PERIOD_KIND_YEAR);
		assert_int_equal(period_date_cmp(&cal[12].deadline,
		    &cal[13].deadline), 0);
	}
}

/* Every monthly window of 2024-2100 starts the day after the last one. */
static void
test_period_monthly_windows_are_contiguous_through_2100(void **state)
{
	struct period	cal[PERIOD_MAX_PER_YEAR];
	struct pdate	prev_end;
	int		y, i, n;

	(void)state;
	prev_end = date("2023-12-14");
	for (y = 2024; y <= PERIOD_YEAR_MAX; y++) {
		n = period_generate(y, cal, PERIOD_MAX_PER_YEAR);
		assert_int_equal(n, PERIOD_MAX_PER_YEAR);
		for (i = 0; i < n; i++) {
			if (cal[i].kind != PERIOD_KIND_MONTH)
				continue;
			assert_true(period_days(&cal[i].start) ==
			    period_days(&prev_end) + 1);
			assert_int_equal(cal[i].end.d, 14);
			assert_true(period_days(&cal[i].deadline) ==
			    period_days(&cal[i].end) + 1);
			assert_null(period_check_dates(&cal[i].start,
			    &cal[i].end, &cal[i].deadline));
			prev_end = cal[i].end;
		}
	}
	assert_date(&prev_end, "2100-12-14");
}

static void
test_period_generate_accepts_last_year(void **state)
{
	struct period	p;

	(void)state;
	assert_int_equal(period_lookup("2100-12", &p), 0);
	assert_date(&p.start, "2100-11-15");
	assert_int_equal(period_lookup("2100-Y", &p), 0);
	assert_date(&p.start, "2099-12-15");
	assert_date(&p.deadline, "2100-12-15");
}

static void
test_period_generate_rejects_years_out_of_range(void **state)
{
	struct period	cal[PERIOD_MAX_PER_YEAR];

	(void)state;
	assert_int_equal(period_generate(2022, cal, PERIOD_MAX_PER_YEAR), -1);
	assert_int_equal(period_generate(2101, cal, PERIOD_MAX_PER_YEAR), -1);
	assert_int_equal(period_generate(0, cal, PERIOD_MAX_PER_YEAR), -1);
	assert_int_equal(period_generate(-2024, cal, PERIOD_MAX_PER_YEAR),
	    -1);
}

static void
test_period_generate_rejects_too_small_buffer(void **state)
{
	struct period	cal[PERIOD_MAX_PER_YEAR];

	(void)state;
	assert_int_equal(period_generate(2023, cal, 7), -1);
	assert_int_equal(period_generate(2023, cal, 8), 8);
	assert_int_equal(period_generate(2024, cal, 13), -1);
	assert_int_equal(period_generate(2024, cal, 0), -1);
	assert_int_equal(period_generate(2024, NULL, PERIOD_MAX_PER_YEAR),
	    -1);
}

static void
test_period_code_parse_accepts_month_half_year_and_year(void **state)
{
	int		kind, year, month;

	(void)state;
	assert_int_equal(period_code_parse("2023-07", &kind, &year, &month),
	    0);
	assert_int_equal(kind, PERIOD_KIND_MONTH);
	assert_int_equal(year, 2023);
	assert_int_equal(month, 7);

	assert_int_equal(period_code_parse("2100-12", &kind, &year, &month),
	    0);
	assert_int_equal(month, 12);

	assert_int_equal(period_code_parse("2024-H1", &kind, &year, &month),
	    0);
	assert_int_equal(kind, PERIOD_KIND_HALF);
	assert_int_equal(year, 2024);
	assert_int_equal(month, 0);

	assert_int_equal(period_code_parse("2025-Y", &kind, &year, &month),
	    0);
	assert_int_equal(kind, PERIOD_KIND_YEAR);
	assert_int_equal(year, 2025);
	assert_int_equal(month, 0);
}

static void
test_period_code_parse_rejects_malformed_codes(void **state)
{
	static const char *const	bad[] = {
		"", " 2023-07", "2023-07 ", "2023-7", "2023-13", "2023-00",
		"2023-h1", "2023-H2", "2023-y", "2023-YY", "2023-H", "20233-01",
		"2023_07", "2023-07\n", "2023-+7", "+023-07", "2023", "2023-",
		"2023-007", "2023-H1 ", "2023-Y ", "2022-07", "2101-01",
		"0000-01", "9999-Y", "abcd-01",
	};
	size_t				i;
	int				kind, year, month;

	(void)state;
	assert_int_equal(period_code_parse(NULL, &kind, &year, &month), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (period_code_parse(bad[i], &kind, &year, &month) != -1)
			fail_msg("accepted bad code \"%s\"", bad[i]);
	}
}

static void
test_period_lookup_rejects_unknown_codes(void **state)
{
	struct period	p;

	(void)state;
	assert_int_equal(period_lookup(NULL, &p), -1);
	assert_int_equal(period_lookup("", &p), -1);
	assert_int_equal(period_lookup("2023-01", &p), -1);
	assert_int_equal(period_lookup("2023-06", &p), -1);
	assert_int_equal(period_lookup("2022-12", &p), -1);
	assert_int_equal(period_lookup("2101-Y", &p), -1);
	assert_int_equal(period_lookup("2024-H2", &p), -1);
	assert_int_equal(period_lookup("2024-07", NULL), -1);
}

static void
test_period_date_parse_accepts_real_dates(void **state)
{
	struct pdate	d;

	(void)state;
	assert_int_equal(period_date_parse("2023-07-15", &d), 0);
	assert_int_equal(d.y, 2023);
	assert_int_equal(d.m, 7);
	assert_int_equal(d.d, 15);
	assert_int_equal(period_date_parse("1900-01-01", &d), 0);
	assert_int_equal(period_date_parse("9999-12-31", &d), 0);
	assert_int_equal(period_date_parse("2023-04-30", &d), 0);
	assert_int_equal(period_date_parse("2023-12-31", &d), 0);
}

static void
test_period_date_parse_follows_leap_years(void **state)
{
	struct pdate	d;

	(void)state;
	assert_int_equal(period_date_parse("2024-02-29", &d), 0);
	assert_int_equal(period_date_parse("2000-02-29", &d), 0);
	assert_int_equal(period_date_parse("2096-02-29", &d), 0);
	assert_int_equal(period_date_parse("2023-02-29", &d), -1);
	assert_int_equal(period_date_parse("2100-02-29", &d), -1);
	assert_int_equal(period_date_parse("1900-02-29", &d), -1);
	assert_int_equal(period_date_parse("2024-02-30", &d), -1);
}

static void
test_period_date_parse_rejects_bad_dates(void **state)
{
	static const char *const	bad[] = {
		"", "2023-7-15", "2023-07-5", "23-07-15", "2023/07/15",
		"2023-07-15 ", " 2023-07-15", "2023-07-15T00:00", "20230715",
		"2023-13-01", "2023-00-10", "2023-01-00", "2023-01-32",
		"2023-04-31", "2023-06-31", "2023-09-31", "2023-11-31",
		"1899-12-31", "10000-01-01", "0000-01-01", "+023-07-15",
		"2023-+7-15", "2023-07-1x", "2023-07--1", "2023-07-15\n",
		"2023_07_15",
	};
	struct pdate			d;
	size_t				i;

	(void)state;
	assert_int_equal(period_date_parse(NULL, &d), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (period_date_parse(bad[i], &d) != -1)
			fail_msg("accepted bad date \"%s\"", bad[i]);
	}
}

static void
test_period_date_format_round_trips(void **state)
{
	struct pdate	d;
	char		buf[11];

	(void)state;
	d = date("2024-02-29");
	period_date_format(&d, buf, sizeof(buf));
	assert_string_equal(buf, "2024-02-29");

	d = date("1900-01-01");
	period_date_format(&d, buf, sizeof(buf));
	assert_string_equal(buf, "1900-01-01");

	/* A short buffer is truncated, never overrun. */
	period_date_format(&d, buf, 5);
	assert_string_equal(buf, "1900");
}

static void
test_period_date_cmp_orders_dates(void **state)
{
	struct pdate	a, b, c, e;

	(void)state;
	a = date("2023-12-31");
	b = date("2024-01-01");
	c = date("2024-02-01");
	e = date("2024-02-02");
	assert_int_equal(period_date_cmp(&a, &b), -1);
	assert_int_equal(period_date_cmp(&b, &a), 1);
	assert_int_equal(period_date_cmp(&b, &c), -1);
	assert_int_equal(period_date_cmp(&c, &e), -1);
	assert_int_equal(period_date_cmp(&e, &c), 1);
	assert_int_equal(period_date_cmp(&a, &a), 0);
}

static void
test_period_date_valid_rejects_impossible_dates(void **state)
{
	struct pdate	d;

	(void)state;
	pdate_make(&d, 2023, 2, 29);
	assert_false(period_date_valid(&d));
	pdate_make(&d, 2024, 2, 29);
	assert_true(period_date_valid(&d));
	pdate_make(&d, 2024, 0, 1);
	assert_false(period_date_valid(&d));
	pdate_make(&d, 2024, 13, 1);
	assert_false(period_date_valid(&d));
	pdate_make(&d, 2024, 1, 0);
	assert_false(period_date_valid(&d));
	pdate_make(&d, 2024, 4, 31);
	assert_false(period_date_valid(&d));
	pdate_make(&d, 1899, 12, 31);
	assert_false(period_date_valid(&d));
	pdate_make(&d, 10000, 1, 1);
	assert_false(period_date_valid(&d));
	assert_false(period_date_valid(NULL));
}

static void
test_period_days_counts_from_unix_epoch(void **state)
{
	struct pdate	d;

	(void)state;
	d = date("1970-01-01");
	assert_true(period_days(&d) == 0);
	d = date("1969-12-31");
	assert_true(period_days(&d) == -1);
	d = date("1900-01-01");
	assert_true(period_days(&d) == -25567);
	d = date("2000-03-01");
	assert_true(period_days(&d) == 11017);
	d = date("2023-07-15");
	assert_true(period_days(&d) == 19553);
	d = date("2024-02-29");
	assert_true(period_days(&d) == 19782);
	d = date("2100-03-01");
	assert_true(period_days(&d) == 47541);
	d = date("9999-12-31");
	assert_true(period_days(&d) == 2932896);
}

static void
test_period_days_counts_leap_days(void **state)
{
	struct pdate	feb28, mar1;

	(void)state;
	feb28 = date("2024-02-28");
	mar1 = date("2024-03-01");
	assert_true(period_days(&mar1) - period_days(&feb28) == 2);
	feb28 = date("2023-02-28");
	mar1 = date("2023-03-01");
	assert_true(period_days(&mar1) - period_days(&feb28) == 1);
	feb28 = date("2100-02-28");
	mar1 = date("2100-03-01");
	assert_true(period_days(&mar1) - period_days(&feb28) == 1);
	feb28 = date("2000-02-28");
	mar1 = date("2000-03-01");
	assert_true(period_days(&mar1) - period_days(&feb28) == 2);
}

static void
test_period_deadline_end_is_local_midnight_after_deadline(void **state)
{
	struct pdate	d;

	(void)state;
	/* 2023-07-16T00:00:00+07:00 = 2023-07-15T17:00:00Z */
	d = date("2023-07-15");
	assert_true(period_deadline_end(&d) == (time_t)1689440400);
	/* 2023-06-28T00:00:00+07:00 = 2023-06-27T17:00:00Z */
	d = date("2023-06-27");
	assert_true(period_deadline_end(&d) == (time_t)1687885200);
	/* 2024-01-01T00:00:00+07:00 = 2023-12-31T17:00:00Z */
	d = date("2023-12-31");
	assert_true(period_deadline_end(&d) == (time_t)1704042000);
	/* 2100-12-16T00:00:00+07:00 = 2100-12-15T17:00:00Z */
	d = date("2100-12-15");
	assert_true(period_deadline_end(&d) == (time_t)4132573200LL);
}

static void
test_period_submission_at_235959_on_deadline_is_on_time(void **state)
{
	struct pdate	d;

	(void)state;
	/* 2023-07-15T16:59:59Z = 23:59:59 local on the deadline day. */
	d = date("2023-07-15");
	assert_false(period_is_late(&d, (time_t)1689440399));
	/* 2023-06-27T16:59:59Z, the H1 deadline of the letter. */
	d = date("2023-06-27");
	assert_false(period_is_late(&d, (time_t)1687885199));
	/* 2024-01-15T16:59:59Z */
	d = date("2024-01-15");
	assert_false(period_is_late(&d, (time_t)1705337999));
}

static void
test_period_submission_at_midnight_after_deadline_is_late(void **state)
{
	struct pdate	d;

	(void)state;
	/* 2023-07-15T17:00:00Z = 00:00:00 local on 16 July. */
	d = date("2023-07-15");
	assert_true(period_is_late(&d, (time_t)1689440400));
	assert_true(period_is_late(&d, (time_t)1689440401));
	d = date("2023-06-27");
	assert_true(period_is_late(&d, (time_t)1687885200));
	d = date("2024-01-15");
	assert_true(period_is_late(&d, (time_t)1705338000));
}

static void
test_period_submission_early_on_deadline_day_utc_is_on_time(void **state)
{
	struct pdate	d;

	(void)state;
	/* 2023-07-15T00:00:00Z is 07:00 local: well within the day. */
	d = date("2023-07-15");
	assert_false(period_is_late(&d, (time_t)(1689440400 - 17 * 3600)));
	/* A week before is never late. */
	assert_false(period_is_late(&d, (time_t)(1689440400 - 7 * 86400)));
}

static void
test_period_local_date_rolls_over_at_1700_utc(void **state)
{
	struct pdate	d;

	(void)state;
	/* 2023-07-15T16:59:59Z is still the 15th in Hanoi. */
	period_local_date((time_t)1689440399, &d);
	assert_date(&d, "2023-07-15");
	/* 2023-07-15T17:00:00Z is already the 16th. */
	period_local_date((time_t)1689440400, &d);
	assert_date(&d, "2023-07-16");
	/* 2023-12-31T17:00:00Z is New Year's Day 2024. */
	period_local_date((time_t)1704041999, &d);
	assert_date(&d, "2023-12-31");
	period_local_date((time_t)1704042000, &d);
	assert_date(&d, "2024-01-01");
	/* 2024-02-29T17:00:00Z is 1 March. */
	period_local_date((time_t)1709226000 - 1, &d);
	assert_date(&d, "2024-02-29");
	period_local_date((time_t)1709226000, &d);
	assert_date(&d, "2024-03-01");
}

static void
test_period_local_date_handles_instants_before_epoch(void **state)
{
	struct pdate	d;

	(void)state;
	period_local_date((time_t)0, &d);
	assert_date(&d, "1970-01-01");
	/* 1969-12-31T17:00:00Z is midnight of 1 January 1970 in Hanoi. */
	period_local_date((time_t)(-7 * 3600), &d);
	assert_date(&d, "1970-01-01");
	period_local_date((time_t)(-7 * 3600 - 1), &d);
	assert_date(&d, "1969-12-31");
}

/* period_local_date and period_days agree on every day of 1900-2200. */
static void
test_period_local_date_inverts_days(void **state)
{
	struct pdate	d, got;
	int64_t		day, first, last;
	time_t		noon;

	(void)state;
	d = date("1900-01-01");
	first = period_days(&d);
	pdate_make(&d, 2200, 12, 31);
	last = period_days(&d);
	for (day = first; day <= last; day++) {
		noon = (time_t)(day * 86400 + 12 * 3600 - PERIOD_TZ_OFFSET);
		period_local_date(noon, &got);
		if (period_days(&got) != day)
			fail_msg("day %lld gave %04d-%02d-%02d",
			    (long long)day, got.y, got.m, got.d);
		assert_true(period_date_valid(&got));
	}
}

static void
test_period_check_dates_accepts_ordered_dates(void **state)
{
	struct pdate	s, e, d;

	(void)state;
	s = date("2023-06-15");
	e = date("2023-07-14");
	d = date("2023-07-15");
	assert_null(period_check_dates(&s, &e, &d));
	/* One-day window, due the same day. */
	assert_null(period_check_dates(&e, &e, &e));
}

static void
test_period_check_dates_rejects_start_after_end(void **state)
{
	struct pdate	s, e, d;

	(void)state;
	s = date("2023-07-15");
	e = date("2023-07-14");
	d = date("2023-07-20");
	assert_string_equal(period_check_dates(&s, &e, &d),
	    "Ngày bắt đầu phải trước hoặc trùng ngày kết thúc kỳ số liệu.");
}

static void
test_period_check_dates_rejects_deadline_before_end(void **state)
{
	struct pdate	s, e, d;

	(void)state;
	s = date("2023-06-15");
	e = date("2023-07-14");
	d = date("2023-07-13");
	assert_string_equal(period_check_dates(&s, &e, &d),
	    "Hạn nộp không được trước ngày kết thúc kỳ số liệu.");
}

static void
test_period_check_dates_rejects_invalid_dates(void **state)
{
	struct pdate	ok, bad;

	(void)state;
	ok = date("2023-07-14");
	pdate_make(&bad, 2023, 2, 29);
	assert_string_equal(period_check_dates(&bad, &ok, &ok),
	    "Ngày bắt đầu không hợp lệ.");
	assert_string_equal(period_check_dates(&ok, &bad, &ok),
	    "Ngày kết thúc không hợp lệ.");
	assert_string_equal(period_check_dates(&ok, &ok, &bad),
	    "Hạn nộp không hợp lệ.");
	assert_string_equal(period_check_dates(NULL, &ok, &ok),
	    "Ngày bắt đầu không hợp lệ.");
	assert_string_equal(period_check_dates(&ok, NULL, &ok),
	    "Ngày kết thúc không hợp lệ.");
	assert_string_equal(period_check_dates(&ok, &ok, NULL),
	    "Hạn nộp không hợp lệ.");
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_period_2023_table_matches_letter),
		cmocka_unit_test(test_period_2023_lookup_matches_letter),
		cmocka_unit_test(test_period_2023_has_no_january_to_june_months),
		cmocka_unit_test(
		    test_period_january_window_starts_in_previous_year),
		cmocka_unit_test(
		    test_period_2024_has_fourteen_periods_in_deadline_order),
		cmocka_unit_test(
		    test_period_2025_half_year_and_year_follow_the_rule),
		cmocka_unit_test(
		    test_period_months_before_half_year_and_year_on_same_deadline),
		cmocka_unit_test(
		    test_period_monthly_windows_are_contiguous_through_2100),
		cmocka_unit_test(test_period_generate_accepts_last_year),
		cmocka_unit_test(
		    test_period_generate_rejects_years_out_of_range),
		cmocka_unit_test(test_period_generate_rejects_too_small_buffer),
		cmocka_unit_test(
		    test_period_code_parse_accepts_month_half_year_and_year),
		cmocka_unit_test(test_period_code_parse_rejects_malformed_codes),
		cmocka_unit_test(test_period_lookup_rejects_unknown_codes),
		cmocka_unit_test(test_period_date_parse_accepts_real_dates),
		cmocka_unit_test(test_period_date_parse_follows_leap_years),
		cmocka_unit_test(test_period_date_parse_rejects_bad_dates),
		cmocka_unit_test(test_period_date_format_round_trips),
		cmocka_unit_test(test_period_date_cmp_orders_dates),
		cmocka_unit_test(
		    test_period_date_valid_rejects_impossible_dates),
		cmocka_unit_test(test_period_days_counts_from_unix_epoch),
		cmocka_unit_test(test_period_days_counts_leap_days),
		cmocka_unit_test(
		    test_period_deadline_end_is_local_midnight_after_deadline),
		cmocka_unit_test(
		    test_period_submission_at_235959_on_deadline_is_on_time),
		cmocka_unit_test(
		    test_period_submission_at_midnight_after_deadline_is_late),
		cmocka_unit_test(
		    test_period_submission_early_on_deadline_day_utc_is_on_time),
		cmocka_unit_test(test_period_local_date_rolls_over_at_1700_utc),
		cmocka_unit_test(
		    test_period_local_date_handles_instants_before_epoch),
		cmocka_unit_test(test_period_local_date_inverts_days),
		cmocka_unit_test(test_period_check_dates_accepts_ordered_dates),
		cmocka_unit_test(
		    test_period_check_dates_rejects_start_after_end),
		cmocka_unit_test(
		    test_period_check_dates_rejects_deadline_before_end),
		cmocka_unit_test(test_period_check_dates_rejects_invalid_dates),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
