/*
 * Filing: read, save and submit one unit's report for one form and period
 * at /api/v1/reports/{unit}/{period}/{form}.  The shape of what is sent is
 * checked by the form (form_validate), the content by the check engine
 * (check_run); both are pure and know nothing of HTTP.  Every route first
 * reads the report's context in one statement, which also enforces the
 * caller's scope and says which outline version the report is filed
 * under: it is read, checked, stored and shown by that version
 * (outline.c), whatever version is in force today.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "api.h"
#include "check.h"
#include "docs.h"
#include "form.h"
#include "msg.h"
#include "outline.h"
#include "period.h"
#include "reports.h"
#include "route.h"
#include "unitcsv.h"

#define RPT_BODY_MAX	(1024 * 1024)
#define RPT_VERSIONS	16	/* versions one report's context may need */

struct rpt {
	char			user[32];
	char			unit[CALLER_UNIT_MAX];
	char			period[PERIOD_CODE_MAX];
	char			formcode[FORM_CODE_MAX];
	const struct form	*form;		/* its version, once loaded */
	int			form_version;
	json_t			*ctx;		/* report_context row */
	json_t			*docs;		/* its signed copy, details */
	json_t			*checks;
	long long		version;	/* as read or as sent */
	char			late[8];
	char			verstr[24];
	char			*p_values, *p_stations, *p_lists, *p_comments;
	char			*p_checks;
	api_step		next;		/* after the context */
	int			seeded;
	char			seed[4096];
};

static int	rpt_begin(struct api_ctx *, api_step);
static int	rpt_read_context(struct api_ctx *);
static int	rpt_context_read(struct api_ctx *);
static int	rpt_got(struct api_ctx *);
static int	rpt_got_pdf(struct api_ctx *);
static int	rpt_put_ctx(struct api_ctx *);
static int	rpt_saved(struct api_ctx *);
static int	rpt_submit_ctx(struct api_ctx *);
static int	rpt_submitted(struct api_ctx *);
static int	rpt_listed(struct api_ctx *);
static json_t	*rpt_answer(struct rpt *);
static json_t	*ctx_stored(json_t *);
static json_t	*ctx_part(json_t *, const char *);
static void	ctx_unit(json_t *, struct form_unit *);
static void	ctx_unit_free(struct form_unit *);
static void	rpt_prefill(struct rpt *, json_t *);
static void	rpt_previous(struct rpt *, json_t *);
static const struct form	*ctx_version_form(const struct form *,
		    json_t *, const char *);
static int	rpt_not_started(struct api_ctx *);
static int	rpt_not_filing(struct api_ctx *, json_t *);

static void
rpt_free(void *p)
{
	struct rpt	*r = p;

	json_decref(r->ctx);
	json_decref(r->docs);
	json_decref(r->checks);
	free(r->p_values);
	free(r->p_stations);
	free(r->p_lists);
	free(r->p_comments);
	free(r->p_checks);
	kore_free(r);
}

/* Parse the path, then read the report's context; next gets it. */
static int
rpt_begin(struct api_ctx *ctx, api_step next)
{
	struct rpt	*r;

	r = kore_calloc(1, sizeof(*r));
	ctx->priv = r;
	ctx->priv_free = rpt_free;

	if (!outline_known(ctx->args[2]) ||
	    period_code_parse(ctx->args[1], NULL, NULL, NULL) == -1 ||
	    strlen(ctx->args[0]) >= sizeof(r->unit))
		return (api_error(ctx, 404, "not_found", NULL, NULL));

	(void)snprintf(r->user, sizeof(r->user), "%lld", ctx->who.user_id);
	(void)snprintf(r->unit, sizeof(r->unit), "%s", ctx->args[0]);
	(void)snprintf(r->period, sizeof(r->period), "%s", ctx->args[1]);
	(void)snprintf(r->formcode, sizeof(r->formcode), "%s", ctx->args[2]);

	r->next = next;

	return (rpt_read_context(ctx));
}

static int
rpt_read_context(struct api_ctx *ctx)
{
	struct rpt	*r = ctx->priv;
	const char	*params[4];

	params[0] = r->user;
	params[1] = r->unit;
	params[2] = r->period;
	params[3] = r->formcode;

	return (api_then(ctx, Q_REPORT_CONTEXT, 4, params, rpt_context_read));
}

