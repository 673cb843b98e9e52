/*
 * The consolidated report as a workbook for the office, and the province
 * table as CSV.  Everything about an item (label, unit, depth, kind)
 * comes from the form; the consolidation is read defensively: a part that
 * is missing or of the wrong JSON type is left out, never trusted.
 *
 * Times New Roman 12 (13 for titles) throughout, as Nghị định 30/2020
 * asks of administrative documents: the sheets are printed and signed.
 */
#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <xlsxwriter.h>

#include "collate.h"
#include "cons.h"
#include "form.h"
#include "xlsx_report.h"

#define XLSX_FONT		"Times New Roman"
#define XLSX_SIZE		12
#define XLSX_TITLE_SIZE		13
#define XLSX_CODE_SIZE		10
#define XLSX_STR_MAX		32767	/* Excel's cell limit, in bytes here */
#define XLSX_MEMBERS_MAX	1000	/* value columns on one sheet */
#define XLSX_DEPTH_MAX		3
#define XLSX_TZ			(7 * 3600)	/* Asia/Ho_Chi_Minh, no DST */
#define XLSX_A4			9
#define XLSX_A3			8
#define XLSX_WIDE		10	/* more value columns: print on A3 */
#define XLSX_PAGE_COLS		6	/* area columns on a printed page */
#define XLSX_BREAKS_MAX		200
#define XLSX_SHORT		48	/* characters of a chart legend entry */
#define XLSX_CHART_ROWS		23	/* rows a chart covers, and a gap */
#define XLSX_COLS		1024	/* columns whose width is known */
#define XLSX_DEFAULT_W		8.43	/* Excel's default column width */
#define XLSX_CHAR_W		0.85	/* a character, in column width units */
#define XLSX_LINE_PT		16	/* a line of 12 point text */
#define XLSX_HEAD_FILL		0xDDEBF7
#define XLSX_SEC_FILL		0xF2F2F2
#define XLSX_DIFF_FILL		0xFFEB9C
#define XLSX_DIFF_FONT		0x9C0006

#define XLSX_S_SUMMARY		"Tổng hợp"
#define XLSX_S_DISTRICTS	"Theo địa bàn"
#define XLSX_S_KINDS		"Theo loại đơn vị"
#define XLSX_S_STATIONS		"Phụ lục trạm"
#define XLSX_S_UNITS		"Chi tiết đơn vị"
#define XLSX_S_MISSING		"Chưa nộp, nộp muộn"
#define XLSX_S_LISTS		"Văn bản, tuyên truyền"
#define XLSX_S_TEXTS		"Đánh giá, kiến nghị"
#define XLSX_S_MONTHLY		"Đối chiếu tháng"
#define XLSX_S_CHARTS		"Biểu đồ"

/* An item a month's outline version did not have: never a 0. */
#define XLSX_ABSENT		"không có trong đề cương kỳ này"

/* Which items an outline table shows. */
#define XLSX_NUMBERS		0	/* every number */
#define XLSX_STATIONS		1	/* numbers kept per station */

/* Columns of the outline tables: STT, label, unit, then the values. */
#define XLSX_C_STT		0
#define XLSX_C_LABEL		1
#define XLSX_C_UNIT		2
#define XLSX_C_VALUES		3

struct xlsx_fmt {
	lxw_format	*title;		/* bold 13, centred, wrapped */
	lxw_format	*bold;		/* bold, centred, wrapped */
	lxw_format	*italic;	/* italic, centred, wrapped */
	lxw_format	*center;	/* plain, centred, wrapped */
	lxw_format	*part;		/* bold, left: a part of a sheet */
	lxw_format	*note;		/* italic, left */
	lxw_format	*th;		/* table header */
	lxw_format	*code;		/* item code under a header */
	lxw_format	*sec_id;	/* section row: its number */
	lxw_format	*sec;		/* section row: title, blanks */
	lxw_format	*td;		/* text */
	lxw_format	*td_c;		/* centred text */
	lxw_format	*label[XLSX_DEPTH_MAX + 1];
	lxw_format	*count;		/* #,##0 */
	lxw_format	*rate;		/* 0.0 */
	lxw_format	*level;		/* 0 */
	lxw_format	*diff;		/* #,##0, highlighted */
	lxw_format	*when;		/* dd/mm/yyyy hh:mm */
	lxw_format	*date;		/* dd/mm/yyyy */
	lxw_format	*cc_head;	/* "Nơi nhận:", bold italic 12 */
	lxw_format	*cc;		/* its lines, 11 */
};

/* A value column: the province, a district, a kind. */
struct xlsx_src {
	const char	*key;
	const char	*name;
	json_t		*obj;		/* units_expected, units_reported */
	json_t		*values;
};

struct xlsx {
	lxw_workbook		*wb;
	const struct form	*f;
	json_t			*cons;
	struct xlsx_fmt		fmt;
	char			period[256];	/* "Kỳ báo cáo: ..." */
	int			*hrow;		/* item: row on "Theo địa bàn" */
	lxw_row_t		hhead;		/* its header row */
	size_t			ndist;		/* its district columns */
	const char		*pname;		/* the period's name */

	/* The current sheet's column widths and the row being fitted. */
	double			w[XLSX_COLS];
	lxw_worksheet		*fit_ws;
	lxw_row_t		fit_row;
	size_t			fit_lines;
};

/* An outline table with one value column per member of an object. */
struct xlsx_table {
	const char	*sheet;
	const char	*title;
	json_t		*prov;		/* the province's unit counts */
	json_t		*pvalues;	/* the province's values */
	json_t		*members;	/* {code: {"name", "values", ...}} */
	int		which;		/* XLSX_NUMBERS, XLSX_STATIONS */
	int		*rows;		/* if set, gets each item's row */
};

struct xlsx_time {
	int		y, mo, d, h, mi, s;
};

static void	xlsx_formats(struct xlsx *);
static lxw_format *xlsx_fmt_new(lxw_workbook *, int);
static void	xlsx_period(struct xlsx *);
static void	xlsx_summary(struct xlsx *);
static void	xlsx_summary_titles(struct xlsx *, lxw_worksheet *, double);
static lxw_row_t xlsx_summary_notes(struct xlsx *, lxw_worksheet *,
		    lxw_row_t);
static void	xlsx_signature(struct xlsx *, lxw_worksheet *, lxw_row_t);
static void	xlsx_to(struct xlsx *, lxw_worksheet *, lxw_row_t, double);
static const char *xlsx_doc(struct xlsx *, const char *);
static void	xlsx_tables(struct xlsx *);
static void	xlsx_table(struct xlsx *, const struct xlsx_table *);
static void	xlsx_counts_row(struct xlsx *, lxw_worksheet *, lxw_row_t,
		    const struct xlsx_src *, size_t);
static lxw_row_t xlsx_outline(struct xlsx *, lxw_worksheet *, lxw_row_t,
		    const struct xlsx_src *, size_t, int, int *);
static lxw_row_t xlsx_level_rows(struct xlsx *, lxw_worksheet *, lxw_row_t,
		    const struct form_item *, const struct xlsx_src *, size_t);
static void	xlsx_section_row(struct xlsx *, lxw_worksheet *, lxw_row_t,
		    size_t, lxw_col_t);
static void	xlsx_item_row(struct xlsx *, lxw_worksheet *, lxw_row_t,
		    const struct form_item *);
static void	xlsx_value(struct xlsx *, lxw_worksheet *, lxw_row_t,
		    lxw_col_t, const struct form_item *, json_t *, int);
static int	xlsx_item_shown(const struct form_item *, int);
static int	xlsx_section_shown(const struct form *, size_t, int);
static size_t	xlsx_section_items(const struct form *, size_t, int, int);
static void	xlsx_units(struct xlsx *);
static void	xlsx_units_head(struct xlsx *, lxw_worksheet *, lxw_row_t);
static void	xlsx_unit_row(struct xlsx *, lxw_worksheet *, lxw_row_t,
		    json_t *);
static void	xlsx_missing(struct xlsx *);
static lxw_row_t xlsx_missing_rows(struct xlsx *, lxw_worksheet *,
		    lxw_row_t);
static lxw_row_t xlsx_late_rows(struct xlsx *, lxw_worksheet *, lxw_row_t);
static void	xlsx_lists(struct xlsx *);
static lxw_row_t xlsx_list(struct xlsx *, lxw_worksheet *, lxw_row_t,
		    const struct form_list *);
static void	xlsx_cell(struct xlsx *, lxw_worksheet *, lxw_row_t,
		    lxw_col_t, const struct form_column *, json_t *);
static void	xlsx_texts(struct xlsx *);
static void	xlsx_monthly(struct xlsx *);
static lxw_row_t xlsx_monthly_rows(struct xlsx *, lxw_worksheet *,
		    lxw_row_t, json_t *);
static void	xlsx_charts(struct xlsx *);
static size_t	xlsx_trend_rates(struct xlsx *, json_t *, int *, size_t);
static int	xlsx_listed(json_t *, const char *);
static lxw_row_t xlsx_trend_table(struct xlsx *, lxw_worksheet *,
		    lxw_row_t, json_t *, const int *, size_t, size_t *);
static void	xlsx_trend_chart(struct xlsx *, lxw_worksheet *, lxw_row_t,
		    lxw_row_t, const int *, size_t);
static void	xlsx_district_chart(struct xlsx *, lxw_worksheet *,
		    lxw_row_t);
static size_t	xlsx_district_rates(struct xlsx *, int *, size_t);
static int	xlsx_district_has(struct xlsx *, int);
static void	xlsx_chart_style(lxw_chart *, const char *, const char *);
static void	xlsx_chart_insert(lxw_worksheet *, lxw_row_t, lxw_chart *);
static lxw_worksheet *xlsx_sheet(struct xlsx *, const char *, size_t, int);
static void	xlsx_titles(struct xlsx *, lxw_worksheet *, const char *,
		    lxw_col_t, double);
static void	xlsx_merged(struct xlsx *, lxw_worksheet *, lxw_row_t,
		    lxw_col_t, double, const char *, lxw_format *, double,
		    double);
static void	xlsx_heads(struct xlsx *, lxw_worksheet *, lxw_row_t,
		    lxw_col_t, const char *const *, size_t);
static double	xlsx_widths(struct xlsx *, lxw_worksheet *, lxw_col_t,
		    const double *, size_t);
static double	xlsx_width_range(struct xlsx *, lxw_worksheet *, lxw_col_t,
		    size_t, double);
static void	xlsx_text(struct xlsx *, lxw_worksheet *, lxw_row_t,
		    lxw_col_t, const char *, lxw_format *);
static void	xlsx_fit(struct xlsx *, lxw_worksheet *, lxw_row_t,
		    lxw_col_t, const char *);
static size_t	xlsx_lines(const char *, double);
static void	xlsx_when(struct xlsx *, lxw_worksheet *, lxw_row_t,
		    lxw_col_t, const char *);
