/*
 * The office's review: the queue of a period, returning a report with
 * reasons, accepting it (which locks it), reopening an accepted one, the
 * bulk decisions, and completeness.  The rules about which state may go
 * where live in report_review() and review_bulk() (sql/006_review.sql);
 * this file checks what is sent and answers.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "api.h"
#include "check.h"
#include "form.h"
#include "msg.h"
#include "outline.h"
#include "period.h"
#include "reports.h"
#include "route.h"
#include "unitcsv.h"

#define REVIEW_BODY_MAX		(256 * 1024)
#define REVIEW_REASON_MAX	2000
#define REVIEW_REMARK_MAX	1000

struct review {
	char		user[32];
	char		unit[CALLER_UNIT_MAX];
	char		period[PERIOD_CODE_MAX];
	char		form[FORM_CODE_MAX];
	const char	*action;
	char		day[16];	/* the period's last day */
	char		filter[3][33];	/* review: district, kind, status */
	char		*note;
	char		*detail;
	json_t		*items;		/* a return's remarks, to check */
	json_t		*rows;		/* bulk: the submitted reports */
};

static int	review_done(struct api_ctx *);
static int	review_raw(struct api_ctx *);
static int	review_bulk_done(struct api_ctx *);
static int	review_bulk_checked(struct api_ctx *);
static int	review_bulk_decide(void *);
static int	review_bulk_send(struct api_ctx *);
static int	review_bulk_offload(struct api_ctx *);
static int	review_remarks(struct api_ctx *);
static int	review_send(struct api_ctx *, struct review *);
static int	review_day(struct api_ctx *, api_step);
static int	review_list_day(struct api_ctx *);
static int	completeness_day(struct api_ctx *);

static void
review_free(void *p)
{
	struct review	*rv = p;

	free(rv->note);
	free(rv->detail);
	json_decref(rv->items);
	json_decref(rv->rows);
	kore_free(rv);
}

static struct review *
review_new(struct api_ctx *ctx)
{
	struct review	*rv;

	rv = kore_calloc(1, sizeof(*rv));
	(void)snprintf(rv->user, sizeof(rv->user), "%lld", ctx->who.user_id);
	ctx->priv = rv;
	ctx->priv_free = review_free;

	return (rv);
}

/* Non-blank text of at most max characters (code points). */
static int
review_text_ok(const char *s, size_t max)
{
	size_t		n;
	int		blank;

	blank = 1;
	for (n = 0; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
		if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r')
			blank = 0;
	}

	return (!blank && n <= max);
}

/*
 * The per-item remarks of a return: an object of item or list code to a
 * short text.  NULL when fine, else what is wrong.
 */
static const char *
review_remarks_check(const struct form *f, json_t *items)
{
	const char	*code;
	json_t		*v;

	/* Absent or null; another shape was refused by review_shape. */
	if (!json_is_object(items))
		return (NULL);

	json_object_foreach(items, code, v) {
		if (form_item_index(f, code) == -1 &&
		    form_list_index(f, code) == -1)
			return ("Nhận xét gắn với một mục không có trong đề "
			    "cương.");
		if (!json_is_string(v) ||
		    !review_text_ok(json_string_value(v), REVIEW_REMARK_MAX))
			return ("Mỗi nhận xét là một đoạn chữ, không để trống, "
			    "tối đa 1000 ký tự.");
	}

	return (NULL);
}

/*
 * The shape of a return's or reopen's body: reason, when there, is text
 * and items an object.  NULL when fine, else the details of a 400.
 */
static json_t *
review_shape(json_t *reason, json_t *items)
{
	json_t		*d;

	d = json_array();
	if (reason != NULL && !json_is_null(reason) && !json_is_string(reason))
		json_array_append_new(d, json_pack("{s:s, s:s}", "part",
		    "reason", "message", "«reason» phải là một đoạn chữ: lý "
		    "do trả lại hoặc mở lại báo cáo."));
	if (items != NULL && !json_is_null(items) && !json_is_object(items))
		json_array_append_new(d, json_pack("{s:s, s:s}", "part",
		    "items", "message", "«items» phải là một đối tượng JSON: "
		    "mã mục → nhận xét."));
	if (json_array_size(d) == 0) {
		json_decref(d);
		return (NULL);
	}

	return (d);
}