/*
 * No row may mean that nobody has opened the calendar of that year yet:
 * store its default periods once and read again.  A row is kept with the
 * versions of the outline it needs (its own, those of its history and
 * months), which are loaded before next.
 */
static int
rpt_context_read(struct api_ctx *ctx)
{
	struct rpt	*r = ctx->priv;
	const char	*params[1];
	int		year, vs[RPT_VERSIONS];
	size_t		n;

	if (db_rows(&ctx->db) == 1) {
		r->ctx = json_loads(db_get(&ctx->db, 0, 0), 0, NULL);
		r->form_version = (int)db_get_ll(&ctx->db, 0, 1);
		if (r->ctx != NULL) {
			json_object_set_new(r->ctx, "form_version",
			    json_integer(r->form_version));
			json_object_set_new(r->ctx, "form_versions",
			    json_loads(db_get(&ctx->db, 0, 2), 0, NULL));
		}
		/* sql/015: {"signed", "document"}, beside the report. */
		if (!db_isnull(&ctx->db, 0, 3))
			r->docs = json_loads(db_get(&ctx->db, 0, 3), 0, NULL);
		db_clear(&ctx->db);
		n = reports_versions(r->ctx, vs, RPT_VERSIONS);
		return (outline_need(ctx, r->formcode, vs, n, r->next));
	}
	if (r->seeded)
		return (r->next(ctx));

	r->seeded = 1;
	if (period_code_parse(r->period, NULL, &year, NULL) == -1 ||
	    cal_seed_json(year, r->seed, sizeof(r->seed)) == -1)
		return (r->next(ctx));
	params[0] = r->seed;

	return (api_then(ctx, Q_PERIODS_SEED, 1, params, rpt_read_context));
}

/* 1 when the unit does not file this period's report (answered). */
static int
rpt_not_filing(struct api_ctx *ctx, json_t *unit)
{
	const char	*by;
	char		msg[512];

	if (!json_is_false(json_object_get(unit, "files")))
		return (0);
	by = json_string_value(json_object_get(json_object_get(unit,
	    "filed_by"), "name"));
	if (json_is_true(json_object_get(unit, "closed")) &&
	    ctx->req->method != HTTP_METHOD_GET)
		api_error(ctx, 409, "unit_closed", "Đơn vị không còn trong danh "
		    "mục vào cuối kỳ này: báo cáo đã nộp được giữ nguyên, chỉ "
		    "xem, không sửa hay nộp được.", NULL);
	else if (json_is_true(json_object_get(unit, "closed")))
		return (0);
	else if (by != NULL) {
		(void)snprintf(msg, sizeof(msg), "Kỳ này đơn vị không nộp báo "
		    "cáo riêng: %s báo cáo thay, có phụ lục số liệu từng trạm.",
		    by);
		api_error(ctx, 422, "station_report", msg, NULL);
	} else
		api_error(ctx, 422, "station_report", "Đơn vị không nộp báo "
		    "cáo định kỳ trong kỳ này.", NULL);

	return (1);
}

/* The context row read; 0 when there is none (404 sent). */
static int
rpt_context(struct api_ctx *ctx)
{
	struct rpt	*r = ctx->priv;

	if (r->ctx == NULL) {
		api_error(ctx, 404, "not_found", "Không có báo cáo này: đơn vị, "
		    "kỳ hoặc đề cương không đúng, hoặc ngoài phạm vi của "
		    "tài khoản.", NULL);
		return (0);
	}

	/*
	 * A unit files in a period when the registry of the period says so
	 * (sql/012): a station its centre files for is covered by the
	 * centre's report (its appendix); a closed unit's reports stay as
	 * filed, read only.
	 */
	if (rpt_not_filing(ctx, json_object_get(r->ctx, "unit")))
		return (0);

	r->version = json_integer_value(json_object_get(ctx_stored(r->ctx),
	    "version"));
	if ((r->form = outline_get(r->formcode, r->form_version)) == NULL) {
		api_error(ctx, 500, "internal", NULL, NULL);
		return (0);
	}

	return (1);
}

/*
 * Figures are filed for a window that has begun: a report of a period
 * still to come (2029-12 typed by mistake) is neither saved nor
 * submitted.  Returns 1 when it answered so.  The day is Việt Nam's, as
 * for deadlines; the stored calendar, which the office may edit, counts.
 */
