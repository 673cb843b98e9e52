/*
 * The report outlines (Phụ lục 1 and 2) as data: forms/PL1.json and
 * forms/PL2.json (checked at start-up; they seed version 1 of each form)
 * and the versions stored after them, each loaded and validated before
 * use.  Pure C over jansson and PCRE2: no Kore, no database.  Nothing
 * about an item is hard-coded in C; the format is described in
 * forms/README.md.  form.c, form_load.c, form_body.c, form_derive.c and
 * form_diff.c implement what is declared here.
 *
 * A report travels through the core as jansson objects shaped like the
 * API's report body:
 *   values   {"erx.total": 120, "eval.advantages": "..."}
 *   stations {"TYT-X-1": {"cccd.visits": 40}, ...}
 *   lists    {"directives": [{"number": "...", "date": "...", ...}], ...}
 *   comments {"erx.total": "why the value is unusual", ...}
 */
#ifndef FORM_H
#define FORM_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define FORM_CODE_MAX		8	/* "PL1", "PL2" */
#define FORM_ERR_MAX		512
#define FORM_INT_MAX		9007199254740991LL /* 2^53 - 1, JSON-safe */
#define FORM_DOCNO_MAX		64	/* characters of a document number */
#define FORM_COMMENT_MAX	1000	/* characters of a comment */

/* What one definition may hold at most: what loading one may cost. */
#define FORM_TEXT_MAX		(256 * 1024)	/* bytes of JSON */
#define FORM_SECTIONS_MAX	200
#define FORM_ITEMS_MAX		500
#define FORM_LISTS_MAX		50
#define FORM_COLUMNS_MAX	30
#define FORM_CHOICES_MAX	50
#define FORM_CHECKS_MAX		500

/* Item kinds. */
#define FORM_COUNT		1	/* whole number >= 0 */
#define FORM_MONEY		2	/* Đồng, whole number >= 0, fits int64 */
#define FORM_LEVEL		3	/* whole number in [min, max] */
#define FORM_TEXT		4	/* UTF-8 text of at most maxlen chars */
#define FORM_RATE		5	/* derived: 100 * num / den, 1 decimal */
#define FORM_SUM		6	/* derived: sum of other items */

/* How a count adds up over months (item "over_time"). */
#define FORM_OVER_SUM		1	/* a flow: the months add up */
#define FORM_OVER_LAST		2	/* a stock: the latest month counts */

/* Who reports an item (section or item "applies"). */
#define FORM_APPLIES_ALL	1	/* every reporting unit */
#define FORM_APPLIES_GKSKLX	2	/* licensed for driver certificates */
#define FORM_APPLIES_HOSPITAL	3	/* units with the hospital flag */
#define FORM_APPLIES_CDC	4	/* the CDC */
#define FORM_APPLIES_CARE	5	/* care facilities: not CDC, not office */

/* List column kinds. */
#define FORM_COL_TEXT		1
#define FORM_COL_DATE		2	/* YYYY-MM-DD */
#define FORM_COL_DOCNO		3	/* e.g. 372/QĐ-SYT */
#define FORM_COL_COUNT		4
#define FORM_COL_CHOICE		5	/* one of the column's choices */

/* Check types. */
#define CHECK_PARTS_LE		1	/* sum(parts) <= whole */
#define CHECK_PARTS_EQ		2	/* sum(parts) == whole */
#define CHECK_STATIONS_SUM	3	/* station rows add up to the unit value */
#define CHECK_PATTERN		4	/* list column matches a PCRE2 pattern */
#define CHECK_DATE_IN_PERIOD	5	/* list column date within the window */
#define CHECK_DEVIATION		6	/* warning: far from previous periods */
#define CHECK_RATE_JUMP		7	/* warning: derived rate jumps */
#define CHECK_REQUIRED		8	/* the items must be filled to submit */
#define CHECK_COMPLETE		9	/* every typed item of some kinds filled */

#define CHECK_ERROR		1
#define CHECK_WARNING		2

struct form_item {
	char		*code;
	char		*label;
	char		*unit;		/* unit of measure, "" for texts */
	int		kind;
	int		applies;
	int		stations;	/* per-station rows for a TTYT */
	int		section;	/* index into form->sections */
	int		depth;		/* 0 item, 1 "trong đó" part, ... */
	int64_t		min;
	int64_t		max;
	size_t		maxlen;		/* texts, in characters */
	int		num;		/* FORM_RATE: item index of numerator */
	int		den;		/* FORM_RATE: item index of denominator */
	int		*sum_of;	/* FORM_SUM: item indexes */
	size_t		nsum;
	int		over_time;	/* COUNT/MONEY: FORM_OVER_* */
};

struct form_column {
	char		*code;
	char		*label;
	int		kind;
	size_t		maxlen;
	char		**choices;	/* FORM_COL_CHOICE: codes */
	char		**choice_labels;
	size_t		nchoices;
	int		required;
};

struct form_list {
	char			*code;
	char			*label;
	int			section;
	int			applies;
	size_t			max_rows;
	struct form_column	*cols;
	size_t			ncols;
};

struct form_section {
	char		*id;		/* "1", "3.2", "VI" */
	char		*title;
	char		*who;		/* "Đơn vị thực hiện báo cáo" text */
	int		applies;
	int		stations;
};

struct form_check {
	char		*rule;
	int		type;
	int		severity;
	char		*message;	/* Vietnamese, says what to fix */
	int		*items;		/* parts, or checked items */
	size_t		nitems;
	int		whole;		/* PARTS_*: item index, else -1 */
	int		list;		/* PATTERN/DATE: list index, else -1 */
	int		column;		/* PATTERN/DATE: column index */
	void		*re;		/* PATTERN: compiled pcre2_code */
	double		factor;		/* DEVIATION: allowed ratio */
	int64_t		min_delta;	/* DEVIATION: ignore smaller moves */
	double		points;		/* RATE_JUMP: percentage points */
	unsigned int	kinds;		/* COMPLETE: 1 << FORM_* item kinds */
};

