/*
 * What a request line carries, read once: percent-decoding and strict
 * UTF-8 for path segments and query-string values.  Pure C, no Kore.
 *
 * A value is usable when its %-escapes are whole (two hex digits), and
 * what they and the raw bytes decode to is valid UTF-8 (no overlong
 * form, no surrogate, nothing above U+10FFFF, no cut sequence) without a
 * NUL or any other control character (C0, DEL, C1), and it fits.
 */
#ifndef URI_H
#define URI_H

#include <stddef.h>

/* Why a value is unusable (negative, as the functions below answer). */
#define URI_TOO_LONG	(-1)	/* does not fit the caller's buffer */
#define URI_MALFORMED	(-2)	/* bad %-escape, control, not UTF-8 */
#define URI_REPEATED	(-3)	/* a query argument given twice */

/* Longest input read at all; Kore's request line is far shorter. */
#define URI_INPUT_MAX	65536

/*
 * Decode len bytes of src ('+' as a space when plus is set, as in a
 * query string; a path keeps it) into dst, NUL-terminated, of dstlen
 * bytes.  With dst NULL only checks.  Returns the decoded length, or
 * URI_TOO_LONG or URI_MALFORMED; dst then holds "".
 */
int		uri_decode(const char *src, size_t len, int plus, char *dst,
		    size_t dstlen);

/*
 * The argument name of a query string (without the '?'; NULL when there
 * is none).  1 with its decoded value in buf, 0 when absent, -1 when it is
 * there but unusable, with *why one of the URI_* reasons: a value that
 * does not decode or does not fit, or the name given more than once
 * (?unit=a&unit=b answers neither).  "name" alone, without '=', is
 * present with an empty value.  Names are compared decoded.
 */
int		uri_qs_get(const char *qs, const char *name, char *buf,
		    size_t len, int *why);

/* "too_long", "malformed", "repeated": the reason as clients see it. */
const char	*uri_problem(int why);

#endif