static int
rpt_not_started(struct api_ctx *ctx)
{
	struct rpt	*r = ctx->priv;
	struct pdate	today, start;
	json_t		*p;
	const char	*s;
	char		msg[512], day[16];

	p = json_object_get(r->ctx, "period");
	s = json_string_value(json_object_get(p, "start"));
	if (s == NULL || period_date_parse(s, &start) == -1) {
		api_error(ctx, 500, "internal", NULL, NULL);
		return (1);
	}
	period_local_date(time(NULL), &today);
	if (period_date_cmp(&today, &start) >= 0)
		return (0);

	(void)snprintf(day, sizeof(day), "%02d/%02d/%04d", start.d, start.m,
	    start.y);
	(void)snprintf(msg, sizeof(msg), "%s Kỳ «%s» bắt đầu từ ngày %s; "
	    "hãy nhập và nộp từ ngày đó.", msg_vi("period_not_started"),
	    json_string_value(json_object_get(p, "name")), day);
	api_error(ctx, 409, "period_not_started", msg, json_pack("{s:s}",
	    "start", s));

	return (1);
}

/*
 * The unit of a report context as the core sees it.  The station list
 * is allocated: release it with ctx_unit_free.
 */
static void
ctx_unit(json_t *ctx, struct form_unit *fu)
{
	json_t		*u, *st;
	const char	**codes;
	size_t		i, n;

	u = json_object_get(ctx, "unit");
	memset(fu, 0, sizeof(*fu));
	fu->code = json_string_value(json_object_get(u, "code"));
	fu->kind = json_string_value(json_object_get(u, "kind"));
	fu->gksklx = json_is_true(json_object_get(u, "gksklx"));
	fu->hospital = json_is_true(json_object_get(u, "hospital"));
	fu->cdc = json_is_true(json_object_get(u, "cdc"));

	st = json_object_get(u, "stations");
	n = json_array_size(st);
	if ((codes = calloc(n + 1, sizeof(*codes))) == NULL)
		return;
	for (i = 0; i < n; i++) {
		codes[i] = json_string_value(json_object_get(
		    json_array_get(st, i), "code"));
	}
	fu->stations = codes;
	fu->nstations = n;
}

static void
ctx_unit_free(struct form_unit *fu)
{
	free(fu->stations);
	fu->stations = NULL;
}

/* The stored report of a context, NULL when never saved. */
static json_t *
ctx_stored(json_t *ctx)
{
	json_t		*rep;

	rep = json_object_get(ctx, "report");

	return (json_is_object(rep) ? rep : NULL);
}

/*
 * The outline version of the unit's report of another period, as the
 * context says (form_versions, set from report_context), loaded by then;
 * f when there is none.
 */
static const struct form *
ctx_version_form(const struct form *f, json_t *ctx, const char *period)
{
	const struct form	*g;
	json_t			*v;

	v = json_object_get(json_object_get(ctx, "form_versions"),
	    period != NULL ? period : "");
	if (!json_is_integer(v) ||
	    (g = outline_get(f->code, (int)json_integer_value(v))) == NULL)
		return (f);

	return (g);
}

/* The versions a context needs: the report's and its other reports'. */
size_t
reports_versions(json_t *ctx, int *vs, size_t max)
{
	size_t		n;

	if (max == 0 || ctx == NULL)
		return (0);
	n = outline_version_add(vs, 0, max, (int)json_integer_value(
	    json_object_get(ctx, "form_version")));

	return (outline_versions_of(json_object_get(ctx, "form_versions"), vs,
	    n, max));
}

/* A stored part of the report, or a new empty object. */
static json_t *
ctx_part(json_t *ctx, const char *key)
{
	json_t		*v;

	v = json_object_get(ctx_stored(ctx), key);
	if (v == NULL || json_is_null(v))
		return (json_object());

	return (json_deep_copy(v));
}

/*
 * The checks of a report as it would be stored: derived values filled
 * in, and the unit's earlier reports for the warnings.
 */
json_t *
reports_checks(const struct form *f, json_t *ctx, json_t *values,
    json_t *stations, json_t *lists, json_t *comments)
{
	struct form_unit	fu;
	struct form_window	w;
	json_t			*hist, *p;
	size_t			i;

	ctx_unit(ctx, &fu);
	p = json_object_get(ctx, "period");
	w.start = json_string_value(json_object_get(p, "start"));
	w.end = json_string_value(json_object_get(p, "end"));

	/* Each earlier report's rates as its own version defines them. */
	hist = json_deep_copy(json_object_get(ctx, "previous"));
	for (i = 0; i < json_array_size(hist); i++) {
		p = json_array_get(hist, i);
		form_derive(ctx_version_form(f, ctx, json_string_value(
		    json_object_get(p, "period"))), json_object_get(p,
		    "values"), NULL);
	}
	form_derive(f, values, stations);

	p = check_run(f, &fu, &w, values, stations, lists, comments, hist);
	json_decref(hist);
	ctx_unit_free(&fu);

	return (p);
}

