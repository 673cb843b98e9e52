/*
 * The structural check of an uploaded PDF (pdf_check.h).  It reads only
 * inside the buffer: every offset comes from the file and is bounded.
 */
#include <sys/types.h>

#include <string.h>

#include "pdf_check.h"

#define PDF_HEAD_WITHIN		1024
#define PDF_TAIL_WITHIN		1024

/* The last occurrence of needle in [from, from + len). */
static const unsigned char *
pdf_rfind(const unsigned char *from, size_t len, const char *needle)
{
	size_t		n, i;

	n = strlen(needle);
	if (len < n)
		return (NULL);
	for (i = len - n + 1; i-- > 0;)
		if (memcmp(from + i, needle, n) == 0)
			return (from + i);

	return (NULL);
}

static const unsigned char *
pdf_find(const unsigned char *from, size_t len, const char *needle)
{
	size_t		n, i;

	n = strlen(needle);
	for (i = 0; len >= n && i <= len - n; i++)
		if (memcmp(from + i, needle, n) == 0)
			return (from + i);

	return (NULL);
}

static int
pdf_space(unsigned char c)
{
	return (c == ' ' || c == '\r' || c == '\n' || c == '\t' ||
	    c == '\f' || c == '\0');
}

/* Digits at p (before end): their value in *v, the byte after them. */
static const unsigned char *
pdf_number(const unsigned char *p, const unsigned char *end, size_t *v)
{
	const unsigned char	*q;

	*v = 0;
	for (q = p; q < end && *q >= '0' && *q <= '9' && q - p < 12; q++)
		*v = *v * 10 + (size_t)(*q - '0');

	return (q > p ? q : NULL);
}

/* "xref", or "N G obj" of a cross-reference stream, at p. */
static int
pdf_xref_at(const unsigned char *p, const unsigned char *end)
{
	size_t		v;

	if (end - p >= 4 && memcmp(p, "xref", 4) == 0)
		return (1);
	if ((p = pdf_number(p, end, &v)) == NULL || p >= end ||
	    !pdf_space(*p))
		return (0);
	while (p < end && pdf_space(*p))
		p++;
	if ((p = pdf_number(p, end, &v)) == NULL || p >= end ||
	    !pdf_space(*p))
		return (0);
	while (p < end && pdf_space(*p))
		p++;

	return (end - p >= 3 && memcmp(p, "obj", 3) == 0);
}

int
pdf_check(const unsigned char *buf, size_t len)
{
	const unsigned char	*head, *eof, *sx, *p, *end;
	size_t			off, tail;

	if (buf == NULL || len == 0)
		return (PDF_CHECK_EMPTY);
	head = pdf_find(buf, len < PDF_HEAD_WITHIN ? len : PDF_HEAD_WITHIN,
	    "%PDF-");
	if (head == NULL || head + 8 > buf + len || (head[5] != '1' &&
	    head[5] != '2') || head[6] != '.' || head[7] < '0' ||
	    head[7] > '9')
		return (PDF_CHECK_NO_HEADER);
	tail = len < PDF_TAIL_WITHIN ? len : PDF_TAIL_WITHIN;
	if ((eof = pdf_rfind(buf + len - tail, tail, "%%EOF")) == NULL)
		return (PDF_CHECK_NO_EOF);
	if ((sx = pdf_rfind(buf, (size_t)(eof - buf), "startxref")) == NULL)
		return (PDF_CHECK_NO_XREF);
	end = eof;
	for (p = sx + 9; p < end && pdf_space(*p); p++)
		;
	if ((p = pdf_number(p, end, &off)) == NULL)
		return (PDF_CHECK_NO_XREF);
	/* Offsets count from the header, which may follow a little junk. */
	off += (size_t)(head - buf);
	if (off >= (size_t)(sx - buf) || !pdf_xref_at(buf + off, sx))
		return (PDF_CHECK_NO_XREF);

	return (PDF_CHECK_OK);
}

const char *
pdf_check_problem(int r)
{
	switch (r) {
	case PDF_CHECK_OK:
		return ("ok");
	case PDF_CHECK_EMPTY:
		return ("empty");
	case PDF_CHECK_NO_HEADER:
		return ("not_pdf");
	case PDF_CHECK_NO_EOF:
		return ("truncated");
	default:
		return ("no_xref");
	}
}
