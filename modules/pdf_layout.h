/*
 * Documents to print and sign, as data and as pages.  Pure C: no Kore, no
 * database, no cairo.  A document (struct pdf_doc) is a flow of blocks,
 * each a table of rows of cells of paragraphs (a plain paragraph is a
 * table of one cell without borders); pdf_layout() pours it into A4
 * pages of positioned boxes (a line of text, a rule), breaking tables
 * between rows, or inside a row too tall for a page, and repeating their
 * header rows on every page; page numbers centred at the top from page
 * number_from on; a watermark on every page of a draft.
 *
 * How wide a text is comes from a measuring function given to
 * pdf_layout(): pdf_render.c measures with pango (the real font), the
 * unit tests with a fixed advance, so the layout is tested without fonts.
 * Sizes are in points (1/72 inch), the origin at the top left of a page.
 */
#ifndef PDF_LAYOUT_H
#define PDF_LAYOUT_H

#include <stddef.h>

#define PDF_MM(x)		((x) * 72.0 / 25.4)
#define PDF_A4_W		PDF_MM(210.0)
#define PDF_A4_H		PDF_MM(297.0)
#define PDF_LEADING		1.2	/* line height over font size */

/* Style flags and alignment. */
#define PDF_BOLD		0x01
#define PDF_ITALIC		0x02
#define PDF_LEFT		0
#define PDF_CENTER		1
#define PDF_RIGHT		2

#define PDF_PORTRAIT		0
#define PDF_LANDSCAPE		1

struct pdf_style {
	double		size;		/* points */
	int		flags;		/* PDF_BOLD | PDF_ITALIC */
	int		align;
};

/* One line of a broken text: bytes [off, off + len) of it, its width. */
struct pdf_line {
	size_t		off;
	size_t		len;
	double		width;
};

/*
 * Break text (UTF-8, '\n' ends a paragraph) into lines at most width
 * wide in style st: *lines gets a malloc'd array of *n lines (at least
 * one, empty for an empty text).  0, or -1 when it could not.
 */
typedef int	(*pdf_measure_fn)(void *arg, const char *text,
		    const struct pdf_style *st, double width,
		    struct pdf_line **lines, size_t *n);

struct pdf_para {
	char			*text;
	struct pdf_style	st;
	double			before;	/* space above, points */
	double			indent;	/* from the left, points */
	double			rule;	/* a rule under it: share of its
					   widest line, 0 for none */
};

struct pdf_cell {
	struct pdf_para		*paras;
	size_t			npara, cap;
	int			span;	/* columns it covers, >= 1 */
};

struct pdf_row {
	struct pdf_cell		*cells;
	size_t			ncells, cap;
	int			keep;	/* never split over two pages */
};

struct pdf_table {
	double			*widths;	/* relative to each other */
	size_t			ncols;
	struct pdf_row		*rows;
	size_t			nrows, cap;
	size_t			nhead;		/* header rows, repeated */
	int			borders;
};

struct pdf_block {
	struct pdf_table	t;
	double			before;		/* space above, points */
	int			keep_next;	/* on the page of what follows */
	int			keep;		/* the whole block on one page */
	int			new_page;
	int			orient;		/* PDF_PORTRAIT, PDF_LANDSCAPE */
};

struct pdf_doc {
	struct pdf_block	*blocks;
	size_t			nblocks, cap;
	char			*title;		/* the file's metadata */
	char			*watermark;	/* every page, NULL for none */
	double			mt, mb, ml, mr;	/* margins, points */
	int			number_from;	/* first page numbered */
	double			number_size;
	int			failed;		/* a builder ran out of memory */
};

/*
 * Building.  A function given NULL (what an earlier one returned when
 * memory ran out) does nothing and returns NULL; doc->failed tells.
 */
struct pdf_doc		*pdf_doc_new(const char *title);
void			pdf_doc_free(struct pdf_doc *);
void			pdf_doc_watermark(struct pdf_doc *, const char *);
struct pdf_block	*pdf_table_new(struct pdf_doc *, const double *widths,
			    size_t ncols, int borders, size_t nhead);
struct pdf_block	*pdf_para_new(struct pdf_doc *, const char *text,
			    double size, int flags, int align);
struct pdf_row		*pdf_row_new(struct pdf_doc *, struct pdf_block *);
struct pdf_cell		*pdf_cell_new(struct pdf_doc *, struct pdf_row *,
			    int span);
struct pdf_para		*pdf_cell_para(struct pdf_doc *, struct pdf_cell *,
			    const char *text, double size, int flags, int align);
/* A row of cells of one paragraph each, all in one style: n texts. */
struct pdf_row		*pdf_row_texts(struct pdf_doc *, struct pdf_block *,
			    const char *const *texts, size_t n, double size,
			    int flags, const int *aligns);

/* Pages of boxes, what pdf_layout() makes and pdf_render.c draws. */
#define PDF_BOX_TEXT		1	/* one line: text at (x, y), w x h */
#define PDF_BOX_LINE		2	/* from (x, y) to (x + w, y + h) */
#define PDF_BOX_WATERMARK	3	/* text across the page */

struct pdf_box {
	int			kind;
	double			x, y, w, h;
	struct pdf_style	st;
	char			*text;
};

struct pdf_page {
	double			w, h;
	struct pdf_box		*boxes;
	size_t			nboxes, cap;
};

struct pdf_pages {
	struct pdf_page		*pages;
	size_t			n, cap;
};

/* NULL when out of memory or when measure failed. */
struct pdf_pages	*pdf_layout(const struct pdf_doc *, pdf_measure_fn,
			    void *arg);
void			pdf_pages_free(struct pdf_pages *);

/* "1.234.567" (Vietnamese thousands dots), "-" for none. */
void			pdf_fmt_int(long long, char *, size_t);
/* "95,5": one decimal, a decimal comma. */
void			pdf_fmt_rate(double, char *, size_t);
/* "I", "II", ... for 1 to 39. */
const char		*pdf_roman(int);

#endif
