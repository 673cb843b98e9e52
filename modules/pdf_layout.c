/*
 * The layout of documents to sign: blocks poured into pages (see
 * pdf_layout.h).  Every text is broken into lines once, by the measuring
 * function; each line becomes one box, so what the renderer draws is
 * exactly what was measured, and a cell taller than a page can be cut
 * between two of its lines.
 */
#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_layout.h"

#define PDF_PAD_X		PDF_MM(1.5)	/* inside a bordered cell */
#define PDF_PAD_Y		PDF_MM(1.0)
#define PDF_RULE_H		4.0		/* the space a rule takes */
#define PDF_LINE_W		0.6		/* borders, points */

/* One thing inside a cell, flattened: a line of text, a rule, a gap. */
#define LAY_TEXT		1
#define LAY_RULE		2
#define LAY_GAP			3

struct lay_item {
	int			kind;
	double			h;
	double			dx;	/* from the cell's inner left */
	double			w;
	const struct pdf_style	*st;
	const char		*src;
	size_t			off, len;
};

struct lay_cell {
	struct lay_item		*items;
	size_t			n, cap;
	double			x, w;	/* outer */
	double			h;	/* content, without padding */
};

struct lay_row {
	struct lay_cell		*cells;
	size_t			n;
	double			h;	/* with padding */
};

struct lay {
	const struct pdf_doc	*doc;
	pdf_measure_fn		measure;
	void			*arg;
	struct pdf_pages	*out;
	struct pdf_page		*page;
	int			orient;
	double			y;	/* next free place on the page */
	int			failed;
};

static void	*pdf_grow(void *, size_t *, size_t, size_t);
static char	*pdf_strdup(const char *);
static int	lay_page(struct lay *, int);
static double	lay_top(const struct lay *);
static double	lay_bottom(const struct lay *);
static double	lay_width(const struct lay *, int);
static int	lay_block(struct lay *, const struct pdf_block *,
		    const struct pdf_block *);
static int	lay_prepare(struct lay *, const struct pdf_block *, int,
		    struct lay_row **);
static void	lay_rows_free(struct lay_row *, size_t);
static int	lay_row_prep(struct lay *, const struct pdf_table *,
		    const struct pdf_row *, const double *, double, int,
		    struct lay_row *);
static int	lay_cell_prep(struct lay *, const struct pdf_cell *,
		    double, double, struct lay_cell *);
static int	lay_place(struct lay *, const struct lay_row *,
		    const size_t *, size_t *, double, int, int);
static double	lay_head_h(const struct lay_row *, size_t);
static int	lay_heads(struct lay *, const struct lay_row *, size_t, int);
static int	lay_box(struct lay *, int, double, double, double, double,
		    const struct pdf_style *, const char *, size_t);
static int	lay_numbers(struct lay *);

static const struct pdf_style	lay_number_style = { 13, 0, PDF_CENTER };

/* Room for one more element of size sz at *cap; the array or NULL. */
static void *
pdf_grow(void *p, size_t *cap, size_t n, size_t sz)
{
	size_t		ncap;
	void		*q;

	if (n < *cap)
		return (p);
	ncap = *cap ? *cap * 2 : 8;
	if (ncap < *cap || ncap > SIZE_MAX / sz)
		return (NULL);
	if ((q = realloc(p, ncap * sz)) == NULL)
		return (NULL);
	*cap = ncap;

	return (q);
}

static char *
pdf_strdup(const char *s)
{
	return (strdup(s != NULL ? s : ""));
}

struct pdf_doc *
pdf_doc_new(const char *title)
{
	struct pdf_doc	*d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return (NULL);
	if ((d->title = pdf_strdup(title)) == NULL) {
		free(d);
		return (NULL);
	}
	/* Nghị định 30/2020: top, bottom 20-25 mm, left 30-35, right 15-20. */
	d->mt = PDF_MM(20);
	d->mb = PDF_MM(20);
	d->ml = PDF_MM(30);
	d->mr = PDF_MM(15);
	d->number_from = 2;
	d->number_size = 13;

	return (d);
}