/* The checks of the report stored in a context, as they stand today. */
json_t *
reports_stored_checks(const struct form *f, json_t *ctx)
{
	json_t		*values, *stations, *lists, *comments, *res;

	values = ctx_part(ctx, "values");
	stations = ctx_part(ctx, "stations");
	lists = ctx_part(ctx, "lists");
	comments = ctx_part(ctx, "comments");
	res = reports_checks(f, ctx, values, stations, lists, comments);
	json_decref(values);
	json_decref(stations);
	json_decref(lists);
	json_decref(comments);

	return (res);
}

/* The report as the API shows it, from the context just read. */
static json_t *
rpt_answer(struct rpt *r)
{
	struct form_unit	fu;
	json_t			*rep, *o, *values, *stations, *lists;
	json_t			*comments, *applies;
	size_t			i;

	rep = ctx_stored(r->ctx);
	values = ctx_part(r->ctx, "values");
	stations = ctx_part(r->ctx, "stations");
	lists = ctx_part(r->ctx, "lists");
	comments = ctx_part(r->ctx, "comments");
	json_decref(r->checks);
	r->checks = reports_checks(r->form, r->ctx, values, stations, lists,
	    comments);

	ctx_unit(r->ctx, &fu);
	applies = json_array();
	for (i = 0; i < r->form->nitems; i++) {
		if (form_item_applies(r->form, (int)i, &fu))
			json_array_append_new(applies,
			    json_string(r->form->items[i].code));
	}
	for (i = 0; i < r->form->nlists; i++) {
		if (form_list_applies(r->form, (int)i, &fu))
			json_array_append_new(applies,
			    json_string(r->form->lists[i].code));
	}
	ctx_unit_free(&fu);

	o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:b, s:o, s:o, s:o, s:O, "
	    "s:o, s:o, s:o, s:O, s:O, s:i, s:s}",
	    "unit", r->unit, "period", r->period, "form", r->form->code,
	    "status", rep ? json_string_value(json_object_get(rep, "status")) :
	    "draft",
	    "version", (json_int_t)r->version,
	    "late", rep ? json_is_true(json_object_get(rep, "late")) : 0,
	    "values", values, "stations", stations, "lists", lists,
	    "checks", r->checks, "comments", comments,
	    "history", rep ? json_deep_copy(json_object_get(rep, "history")) :
	    json_array(),
	    "applicable", applies,
	    "unit_info", json_object_get(r->ctx, "unit"),
	    "period_info", json_object_get(r->ctx, "period"),
	    "form_version", r->form_version,
	    "form_first_period", outline_first_period(r->formcode,
	    r->form_version));
	json_object_set(o, "submitted_at", rep ?
	    json_object_get(rep, "submitted_at") : json_null());
	json_object_set(o, "remarks", rep && json_object_get(rep, "remarks") ?
	    json_object_get(rep, "remarks") : json_null());
	json_object_set(o, "signed", json_object_get(r->docs, "signed") ?
	    json_object_get(r->docs, "signed") : json_null());
	json_object_set(o, "document", json_object_get(r->docs, "document") ?
	    json_object_get(r->docs, "document") : json_null());
	rpt_prefill(r, o);
	rpt_previous(r, o);

	return (o);
}

/*
 * The unit's latest earlier report of the same kind, for the page to
 * show beside each item: its figures as its own version derives them,
 * and "absent", the items of this report's version that its version
 * did not have (not 0: not asked then).
 */
static void
rpt_previous(struct rpt *r, json_t *o)
{
	const struct form	*pf;
	json_t			*prev, *values, *fv;
	const char		*period;

	prev = json_array_get(json_object_get(r->ctx, "previous"), 0);
	if ((period = json_string_value(json_object_get(prev,
	    "period"))) == NULL) {
		json_object_set_new(o, "previous", json_null());
		return;
	}
	pf = ctx_version_form(r->form, r->ctx, period);
	values = json_deep_copy(json_object_get(prev, "values"));
	if (!json_is_object(values)) {
		json_decref(values);
		values = json_object();
	}
	form_derive(pf, values, NULL);
	fv = json_object_get(json_object_get(r->ctx, "form_versions"), period);
	json_object_set_new(o, "previous", json_pack("{s:s, s:o, s:o, s:o}",
	    "period", period, "form_version", fv ? json_incref(fv) :
	    json_null(), "values", values, "absent", form_absent(r->form, pf)));
}

