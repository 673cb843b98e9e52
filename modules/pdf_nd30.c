/*
 * The administrative document of Nghị định 30/2020 as blocks (see
 * pdf_nd30.h), and the unit's report made of them: the outline's table
 * with the unit's figures and derived rates, its lists and texts in
 * their sections, the per-station appendix of a district health centre
 * (its own row first), then "Nơi nhận" and the signature on the last
 * page.  Everything about an item comes from the form.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <unicode/ucasemap.h>

#include "form.h"
#include "pdf_layout.h"
#include "pdf_nd30.h"

#define ND30_SIGN_GAP		PDF_MM(22)	/* room for signature, seal */
#define ND30_LINE_MAX		4096

static const double	nd30_main_w[] = { 12, 93, 25, 35 };

static void	nd30_blank(char *, size_t, const char *, const char *);
static void	rpt_unit(json_t *, struct form_unit *);
static int	rpt_section_shown(const struct form *, size_t,
		    const struct form_unit *);
static int	rpt_section_has(const struct form *, size_t,
		    const struct form_unit *);
static void	rpt_table(struct pdf_doc *, const struct form *, json_t *,
		    const struct form_unit *);
static void	rpt_list(struct pdf_doc *, struct pdf_block *,
		    const struct form_list *, json_t *);
static void	rpt_stations(struct pdf_doc *, const struct form *, json_t *,
		    const struct form_unit *, const char *);

void
nd30_upper(const char *s, char *buf, size_t len)
{
	UCaseMap	*cm;
	UErrorCode	e = U_ZERO_ERROR;
	int32_t		n;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (s == NULL)
		return;
	if ((cm = ucasemap_open("vi", 0, &e)) == NULL || U_FAILURE(e)) {
		(void)snprintf(buf, len, "%s", s);
		return;
	}
	n = ucasemap_utf8ToUpper(cm, buf, (int32_t)len, s, -1, &e);
	ucasemap_close(cm);
	if (U_FAILURE(e) || n < 0 || (size_t)n >= len)
		(void)snprintf(buf, len, "%s", s);
}

static int
nd30_ymd(const char *s, int *y, int *m, int *d)
{
	char	day[11];

	if (s == NULL || strlen(s) < 10)
		return (-1);
	memcpy(day, s, 10);
	day[10] = '\0';
	if (!form_date_valid(day) || sscanf(day, "%4d-%2d-%2d", y, m, d) != 3)
		return (-1);

	return (0);
}

void
nd30_dateline(const char *date, char *buf, size_t len)
{
	int	y, m, d;

	if (nd30_ymd(date, &y, &m, &d) == -1) {
		(void)snprintf(buf, len, "Thanh Hóa, ngày      tháng      năm "
		    "     ");
		return;
	}
	(void)snprintf(buf, len, "Thanh Hóa, ngày %02d tháng %s%d năm %d", d,
	    m < 3 ? "0" : "", m, y);
}

void
nd30_day(const char *s, char *buf, size_t len)
{
	int	y, m, d;

	if (nd30_ymd(s, &y, &m, &d) == -1)
		(void)snprintf(buf, len, "%s", s != NULL ? s : "");
	else
		(void)snprintf(buf, len, "%02d/%02d/%04d", d, m, y);
}

/* v, or the blank a hand fills in when v is empty. */
static void
nd30_blank(char *buf, size_t len, const char *v, const char *blank)
{
	(void)snprintf(buf, len, "%s", v != NULL && *v != '\0' ? v : blank);
}