/*
 * Path and body of return/accept/reopen; 0 when answered already.  The
 * remarks are kept in rv->items, checked against the report's outline
 * version by review_remarks.
 */
static int
review_parse(struct api_ctx *ctx, struct review *rv, int needs_reason)
{
	json_t		*reason, *items, *detail, *shape;

	if (!outline_known(ctx->args[2]) ||
	    period_code_parse(ctx->args[1], NULL, NULL, NULL) == -1 ||
	    strlen(ctx->args[0]) >= sizeof(rv->unit)) {
		api_error(ctx, 404, "not_found", NULL, NULL);
		return (0);
	}
	(void)snprintf(rv->unit, sizeof(rv->unit), "%s", ctx->args[0]);
	(void)snprintf(rv->period, sizeof(rv->period), "%s", ctx->args[1]);
	(void)snprintf(rv->form, sizeof(rv->form), "%s", ctx->args[2]);
	if (!needs_reason)
		return (1);

	if (!api_body_json(ctx, REVIEW_BODY_MAX))
		return (0);
	reason = json_object_get(ctx->body, "reason");
	items = json_object_get(ctx->body, "items");
	if ((shape = review_shape(reason, items)) != NULL) {
		api_error(ctx, 400, "bad_shape", NULL, shape);
		return (0);
	}
	if (!json_is_string(reason) ||
	    !review_text_ok(json_string_value(reason), REVIEW_REASON_MAX)) {
		api_error(ctx, 422, "reason_required", "Cần ghi lý do (không "
		    "để trống, tối đa 2000 ký tự) để đơn vị biết phải sửa "
		    "gì.", NULL);
		return (0);
	}
	if (json_is_object(items) && json_object_size(items) > 0)
		rv->items = json_incref(items);

	rv->note = strdup(json_string_value(reason));
	detail = json_object();
	if (json_is_object(items))
		json_object_set(detail, "items", items);
	rv->detail = json_dumps(detail, JSON_COMPACT);
	json_decref(detail);

	return (1);
}

/*
 * Remarks name items of the outline the report was filed under: the
 * version in force in its period, since every report of a period is
 * filed under that one (sql/013).
 */
static int
review_check_send(struct api_ctx *ctx, struct review *rv)
{
	if (rv->items == NULL)
		return (review_send(ctx, rv));

	return (outline_at(ctx, rv->form, rv->period, review_remarks));
}

