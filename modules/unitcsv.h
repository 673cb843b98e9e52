/*
 * The unit registry import: a CSV file of health units checked row by
 * row into records, with every problem collected (line, column, what to
 * fix) so the office gets one report for the whole file.  Also the unit
 * kinds and the focal-point (đầu mối) validators the single-contact form
 * reuses.  Pure C over csv.c and PCRE2 (no JIT), no Kore, no database:
 * districts and managing units are checked against the database later.
 */
#ifndef UNITCSV_H
#define UNITCSV_H

#include <stddef.h>

#define UNIT_CODE_MAX		32	/* ^[A-Z0-9][A-Z0-9._-]{1,31}$ */
#define UNIT_NAME_MAX		200	/* bytes */
#define UNIT_KIND_MAX		24
#define UNIT_DISTRICT_MAX	100
#define CONTACT_NAME_MAX	100
#define CONTACT_POSITION_MAX	100
#define CONTACT_PHONE_MAX	11	/* normalised: 0XXXXXXXXX[X] */
#define CONTACT_EMAIL_MAX	254
#define UNIT_PREDS_MAX		16	/* predecessors named on one row */

/* More issues than this are summed up in one last issue. */
#define UNITCSV_MAX_ISSUES	1000

/* The columns of the file (ma_don_vi ... dau_moi_email). */
#define UNITCSV_COLUMNS		16

/* unit_rec.files_self when the file leaves it to the registry. */
#define UNITCSV_KEEP		-1

/* unitcsv_read() results. */
#define UNITCSV_OK		0	/* no issue: the file may be imported */
#define UNITCSV_ISSUES		1	/* see res->issues */
#define UNITCSV_ERROR		-1	/* out of memory; res is empty */

struct unit_kind {
	const char	*code;		/* as stored in units.kind */
	const char	*label;		/* Vietnamese, for people */
	int		hospital;	/* default of the hospital flag */
	int		cdc;		/* default of the cdc flag */
	int		is_public;	/* default of the public flag */
	int		station;	/* needs a managing unit (parent) */
};

struct contact {
	char		name[CONTACT_NAME_MAX + 1];
	char		position[CONTACT_POSITION_MAX + 1];
	char		phone[CONTACT_PHONE_MAX + 1];
	char		email[CONTACT_EMAIL_MAX + 1];	/* lower-cased */
};

struct unit_rec {
	size_t		line;			/* where the row starts */
	char		code[UNIT_CODE_MAX + 1];	/* upper-cased */
	char		name[UNIT_NAME_MAX + 1];
	char		kind[UNIT_KIND_MAX + 1];	/* kind code */
	int		is_public;
	char		district[UNIT_DISTRICT_MAX + 1];
	char		parent[UNIT_CODE_MAX + 1];	/* "" unless station */
	int		gksklx;
	int		hospital;
	int		cdc;
	int		files_self;		/* 0, 1 or UNITCSV_KEEP */
	int		closing;		/* leaves the registry */
	size_t		npreds;			/* units it takes over */
	char		preds[UNIT_PREDS_MAX][UNIT_CODE_MAX + 1];
	int		has_contact;
	struct contact	contact;		/* all "" without contact */
};

struct unitcsv_issue {
	size_t		line;		/* 0: the file as a whole */
	char		column[64];	/* header as in the file, "" if none */
	char		message[256];	/* Vietnamese, what to fix */
};

struct unitcsv_result {
	struct unit_rec		*units;		/* rows without any issue */
	size_t			nunits;
	struct unit_rec		*rows;		/* every row read, see below */
	struct unitcsv_issue	*issues;	/* in line order, see below */
	size_t			nissues;
	size_t			nmore;		/* issues found past the limit */
	size_t			nrows;		/* data rows read */
	char			titles[UNITCSV_COLUMNS][64];
};

/* Compiles the patterns; done on first use too.  0 ok, -1 failure. */
int	unitcsv_init(void);

/* Frees the compiled patterns (worker teardown, tests). */
void	unitcsv_cleanup(void);