static struct xlsx_src *xlsx_members(json_t *, json_t *, size_t *);
static int	xlsx_src_cmp(const void *, const void *);
static int	xlsx_num(json_t *, const char *, double *);
static const char *xlsx_str(json_t *, const char *);
static json_int_t xlsx_int(json_t *, const char *);
static size_t	xlsx_chars(const char *);
static void	xlsx_trim(char *);
static void	xlsx_short(const char *, char *, size_t);
static int	xlsx_digits(const char *, int, int *);
static int	xlsx_date_parse(const char *, struct xlsx_time *);
static int	xlsx_time_parse(const char *, struct xlsx_time *);
static int	xlsx_zone(const char *, int *);
static int64_t	xlsx_days(int, int, int);
static void	xlsx_civil(int64_t, struct xlsx_time *);
struct xlsx_csv;
static void	xlsx_csv_item(struct xlsx_csv *, const struct form_item *,
		    const char *, const char *, const char *,
		    const struct xlsx_src *, size_t);
static void	xlsx_csv_levels(struct xlsx_csv *, const struct form_item *,
		    const struct xlsx_src *, size_t);
static void	xlsx_csv_field(struct xlsx_csv *, const char *);
static void	xlsx_csv_number(struct xlsx_csv *, int, json_t *);

void
xlsx_head_write(struct lxw_workbook *wb, struct lxw_worksheet *ws,
    struct xlsx_head *h)
{
	h->bold = workbook_add_format(wb);
	format_set_font_name(h->bold, XLSX_FONT);
	format_set_font_size(h->bold, h->size);
	format_set_bold(h->bold);
	format_set_align(h->bold, LXW_ALIGN_CENTER);
	h->center = workbook_add_format(wb);
	format_set_font_name(h->center, XLSX_FONT);
	format_set_font_size(h->center, h->size);
	format_set_align(h->center, LXW_ALIGN_CENTER);
	h->italic = workbook_add_format(wb);
	format_set_font_name(h->italic, XLSX_FONT);
	format_set_font_size(h->italic, h->size);
	format_set_italic(h->italic);
	format_set_align(h->italic, LXW_ALIGN_CENTER);

	/* The parent agency in plain capitals, the issuing one in bold. */
	worksheet_merge_range(ws, 0, 0, 0, h->left_last, h->upper != NULL ?
	    h->upper : "SỞ Y TẾ THANH HÓA", h->center);
	worksheet_merge_range(ws, 1, 0, 1, h->left_last, h->lower != NULL ?
	    h->lower : "VĂN PHÒNG", h->bold);
	if (h->number != NULL)
		worksheet_merge_range(ws, 2, 0, 2, h->left_last, h->number,
		    h->center);
	worksheet_merge_range(ws, 0, h->right_first, 0, h->right_last,
	    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", h->bold);
	worksheet_merge_range(ws, 1, h->right_first, 1, h->right_last,
	    "Độc lập - Tự do - Hạnh phúc", h->bold);
	worksheet_merge_range(ws, 2, h->right_first, 2, h->right_last,
	    h->dateline, h->italic);
}

int
xlsx_report_write(const char *path, const char *tmpdir,
    const struct form *f, json_t *cons, char *err, size_t errlen)
{
	lxw_workbook_options	opt = { .constant_memory = 0 };
	lxw_doc_properties	props = { .title = NULL };
	struct xlsx		x;
	lxw_error		e;
	size_t			i;

	if (path == NULL || f == NULL) {
		(void)snprintf(err, errlen, "xlsx: no path or no form");
		return (-1);
	}
	memset(&x, 0, sizeof(x));
	x.f = f;
	x.cons = json_is_object(cons) ? cons : NULL;
	if ((x.hrow = calloc(f->nitems + 1, sizeof(*x.hrow))) == NULL) {
		(void)snprintf(err, errlen, "xlsx: out of memory");
		return (-1);
	}
	for (i = 0; i < f->nitems; i++)
		x.hrow[i] = -1;
	opt.tmpdir = (char *)tmpdir;
	if ((x.wb = workbook_new_opt(path, &opt)) == NULL) {
		free(x.hrow);
		(void)snprintf(err, errlen, "xlsx: cannot start %s", path);
		return (-1);
	}
	props.title = "Báo cáo tổng hợp chuyển đổi số và Đề án 06";
	props.company = "Sở Y tế Thanh Hóa";
	workbook_set_properties(x.wb, &props);

	xlsx_formats(&x);
	xlsx_period(&x);
	xlsx_summary(&x);
	xlsx_tables(&x);
	xlsx_units(&x);
	xlsx_missing(&x);
	xlsx_lists(&x);
	xlsx_texts(&x);
	xlsx_monthly(&x);
	xlsx_charts(&x);

	e = workbook_close(x.wb);
	free(x.hrow);
	if (e != LXW_NO_ERROR) {
		(void)snprintf(err, errlen, "xlsx: %s: %s", path,
		    lxw_strerror(e));
		return (-1);
	}

	return (0);
}

/* Times New Roman 12; a table cell also gets borders and wraps. */
static lxw_format *
xlsx_fmt_new(lxw_workbook *wb, int cell)
{
	lxw_format	*fm;

	fm = workbook_add_format(wb);
	format_set_font_name(fm, XLSX_FONT);
	format_set_font_size(fm, XLSX_SIZE);
	format_set_align(fm, LXW_ALIGN_VERTICAL_CENTER);
	if (cell) {
		format_set_border(fm, LXW_BORDER_THIN);
		format_set_text_wrap(fm);
	}

	return (fm);
}

static void
xlsx_formats(struct xlsx *x)
{
	struct xlsx_fmt	*t = &x->fmt;
	lxw_workbook	*wb = x->wb;
	int		i;

	t->title = xlsx_fmt_new(wb, 0);
	format_set_font_size(t->title, XLSX_TITLE_SIZE);
	format_set_bold(t->title);
	format_set_align(t->title, LXW_ALIGN_CENTER);
	format_set_text_wrap(t->title);
	t->bold = xlsx_fmt_new(wb, 0);
	format_set_bold(t->bold);
	format_set_align(t->bold, LXW_ALIGN_CENTER);
	format_set_text_wrap(t->bold);
	t->italic = xlsx_fmt_new(wb, 0);
	format_set_italic(t->italic);
	format_set_align(t->italic, LXW_ALIGN_CENTER);
	format_set_text_wrap(t->italic);
	t->center = xlsx_fmt_new(wb, 0);
	format_set_align(t->center, LXW_ALIGN_CENTER);
	format_set_text_wrap(t->center);
	t->part = xlsx_fmt_new(wb, 0);
	format_set_bold(t->part);
	t->note = xlsx_fmt_new(wb, 0);
	format_set_italic(t->note);

	t->th = xlsx_fmt_new(wb, 1);
	format_set_bold(t->th);
	format_set_align(t->th, LXW_ALIGN_CENTER);
	format_set_bg_color(t->th, XLSX_HEAD_FILL);
	t->code = xlsx_fmt_new(wb, 1);
	format_set_font_size(t->code, XLSX_CODE_SIZE);
	format_set_italic(t->code);
	format_set_align(t->code, LXW_ALIGN_CENTER);
	format_set_bg_color(t->code, XLSX_HEAD_FILL);
	t->sec_id = xlsx_fmt_new(wb, 1);
	format_set_bold(t->sec_id);
	format_set_align(t->sec_id, LXW_ALIGN_CENTER);
	format_set_bg_color(t->sec_id, XLSX_SEC_FILL);
	t->sec = xlsx_fmt_new(wb, 1);
	format_set_bold(t->sec);
	format_set_bg_color(t->sec, XLSX_SEC_FILL);

	t->td = xlsx_fmt_new(wb, 1);
	t->td_c = xlsx_fmt_new(wb, 1);
	format_set_align(t->td_c, LXW_ALIGN_CENTER);
	for (i = 0; i <= XLSX_DEPTH_MAX; i++) {
		t->label[i] = xlsx_fmt_new(wb, 1);
		format_set_indent(t->label[i], (uint8_t)(2 * i));
	}
	t->count = xlsx_fmt_new(wb, 1);
	format_set_num_format(t->count, "#,##0");
	t->rate = xlsx_fmt_new(wb, 1);
	format_set_num_format(t->rate, "0.0");
	t->level = xlsx_fmt_new(wb, 1);
	format_set_num_format(t->level, "0");
	format_set_align(t->level, LXW_ALIGN_CENTER);
	t->diff = xlsx_fmt_new(wb, 1);
	format_set_num_format(t->diff, "#,##0");
	format_set_bold(t->diff);
	format_set_font_color(t->diff, XLSX_DIFF_FONT);
	format_set_bg_color(t->diff, XLSX_DIFF_FILL);
	t->when = xlsx_fmt_new(wb, 1);
	format_set_num_format(t->when, "dd/mm/yyyy hh:mm");
	format_set_align(t->when, LXW_ALIGN_CENTER);
	t->date = xlsx_fmt_new(wb, 1);
	format_set_num_format(t->date, "dd/mm/yyyy");
	format_set_align(t->date, LXW_ALIGN_CENTER);
	t->cc_head = xlsx_fmt_new(wb, 0);
	format_set_bold(t->cc_head);
	format_set_italic(t->cc_head);
	t->cc = xlsx_fmt_new(wb, 0);
	format_set_font_size(t->cc, 11);
}

/* "Kỳ báo cáo: Tháng 7/2023 (số liệu từ 15/06/2023 đến 14/07/2023)" */
static void
xlsx_period(struct xlsx *x)
{
	json_t			*pi;
	struct xlsx_time	a, b;
	int			n;

	pi = json_object_get(x->cons, "period_info");
	if ((x->pname = xlsx_str(pi, "name")) == NULL &&
	    (x->pname = xlsx_str(x->cons, "period")) == NULL)
		x->pname = "(chưa rõ)";
	n = snprintf(x->period, sizeof(x->period), "Kỳ báo cáo: %s",
	    x->pname);
	if (n < 0 || (size_t)n >= sizeof(x->period)) {
		xlsx_trim(x->period);
		return;
	}
	if (xlsx_date_parse(xlsx_str(pi, "start"), &a) == 0 &&
	    xlsx_date_parse(xlsx_str(pi, "end"), &b) == 0)
		(void)snprintf(x->period + n, sizeof(x->period) - n,
		    " (số liệu từ %02d/%02d/%04d đến %02d/%02d/%04d)",
		    a.d, a.mo, a.y, b.d, b.mo, b.y);
	xlsx_trim(x->period);
}

/*
 * Sheet 1, the outline table the office signs: administrative header,
 * titles, then the province column.  The value column is wide so that
 * the national motto above it fits on one line.
 */
static void
xlsx_summary(struct xlsx *x)
{
	static const double	w[] = { 7, 58, 14, 34 };
	static const char	*heads[] = { "STT",
				    "Nhiệm vụ, nội dung báo cáo", "Đơn vị tính",
				    "Toàn tỉnh" };
	struct xlsx_src		prov;
	lxw_worksheet		*ws;
	lxw_row_t		r;
	double			width;

	if ((ws = xlsx_sheet(x, XLSX_S_SUMMARY, 1, 1)) == NULL)
		return;
	width = xlsx_widths(x, ws, 0, w, 4);
	xlsx_summary_titles(x, ws, width);

	r = 11;
	xlsx_heads(x, ws, r, 0, heads, 4);
	worksheet_freeze_panes(ws, r + 1, 0);
	worksheet_repeat_rows(ws, r, r);
	memset(&prov, 0, sizeof(prov));
	prov.values = json_object_get(x->cons, "values");
	r = xlsx_outline(x, ws, r + 1, &prov, 1, XLSX_NUMBERS, NULL);
	r = xlsx_summary_notes(x, ws, r + 1);
	xlsx_signature(x, ws, r + 1);
}

/* A field of the office's details (cons "document"), or NULL. */
static const char *
xlsx_doc(struct xlsx *x, const char *key)
{
	const char	*s;

	s = xlsx_str(json_object_get(x->cons, "document"), key);

	return (s != NULL && *s != '\0' ? s : NULL);
}

/*
 * "Nơi nhận" on the left, the signature on the right, as the PDF has
 * them (Nghị định 30/2020): kept on one printed page.
 */
static void
xlsx_signature(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r)
{
	static const char	*cc[] = { "- Như trên;",
				    "- Giám đốc Sở (để b/c);",
				    "- Lưu: VT, VP." };
	const char		*cap, *signer;
	char			*copy, *line, *save;
	lxw_row_t		rr;
	size_t			i;

	worksheet_write_string(ws, r, 0, "Nơi nhận:", x->fmt.cc_head);
	for (i = 0; i < sizeof(cc) / sizeof(cc[0]); i++)
		worksheet_write_string(ws, r + 1 + (lxw_row_t)i, 0, cc[i],
		    x->fmt.cc);
	cap = xlsx_doc(x, "capacity") ? xlsx_doc(x, "capacity") :
	    "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC";
	rr = r;
	if ((copy = strdup(cap)) != NULL) {
		for (line = strtok_r(copy, "\n", &save); line != NULL &&
		    rr < r + 3; line = strtok_r(NULL, "\n", &save))
		{
			worksheet_merge_range(ws, rr, 2, rr, 3, line,
			    x->fmt.bold);
			rr++;
		}
		free(copy);
	}
	worksheet_merge_range(ws, rr, 2, rr, 3, "(Ký tên, đóng dấu)",
	    x->fmt.italic);
	signer = xlsx_doc(x, "signer");
	worksheet_merge_range(ws, rr + 5, 2, rr + 5, 3, signer ? signer : "",
	    x->fmt.bold);
}

static void
xlsx_summary_titles(struct xlsx *x, lxw_worksheet *ws, double width)
{
	struct xlsx_head	h;
	struct xlsx_time	t;
	json_int_t		rep, late;
	const char		*only;
	char			line[256], number[128];

	memset(&h, 0, sizeof(h));
	if (xlsx_date_parse(xlsx_doc(x, "date"), &t) == 0)
		(void)snprintf(line, sizeof(line), "Thanh Hóa, ngày %02d "
		    "tháng %s%d năm %04d", t.d, t.mo < 3 ? "0" : "", t.mo, t.y);
	else if (xlsx_time_parse(xlsx_str(x->cons, "generated_at"), &t) == 0)
		(void)snprintf(line, sizeof(line), "Thanh Hóa, ngày %02d "
		    "tháng %s%d năm %04d", t.d, t.mo < 3 ? "0" : "", t.mo, t.y);
	else
		(void)snprintf(line, sizeof(line), "Thanh Hóa, ngày      "
		    "tháng      năm        ");
	h.size = XLSX_SIZE;
	h.left_last = 1;
	h.right_first = 2;
	h.right_last = 3;
	h.dateline = line;
	h.upper = "UBND TỈNH THANH HÓA";
	h.lower = "SỞ Y TẾ";
	(void)snprintf(number, sizeof(number), "Số: %s/BC-SYT",
	    xlsx_doc(x, "number") ? xlsx_doc(x, "number") : "      ");
	h.number = number;
	xlsx_head_write(x->wb, ws, &h);
	xlsx_to(x, ws, 9, width);

	xlsx_merged(x, ws, 4, 3, width, "BÁO CÁO TỔNG HỢP KẾT QUẢ TRIỂN KHAI "
	    "CÁC NHIỆM VỤ CHUYỂN ĐỔI SỐ VÀ THỰC HIỆN ĐỀ ÁN 06", x->fmt.title,
	    1.7, XLSX_TITLE_SIZE);
	xlsx_merged(x, ws, 5, 3, width, x->f->title, x->fmt.bold, 1.2,
	    XLSX_SIZE);
	xlsx_merged(x, ws, 6, 3, width, x->period, x->fmt.italic, 1.0,
	    XLSX_SIZE);
	rep = xlsx_int(x->cons, "units_reported");
	late = xlsx_int(x->cons, "units_late");
	(void)snprintf(line, sizeof(line), "Số đơn vị phải báo cáo: %"
	    JSON_INTEGER_FORMAT "; đã báo cáo: %" JSON_INTEGER_FORMAT
	    " (đúng hạn: %" JSON_INTEGER_FORMAT "; muộn: %"
	    JSON_INTEGER_FORMAT "); đã duyệt: %" JSON_INTEGER_FORMAT,
	    xlsx_int(x->cons, "units_expected"), rep,
	    rep > late ? rep - late : 0, late,
	    xlsx_int(x->cons, "units_accepted"));
	xlsx_merged(x, ws, 7, 3, width, line, x->fmt.italic, 1.0, XLSX_SIZE);
	only = xlsx_str(x->cons, "only");
	xlsx_merged(x, ws, 8, 3, width, only != NULL && strcmp(only,
	    "accepted") == 0 ? "Số liệu tổng hợp từ các báo cáo đã được duyệt" :
	    "Số liệu tổng hợp từ các báo cáo đã nộp", x->fmt.italic, 1.0,
	    XLSX_SIZE);
}

/* "Kính gửi: ..." (the office's recipients, or the letter's). */
static void
xlsx_to(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, double width)
{
	char		line[2200], *p;
	const char	*to;
	size_t		n;

	to = xlsx_doc(x, "to") ? xlsx_doc(x, "to") :
	    "Công an tỉnh Thanh Hóa; Chủ tịch UBND tỉnh";
	(void)snprintf(line, sizeof(line), "Kính gửi: %s", to);
	for (p = line; (p = strchr(p, '\n')) != NULL; p++)
		*p = ';';
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '.' || line[n - 1] == ' '))
		line[--n] = '\0';
	(void)snprintf(line + n, sizeof(line) - n, ".");
	xlsx_trim(line);
	xlsx_merged(x, ws, r, 3, width, line, x->fmt.center, 1.0, XLSX_SIZE);
}

