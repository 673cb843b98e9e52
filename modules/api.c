/*
 * The dispatcher for /api/ and /healthz, and the one place that builds
 * answers: JSON bodies, errors and the security headers every answer has.
 */
#include <sys/types.h>

#include <ctype.h>
#include <malloc.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "api.h"
#include "msg.h"

#define API_TRIM_AFTER	(8 * 1024 * 1024)

int		api_serve(struct http_request *);

static int	api_first(struct api_ctx *);
static int	api_match(struct api_ctx *, const struct api_route *);
static void	api_ctx_free(struct http_request *);
static void	api_args_free(struct api_ctx *);

static const struct api_route api_routes[] = {
	{ HTTP_METHOD_GET, "/healthz", 0, API_PUBLIC, health_get },

	{ HTTP_METHOD_POST, "/api/v1/session", 0, API_PUBLIC, auth_login },
	{ HTTP_METHOD_GET, "/api/v1/session", ROLE_ANY, API_PWCHANGE,
	    auth_session_get },
	{ HTTP_METHOD_DELETE, "/api/v1/session", ROLE_ANY, API_PWCHANGE,
	    auth_logout },
	{ HTTP_METHOD_POST, "/api/v1/password", ROLE_ANY, API_PWCHANGE,
	    auth_password },

	{ HTTP_METHOD_GET, "/api/v1/periods", ROLE_ANY, 0, cal_list },
	{ HTTP_METHOD_PUT, "/api/v1/periods/:", ROLE_OFFICE, 0, cal_update },

	{ HTTP_METHOD_GET, "/api/v1/units", ROLE_ANY, 0, units_list },
	{ HTTP_METHOD_POST, "/api/v1/units/import", ROLE_OFFICE, 0,
	    units_import },
	{ HTTP_METHOD_GET, "/api/v1/unit-kinds", ROLE_ANY, 0, units_kinds },
	{ HTTP_METHOD_GET, "/api/v1/districts", ROLE_ANY, 0, units_districts },
	{ HTTP_METHOD_GET, "/api/v1/contacts", ROLE_ANY, 0, contacts_list },
	{ HTTP_METHOD_PUT, "/api/v1/contacts/:", ROLE_UNIT | ROLE_OFFICE, 0,
	    contacts_put },

	{ HTTP_METHOD_GET, "/api/v1/accounts", ROLE_STAFF, 0, accounts_list },
	{ HTTP_METHOD_POST, "/api/v1/accounts", ROLE_STAFF, 0,
	    accounts_create },
	{ HTTP_METHOD_POST, "/api/v1/accounts/bulk", ROLE_STAFF, 0,
	    accounts_bulk },
	{ HTTP_METHOD_POST, "/api/v1/accounts/:/reset", ROLE_STAFF, 0,
	    accounts_reset },
	{ HTTP_METHOD_POST, "/api/v1/accounts/:/unlock", ROLE_STAFF, 0,
	    accounts_unlock },

	{ HTTP_METHOD_GET, "/api/v1/forms/:", ROLE_ANY, API_TOKEN, forms_get },
	{ HTTP_METHOD_GET, "/api/v1/reports", ROLE_ANY, API_TOKEN,
	    reports_list },
	{ HTTP_METHOD_GET, "/api/v1/reports/:/:/:", ROLE_ANY, API_TOKEN,
	    report_get },
	{ HTTP_METHOD_PUT, "/api/v1/reports/:/:/:", ROLE_UNIT, API_TOKEN,
	    report_put },
	{ HTTP_METHOD_POST, "/api/v1/reports/:/:/:/submit", ROLE_UNIT,
	    API_TOKEN, report_submit },

	{ HTTP_METHOD_POST, "/api/v1/reports/:/:/:/return", ROLE_OFFICE, 0,
	    review_return },
	{ HTTP_METHOD_POST, "/api/v1/reports/:/:/:/accept", ROLE_OFFICE, 0,
	    review_accept },
	{ HTTP_METHOD_POST, "/api/v1/reports/:/:/:/reopen", ROLE_OFFICE, 0,
	    review_reopen },
	{ HTTP_METHOD_GET, "/api/v1/review/:", ROLE_OFFICE, 0, review_list },
	{ HTTP_METHOD_POST, "/api/v1/review/:/:/:", ROLE_OFFICE, 0,
	    review_bulk },
	{ HTTP_METHOD_GET, "/api/v1/completeness/:", ROLE_OFFICE | ROLE_VIEWER |
	    ROLE_ADMIN, 0, completeness_get },
	{ HTTP_METHOD_GET, "/api/v1/consolidated/:/:", ROLE_OFFICE |
	    ROLE_VIEWER | ROLE_ADMIN, 0, cons_get },

	{ HTTP_METHOD_GET, "/api/v1/tokens", ROLE_OFFICE, 0, tokens_list },
	{ HTTP_METHOD_POST, "/api/v1/tokens", ROLE_OFFICE, 0, tokens_create },
	{ HTTP_METHOD_DELETE, "/api/v1/tokens/:", ROLE_OFFICE, 0,
	    tokens_revoke },
};