struct form {
	char			code[FORM_CODE_MAX];
	char			*title;
	struct form_section	*sections;
	size_t			nsections;
	struct form_item	*items;
	size_t			nitems;
	struct form_list	*lists;
	size_t			nlists;
	struct form_check	*checks;
	size_t			nchecks;
	json_t			*json;	/* the definition as served */
};

/*
 * What the core needs to know of the unit a report belongs to.  A unit
 * with stations (a district health centre) files, beside its totals, a
 * row per station and a row of its own figures, keyed by its own code in
 * the same "stations" object: its totals are its own row plus the sum of
 * the station rows.  A report filed before the own row existed has none,
 * and its totals are the stations' sum alone.
 */
struct form_unit {
	const char	*code;
	const char	*kind;		/* units.kind */
	int		gksklx;
	int		hospital;
	int		cdc;
	const char	**stations;	/* codes of the stations it manages */
	size_t		nstations;
};

/* The period a report covers, for date checks. "YYYY-MM-DD". */
struct form_window {
	const char	*start;
	const char	*end;
};

/*
 * Load and validate a form file.  NULL on any problem, with the first in
 * err naming the file, the place and what is wrong, and how many more
 * there are (start-up refuses to go on with a broken form).
 */
struct form	*form_load(const char *path, char *err, size_t errlen);
struct form	*form_load_json(json_t *def, char *err, size_t errlen);

/*
 * The same, telling every problem: *problems is set to a new array of
 * {"where": "sections[2].items[1] (erx.total)", "message": "..."}
 * (Vietnamese), empty when the definition loads; the caller releases it.
 * form_load_text starts from JSON text of at most FORM_TEXT_MAX bytes
 * (an upload): when it is not JSON, the one problem says where
 * ("dòng 3, cột 5", and "line", "column") and *syntax is 1.
 */
struct form	*form_load_checked(json_t *def, json_t **problems);
struct form	*form_load_text(const char *text, size_t len,
		    json_t **problems, int *syntax);
void		form_free(struct form *);

int		form_item_index(const struct form *, const char *code);
int		form_list_index(const struct form *, const char *code);
int		form_item_applies(const struct form *, int item,
		    const struct form_unit *);
int		form_list_applies(const struct form *, int list,
		    const struct form_unit *);

/* What form_validate and form_shape answer besides 0. */
#define FORM_BAD_VALUE	(-1)	/* a value of the wrong kind: 422 */
#define FORM_BAD_SHAPE	(-2)	/* a body not of a report's shape: 400 */

/* The key of the unit's own row in "stations", NULL without stations. */
const char	*form_own_row(const struct form_unit *);

/*
 * Check the shape and kinds of a report body (values, stations, lists,
 * comments: each may be absent) for this unit.  Returns 0 when it may be
 * stored, else FORM_BAD_SHAPE or FORM_BAD_VALUE with *details set to a
 * JSON array of {"part"|"item"|"list"|"station", "message"}.  The shape
 * (form_shape) is checked first, and when it is wrong only it is told.
 * Then each value: text in a count, a negative or oversized number, an
 * item the unit does not report, a derived item sent, an unknown item or
 * station, a list cell of the wrong kind.
 */
int		form_validate(const struct form *, const struct form_unit *,
		    json_t *body, json_t **details);

/*
 * The shape alone, which needs no form: the body and each of values,
 * stations, lists, comments it carries are objects, each station's row
 * an object, each list null or an array of objects.  0, or
 * FORM_BAD_SHAPE with *details as above ({"part"}, {"station"},
 * {"list"} or {"list", "row"} and a message).
 */
int		form_shape(json_t *body, json_t **details);

/* 1 if s is only white space (the no-break space Word pastes included). */
int		form_blank(const char *s);

/* Put every derived value (rates, totals) into values and station rows. */
void		form_derive(const struct form *, json_t *values,
		    json_t *stations);

/*
 * A longer period's typed counts from its months: months is a JSON array
 * of {"values": {...}, "stations": {...}}, oldest first.  Flows add up;
 * stocks (over_time "last") take the latest month that has a value.
 * Returns a new {"values": {...}, "stations": {...}}; items no month has
 * stay absent.
 */
json_t		*form_aggregate(const struct form *, json_t *months);

/*
 * What a version changes against the one before (old NULL: the first):
 * {"added": {"items": [...], "lists": [...], "checks": [...]},
 *  "removed": {...}, "changed": {...}}; items {"code", "label",
 * "section"}, lists {"code", "label"}, checks {"rule", "message"}, and
 * for a change "fields", the keys that differ.
 */
json_t		*form_diff(const struct form *old, const struct form *new);

/*
 * Codes are stable across versions: an item of def (an outline's JSON,
 * loadable or not) whose code is, in the earlier version, an item of
 * another kind or a list (or a list of def that is an item there) is a
 * problem, appended to problems as {"where", "message"} at its place.
 */
void		form_stable(const struct form *earlier, int version,
		    json_t *def, json_t *problems);

/*
 * The codes of f's items and lists that other lacks (a new array; empty
 * when other is NULL or f): figures filed under other that are absent,
 * "không có trong đề cương kỳ này", never 0.
 */
json_t		*form_absent(const struct form *f, const struct form *other);

/* 1 for rates and sums: computed by form_derive, never typed. */
int		form_is_derived(const struct form_item *);
/* 1 for a strict "YYYY-MM-DD" naming a real day of 1900 to 2100. */
int		form_date_valid(const char *);

#endif