void
pdf_doc_watermark(struct pdf_doc *d, const char *text)
{
	if (d == NULL)
		return;
	free(d->watermark);
	if ((d->watermark = text ? strdup(text) : NULL) == NULL && text)
		d->failed = 1;
}

static void
pdf_table_free(struct pdf_table *t)
{
	size_t		r, c, p;

	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->rows[r].ncells; c++) {
			for (p = 0; p < t->rows[r].cells[c].npara; p++)
				free(t->rows[r].cells[c].paras[p].text);
			free(t->rows[r].cells[c].paras);
		}
		free(t->rows[r].cells);
	}
	free(t->rows);
	free(t->widths);
}

void
pdf_doc_free(struct pdf_doc *d)
{
	size_t		i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nblocks; i++)
		pdf_table_free(&d->blocks[i].t);
	free(d->blocks);
	free(d->title);
	free(d->watermark);
	free(d);
}

struct pdf_block *
pdf_table_new(struct pdf_doc *d, const double *widths, size_t ncols,
    int borders, size_t nhead)
{
	struct pdf_block	*b, *nb;
	size_t			i;

	if (d == NULL || ncols == 0)
		return (NULL);
	if ((nb = pdf_grow(d->blocks, &d->cap, d->nblocks,
	    sizeof(*nb))) == NULL) {
		d->failed = 1;
		return (NULL);
	}
	d->blocks = nb;
	b = &d->blocks[d->nblocks];
	memset(b, 0, sizeof(*b));
	if ((b->t.widths = calloc(ncols, sizeof(double))) == NULL) {
		d->failed = 1;
		return (NULL);
	}
	for (i = 0; i < ncols; i++)
		b->t.widths[i] = widths != NULL && widths[i] > 0 ? widths[i] : 1;
	b->t.ncols = ncols;
	b->t.borders = borders;
	b->t.nhead = nhead;
	if (d->nblocks > 0)
		b->orient = d->blocks[d->nblocks - 1].orient;
	d->nblocks++;

	return (b);
}

struct pdf_row *
pdf_row_new(struct pdf_doc *d, struct pdf_block *b)
{
	struct pdf_row	*rows, *r;

	if (d == NULL || b == NULL)
		return (NULL);
	if ((rows = pdf_grow(b->t.rows, &b->t.cap, b->t.nrows,
	    sizeof(*rows))) == NULL) {
		d->failed = 1;
		return (NULL);
	}
	b->t.rows = rows;
	r = &rows[b->t.nrows++];
	memset(r, 0, sizeof(*r));

	return (r);
}

struct pdf_cell *
pdf_cell_new(struct pdf_doc *d, struct pdf_row *r, int span)
{
	struct pdf_cell	*cells, *c;

	if (d == NULL || r == NULL)
		return (NULL);
	if ((cells = pdf_grow(r->cells, &r->cap, r->ncells,
	    sizeof(*cells))) == NULL) {
		d->failed = 1;
		return (NULL);
	}
	r->cells = cells;
	c = &cells[r->ncells++];
	memset(c, 0, sizeof(*c));
	c->span = span < 1 ? 1 : span;

	return (c);
}

struct pdf_para *
pdf_cell_para(struct pdf_doc *d, struct pdf_cell *c, const char *text,
    double size, int flags, int align)
{
	struct pdf_para	*ps, *p;

	if (d == NULL || c == NULL)
		return (NULL);
	if ((ps = pdf_grow(c->paras, &c->cap, c->npara, sizeof(*ps))) == NULL) {
		d->failed = 1;
		return (NULL);
	}
	c->paras = ps;
	p = &ps[c->npara];
	memset(p, 0, sizeof(*p));
	if ((p->text = pdf_strdup(text)) == NULL) {
		d->failed = 1;
		return (NULL);
	}
	c->npara++;
	p->st.size = size;
	p->st.flags = flags;
	p->st.align = align;

	return (p);
}

