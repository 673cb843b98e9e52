/*
 * The reporting calendar of the Department of Health: period codes,
 * default windows and deadlines, strict dates and the late rule.
 *
 * Everything here is pure: no TZ, no mktime(), no localtime(), no state.
 * Dates are turned into day numbers and back with the proleptic Gregorian
 * arithmetic of Howard Hinnant's "chrono-compatible low-level date
 * algorithms", so the code is thread-safe and gives the same answer on
 * every host whatever its time zone database says.
 */

#include <stdio.h>
#include <string.h>

#include "period.h"

#define SECS_PER_DAY		86400

/* Bounds of the dates a person may type (period_date_parse). */
#define DATE_YEAR_MIN		1900
#define DATE_YEAR_MAX		9999

/* The letter that opens the 2023 calendar. */
#define LETTER_YEAR		2023

#define MSG_START_INVALID	"Ngày bắt đầu không hợp lệ."
#define MSG_END_INVALID		"Ngày kết thúc không hợp lệ."
#define MSG_DEADLINE_INVALID	"Hạn nộp không hợp lệ."
#define MSG_START_AFTER_END	\
	"Ngày bắt đầu phải trước hoặc trùng ngày kết thúc kỳ số liệu."
#define MSG_DEADLINE_BEFORE_END	\
	"Hạn nộp không được trước ngày kết thúc kỳ số liệu."

static int	is_leap(int);
static int	month_days(int, int);
static int	digits(const char *, size_t, int *);
static void	pdate_set(struct pdate *, int, int, int);
static void	civil_from_days(int64_t, struct pdate *);
static void	code_set(struct period *, int, const char *);
static void	period_month(struct period *, int, int);
static void	period_half(struct period *, int);
static void	period_annual(struct period *, int);
static int	generate_letter(struct period *);
static int	generate_rule(int, struct period *);

/* Month suffixes of codes, so that no code needs a "%02d". */
static const char *const	months[12] = {
	"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"
};

int
period_generate(int year, struct period *out, size_t max)
{
	size_t		need;

	if (year < PERIOD_YEAR_MIN || year > PERIOD_YEAR_MAX || out == NULL)
		return (-1);

	/* 2023 has only July to December, the half-year and the year. */
	need = (year == LETTER_YEAR) ? 8 : PERIOD_MAX_PER_YEAR;
	if (max < need)
		return (-1);

	if (year == LETTER_YEAR)
		return (generate_letter(out));

	return (generate_rule(year, out));
}

int
period_code_parse(const char *code, int *kind, int *year, int *month)
{
	size_t		len;
	int		k, y, m;

	if (code == NULL)
		return (-1);

	len = strlen(code);
	if (len < 6 || code[4] != '-' || digits(code, 4, &y) == -1)
		return (-1);
	if (y < PERIOD_YEAR_MIN || y > PERIOD_YEAR_MAX)
		return (-1);

	if (len == 6 && code[5] == 'Y') {
		k = PERIOD_KIND_YEAR;
		m = 0;
	} else if (len == 7 && code[5] == 'H' && code[6] == '1') {
		k = PERIOD_KIND_HALF;
		m = 0;
	} else if (len == 7 && digits(code + 5, 2, &m) == 0 &&
	    m >= 1 && m <= 12) {
		k = PERIOD_KIND_MONTH;
	} else {
		return (-1);
	}

	if (kind != NULL)
		*kind = k;
	if (year != NULL)
		*year = y;
	if (month != NULL)
		*month = m;

	return (0);
}

int
period_lookup(const char *code, struct period *out)
{
	struct period	cal[PERIOD_MAX_PER_YEAR];
	int		i, n, year;

	if (out == NULL || period_code_parse(code, NULL, &year, NULL) == -1)
		return (-1);

	/*
	 * A code can parse and still not exist: 2023-01 to 2023-06 are
	 * valid shapes, but the letter only starts monthly reports in June.
	 */
	if ((n = period_generate(year, cal, PERIOD_MAX_PER_YEAR)) == -1)
		return (-1);

	for (i = 0; i < n; i++) {
		if (strcmp(cal[i].code, code) == 0) {
			*out = cal[i];
			return (0);
		}
	}

	return (-1);
}