/* Say why some cells are what they are, under the table; the row after. */
static lxw_row_t
xlsx_summary_notes(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r)
{
	char		line[512];
	size_t		i;

	for (i = 0; i < x->f->nitems; i++)
		if (x->f->items[i].kind == FORM_RATE)
			break;
	if (i < x->f->nitems)
		worksheet_write_string(ws, r++, 0, "Ghi chú: tỷ lệ toàn tỉnh, "
		    "theo địa bàn và theo loại đơn vị được tính từ tổng các số "
		    "liệu thành phần, không lấy trung bình tỷ lệ của các đơn "
		    "vị.", x->fmt.note);
	for (i = 0; i < x->f->nitems; i++) {
		/* A sum of levels means nothing: units are counted instead. */
		if (x->f->items[i].kind != FORM_LEVEL)
			continue;
		(void)snprintf(line, sizeof(line), "«%s»: số đơn vị đạt từng "
		    "mức; mức của từng đơn vị ở sheet «%s».",
		    x->f->items[i].label, XLSX_S_UNITS);
		xlsx_trim(line);
		xlsx_text(x, ws, r++, 0, line, x->fmt.note);
	}

	return (r);
}

/* By district, by kind, and the station appendix when there is one. */
static void
xlsx_tables(struct xlsx *x)
{
	struct xlsx_table	t;
	json_t			*st;

	memset(&t, 0, sizeof(t));
	t.sheet = XLSX_S_DISTRICTS;
	t.title = "SỐ LIỆU TỔNG HỢP THEO ĐỊA BÀN";
	t.prov = x->cons;
	t.pvalues = json_object_get(x->cons, "values");
	t.members = json_object_get(x->cons, "by_district");
	t.which = XLSX_NUMBERS;
	/* The district chart reads the rates from this sheet. */
	t.rows = x->hrow;
	xlsx_table(x, &t);

	t.sheet = XLSX_S_KINDS;
	t.title = "SỐ LIỆU TỔNG HỢP THEO LOẠI ĐƠN VỊ";
	t.members = json_object_get(x->cons, "by_kind");
	t.rows = NULL;
	xlsx_table(x, &t);

	st = json_object_get(x->cons, "stations");
	t.pvalues = json_object_get(st, "values");
	if (!json_is_object(t.pvalues) || json_object_size(t.pvalues) == 0)
		return;
	t.sheet = XLSX_S_STATIONS;
	t.title = "PHỤ LỤC SỐ LIỆU CÁC TRẠM Y TẾ";
	t.prov = NULL;
	t.members = json_object_get(st, "by_district");
	t.which = XLSX_STATIONS;
	xlsx_table(x, &t);
}

/* The outline with the province's column, then one per member. */
static void
xlsx_table(struct xlsx *x, const struct xlsx_table *t)
{
	static const double	w[] = { 7, 50, 12 };
	static const char	*heads[] = { "STT",
				    "Nhiệm vụ, nội dung báo cáo",
				    "Đơn vị tính" };
	struct xlsx_src		*src;
	lxw_worksheet		*ws;
	lxw_row_t		r;
	lxw_col_t		brk[XLSX_BREAKS_MAX + 1];
	size_t			n, k;
	double			width;
	int			wide;

	if ((src = xlsx_members(t->prov, t->members, &n)) == NULL)
		return;
	src[0].values = t->pvalues;
	/*
	 * Many areas are never crammed onto one page: printed a few value
	 * columns to a landscape A4 page, the labels repeated on each.
	 */
	wide = n > XLSX_PAGE_COLS + 1;
	if ((ws = xlsx_sheet(x, t->sheet, wide ? 0 : n, !wide)) == NULL) {
		free(src);
		return;
	}
	if (wide) {
		for (k = 0; k < XLSX_BREAKS_MAX && XLSX_C_VALUES +
		    (k + 1) * XLSX_PAGE_COLS < XLSX_C_VALUES + n; k++)
			brk[k] = (lxw_col_t)(XLSX_C_VALUES + (k + 1) *
			    XLSX_PAGE_COLS);
		brk[k] = 0;
		worksheet_set_v_pagebreaks(ws, brk);
		worksheet_repeat_columns(ws, 0, XLSX_C_UNIT);
	}
	width = xlsx_widths(x, ws, 0, w, 3) +
	    xlsx_width_range(x, ws, XLSX_C_VALUES, n, 14);
	xlsx_titles(x, ws, t->title, (lxw_col_t)(XLSX_C_VALUES + n - 1),
	    width);

	r = 3;
	xlsx_heads(x, ws, r, 0, heads, 3);
	for (k = 0; k < n; k++)
		xlsx_text(x, ws, r, (lxw_col_t)(XLSX_C_VALUES + k), src[k].name,
		    x->fmt.th);
	worksheet_freeze_panes(ws, r + 1, XLSX_C_VALUES);
	worksheet_repeat_rows(ws, r, r);
	if (t->rows != NULL) {
		x->hhead = r;
		x->ndist = n - 1;
	}
	if (t->which != XLSX_STATIONS)
		xlsx_counts_row(x, ws, ++r, src, n);
	(void)xlsx_outline(x, ws, r + 1, src, n, t->which, t->rows);
	free(src);
}

