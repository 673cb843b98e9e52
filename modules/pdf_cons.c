/*
 * The Department's consolidated report as a document to sign and send
 * (pdf_nd30.h): the province's table in the body; then, as appendices,
 * the breakdown by area and by kind of unit on landscape pages, a few
 * areas per page with the labels repeated, never all of them across one
 * page; the station appendix by area; for Phụ lục 2 the lists and texts
 * of every unit; "Nơi nhận" and the signature on the last page.  The
 * areas are whatever the consolidation groups by ("by_area", else
 * "by_district"): nothing here knows how many or which.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "collate.h"
#include "cons.h"
#include "form.h"
#include "pdf_layout.h"
#include "pdf_nd30.h"

#define CONS_GROUP		6	/* area columns on a landscape page */
#define CONS_MEMBERS_MAX	5000
#define CONS_LINE_MAX		4096

struct cons_col {
	const char	*key;
	const char	*name;
	json_t		*obj;		/* units_expected, units_reported */
	json_t		*values;
};

static int	cons_col_cmp(const void *, const void *);
static struct cons_col *cons_members(json_t *, size_t *);
static int	cons_item_shown(const struct form_item *);
static int	cons_section_shown(const struct form *, size_t);
static void	cons_counts_row(struct pdf_doc *, struct pdf_block *,
		    const struct cons_col *, size_t, double);
static void	cons_item_row(struct pdf_doc *, struct pdf_block *,
		    const struct form_item *, const struct cons_col *, size_t,
		    double);
static void	cons_level_rows(struct pdf_doc *, struct pdf_block *,
		    const struct form_item *, const struct cons_col *, size_t,
		    double);
static void	cons_grid(struct pdf_doc *, const struct form *,
		    const struct cons_col *, size_t, size_t, double);
static void	cons_breakdown(struct pdf_doc *, const struct form *, int,
		    const char *, json_t *, const char *);
static void	cons_stations(struct pdf_doc *, const struct form *, int,
		    json_t *, const char *);
static int	cons_lists(struct pdf_doc *, const struct form *, int,
		    json_t *, const char *);
static int	cons_texts(struct pdf_doc *, const struct form *, int,
		    json_t *, const char *);

static int
cons_col_cmp(const void *a, const void *b)
{
	const struct cons_col	*p = a, *q = b;
	int			c;

	if ((c = collate_vi(p->name, q->name)) != 0)
		return (c);

	return (strcmp(p->key, q->key));
}

/* The members of {code: {"name"|"label"|"kind_label", ...}} by name. */
static struct cons_col *
cons_members(json_t *members, size_t *n)
{
	struct cons_col	*v;
	const char	*key, *name;
	json_t		*m;
	size_t		i, max;

	max = json_object_size(members);
	if (max > CONS_MEMBERS_MAX)
		max = CONS_MEMBERS_MAX;
	if ((v = calloc(max + 1, sizeof(*v))) == NULL)
		return (NULL);
	i = 0;
	json_object_foreach(members, key, m) {
		if (!json_is_object(m) || i >= max)
			continue;
		if ((name = json_string_value(json_object_get(m, "name"))) ==
		    NULL && (name = json_string_value(json_object_get(m,
		    "kind_label"))) == NULL && (name = json_string_value(
		    json_object_get(m, "label"))) == NULL)
			name = key;
		v[i].key = key;
		v[i].name = *name != '\0' ? name : key;
		v[i].obj = m;
		v[i++].values = json_object_get(m, "values");
	}
	qsort(v, i, sizeof(*v), cons_col_cmp);
	*n = i;

	return (v);
}

static int
cons_item_shown(const struct form_item *it)
{
	return (it->kind != FORM_TEXT);
}

