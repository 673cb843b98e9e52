/*
 * The one place that builds answers (JSON bodies, errors and the security
 * headers every answer has) and reads what a request carries (its JSON
 * body, its query-string arguments) for the handlers.  It knows no
 * handler: the dispatcher is route.c.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include <malloc.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "api.h"
#include "msg.h"
#include "uri.h"

#define API_TRIM_AFTER	(8 * 1024 * 1024)

/*
 * Exports run on a thread of their own in each worker, at nice 10 for its
 * whole life: the event loop (every other request of the worker), the
 * password checks on Kore's task threads and PostgreSQL come first on
 * two cores, the workbook takes what they leave.  Not on Kore's task
 * threads: a thread may raise its nice value, but going back needs
 * RLIMIT_NICE, whose hard limit only CAP_SYS_RESOURCE raises (absent in
 * containers), and the next task of a Kore thread may be a password
 * check.  Kore's protocol is kept whole: the task is Kore's, its channel
 * closes when it is done and wakes the request; only the thread differs.
 */
#define API_EXPORT_NICE	10

static TAILQ_HEAD(, kore_task)	api_export_queue =
    TAILQ_HEAD_INITIALIZER(api_export_queue);
static pthread_mutex_t		api_export_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t		api_export_cond = PTHREAD_COND_INITIALIZER;
static int			api_export_started;

static void *
api_export_thread(void *arg)
{
	struct kore_task	*t;

	(void)arg;
	/* Linux: PRIO_PROCESS with a thread id is that thread alone. */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid),
	    API_EXPORT_NICE);
	(void)pthread_setname_np(pthread_self(), "export");

	pthread_mutex_lock(&api_export_lock);
	for (;;) {
		while ((t = TAILQ_FIRST(&api_export_queue)) == NULL)
			pthread_cond_wait(&api_export_cond, &api_export_lock);
		TAILQ_REMOVE(&api_export_queue, t, list);
		pthread_mutex_unlock(&api_export_lock);

		/* As Kore's task threads do; t may be gone after finish. */
		kore_task_set_state(t, KORE_TASK_STATE_RUNNING);
		kore_task_set_result(t, t->entry(t));
		kore_task_finish(t);

		pthread_mutex_lock(&api_export_lock);
	}

	return (NULL);
}

/* Queue t for the worker's export thread, started the first time. */
static int
api_export_run(struct kore_task *t)
{
	pthread_t	tid;

	if (!api_export_started) {
		if (pthread_create(&tid, NULL, api_export_thread, NULL) != 0)
			return (-1);
		(void)pthread_detach(tid);
		api_export_started = 1;
	}
	kore_platform_schedule_read(t->fds[0], t);

	pthread_mutex_lock(&api_export_lock);
	TAILQ_INSERT_TAIL(&api_export_queue, t, list);
	pthread_cond_signal(&api_export_cond);
	pthread_mutex_unlock(&api_export_lock);

	return (0);
}

static int
api_task_entry(struct kore_task *t)
{
	struct api_ctx	*ctx;

	ctx = (struct api_ctx *)((char *)t - offsetof(struct api_ctx, task));

	return (ctx->task_fn(ctx->priv));
}

static int
api_offload_at(struct api_ctx *ctx, int (*fn)(void *), api_step next,
    int export)
{
	ctx->next = next;
	ctx->task_fn = fn;
	kore_task_create(&ctx->task, api_task_entry);
	kore_task_bind_request(&ctx->task, ctx->req);
	ctx->task_on = 1;
	if (!export || api_export_run(&ctx->task) == -1)
		kore_task_run(&ctx->task);

	return (API_WAIT);
}

/*
 * Run fn(ctx->priv) on one of Kore's task threads and continue with next
 * once it is done.  fn must touch nothing but priv: no Kore, no database.
 */
int
api_offload(struct api_ctx *ctx, int (*fn)(void *), api_step next)
{
	return (api_offload_at(ctx, fn, next, 0));
}