/* "Số đơn vị đã báo cáo / phải báo cáo": 4/5 in every column. */
static void
xlsx_counts_row(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r,
    const struct xlsx_src *src, size_t n)
{
	char		buf[64];
	size_t		k;
	json_t		*a, *b;

	worksheet_write_blank(ws, r, XLSX_C_STT, x->fmt.td);
	worksheet_write_string(ws, r, XLSX_C_LABEL, "Số đơn vị đã báo cáo / "
	    "phải báo cáo", x->fmt.td);
	worksheet_write_string(ws, r, XLSX_C_UNIT, "Đơn vị", x->fmt.td_c);
	for (k = 0; k < n; k++) {
		a = json_object_get(src[k].obj, "units_reported");
		b = json_object_get(src[k].obj, "units_expected");
		if (json_is_integer(a) && json_is_integer(b)) {
			(void)snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT
			    "/%" JSON_INTEGER_FORMAT, json_integer_value(a),
			    json_integer_value(b));
			worksheet_write_string(ws, r,
			    (lxw_col_t)(XLSX_C_VALUES + k), buf, x->fmt.td_c);
		} else
			worksheet_write_blank(ws, r,
			    (lxw_col_t)(XLSX_C_VALUES + k), x->fmt.td_c);
	}
}

/*
 * The form's sections and numeric items in its order, from row r, one
 * value column per source.  rows, when given, gets each item's row.
 * Returns the row after the table.
 */
static lxw_row_t
xlsx_outline(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r,
    const struct xlsx_src *src, size_t n, int which, int *rows)
{
	const struct form	*f = x->f;
	size_t			s, i, k;

	for (s = 0; s < f->nsections; s++) {
		if (!xlsx_section_shown(f, s, which))
			continue;
		xlsx_section_row(x, ws, r++, s,
		    (lxw_col_t)(XLSX_C_VALUES + n - 1));
		for (i = 0; i < f->nitems; i++) {
			if (f->items[i].section != (int)s ||
			    !xlsx_item_shown(&f->items[i], which))
				continue;
			if (rows != NULL)
				rows[i] = (int)r;
			xlsx_item_row(x, ws, r, &f->items[i]);
			for (k = 0; k < n; k++)
				xlsx_value(x, ws, r,
				    (lxw_col_t)(XLSX_C_VALUES + k),
				    &f->items[i], src[k].values, 1);
			r++;
			if (f->items[i].kind == FORM_LEVEL)
				r = xlsx_level_rows(x, ws, r, &f->items[i],
				    src, n);
		}
	}

	return (r);
}

/*
 * Under a level item of a consolidated table, one row per level with the
 * number of units at it in each column ({"1": n, ...} as cons_complete()
 * makes it).  Returns the row after them.
 */
static lxw_row_t
xlsx_level_rows(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r,
    const struct form_item *it, const struct xlsx_src *src, size_t n)
{
	char		label[32], key[24];
	json_t		*v;
	long long	lvl;
	size_t		k;
	int		depth;

	if (it->max - it->min >= CONS_LEVELS_MAX)
		return (r);
	depth = it->depth < 0 ? 1 : it->depth >= XLSX_DEPTH_MAX ?
	    XLSX_DEPTH_MAX : it->depth + 1;
	for (lvl = it->min; lvl <= (long long)it->max; lvl++, r++) {
		(void)snprintf(key, sizeof(key), "%lld", lvl);
		(void)snprintf(label, sizeof(label), "Mức %lld", lvl);
		worksheet_write_blank(ws, r, XLSX_C_STT, x->fmt.td);
		xlsx_text(x, ws, r, XLSX_C_LABEL, label, x->fmt.label[depth]);
		xlsx_text(x, ws, r, XLSX_C_UNIT, "Đơn vị", x->fmt.td_c);
		for (k = 0; k < n; k++) {
			v = json_object_get(json_object_get(src[k].values,
			    it->code), key);
			if (json_is_integer(v))
				worksheet_write_number(ws, r,
				    (lxw_col_t)(XLSX_C_VALUES + k),
				    (double)json_integer_value(v),
				    x->fmt.count);
			else
				worksheet_write_blank(ws, r,
				    (lxw_col_t)(XLSX_C_VALUES + k), x->fmt.td);
		}
	}

	return (r);
}

static void
xlsx_section_row(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, size_t s,
    lxw_col_t last)
{
	lxw_col_t	c;

	xlsx_text(x, ws, r, XLSX_C_STT, x->f->sections[s].id, x->fmt.sec_id);
	xlsx_text(x, ws, r, XLSX_C_LABEL, x->f->sections[s].title, x->fmt.sec);
	for (c = XLSX_C_UNIT; c <= last; c++)
		worksheet_write_blank(ws, r, c, x->fmt.sec);
}

static void
xlsx_item_row(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r,
    const struct form_item *it)
{
	int		depth;

	depth = it->depth < 0 ? 0 : it->depth > XLSX_DEPTH_MAX ?
	    XLSX_DEPTH_MAX : it->depth;
	worksheet_write_blank(ws, r, XLSX_C_STT, x->fmt.td);
	xlsx_text(x, ws, r, XLSX_C_LABEL, it->label, x->fmt.label[depth]);
	xlsx_text(x, ws, r, XLSX_C_UNIT, it->unit, x->fmt.td_c);
}

/*
 * One item's value from a values object, or an empty bordered cell.  In
 * a consolidated column (sum) a level's cell stays empty: the rows under
 * it count the units at each level.
 */
static void
xlsx_value(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    const struct form_item *it, json_t *values, int sum)
{
	lxw_format	*fm;
	double		v;

	if ((sum && it->kind == FORM_LEVEL) || !xlsx_num(values, it->code,
	    &v)) {
		worksheet_write_blank(ws, r, c, x->fmt.td);
		return;
	}
	if (it->kind == FORM_RATE)
		fm = x->fmt.rate;
	else if (it->kind == FORM_LEVEL)
		fm = x->fmt.level;
	else
		fm = x->fmt.count;
	worksheet_write_number(ws, r, c, v, fm);
}

static int
xlsx_item_shown(const struct form_item *it, int which)
{
	if (it->kind == FORM_TEXT)
		return (0);

	return (which == XLSX_STATIONS ? it->stations : 1);
}

/* Items of section s: all of them, or those the table shows. */
static size_t
xlsx_section_items(const struct form *f, size_t s, int filter, int which)
{
	size_t		i, n;

	for (i = 0, n = 0; i < f->nitems; i++)
		if (f->items[i].section == (int)s &&
		    (!filter || xlsx_item_shown(&f->items[i], which)))
			n++;

	return (n);
}

/*
 * A part heading (III, IV) has no items of its own: it is shown when one
 * of its sub-parts, up to the next heading, has something to show.
 */
static int
xlsx_section_shown(const struct form *f, size_t s, int which)
{
	size_t		j;

	if (xlsx_section_items(f, s, 0, which) > 0)
		return (xlsx_section_items(f, s, 1, which) > 0);
	for (j = s + 1; j < f->nsections &&
	    xlsx_section_items(f, j, 0, which) > 0; j++)
		if (xlsx_section_items(f, j, 1, which) > 0)
			return (1);

	return (0);
}

/* One row per reporting unit, one column per numeric item. */
static void
xlsx_units(struct xlsx *x)
{
	static const double	w[] = { 14, 36, 20, 24, 13, 17, 8 };
	lxw_worksheet		*ws;
	json_t			*units, *u;
	lxw_row_t		r;
	size_t			i, n;
	double			width;

	for (i = 0, n = 0; i < x->f->nitems; i++)
		n += xlsx_item_shown(&x->f->items[i], XLSX_NUMBERS);
	if ((ws = xlsx_sheet(x, XLSX_S_UNITS, n, 0)) == NULL)
		return;
	/* The title over the unit's columns: the first printed page. */
	width = xlsx_widths(x, ws, 0, w, 7);
	(void)xlsx_width_range(x, ws, 7, n, 18);
	xlsx_titles(x, ws, "CHI TIẾT SỐ LIỆU THEO ĐƠN VỊ", 6, width);

	xlsx_units_head(x, ws, 3);
	worksheet_freeze_panes(ws, 5, 2);
	worksheet_repeat_rows(ws, 3, 4);
	worksheet_repeat_columns(ws, 0, 1);
	units = json_object_get(x->cons, "units");
	r = 5;
	json_array_foreach(units, i, u) {
		if (json_is_object(u) && r < LXW_ROW_MAX)
			xlsx_unit_row(x, ws, r++, u);
	}
	if (r == 5)
		worksheet_write_string(ws, r, 0, "Chưa có đơn vị nào nộp báo "
		    "cáo.", x->fmt.note);
}

static void
xlsx_units_head(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r)
{
	static const char	*heads[] = { "Mã đơn vị", "Tên đơn vị", "Địa bàn",
				    "Loại đơn vị", "Trạng thái", "Nộp lúc",
				    "Muộn" };
	const struct form_item	*it;
	lxw_col_t		c;
	size_t			i;

	for (c = 0; c < 7; c++)
		worksheet_merge_range(ws, r, c, r + 1, c, heads[c], x->fmt.th);
	for (i = 0; i < x->f->nitems; i++) {
		it = &x->f->items[i];
		if (!xlsx_item_shown(it, XLSX_NUMBERS))
			continue;
		xlsx_text(x, ws, r, c, it->label, x->fmt.th);
		/* The code too: integrations and formulas refer to it. */
		xlsx_text(x, ws, r + 1, c++, it->code, x->fmt.code);
	}
}