/* A section with numbers, or a heading with one under it. */
static int
cons_section_shown(const struct form *f, size_t s)
{
	size_t		i, j;
	int		items;

	for (i = 0, items = 0; i < f->nitems; i++) {
		if (f->items[i].section != (int)s)
			continue;
		items = 1;
		if (cons_item_shown(&f->items[i]))
			return (1);
	}
	for (i = 0; i < f->nlists; i++)
		if (f->lists[i].section == (int)s)
			items = 1;
	if (items)
		return (0);
	for (j = s + 1; j < f->nsections; j++) {
		for (i = 0, items = 0; i < f->nitems; i++) {
			if (f->items[i].section != (int)j)
				continue;
			items = 1;
			if (cons_item_shown(&f->items[i]))
				return (1);
		}
		for (i = 0; i < f->nlists; i++)
			if (f->lists[i].section == (int)j)
				items = 1;
		if (!items)
			return (0);
	}

	return (0);
}

static void
cons_counts_row(struct pdf_doc *d, struct pdf_block *b,
    const struct cons_col *cols, size_t n, double size)
{
	struct pdf_row	*r;
	char		buf[64];
	json_t		*a, *e;
	size_t		k;

	r = pdf_row_new(d, b);
	(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), "", size, 0, PDF_CENTER);
	(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), "Số đơn vị đã báo cáo / "
	    "phải báo cáo", size, PDF_ITALIC, PDF_LEFT);
	(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), "Đơn vị", size, 0,
	    PDF_CENTER);
	for (k = 0; k < n; k++) {
		a = json_object_get(cols[k].obj, "units_reported");
		e = json_object_get(cols[k].obj, "units_expected");
		buf[0] = '\0';
		if (json_is_integer(a) && json_is_integer(e))
			(void)snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT
			    "/%" JSON_INTEGER_FORMAT, json_integer_value(a),
			    json_integer_value(e));
		(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), buf, size, 0,
		    PDF_CENTER);
	}
}

static void
cons_item_row(struct pdf_doc *d, struct pdf_block *b,
    const struct form_item *it, const struct cons_col *cols, size_t n,
    double size)
{
	struct pdf_row	*r;
	struct pdf_para	*p;
	char		label[CONS_LINE_MAX], v[64];
	size_t		k;

	r = pdf_row_new(d, b);
	(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), "", size, 0, PDF_CENTER);
	(void)snprintf(label, sizeof(label), "%s%s", it->depth > 0 ? "+ " :
	    "- ", it->label);
	if ((p = pdf_cell_para(d, pdf_cell_new(d, r, 1), label, size, 0,
	    PDF_LEFT)) != NULL)
		p->indent = 6 * it->depth;
	(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), it->unit, size, 0,
	    PDF_CENTER);
	for (k = 0; k < n; k++) {
		/* A level is counted per level, in the rows under it. */
		v[0] = '\0';
		if (it->kind != FORM_LEVEL)
			nd30_value(it, cols[k].values, v, sizeof(v));
		(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), v, size,
		    form_is_derived(it) ? PDF_ITALIC : 0, PDF_RIGHT);
	}
}

static void
cons_level_rows(struct pdf_doc *d, struct pdf_block *b,
    const struct form_item *it, const struct cons_col *cols, size_t n,
    double size)
{
	struct pdf_row	*r;
	struct pdf_para	*p;
	char		key[24], label[32], v[64];
	json_t		*c;
	long long	lvl;
	size_t		k;

	if (it->max - it->min >= CONS_LEVELS_MAX)
		return;
	for (lvl = it->min; lvl <= (long long)it->max; lvl++) {
		(void)snprintf(key, sizeof(key), "%lld", lvl);
		(void)snprintf(label, sizeof(label), "Mức %lld", lvl);
		r = pdf_row_new(d, b);
		(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), "", size, 0,
		    PDF_CENTER);
		if ((p = pdf_cell_para(d, pdf_cell_new(d, r, 1), label, size,
		    0, PDF_LEFT)) != NULL)
			p->indent = 6 * (it->depth + 1);
		(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), "Đơn vị", size,
		    0, PDF_CENTER);
		for (k = 0; k < n; k++) {
			c = json_object_get(json_object_get(cols[k].values,
			    it->code), key);
			v[0] = '\0';
			if (json_is_integer(c))
				pdf_fmt_int((long long)json_integer_value(c), v,
				    sizeof(v));
			(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), v, size,
			    0, PDF_RIGHT);
		}
	}
}