struct pdf_block *
pdf_para_new(struct pdf_doc *d, const char *text, double size, int flags,
    int align)
{
	struct pdf_block	*b;

	b = pdf_table_new(d, NULL, 1, 0, 0);
	if (pdf_cell_para(d, pdf_cell_new(d, pdf_row_new(d, b), 1), text,
	    size, flags, align) == NULL)
		return (NULL);

	return (b);
}

struct pdf_row *
pdf_row_texts(struct pdf_doc *d, struct pdf_block *b,
    const char *const *texts, size_t n, double size, int flags,
    const int *aligns)
{
	struct pdf_row	*r;
	size_t		i;

	r = pdf_row_new(d, b);
	for (i = 0; i < n; i++)
		(void)pdf_cell_para(d, pdf_cell_new(d, r, 1), texts[i], size,
		    flags, aligns != NULL ? aligns[i] : PDF_LEFT);

	return (r);
}

void
pdf_pages_free(struct pdf_pages *ps)
{
	size_t		i, j;

	if (ps == NULL)
		return;
	for (i = 0; i < ps->n; i++) {
		for (j = 0; j < ps->pages[i].nboxes; j++)
			free(ps->pages[i].boxes[j].text);
		free(ps->pages[i].boxes);
	}
	free(ps->pages);
	free(ps);
}

struct pdf_pages *
pdf_layout(const struct pdf_doc *d, pdf_measure_fn measure, void *arg)
{
	struct lay	L;
	size_t		i;

	if (d == NULL || d->failed || measure == NULL)
		return (NULL);
	memset(&L, 0, sizeof(L));
	L.doc = d;
	L.measure = measure;
	L.arg = arg;
	if ((L.out = calloc(1, sizeof(*L.out))) == NULL)
		return (NULL);
	L.orient = d->nblocks > 0 ? d->blocks[0].orient : PDF_PORTRAIT;
	if (lay_page(&L, L.orient) == -1)
		L.failed = 1;
	for (i = 0; i < d->nblocks && !L.failed; i++) {
		if (lay_block(&L, &d->blocks[i], i + 1 < d->nblocks ?
		    &d->blocks[i + 1] : NULL) == -1)
			L.failed = 1;
	}
	if (!L.failed && lay_numbers(&L) == -1)
		L.failed = 1;
	if (L.failed) {
		pdf_pages_free(L.out);
		return (NULL);
	}

	return (L.out);
}

/* A new page in that orientation, the watermark first (underneath). */
static int
lay_page(struct lay *L, int orient)
{
	struct pdf_page	*pages, *p;

	if ((pages = pdf_grow(L->out->pages, &L->out->cap, L->out->n,
	    sizeof(*pages))) == NULL)
		return (-1);
	L->out->pages = pages;
	p = &pages[L->out->n++];
	memset(p, 0, sizeof(*p));
	p->w = orient == PDF_LANDSCAPE ? PDF_A4_H : PDF_A4_W;
	p->h = orient == PDF_LANDSCAPE ? PDF_A4_W : PDF_A4_H;
	L->page = p;
	L->orient = orient;
	L->y = lay_top(L);
	if (L->doc->watermark != NULL)
		return (lay_box(L, PDF_BOX_WATERMARK, 0, 0, p->w, p->h, NULL,
		    L->doc->watermark, strlen(L->doc->watermark)));

	return (0);
}

static double
lay_top(const struct lay *L)
{
	return (L->doc->mt);
}

static double
lay_bottom(const struct lay *L)
{
	return (L->page->h - L->doc->mb);
}

static double
lay_width(const struct lay *L, int orient)
{
	return ((orient == PDF_LANDSCAPE ? PDF_A4_H : PDF_A4_W) -
	    L->doc->ml - L->doc->mr);
}

static int
lay_box(struct lay *L, int kind, double x, double y, double w, double h,
    const struct pdf_style *st, const char *text, size_t len)
{
	struct pdf_page	*p = L->page;
	struct pdf_box	*boxes, *b;

	if ((boxes = pdf_grow(p->boxes, &p->cap, p->nboxes,
	    sizeof(*boxes))) == NULL)
		return (-1);
	p->boxes = boxes;
	b = &boxes[p->nboxes];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->x = x;
	b->y = y;
	b->w = w;
	b->h = h;
	if (st != NULL)
		b->st = *st;
	if (text != NULL && (b->text = strndup(text, len)) == NULL)
		return (-1);
	p->nboxes++;

	return (0);
}