static int
review_remarks(struct api_ctx *ctx)
{
	struct review		*rv = ctx->priv;
	const struct form	*f;
	const char		*why;

	if ((f = outline_get(rv->form, ctx->outline_version)) == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	if ((why = review_remarks_check(f, rv->items)) != NULL)
		return (api_error(ctx, 422, "bad_remarks", why, NULL));

	return (review_send(ctx, rv));
}

static int
review_send(struct api_ctx *ctx, struct review *rv)
{
	const char	*params[7];

	params[0] = rv->user;
	params[1] = rv->unit;
	params[2] = rv->period;
	params[3] = rv->form;
	params[4] = rv->action;
	params[5] = rv->note;
	params[6] = rv->detail;

	return (api_then(ctx, Q_REVIEW_ACTION, 7, params, review_done));
}

int
review_return(struct api_ctx *ctx)
{
	struct review	*rv;

	rv = review_new(ctx);
	rv->action = "return";
	if (!review_parse(ctx, rv, 1))
		return (API_DONE);

	return (review_check_send(ctx, rv));
}

int
review_accept(struct api_ctx *ctx)
{
	struct review	*rv;

	rv = review_new(ctx);
	rv->action = "accept";
	if (!review_parse(ctx, rv, 0))
		return (API_DONE);

	return (review_send(ctx, rv));
}

int
review_reopen(struct api_ctx *ctx)
{
	struct review	*rv;

	rv = review_new(ctx);
	rv->action = "reopen";
	if (!review_parse(ctx, rv, 1))
		return (API_DONE);

	return (review_check_send(ctx, rv));
}

static int
review_done(struct api_ctx *ctx)
{
	json_t		*o;
	const char	*res;

	if (db_rows(&ctx->db) != 1 ||
	    (o = json_loads(db_get(&ctx->db, 0, 0), 0, NULL)) == NULL)
		return (api_error(ctx, 404, "not_found", NULL, NULL));

	res = json_string_value(json_object_get(o, "result"));
	if (res != NULL && !strcmp(res, "ok")) {
		json_object_del(o, "result");
		return (api_json(ctx, 200, o));
	}
	if (res != NULL && !strcmp(res, "wrong_state")) {
		json_object_del(o, "result");
		return (api_error(ctx, 409, "wrong_state", "Báo cáo không ở "
		    "trạng thái cho phép thao tác này: chỉ trả lại hoặc duyệt "
		    "báo cáo đã nộp, chỉ mở lại báo cáo đã duyệt.", o));
	}
	json_decref(o);

	return (api_error(ctx, 404, "not_found", "Không có báo cáo này (đơn "
	    "vị chưa lưu báo cáo, hoặc ngoài phạm vi).", NULL));
}

/*
 * POST /api/v1/review/{period}/{form}/{return-failing|accept-clean}: the
 * checks of every submitted report run again as things stand today (the
 * registry or the unit's history may have changed since it was filed);
 * those that fail are returned with the checks' messages as reasons, or
 * those that pass are accepted.
 */
int
review_bulk(struct api_ctx *ctx)
{
	struct review	*rv;
	const char	*params[3];

	rv = review_new(ctx);
	if (!outline_known(ctx->args[1]) ||
	    period_code_parse(ctx->args[0], NULL, NULL, NULL) == -1)
		return (api_error(ctx, 404, "not_found", NULL, NULL));
	if (!strcmp(ctx->args[2], "return-failing"))
		rv->action = "return";
	else if (!strcmp(ctx->args[2], "accept-clean"))
		rv->action = "accept";
	else
		return (api_error(ctx, 404, "not_found", NULL, NULL));
	(void)snprintf(rv->period, sizeof(rv->period), "%s", ctx->args[0]);
	(void)snprintf(rv->form, sizeof(rv->form), "%s", ctx->args[1]);

	params[0] = rv->user;
	params[1] = rv->period;
	params[2] = rv->form;

	return (api_then(ctx, Q_REVIEW_SUBMITTED, 3, params,
	    review_bulk_checked));
}

/*
 * The reason and per-item remarks of a return, from blocking checks.
 * Runs on a task thread: plain libc and jansson, no Kore allocator.
 */
static json_t *
review_reasons(json_t *checks, json_int_t version, const char *unit)
{
	FILE		*fp;
	char		*reason;
	size_t		i, j, len;
	json_t		*c, *items, *it, *o;
	int		err, first;

	reason = NULL;
	len = 0;
	if ((fp = open_memstream(&reason, &len)) == NULL)
		return (NULL);
	items = json_object();
	first = 1;
	json_array_foreach(checks, i, c) {
		err = !strcmp(json_string_value(json_object_get(c,
		    "severity")), "error");
		if (!err && json_is_true(json_object_get(c, "answered")))
			continue;
		fprintf(fp, "%s%s", first ? "" : "\n",
		    json_string_value(json_object_get(c, "message")));
		first = 0;
		json_array_foreach(json_object_get(c, "items"), j, it) {
			if (json_is_string(it) &&
			    json_object_get(items, json_string_value(it)) == NULL)
				json_object_set(items, json_string_value(it),
				    json_object_get(c, "message"));
		}
	}
	fclose(fp);
	o = json_pack("{s:s, s:I, s:s, s:o}", "unit", unit, "version",
	    version, "reason", reason, "items", items);
	free(reason);

	return (o);
}

/*
 * The submitted reports as read, with the outline versions they were
 * filed under (and their history's) loaded, handed to a task thread:
 * running the checks of a whole province takes long enough to stall the
 * event loop.
 */
static int
review_bulk_checked(struct api_ctx *ctx)
{
	struct review	*rv = ctx->priv;
	json_t		*row, *vmap;
	int		i, n, vs[OUTLINE_VERSIONS_MAX];
	size_t		nv;

	n = db_rows(&ctx->db);
	nv = 0;
	rv->rows = json_array();
	for (i = 0; i < n; i++) {
		vmap = json_loads(db_get(&ctx->db, i, 4), 0, NULL);
		row = json_pack("{s:s, s:I, s:s, s:I, s:o}",
		    "unit", db_get(&ctx->db, i, 0),
		    "version", (json_int_t)db_get_ll(&ctx->db, i, 1),
		    "context", db_get(&ctx->db, i, 2),
		    "form_version", (json_int_t)db_get_ll(&ctx->db, i, 3),
		    "form_versions", vmap ? vmap : json_object());
		json_array_append_new(rv->rows, row);
		nv = outline_version_add(vs, nv, OUTLINE_VERSIONS_MAX,
		    (int)db_get_ll(&ctx->db, i, 3));
		nv = outline_versions_of(json_object_get(row,
		    "form_versions"), vs, nv, OUTLINE_VERSIONS_MAX);
	}
	db_clear(&ctx->db);

	return (outline_need(ctx, rv->form, vs, nv, review_bulk_offload));
}

static int
review_bulk_offload(struct api_ctx *ctx)
{
	return (api_offload(ctx, review_bulk_decide, review_bulk_send));
}

/* On a task thread: only rv is touched, and the pure core. */
static int
review_bulk_decide(void *arg)
{
	struct review		*rv = arg;
	const struct form	*f;
	json_t			*list, *row, *rc, *checks;
	const char		*unit;
	json_int_t		version;
	size_t			i;
	int			blocking;

	list = json_array();
	json_array_foreach(rv->rows, i, row) {
		unit = json_string_value(json_object_get(row, "unit"));
		version = json_integer_value(json_object_get(row, "version"));
		rc = json_loads(json_string_value(json_object_get(row,
		    "context")), 0, NULL);
		f = outline_get(rv->form, (int)json_integer_value(
		    json_object_get(row, "form_version")));
		if (rc == NULL || f == NULL) {
			json_decref(rc);
			continue;
		}
		/* By the version it was filed under, as the report reads. */
		json_object_set(rc, "form_version", json_object_get(row,
		    "form_version"));
		json_object_set(rc, "form_versions", json_object_get(row,
		    "form_versions"));
		checks = reports_stored_checks(f, rc);
		blocking = check_blocking(checks);
		if (blocking && !strcmp(rv->action, "return"))
			json_array_append_new(list, review_reasons(checks,
			    version, unit));
		else if (!blocking && !strcmp(rv->action, "accept"))
			json_array_append_new(list, json_pack("{s:s, s:I}",
			    "unit", unit, "version", version));
		json_decref(checks);
		json_decref(rc);
	}
	rv->detail = json_dumps(list, JSON_COMPACT);
	json_decref(list);

	return (0);
}

static int
review_bulk_send(struct api_ctx *ctx)
{
	struct review	*rv = ctx->priv;
	const char	*params[5];

	if (rv->detail == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));

	params[0] = rv->user;
	params[1] = rv->period;
	params[2] = rv->form;
	params[3] = rv->action;
	params[4] = rv->detail;

	return (api_then(ctx, Q_REVIEW_BULK, 5, params, review_bulk_done));
}