static void
xlsx_unit_row(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, json_t *u)
{
	static const char	*status[][2] = { { "draft", "Bản nháp" },
				    { "submitted", "Đã nộp" },
				    { "returned", "Bị trả lại" },
				    { "accepted", "Đã duyệt" } };
	const char		*st;
	json_t			*late, *values;
	lxw_col_t		c;
	size_t			i;

	xlsx_text(x, ws, r, 0, xlsx_str(u, "code"), x->fmt.td);
	xlsx_text(x, ws, r, 1, xlsx_str(u, "name"), x->fmt.td);
	xlsx_text(x, ws, r, 2, xlsx_str(u, "district_name"), x->fmt.td);
	xlsx_text(x, ws, r, 3, xlsx_str(u, "kind_label") ? xlsx_str(u,
	    "kind_label") : xlsx_str(u, "kind"), x->fmt.td);
	st = xlsx_str(u, "status");
	for (i = 0; st != NULL && i < sizeof(status) / sizeof(status[0]); i++)
		if (strcmp(st, status[i][0]) == 0) {
			st = status[i][1];
			break;
		}
	xlsx_text(x, ws, r, 4, st, x->fmt.td_c);
	xlsx_when(x, ws, r, 5, xlsx_str(u, "submitted_at"));
	late = json_object_get(u, "late");
	xlsx_text(x, ws, r, 6, json_is_boolean(late) ? (json_is_true(late) ?
	    "Có" : "Không") : NULL, x->fmt.td_c);

	values = json_object_get(u, "values");
	for (i = 0, c = 7; i < x->f->nitems; i++)
		if (xlsx_item_shown(&x->f->items[i], XLSX_NUMBERS))
			xlsx_value(x, ws, r, c++, &x->f->items[i], values, 0);
}

/* Who to chase: the units that have not filed, with their focal point. */
static void
xlsx_missing(struct xlsx *x)
{
	static const double	w[] = { 6, 14, 36, 20, 24, 24, 20, 15, 28 };
	lxw_worksheet		*ws;
	lxw_row_t		r;
	double			width;

	if ((ws = xlsx_sheet(x, XLSX_S_MISSING, 0, 1)) == NULL)
		return;
	width = xlsx_widths(x, ws, 0, w, 9);
	xlsx_titles(x, ws, "ĐƠN VỊ CHƯA NỘP BÁO CÁO, NỘP MUỘN", 8, width);
	r = xlsx_missing_rows(x, ws, 3);
	(void)xlsx_late_rows(x, ws, r + 1);
}

static lxw_row_t
xlsx_missing_rows(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r)
{
	static const char	*heads[] = { "STT", "Mã đơn vị", "Tên đơn vị",
				    "Địa bàn", "Loại đơn vị", "Cán bộ đầu mối",
				    "Chức vụ", "Điện thoại", "Email" };
	json_t			*list, *m, *ct;
	char			line[128];
	size_t			i, n;

	list = json_object_get(x->cons, "missing");
	(void)snprintf(line, sizeof(line), "1. Đơn vị chưa nộp báo cáo: %zu "
	    "đơn vị", json_array_size(list));
	worksheet_write_string(ws, r++, 0, line, x->fmt.part);
	xlsx_heads(x, ws, r++, 0, heads, 9);
	n = 0;
	json_array_foreach(list, i, m) {
		if (!json_is_object(m) || r >= LXW_ROW_MAX - 4)
			continue;
		ct = json_object_get(m, "contact");
		worksheet_write_number(ws, r, 0, (double)++n, x->fmt.td_c);
		xlsx_text(x, ws, r, 1, xlsx_str(m, "code"), x->fmt.td);
		xlsx_text(x, ws, r, 2, xlsx_str(m, "name"), x->fmt.td);
		xlsx_text(x, ws, r, 3, xlsx_str(m, "district_name"), x->fmt.td);
		xlsx_text(x, ws, r, 4, xlsx_str(m, "kind_label") ? xlsx_str(m,
		    "kind_label") : xlsx_str(m, "kind"), x->fmt.td);
		xlsx_text(x, ws, r, 5, xlsx_str(ct, "name"), x->fmt.td);
		xlsx_text(x, ws, r, 6, xlsx_str(ct, "position"), x->fmt.td);
		/* Text, not a number: a phone number keeps its leading 0. */
		xlsx_text(x, ws, r, 7, xlsx_str(ct, "phone"), x->fmt.td);
		xlsx_text(x, ws, r++, 8, xlsx_str(ct, "email"), x->fmt.td);
	}

	return (r);
}

static lxw_row_t
xlsx_late_rows(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r)
{
	static const char	*heads[] = { "STT", "Mã đơn vị", "Tên đơn vị",
				    "Địa bàn", "Nộp lúc" };
	json_t			*list, *m;
	char			line[128];
	size_t			i, n;

	list = json_object_get(x->cons, "late");
	(void)snprintf(line, sizeof(line), "2. Đơn vị nộp muộn: %zu đơn vị",
	    json_array_size(list));
	worksheet_write_string(ws, r++, 0, line, x->fmt.part);
	xlsx_heads(x, ws, r++, 0, heads, 5);
	n = 0;
	json_array_foreach(list, i, m) {
		if (!json_is_object(m) || r >= LXW_ROW_MAX)
			continue;
		worksheet_write_number(ws, r, 0, (double)++n, x->fmt.td_c);
		xlsx_text(x, ws, r, 1, xlsx_str(m, "code"), x->fmt.td);
		xlsx_text(x, ws, r, 2, xlsx_str(m, "name"), x->fmt.td);
		xlsx_text(x, ws, r, 3, xlsx_str(m, "district_name"), x->fmt.td);
		xlsx_when(x, ws, r++, 4, xlsx_str(m, "submitted_at"));
	}

	return (r);
}

/*
 * PL2's lists one under the other, each with the unit that filed the
 * row.  Column widths suit every list: the widest kind at each place.
 */
static void
xlsx_lists(struct xlsx *x)
{
	double		w[16] = { 6, 36 };
	lxw_worksheet	*ws;
	lxw_row_t	r;
	size_t		l, c;
	double		cw, width;

	if (x->f->nlists == 0 ||
	    (ws = xlsx_sheet(x, XLSX_S_LISTS, 0, 1)) == NULL)
		return;
	for (l = 0; l < x->f->nlists; l++)
		for (c = 0; c < x->f->lists[l].ncols && c + 2 < 16; c++) {
			switch (x->f->lists[l].cols[c].kind) {
			case FORM_COL_TEXT:
				cw = 60;
				break;
			case FORM_COL_CHOICE:
				cw = 24;
				break;
			case FORM_COL_DOCNO:
				cw = 20;
				break;
			default:
				cw = 14;
				break;
			}
			if (w[c + 2] < cw)
				w[c + 2] = cw;
		}
	for (c = 2; c < 16 && w[c] > 0; c++)
		;
	width = xlsx_widths(x, ws, 0, w, c);
	xlsx_titles(x, ws, "VĂN BẢN CHỈ ĐẠO, CÔNG TÁC TUYÊN TRUYỀN",
	    (lxw_col_t)(c - 1), width);
	for (l = 0, r = 3; l < x->f->nlists; l++)
		r = xlsx_list(x, ws, r, &x->f->lists[l]) + 1;
}

static lxw_row_t
xlsx_list(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r,
    const struct form_list *l)
{
	static const char	*heads[] = { "STT", "Đơn vị" };
	json_t		*rows, *row;
	char		line[1024];
	size_t		i, c, n;

	(void)snprintf(line, sizeof(line), "%s. %s",
	    l->section >= 0 && (size_t)l->section < x->f->nsections ?
	    x->f->sections[l->section].id : "", l->label);
	xlsx_trim(line);
	xlsx_text(x, ws, r++, 0, line, x->fmt.part);
	xlsx_heads(x, ws, r, 0, heads, 2);
	for (c = 0; c < l->ncols && c + 2 < LXW_COL_MAX; c++)
		xlsx_text(x, ws, r, (lxw_col_t)(c + 2), l->cols[c].label,
		    x->fmt.th);
	r++;
	rows = json_object_get(json_object_get(x->cons, "lists"), l->code);
	n = 0;
	json_array_foreach(rows, i, row) {
		if (!json_is_object(row) || r >= LXW_ROW_MAX - 2)
			continue;
		worksheet_write_number(ws, r, 0, (double)++n, x->fmt.td_c);
		xlsx_text(x, ws, r, 1, xlsx_str(row, "unit_name") ?
		    xlsx_str(row, "unit_name") : xlsx_str(row, "unit"),
		    x->fmt.td);
		for (c = 0; c < l->ncols && c + 2 < LXW_COL_MAX; c++)
			xlsx_cell(x, ws, r, (lxw_col_t)(c + 2), &l->cols[c],
			    json_object_get(row, l->cols[c].code));
		r++;
	}
	if (n == 0)
		worksheet_write_string(ws, r++, 1, "Không có", x->fmt.note);

	return (r);
}

/* A list cell: choices by their label, dates as dates, counts as numbers. */
static void
xlsx_cell(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    const struct form_column *col, json_t *v)
{
	struct xlsx_time	t;
	lxw_datetime		dt;
	const char		*s;
	size_t			i;

	if (col->kind == FORM_COL_COUNT && json_is_number(v)) {
		worksheet_write_number(ws, r, c, json_number_value(v),
		    x->fmt.count);
		return;
	}
	s = json_string_value(v);
	if (col->kind == FORM_COL_DATE && xlsx_date_parse(s, &t) == 0) {
		memset(&dt, 0, sizeof(dt));
		dt.year = t.y;
		dt.month = t.mo;
		dt.day = t.d;
		worksheet_write_datetime(ws, r, c, &dt, x->fmt.date);
		return;
	}
	for (i = 0; s != NULL && col->kind == FORM_COL_CHOICE &&
	    i < col->nchoices; i++)
		if (strcmp(s, col->choices[i]) == 0) {
			s = col->choice_labels[i];
			break;
		}
	xlsx_text(x, ws, r, c, s, col->kind == FORM_COL_TEXT ? x->fmt.td :
	    x->fmt.td_c);
}

/* The text items (assessment, plans, proposals), unit by unit. */
static void
xlsx_texts(struct xlsx *x)
{
	static const double	w[] = { 6, 36, 30, 90 };
	static const char	*heads[] = { "STT", "Đơn vị", "Nội dung",
				    "Ý kiến của đơn vị" };
	const struct form_item	*it;
	lxw_worksheet		*ws;
	json_t			*rows, *t;
	lxw_row_t		r;
	size_t			i, j, n;
	double			width;

	for (i = 0, n = 0; i < x->f->nitems; i++)
		n += x->f->items[i].kind == FORM_TEXT;
	if (n == 0 || (ws = xlsx_sheet(x, XLSX_S_TEXTS, 0, 1)) == NULL)
		return;
	width = xlsx_widths(x, ws, 0, w, 4);
	xlsx_titles(x, ws, "ĐÁNH GIÁ, PHƯƠNG HƯỚNG VÀ KIẾN NGHỊ CỦA CÁC ĐƠN VỊ",
	    3, width);
	xlsx_heads(x, ws, 3, 0, heads, 4);
	worksheet_freeze_panes(ws, 4, 0);
	worksheet_repeat_rows(ws, 3, 3);
	for (i = 0, n = 0, r = 4; i < x->f->nitems; i++) {
		it = &x->f->items[i];
		if (it->kind != FORM_TEXT)
			continue;
		rows = json_object_get(json_object_get(x->cons, "texts"),
		    it->code);
		json_array_foreach(rows, j, t) {
			if (!json_is_object(t) || xlsx_str(t, "text") == NULL ||
			    r >= LXW_ROW_MAX)
				continue;
			worksheet_write_number(ws, r, 0, (double)++n,
			    x->fmt.td_c);
			xlsx_text(x, ws, r, 1, xlsx_str(t, "unit_name") ?
			    xlsx_str(t, "unit_name") : xlsx_str(t, "unit"),
			    x->fmt.td);
			xlsx_text(x, ws, r, 2, it->label, x->fmt.td);
			xlsx_text(x, ws, r++, 3, xlsx_str(t, "text"),
			    x->fmt.td);
		}
	}
	if (n == 0)
		worksheet_write_string(ws, r, 1, "Chưa có ý kiến nào.",
		    x->fmt.note);
}

