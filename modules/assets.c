/*
 * The pages and their scripts and styles, read into memory at start-up and
 * served with the same security headers as the API.  Pages are static: the
 * scripts fetch everything through the JSON API, so no user text is ever
 * put into HTML on the server.
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

#define ASSETS_MAX	128

struct asset {
	char		*name;		/* path below assets/, e.g. "js/app.js" */
	char		*data;
	size_t		len;
	const char	*ctype;
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
	{ "/contacts",		"contacts.html" },
	{ "/accounts",		"accounts.html" },
	{ "/calendar",		"calendar.html" },
	{ "/report",		"report.html" },
	{ "/tokens",		"tokens.html" },
	{ "/review",		"review.html" },
	{ "/completeness",	"completeness.html" },
	{ "/dashboard",		"dashboard.html" },
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
	fclose(fp);
	a->ctype = asset_ctype(name);
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
	asset_walk(dir, "");
	if (nassets == 0)
		fatal("assets: nothing found in %s", dir);
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

static void
asset_send(struct http_request *req, int status, const struct asset *a)
{
	api_headers(req, a->ctype);
	http_response(req, status, a->data, a->len);
}

/*
 * Everything that is not the API: a page by its path, a file under
 * /assets/, or the page that says nothing is here.
 */
int
asset_serve(struct http_request *req)
{
	const struct asset	*a;
	size_t			i;

	a = NULL;
	if (req->method == HTTP_METHOD_GET || req->method == HTTP_METHOD_HEAD) {
		for (i = 0; i < sizeof(asset_pages) / sizeof(asset_pages[0]);
		    i++) {
			if (!strcmp(req->path, asset_pages[i].path))
				a = asset_find(asset_pages[i].file);
		}
		if (a == NULL && !strncmp(req->path, "/assets/", 8) &&
		    strstr(req->path, "..") == NULL)
			a = asset_find(req->path + 8);
	}

	if (a != NULL) {
		asset_send(req, 200, a);
	} else if ((a = asset_find("404.html")) != NULL) {
		asset_send(req, 404, a);
	} else {
		api_headers(req, "text/plain; charset=utf-8");
		http_response(req, 404, "Không tìm thấy trang.\n",
		    strlen("Không tìm thấy trang.\n"));
	}

	return (KORE_RESULT_OK);
}
