/*
 * Drawing the pages of pdf_layout.c with cairo and pango.  One pango
 * layout, made on the PDF surface's own context with hinting off, both
 * measures and draws, so that a line drawn is the line measured.
 */
#include <sys/types.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include "pdf_render.h"

#define PDF_GREY_WATERMARK	0.82
#define PDF_BORDER_W		0.6

const char *const	pdf_font_files[4] = {
	"LiberationSerif-Regular.ttf",
	"LiberationSerif-Bold.ttf",
	"LiberationSerif-Italic.ttf",
	"LiberationSerif-BoldItalic.ttf",
};

struct pdf_out {
	unsigned char	*buf;
	size_t		len, cap;
	int		failed;
};

struct pdf_pango {
	cairo_t			*cr;
	PangoLayout		*layout;
	PangoFontDescription	*fd[4];
};

static cairo_status_t	pdf_write(void *, const unsigned char *,
			    unsigned int);
static int		pdf_pango_init(struct pdf_pango *, cairo_t *);
static void		pdf_pango_free(struct pdf_pango *);
static void		pdf_pango_set(struct pdf_pango *, const char *,
			    size_t, const struct pdf_style *);
static int		pdf_measure(void *, const char *,
			    const struct pdf_style *, double,
			    struct pdf_line **, size_t *);
static void		pdf_draw_page(struct pdf_pango *,
			    const struct pdf_page *);
static void		pdf_draw_text(struct pdf_pango *,
			    const struct pdf_box *);
static void		pdf_draw_watermark(struct pdf_pango *,
			    const struct pdf_box *);

int
pdf_fonts_init(const char *dir, char *err, size_t errlen)
{
	FcConfig	*cfg;
	FcPattern	*pat;
	FcObjectSet	*os;
	FcFontSet	*fs;
	char		path[1024];
	size_t		i;
	int		n;

	if (dir == NULL)
		dir = PDF_FONT_DIR_DEFAULT;
	if ((cfg = FcConfigCreate()) == NULL) {
		(void)snprintf(err, errlen, "fontconfig: out of memory");
		return (-1);
	}
	for (i = 0; i < sizeof(pdf_font_files) / sizeof(pdf_font_files[0]);
	    i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", dir,
		    pdf_font_files[i]);
		if (!FcConfigAppFontAddFile(cfg, (const FcChar8 *)path)) {
			(void)snprintf(err, errlen, "font %s cannot be read "
			    "(fonts-liberation2, scripts/deps.sh)", path);
			FcConfigDestroy(cfg);
			return (-1);
		}
	}
	/* No rescan: in the jail there is no configuration to go back to. */
	FcConfigSetRescanInterval(cfg, 0);
	if (!FcConfigSetCurrent(cfg)) {
		(void)snprintf(err, errlen, "fontconfig: cannot use the fonts");
		FcConfigDestroy(cfg);
		return (-1);
	}
	FcConfigDestroy(cfg);	/* the current configuration holds it */

	pat = FcNameParse((const FcChar8 *)PDF_FONT_FAMILY);
	os = FcObjectSetBuild(FC_FILE, (char *)NULL);
	fs = pat && os ? FcFontList(NULL, pat, os) : NULL;
	n = fs != NULL ? fs->nfont : 0;
	if (fs != NULL)
		FcFontSetDestroy(fs);
	if (os != NULL)
		FcObjectSetDestroy(os);
	if (pat != NULL)
		FcPatternDestroy(pat);
	if (n != 4) {
		(void)snprintf(err, errlen, "fontconfig finds %d faces of %s "
		    "in %s, not 4", n, PDF_FONT_FAMILY, dir);
		return (-1);
	}

	return (0);
}

static cairo_status_t
pdf_write(void *arg, const unsigned char *data, unsigned int len)
{
	struct pdf_out	*o = arg;
	unsigned char	*nb;
	size_t		ncap;

	if (o->failed)
		return (CAIRO_STATUS_WRITE_ERROR);
	if (o->len + len < o->len) {
		o->failed = 1;
		return (CAIRO_STATUS_WRITE_ERROR);
	}
	if (o->len + len > o->cap) {
		ncap = o->cap ? o->cap : 64 * 1024;
		while (ncap < o->len + len)
			ncap *= 2;
		if ((nb = realloc(o->buf, ncap)) == NULL) {
			o->failed = 1;
			return (CAIRO_STATUS_WRITE_ERROR);
		}
		o->buf = nb;
		o->cap = ncap;
	}
	memcpy(o->buf + o->len, data, len);
	o->len += len;

	return (CAIRO_STATUS_SUCCESS);
}