/*
 * The outline down the page with the columns cols[first..first+n): the
 * last block added is the table (header repeated on every page).
 */
static void
cons_grid(struct pdf_doc *d, const struct form *f, const struct cons_col *cols,
    size_t first, size_t n, double size)
{
	struct pdf_block	*b;
	struct pdf_row		*r;
	struct pdf_para		*p;
	double			w[CONS_GROUP + 4];
	size_t			s, i, k;

	w[0] = 12;
	w[1] = n > 1 ? 68 : 91;
	w[2] = n > 1 ? 20 : 25;
	for (k = 0; k < n; k++)
		w[3 + k] = n > 1 ? 152.0 / CONS_GROUP : 37;
	if ((b = pdf_table_new(d, w, n + 3, 1, 1)) != NULL)
		b->before = PDF_MM(3);
	r = pdf_row_new(d, b);
	(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), "STT", size, PDF_BOLD,
	    PDF_CENTER);
	(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), "Nhiệm vụ, nội dung báo "
	    "cáo", size, PDF_BOLD, PDF_CENTER);
	(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), "Đơn vị tính", size,
	    PDF_BOLD, PDF_CENTER);
	for (k = 0; k < n; k++)
		(void)pdf_cell_para(d, pdf_cell_new(d, r, 1),
		    cols[first + k].name, size, PDF_BOLD, PDF_CENTER);
	cons_counts_row(d, b, cols + first, n, size);
	for (s = 0; s < f->nsections; s++) {
		if (!cons_section_shown(f, s))
			continue;
		r = pdf_row_new(d, b);
		(void)pdf_cell_para(d, pdf_cell_new(d, r, 1),
		    f->sections[s].id, size, PDF_BOLD, PDF_CENTER);
		if ((p = pdf_cell_para(d, pdf_cell_new(d, r, (int)n + 2),
		    f->sections[s].title, size, PDF_BOLD, PDF_LEFT)) != NULL)
			(void)p;
		for (i = 0; i < f->nitems; i++) {
			if (f->items[i].section != (int)s ||
			    !cons_item_shown(&f->items[i]))
				continue;
			cons_item_row(d, b, &f->items[i], cols + first, n,
			    size);
			if (f->items[i].kind == FORM_LEVEL)
				cons_level_rows(d, b, &f->items[i],
				    cols + first, n, size);
		}
	}
}

/* Members of an object, CONS_GROUP columns to a landscape page. */
static void
cons_breakdown(struct pdf_doc *d, const struct form *f, int annex,
    const char *title, json_t *members, const char *attached)
{
	struct pdf_block	*b;
	struct cons_col		*cols;
	size_t			n, g, i;
	char			line[256];

	if ((cols = cons_members(members, &n)) == NULL || n == 0) {
		free(cols);
		return;
	}
	nd30_annex(d, annex, title, attached, PDF_LANDSCAPE);
	g = (n + CONS_GROUP - 1) / CONS_GROUP;
	for (i = 0; i < g; i++) {
		if (i > 0) {
			(void)snprintf(line, sizeof(line), "Phụ lục %s (tiếp "
			    "theo, phần %zu/%zu)", pdf_roman(annex), i + 1, g);
			if ((b = pdf_para_new(d, line, ND30_BODY, PDF_ITALIC,
			    PDF_CENTER)) != NULL) {
				b->new_page = 1;
				b->keep_next = 1;
			}
		}
		cons_grid(d, f, cols, i * CONS_GROUP, n - i * CONS_GROUP >
		    CONS_GROUP ? CONS_GROUP : n - i * CONS_GROUP, ND30_SMALL);
	}
	free(cols);
}