void
nd30_header(struct pdf_doc *d, const char *upper, const char *lower,
    const struct nd30_details *det)
{
	static const double	w[] = { 45, 55 };
	struct pdf_block	*b;
	struct pdf_row		*r;
	struct pdf_cell		*c;
	struct pdf_para		*p;
	char			line[ND30_LINE_MAX], num[64], up[1024];

	b = pdf_table_new(d, w, 2, 0, 0);
	if (b != NULL)
		b->keep = 1;
	r = pdf_row_new(d, b);
	c = pdf_cell_new(d, r, 1);
	nd30_upper(upper, up, sizeof(up));
	(void)pdf_cell_para(d, c, up, ND30_TABLE, 0, PDF_CENTER);
	nd30_upper(lower, up, sizeof(up));
	if ((p = pdf_cell_para(d, c, up, ND30_TABLE, PDF_BOLD,
	    PDF_CENTER)) != NULL)
		p->rule = 0.4;
	c = pdf_cell_new(d, r, 1);
	(void)pdf_cell_para(d, c, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
	    ND30_TABLE, PDF_BOLD, PDF_CENTER);
	if ((p = pdf_cell_para(d, c, "Độc lập - Tự do - Hạnh phúc", ND30_BODY,
	    PDF_BOLD, PDF_CENTER)) != NULL)
		p->rule = 1;

	r = pdf_row_new(d, b);
	nd30_blank(num, sizeof(num), det->number, "      ");
	(void)snprintf(line, sizeof(line), "Số: %s/%s", num,
	    det->symbol != NULL ? det->symbol : "BC");
	if ((p = pdf_cell_para(d, pdf_cell_new(d, r, 1), line, ND30_BODY, 0,
	    PDF_CENTER)) != NULL)
		p->before = 4;
	nd30_dateline(det->date, line, sizeof(line));
	if ((p = pdf_cell_para(d, pdf_cell_new(d, r, 1), line, ND30_BODY,
	    PDF_ITALIC, PDF_CENTER)) != NULL)
		p->before = 4;
}

void
nd30_title(struct pdf_doc *d, const char *summary, const char *note)
{
	struct pdf_block	*b;
	struct pdf_cell		*c;
	struct pdf_para		*p;

	b = pdf_table_new(d, NULL, 1, 0, 0);
	if (b != NULL) {
		b->before = PDF_MM(8);
		b->keep = 1;
	}
	c = pdf_cell_new(d, pdf_row_new(d, b), 1);
	(void)pdf_cell_para(d, c, "BÁO CÁO", ND30_TITLE, PDF_BOLD, PDF_CENTER);
	if ((p = pdf_cell_para(d, c, summary, ND30_TITLE, PDF_BOLD,
	    PDF_CENTER)) != NULL)
		p->rule = 0.3;
	if (note != NULL && *note != '\0')
		(void)pdf_cell_para(d, c, note, ND30_BODY, PDF_ITALIC,
		    PDF_CENTER);
}

void
nd30_to(struct pdf_doc *d, const char *to)
{
	struct pdf_block	*b;
	struct pdf_row		*r;
	struct pdf_cell		*c;
	char			*copy, *p, *save, *parts[16], line[1024];
	size_t			n, i, len;

	if (to == NULL || *to == '\0' || (copy = strdup(to)) == NULL)
		return;
	for (n = 0, p = strtok_r(copy, ";\n", &save); p != NULL && n < 16;
	    p = strtok_r(NULL, ";\n", &save)) {
		while (*p == ' ' || *p == '-')
			p++;
		len = strlen(p);
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '.'))
			p[--len] = '\0';
		if (len > 0)
			parts[n++] = p;
	}
	b = pdf_table_new(d, (const double []){ 30, 70 }, 2, 0, 0);
	if (b != NULL)
		b->before = PDF_MM(5);
	if (n == 1) {
		(void)snprintf(line, sizeof(line), "Kính gửi: %s.", parts[0]);
		c = pdf_cell_new(d, pdf_row_new(d, b), 2);
		(void)pdf_cell_para(d, c, line, ND30_TITLE, 0, PDF_CENTER);
	} else if (n > 1) {
		r = pdf_row_new(d, b);
		c = pdf_cell_new(d, r, 1);
		(void)pdf_cell_para(d, c, "Kính gửi:", ND30_TITLE, 0,
		    PDF_RIGHT);
		c = pdf_cell_new(d, r, 1);
		for (i = 0; i < n; i++) {
			(void)snprintf(line, sizeof(line), " - %s%s", parts[i],
			    i + 1 < n ? ";" : ".");
			(void)pdf_cell_para(d, c, line, ND30_TITLE, 0,
			    PDF_LEFT);
		}
	}
	free(copy);
}

