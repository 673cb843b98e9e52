/*
 * What lets a browser keep the pages' files and fetch them small: a
 * version (hash) of each file, the references between files rewritten
 * to name those versions, gzip once at start-up, and the two request
 * headers that decide what to send (Accept-Encoding, If-None-Match).
 * Pure C over zlib: no Kore.
 */
#ifndef WEBCACHE_H
#define WEBCACHE_H

#include <stddef.h>
#include <stdint.h>

#define WEBCACHE_VERSION_LEN	16	/* hex digits of a version */

/* The version of a file's bytes: 16 lower-case hex digits and a NUL. */
void	webcache_version(const void *, size_t,
	    char out[WEBCACHE_VERSION_LEN + 1]);

/*
 * gzip (RFC 1952) of len bytes at the best compression into *out (the
 * caller frees it).  0, or -1 (out of memory, or too big for zlib).
 */
int	webcache_gzip(const void *, size_t, unsigned char **out,
	    size_t *outlen);

/*
 * 1 if an Accept-Encoding header value (NULL: no header) allows gzip:
 * "gzip" or "x-gzip" or "*" with a q-value that is not 0, gzip not
 * refused by name.  Case does not matter.
 */
int	webcache_accepts_gzip(const char *);

/*
 * 1 if an If-None-Match header value names etag (a quoted string such
 * as "\"abc\"") or is "*": the weak comparison, W/ ignored.
 */
int	webcache_etag_match(const char *if_none_match, const char *etag);

/*
 * The text of file name (a path below the assets folder, "js/app.js")
 * with each reference to another file followed by "?v=" and its
 * version: in a page (.html) every "/assets/NAME" in double quotes, in a
 * script (.js) every module specifier './NAME' or '../NAME' after
 * "from" or "import".  version(target, arg) gives the version of a file
 * by its name below the assets folder, or NULL to leave the reference as
 * it is (an unknown file).  Other files come back unchanged.  NULL when
 * out of memory, else a new NUL-terminated buffer of *outlen bytes.
 */
char	*webcache_rewrite(const char *name, const char *data, size_t len,
	    const char *(*version)(const char *, void *), void *arg,
	    size_t *outlen);

#endif