/* The stations' appendix rolled up by area: a row per area. */
static void
cons_stations(struct pdf_doc *d, const struct form *f, int annex,
    json_t *cons, const char *attached)
{
	struct pdf_block	*b;
	struct cons_col		*cols;
	json_t			*st, *by;
	int			idx[64];
	char			stt[24];
	size_t			n, k, items;

	st = json_object_get(cons, "stations");
	if ((by = json_object_get(st, "by_area")) == NULL)
		by = json_object_get(st, "by_district");
	if (!json_is_object(json_object_get(st, "values")) ||
	    json_object_size(json_object_get(st, "values")) == 0 ||
	    (items = nd30_station_items(f, idx, 60)) == 0)
		return;
	if ((cols = cons_members(by, &n)) == NULL)
		return;
	nd30_annex(d, annex, "Số liệu các Trạm Y tế theo địa bàn", attached,
	    items > 8 ? PDF_LANDSCAPE : PDF_PORTRAIT);
	b = nd30_station_table(d, f, idx, items, "Địa bàn");
	for (k = 0; k < n; k++) {
		(void)snprintf(stt, sizeof(stt), "%zu", k + 1);
		nd30_station_row(d, b, f, idx, items, stt, cols[k].name,
		    cols[k].values, 0);
	}
	nd30_station_row(d, b, f, idx, items, "", "Tổng cộng",
	    json_object_get(st, "values"), PDF_BOLD);
	free(cols);
}

static struct pdf_block *
cons_unit_table(struct pdf_doc *d, const char *what, int figure)
{
	static const double	w3[] = { 10, 50, 105 };
	static const double	w4[] = { 10, 50, 80, 25 };
	static const int	al[] = { PDF_CENTER, PDF_CENTER, PDF_CENTER,
				    PDF_CENTER };
	const char		*h[4] = { "STT", "Đơn vị", NULL, "Số lượng" };
	struct pdf_block	*b;

	h[2] = what;
	if ((b = pdf_table_new(d, figure ? w4 : w3, figure ? 4 : 3, 1,
	    1)) != NULL)
		b->before = PDF_MM(2);
	(void)pdf_row_texts(d, b, h, figure ? 4 : 3, ND30_TABLE, PDF_BOLD,
	    al);

	return (b);
}

static void
cons_heading(struct pdf_doc *d, const char *id, const char *label)
{
	struct pdf_block	*b;
	char			line[CONS_LINE_MAX];

	(void)snprintf(line, sizeof(line), "%s. %s", id, label);
	if ((b = pdf_para_new(d, line, ND30_BODY, PDF_BOLD, PDF_LEFT)) != NULL) {
		b->before = PDF_MM(4);
		b->keep_next = 1;
		b->orient = PDF_PORTRAIT;
	}
}

/* Phụ lục 2's lists, every unit's rows under the unit's name. */
static int
cons_lists(struct pdf_doc *d, const struct form *f, int annex, json_t *cons,
    const char *attached)
{
	const struct form_list	*l;
	struct pdf_block	*b;
	struct pdf_row		*r;
	json_t			*rows, *row;
	char			text[CONS_LINE_MAX], fig[64], stt[24];
	const char		*name;
	size_t			i, j, c, n;
	int			figure;

	if (f->nlists == 0)
		return (0);
	nd30_annex(d, annex, "Văn bản chỉ đạo, công tác tuyên truyền của các "
	    "đơn vị", attached, PDF_PORTRAIT);
	for (i = 0; i < f->nlists; i++) {
		l = &f->lists[i];
		cons_heading(d, l->section >= 0 && (size_t)l->section <
		    f->nsections ? f->sections[l->section].id : "", l->label);
		for (c = 0, figure = 0; c < l->ncols; c++)
			figure |= l->cols[c].kind == FORM_COL_COUNT;
		b = cons_unit_table(d, "Nội dung", figure);
		rows = json_object_get(json_object_get(cons, "lists"), l->code);
		n = 0;
		json_array_foreach(rows, j, row) {
			if (!json_is_object(row))
				continue;
			nd30_list_text(l, row, text, sizeof(text), fig,
			    sizeof(fig));
			if ((name = json_string_value(json_object_get(row,
			    "unit_name"))) == NULL)
				name = json_string_value(json_object_get(row,
				    "unit"));
			(void)snprintf(stt, sizeof(stt), "%zu", ++n);
			r = pdf_row_new(d, b);
			(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), stt,
			    ND30_TABLE, 0, PDF_CENTER);
			(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), name,
			    ND30_TABLE, 0, PDF_LEFT);
			(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), text,
			    ND30_TABLE, 0, PDF_LEFT);
			if (figure)
				(void)pdf_cell_para(d, pdf_cell_new(d, r, 1),
				    fig, ND30_TABLE, 0, PDF_RIGHT);
		}
		if (n == 0) {
			r = pdf_row_new(d, b);
			(void)pdf_cell_para(d, pdf_cell_new(d, r, figure ? 4 :
			    3), "Không có.", ND30_TABLE, PDF_ITALIC, PDF_LEFT);
		}
	}

	return (1);
}