/* A six-month or annual report against the sum of its monthly reports. */
static void
xlsx_monthly(struct xlsx *x)
{
	static const double	w[] = { 7, 50, 12, 16, 16, 16 };
	static const char	*heads[] = { "STT",
				    "Nhiệm vụ, nội dung báo cáo", "Đơn vị tính",
				    "Số liệu báo cáo",
				    "Cộng các báo cáo tháng", "Chênh lệch" };
	lxw_worksheet		*ws;
	json_t			*m, *from, *p;
	char			line[512];
	size_t			i, n, len;
	double			width;
	lxw_row_t		r;

	if (!json_is_object(m = json_object_get(x->cons, "monthly")) ||
	    (ws = xlsx_sheet(x, XLSX_S_MONTHLY, 0, 1)) == NULL)
		return;
	width = xlsx_widths(x, ws, 0, w, 6);
	xlsx_titles(x, ws, "ĐỐI CHIẾU SỐ LIỆU BÁO CÁO VỚI CỘNG CÁC BÁO CÁO "
	    "THÁNG", 5, width);
	len = (size_t)snprintf(line, sizeof(line), "Các kỳ tháng:");
	from = json_object_get(m, "from");
	n = 0;
	json_array_foreach(from, i, p) {
		if (json_is_string(p) && len < sizeof(line))
			len += (size_t)snprintf(line + len, sizeof(line) - len,
			    "%s %s", n++ ? "," : "", json_string_value(p));
	}
	xlsx_trim(line);
	xlsx_text(x, ws, 2, 0, n ? line : "Không có báo cáo tháng nào trong "
	    "kỳ.", x->fmt.note);
	worksheet_write_string(ws, 3, 0, "Chỉ tiêu thời điểm (không cộng dồn "
	    "theo tháng) lấy số của tháng gần nhất; chênh lệch khác 0 được tô "
	    "màu.", x->fmt.note);
	xlsx_heads(x, ws, 5, 0, heads, 6);
	worksheet_freeze_panes(ws, 6, 0);
	worksheet_repeat_rows(ws, 5, 5);
	r = xlsx_monthly_rows(x, ws, 6, json_object_get(m, "differences"));
	if (r == 6)
		worksheet_write_string(ws, r, 1, "Không có số liệu để đối "
		    "chiếu.", x->fmt.note);
}

static lxw_row_t
xlsx_monthly_rows(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r,
    json_t *diff)
{
	static const char	*keys[] = { "reported", "monthly",
				    "difference" };
	const struct form_item	*it;
	json_t			*d, *v;
	size_t			i, k;
	int			sec;

	for (i = 0, sec = -1; i < x->f->nitems; i++) {
		it = &x->f->items[i];
		if (!json_is_object(d = json_object_get(diff, it->code)))
			continue;
		if (it->section != sec && it->section >= 0 &&
		    (size_t)it->section < x->f->nsections) {
			sec = it->section;
			xlsx_section_row(x, ws, r++, (size_t)sec, 5);
		}
		xlsx_item_row(x, ws, r, it);
		for (k = 0; k < 3; k++) {
			v = json_object_get(d, keys[k]);
			if (k > 0 && json_is_true(json_object_get(d,
			    "absent"))) {
				worksheet_write_string(ws, r,
				    (lxw_col_t)(3 + k), XLSX_ABSENT,
				    x->fmt.note);
				continue;
			}
			if (json_is_number(v))
				worksheet_write_number(ws, r,
				    (lxw_col_t)(3 + k), json_number_value(v),
				    k == 2 && json_number_value(v) != 0 ?
				    x->fmt.diff : x->fmt.count);
			else
				worksheet_write_blank(ws, r,
				    (lxw_col_t)(3 + k), x->fmt.td);
		}
		r++;
	}

	return (r);
}

/*
 * The rates over the months and across the districts, as native charts
 * over cells of the workbook, so that they can be restyled in Excel.
 */
static void
xlsx_charts(struct xlsx *x)
{
	lxw_worksheet	*ws;
	lxw_row_t	brk[2] = { 0, 0 };
	json_t		*trend;
	int		*rates;
	size_t		i, n, npts;
	lxw_row_t	r, r0;

	for (i = 0, n = 0; i < x->f->nitems; i++)
		n += x->f->items[i].kind == FORM_RATE;
	if (n == 0 || (rates = calloc(n, sizeof(*rates))) == NULL)
		return;
	if ((ws = xlsx_sheet(x, XLSX_S_CHARTS, n + 1, 1)) == NULL) {
		free(rates);
		return;
	}
	trend = json_object_get(x->cons, "trend");
	n = xlsx_trend_rates(x, trend, rates, n);
	(void)xlsx_width_range(x, ws, 0, 1, 18);
	(void)xlsx_width_range(x, ws, 1, n > 5 ? n : 5, 22);
	xlsx_titles(x, ws, "BIỂU ĐỒ CÁC TỶ LỆ CHÍNH", 5, 18 + 22 * 5);
	worksheet_write_string(ws, 3, 0, "Tỷ lệ qua các tháng (%)",
	    x->fmt.part);
	r0 = 5;
	r = xlsx_trend_table(x, ws, r0 - 1, trend, rates, n, &npts);
	if (n > 0 && npts > 0) {
		xlsx_trend_chart(x, ws, r0, r - 1, rates, n);
		r += 1 + XLSX_CHART_ROWS;
		/* Print each chart whole: the second starts a page. */
		brk[0] = r + 1;
		worksheet_set_h_pagebreaks(ws, brk);
	} else {
		worksheet_write_string(ws, r++, 0, "Chưa có số liệu các tháng "
		    "để vẽ biểu đồ.", x->fmt.note);
	}
	xlsx_district_chart(x, ws, r + 1);
	free(rates);
}

/* 1 when codes (an array) holds code. */
static int
xlsx_listed(json_t *codes, const char *code)
{
	json_t		*c;
	size_t		i;

	json_array_foreach(codes, i, c) {
		if (json_is_string(c) && !strcmp(json_string_value(c), code))
			return (1);
	}

	return (0);
}

/* The form's rates that some month of the trend has, in form order. */
static size_t
xlsx_trend_rates(struct xlsx *x, json_t *trend, int *rates, size_t max)
{
	json_t		*p;
	size_t		i, j, n;
	double		v;

	for (i = 0, n = 0; i < x->f->nitems && n < max; i++) {
		if (x->f->items[i].kind != FORM_RATE)
			continue;
		json_array_foreach(trend, j, p) {
			if (xlsx_num(json_object_get(p, "values"),
			    x->f->items[i].code, &v)) {
				rates[n++] = (int)i;
				break;
			}
		}
	}

	return (n);
}

static lxw_row_t
xlsx_trend_table(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r,
    json_t *trend, const int *rates, size_t n, size_t *npts)
{
	const struct form_item	*it;
	json_t			*p;
	const char		*name;
	size_t			i, k;

	*npts = 0;
	if (n == 0)
		return (r);
	worksheet_write_string(ws, r, 0, "Kỳ báo cáo", x->fmt.th);
	for (k = 0; k < n; k++)
		xlsx_text(x, ws, r, (lxw_col_t)(1 + k),
		    x->f->items[rates[k]].label, x->fmt.th);
	r++;
	json_array_foreach(trend, i, p) {
		if (!json_is_object(p) || r >= LXW_ROW_MAX)
			continue;
		if ((name = xlsx_str(p, "name")) == NULL)
			name = xlsx_str(p, "period");
		xlsx_text(x, ws, r, 0, name ? name : "?", x->fmt.td_c);
		for (k = 0; k < n; k++) {
			it = &x->f->items[rates[k]];
			if (xlsx_listed(json_object_get(p, "absent"),
			    it->code))
				worksheet_write_string(ws, r, (lxw_col_t)(1 + k),
				    XLSX_ABSENT, x->fmt.note);
			else
				xlsx_value(x, ws, r, (lxw_col_t)(1 + k), it,
				    json_object_get(p, "values"), 1);
		}
		r++;
		(*npts)++;
	}

	return (r);
}

/* Data in rows r0..r1 of the chart sheet; the chart goes under them. */
static void
xlsx_trend_chart(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r0,
    lxw_row_t r1, const int *rates, size_t n)
{
	lxw_chart		*ch;
	lxw_chart_series	*s;
	char			name[XLSX_SHORT * 4 + 8];
	size_t			k;

	if ((ch = workbook_add_chart(x->wb, LXW_CHART_LINE)) == NULL)
		return;
	for (k = 0; k < n; k++) {
		s = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(s, XLSX_S_CHARTS, r0, 0, r1, 0);
		chart_series_set_values(s, XLSX_S_CHARTS, r0,
		    (lxw_col_t)(1 + k), r1, (lxw_col_t)(1 + k));
		xlsx_short(x->f->items[rates[k]].label, name, sizeof(name));
		chart_series_set_name(s, name);
		/* A single month is a point: without a marker, nothing. */
		chart_series_set_marker_type(s, LXW_CHART_MARKER_AUTOMATIC);
	}
	xlsx_chart_style(ch, "Tỷ lệ các chỉ tiêu chính qua các tháng",
	    "Kỳ báo cáo");
	xlsx_chart_insert(ws, r1 + 2, ch);
}

/*
 * One or two rates across the districts, from the "Theo địa bàn" sheet.
 * Đề án 06's headline indicators (CCCD at the clinic, cashless payment)
 * come first when the form has them; else the form's first rates.
 */