void
nd30_signature(struct pdf_doc *d, const struct nd30_details *det,
    const char *default_capacity, const char *default_cc)
{
	static const double	w[] = { 48, 52 };
	struct pdf_block	*b;
	struct pdf_row		*r;
	struct pdf_cell		*c;
	struct pdf_para		*p;
	const char		*cap, *cc;
	char			*copy, *line, *save;
	char			up[1024];

	b = pdf_table_new(d, w, 2, 0, 0);
	if (b != NULL) {
		b->before = PDF_MM(6);
		b->keep = 1;
	}
	r = pdf_row_new(d, b);
	if (r != NULL)
		r->keep = 1;
	c = pdf_cell_new(d, r, 1);
	(void)pdf_cell_para(d, c, "Nơi nhận:", 12, PDF_BOLD | PDF_ITALIC,
	    PDF_LEFT);
	cc = det->cc != NULL && *det->cc != '\0' ? det->cc : default_cc;
	if (cc != NULL && (copy = strdup(cc)) != NULL) {
		for (line = strtok_r(copy, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save))
			(void)pdf_cell_para(d, c, line, ND30_SMALL, 0,
			    PDF_LEFT);
		free(copy);
	}

	c = pdf_cell_new(d, r, 1);
	cap = det->capacity != NULL && *det->capacity != '\0' ?
	    det->capacity : default_capacity;
	nd30_upper(cap, up, sizeof(up));
	(void)pdf_cell_para(d, c, up, ND30_BODY, PDF_BOLD, PDF_CENTER);
	(void)pdf_cell_para(d, c, "(Ký tên, đóng dấu)", ND30_BODY, PDF_ITALIC,
	    PDF_CENTER);
	if ((p = pdf_cell_para(d, c, det->signer != NULL ? det->signer : "",
	    ND30_BODY, PDF_BOLD, PDF_CENTER)) != NULL)
		p->before = ND30_SIGN_GAP;
}

void
nd30_annex(struct pdf_doc *d, int n, const char *title,
    const char *attached, int orient)
{
	struct pdf_block	*b;
	struct pdf_cell		*c;
	char			line[64], up[2048];

	b = pdf_table_new(d, NULL, 1, 0, 0);
	if (b != NULL) {
		b->new_page = 1;
		b->orient = orient;
		b->keep_next = 1;
	}
	c = pdf_cell_new(d, pdf_row_new(d, b), 1);
	(void)snprintf(line, sizeof(line), "PHỤ LỤC %s", pdf_roman(n));
	(void)pdf_cell_para(d, c, line, ND30_BODY, PDF_BOLD, PDF_CENTER);
	nd30_upper(title, up, sizeof(up));
	(void)pdf_cell_para(d, c, up, ND30_BODY, PDF_BOLD, PDF_CENTER);
	if (attached != NULL)
		(void)pdf_cell_para(d, c, attached, ND30_BODY, PDF_ITALIC,
		    PDF_CENTER);
}

void
nd30_value(const struct form_item *it, json_t *values, char *buf,
    size_t len)
{
	json_t		*v;

	buf[0] = '\0';
	v = json_object_get(values, it->code);
	if (json_is_integer(v))
		pdf_fmt_int((long long)json_integer_value(v), buf, len);
	else if (json_is_real(v) && it->kind == FORM_RATE)
		pdf_fmt_rate(json_real_value(v), buf, len);
	else if (json_is_real(v))
		pdf_fmt_int((long long)json_real_value(v), buf, len);
	else if (json_is_string(v))
		(void)snprintf(buf, len, "%s", json_string_value(v));
}

/* The unit of a report answer as the form sees it (free ->stations). */
static void
rpt_unit(json_t *u, struct form_unit *fu)
{
	json_t		*st;
	size_t		i, n;

	memset(fu, 0, sizeof(*fu));
	fu->code = json_string_value(json_object_get(u, "code"));
	fu->kind = json_string_value(json_object_get(u, "kind"));
	fu->gksklx = json_is_true(json_object_get(u, "gksklx"));
	fu->hospital = json_is_true(json_object_get(u, "hospital"));
	fu->cdc = json_is_true(json_object_get(u, "cdc"));
	if (fu->code == NULL)
		fu->code = "";
	if (fu->kind == NULL)
		fu->kind = "";
	st = json_object_get(u, "stations");
	n = json_array_size(st);
	if ((fu->stations = calloc(n + 1, sizeof(char *))) == NULL)
		return;
	for (i = 0; i < n; i++) {
		fu->stations[i] = json_string_value(json_object_get(
		    json_array_get(st, i), "code"));
		if (fu->stations[i] == NULL)
			fu->stations[i] = "";
	}
	fu->nstations = n;
}

