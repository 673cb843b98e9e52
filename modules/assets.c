/*
 * The pages and their scripts and styles, read into memory at start-up and
 * served with the same security headers as the API.  Pages are static: the
 * scripts fetch everything through the JSON API, so no user text is ever
 * put into HTML on the server.
 *
 * Over a weak district line every page load fetched 175 KiB, uncompressed
 * and marked no-store.  Now, once at start-up in the parent, each file's
 * references to the others (a page's script and style, a module's
 * imports) are rewritten to carry the version (hash) of what they name,
 * so a script's version changes when any module it imports changes; each
 * file is versioned and gzipped once.  A file asked for with its version
 * is cached for a year (a new release names new versions); a page, or a
 * file asked for without its version, is revalidated every time with its
 * ETag (304 when unchanged), so a new release is seen at once.  Gzip
 * goes to the clients that accept it, with Vary: Accept-Encoding.
 */
#include <sys/types.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "api.h"
#include "assets.h"
#include "webcache.h"

#define ASSETS_MAX	128

/* A file named with its version never changes: a year, not revalidated. */
#define CACHE_VERSIONED	"public, max-age=31536000, immutable"
/* Pages, and files asked for without their version: ask every time. */
#define CACHE_REVALIDATE	"no-cache"
/* Worth sending compressed: it saves more than a header costs. */
#define GZIP_SAVES	256

struct asset {
	char		*name;		/* path below assets/, e.g. "js/app.js" */
	char		*data;		/* as served: references versioned */
	size_t		len;
	unsigned char	*gz;		/* gzip of data, or NULL */
	size_t		gzlen;
	const char	*ctype;
	char		version[WEBCACHE_VERSION_LEN + 1];
	char		etag[WEBCACHE_VERSION_LEN + 3];
	char		etag_gz[WEBCACHE_VERSION_LEN + 6];
	char		query[WEBCACHE_VERSION_LEN + 3];	/* "v=..." */
	int		state;		/* 0 read, 1 being versioned, 2 done */
};

static struct asset	assets[ASSETS_MAX];
static size_t		nassets;

/* Page paths people type or follow, and the file each one shows. */
static const struct {
	const char	*path;
	const char	*file;
} asset_pages[] = {
	{ "/",			"index.html" },
	{ "/login",		"login.html" },
	{ "/password",		"password.html" },
	{ "/units",		"units.html" },
	{ "/areas",		"areas.html" },
	{ "/contacts",		"contacts.html" },
	{ "/accounts",		"accounts.html" },
	{ "/calendar",		"calendar.html" },
	{ "/report",		"report.html" },
	{ "/tokens",		"tokens.html" },
	{ "/review",		"review.html" },
	{ "/completeness",	"completeness.html" },
	{ "/dashboard",		"dashboard.html" },
	{ "/notifications",	"notifications.html" },
	{ "/outlines",		"outlines.html" },
};

int	asset_serve(struct http_request *);

static const char *
asset_ctype(const char *name)
{
	const char	*ext;

	if ((ext = strrchr(name, '.')) == NULL)
		return ("application/octet-stream");
	if (!strcmp(ext, ".html"))
		return ("text/html; charset=utf-8");
	if (!strcmp(ext, ".js"))
		return ("text/javascript; charset=utf-8");
	if (!strcmp(ext, ".css"))
		return ("text/css; charset=utf-8");
	if (!strcmp(ext, ".svg"))
		return ("image/svg+xml");
	if (!strcmp(ext, ".png"))
		return ("image/png");
	if (!strcmp(ext, ".ico"))
		return ("image/x-icon");
	if (!strcmp(ext, ".csv"))
		return ("text/csv; charset=utf-8");
	if (!strcmp(ext, ".json"))
		return ("application/json; charset=utf-8");

	return ("application/octet-stream");
}

static void
asset_add(const char *path, const char *name)
{
	struct asset	*a;
	FILE		*fp;
	long		sz;

	if (nassets == ASSETS_MAX)
		fatal("assets: more than %d files", ASSETS_MAX);
	if ((fp = fopen(path, "r")) == NULL)
		fatal("assets: cannot open %s: %s", path, errno_s);
	if (fseek(fp, 0, SEEK_END) == -1 || (sz = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) == -1)
		fatal("assets: cannot size %s", path);

	a = &assets[nassets++];
	a->name = kore_strdup(name);
	a->len = (size_t)sz;
	a->data = kore_malloc(a->len + 1);
	if (fread(a->data, 1, a->len, fp) != a->len)
		fatal("assets: cannot read %s", path);
	a->data[a->len] = '\0';
	fclose(fp);
	a->ctype = asset_ctype(name);
}

/* Text compresses; images of these kinds are compressed already. */
static int
asset_compressible(const char *ctype)
{
	return (!strncmp(ctype, "text/", 5) ||
	    !strcmp(ctype, "image/svg+xml") ||
	    !strncmp(ctype, "application/json", 16));
}

static const char	*asset_versioned(const char *, void *);

/*
 * The served form of a file: its references versioned (the files it
 * names first, recursively), its own version and ETags, its gzip.
 */
