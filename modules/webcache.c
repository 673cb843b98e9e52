/*
 * Versions, references, gzip and the two request headers of the pages'
 * files.  Everything here runs once per file at start-up (rewriting,
 * compressing) or on a header of at most a few kilobytes (Kore bounds
 * them), so it is written for clarity, not speed.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "webcache.h"

#define REF_MAX		256	/* bytes of a referenced file's name */

struct wbuf {
	char		*data;
	size_t		len;
	size_t		cap;
	int		nomem;
};

static void	wbuf_add(struct wbuf *, const char *, size_t);
static int	ends_with(const char *, const char *);
static int	name_char(char);
static int	ident_char(char);
static size_t	ref_len(const char *, size_t, char);
static int	resolve(const char *, const char *, size_t, char *, size_t);
static size_t	rewrite_html(struct wbuf *, const char *, size_t, size_t,
		    const char *(*)(const char *, void *), void *);
static size_t	rewrite_js(struct wbuf *, const char *, const char *,
		    size_t, size_t, const char *(*)(const char *, void *),
		    void *);
static int	q_zero(const char *, size_t);

void
webcache_version(const void *data, size_t len,
    char out[WEBCACHE_VERSION_LEN + 1])
{
	const unsigned char	*p = data;
	uint64_t		h;
	size_t			i;

	/* FNV-1a: a change of release, not an attacker, is what it tells. */
	h = 14695981039346656037ULL;
	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	(void)snprintf(out, WEBCACHE_VERSION_LEN + 1, "%016llx",
	    (unsigned long long)h);
}

int
webcache_gzip(const void *in, size_t len, unsigned char **out,
    size_t *outlen)
{
	z_stream	z;
	uLong		bound;
	int		rc;

	*out = NULL;
	*outlen = 0;
	if (len > UINT_MAX)
		return (-1);

	memset(&z, 0, sizeof(z));
	/* 15 + 16: a gzip header and trailer around the deflate stream. */
	if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return (-1);
	bound = deflateBound(&z, (uLong)len);
	if (bound > UINT_MAX || (*out = malloc(bound)) == NULL) {
		(void)deflateEnd(&z);
		return (-1);
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = *out;
	z.avail_out = (uInt)bound;
	rc = deflate(&z, Z_FINISH);
	*outlen = z.total_out;
	(void)deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(*out);
		*out = NULL;
		*outlen = 0;
		return (-1);
	}

	return (0);
}

/* "0", "0.", "0.0", "0.00", "0.000": a q-value that refuses. */
static int
q_zero(const char *s, size_t n)
{
	size_t		i;

	if (n == 0 || s[0] != '0')
		return (0);
	if (n == 1)
		return (1);
	if (s[1] != '.' || n > 5)
		return (0);
	for (i = 2; i < n; i++)
		if (s[i] != '0')
			return (0);

	return (1);
}

int
webcache_accepts_gzip(const char *h)
{
	const char	*p, *end, *semi, *q;
	size_t		n, qn;
	int		gzip, star, ok;

	/* -1 not named, 0 refused (q=0), 1 accepted. */
	gzip = star = -1;
	for (p = h; p != NULL && *p != '\0'; p = end + (*end == ',')) {
		if ((end = strchr(p, ',')) == NULL)
			end = p + strlen(p);
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if ((semi = memchr(p, ';', (size_t)(end - p))) == NULL)
			semi = end;
		for (n = (size_t)(semi - p); n > 0 &&
		    (p[n - 1] == ' ' || p[n - 1] == '\t'); n--)
			;
		ok = 1;
		for (q = semi; q < end; q++) {
			if ((*q == 'q' || *q == 'Q') && q[1] == '=' &&
			    (q[-1] == ';' || q[-1] == ' ' || q[-1] == '\t')) {
				for (qn = 0; q + 2 + qn < end &&
				    q[2 + qn] != ' ' && q[2 + qn] != ';' &&
				    q[2 + qn] != '\t'; qn++)
					;
				ok = !q_zero(q + 2, qn);
				break;
			}
		}
		if ((n == 4 && strncasecmp(p, "gzip", 4) == 0) ||
		    (n == 6 && strncasecmp(p, "x-gzip", 6) == 0))
			gzip = gzip == 1 ? 1 : ok;
		else if (n == 1 && *p == '*')
			star = ok;
		if (*end == '\0')
			break;
	}

	return (gzip == 1 || (gzip == -1 && star == 1));
}

int
webcache_etag_match(const char *h, const char *etag)
{
	const char	*p, *close;
	size_t		elen;

	if (h == NULL || etag == NULL)
		return (0);
	elen = strlen(etag);
	for (p = h; *p != '\0';) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		if (*p == '*')
			return (1);
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p != '"' || (close = strchr(p + 1, '"')) == NULL)
			return (0);
		if ((size_t)(close + 1 - p) == elen &&
		    memcmp(p, etag, elen) == 0)
			return (1);
		p = close + 1;
	}

	return (0);
}