/* The codes of more not yet in into, once each; more is released. */
static void
rpt_absent_add(json_t *into, json_t *more)
{
	json_t		*c, *d;
	size_t		i, j;

	json_array_foreach(more, i, c) {
		json_array_foreach(into, j, d) {
			if (json_equal(c, d))
				break;
		}
		if (j == json_array_size(into))
			json_array_append(into, c);
	}
	json_decref(more);
}

/*
 * A six-month Phụ lục 1 is offered pre-filled from the monthly reports
 * filed inside its window; the page lets the unit take and edit it.
 * Items a month's version lacks are "absent" and not offered: their sum
 * would leave that month out.
 */
static void
rpt_prefill(struct rpt *r, json_t *o)
{
	json_t		*months, *agg, *from, *m, *absent, *row;
	const char	*code;
	size_t		i;

	months = json_object_get(r->ctx, "months");
	if (json_array_size(months) == 0)
		return;

	agg = form_aggregate(r->form, months);
	form_derive(r->form, json_object_get(agg, "values"),
	    json_object_get(agg, "stations"));
	from = json_array();
	absent = json_array();
	json_array_foreach(months, i, m) {
		json_array_append(from, json_object_get(m, "period"));
		rpt_absent_add(absent, form_absent(r->form, ctx_version_form(
		    r->form, r->ctx, json_string_value(json_object_get(m,
		    "period")))));
	}
	/* A sum over months some of which did not ask is no figure. */
	json_array_foreach(absent, i, m) {
		(void)json_object_del(json_object_get(agg, "values"),
		    json_string_value(m));
		json_object_foreach(json_object_get(agg, "stations"), code,
		    row)
			(void)json_object_del(row, json_string_value(m));
	}
	json_object_set_new(agg, "from", from);
	json_object_set_new(agg, "absent", absent);
	json_object_set_new(o, "prefill", agg);
}

/* GET .../{form} answers the report, .../{form}.pdf its document. */
int
report_get(struct api_ctx *ctx)
{
	char		*dot;

	if ((dot = strchr(ctx->args[2], '.')) != NULL) {
		if (strcmp(dot, ".pdf"))
			return (api_error(ctx, 404, "not_found", NULL, NULL));
		*dot = '\0';
		return (rpt_begin(ctx, rpt_got_pdf));
	}

	return (rpt_begin(ctx, rpt_got));
}

static int
rpt_got_pdf(struct api_ctx *ctx)
{
	struct rpt	*r = ctx->priv;
	json_t		*o;

	if (!rpt_context(ctx))
		return (API_DONE);
	if ((o = rpt_answer(r)) == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));

	return (docs_report_pdf(ctx, r->form, o));
}

static int
rpt_got(struct api_ctx *ctx)
{
	json_t		*o;

	if (!rpt_context(ctx))
		return (API_DONE);
	/* NULL only when memory ran out: api_json answers 500 then. */
	o = rpt_answer(ctx->priv);

	return (api_json(ctx, 200, o));
}

/*
 * PUT: the body is checked before the context is read, so a malformed
 * one costs no statement.
 */
int
report_put(struct api_ctx *ctx)
{
	json_t		*v, *details;

	if (!api_body_json(ctx, RPT_BODY_MAX))
		return (API_DONE);

	v = json_object_get(ctx->body, "version");
	if (v == NULL || !json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 2147483647)
		return (api_error(ctx, 400, "bad_request", "Thiếu số phiên "
		    "bản (version) đã đọc, hoặc không phải số nguyên ≥ 0.",
		    NULL));
	/* Not a report's shape: malformed, whatever the unit or form. */
	if (form_shape(ctx->body, &details) != 0)
		return (api_error(ctx, 400, "bad_shape", NULL, details));

	return (rpt_begin(ctx, rpt_put_ctx));
}

static char *
rpt_dump(json_t *body, const char *key)
{
	json_t		*v;

	if ((v = json_object_get(body, key)) == NULL)
		return (NULL);

	return (json_dumps(v, JSON_COMPACT));
}