/* The text items (assessment, plans, proposals), unit by unit. */
static int
cons_texts(struct pdf_doc *d, const struct form *f, int annex, json_t *cons,
    const char *attached)
{
	const struct form_item	*it;
	struct pdf_block	*b;
	struct pdf_row		*r;
	json_t			*rows, *t;
	const char		*name, *text;
	char			stt[24];
	size_t			i, j, n, any;

	for (i = 0, any = 0; i < f->nitems; i++)
		any += f->items[i].kind == FORM_TEXT;
	if (any == 0)
		return (0);
	nd30_annex(d, annex, "Đánh giá, phương hướng và kiến nghị của các đơn "
	    "vị", attached, PDF_PORTRAIT);
	for (i = 0; i < f->nitems; i++) {
		it = &f->items[i];
		if (it->kind != FORM_TEXT)
			continue;
		cons_heading(d, it->section >= 0 && (size_t)it->section <
		    f->nsections ? f->sections[it->section].id : "",
		    it->label);
		b = cons_unit_table(d, "Ý kiến của đơn vị", 0);
		rows = json_object_get(json_object_get(cons, "texts"),
		    it->code);
		n = 0;
		json_array_foreach(rows, j, t) {
			if ((text = json_string_value(json_object_get(t,
			    "text"))) == NULL)
				continue;
			if ((name = json_string_value(json_object_get(t,
			    "unit_name"))) == NULL)
				name = json_string_value(json_object_get(t,
				    "unit"));
			(void)snprintf(stt, sizeof(stt), "%zu", ++n);
			r = pdf_row_new(d, b);
			(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), stt,
			    ND30_TABLE, 0, PDF_CENTER);
			(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), name,
			    ND30_TABLE, 0, PDF_LEFT);
			(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), text,
			    ND30_TABLE, 0, PDF_LEFT);
		}
		if (n == 0) {
			r = pdf_row_new(d, b);
			(void)pdf_cell_para(d, pdf_cell_new(d, r, 3),
			    "Chưa có ý kiến nào.", ND30_TABLE, PDF_ITALIC,
			    PDF_LEFT);
		}
	}

	return (1);
}