/*
 * One block: on a new page when it asks for one or turns the page, the
 * header rows first, then each row where it fits, the header again on
 * every page the table goes on to.
 */
static int
lay_block(struct lay *L, const struct pdf_block *b,
    const struct pdf_block *next)
{
	struct lay_row	*rows, *nrows;
	size_t		i, nhead, n, at, *starts;
	double		need, h;
	int		rc, empty;

	empty = L->y <= lay_top(L);
	if (b->orient != L->orient || (b->new_page && !empty)) {
		if (lay_page(L, b->orient) == -1)
			return (-1);
		empty = 1;
	}
	if (b->t.nrows == 0)
		return (0);
	if (lay_prepare(L, b, b->orient, &rows) == -1)
		return (-1);
	n = b->t.nrows;
	nhead = b->t.nhead < n ? b->t.nhead : 0;

	/* Kept whole, or with the start of what follows: begin a page. */
	need = empty ? 0 : b->before;
	if (b->keep || b->keep_next) {
		for (i = 0; i < n; i++)
			need += rows[i].h;
	} else {
		need += lay_head_h(rows, nhead) + rows[nhead < n ? nhead : 0].h;
	}
	if (b->keep_next && next != NULL && next->t.nrows > 0 &&
	    next->orient == b->orient && !next->new_page) {
		if (lay_prepare(L, next, next->orient, &nrows) == -1) {
			lay_rows_free(rows, n);
			return (-1);
		}
		need += next->before + lay_head_h(nrows, next->t.nhead <
		    next->t.nrows ? next->t.nhead : 0) +
		    nrows[next->t.nhead < next->t.nrows ? next->t.nhead : 0].h;
		lay_rows_free(nrows, next->t.nrows);
	}
	h = lay_bottom(L) - lay_top(L);
	if (!empty && L->y + need > lay_bottom(L) && need <= h) {
		if (lay_page(L, b->orient) == -1) {
			lay_rows_free(rows, n);
			return (-1);
		}
		empty = 1;
	}
	if (!empty)
		L->y += b->before;

	rc = nhead > 0 ? lay_heads(L, rows, nhead, b->t.borders) : 0;
	starts = NULL;
	for (i = nhead; i < n && rc == 0; i++) {
		free(starts);
		if ((starts = calloc(rows[i].n + 1, sizeof(size_t))) == NULL) {
			rc = -1;
			break;
		}
		for (;;) {
			if (lay_place(L, &rows[i], starts, &at, lay_head_h(rows,
			    nhead), b->t.borders, b->t.rows[i].keep) == -1) {
				rc = -1;
				break;
			}
			if (at == 1)
				break;
			/* Not (all) on this page: the next, header first. */
			if (lay_page(L, b->orient) == -1 ||
			    lay_heads(L, rows, nhead, b->t.borders) == -1) {
				rc = -1;
				break;
			}
		}
	}
	free(starts);
	lay_rows_free(rows, n);

	return (rc);
}

static double
lay_head_h(const struct lay_row *rows, size_t nhead)
{
	double		h;
	size_t		i;

	for (i = 0, h = 0; i < nhead; i++)
		h += rows[i].h;

	return (h);
}

/* The header rows, whole, where the page is. */
static int
lay_heads(struct lay *L, const struct lay_row *rows, size_t nhead,
    int borders)
{
	size_t		i, at, *starts;

	for (i = 0; i < nhead; i++) {
		if ((starts = calloc(rows[i].n + 1, sizeof(size_t))) == NULL)
			return (-1);
		/* On a page of its own it always fits: forced. */
		if (lay_place(L, &rows[i], starts, &at, -1, borders, 1) == -1) {
			free(starts);
			return (-1);
		}
		free(starts);
	}

	return (0);
}