static int
pdf_pango_init(struct pdf_pango *pp, cairo_t *cr)
{
	cairo_font_options_t	*fo;
	PangoContext		*pc;
	size_t			i;

	memset(pp, 0, sizeof(*pp));
	pp->cr = cr;
	if ((pp->layout = pango_cairo_create_layout(cr)) == NULL)
		return (-1);
	/*
	 * Unhinted metrics: the widths are the font's own, the same at
	 * any resolution, so that what is measured is what is drawn.
	 */
	pc = pango_layout_get_context(pp->layout);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	pango_layout_context_changed(pp->layout);
	for (i = 0; i < 4; i++) {
		pp->fd[i] = pango_font_description_new();
		pango_font_description_set_family(pp->fd[i], PDF_FONT_FAMILY);
		pango_font_description_set_weight(pp->fd[i], i & PDF_BOLD ?
		    PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
		pango_font_description_set_style(pp->fd[i], i & PDF_ITALIC ?
		    PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
	}

	return (0);
}

static void
pdf_pango_free(struct pdf_pango *pp)
{
	size_t		i;

	for (i = 0; i < 4; i++) {
		if (pp->fd[i] != NULL)
			pango_font_description_free(pp->fd[i]);
	}
	if (pp->layout != NULL)
		g_object_unref(pp->layout);
}

/* Font, size and text of the one layout; no width (no wrapping). */
static void
pdf_pango_set(struct pdf_pango *pp, const char *text, size_t len,
    const struct pdf_style *st)
{
	PangoFontDescription	*fd;

	fd = pp->fd[st->flags & (PDF_BOLD | PDF_ITALIC)];
	/* Points are the surface's units: an absolute size is exact. */
	pango_font_description_set_absolute_size(fd, st->size * PANGO_SCALE);
	pango_layout_set_font_description(pp->layout, fd);
	pango_layout_set_width(pp->layout, -1);
	pango_layout_set_text(pp->layout, text, (int)len);
}

static int
pdf_measure(void *arg, const char *text, const struct pdf_style *st,
    double width, struct pdf_line **lines, size_t *n)
{
	struct pdf_pango	*pp = arg;
	PangoLayoutIter		*it;
	PangoLayoutLine		*line;
	PangoRectangle		logical;
	struct pdf_line		*out;
	int			count, i;

	pdf_pango_set(pp, text, strlen(text), st);
	pango_layout_set_width(pp->layout, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(pp->layout, PANGO_WRAP_WORD_CHAR);
	count = pango_layout_get_line_count(pp->layout);
	if (count < 1 || (out = calloc((size_t)count,
	    sizeof(*out))) == NULL)
		return (-1);
	it = pango_layout_get_iter(pp->layout);
	i = 0;
	do {
		line = pango_layout_iter_get_line_readonly(it);
		pango_layout_line_get_extents(line, NULL, &logical);
		out[i].off = (size_t)line->start_index;
		out[i].len = (size_t)line->length;
		out[i].width = (double)logical.width / PANGO_SCALE;
		i++;
	} while (i < count && pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	*lines = out;
	*n = (size_t)i;

	return (0);
}

int
pdf_render(const struct pdf_doc *doc, unsigned char **out, size_t *len,
    size_t *npages, char *err, size_t errlen)
{
	struct pdf_out		o;
	struct pdf_pango	pp;
	struct pdf_pages	*pages;
	cairo_surface_t		*s;
	cairo_t			*cr;
	size_t			i;
	int			rc;

	*out = NULL;
	*len = 0;
	memset(&o, 0, sizeof(o));
	if (doc == NULL || doc->failed) {
		(void)snprintf(err, errlen, "pdf: no document (out of memory)");
		return (-1);
	}
	s = cairo_pdf_surface_create_for_stream(pdf_write, &o, PDF_A4_W,
	    PDF_A4_H);
	cr = cairo_create(s);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS ||
	    pdf_pango_init(&pp, cr) == -1) {
		(void)snprintf(err, errlen, "pdf: cannot start cairo");
		cairo_destroy(cr);
		cairo_surface_destroy(s);
		return (-1);
	}
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
	    doc->title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
	    "Cổng báo cáo chuyển đổi số - Sở Y tế Thanh Hóa");

	rc = 0;
	if ((pages = pdf_layout(doc, pdf_measure, &pp)) == NULL) {
		(void)snprintf(err, errlen, "pdf: layout failed");
		rc = -1;
	}
	for (i = 0; pages != NULL && i < pages->n; i++) {
		cairo_pdf_surface_set_size(s, pages->pages[i].w,
		    pages->pages[i].h);
		pdf_draw_page(&pp, &pages->pages[i]);
		cairo_show_page(cr);
	}
	if (npages != NULL)
		*npages = pages != NULL ? pages->n : 0;
	pdf_pages_free(pages);
	pdf_pango_free(&pp);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (rc == 0 && (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
	    o.failed)) {
		(void)snprintf(err, errlen, "pdf: %s", o.failed ?
		    "out of memory" : cairo_status_to_string(
		    cairo_surface_status(s)));
		rc = -1;
	}
	cairo_surface_destroy(s);
	if (rc == -1) {
		free(o.buf);
		return (-1);
	}
	*out = o.buf;
	*len = o.len;

	return (0);
}

static void
pdf_draw_page(struct pdf_pango *pp, const struct pdf_page *p)
{
	const struct pdf_box	*b;
	size_t			i;

	cairo_set_source_rgb(pp->cr, 0, 0, 0);
	cairo_set_line_width(pp->cr, PDF_BORDER_W);
	for (i = 0; i < p->nboxes; i++) {
		b = &p->boxes[i];
		switch (b->kind) {
		case PDF_BOX_WATERMARK:
			pdf_draw_watermark(pp, b);
			break;
		case PDF_BOX_TEXT:
			pdf_draw_text(pp, b);
			break;
		case PDF_BOX_LINE:
			cairo_move_to(pp->cr, b->x, b->y);
			cairo_line_to(pp->cr, b->x + b->w, b->y + b->h);
			cairo_stroke(pp->cr);
			break;
		}
	}
}

/* One line, its logical box centred in the line's height. */
static void
pdf_draw_text(struct pdf_pango *pp, const struct pdf_box *b)
{
	PangoRectangle	logical;

	if (b->text == NULL || *b->text == '\0')
		return;
	pdf_pango_set(pp, b->text, strlen(b->text), &b->st);
	pango_layout_get_extents(pp->layout, NULL, &logical);
	cairo_move_to(pp->cr, b->x, b->y + (b->h - (double)logical.height /
	    PANGO_SCALE) / 2);
	pango_cairo_show_layout(pp->cr, pp->layout);
}

/* "BẢN NHÁP" in light grey across the page, under everything. */
static void
pdf_draw_watermark(struct pdf_pango *pp, const struct pdf_box *b)
{
	struct pdf_style	st = { 72, PDF_BOLD, PDF_CENTER };
	PangoRectangle		logical;

	if (b->text == NULL)
		return;
	cairo_save(pp->cr);
	cairo_set_source_rgb(pp->cr, PDF_GREY_WATERMARK, PDF_GREY_WATERMARK,
	    PDF_GREY_WATERMARK);
	cairo_translate(pp->cr, b->w / 2, b->h / 2);
	cairo_rotate(pp->cr, -atan2(b->h, b->w));
	pdf_pango_set(pp, b->text, strlen(b->text), &st);
	pango_layout_get_extents(pp->layout, NULL, &logical);
	cairo_move_to(pp->cr, -(double)logical.width / PANGO_SCALE / 2,
	    -(double)logical.height / PANGO_SCALE / 2);
	pango_cairo_show_layout(pp->cr, pp->layout);
	cairo_restore(pp->cr);
	cairo_set_source_rgb(pp->cr, 0, 0, 0);
}