static int
rpt_put_ctx(struct api_ctx *ctx)
{
	struct rpt		*r = ctx->priv;
	struct form_unit	fu;
	json_t			*details, *values, *stations, *lists, *comments;
	const char		*params[10];
	int			rc;

	if (!rpt_context(ctx) || rpt_not_started(ctx))
		return (API_DONE);

	ctx_unit(r->ctx, &fu);
	details = NULL;
	rc = form_validate(r->form, &fu, ctx->body, &details);
	ctx_unit_free(&fu);
	if (rc == FORM_BAD_SHAPE)
		return (api_error(ctx, 400, "bad_shape", NULL, details));
	if (rc != 0)
		return (api_error(ctx, 422, "invalid_values", "Có giá trị không "
		    "hợp lệ; báo cáo chưa được lưu. Sửa các mục được nêu.",
		    details));

	/* What will be stored: the parts sent, the rest as stored. */
#define RPT_MERGE(var, key)						\
	var = json_object_get(ctx->body, key) ?				\
	    json_deep_copy(json_object_get(ctx->body, key)) : ctx_part(r->ctx, key)
	RPT_MERGE(values, "values");
	RPT_MERGE(stations, "stations");
	RPT_MERGE(lists, "lists");
	RPT_MERGE(comments, "comments");
#undef RPT_MERGE
	r->checks = reports_checks(r->form, r->ctx, values, stations, lists,
	    comments);
	json_decref(values);
	json_decref(stations);
	json_decref(lists);
	json_decref(comments);
	if (r->checks == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));

	r->p_values = rpt_dump(ctx->body, "values");
	r->p_stations = rpt_dump(ctx->body, "stations");
	r->p_lists = rpt_dump(ctx->body, "lists");
	r->p_comments = rpt_dump(ctx->body, "comments");
	r->p_checks = json_dumps(r->checks, JSON_COMPACT);
	(void)snprintf(r->verstr, sizeof(r->verstr), "%lld",
	    (long long)json_integer_value(json_object_get(ctx->body,
	    "version")));

	params[0] = r->user;
	params[1] = r->unit;
	params[2] = r->period;
	params[3] = r->form->code;
	params[4] = r->verstr;
	params[5] = r->p_values;
	params[6] = r->p_stations;
	params[7] = r->p_lists;
	params[8] = r->p_comments;
	params[9] = r->p_checks;

	return (api_then(ctx, Q_REPORT_SAVE, 10, params, rpt_saved));
}

/* The outcome of report_save/report_submit: "ok" or a 404/409 answer. */
static int
rpt_outcome(struct api_ctx *ctx, json_t **out)
{
	json_t		*o;
	const char	*res;

	*out = NULL;
	if ((o = json_loads(db_get(&ctx->db, 0, 0), 0, NULL)) == NULL) {
		api_error(ctx, 500, "internal", NULL, NULL);
		return (0);
	}
	res = json_string_value(json_object_get(o, "result"));

	if (!strcmp(res, "ok")) {
		*out = o;
		return (1);
	}
	/*
	 * Not "what you typed was lost": a save whose answer never arrived
	 * is stored, and its retry lands here with the version it read.
	 */
	if (!strcmp(res, "stale"))
		api_error(ctx, 409, "stale", NULL, json_pack("{s:O}",
		    "version", json_object_get(o, "version")));
	else if (!strcmp(res, "locked"))
		api_error(ctx, 409, "not_editable", "Báo cáo đã nộp hoặc đã "
		    "được duyệt nên không sửa được; chỉ sửa khi Văn phòng Sở "
		    "trả lại.", json_pack("{s:O}", "status",
		    json_object_get(o, "status")));
	else if (!strcmp(res, "empty"))
		api_error(ctx, 422, "empty_report", "Báo cáo chưa có số liệu "
		    "nào; hãy nhập và lưu trước khi nộp.", NULL);
	else
		api_error(ctx, 404, "not_found", NULL, NULL);
	json_decref(o);

	return (0);
}

/*
 * Answer with the report as stored: report_save hands it back, and the
 * rest of the context (unit, period, earlier reports) has not changed.
 */
