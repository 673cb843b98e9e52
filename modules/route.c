/*
 * The dispatcher for /api/ and /healthz (kore.conf sends both to
 * api_serve): the table of routes, each with its method, the roles
 * allowed and whether it is public; the path read once, here, so that a
 * handler only ever sees segments that are decoded, valid UTF-8 without
 * controls; authentication before any handler runs; and the turns of a
 * request whose handler waits for a statement or a task.
 *
 * This is the one module that knows the handlers.  api.c, which builds
 * every answer, knows none of them, and auth.c only answers through it.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "api.h"
#include "auth.h"
#include "msg.h"
#include "outline.h"
#include "route.h"
#include "uri.h"

/* Longest path segment a route captures, decoded (a unit code is 32). */
#define ROUTE_ARG_MAX	64

int		api_serve(struct http_request *);

static int	route_first(struct api_ctx *);
static int	route_match(struct api_ctx *, const struct api_route *);
static void	route_ctx_free(struct http_request *);
static void	route_args_free(struct api_ctx *);

static const struct api_route route_table[] = {
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
	{ HTTP_METHOD_GET, "/api/v1/areas", ROLE_ANY, 0, areas_list },
	{ HTTP_METHOD_POST, "/api/v1/areas", ROLE_OFFICE, 0, areas_put },
	{ HTTP_METHOD_POST, "/api/v1/areas/:/end", ROLE_OFFICE, 0, areas_end },
	{ HTTP_METHOD_GET, "/api/v1/contacts", ROLE_ANY, 0, contacts_list },
	{ HTTP_METHOD_PUT, "/api/v1/contacts/:", ROLE_UNIT | ROLE_OFFICE, 0,
	    contacts_put },
	{ HTTP_METHOD_PUT, "/api/v1/contacts/:/reminders", ROLE_UNIT |
	    ROLE_OFFICE, 0, notify_reminders_put },
	{ HTTP_METHOD_GET, "/api/v1/notifications", ROLE_STAFF, 0,
	    notify_list },

	{ HTTP_METHOD_GET, "/api/v1/accounts", ROLE_STAFF, 0, accounts_list },
	{ HTTP_METHOD_POST, "/api/v1/accounts", ROLE_STAFF, 0,
	    accounts_create },
	{ HTTP_METHOD_POST, "/api/v1/accounts/bulk", ROLE_STAFF, 0,
	    accounts_bulk },
	{ HTTP_METHOD_POST, "/api/v1/accounts/:/reset", ROLE_STAFF, 0,
	    accounts_reset },
	{ HTTP_METHOD_POST, "/api/v1/accounts/:/unlock", ROLE_STAFF, 0,
	    accounts_unlock },
	{ HTTP_METHOD_POST, "/api/v1/accounts/:/deactivate", ROLE_STAFF, 0,
	    accounts_deactivate },
	{ HTTP_METHOD_POST, "/api/v1/accounts/:/activate", ROLE_STAFF, 0,
	    accounts_activate },

	{ HTTP_METHOD_GET, "/api/v1/forms/:", ROLE_ANY, API_TOKEN,
	    outline_form_get },
	{ HTTP_METHOD_GET, "/api/v1/forms/:/versions", ROLE_ANY, API_TOKEN,
	    outline_versions_list },
	{ HTTP_METHOD_GET, "/api/v1/forms/:/versions/:", ROLE_ANY, API_TOKEN,
	    outline_version_get },
	{ HTTP_METHOD_POST, "/api/v1/forms/:/versions", ROLE_ADMIN, 0,
	    outline_version_post },
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

	{ HTTP_METHOD_PUT, "/api/v1/reports/:/:/:/signed", ROLE_UNIT,
	    API_TOKEN, docs_signed_put },
	{ HTTP_METHOD_GET, "/api/v1/reports/:/:/:/signed", ROLE_UNIT |
	    ROLE_OFFICE, API_TOKEN, docs_signed_get },
	{ HTTP_METHOD_PUT, "/api/v1/reports/:/:/:/document", ROLE_UNIT,
	    API_TOKEN, docs_report_doc_put },
	{ HTTP_METHOD_GET, "/api/v1/consolidated/:/:/document", ROLE_OFFICE |
	    ROLE_VIEWER | ROLE_ADMIN, 0, docs_cons_doc_get },
	{ HTTP_METHOD_PUT, "/api/v1/consolidated/:/:/document", ROLE_OFFICE,
	    0, docs_cons_doc_put },

	{ HTTP_METHOD_GET, "/api/v1/tokens", ROLE_OFFICE, 0, tokens_list },
	{ HTTP_METHOD_POST, "/api/v1/tokens", ROLE_OFFICE, 0, tokens_create },
	{ HTTP_METHOD_DELETE, "/api/v1/tokens/:", ROLE_OFFICE, 0,
	    tokens_revoke },
};

#define ROUTE_COUNT	(sizeof(route_table) / sizeof(route_table[0]))

int
api_serve(struct http_request *req)
{
	struct api_ctx	*ctx;
	int		r;

	if ((ctx = http_state_get(req)) == NULL) {
		ctx = http_state_create(req, sizeof(*ctx), route_ctx_free);
		ctx->req = req;
		r = route_first(ctx);
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
route_first(struct api_ctx *ctx)
{
	size_t		i;
	int		path_seen;

	/*
	 * Kore hands the path over as it came, bytes and %-escapes alike.
	 * A path that does not decode to text is a malformed request,
	 * refused before anything is looked up (it used to reach
	 * PostgreSQL, which refused the bytes: a 500).  Since '/' is ASCII
	 * and ends any UTF-8 sequence, each segment is then valid too.
	 */
	if (uri_decode(ctx->req->path, strlen(ctx->req->path), 0, NULL, 0) ==
	    URI_MALFORMED)
		return (api_error(ctx, 400, "bad_request", msg_vi("bad_path"),
		    json_pack("{s:s, s:s}", "part", "path", "problem",
		    uri_problem(URI_MALFORMED))));

	path_seen = 0;
	for (i = 0; i < ROUTE_COUNT; i++) {
		if (!route_match(ctx, &route_table[i]))
			continue;
		path_seen = 1;
		if (route_table[i].method != ctx->req->method)
			continue;
		ctx->route = &route_table[i];
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

/*
 * Match a path pattern, capturing each ':' segment decoded into
 * ctx->args.  A segment longer than any code names nothing: no match,
 * so it is a 404 like any other unknown thing.
 */
static int
route_match(struct api_ctx *ctx, const struct api_route *r)
{
	const char	*p, *q, *end;
	char		*arg;
	size_t		len;

	route_args_free(ctx);
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
		if (len == 0 || ctx->nargs == API_MAX_ARGS)
			return (0);
		arg = kore_malloc(ROUTE_ARG_MAX + 1);
		if (uri_decode(q, len, 0, arg, ROUTE_ARG_MAX + 1) <= 0) {
			kore_free(arg);
			return (0);
		}
		ctx->args[ctx->nargs++] = arg;
		q = end;
	}

	return (*q == '\0');
}

static void
route_args_free(struct api_ctx *ctx)
{
	int		i;

	for (i = 0; i < ctx->nargs; i++)
		kore_free(ctx->args[i]);
	ctx->nargs = 0;
}

static void
route_ctx_free(struct http_request *req)
{
	struct api_ctx	*ctx;

	if ((ctx = http_state_get(req)) == NULL)
		return;

	db_clear(&ctx->db);
	api_stream_free(ctx);
	route_args_free(ctx);
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