/*
 * Reads an uploaded file: what the units are from the import's
 * effective day on.  Besides a unit's attributes a row may say that a
 * commune station files its own report (tu_bao_cao; empty keeps what
 * the registry has), which units it takes over that day (sap_nhap_tu:
 * codes separated by spaces, commas or semicolons; a merge names
 * several, each part of a split names the same one), or that the unit
 * leaves the registry (ngung_hoat_dong: such a row needs only its code,
 * and with that column in the header the name, kind and area columns
 * are no longer required of the file, only of the rows that stay).
 *
 * UNITCSV_OK if every row is valid, then
 * units holds them all; UNITCSV_ISSUES otherwise, and units holds only
 * the rows without problems (for a preview: import nothing then);
 * UNITCSV_ERROR if memory ran out.  Always call unitcsv_free().
 *
 * Issues come in line order: file-level ones first (line 0, or the
 * header's line for column problems), then the rows', one issue per problem.
 * Past UNITCSV_MAX_ISSUES a last issue with line 0 counts the rest
 * (nmore of them).
 * A problem the CSV reader finds (bad UTF-8, unclosed quote, a limit)
 * is the only issue, with its line, and no row is checked.
 *
 * rows holds all nrows rows, issues or not, in line order, with what
 * could be read of each: a cell with a problem is left empty ("", the
 * kind's defaults for the flags), so that the registry can still be
 * asked about the others (the district, the managing unit) in the same
 * round.  titles are the headers as the file writes them, in the order
 * of the columns (the template's label where a column is absent).
 */
int	unitcsv_read(const char *buf, size_t len, struct unitcsv_result *res);
void	unitcsv_free(struct unitcsv_result *res);

/*
 * Adds the n problems found against the registry to res->issues, whose
 * column holds the column's key ("huyen", "don_vi_quan_ly"): they are
 * reported under the file's own header, in line order with the file's
 * (those first on the same line), within UNITCSV_MAX_ISSUES, the last
 * issue counting the rest.  0, or -1 when out of memory (res unchanged).
 */
int	unitcsv_merge(struct unitcsv_result *res,
	    const struct unitcsv_issue *more, size_t n);

/* The kinds, in display order. */
const struct unit_kind	*unitcsv_kinds(size_t *n);

/* The kinds of areas (former districts, communes, wards, catchments). */
struct area_kind {
	const char	*code;		/* as stored in area_states.kind */
	const char	*label;		/* Vietnamese, for people */
};

const struct area_kind	*unitcsv_area_kinds(size_t *n);
const struct area_kind	*unitcsv_area_kind_find(const char *code);

/* 1 if code is an area code as the database has them (^[A-Z0-9_-]{2,32}$). */
int	unitcsv_area_code_valid(const char *code);

/*
 * An area's name: trimmed into out (UNIT_DISTRICT_MAX + 1 bytes), NULL
 * if fine, else a Vietnamese message.
 */
const char	*unitcsv_area_name_check(const char *name, char *out,
		    size_t outlen);

/*
 * A kind by code or Vietnamese label, ignoring case, diacritics and
 * '_' versus space ("Trạm Y tế xã", "TRAM Y TE XA", "commune_station").
 */
const struct unit_kind	*unitcsv_kind_find(const char *code_or_label);

/*
 * 1 if s is a day the registry takes: strict YYYY-MM-DD, a real date,
 * years 2000 to 2100 (an effective date, an area's first day).
 */
int	unitcsv_date_ok(const char *s);

/* 1 if code (already upper-case) is a valid unit code, 0 otherwise. */
int	unitcsv_code_valid(const char *code);

/*
 * Strips spaces, dots, dashes and parentheses and writes the number as
 * 0XXXXXXXXX (mobile, 10 digits) or 02XXXXXXXXX (landline, 11 digits);
 * +84 or 84 may stand for the leading 0.  0 ok, -1 invalid.
 */
int	contact_phone_normalise(const char *in, char *out, size_t outlen);

/* 1 if s is an address local@domain.tld of at most 254 bytes. */
int	contact_email_valid(const char *s);

/*
 * One field each, surrounding white space ignored: NULL if fine, else a
 * Vietnamese message.  Name and phone are required; position and email
 * are not.  The phone and email checks write the stored form into out
 * (at least CONTACT_PHONE_MAX + 1 and CONTACT_EMAIL_MAX + 1 bytes).
 */
const char	*contact_name_check(const char *name);
const char	*contact_position_check(const char *position);
const char	*contact_phone_check(const char *phone, char *out,
		    size_t outlen);
const char	*contact_email_check(const char *email, char *out,
		    size_t outlen);

/*
 * The single-contact form: trims the four fields (NULL counts as ""),
 * checks them and fills out.  NULL if valid, else the first problem.
 */
const char	*contact_check(const char *name, const char *position,
		    const char *phone, const char *email, struct contact *out);

#endif