int
period_date_parse(const char *s, struct pdate *out)
{
	struct pdate	d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return (-1);

	if (digits(s, 4, &d.y) == -1 || digits(s + 5, 2, &d.m) == -1 ||
	    digits(s + 8, 2, &d.d) == -1)
		return (-1);

	if (!period_date_valid(&d))
		return (-1);

	if (out != NULL)
		*out = d;

	return (0);
}

void
period_date_format(const struct pdate *d, char *buf, size_t len)
{
	if (buf == NULL || len == 0)
		return;

	if (d == NULL) {
		buf[0] = '\0';
		return;
	}

	(void)snprintf(buf, len, "%04d-%02d-%02d", d->y, d->m, d->d);
}

int
period_date_valid(const struct pdate *d)
{
	if (d == NULL)
		return (0);
	if (d->y < DATE_YEAR_MIN || d->y > DATE_YEAR_MAX)
		return (0);
	if (d->m < 1 || d->m > 12)
		return (0);
	if (d->d < 1 || d->d > month_days(d->y, d->m))
		return (0);

	return (1);
}

int
period_date_cmp(const struct pdate *a, const struct pdate *b)
{
	if (a->y != b->y)
		return (a->y < b->y ? -1 : 1);
	if (a->m != b->m)
		return (a->m < b->m ? -1 : 1);
	if (a->d != b->d)
		return (a->d < b->d ? -1 : 1);

	return (0);
}

int64_t
period_days(const struct pdate *d)
{
	int64_t		y, era, yoe, doy, doe;

	/* Count years from March so that the leap day is the last one. */
	y = (int64_t)d->y - (d->m <= 2);
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (d->m > 2 ? d->m - 3 : d->m + 9) + 2) / 5 + d->d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (era * 146097 + doe - 719468);
}

time_t
period_deadline_end(const struct pdate *deadline)
{
	int64_t		t;

	/* Local midnight after the deadline day, seen from UTC. */
	t = (period_days(deadline) + 1) * SECS_PER_DAY - PERIOD_TZ_OFFSET;

	return ((time_t)t);
}

int
period_is_late(const struct pdate *deadline, time_t t)
{
	return (t >= period_deadline_end(deadline));
}

void
period_local_date(time_t t, struct pdate *out)
{
	int64_t		secs, days;

	secs = (int64_t)t + PERIOD_TZ_OFFSET;
	days = secs / SECS_PER_DAY;

	/* C division truncates; instants before 1970 need the floor. */
	if (secs % SECS_PER_DAY < 0)
		days--;

	civil_from_days(days, out);
}

const char *
period_check_dates(const struct pdate *start, const struct pdate *end,
    const struct pdate *deadline)
{
	if (!period_date_valid(start))
		return (MSG_START_INVALID);
	if (!period_date_valid(end))
		return (MSG_END_INVALID);
	if (!period_date_valid(deadline))
		return (MSG_DEADLINE_INVALID);
	if (period_date_cmp(start, end) > 0)
		return (MSG_START_AFTER_END);
	if (period_date_cmp(end, deadline) > 0)
		return (MSG_DEADLINE_BEFORE_END);

	return (NULL);
}

static int
is_leap(int y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

static int
month_days(int y, int m)
{
	static const int	days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && is_leap(y))
		return (29);

	return (days[m - 1]);
}

/*
 * Exactly n ASCII digits; isdigit() is avoided because it follows the
 * locale and would take a sign or a space through strtol anyway.
 */
