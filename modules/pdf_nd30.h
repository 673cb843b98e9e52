/*
 * The parts every administrative document of Nghị định 30/2020/NĐ-CP
 * (Phụ lục I) has, as blocks of a struct pdf_doc: the header (managing
 * and issuing body, number, national motto, place and date), the title
 * and summary line, "Kính gửi", the closing, "Nơi nhận" and the
 * signature block; and the two documents made of them, the unit's report
 * and the Department's consolidated report.  Pure C over jansson and
 * ICU (Vietnamese capitals): no Kore, no database, no cairo.
 */
#ifndef PDF_ND30_H
#define PDF_ND30_H

#include <jansson.h>

#include "form.h"
#include "pdf_layout.h"

/* Sizes of Nghị định 30's Phụ lục I, points. */
#define ND30_BODY		13
#define ND30_TABLE		12
#define ND30_SMALL		11
#define ND30_TITLE		14

#define ND30_TEXT_MAX		200	/* characters of a filled-in field */

/* What the person signing fills in; NULL or "" leaves a field blank. */
struct nd30_details {
	const char	*number;	/* "12": "Số: 12/BC-..." */
	const char	*symbol;	/* "BC-SYT", "BC-BVDKTH" */
	const char	*date;		/* YYYY-MM-DD; blank when NULL */
	const char	*signer;	/* the name under the signature */
	const char	*capacity;	/* "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" */
	const char	*to;		/* "Kính gửi", ';' or '\n' between */
	const char	*cc;		/* "Nơi nhận" lines, '\n' between */
};

/*
 * The header: upper (managing body, plain) over lower (issuing body,
 * bold), "Số: .../symbol" under them; the motto on the right, the place
 * and date under it in italics.
 */
void	nd30_header(struct pdf_doc *, const char *upper, const char *lower,
	    const struct nd30_details *);
/* "BÁO CÁO", the summary line in bold, and a line in italics under. */
void	nd30_title(struct pdf_doc *, const char *summary, const char *note);
/* "Kính gửi: X." or, for several, one "- X;" line each. */
void	nd30_to(struct pdf_doc *, const char *to);
/* "Nơi nhận:" and its lines on the left, the signature on the right. */
void	nd30_signature(struct pdf_doc *, const struct nd30_details *,
	    const char *default_capacity, const char *default_cc);
/* "PHỤ LỤC I", its title and "(Kèm theo ...)": n from 1. */
void	nd30_annex(struct pdf_doc *, int n, const char *title,
	    const char *attached, int orient);

/* The unit's name in capitals, as ICU writes Vietnamese; buf is NUL'd. */
void	nd30_upper(const char *, char *, size_t);
/* "Thanh Hóa, ngày 05 tháng 01 năm 2024" (days < 10, months < 3: 0). */
void	nd30_dateline(const char *date, char *, size_t);
/* The value of an item in a values object as printed; "" for none. */
void	nd30_value(const struct form_item *, json_t *values, char *, size_t);
/* "15/06/2023" from "2023-06-15"; the input when it is no date. */
void	nd30_day(const char *, char *, size_t);

/*
 * Pieces of both documents.  The outline's table: STT, content, unit,
 * one value column headed value_head; a section's row; an item's row
 * with its value from values (a text item over three columns).
 */
struct pdf_block *nd30_main_table(struct pdf_doc *, const char *value_head);
void	nd30_section_row(struct pdf_doc *, struct pdf_block *,
	    const struct form_section *, int span);
void	nd30_item_row(struct pdf_doc *, struct pdf_block *,
	    const struct form_item *, json_t *values);
/*
 * A list row as text (cells by their kind: "Số 372/QĐ-SYT, ngày
 * 15/06/2023: abstract") and its first count, apart, in fig.
 */
void	nd30_list_text(const struct form_list *, json_t *row, char *text,
	    size_t, char *fig, size_t);
/* The numeric items kept per station, their indexes; how many. */
size_t	nd30_station_items(const struct form *, int *idx, size_t max);
/* A table with STT, a name column headed what, a column per item. */
struct pdf_block *nd30_station_table(struct pdf_doc *, const struct form *,
	    const int *idx, size_t n, const char *what);
void	nd30_station_row(struct pdf_doc *, struct pdf_block *,
	    const struct form *, const int *idx, size_t n, const char *stt,
	    const char *name, json_t *values, int flags);

/*
 * The unit's report: report is GET /api/v1/reports/...'s answer (with
 * unit_info, period_info, values, stations, lists, status).  A report
 * not submitted is marked as a draft on every page.  NULL when out of
 * memory.
 */
struct pdf_doc	*nd30_report(const struct form *, json_t *report,
		    const struct nd30_details *);

/*
 * The Department's consolidated report: cons is GET
 * /api/v1/consolidated/...'s answer after cons_complete(); the areas are
 * its "by_area" or else "by_district", whatever they are.
 */
struct pdf_doc	*nd30_consolidated(const struct form *, json_t *cons,
		    const struct nd30_details *);

#endif