char *
webcache_rewrite(const char *name, const char *data, size_t len,
    const char *(*version)(const char *, void *), void *arg,
    size_t *outlen)
{
	struct wbuf	b;
	size_t		i, used;
	int		html, js;

	memset(&b, 0, sizeof(b));
	html = ends_with(name, ".html");
	js = ends_with(name, ".js");
	for (i = 0; i < len;) {
		used = 0;
		if (html)
			used = rewrite_html(&b, data, len, i, version, arg);
		else if (js)
			used = rewrite_js(&b, name, data, len, i, version,
			    arg);
		if (used == 0) {
			wbuf_add(&b, data + i, 1);
			used = 1;
		}
		i += used;
	}
	wbuf_add(&b, "", 1);
	if (b.nomem) {
		free(b.data);
		return (NULL);
	}
	*outlen = b.len - 1;

	return (b.data);
}

/*
 * At data[i]: "/assets/NAME" in double quotes, written with its version
 * when NAME is known.  Returns the bytes taken, 0 when nothing is there.
 */
static size_t
rewrite_html(struct wbuf *b, const char *data, size_t len, size_t i,
    const char *(*version)(const char *, void *), void *arg)
{
	static const char	pre[] = "\"/assets/";
	const char		*v;
	char			ref[REF_MAX];
	size_t			n, plen;

	plen = sizeof(pre) - 1;
	if (len - i < plen || memcmp(data + i, pre, plen) != 0)
		return (0);
	if ((n = ref_len(data + i + plen, len - i - plen, '"')) == 0 ||
	    n >= sizeof(ref))
		return (0);
	memcpy(ref, data + i + plen, n);
	ref[n] = '\0';
	if ((v = version(ref, arg)) == NULL)
		return (0);

	wbuf_add(b, data + i, plen + n);
	wbuf_add(b, "?v=", 3);
	wbuf_add(b, v, strlen(v));

	return (plen + n);
}

/*
 * At data[i]: "from" or "import" (a word of its own), spaces, a quote,
 * then a relative specifier './NAME' or '../NAME' up to the same quote.
 */
static size_t
rewrite_js(struct wbuf *b, const char *name, const char *data, size_t len,
    size_t i, const char *(*version)(const char *, void *), void *arg)
{
	const char	*v;
	char		ref[REF_MAX];
	size_t		j, kw, n;
	char		quote;

	if (i > 0 && ident_char(data[i - 1]))
		return (0);
	if (len - i > 4 && memcmp(data + i, "from", 4) == 0)
		kw = 4;
	else if (len - i > 6 && memcmp(data + i, "import", 6) == 0)
		kw = 6;
	else
		return (0);
	for (j = i + kw; j < len && (data[j] == ' ' || data[j] == '\t'); j++)
		;
	if (j >= len || (data[j] != '\'' && data[j] != '"'))
		return (0);
	quote = data[j++];
	if (len - j < 2 || data[j] != '.')
		return (0);
	if ((n = ref_len(data + j, len - j, quote)) == 0)
		return (0);
	if (resolve(name, data + j, n, ref, sizeof(ref)) == -1 ||
	    (v = version(ref, arg)) == NULL)
		return (0);

	wbuf_add(b, data + i, j + n - i);
	wbuf_add(b, "?v=", 3);
	wbuf_add(b, v, strlen(v));

	return (j + n - i);
}

/* The length of a file name up to the closing quote, or 0. */
static size_t
ref_len(const char *s, size_t len, char quote)
{
	size_t		n;

	for (n = 0; n < len && n < REF_MAX; n++) {
		if (s[n] == quote)
			return (n);
		if (!name_char(s[n]))
			return (0);
	}

	return (0);
}

/*
 * The name below the assets folder of specifier spec ("./x.js",
 * "../css/a.css") as seen from file from ("js/app.js").  -1 when it
 * climbs out of the folder or does not fit.
 */
static int
resolve(const char *from, const char *spec, size_t n, char *out,
    size_t outlen)
{
	const char	*slash, *seg, *end;
	size_t		len, seglen;

	if ((slash = strrchr(from, '/')) != NULL)
		len = (size_t)(slash - from + 1);
	else
		len = 0;
	if (len >= outlen)
		return (-1);
	memcpy(out, from, len);
	out[len] = '\0';

	for (seg = spec, end = spec + n; seg < end; seg += seglen + 1) {
		for (seglen = 0; seg + seglen < end && seg[seglen] != '/';
		    seglen++)
			;
		if (seglen == 0 || (seglen == 1 && seg[0] == '.'))
			continue;
		if (seglen == 2 && seg[0] == '.' && seg[1] == '.') {
			if (len == 0)
				return (-1);
			for (len--; len > 0 && out[len - 1] != '/'; len--)
				;
			out[len] = '\0';
			continue;
		}
		if (len + seglen + 1 >= outlen)
			return (-1);
		memcpy(out + len, seg, seglen);
		len += seglen;
		if (seg + seglen < end)
			out[len++] = '/';
		out[len] = '\0';
	}

	return (len > 0 && out[len - 1] != '/' ? 0 : -1);
}

static int
name_char(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
	    c == '/');
}

static int
ident_char(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '$' || c == '.');
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t		a, b;

	a = strlen(s);
	b = strlen(suffix);

	return (a >= b && strcmp(s + a - b, suffix) == 0);
}

static void
wbuf_add(struct wbuf *b, const char *s, size_t n)
{
	char		*p;
	size_t		cap;

	if (b->nomem)
		return;
	if (b->len + n > b->cap) {
		cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n) {
			if (cap > SIZE_MAX / 2) {
				b->nomem = 1;
				return;
			}
			cap *= 2;
		}
		if ((p = realloc(b->data, cap)) == NULL) {
			b->nomem = 1;
			return;
		}
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
}