#define API_NROUTES	(sizeof(api_routes) / sizeof(api_routes[0]))

int
api_serve(struct http_request *req)
{
	struct api_ctx	*ctx;
	int		r;

	if ((ctx = http_state_get(req)) == NULL) {
		ctx = http_state_create(req, sizeof(*ctx), api_ctx_free);
		ctx->req = req;
		r = api_first(ctx);
	} else if (ctx->task_on) {
		/*
		 * Woken early: sleep again, or Kore runs the request on
		 * every turn of the event loop until the task is done
		 * (a full core spent asking, under a burst of sign-ins).
		 * Kore wakes it when the task's channel closes.
		 */
		if (!kore_task_finished(&ctx->task)) {
			http_request_sleep(req);
			return (KORE_RESULT_RETRY);
		}
		kore_task_destroy(&ctx->task);
		ctx->task_on = 0;
		r = ctx->next(ctx);
	} else {
		switch (db_poll(&ctx->db)) {
		case DB_PENDING:
			return (KORE_RESULT_RETRY);
		case DB_FAILED:
			r = api_db_error(ctx);
			break;
		default:
			r = ctx->next(ctx);
			break;
		}
	}

	if (r == API_WAIT)
		return (KORE_RESULT_RETRY);

	return (KORE_RESULT_OK);
}

static int
api_first(struct api_ctx *ctx)
{
	size_t		i;
	int		path_seen;

	path_seen = 0;
	for (i = 0; i < API_NROUTES; i++) {
		if (!api_match(ctx, &api_routes[i]))
			continue;
		path_seen = 1;
		if (api_routes[i].method != ctx->req->method)
			continue;
		ctx->route = &api_routes[i];
		break;
	}

	if (ctx->route == NULL) {
		if (path_seen)
			return (api_error(ctx, 405, "method_not_allowed",
			    NULL, NULL));
		return (api_error(ctx, 404, "not_found", NULL, NULL));
	}

	if (ctx->route->flags & API_PUBLIC)
		return (ctx->route->handler(ctx));

	return (auth_begin(ctx));
}

/* Match a path pattern, capturing each ':' segment into ctx->args. */
static int
api_match(struct api_ctx *ctx, const struct api_route *r)
{
	const char	*p, *q, *end;
	size_t		len;

	api_args_free(ctx);
	p = r->path;
	q = ctx->req->path;

	while (*p != '\0') {
		if (*p != ':') {
			if (*p++ != *q++)
				return (0);
			continue;
		}
		p++;
		if ((end = strchr(q, '/')) == NULL)
			end = q + strlen(q);
		len = (size_t)(end - q);
		if (len == 0 || len > 64 || ctx->nargs == API_MAX_ARGS)
			return (0);
		ctx->args[ctx->nargs] = kore_malloc(len + 1);
		memcpy(ctx->args[ctx->nargs], q, len);
		ctx->args[ctx->nargs++][len] = '\0';
		q = end;
	}

	return (*q == '\0');
}

static void
api_args_free(struct api_ctx *ctx)
{
	int		i;

	for (i = 0; i < ctx->nargs; i++)
		kore_free(ctx->args[i]);
	ctx->nargs = 0;
}

static void
api_ctx_free(struct http_request *req)
{
	struct api_ctx	*ctx;

	if ((ctx = http_state_get(req)) == NULL)
		return;

	db_clear(&ctx->db);
	api_args_free(ctx);
	if (ctx->body != NULL)
		json_decref(ctx->body);
	ctx->body = NULL;

	/*
	 * Kore calls this again once a running task has finished; until
	 * then the task's thread still uses priv.
	 */
	if (ctx->task_on && !kore_task_finished(&ctx->task))
		return;
	if (ctx->priv != NULL && ctx->priv_free != NULL)
		ctx->priv_free(ctx->priv);
	ctx->priv = NULL;
}

static int
api_task_entry(struct kore_task *t)
{
	struct api_ctx	*ctx;

	ctx = (struct api_ctx *)((char *)t - offsetof(struct api_ctx, task));

	return (ctx->task_fn(ctx->priv));
}

/*
 * Run fn(ctx->priv) on one of Kore's task threads and continue with next
 * once it is done.  fn must touch nothing but priv: no Kore, no database.
 */