static int
digits(const char *s, size_t n, int *out)
{
	size_t		i;
	int		v;

	v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		v = v * 10 + (s[i] - '0');
	}

	*out = v;

	return (0);
}

static void
pdate_set(struct pdate *d, int y, int m, int day)
{
	d->y = y;
	d->m = m;
	d->d = day;
}

static void
civil_from_days(int64_t z, struct pdate *out)
{
	int64_t		era, doe, yoe, doy, mp, y, m, d;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += (m <= 2);

	pdate_set(out, (int)y, (int)m, (int)d);
}

/*
 * The suffix is a string rather than a "%02d" so that gcc can see the
 * code always fits PERIOD_CODE_MAX; otherwise -Wformat-truncation fires
 * under some optimisation and sanitizer combinations.
 */
static void
code_set(struct period *p, int year, const char *suffix)
{
	(void)snprintf(p->code, sizeof(p->code), "%04d-%s", year, suffix);
}

/* Month m covers the 15th of m-1 to the 14th of m, due on the 15th of m. */
static void
period_month(struct period *p, int year, int m)
{
	memset(p, 0, sizeof(*p));
	code_set(p, year, months[m - 1]);
	(void)snprintf(p->name, sizeof(p->name), "Tháng %d/%d", m, year);
	p->kind = PERIOD_KIND_MONTH;
	p->year = year;
	p->month = m;
	if (m == 1)
		pdate_set(&p->start, year - 1, 12, 15);
	else
		pdate_set(&p->start, year, m - 1, 15);
	pdate_set(&p->end, year, m, 14);
	pdate_set(&p->deadline, year, m, 15);
	p->forms = PERIOD_FORM_PL1;
}

static void
period_half(struct period *p, int year)
{
	memset(p, 0, sizeof(*p));
	code_set(p, year, "H1");
	(void)snprintf(p->name, sizeof(p->name), "6 tháng %d", year);
	p->kind = PERIOD_KIND_HALF;
	p->year = year;
	pdate_set(&p->start, year - 1, 12, 15);
	pdate_set(&p->end, year, 6, 14);
	pdate_set(&p->deadline, year, 6, 15);
	p->forms = PERIOD_FORM_PL1 | PERIOD_FORM_PL2;
}

static void
period_annual(struct period *p, int year)
{
	memset(p, 0, sizeof(*p));
	code_set(p, year, "Y");
	(void)snprintf(p->name, sizeof(p->name), "Năm %d", year);
	p->kind = PERIOD_KIND_YEAR;
	p->year = year;
	pdate_set(&p->start, year - 1, 12, 15);
	pdate_set(&p->end, year, 12, 14);
	pdate_set(&p->deadline, year, 12, 15);
	p->forms = PERIOD_FORM_PL2;
}

/*
 * The 2023 letter: July to December follow the 15th-14th rule, but the
 * half-year and the year start on 1 January (there was no December 2022
 * window) and the half-year report was given until 27 June.
 */
static int
generate_letter(struct period *out)
{
	int		m, n;

	n = 0;
	period_half(&out[n], LETTER_YEAR);
	pdate_set(&out[n].start, LETTER_YEAR, 1, 1);
	pdate_set(&out[n].deadline, LETTER_YEAR, 6, 27);
	n++;

	for (m = 7; m <= 12; m++)
		period_month(&out[n++], LETTER_YEAR, m);

	period_annual(&out[n], LETTER_YEAR);
	pdate_set(&out[n].start, LETTER_YEAR, 1, 1);
	n++;

	return (n);
}

/* Deadline order; a month goes before H1 or Y falling due the same day. */
static int
generate_rule(int year, struct period *out)
{
	int		m, n;

	n = 0;
	for (m = 1; m <= 6; m++)
		period_month(&out[n++], year, m);
	period_half(&out[n++], year);
	for (m = 7; m <= 12; m++)
		period_month(&out[n++], year, m);
	period_annual(&out[n++], year);

	return (n);
}