/* Measure every row of a block: cells, their lines, their heights. */
static int
lay_prepare(struct lay *L, const struct pdf_block *b, int orient,
    struct lay_row **out)
{
	const struct pdf_table	*t = &b->t;
	struct lay_row		*rows;
	double			*x, total, width;
	size_t			i;

	if ((rows = calloc(t->nrows, sizeof(*rows))) == NULL)
		return (-1);
	if ((x = calloc(t->ncols + 1, sizeof(double))) == NULL) {
		free(rows);
		return (-1);
	}
	for (i = 0, total = 0; i < t->ncols; i++)
		total += t->widths[i];
	width = lay_width(L, orient);
	x[0] = L->doc->ml;
	for (i = 0; i < t->ncols; i++)
		x[i + 1] = x[i] + width * t->widths[i] / total;
	for (i = 0; i < t->nrows; i++) {
		if (lay_row_prep(L, t, &t->rows[i], x, width, (int)i,
		    &rows[i]) == -1) {
			lay_rows_free(rows, i + 1);
			free(x);
			return (-1);
		}
	}
	free(x);
	*out = rows;

	return (0);
}

static void
lay_rows_free(struct lay_row *rows, size_t n)
{
	size_t		i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < rows[i].n; j++)
			free(rows[i].cells[j].items);
		free(rows[i].cells);
	}
	free(rows);
}

static int
lay_row_prep(struct lay *L, const struct pdf_table *t,
    const struct pdf_row *r, const double *x, double width, int idx,
    struct lay_row *out)
{
	double		padx, pady, h;
	size_t		i, col, last;

	(void)width;
	(void)idx;
	padx = t->borders ? PDF_PAD_X : 0;
	pady = t->borders ? PDF_PAD_Y : 0;
	if ((out->cells = calloc(r->ncells + 1, sizeof(*out->cells))) == NULL)
		return (-1);
	out->n = 0;
	out->h = 0;
	for (i = 0, col = 0; i < r->ncells && col < t->ncols; i++) {
		last = col + (size_t)r->cells[i].span;
		if (last > t->ncols)
			last = t->ncols;
		out->cells[i].x = x[col];
		out->cells[i].w = x[last] - x[col];
		out->n++;
		if (lay_cell_prep(L, &r->cells[i], padx, out->cells[i].w -
		    2 * padx, &out->cells[i]) == -1)
			return (-1);
		h = out->cells[i].h + 2 * pady;
		if (h > out->h)
			out->h = h;
		col = last;
	}

	return (0);
}

static int
lay_item_add(struct lay_cell *c, const struct lay_item *it)
{
	struct lay_item	*items;

	if ((items = pdf_grow(c->items, &c->cap, c->n, sizeof(*items))) == NULL)
		return (-1);
	c->items = items;
	items[c->n++] = *it;
	c->h += it->h;

	return (0);
}