/* Items or lists of section s that apply to the unit. */
static int
rpt_section_has(const struct form *f, size_t s, const struct form_unit *fu)
{
	size_t		i;

	for (i = 0; i < f->nitems; i++)
		if (f->items[i].section == (int)s &&
		    form_item_applies(f, (int)i, fu))
			return (1);
	for (i = 0; i < f->nlists; i++)
		if (f->lists[i].section == (int)s &&
		    form_list_applies(f, (int)i, fu))
			return (1);

	return (0);
}

/* A heading (no items, no lists) shows when a part under it shows. */
static int
rpt_section_shown(const struct form *f, size_t s, const struct form_unit *fu)
{
	size_t		i, j;

	for (i = 0; i < f->nitems; i++)
		if (f->items[i].section == (int)s)
			return (rpt_section_has(f, s, fu));
	for (i = 0; i < f->nlists; i++)
		if (f->lists[i].section == (int)s)
			return (rpt_section_has(f, s, fu));
	for (j = s + 1; j < f->nsections; j++) {
		for (i = 0; i < f->nitems; i++)
			if (f->items[i].section == (int)j)
				break;
		if (i == f->nitems) {
			for (i = 0; i < f->nlists; i++)
				if (f->lists[i].section == (int)j)
					break;
			if (i == f->nlists)
				return (0);	/* the next heading */
		}
		if (rpt_section_has(f, j, fu))
			return (1);
	}

	return (0);
}

static const char *
nd30_mark(int depth)
{
	static const char	*marks[] = { "- ", "+ ", "* ", "· " };

	return (marks[depth < 0 ? 0 : depth > 3 ? 3 : depth]);
}

struct pdf_block *
nd30_main_table(struct pdf_doc *d, const char *value_head)
{
	static const int	al[] = { PDF_CENTER, PDF_CENTER, PDF_CENTER,
				    PDF_CENTER };
	const char		*heads[4];
	struct pdf_block	*b;

	heads[0] = "STT";
	heads[1] = "Nhiệm vụ, nội dung báo cáo";
	heads[2] = "Đơn vị tính";
	heads[3] = value_head;
	b = pdf_table_new(d, nd30_main_w, 4, 1, 1);
	if (b != NULL)
		b->before = PDF_MM(4);
	(void)pdf_row_texts(d, b, heads, 4, ND30_TABLE, PDF_BOLD, al);

	return (b);
}

/* A section's row: its number, its title over the other columns. */
void
nd30_section_row(struct pdf_doc *d, struct pdf_block *b,
    const struct form_section *s, int span)
{
	struct pdf_row	*r;

	r = pdf_row_new(d, b);
	(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), s->id, ND30_TABLE,
	    PDF_BOLD, PDF_CENTER);
	(void)pdf_cell_para(d, pdf_cell_new(d, r, span), s->title,
	    ND30_TABLE, PDF_BOLD, PDF_LEFT);
}

/* An item's row: its label, unit and value from values. */
void
nd30_item_row(struct pdf_doc *d, struct pdf_block *b,
    const struct form_item *it, json_t *values)
{
	struct pdf_row	*r;
	struct pdf_cell	*c;
	struct pdf_para	*p;
	char		label[ND30_LINE_MAX], v[64];
	const char	*text;

	r = pdf_row_new(d, b);
	(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), "", ND30_TABLE, 0,
	    PDF_CENTER);
	(void)snprintf(label, sizeof(label), "%s%s", nd30_mark(it->depth),
	    it->label);
	if (it->kind == FORM_TEXT) {
		c = pdf_cell_new(d, r, 3);
		if ((p = pdf_cell_para(d, c, label, ND30_TABLE, PDF_ITALIC,
		    PDF_LEFT)) != NULL)
			p->indent = 6 * it->depth;
		text = json_string_value(json_object_get(values, it->code));
		if ((p = pdf_cell_para(d, c, text != NULL && *text != '\0' ?
		    text : "Không có.", ND30_TABLE, 0, PDF_LEFT)) != NULL)
			p->indent = 6 * it->depth + 6;
		return;
	}
	if ((p = pdf_cell_para(d, pdf_cell_new(d, r, 1), label, ND30_TABLE,
	    0, PDF_LEFT)) != NULL)
		p->indent = 6 * it->depth;
	(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), it->unit, ND30_TABLE, 0,
	    PDF_CENTER);
	nd30_value(it, values, v, sizeof(v));
	(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), v, ND30_TABLE,
	    form_is_derived(it) ? PDF_ITALIC : 0, PDF_RIGHT);
}