static void
xlsx_district_chart(struct xlsx *x, lxw_worksheet *ws, lxw_row_t at)
{
	lxw_chart		*ch;
	lxw_chart_series	*s;
	lxw_col_t		c0, c1;
	char			name[XLSX_SHORT * 4 + 8], title[256];
	int			rates[2];
	size_t			k, n;

	if (x->ndist == 0 || (n = xlsx_district_rates(x, rates, 2)) == 0)
		return;
	if ((ch = workbook_add_chart(x->wb, LXW_CHART_COLUMN)) == NULL)
		return;
	c0 = XLSX_C_VALUES + 1;
	c1 = (lxw_col_t)(c0 + x->ndist - 1);
	for (k = 0; k < n; k++) {
		s = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(s, XLSX_S_DISTRICTS, x->hhead, c0,
		    x->hhead, c1);
		chart_series_set_values(s, XLSX_S_DISTRICTS,
		    (lxw_row_t)x->hrow[rates[k]], c0,
		    (lxw_row_t)x->hrow[rates[k]], c1);
		xlsx_short(x->f->items[rates[k]].label, name, sizeof(name));
		chart_series_set_name(s, name);
	}
	(void)snprintf(title, sizeof(title), "Một số tỷ lệ chính theo địa bàn "
	    "- %s", x->pname);
	xlsx_trim(title);
	xlsx_chart_style(ch, title, "Địa bàn");
	xlsx_chart_insert(ws, at, ch);
}

static size_t
xlsx_district_rates(struct xlsx *x, int *rates, size_t max)
{
	static const char	*main_rates[] = { "cccd.used_pct",
				    "pay.cashless_pct" };
	size_t			i, n;
	int			it;

	for (i = 0, n = 0; i < 2 && n < max; i++)
		if ((it = form_item_index(x->f, main_rates[i])) >= 0 &&
		    x->f->items[it].kind == FORM_RATE &&
		    xlsx_district_has(x, it))
			rates[n++] = it;
	if (n > 0)
		return (n);
	for (i = 0; i < x->f->nitems && n < max; i++)
		if (x->f->items[i].kind == FORM_RATE &&
		    xlsx_district_has(x, (int)i))
			rates[n++] = (int)i;

	return (n);
}

/* The item has a row on "Theo địa bàn" and some district has a value. */
static int
xlsx_district_has(struct xlsx *x, int it)
{
	const char	*key;
	json_t		*m;
	double		v;

	if (x->hrow[it] < 0)
		return (0);
	json_object_foreach(json_object_get(x->cons, "by_district"), key, m) {
		if (xlsx_num(json_object_get(m, "values"),
		    x->f->items[it].code, &v))
			return (1);
	}

	return (0);
}

static void
xlsx_chart_style(lxw_chart *ch, const char *title, const char *xname)
{
	lxw_chart_font	tf = { .name = XLSX_FONT, .size = XLSX_TITLE_SIZE,
			    .bold = 1 };
	lxw_chart_font	af = { .name = XLSX_FONT, .size = XLSX_SIZE };

	chart_title_set_name(ch, title);
	chart_title_set_name_font(ch, &tf);
	chart_axis_set_name(ch->x_axis, xname);
	chart_axis_set_name_font(ch->x_axis, &af);
	chart_axis_set_num_font(ch->x_axis, &af);
	chart_axis_set_name(ch->y_axis, "Tỷ lệ (%)");
	chart_axis_set_name_font(ch->y_axis, &af);
	chart_axis_set_num_font(ch->y_axis, &af);
	/* Rates are stored as 0-100, not as fractions: no Excel "%". */
	chart_axis_set_min(ch->y_axis, 0);
	chart_axis_set_max(ch->y_axis, 100);
	chart_axis_set_num_format(ch->y_axis, "0\"%\"");
	chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
	chart_legend_set_font(ch, &af);
}

static void
xlsx_chart_insert(lxw_worksheet *ws, lxw_row_t at, lxw_chart *ch)
{
	lxw_chart_options	opt;

	memset(&opt, 0, sizeof(opt));
	opt.x_scale = 2.0;
	opt.y_scale = 1.5;
	worksheet_insert_chart_opt(ws, at, 0, ch, &opt);
}

/*
 * A sheet printed landscape, A3 when it is wide, and one page wide when
 * fit: the per-unit detail has too many columns for that and repeats its
 * first columns on every page instead.
 */
static lxw_worksheet *
xlsx_sheet(struct xlsx *x, const char *name, size_t values, int fit)
{
	lxw_worksheet	*ws;
	size_t		i;

	if ((ws = workbook_add_worksheet(x->wb, name)) == NULL)
		return (NULL);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, values > XLSX_WIDE ? XLSX_A3 : XLSX_A4);
	if (fit)
		worksheet_fit_to_pages(ws, 1, 0);
	/* Page numbers centred at the top (Nghị định 30/2020). */
	worksheet_set_header(ws, "&C&\"Times New Roman\"&13&P");
	for (i = 0; i < XLSX_COLS; i++)
		x->w[i] = XLSX_DEFAULT_W;
	x->fit_ws = NULL;

	return (ws);
}

static void
xlsx_titles(struct xlsx *x, lxw_worksheet *ws, const char *title,
    lxw_col_t last, double width)
{
	xlsx_merged(x, ws, 0, last, width, title, x->fmt.title, 1.7,
	    XLSX_TITLE_SIZE);
	xlsx_merged(x, ws, 1, last, width, x->period, x->fmt.italic, 1.0,
	    XLSX_SIZE);
}

/*
 * Text over columns 0..last of row r.  Neither Excel nor LibreOffice
 * grows a row to fit wrapped text in merged cells: give the row the
 * height of the lines the text will take, from its length in characters
 * (times their width relative to a digit) against the columns' width.
 */
static void
xlsx_merged(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t last,
    double width, const char *s, lxw_format *fm, double cw, double pt)
{
	size_t		lines;

	if (s == NULL)
		s = "";
	if (last == 0) {
		xlsx_text(x, ws, r, 0, s, fm);
		return;
	}
	lines = width > 0 ? (size_t)(xlsx_chars(s) * cw / width) + 1 : 1;
	if (lines > 1)
		worksheet_set_row(ws, r, (double)lines * pt * 1.35, NULL);
	if (strlen(s) > XLSX_STR_MAX)
		s = "";
	worksheet_merge_range(ws, r, 0, r, last, s, fm);
}

static void
xlsx_heads(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    const char *const *heads, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		xlsx_text(x, ws, r, (lxw_col_t)(c + i), heads[i], x->fmt.th);
}

/* Set columns from c on; returns their total width. */
static double
xlsx_widths(struct xlsx *x, lxw_worksheet *ws, lxw_col_t c, const double *w,
    size_t n)
{
	size_t		i;
	double		t;

	for (i = 0, t = 0; i < n; i++)
		t += xlsx_width_range(x, ws, (lxw_col_t)(c + i), 1, w[i]);

	return (t);
}

/* n columns from c, all of width w; returns their total width. */
static double
xlsx_width_range(struct xlsx *x, lxw_worksheet *ws, lxw_col_t c, size_t n,
    double w)
{
	size_t		i;

	if (n == 0 || c >= LXW_COL_MAX)
		return (0);
	if (c + n > LXW_COL_MAX)
		n = LXW_COL_MAX - c;
	worksheet_set_column(ws, c, (lxw_col_t)(c + n - 1), w, NULL);
	for (i = c; i < c + n && i < XLSX_COLS; i++)
		x->w[i] = w;

	return (w * n);
}

/* A string cell, or an empty one with the format (its borders). */
static void
xlsx_text(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    const char *s, lxw_format *fm)
{
	char		*t;
	size_t		n;

	if (s == NULL || *s == '\0') {
		worksheet_write_blank(ws, r, c, fm);
		return;
	}
	if (fm != NULL && fm->text_wrap)
		xlsx_fit(x, ws, r, c, s);
	if ((n = strlen(s)) <= XLSX_STR_MAX) {
		worksheet_write_string(ws, r, c, s, fm);
		return;
	}
	/* Excel refuses longer cells: cut on a character boundary. */
	n = XLSX_STR_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	if ((t = strndup(s, n)) != NULL) {
		worksheet_write_string(ws, r, c, t, fm);
		free(t);
	}
}

/*
 * LibreOffice does not grow a row to fit wrapped text when it opens a
 * file (Excel does): give the row the height of the most lines one of
 * its cells takes, estimated from the column's width.
 */
static void
xlsx_fit(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    const char *s)
{
	size_t		lines;

	if (x->fit_ws != ws || x->fit_row != r) {
		x->fit_ws = ws;
		x->fit_row = r;
		x->fit_lines = 1;
	}
	lines = xlsx_lines(s, c < XLSX_COLS ? x->w[c] : XLSX_DEFAULT_W);
	if (lines <= x->fit_lines)
		return;
	x->fit_lines = lines;
	worksheet_set_row(ws, r, (double)(lines * XLSX_LINE_PT), NULL);
}

/* Lines a text takes in a column: each paragraph, rounded up. */
static size_t
xlsx_lines(const char *s, double width)
{
	size_t		lines, chars;
	double		per;

	per = width / XLSX_CHAR_W;
	if (per < 1)
		per = 1;
	for (lines = 0, chars = 0;; s++) {
		if (*s == '\n' || *s == '\0') {
			lines += chars == 0 ? 1 :
			    (size_t)((double)(chars - 1) / per) + 1;
			chars = 0;
			if (*s == '\0')
				break;
		} else if (((unsigned char)*s & 0xC0) != 0x80)
			chars++;
	}

	return (lines);
}

/* A timestamp as a date and time of Vietnam; as it came if unreadable. */
static void
xlsx_when(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    const char *s)
{
	struct xlsx_time	t;
	lxw_datetime		dt;

	if (xlsx_time_parse(s, &t) == -1) {
		xlsx_text(x, ws, r, c, s, x->fmt.td_c);
		return;
	}
	dt.year = t.y;
	dt.month = t.mo;
	dt.day = t.d;
	dt.hour = t.h;
	dt.min = t.mi;
	dt.sec = t.s;
	worksheet_write_datetime(ws, r, c, &dt, x->fmt.when);
}

/*
 * The value columns of a table: the province (obj may be NULL), then the
 * members of an object ({code: {"name" | "label" | "kind_label",
 * "values", ...}}) sorted by name in Vietnamese order, as the pages list
 * them.  NULL only when out of memory.
 */
static struct xlsx_src *
xlsx_members(json_t *prov, json_t *members, size_t *n)
{
	struct xlsx_src	*v;
	const char	*key, *name;
	json_t		*m;
	size_t		i, max;

	max = json_object_size(members);
	if (max > XLSX_MEMBERS_MAX)
		max = XLSX_MEMBERS_MAX;
	if ((v = calloc(max + 1, sizeof(*v))) == NULL)
		return (NULL);
	v[0].key = "";
	v[0].name = "Toàn tỉnh";
	v[0].obj = prov;
	i = 1;
	json_object_foreach(members, key, m) {
		if (!json_is_object(m) || i > max)
			continue;
		if ((name = xlsx_str(m, "name")) == NULL &&
		    (name = xlsx_str(m, "label")) == NULL &&
		    (name = xlsx_str(m, "kind_label")) == NULL)
			name = key;
		v[i].key = key;
		v[i].name = *name != '\0' ? name : key;
		v[i].obj = m;
		v[i++].values = json_object_get(m, "values");
	}
	qsort(v + 1, i - 1, sizeof(*v), xlsx_src_cmp);
	*n = i;

	return (v);
}