int
api_offload(struct api_ctx *ctx, int (*fn)(void *), api_step next)
{
	ctx->next = next;
	ctx->task_fn = fn;
	kore_task_create(&ctx->task, api_task_entry);
	kore_task_bind_request(&ctx->task, ctx->req);
	ctx->task_on = 1;
	kore_task_run(&ctx->task);

	return (API_WAIT);
}

int
api_then(struct api_ctx *ctx, int query, int n, const char **params,
    api_step next)
{
	ctx->next = next;

	switch (db_start(&ctx->db, ctx->req, query, n, params)) {
	case DB_PENDING:
		return (API_WAIT);
	case DB_FAILED:
		return (api_db_error(ctx));
	default:
		return (next(ctx));
	}
}

/* Every answer's headers, kept by nobody: the API's JSON is personal. */
void
api_headers(struct http_request *req, const char *ctype)
{
	api_headers_cache(req, ctype, "no-store");
}

/*
 * The same with another Cache-Control: the pages' static files (assets.c)
 * hold nothing personal and may be kept.
 */
void
api_headers_cache(struct http_request *req, const char *ctype,
    const char *cache_control)
{
	http_response_header(req, "content-type", ctype);
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "x-frame-options", "DENY");
	http_response_header(req, "referrer-policy", "no-referrer");
	http_response_header(req, "cross-origin-opener-policy", "same-origin");
	http_response_header(req, "permissions-policy",
	    "camera=(), microphone=(), geolocation=()");
	http_response_header(req, "content-security-policy",
	    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
	    "script-src 'self'; object-src 'none'; frame-ancestors 'none'; "
	    "base-uri 'none'; form-action 'self'");
	http_response_header(req, "cache-control", cache_control);
}

int
api_json(struct api_ctx *ctx, int status, json_t *body)
{
	char		*text;
	size_t		len;

	/* NULL is a programmer's mistake: say so, but keep serving. */
	/* 15 digits: a rate of 33.3 prints as 33.3, not 33.29999…97. */
	if (body == NULL || (text = json_dumps(body, JSON_COMPACT |
	    JSON_REAL_PRECISION(15))) == NULL) {
		kore_log(LOG_ERR, "api_json: nothing to encode for %s",
		    ctx->req->path);
		json_decref(body);
		return (api_raw(ctx, 500, "{\"error\":{\"code\":\"internal\","
		    "\"message\":\"Lỗi hệ thống.\"}}"));
	}
	json_decref(body);

	len = strlen(text);
	api_headers(ctx->req, "application/json; charset=utf-8");
	http_response(ctx->req, status, text, len);
	free(text);

	/*
	 * A big answer (a whole country's units) leaves hundreds of
	 * megabytes of freed jansson nodes that glibc keeps: give them back.
	 */
	if (len > API_TRIM_AFTER)
		(void)malloc_trim(0);

	return (API_DONE);
}

int
api_raw(struct api_ctx *ctx, int status, const char *json)
{
	api_headers(ctx->req, "application/json; charset=utf-8");
	http_response(ctx->req, status, json, strlen(json));

	return (API_DONE);
}

/* A download: the name is ASCII, chosen by the portal, never by a user. */
int
api_file(struct api_ctx *ctx, const char *ctype, const char *filename,
    const void *data, size_t len)
{
	char		disp[128];

	(void)snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"",
	    filename);
	api_headers(ctx->req, ctype);
	http_response_header(ctx->req, "content-disposition", disp);
	http_response(ctx->req, 200, data, len);

	return (API_DONE);
}

int
api_nocontent(struct api_ctx *ctx)
{
	api_headers(ctx->req, "application/json; charset=utf-8");
	http_response(ctx->req, 204, NULL, 0);

	return (API_DONE);
}

int
api_error(struct api_ctx *ctx, int status, const char *code,
    const char *message, json_t *details)
{
	json_t		*err;

	if (message == NULL)
		message = msg_vi(code);

	err = json_pack("{s:s, s:s}", "code", code, "message", message);
	if (details != NULL)
		json_object_set_new(err, "details", details);

	return (api_json(ctx, status, json_pack("{s:o}", "error", err)));
}

/*
 * A failed statement: the database is down or refused the change.
 * Either way nothing was stored, and the person is told so.
 */
int
api_db_error(struct api_ctx *ctx)
{
	if (!strncmp(ctx->db.sqlstate, "08", 2) ||
	    !strncmp(ctx->db.sqlstate, "57", 2) ||
	    !strncmp(ctx->db.sqlstate, "53", 2))
		return (api_error(ctx, 503, "db_unavailable", NULL, NULL));

	return (api_error(ctx, 500, "internal", NULL, NULL));
}

/*
 * The request body as Kore received it (kept in memory: the portal never
 * sets http_body_disk_offload), or NULL when there is none.
 */