struct pdf_doc *
nd30_consolidated(const struct form *f, json_t *cons,
    const struct nd30_details *det)
{
	struct nd30_details	dd = *det;
	struct cons_col		prov;
	struct pdf_doc		*d;
	struct pdf_block	*b;
	json_t			*pi, *areas;
	const char		*pname;
	char			summary[1024], note[256], a[32], z[32];
	char			attached[512], intro[2048];
	long long		exp, rep, late;
	int			annex;

	pi = json_object_get(cons, "period_info");
	if ((pname = json_string_value(json_object_get(pi, "name"))) == NULL)
		pname = json_string_value(json_object_get(cons, "period"));
	if (dd.symbol == NULL || *dd.symbol == '\0')
		dd.symbol = "BC-SYT";
	(void)snprintf(summary, sizeof(summary), "Tổng hợp kết quả triển khai "
	    "các nhiệm vụ chuyển đổi số và thực hiện Đề án 06 %s%s",
	    pname != NULL && !strncmp(pname, "Tháng", 6) ? "t" :
	    pname != NULL && !strncmp(pname, "Năm", 4) ? "n" : "",
	    pname == NULL ? "" : !strncmp(pname, "Tháng", 6) ||
	    !strncmp(pname, "Năm", 4) ? pname + 1 : pname);
	nd30_day(json_string_value(json_object_get(pi, "start")), a,
	    sizeof(a));
	nd30_day(json_string_value(json_object_get(pi, "end")), z, sizeof(z));
	(void)snprintf(note, sizeof(note), "(Số liệu từ ngày %s đến ngày %s)",
	    a, z);
	(void)snprintf(attached, sizeof(attached), "(Kèm theo Báo cáo số "
	    "%s/%s của Sở Y tế Thanh Hóa)", dd.number != NULL && *dd.number ?
	    dd.number : "     ", dd.symbol);

	if ((d = pdf_doc_new(summary)) == NULL)
		return (NULL);
	nd30_header(d, "UBND tỉnh Thanh Hóa", "Sở Y tế", &dd);
	nd30_title(d, summary, note);
	nd30_to(d, dd.to != NULL && *dd.to != '\0' ? dd.to :
	    "Công an tỉnh Thanh Hóa; Chủ tịch UBND tỉnh");
	exp = (long long)json_integer_value(json_object_get(cons,
	    "units_expected"));
	rep = (long long)json_integer_value(json_object_get(cons,
	    "units_reported"));
	late = (long long)json_integer_value(json_object_get(cons,
	    "units_late"));
	(void)snprintf(intro, sizeof(intro), "Sở Y tế tổng hợp kết quả báo cáo "
	    "của các đơn vị y tế trong và ngoài công lập trên địa bàn tỉnh "
	    "(%s: %lld/%lld đơn vị đã báo cáo, %lld đúng hạn, %lld muộn) như "
	    "sau:", json_is_string(json_object_get(cons, "only")) &&
	    !strcmp(json_string_value(json_object_get(cons, "only")),
	    "accepted") ? "báo cáo đã duyệt" : "báo cáo đã nộp", rep, exp,
	    rep > late ? rep - late : 0, late);
	if ((b = pdf_para_new(d, intro, ND30_BODY, 0, PDF_LEFT)) != NULL)
		b->before = PDF_MM(4);

	memset(&prov, 0, sizeof(prov));
	prov.key = "";
	prov.name = "Toàn tỉnh";
	prov.obj = cons;
	prov.values = json_object_get(cons, "values");
	cons_grid(d, f, &prov, 0, 1, ND30_TABLE);

	annex = 1;
	if ((areas = json_object_get(cons, "by_area")) == NULL)
		areas = json_object_get(cons, "by_district");
	if (json_object_size(areas) > 0)
		cons_breakdown(d, f, annex++, "Số liệu tổng hợp theo địa bàn",
		    areas, attached);
	if (json_object_size(json_object_get(cons, "by_kind")) > 0)
		cons_breakdown(d, f, annex++, "Số liệu tổng hợp theo loại đơn vị",
		    json_object_get(cons, "by_kind"), attached);
	if (json_object_size(json_object_get(json_object_get(cons,
	    "stations"), "values")) > 0)
		cons_stations(d, f, annex++, cons, attached);
	if (json_is_object(json_object_get(cons, "lists")))
		annex += cons_lists(d, f, annex, cons, attached);
	if (json_is_object(json_object_get(cons, "texts")))
		annex += cons_texts(d, f, annex, cons, attached);

	(void)snprintf(intro, sizeof(intro), "Trên đây là báo cáo tổng hợp kết "
	    "quả triển khai các nhiệm vụ chuyển đổi số và thực hiện Đề án 06 "
	    "của ngành Y tế Thanh Hóa./.");
	if ((b = pdf_para_new(d, intro, ND30_BODY, 0, PDF_LEFT)) != NULL) {
		b->before = PDF_MM(4);
		b->orient = PDF_PORTRAIT;
		b->keep_next = 1;
	}
	nd30_signature(d, &dd, "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "- Như trên;\n"
	    "- Giám đốc Sở (để b/c);\n- Lưu: VT, VP.");

	return (d);
}