static int
xlsx_src_cmp(const void *a, const void *b)
{
	const struct xlsx_src	*p = a, *q = b;
	int			c;

	if ((c = collate_vi(p->name, q->name)) != 0)
		return (c);

	return (strcmp(p->key, q->key));
}

static int
xlsx_num(json_t *o, const char *key, double *v)
{
	json_t		*j;

	if (!json_is_number(j = json_object_get(o, key)))
		return (0);
	*v = json_number_value(j);

	return (1);
}

static const char *
xlsx_str(json_t *o, const char *key)
{
	return (json_string_value(json_object_get(o, key)));
}

static json_int_t
xlsx_int(json_t *o, const char *key)
{
	json_t		*j;

	j = json_object_get(o, key);
	if (json_is_integer(j) && json_integer_value(j) >= 0)
		return (json_integer_value(j));

	return (0);
}

/* Characters (code points) of a UTF-8 string. */
static size_t
xlsx_chars(const char *s)
{
	size_t		n;

	for (n = 0; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;

	return (n);
}

/* After a truncating snprintf: drop a cut multibyte character. */
static void
xlsx_trim(char *s)
{
	size_t		n, i, need;
	unsigned char	c;

	n = strlen(s);
	for (i = n; i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80; i--)
		;
	if (i == 0)
		return;
	c = (unsigned char)s[--i];
	need = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ?
	    3 : 4;
	if (n - i < need)
		s[i] = '\0';
}

/* A label short enough for a chart legend, cut between words. */
static void
xlsx_short(const char *s, char *buf, size_t len)
{
	size_t		i, n, cut;

	for (i = 0, n = 0, cut = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (s[i] == ' ')
			cut = i;
		if (++n > XLSX_SHORT)
			break;
	}
	if (s[i] == '\0')
		cut = i;
	else if (cut == 0)
		cut = i;
	if (cut + sizeof("…") > len)
		cut = 0;
	(void)snprintf(buf, len, "%.*s%s", (int)cut, s,
	    s[cut] != '\0' ? "…" : "");
}

static int
xlsx_digits(const char *s, int n, int *v)
{
	int		i;

	for (i = 0, *v = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		*v = *v * 10 + (s[i] - '0');
	}

	return (0);
}

/* "YYYY-MM-DD", a real day, at the start of s. */
static int
xlsx_date_parse(const char *s, struct xlsx_time *t)
{
	char		day[11];

	if (s == NULL || strlen(s) < 10)
		return (-1);
	memcpy(day, s, 10);
	day[10] = '\0';
	if (!form_date_valid(day))
		return (-1);
	memset(t, 0, sizeof(*t));
	(void)xlsx_digits(s, 4, &t->y);
	(void)xlsx_digits(s + 5, 2, &t->mo);
	(void)xlsx_digits(s + 8, 2, &t->d);

	return (0);
}

/*
 * "2023-07-20T02:00:00.123+00:00" as PostgreSQL writes a timestamptz,
 * into Vietnam's time: the office reads local times, whatever the
 * server's zone.  Without a zone the time is taken as already local.
 */
static int
xlsx_time_parse(const char *s, struct xlsx_time *t)
{
	int64_t		secs, days;
	int		off;

	if (xlsx_date_parse(s, t) == -1 || (s[10] != 'T' && s[10] != ' ') ||
	    xlsx_digits(s + 11, 2, &t->h) == -1 || s[13] != ':' ||
	    xlsx_digits(s + 14, 2, &t->mi) == -1)
		return (-1);
	s += 16;
	if (*s == ':') {
		if (xlsx_digits(s + 1, 2, &t->s) == -1)
			return (-1);
		s += 3;
	}
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	if (t->h > 23 || t->mi > 59 || t->s > 59 || xlsx_zone(s, &off) == -1)
		return (-1);

	secs = xlsx_days(t->y, t->mo, t->d) * 86400 + t->h * 3600 +
	    t->mi * 60 + t->s - off + XLSX_TZ;
	days = secs / 86400;
	if ((secs %= 86400) < 0) {
		secs += 86400;
		days--;
	}
	xlsx_civil(days, t);
	t->h = (int)(secs / 3600);
	t->mi = (int)(secs / 60 % 60);
	t->s = (int)(secs % 60);

	return (0);
}

/* "", "Z", "+07", "+0700", "+07:00": seconds east of UTC. */
static int
xlsx_zone(const char *s, int *off)
{
	const char	*p;
	int		h, m;

	*off = XLSX_TZ;
	if (*s == '\0')
		return (0);
	if (strcmp(s, "Z") == 0) {
		*off = 0;
		return (0);
	}
	if ((*s != '+' && *s != '-') || xlsx_digits(s + 1, 2, &h) == -1)
		return (-1);
	m = 0;
	p = s + 3;
	if (*p == ':')
		p++;
	if (*p != '\0' && (xlsx_digits(p, 2, &m) == -1 || p[2] != '\0'))
		return (-1);
	if (h > 14 || m > 59)
		return (-1);
	*off = (*s == '-' ? -1 : 1) * (h * 3600 + m * 60);

	return (0);
}

/* Days from 1970-01-01 (H. Hinnant's algorithm, proleptic Gregorian). */
static int64_t
xlsx_days(int y, int m, int d)
{
	int64_t		era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (era * 146097 + doe - 719468);
}

static void
xlsx_civil(int64_t z, struct xlsx_time *t)
{
	int64_t		era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	t->d = (int)(doy - (153 * mp + 2) / 5 + 1);
	t->mo = (int)(mp < 10 ? mp + 3 : mp - 9);
	t->y = (int)(yoe + era * 400 + (t->mo <= 2));
}

/* The CSV being written: its separator and decimal mark. */
struct xlsx_csv {
	FILE		*fp;
	char		sep;
	char		dec;
};

int
xlsx_report_csv(FILE *fp, const struct form *f, json_t *cons, int sep)
{
	static const char	*heads[] = { "STT", "Mã mục",
				    "Nhiệm vụ/nội dung", "Đơn vị tính",
				    "Giá trị toàn tỉnh" };
	const struct form_item	*it;
	struct xlsx_src		*src;
	struct xlsx_csv		c;
	size_t			s, i, k, n;

	if (fp == NULL || f == NULL || (sep != ',' && sep != ';') ||
	    (src = xlsx_members(NULL, json_object_get(cons, "by_district"),
	    &n)) == NULL)
		return (-1);
	src[0].values = json_object_get(cons, "values");
	c.fp = fp;
	c.sep = (char)sep;
	/* A decimal comma where the comma does not separate. */
	c.dec = sep == ';' ? ',' : '.';

	/* The BOM: without it Excel reads UTF-8 as the ANSI code page. */
	(void)fputs("\xEF\xBB\xBF", fp);
	for (k = 0; k < 5; k++) {
		if (k)
			(void)fputc(c.sep, fp);
		xlsx_csv_field(&c, heads[k]);
	}
	for (k = 1; k < n; k++) {
		(void)fputc(c.sep, fp);
		xlsx_csv_field(&c, src[k].name);
	}
	(void)fputs("\r\n", fp);

	for (s = 0; s < f->nsections; s++) {
		if (!xlsx_section_shown(f, s, XLSX_NUMBERS))
			continue;
		xlsx_csv_field(&c, f->sections[s].id);
		(void)fputc(c.sep, fp);
		(void)fputc(c.sep, fp);
		xlsx_csv_field(&c, f->sections[s].title);
		for (k = 0; k < n + 1; k++)
			(void)fputc(c.sep, fp);
		(void)fputs("\r\n", fp);
		for (i = 0; i < f->nitems; i++) {
			it = &f->items[i];
			if (it->section != (int)s ||
			    !xlsx_item_shown(it, XLSX_NUMBERS))
				continue;
			xlsx_csv_item(&c, it, NULL, it->label, it->unit, src,
			    n);
			if (it->kind == FORM_LEVEL)
				xlsx_csv_levels(&c, it, src, n);
		}
	}
	free(src);

	return (ferror(fp) ? -1 : 0);
}

/*
 * One row: the code (with "=level" for a level's row), the label, the
 * unit, then the value of each column; level NULL for the item itself.
 */
static void
xlsx_csv_item(struct xlsx_csv *c, const struct form_item *it,
    const char *level, const char *label, const char *unit,
    const struct xlsx_src *src, size_t n)
{
	char		code[96];	/* item codes: 64 at most */
	json_t		*v;
	size_t		k;

	(void)snprintf(code, sizeof(code), "%s%s%s", it->code,
	    level != NULL ? "=" : "", level != NULL ? level : "");
	(void)fputc(c->sep, c->fp);
	xlsx_csv_field(c, code);
	(void)fputc(c->sep, c->fp);
	xlsx_csv_field(c, label);
	(void)fputc(c->sep, c->fp);
	xlsx_csv_field(c, unit);
	for (k = 0; k < n; k++) {
		(void)fputc(c->sep, c->fp);
		v = json_object_get(src[k].values, it->code);
		if (level != NULL)
			xlsx_csv_number(c, FORM_COUNT, json_object_get(v,
			    level));
		else if (it->kind != FORM_LEVEL)
			xlsx_csv_number(c, it->kind, v);
	}
	(void)fputs("\r\n", c->fp);
}

/* Under a level item, the units at each level, as in the workbook. */
static void
xlsx_csv_levels(struct xlsx_csv *c, const struct form_item *it,
    const struct xlsx_src *src, size_t n)
{
	char		key[24], label[32];
	long long	lvl;

	if (it->max - it->min >= CONS_LEVELS_MAX)
		return;
	for (lvl = it->min; lvl <= (long long)it->max; lvl++) {
		(void)snprintf(key, sizeof(key), "%lld", lvl);
		(void)snprintf(label, sizeof(label), "Mức %lld", lvl);
		xlsx_csv_item(c, it, key, label, "Đơn vị", src, n);
	}
}

/* RFC 4180: quote a field holding the separator, a quote or a newline. */
static void
xlsx_csv_field(struct xlsx_csv *c, const char *s)
{
	const char	special[] = { c->sep, '"', '\r', '\n', '\0' };

	if (s == NULL)
		return;
	if (strpbrk(s, special) == NULL) {
		(void)fputs(s, c->fp);
		return;
	}
	(void)fputc('"', c->fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			(void)fputc('"', c->fp);
		(void)fputc(*s, c->fp);
	}
	(void)fputc('"', c->fp);
}

/* Plain numbers, no thousands separator, the file's decimal mark. */
static void
xlsx_csv_number(struct xlsx_csv *c, int kind, json_t *v)
{
	char		buf[64], *dot;

	if (json_is_integer(v)) {
		(void)fprintf(c->fp, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return;
	}
	if (!json_is_real(v))
		return;
	(void)snprintf(buf, sizeof(buf), kind == FORM_RATE ? "%.1f" : "%.15g",
	    json_real_value(v));
	if ((dot = strchr(buf, '.')) != NULL)
		*dot = c->dec;
	(void)fputs(buf, c->fp);
}
