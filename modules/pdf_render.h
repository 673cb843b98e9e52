/*
 * Documents drawn as PDF: the layout of pdf_layout.c measured with pango
 * (HarfBuzz shapes Vietnamese) in Liberation Serif, Times New Roman's
 * metric twin, and drawn on cairo's PDF surface into memory.  Pure C: no
 * Kore, no database; the unit tests call it directly.
 */
#ifndef PDF_RENDER_H
#define PDF_RENDER_H

#include <stddef.h>

#include "pdf_layout.h"

#define PDF_FONT_FAMILY		"Liberation Serif"
#define PDF_FONT_DIR_DEFAULT	"/usr/share/fonts/truetype/liberation2"

/* The four faces of the family, files in the font directory. */
extern const char *const	pdf_font_files[4];

/*
 * Make fontconfig know exactly the four Liberation Serif files of dir
 * (NULL: PDF_FONT_DIR_DEFAULT), from memory, with no configuration file,
 * cache or rescan: called once in Kore's parent, the workers inherit it
 * and only ever open those four files (scripts/privsep.sh puts them in
 * the jail at the same path).  0, or -1 with a message in err.
 */
int	pdf_fonts_init(const char *dir, char *err, size_t errlen);

/*
 * Lay out and draw doc: *out gets the malloc'd PDF, *len its size, and
 * *pages the number of pages when not NULL.  0, or -1 with a message.
 */
int	pdf_render(const struct pdf_doc *, unsigned char **out, size_t *len,
	    size_t *pages, char *err, size_t errlen);

#endif