static int
review_bulk_done(struct api_ctx *ctx)
{
	json_t		*o;

	if ((o = json_loads(db_get(&ctx->db, 0, 0), 0, NULL)) == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	json_object_del(o, "result");

	return (api_json(ctx, 200, o));
}

/* The values the filters of the review queue take. */
static int
review_form_ok(const char *v)
{
	return (outline_known(v));
}

/* A district code as the districts table's CHECK has it. */
static int
review_district_ok(const char *v)
{
	size_t		n;

	n = strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

	return (n >= 2 && n <= 32 && v[n] == '\0');
}

static int
review_kind_ok(const char *v)
{
	const struct unit_kind	*k;
	size_t			i, n;

	k = unitcsv_kinds(&n);
	for (i = 0; i < n; i++) {
		if (!strcmp(v, k[i].code))
			return (1);
	}

	return (0);
}

static int
review_status_ok(const char *v)
{
	static const char *const statuses[] = { "not_started", "draft",
	    "submitted", "returned", "accepted" };
	size_t		i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		if (!strcmp(v, statuses[i]))
			return (1);
	}

	return (0);
}

/* GET /api/v1/review/{period}?form=&district=&kind=&status= */
int
review_list(struct api_ctx *ctx)
{
	struct review	*rv;
	char		form[FORM_CODE_MAX], district[33], kind[32];
	char		status[16];

	rv = review_new(ctx);
	if (period_code_parse(ctx->args[0], NULL, NULL, NULL) == -1)
		return (api_error(ctx, 404, "bad_period", NULL, NULL));
	if (!api_qs_filter(ctx, "form", form, sizeof(form), review_form_ok,
	    msg_vi("bad_form")) ||
	    !api_qs_filter(ctx, "district", district, sizeof(district),
	    review_district_ok, msg_vi("bad_district_code")) ||
	    !api_qs_filter(ctx, "kind", kind, sizeof(kind), review_kind_ok,
	    msg_vi("bad_kind")) ||
	    !api_qs_filter(ctx, "status", status, sizeof(status),
	    review_status_ok, msg_vi("bad_review_status")))
		return (API_DONE);
	if (form[0] == '\0')
		(void)snprintf(form, sizeof(form), "PL1");
	(void)snprintf(rv->form, sizeof(rv->form), "%s", form);
	(void)snprintf(rv->filter[0], sizeof(rv->filter[0]), "%s", district);
	(void)snprintf(rv->filter[1], sizeof(rv->filter[1]), "%s", kind);
	(void)snprintf(rv->filter[2], sizeof(rv->filter[2]), "%s", status);

	return (review_day(ctx, review_list_day));
}