/* A cell's paragraphs as lines, each placed by its alignment. */
static int
lay_cell_prep(struct lay *L, const struct pdf_cell *c, double padx,
    double inner, struct lay_cell *out)
{
	const struct pdf_para	*p;
	struct pdf_line		*lines;
	struct lay_item		it;
	size_t			i, k, n, len;
	double			widest, lh, ind;

	(void)padx;
	if (inner < 1)
		inner = 1;
	for (i = 0; i < c->npara; i++) {
		p = &c->paras[i];
		if (p->before > 0) {
			memset(&it, 0, sizeof(it));
			it.kind = LAY_GAP;
			it.h = p->before;
			if (lay_item_add(out, &it) == -1)
				return (-1);
		}
		lines = NULL;
		ind = p->indent < inner / 2 ? p->indent : 0;
		if (L->measure(L->arg, p->text, &p->st, inner - ind, &lines,
		    &n) == -1 || n == 0) {
			free(lines);
			return (-1);
		}
		lh = p->st.size * PDF_LEADING;
		for (k = 0, widest = 0; k < n; k++) {
			len = lines[k].len;
			/* The separator is not drawn; nor trailing blanks. */
			while (len > 0 && (p->text[lines[k].off + len - 1] ==
			    '\n' || p->text[lines[k].off + len - 1] == '\r' ||
			    p->text[lines[k].off + len - 1] == ' '))
				len--;
			memset(&it, 0, sizeof(it));
			it.kind = LAY_TEXT;
			it.h = lh;
			it.w = lines[k].width;
			it.st = &p->st;
			it.src = p->text;
			it.off = lines[k].off;
			it.len = len;
			if (p->st.align == PDF_CENTER)
				it.dx = ind + (inner - ind - it.w) / 2;
			else if (p->st.align == PDF_RIGHT)
				it.dx = inner - it.w;
			else
				it.dx = ind;
			if (it.dx < 0)
				it.dx = 0;
			if (it.w > widest)
				widest = it.w;
			if (lay_item_add(out, &it) == -1) {
				free(lines);
				return (-1);
			}
		}
		free(lines);
		if (p->rule > 0 && widest > 0) {
			memset(&it, 0, sizeof(it));
			it.kind = LAY_RULE;
			it.h = PDF_RULE_H;
			it.w = widest * p->rule;
			it.dx = p->st.align == PDF_LEFT ? 0 :
			    p->st.align == PDF_RIGHT ? inner - it.w :
			    (inner - it.w) / 2;
			if (lay_item_add(out, &it) == -1)
				return (-1);
		}
	}

	return (0);
}

/*
 * Place what is left of a row (cell k from item starts[k] on) at the
 * current place.  *done is 1 when all of it went on this page, else 0:
 * the caller turns the page and calls again.  head is the height the
 * header takes on a fresh page; -1 forces the row here, whole.  A row
 * that fits a fresh page is moved there whole; one that never fits is
 * cut between lines.
 */
static int
lay_place(struct lay *L, const struct lay_row *r, const size_t *starts,
    size_t *done, double head, int borders, int keep)
{
	const struct lay_cell	*c;
	const struct lay_item	*it;
	size_t			k, j, *ends, *st;
	double			pady, padx, room, rest, h, used, y, top;
	int			fresh, cut;

	pady = borders ? PDF_PAD_Y : 0;
	padx = borders ? PDF_PAD_X : 0;
	st = (size_t *)starts;
	fresh = L->y <= lay_top(L) + (head > 0 ? head : 0) + 0.01;
	room = lay_bottom(L) - L->y;

	/* What is left of each cell, and the tallest of them. */
	for (k = 0, rest = 0; k < r->n; k++) {
		for (j = st[k], h = 0; j < r->cells[k].n; j++)
			h += r->cells[k].items[j].h;
		if (h > rest)
			rest = h;
	}
	rest += 2 * pady;

	*done = 1;
	cut = 0;
	if (head >= 0 && rest > room + 0.01) {
		if (!fresh && (keep || rest <= lay_bottom(L) - lay_top(L) -
		    head)) {
			*done = 0;
			return (0);
		}
		cut = 1;
	}

	if ((ends = calloc(r->n + 1, sizeof(size_t))) == NULL)
		return (-1);
	for (k = 0, used = 0; k < r->n; k++) {
		c = &r->cells[k];
		for (j = st[k], h = 0; j < c->n; j++) {
			if (cut && h + c->items[j].h + 2 * pady > room + 0.01)
				break;
			h += c->items[j].h;
		}
		/* A line taller than a whole page still goes somewhere. */
		if (cut && j == st[k] && j < c->n && fresh)
			h += c->items[j++].h;
		ends[k] = j;
		if (h > used)
			used = h;
	}
	used += 2 * pady;
	if (!cut)
		used = rest;

	top = L->y;
	for (k = 0; k < r->n; k++) {
		c = &r->cells[k];
		for (j = st[k], h = 0; j < ends[k]; j++)
			h += c->items[j].h;
		/* A bordered row's cells centred, unless the row is cut. */
		y = top + pady + (cut || !borders ? 0 :
		    (used - 2 * pady - h) / 2);
		for (j = st[k]; j < ends[k]; j++) {
			it = &c->items[j];
			if (it->kind == LAY_TEXT && lay_box(L, PDF_BOX_TEXT,
			    c->x + padx + it->dx, y, it->w, it->h, it->st,
			    it->src + it->off, it->len) == -1)
				goto fail;
			if (it->kind == LAY_RULE && lay_box(L, PDF_BOX_LINE,
			    c->x + padx + it->dx, y + it->h / 2, it->w, 0,
			    NULL, NULL, 0) == -1)
				goto fail;
			y += it->h;
		}
		if (borders && (lay_box(L, PDF_BOX_LINE, c->x, top, c->w, 0,
		    NULL, NULL, 0) == -1 ||
		    lay_box(L, PDF_BOX_LINE, c->x, top + used, c->w, 0, NULL,
		    NULL, 0) == -1 ||
		    lay_box(L, PDF_BOX_LINE, c->x, top, 0, used, NULL, NULL,
		    0) == -1 ||
		    lay_box(L, PDF_BOX_LINE, c->x + c->w, top, 0, used, NULL,
		    NULL, 0) == -1))
			goto fail;
		if (ends[k] < c->n)
			*done = 0;
		st[k] = ends[k];
	}
	free(ends);
	L->y = top + used;

	return (0);
fail:
	free(ends);
	return (-1);
}

