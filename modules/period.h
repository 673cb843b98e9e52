/*
 * The reporting calendar: pure C, no Kore, no database.
 *
 * Data windows run from the 15th to the 14th (Nghị định 09/2019/NĐ-CP
 * cut-off rule); deadlines are calendar days in Asia/Ho_Chi_Minh (UTC+7,
 * no daylight saving), and a report is late once that day has ended there.
 * The 2023 letter (seed 003) is reproduced as a fixed table; later years
 * are generated.  What is generated is only the default: the office may
 * edit any period's dates, and the stored calendar is what counts.
 */
#ifndef PERIOD_H
#define PERIOD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define PERIOD_KIND_MONTH	1
#define PERIOD_KIND_HALF	2	/* six-month, code YYYY-H1 */
#define PERIOD_KIND_YEAR	3	/* annual, code YYYY-Y */

#define PERIOD_FORM_PL1		0x01
#define PERIOD_FORM_PL2		0x02

#define PERIOD_CODE_MAX		16
#define PERIOD_NAME_MAX		64
#define PERIOD_MAX_PER_YEAR	14	/* 12 months + H1 + Y */

/* First and last year the portal accepts anywhere (codes, ?year=). */
#define PERIOD_YEAR_MIN		2023
#define PERIOD_YEAR_MAX		2100

/* Offset of Asia/Ho_Chi_Minh from UTC, in seconds. */
#define PERIOD_TZ_OFFSET	(7 * 3600)

struct pdate {
	int	y;
	int	m;
	int	d;
};

struct period {
	char		code[PERIOD_CODE_MAX];	/* "2023-07", "2023-H1", "2023-Y" */
	char		name[PERIOD_NAME_MAX];	/* Vietnamese, UTF-8 */
	int		kind;
	int		year;
	int		month;			/* 1-12 for monthly, else 0 */
	struct pdate	start;
	struct pdate	end;
	struct pdate	deadline;
	int		forms;			/* PERIOD_FORM_* mask */
};

/* Calendar of a year, in deadline order; returns the count, -1 if out of range. */
int	period_generate(int year, struct period *out, size_t max);

/* Parse "YYYY-MM", "YYYY-H1", "YYYY-Y"; fills kind, year, month. 0 ok, -1 bad. */
int	period_code_parse(const char *code, int *kind, int *year, int *month);

/* The default definition of one period by code; 0 ok, -1 unknown code. */
int	period_lookup(const char *code, struct period *out);

/* Strict "YYYY-MM-DD" with a real calendar date; 0 ok, -1 bad. */
int	period_date_parse(const char *s, struct pdate *out);

/* Writes "YYYY-MM-DD" into buf (at least 11 bytes). */
void	period_date_format(const struct pdate *d, char *buf, size_t len);

int	period_date_valid(const struct pdate *d);
int	period_date_cmp(const struct pdate *a, const struct pdate *b);

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
int64_t	period_days(const struct pdate *d);

/* The instant (Unix time) at which the deadline day ends in UTC+7. */
time_t	period_deadline_end(const struct pdate *deadline);

/* 1 if a submission at instant t is after the end of the deadline day. */
int	period_is_late(const struct pdate *deadline, time_t t);

/* The civil date in UTC+7 of instant t. */
void	period_local_date(time_t t, struct pdate *out);

/*
 * Check an edited period: each date valid, start <= end, end <= deadline.
 * Returns NULL when fine, else a Vietnamese message for the person editing.
 */
const char	*period_check_dates(const struct pdate *start,
		    const struct pdate *end, const struct pdate *deadline);

#endif