static void
asset_prepare(struct asset *a)
{
	char		*text;
	size_t		len;

	if (a->state != 0)
		return;
	a->state = 1;

	if ((text = webcache_rewrite(a->name, a->data, a->len,
	    asset_versioned, NULL, &len)) == NULL)
		fatal("assets: out of memory rewriting %s", a->name);
	kore_free(a->data);
	a->data = kore_malloc(len + 1);
	memcpy(a->data, text, len + 1);
	a->len = len;
	free(text);

	webcache_version(a->data, a->len, a->version);
	(void)snprintf(a->etag, sizeof(a->etag), "\"%s\"", a->version);
	(void)snprintf(a->etag_gz, sizeof(a->etag_gz), "\"%s-gz\"",
	    a->version);
	(void)snprintf(a->query, sizeof(a->query), "v=%s", a->version);

	if (asset_compressible(a->ctype)) {
		if (webcache_gzip(a->data, a->len, &a->gz, &a->gzlen) == -1)
			fatal("assets: cannot compress %s", a->name);
		if (a->gzlen + GZIP_SAVES > a->len) {
			free(a->gz);
			a->gz = NULL;
			a->gzlen = 0;
		}
	}
	a->state = 2;
}

static void
asset_walk(const char *dir, const char *prefix)
{
	DIR		*d;
	struct dirent	*e;
	char		path[1024], name[512];

	if ((d = opendir(dir)) == NULL)
		fatal("assets: cannot open %s: %s", dir, errno_s);

	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		(void)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		(void)snprintf(name, sizeof(name), "%s%s", prefix, e->d_name);
		if (e->d_type == DT_DIR) {
			(void)snprintf(name, sizeof(name), "%s%s/", prefix,
			    e->d_name);
			asset_walk(path, name);
		} else if (e->d_type == DT_REG) {
			asset_add(path, name);
		}
	}
	closedir(d);
}

void
assets_load(const char *dir)
{
	size_t		i;

	asset_walk(dir, "");
	if (nassets == 0)
		fatal("assets: nothing found in %s", dir);
	for (i = 0; i < nassets; i++)
		asset_prepare(&assets[i]);
}

static const struct asset *
asset_find(const char *name)
{
	size_t		i;

	for (i = 0; i < nassets; i++) {
		if (!strcmp(assets[i].name, name))
			return (&assets[i]);
	}

	return (NULL);
}

/*
 * The version of a file a reference names, once it is prepared; NULL for
 * an unknown file or one in a cycle of references (it is then asked for
 * without a version and revalidated).
 */
static const char *
asset_versioned(const char *name, void *arg)
{
	struct asset	*a;

	(void)arg;
	if ((a = (struct asset *)asset_find(name)) == NULL || a->state == 1)
		return (NULL);
	asset_prepare(a);

	return (a->version);
}

/* A page or file, compressed when the client takes it, or 304. */
static void
asset_send(struct http_request *req, const struct asset *a, int versioned)
{
	const char	*ae, *inm, *etag;
	int		gz;

	ae = NULL;
	(void)http_request_header(req, "accept-encoding", &ae);
	gz = a->gz != NULL && webcache_accepts_gzip(ae);
	etag = gz ? a->etag_gz : a->etag;

	api_headers_cache(req, a->ctype, versioned ? CACHE_VERSIONED :
	    CACHE_REVALIDATE);
	http_response_header(req, "etag", etag);
	if (asset_compressible(a->ctype))
		http_response_header(req, "vary", "accept-encoding");

	inm = NULL;
	if (http_request_header(req, "if-none-match", &inm) &&
	    webcache_etag_match(inm, etag)) {
		/* No body, and no length of one (Kore would say 0). */
		req->flags |= HTTP_REQUEST_NO_CONTENT_LENGTH;
		http_response(req, HTTP_STATUS_NOT_MODIFIED, NULL, 0);
		return;
	}

	if (gz) {
		http_response_header(req, "content-encoding", "gzip");
		http_response(req, 200, a->gz, a->gzlen);
	} else {
		http_response(req, 200, a->data, a->len);
	}
}

/* Nothing here: not cached, so that a page made later is seen. */
static void
asset_not_found(struct http_request *req)
{
	const struct asset	*a;

	if ((a = asset_find("404.html")) != NULL) {
		api_headers(req, a->ctype);
		http_response(req, 404, a->data, a->len);
	} else {
		api_headers(req, "text/plain; charset=utf-8");
		http_response(req, 404, "Không tìm thấy trang.\n",
		    strlen("Không tìm thấy trang.\n"));
	}
}

/*
 * Everything that is not the API: a page by its path, a file under
 * /assets/ (cached for long when asked for as a page names it, with
 * exactly "?v=" and its version), or the page that says nothing is here.
 */
int
asset_serve(struct http_request *req)
{
	const struct asset	*a;
	size_t			i;
	int			versioned;

	a = NULL;
	versioned = 0;
	if (req->method == HTTP_METHOD_GET || req->method == HTTP_METHOD_HEAD) {
		for (i = 0; i < sizeof(asset_pages) / sizeof(asset_pages[0]);
		    i++) {
			if (!strcmp(req->path, asset_pages[i].path))
				a = asset_find(asset_pages[i].file);
		}
		if (a == NULL && !strncmp(req->path, "/assets/", 8) &&
		    strstr(req->path, "..") == NULL &&
		    (a = asset_find(req->path + 8)) != NULL)
			versioned = req->query_string != NULL &&
			    !strcmp(req->query_string, a->query);
	}

	if (a != NULL)
		asset_send(req, a, versioned);
	else
		asset_not_found(req);

	return (KORE_RESULT_OK);
}