static int
rpt_saved(struct api_ctx *ctx)
{
	struct rpt	*r = ctx->priv;
	json_t		*o, *stored;

	if (!rpt_outcome(ctx, &o))
		return (API_DONE);
	stored = json_object_get(o, "report");
	if (!json_is_object(stored)) {
		json_decref(o);
		return (api_error(ctx, 500, "internal", NULL, NULL));
	}
	json_object_set(r->ctx, "report", stored);
	json_decref(o);
	r->version = json_integer_value(json_object_get(stored, "version"));

	return (api_json(ctx, 200, rpt_answer(r)));
}

int
report_submit(struct api_ctx *ctx)
{
	return (rpt_begin(ctx, rpt_submit_ctx));
}

static int
rpt_submit_ctx(struct api_ctx *ctx)
{
	struct rpt	*r = ctx->priv;
	struct pdate	deadline;
	const char	*params[7];

	if (!rpt_context(ctx) || rpt_not_started(ctx))
		return (API_DONE);

	r->checks = reports_stored_checks(r->form, r->ctx);
	if (check_blocking(r->checks))
		return (api_error(ctx, 422, "checks_failed", "Báo cáo chưa "
		    "nộp được: sửa các lỗi, và ghi giải trình cho các cảnh "
		    "báo, rồi nộp lại.", json_incref(r->checks)));

	if (period_date_parse(json_string_value(json_object_get(
	    json_object_get(r->ctx, "period"), "deadline")), &deadline) == -1)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	(void)snprintf(r->late, sizeof(r->late), "%s",
	    period_is_late(&deadline, time(NULL)) ? "true" : "false");
	(void)snprintf(r->verstr, sizeof(r->verstr), "%lld", r->version);
	r->p_checks = json_dumps(r->checks, JSON_COMPACT);

	params[0] = r->user;
	params[1] = r->unit;
	params[2] = r->period;
	params[3] = r->form->code;
	params[4] = r->verstr;
	params[5] = r->late;
	params[6] = r->p_checks;

	return (api_then(ctx, Q_REPORT_SUBMIT, 7, params, rpt_submitted));
}

static int
rpt_submitted(struct api_ctx *ctx)
{
	json_t		*o;

	if (!rpt_outcome(ctx, &o))
		return (API_DONE);

	return (api_json(ctx, 200, json_pack("{s:s, s:O, s:O}",
	    "status", "submitted", "late", json_object_get(o, "late"),
	    "version", json_object_get(o, "version"))));
}

/* The values the filters of GET /api/v1/reports take. */
static int
rpt_period_ok(const char *v)
{
	return (period_code_parse(v, NULL, NULL, NULL) == 0);
}

static int
rpt_form_ok(const char *v)
{
	return (outline_known(v));
}

static int
rpt_status_ok(const char *v)
{
	static const char *const statuses[] = { "draft", "submitted",
	    "returned", "accepted" };
	size_t		i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		if (!strcmp(v, statuses[i]))
			return (1);
	}

	return (0);
}

static int
rpt_unit_ok(const char *v)
{
	return (unitcsv_init() == 0 && unitcsv_code_valid(v));
}

/* GET /api/v1/reports?period=&form=&status=&unit= */
int
reports_list(struct api_ctx *ctx)
{
	struct rpt	*r;
	const char	*params[5];
	char		period[PERIOD_CODE_MAX], form[FORM_CODE_MAX];
	char		status[16], unit[CALLER_UNIT_MAX];

	r = kore_calloc(1, sizeof(*r));
	ctx->priv = r;
	ctx->priv_free = rpt_free;
	(void)snprintf(r->user, sizeof(r->user), "%lld", ctx->who.user_id);

	if (!api_qs_filter(ctx, "period", period, sizeof(period),
	    rpt_period_ok, msg_vi("bad_period")) ||
	    !api_qs_filter(ctx, "form", form, sizeof(form), rpt_form_ok,
	    msg_vi("bad_form")) ||
	    !api_qs_filter(ctx, "status", status, sizeof(status),
	    rpt_status_ok, msg_vi("bad_status")) ||
	    !api_qs_filter(ctx, "unit", unit, sizeof(unit), rpt_unit_ok,
	    msg_vi("bad_unit_code")))
		return (API_DONE);

	params[0] = r->user;
	params[1] = period;
	params[2] = form;
	params[3] = status;
	params[4] = unit;

	return (api_then(ctx, Q_REPORTS_LIST, 5, params, rpt_listed));
}

static int
rpt_listed(struct api_ctx *ctx)
{
	return (api_raw(ctx, 200, db_get(&ctx->db, 0, 0)));
}