/*
 * The period's last day first: the registry of that day decides who is
 * expected (sql/012), and it goes to the statement as a value.
 */
static int
review_day(struct api_ctx *ctx, api_step next)
{
	struct review	*rv = ctx->priv;
	const char	*params[2];

	(void)snprintf(rv->period, sizeof(rv->period), "%s", ctx->args[0]);
	params[0] = rv->period;
	params[1] = "";

	return (api_then(ctx, Q_PERIOD_DAY, 2, params, next));
}

/* 0 when the period is not in the calendar (answered). */
static int
review_got_day(struct api_ctx *ctx)
{
	struct review	*rv = ctx->priv;

	if (db_rows(&ctx->db) != 1) {
		api_error(ctx, 404, "not_found", "Không có kỳ báo cáo này trong "
		    "lịch.", NULL);
		return (0);
	}
	(void)snprintf(rv->day, sizeof(rv->day), "%s", db_get(&ctx->db, 0, 0));
	db_clear(&ctx->db);

	return (1);
}

static int
review_list_day(struct api_ctx *ctx)
{
	struct review	*rv = ctx->priv;
	const char	*params[7];

	if (!review_got_day(ctx))
		return (API_DONE);
	params[0] = rv->user;
	params[1] = rv->period;
	params[2] = rv->form;
	params[3] = rv->filter[0];
	params[4] = rv->filter[1];
	params[5] = rv->filter[2];
	params[6] = rv->day;

	return (api_then(ctx, Q_REVIEW_LIST, 7, params, review_raw));
}

static int
review_raw(struct api_ctx *ctx)
{
	if (db_rows(&ctx->db) != 1)
		return (api_error(ctx, 404, "not_found", "Không có kỳ báo cáo "
		    "này trong lịch.", NULL));

	return (api_raw(ctx, 200, db_get(&ctx->db, 0, 0)));
}

/* GET /api/v1/completeness/{period} */
int
completeness_get(struct api_ctx *ctx)
{
	(void)review_new(ctx);
	if (period_code_parse(ctx->args[0], NULL, NULL, NULL) == -1)
		return (api_error(ctx, 404, "bad_period", NULL, NULL));

	return (review_day(ctx, completeness_day));
}

static int
completeness_day(struct api_ctx *ctx)
{
	struct review	*rv = ctx->priv;
	const char	*params[3];

	if (!review_got_day(ctx))
		return (API_DONE);
	params[0] = rv->user;
	params[1] = rv->period;
	params[2] = rv->day;

	return (api_then(ctx, Q_COMPLETENESS, 3, params, review_raw));
}