/* Centred at the top of every page from number_from on. */
static int
lay_numbers(struct lay *L)
{
	struct pdf_style	st = lay_number_style;
	struct pdf_line		*lines;
	struct pdf_page		*p;
	char			num[32];
	size_t			i, n;
	double			w, lh;

	st.size = L->doc->number_size > 0 ? L->doc->number_size : 13;
	lh = st.size * PDF_LEADING;
	for (i = 0; i < L->out->n; i++) {
		if ((int)i + 1 < L->doc->number_from)
			continue;
		(void)snprintf(num, sizeof(num), "%zu", i + 1);
		lines = NULL;
		if (L->measure(L->arg, num, &st, L->out->pages[i].w, &lines,
		    &n) == -1 || n == 0) {
			free(lines);
			return (-1);
		}
		w = lines[0].width;
		free(lines);
		p = &L->out->pages[i];
		L->page = p;
		if (lay_box(L, PDF_BOX_TEXT, L->doc->ml + (p->w - L->doc->ml -
		    L->doc->mr - w) / 2, (L->doc->mt - lh) / 2, w, lh, &st, num,
		    strlen(num)) == -1)
			return (-1);
	}

	return (0);
}

void
pdf_fmt_int(long long v, char *buf, size_t len)
{
	char		digits[32], out[48];
	size_t		n, i, j;
	int		neg;

	neg = v < 0;
	(void)snprintf(digits, sizeof(digits), "%llu", neg ?
	    (unsigned long long)(-(v + 1)) + 1 : (unsigned long long)v);
	n = strlen(digits);
	for (i = 0, j = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[j++] = '.';
		out[j++] = digits[i];
	}
	out[j] = '\0';
	(void)snprintf(buf, len, "%s%s", neg ? "-" : "", out);
}

void
pdf_fmt_rate(double v, char *buf, size_t len)
{
	char		*dot;

	(void)snprintf(buf, len, "%.1f", v);
	if ((dot = strchr(buf, '.')) != NULL)
		*dot = ',';
}

const char *
pdf_roman(int n)
{
	static const char	*r[] = { "", "I", "II", "III", "IV", "V", "VI",
				    "VII", "VIII", "IX", "X", "XI", "XII",
				    "XIII", "XIV", "XV", "XVI", "XVII",
				    "XVIII", "XIX", "XX", "XXI", "XXII",
				    "XXIII", "XXIV", "XXV", "XXVI", "XXVII",
				    "XXVIII", "XXIX", "XXX", "XXXI", "XXXII",
				    "XXXIII", "XXXIV", "XXXV", "XXXVI",
				    "XXXVII", "XXXVIII", "XXXIX" };

	if (n < 1 || n >= (int)(sizeof(r) / sizeof(r[0])))
		return ("");

	return (r[n]);
}