/* The same for an export: on the worker's export thread, one at a time. */
int
api_offload_export(struct api_ctx *ctx, int (*fn)(void *), api_step next)
{
	return (api_offload_at(ctx, fn, next, 1));
}

/*
 * One of a worker's bounded resources for this request (export slots,
 * streams, password checks), kept in *held: 1, or 0 when all max are
 * taken (answered: 503 busy, msg, and the seconds to wait, retry).  A
 * unit already held is kept; whatever way the request ends, its
 * priv_free gives it back (api_bound_give).
 */
int
api_bound_take(struct api_ctx *ctx, u_int32_t *running, u_int32_t max,
    int *held, const char *retry, const char *msg)
{
	if (*held)
		return (1);
	if (*running >= max) {
		http_response_header(ctx->req, "retry-after", retry);
		(void)api_error(ctx, 503, "busy", msg, NULL);
		return (0);
	}
	(*running)++;
	*held = 1;

	return (1);
}

/* A no-op for a unit not held. */
void
api_bound_give(u_int32_t *running, int *held)
{
	if (!*held)
		return;
	*held = 0;
	(*running)--;
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

	/* Half an answer already sent: the only way left to say so. */
	if (ctx->stream != NULL) {
		kore_log(LOG_NOTICE, "%s: %d %s after %zu bytes streamed",
		    ctx->req->path, status, code, api_stream_size(ctx));
		json_decref(details);
		return (api_stream_abort(ctx));
	}
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

/*
 * A query-string argument: 1 with its value in buf, 0 when absent, -1
 * when it is there but unusable (too long for buf, a bad %-escape, %00 or
 * another control, not UTF-8, or given twice).  Unusable is bad input, to
 * be answered (api_qs_error), never read as "no filter".
 */
int
api_qs_arg(struct api_ctx *ctx, const char *name, char *buf, size_t len)
{
	int		r, why;

	r = uri_qs_get(ctx->req->query_string, name, buf, len, &why);
	if (r == -1) {
		(void)snprintf(ctx->qs_name, sizeof(ctx->qs_name), "%s", name);
		ctx->qs_why = why;
	}

	return (r);
}

/*
 * 400 for the argument name: unusable as api_qs_arg found it, or well
 * formed but not one of the values it takes.  code is "bad_request" when
 * NULL; message says what the argument takes (a general text when NULL),
 * except for an argument given twice, which is told so.  details names
 * the argument and the problem (too_long, malformed, repeated,
 * not_allowed).
 */
int
api_qs_error(struct api_ctx *ctx, const char *name, const char *code,
    const char *message)
{
	const char	*problem, *fmt;
	char		text[256];

	if (ctx->qs_why != 0 && !strcmp(ctx->qs_name, name)) {
		problem = uri_problem(ctx->qs_why);
		if (ctx->qs_why == URI_REPEATED) {
			fmt = msg_vi("qs_repeated");
			message = NULL;
		} else if (ctx->qs_why == URI_TOO_LONG) {
			fmt = msg_vi("qs_too_long");
		} else {
			fmt = msg_vi("qs_malformed");
		}
	} else {
		problem = "not_allowed";
		fmt = msg_vi("qs_not_allowed");
	}
	if (message == NULL) {
		/* fmt comes from msg.c's table, with one %s for the name. */
		(void)snprintf(text, sizeof(text), fmt, name);
		message = text;
	}

	return (api_error(ctx, 400, code != NULL ? code : "bad_request",
	    message, json_pack("{s:s, s:s}", "argument", name, "problem",
	    problem)));
}

/*
 * An optional filter argument: its value in buf ("" when absent) and 1,
 * or 0 once a 400 is answered because it is unusable or valid() refuses
 * it (message then says what it takes).  Never "no filter" for a value
 * that is there.
 */
int
api_qs_filter(struct api_ctx *ctx, const char *name, char *buf, size_t len,
    int (*valid)(const char *), const char *message)
{
	switch (api_qs_arg(ctx, name, buf, len)) {
	case 0:
		return (1);
	case 1:
		if (valid(buf))
			return (1);
		break;
	}
	api_qs_error(ctx, name, NULL, message);

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