/*
 * A list row as a line of the table: the first count goes in the value
 * column, the other cells, by their kind, into the text.
 */
void
nd30_list_text(const struct form_list *l, json_t *row, char *text,
    size_t tlen, char *fig, size_t flen)
{
	const struct form_column	*c;
	const char			*s;
	char				part[1024], day[32];
	size_t				i, k, n;
	json_t				*v;

	text[0] = fig[0] = '\0';
	for (i = 0, n = 0; i < l->ncols; i++) {
		c = &l->cols[i];
		v = json_object_get(row, c->code);
		part[0] = '\0';
		if (c->kind == FORM_COL_COUNT && json_is_integer(v)) {
			if (fig[0] == '\0') {
				pdf_fmt_int((long long)json_integer_value(v),
				    fig, flen);
				continue;
			}
			pdf_fmt_int((long long)json_integer_value(v), day,
			    sizeof(day));
			(void)snprintf(part, sizeof(part), "%s: %s", c->label,
			    day);
		} else if ((s = json_string_value(v)) != NULL && *s != '\0') {
			switch (c->kind) {
			case FORM_COL_DOCNO:
				(void)snprintf(part, sizeof(part), "Số %s", s);
				break;
			case FORM_COL_DATE:
				nd30_day(s, day, sizeof(day));
				(void)snprintf(part, sizeof(part), "ngày %s",
				    day);
				break;
			case FORM_COL_CHOICE:
				for (k = 0; k < c->nchoices; k++)
					if (!strcmp(s, c->choices[k]))
						s = c->choice_labels[k];
				/* FALLTHROUGH */
			default:
				(void)snprintf(part, sizeof(part), "%s", s);
				break;
			}
		}
		if (part[0] == '\0')
			continue;
		(void)snprintf(text + strlen(text), tlen - strlen(text),
		    "%s%s", n++ == 0 ? "" : c->kind == FORM_COL_TEXT ? ": " :
		    ", ", part);
	}
}

static void
rpt_list(struct pdf_doc *d, struct pdf_block *b, const struct form_list *l,
    json_t *rows)
{
	struct pdf_row	*r;
	struct pdf_cell	*c;
	json_t		*row;
	char		text[ND30_LINE_MAX], fig[64], stt[24];
	size_t		i, n;

	n = 0;
	json_array_foreach(rows, i, row) {
		if (!json_is_object(row))
			continue;
		nd30_list_text(l, row, text, sizeof(text), fig, sizeof(fig));
		r = pdf_row_new(d, b);
		(void)snprintf(stt, sizeof(stt), "%zu", ++n);
		(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), stt, ND30_TABLE,
		    0, PDF_CENTER);
		(void)pdf_cell_para(d, pdf_cell_new(d, r, fig[0] ? 1 : 3),
		    text, ND30_TABLE, 0, PDF_LEFT);
		if (fig[0] != '\0') {
			(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), "",
			    ND30_TABLE, 0, PDF_CENTER);
			(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), fig,
			    ND30_TABLE, 0, PDF_RIGHT);
		}
	}
	if (n == 0) {
		r = pdf_row_new(d, b);
		(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), "", ND30_TABLE,
		    0, PDF_CENTER);
		c = pdf_cell_new(d, r, 3);
		(void)pdf_cell_para(d, c, l->label, ND30_TABLE, PDF_ITALIC,
		    PDF_LEFT);
		(void)pdf_cell_para(d, c, "Không có.", ND30_TABLE, 0,
		    PDF_LEFT);
	}
}

/* The outline's table, the unit's figures in its last column. */
static void
rpt_table(struct pdf_doc *d, const struct form *f, json_t *rep,
    const struct form_unit *fu)
{
	struct pdf_block	*b;
	json_t			*values, *lists;
	size_t			s, i;

	values = json_object_get(rep, "values");
	lists = json_object_get(rep, "lists");
	b = nd30_main_table(d, "Kết quả");
	for (s = 0; s < f->nsections && b != NULL; s++) {
		if (!rpt_section_shown(f, s, fu))
			continue;
		nd30_section_row(d, b, &f->sections[s], 3);
		for (i = 0; i < f->nitems; i++)
			if (f->items[i].section == (int)s &&
			    form_item_applies(f, (int)i, fu))
				nd30_item_row(d, b, &f->items[i], values);
		for (i = 0; i < f->nlists; i++)
			if (f->lists[i].section == (int)s &&
			    form_list_applies(f, (int)i, fu))
				rpt_list(d, b, &f->lists[i],
				    json_object_get(lists, f->lists[i].code));
	}
}

