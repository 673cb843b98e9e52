/*
 * Is an upload a PDF, by its content and not its name: the "%PDF-1.x"
 * header in its first kilobyte, an "%%EOF" in its last, and a
 * "startxref" before it whose offset lands on a cross-reference table
 * ("xref") or stream ("N G obj") inside the file: the structure every
 * PDF reader starts from.  Pure C; fuzzed with the other parsers.
 */
#ifndef PDF_CHECK_H
#define PDF_CHECK_H

#include <stddef.h>

#define PDF_CHECK_OK		0
#define PDF_CHECK_EMPTY		1
#define PDF_CHECK_NO_HEADER	2	/* not a PDF at all (a PNG, text) */
#define PDF_CHECK_NO_EOF	3	/* cut short */
#define PDF_CHECK_NO_XREF	4	/* no cross-reference where it says */

int		pdf_check(const unsigned char *, size_t);
const char	*pdf_check_problem(int);

#endif