const char *
api_body(struct api_ctx *ctx, size_t *len)
{
	struct kore_buf	*b;

	b = ctx->req->http_body;
	if (b == NULL || ctx->req->http_body_fd != -1)
		return (NULL);
	*len = ctx->req->http_body_length;

	return ((const char *)b->data + b->offset);
}

/* Parse the request body as a JSON object into ctx->body. */
int
api_body_json(struct api_ctx *ctx, size_t max)
{
	json_error_t	jerr;
	const char	*data;
	size_t		len;

	if ((data = api_body(ctx, &len)) == NULL || len == 0) {
		api_error(ctx, 400, "bad_json", "Thiếu dữ liệu JSON trong "
		    "yêu cầu.", NULL);
		return (0);
	}
	if (len > max) {
		api_error(ctx, 413, "too_large", NULL, NULL);
		return (0);
	}

	ctx->body = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (ctx->body == NULL || !json_is_object(ctx->body)) {
		api_error(ctx, 400, "bad_json", NULL, NULL);
		return (0);
	}

	return (1);
}

/* A string member of a JSON object, or NULL if absent, not text or long. */
char *
api_json_text(json_t *obj, const char *key, size_t max)
{
	json_t		*v;

	if ((v = json_object_get(obj, key)) == NULL || !json_is_string(v))
		return (NULL);
	if (json_string_length(v) > max)
		return (NULL);
	if (strlen(json_string_value(v)) != json_string_length(v))
		return (NULL);

	return ((char *)json_string_value(v));
}

/*
 * A text member of at most max characters (not bytes: Vietnamese letters
 * take two or three), or NULL.
 */
char *
api_json_chars(json_t *obj, const char *key, size_t max)
{
	const char	*s;
	size_t		n;

	if ((s = api_json_text(obj, key, max * 4)) == NULL)
		return (NULL);
	for (n = 0; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}

	return (n <= max ? api_json_text(obj, key, max * 4) : NULL);
}

static int
api_hex(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);

	return (-1);
}

/*
 * The value of a query-string argument, URL-decoded into buf, or NULL
 * when absent or when it does not fit.
 */
const char *
api_qs(struct api_ctx *ctx, const char *name, char *buf, size_t len)
{
	const char	*p, *v;
	size_t		nlen, o;
	int		hi, lo;

	if ((p = ctx->req->query_string) == NULL)
		return (NULL);
	nlen = strlen(name);

	while (*p != '\0') {
		if (!strncmp(p, name, nlen) && p[nlen] == '=') {
			v = p + nlen + 1;
			for (o = 0; *v != '\0' && *v != '&'; v++) {
				if (o + 1 >= len)
					return (NULL);
				if (*v == '%') {
					if ((hi = api_hex(v[1])) < 0 ||
					    (lo = api_hex(v[2])) < 0)
						return (NULL);
					if (hi == 0 && lo == 0)
						return (NULL);
					buf[o++] = (char)(hi * 16 + lo);
					v += 2;
				} else {
					buf[o++] = (*v == '+') ? ' ' : *v;
				}
			}
			buf[o] = '\0';
			return (buf);
		}
		if ((p = strchr(p, '&')) == NULL)
			break;
		p++;
	}

	return (NULL);
}

/*
 * A query-string argument: 1 with its value in buf, 0 when absent, -1
 * when it is there but unusable (too long, %00).  api_qs alone answers
 * NULL for both of the last two, and the second is bad input, to be
 * answered, not ignored.
 */
int
api_qs_arg(struct api_ctx *ctx, const char *name, char *buf, size_t len)
{
	const char	*p;
	size_t		nlen;

	if (api_qs(ctx, name, buf, len) != NULL)
		return (1);
	if ((p = ctx->req->query_string) == NULL)
		return (0);
	nlen = strlen(name);
	while (p != NULL) {
		if (!strncmp(p, name, nlen) && p[nlen] == '=')
			return (-1);
		if ((p = strchr(p, '&')) != NULL)
			p++;
	}

	return (0);
}

static const struct {
	int		role;
	const char	*name;
} api_roles[] = {
	{ ROLE_UNIT,	"unit" },
	{ ROLE_OFFICE,	"office" },
	{ ROLE_VIEWER,	"viewer" },
	{ ROLE_ADMIN,	"admin" },
};

const char *
api_role_name(int role)
{
	size_t		i;

	for (i = 0; i < sizeof(api_roles) / sizeof(api_roles[0]); i++) {
		if (api_roles[i].role == role)
			return (api_roles[i].name);
	}

	return ("unknown");
}

int
api_role_parse(const char *name)
{
	size_t		i;

	for (i = 0; i < sizeof(api_roles) / sizeof(api_roles[0]); i++) {
		if (!strcmp(api_roles[i].name, name))
			return (api_roles[i].role);
	}

	return (0);
}