size_t
nd30_station_items(const struct form *f, int *idx, size_t max)
{
	size_t		i, n;

	for (i = 0, n = 0; i < f->nitems && n < max; i++)
		if (f->items[i].stations && f->items[i].kind != FORM_TEXT)
			idx[n++] = (int)i;

	return (n);
}

void
nd30_station_row(struct pdf_doc *d, struct pdf_block *b,
    const struct form *f, const int *idx, size_t n, const char *stt,
    const char *name, json_t *values, int flags)
{
	struct pdf_row	*r;
	char		v[64];
	size_t		k;

	r = pdf_row_new(d, b);
	(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), stt, ND30_SMALL, flags,
	    PDF_CENTER);
	(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), name, ND30_SMALL, flags,
	    PDF_LEFT);
	for (k = 0; k < n; k++) {
		nd30_value(&f->items[idx[k]], values, v, sizeof(v));
		(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), v, ND30_SMALL,
		    flags, PDF_RIGHT);
	}
}

struct pdf_block *
nd30_station_table(struct pdf_doc *d, const struct form *f, const int *idx,
    size_t n, const char *what)
{
	struct pdf_block	*b;
	struct pdf_row		*r;
	double			w[64];
	char			head[1024];
	size_t			k;

	w[0] = 12;
	w[1] = 46;
	for (k = 0; k < n; k++)
		w[k + 2] = 107.0 / (double)n;
	b = pdf_table_new(d, w, n + 2, 1, 1);
	if (b != NULL)
		b->before = PDF_MM(3);
	r = pdf_row_new(d, b);
	(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), "STT", ND30_SMALL,
	    PDF_BOLD, PDF_CENTER);
	(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), what, ND30_SMALL,
	    PDF_BOLD, PDF_CENTER);
	for (k = 0; k < n; k++) {
		(void)snprintf(head, sizeof(head), "%s (%s)",
		    f->items[idx[k]].label, f->items[idx[k]].unit);
		(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), head, 10,
		    PDF_BOLD, PDF_CENTER);
	}

	return (b);
}

/*
 * The appendix of a district health centre: its own row first (keyed by
 * its own code in "stations"), then each station, then the totals.
 */
static void
rpt_stations(struct pdf_doc *d, const struct form *f, json_t *rep,
    const struct form_unit *fu, const char *attached)
{
	struct pdf_block	*b;
	json_t			*st, *list, *s;
	int			idx[64];
	char			name[1024], stt[24];
	const char		*uname;
	size_t			n, i, k;

	st = json_object_get(rep, "stations");
	list = json_object_get(json_object_get(rep, "unit_info"), "stations");
	if (fu->nstations == 0 || (n = nd30_station_items(f, idx, 60)) == 0)
		return;
	nd30_annex(d, 1, "Số liệu từng Trạm Y tế", attached, n > 8 ?
	    PDF_LANDSCAPE : PDF_PORTRAIT);
	b = nd30_station_table(d, f, idx, n, "Đơn vị");
	uname = json_string_value(json_object_get(json_object_get(rep,
	    "unit_info"), "name"));
	(void)snprintf(name, sizeof(name), "%s (số liệu tại Trung tâm)",
	    uname != NULL ? uname : fu->code);
	k = 0;
	if (json_is_object(json_object_get(st, fu->code))) {
		(void)snprintf(stt, sizeof(stt), "%zu", ++k);
		nd30_station_row(d, b, f, idx, n, stt, name,
		    json_object_get(st, fu->code), 0);
	}
	json_array_foreach(list, i, s) {
		const char	*code, *sname;

		code = json_string_value(json_object_get(s, "code"));
		sname = json_string_value(json_object_get(s, "name"));
		if (code == NULL)
			continue;
		(void)snprintf(stt, sizeof(stt), "%zu", ++k);
		nd30_station_row(d, b, f, idx, n, stt, sname != NULL ? sname :
		    code, json_object_get(st, code), 0);
	}
	nd30_station_row(d, b, f, idx, n, "", "Tổng cộng",
	    json_object_get(rep, "values"), PDF_BOLD);
}

