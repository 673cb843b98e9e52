/*
 * The consolidated report as an Excel workbook (outline table, districts,
 * kinds, station appendix, per-unit detail, who is missing or late, PL2
 * lists and texts, months against the longer period, charts) and the
 * province table as CSV.  Pure C over libxlsxwriter and jansson: no Kore,
 * no database.
 *
 * Only forward declarations of libxlsxwriter's types here: its headers
 * carry their own queue.h and tree.h, which must not meet Kore's.
 */
#ifndef XLSX_REPORT_H
#define XLSX_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "form.h"

struct lxw_workbook;
struct lxw_worksheet;
struct lxw_format;

/*
 * The administrative header of Nghị định 30/2020 (rows 0 to 2): the
 * agency on the left, the national motto and the place and date on the
 * right, in Times New Roman.  The caller says where the blocks go and
 * gets the formats back for its own title rows.
 */
struct xlsx_head {
	double			size;		/* font size, points */
	uint16_t		left_last;	/* agency: columns 0.. */
	uint16_t		right_first;	/* motto: columns from.. */
	uint16_t		right_last;	/* ..to */
	const char		*dateline;	/* "Thanh Hóa, ngày ..." */
	/* The managing and issuing bodies; NULL: the Department's office. */
	const char		*upper;
	const char		*lower;
	const char		*number;	/* "Số: 12/BC-SYT" or NULL */

	/* Set by xlsx_head_write(). */
	struct lxw_format	*bold;
	struct lxw_format	*center;
	struct lxw_format	*italic;
};

void	xlsx_head_write(struct lxw_workbook *, struct lxw_worksheet *,
	    struct xlsx_head *);

/*
 * Write the consolidation cons (as GET /api/v1/consolidated returns it,
 * after cons_complete(); any part may be missing; its "document", when
 * there, holds the office's number, date, to, signer, capacity of the
 * report to send) to the workbook at
 * path.  tmpdir holds libxlsxwriter's scratch files (NULL: the system's).
 * Returns 0, or -1 with a message in err.
 */
int	xlsx_report_write(const char *path, const char *tmpdir,
	    const struct form *, json_t *cons, char *err, size_t errlen);

/*
 * The province table as CSV: UTF-8 with a BOM (so that Excel reads the
 * diacritics), RFC 4180 quoting, CRLF.  sep is ';' (what Excel expects
 * under a Vietnamese or European locale: decimals then take a comma) or
 * ',' (decimals with a dot).  Columns STT, Mã mục, Nhiệm vụ/nội dung,
 * Đơn vị tính, Giá trị toàn tỉnh, then one per district in Vietnamese
 * order; under a level item one row per level ("emr.level=4") with the
 * number of units at it.  Returns 0, or -1 when writing failed or sep is
 * neither.
 */
int	xlsx_report_csv(FILE *, const struct form *, json_t *cons, int sep);

#endif