struct pdf_doc *
nd30_report(const struct form *f, json_t *rep, const struct nd30_details *det)
{
	struct nd30_details	dd = *det;
	struct form_unit	fu;
	struct pdf_doc		*d;
	struct pdf_block	*b;
	json_t			*unit, *period, *values, *stations;
	const char		*uname, *pname, *status, *start, *end;
	char			summary[1024], note[256], a[32], z[32];
	char			symbol[64], attached[1024], intro[2048];
	int			draft;

	unit = json_object_get(rep, "unit_info");
	period = json_object_get(rep, "period_info");
	uname = json_string_value(json_object_get(unit, "name"));
	pname = json_string_value(json_object_get(period, "name"));
	status = json_string_value(json_object_get(rep, "status"));
	if (uname == NULL)
		uname = "";
	if (pname == NULL)
		pname = json_string_value(json_object_get(rep, "period"));
	draft = status == NULL || (strcmp(status, "submitted") &&
	    strcmp(status, "accepted"));

	/* Derived values (rates, totals) of the figures as filed. */
	values = json_object_get(rep, "values");
	stations = json_object_get(rep, "stations");
	if (json_is_object(values))
		form_derive(f, values, json_is_object(stations) ? stations :
		    NULL);

	(void)snprintf(summary, sizeof(summary), "Kết quả triển khai các "
	    "nhiệm vụ chuyển đổi số và thực hiện Đề án 06 %s%s",
	    pname != NULL && strncmp(pname, "Tháng", 6) == 0 ? "t" :
	    pname != NULL && strncmp(pname, "Năm", 4) == 0 ? "n" : "",
	    pname == NULL ? "" : !strncmp(pname, "Tháng", 6) ||
	    !strncmp(pname, "Năm", 4) ? pname + 1 : pname);
	start = json_string_value(json_object_get(period, "start"));
	end = json_string_value(json_object_get(period, "end"));
	nd30_day(start, a, sizeof(a));
	nd30_day(end, z, sizeof(z));
	(void)snprintf(note, sizeof(note), "(Số liệu từ ngày %s đến ngày %s)",
	    a, z);
	if (dd.symbol == NULL || *dd.symbol == '\0') {
		(void)snprintf(symbol, sizeof(symbol), "BC-%s",
		    json_string_value(json_object_get(unit, "code")) ?
		    json_string_value(json_object_get(unit, "code")) : "");
		dd.symbol = symbol;
	}

	if ((d = pdf_doc_new(summary)) == NULL)
		return (NULL);
	if (draft) {
		pdf_doc_watermark(d, "BẢN NHÁP");
		(void)pdf_para_new(d, "BẢN NHÁP: báo cáo chưa nộp, không dùng "
		    "để ký.", ND30_SMALL, PDF_ITALIC, PDF_RIGHT);
	}
	nd30_header(d, "Sở Y tế Thanh Hóa", uname, &dd);
	nd30_title(d, summary, note);
	nd30_to(d, "Sở Y tế Thanh Hóa (qua Văn phòng Sở)");
	(void)snprintf(intro, sizeof(intro), "Thực hiện chế độ báo cáo định "
	    "kỳ của Sở Y tế Thanh Hóa về việc triển khai các nhiệm vụ chuyển "
	    "đổi số và thực hiện Đề án 06, %s báo cáo kết quả như sau:",
	    uname);
	if ((b = pdf_para_new(d, intro, ND30_BODY, 0, PDF_LEFT)) != NULL)
		b->before = PDF_MM(4);

	rpt_unit(unit, &fu);
	rpt_table(d, f, rep, &fu);
	(void)snprintf(attached, sizeof(attached), "(Kèm theo Báo cáo số "
	    "%s/%s của %s)", dd.number != NULL && *dd.number ? dd.number :
	    "     ", dd.symbol, uname);
	rpt_stations(d, f, rep, &fu, attached);
	free(fu.stations);

	(void)snprintf(intro, sizeof(intro), "Trên đây là báo cáo kết quả "
	    "triển khai các nhiệm vụ chuyển đổi số và thực hiện Đề án 06 "
	    "của %s./.", uname);
	if ((b = pdf_para_new(d, intro, ND30_BODY, 0, PDF_LEFT)) != NULL) {
		b->before = PDF_MM(4);
		b->orient = PDF_PORTRAIT;
		b->keep_next = 1;
	}
	nd30_signature(d, &dd, "Thủ trưởng đơn vị", "- Như trên;\n- Lưu: VT.");

	return (d);
}
