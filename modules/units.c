/*
 * The unit registry and focal points: listing within the caller's scope
 * as it is today or was on a day, the office's CSV import of what the
 * units are from an effective day (all rows or none, every problem of
 * the file reported at once; a dry run shows the differences and stores
 * nothing), and editing one focal point.  The registry's dated states
 * are sql/012's.
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
#include "csv.h"
#include "msg.h"
#include "period.h"
#include "route.h"
#include "unitcsv.h"

#define CONTACT_BODY_MAX	8192

struct units_priv {
	char			user[32];
	char			unit[UNIT_CODE_MAX + 1];
	char			day[16];	/* ?date= or the effective day */
	int			dry;		/* ?dry_run=1 */
	char			*json;
	struct contact		c;
	struct unitcsv_result	res;	/* the file read, while importing */
};

static int	units_listed(struct api_ctx *);
static int	units_imported(struct api_ctx *);
static int	units_import_failed(struct api_ctx *, json_t *);
static int	units_raw_done(struct api_ctx *);
static int	contact_done(struct api_ctx *);
static json_t	*units_rec_json(const struct unit_rec *);
static json_t	*units_issues_json(const struct unitcsv_result *);

static void
units_priv_free(void *p)
{
	struct units_priv	*u = p;

	free(u->json);
	unitcsv_free(&u->res);
	kore_free(u);
}

static struct units_priv *
units_priv(struct api_ctx *ctx)
{
	struct units_priv	*u;

	u = kore_calloc(1, sizeof(*u));
	(void)snprintf(u->user, sizeof(u->user), "%lld", ctx->who.user_id);
	ctx->priv = u;
	ctx->priv_free = units_priv_free;

	return (u);
}

/* Statements whose single row and column is the JSON answer. */
static int
units_raw_done(struct api_ctx *ctx)
{
	return (api_raw(ctx, 200, db_get(&ctx->db, 0, 0)));
}

/* GET /api/v1/units[?date=YYYY-MM-DD] */
int
units_list(struct api_ctx *ctx)
{
	struct units_priv	*u;
	const char		*params[2];

	u = units_priv(ctx);
	if (!api_qs_filter(ctx, "date", u->day, sizeof(u->day),
	    unitcsv_date_ok, msg_vi("bad_registry_date")))
		return (API_DONE);
	params[0] = u->user;
	params[1] = u->day;

	return (api_then(ctx, Q_UNITS_LIST, 2, params, units_listed));
}

/* A text column, or JSON null. */
static json_t *
units_col(struct api_ctx *ctx, int row, int col)
{
	if (db_isnull(&ctx->db, row, col))
		return (json_null());

	return (json_string(db_get(&ctx->db, row, col)));
}

/* A column holding a JSON array, or an empty one. */
static json_t *
units_col_json(struct api_ctx *ctx, int row, int col)
{
	json_t		*v;

	v = json_loads(db_get(&ctx->db, row, col), 0, NULL);
	if (!json_is_array(v)) {
		json_decref(v);
		return (json_array());
	}

	return (v);
}

static int
units_listed(struct api_ctx *ctx)
{
	const struct unit_kind	*k;
	json_t			*arr, *o;
	int			i;

	arr = json_array();
	for (i = 0; i < db_rows(&ctx->db); i++) {
		k = unitcsv_kind_find(db_get(&ctx->db, i, 2));
		o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, "
		    "s:b, s:b, s:b, s:b, s:b, s:s}",
		    "code", db_get(&ctx->db, i, 0),
		    "name", db_get(&ctx->db, i, 1),
		    "kind", db_get(&ctx->db, i, 2),
		    "kind_label", k ? k->label : db_get(&ctx->db, i, 2),
		    "is_public", db_get_bool(&ctx->db, i, 3),
		    "district", db_get(&ctx->db, i, 4),
		    "district_name", db_get(&ctx->db, i, 5),
		    "area", db_get(&ctx->db, i, 4),
		    "area_name", db_get(&ctx->db, i, 5),
		    "gksklx", db_get_bool(&ctx->db, i, 7),
		    "hospital", db_get_bool(&ctx->db, i, 8),
		    "cdc", db_get_bool(&ctx->db, i, 9),
		    "active", db_get_bool(&ctx->db, i, 10),
		    "files_self", db_get_bool(&ctx->db, i, 11),
		    "filed_by", db_get(&ctx->db, i, 12));
		json_object_set_new(o, "parent", units_col(ctx, i, 6));
		json_object_set_new(o, "valid_from", units_col(ctx, i, 13));
		json_object_set_new(o, "valid_to", units_col(ctx, i, 14));
		json_object_set_new(o, "successors", units_col_json(ctx, i, 15));
		json_object_set_new(o, "predecessors",
		    units_col_json(ctx, i, 16));
		json_array_append_new(arr, o);
	}

	return (api_json(ctx, 200, arr));
}

int
units_kinds(struct api_ctx *ctx)
{
	const struct unit_kind	*k;
	json_t			*arr;
	size_t			i, n;

	k = unitcsv_kinds(&n);
	arr = json_array();
	for (i = 0; i < n; i++) {
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}",
		    "code", k[i].code, "label", k[i].label,
		    "station", k[i].station));
	}

	return (api_json(ctx, 200, arr));
}

int
units_districts(struct api_ctx *ctx)
{
	return (api_then(ctx, Q_DISTRICTS_LIST, 0, NULL, units_raw_done));
}

static json_t *
units_rec_json(const struct unit_rec *r)
{
	json_t		*o, *preds;
	size_t		i;

	o = json_pack("{s:I, s:s, s:s, s:s, s:b, s:s, s:b, s:b, s:b, s:b, "
	    "s:b}",
	    "line", (json_int_t)r->line, "code", r->code, "name", r->name,
	    "kind", r->kind, "is_public", r->is_public,
	    "district", r->district, "gksklx", r->gksklx,
	    "hospital", r->hospital, "cdc", r->cdc,
	    "has_contact", r->has_contact, "closing", r->closing);
	json_object_set_new(o, "parent", r->parent[0] ?
	    json_string(r->parent) : json_null());
	json_object_set_new(o, "files_self", r->files_self == UNITCSV_KEEP ?
	    json_null() : json_boolean(r->files_self));
	preds = json_array();
	for (i = 0; i < r->npreds; i++)
		json_array_append_new(preds, json_string(r->preds[i]));
	json_object_set_new(o, "preds", preds);
	if (r->has_contact) {
		json_object_set_new(o, "contact_name",
		    json_string(r->contact.name));
		json_object_set_new(o, "contact_position",
		    json_string(r->contact.position));
		json_object_set_new(o, "contact_phone",
		    json_string(r->contact.phone));
		json_object_set_new(o, "contact_email",
		    json_string(r->contact.email));
	}

	return (o);
}

static json_t *
units_issues_json(const struct unitcsv_result *res)
{
	json_t		*arr;
	size_t		i;

	arr = json_array();
	for (i = 0; i < res->nissues; i++) {
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s}",
		    "line", (json_int_t)res->issues[i].line,
		    "column", res->issues[i].column,
		    "message", res->issues[i].message));
	}

	return (arr);
}

static int
units_import_refused(struct api_ctx *ctx, const struct unitcsv_result *res)
{
	return (api_error(ctx, 422, "import_failed", "Chưa nhập dòng nào: sửa "
	    "các lỗi sau trong file rồi nhập lại.", units_issues_json(res)));
}

/*
 * ?effective=YYYY-MM-DD (default: today in Việt Nam) and ?dry_run=1|0
 * into u; 0 once a 400 has been answered.
 */
static int
units_import_args(struct api_ctx *ctx, struct units_priv *u)
{
	struct pdate	today;
	char		v[16];

	switch (api_qs_arg(ctx, "effective", u->day, sizeof(u->day))) {
	case 0:
		period_local_date(time(NULL), &today);
		period_date_format(&today, u->day, sizeof(u->day));
		break;
	case 1:
		if (unitcsv_date_ok(u->day))
			break;
		/* FALLTHROUGH */
	default:
		api_qs_error(ctx, "effective", NULL, msg_vi("bad_effective"));
		return (0);
	}

	switch (api_qs_arg(ctx, "dry_run", v, sizeof(v))) {
	case 0:
		return (1);
	case 1:
		if (!strcmp(v, "1") || !strcmp(v, "true")) {
			u->dry = 1;
			return (1);
		}
		if (!strcmp(v, "0") || !strcmp(v, "false"))
			return (1);
		break;
	}
	api_qs_error(ctx, "dry_run", NULL, msg_vi("bad_dry_run"));

	return (0);
}

/*
 * POST /api/v1/units/import[?effective=YYYY-MM-DD][&dry_run=1] with the
 * CSV file as the body: what the units are from the effective day on.
 * The file is checked in C (format, every row), then every row against
 * the registry of that day in one statement: with no problem it answers
 * the differences (new, changed, merged, closed) and applies them all,
 * unless it is a dry run; with problems it only looks, so that the
 * office sees the problems of both kinds at once.  Only a file no row
 * could be read from (its header, its encoding) is answered without the
 * registry.
 */
int
units_import(struct api_ctx *ctx)
{
	struct units_priv	*u;
	const char		*params[4], *data;
	json_t			*arr;
	size_t			i, len;
	int			r;

	u = units_priv(ctx);
	if (!units_import_args(ctx, u))
		return (API_DONE);
	if ((data = api_body(ctx, &len)) == NULL || len == 0)
		return (api_error(ctx, 400, "bad_request", "Chưa có file CSV "
		    "trong yêu cầu.", NULL));
	if (len > CSV_MAX_BYTES)
		return (api_error(ctx, 413, "too_large", "File quá lớn: tối "
		    "đa 2 MB (khoảng 5.000 đơn vị).", NULL));

	r = unitcsv_read(data, len, &u->res);
	if (r == UNITCSV_ERROR)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	if (u->res.nrows == 0 || (r == UNITCSV_OK && u->res.nunits == 0))
		return (units_import_refused(ctx, &u->res));

	arr = json_array();
	for (i = 0; i < u->res.nrows; i++)
		json_array_append_new(arr, units_rec_json(&u->res.rows[i]));
	u->json = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	if (u->json == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));

	if (r == UNITCSV_ISSUES) {
		params[0] = u->json;
		params[1] = u->day;
		return (api_then(ctx, Q_UNITS_IMPORT_CHECK, 2, params,
		    units_imported));
	}

	params[0] = u->json;
	params[1] = u->user;
	params[2] = u->day;
	params[3] = u->dry ? "true" : "false";

	return (api_then(ctx, Q_UNITS_IMPORT, 4, params, units_imported));
}

static int
units_imported(struct api_ctx *ctx)
{
	struct units_priv	*u = ctx->priv;
	json_t			*o;
	int			r;

	o = json_loads(db_get(&ctx->db, 0, 0), 0, NULL);
	if (o == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));

	if (json_is_true(json_object_get(o, "ok")) && u->res.nissues == 0) {
		json_object_del(o, "ok");
		return (api_json(ctx, 200, o));
	}

	r = units_import_failed(ctx, json_object_get(o, "errors"));
	json_decref(o);

	return (r);
}

/* The registry's problems among the file's, in line order. */
static int
units_import_failed(struct api_ctx *ctx, json_t *errs)
{
	struct units_priv	*u = ctx->priv;
	struct unitcsv_issue	*more;
	const char		*col, *msg;
	json_t			*e;
	size_t			i, n;

	n = json_is_array(errs) ? json_array_size(errs) : 0;
	more = kore_calloc(n + 1, sizeof(*more));
	for (i = 0; i < n; i++) {
		e = json_array_get(errs, i);
		col = json_string_value(json_object_get(e, "column"));
		msg = json_string_value(json_object_get(e, "message"));
		more[i].line = (size_t)json_integer_value(json_object_get(e,
		    "line"));
		(void)snprintf(more[i].column, sizeof(more[i].column), "%s",
		    col != NULL ? col : "");
		(void)snprintf(more[i].message, sizeof(more[i].message), "%s",
		    msg != NULL ? msg : "");
		csv_utf8_cut(more[i].message);
	}
	if (unitcsv_merge(&u->res, more, n) == -1) {
		kore_free(more);
		return (api_error(ctx, 500, "internal", NULL, NULL));
	}
	kore_free(more);

	return (units_import_refused(ctx, &u->res));
}

int
contacts_list(struct api_ctx *ctx)
{
	struct units_priv	*u;
	const char		*params[1];

	u = units_priv(ctx);
	params[0] = u->user;

	return (api_then(ctx, Q_CONTACTS_LIST, 1, params, units_raw_done));
}

static void
contact_field(json_t *details, const char *field, const char *why)
{
	if (why != NULL)
		json_array_append_new(details, json_pack("{s:s, s:s}",
		    "field", field, "message", why));
}

static const char *
contact_text(struct api_ctx *ctx, const char *key, json_t *details)
{
	json_t		*v;

	v = json_object_get(ctx->body, key);
	if (v == NULL || json_is_null(v))
		return ("");
	if (!json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		contact_field(details, key, "Giá trị phải là chuỗi ký tự.");
		return ("");
	}

	return (json_string_value(v));
}

/* PUT /api/v1/contacts/{unit}: every field checked, every problem told. */
int
contacts_put(struct api_ctx *ctx)
{
	struct units_priv	*u;
	const char		*name, *pos, *phone, *email, *why, *params[6];
	char			tmp[CONTACT_EMAIL_MAX + 1];
	json_t			*details;

	if (!api_body_json(ctx, CONTACT_BODY_MAX))
		return (API_DONE);

	details = json_array();
	name = contact_text(ctx, "name", details);
	pos = contact_text(ctx, "position", details);
	phone = contact_text(ctx, "phone", details);
	email = contact_text(ctx, "email", details);

	u = units_priv(ctx);
	if (json_array_size(details) == 0 &&
	    (why = contact_check(name, pos, phone, email, &u->c)) != NULL) {
		contact_field(details, "name", contact_name_check(name));
		contact_field(details, "position",
		    contact_position_check(pos));
		contact_field(details, "phone",
		    contact_phone_check(phone, tmp, sizeof(tmp)));
		contact_field(details, "email",
		    contact_email_check(email, tmp, sizeof(tmp)));
		if (json_array_size(details) == 0)
			contact_field(details, "", why);
	}
	if (json_array_size(details) > 0)
		return (api_error(ctx, 422, "invalid_contact", "Thông tin đầu "
		    "mối chưa hợp lệ; sửa các ô được đánh dấu.", details));
	json_decref(details);

	(void)snprintf(u->unit, sizeof(u->unit), "%s", ctx->args[0]);
	params[0] = u->user;
	params[1] = u->unit;
	params[2] = u->c.name;
	params[3] = u->c.position;
	params[4] = u->c.phone;
	params[5] = u->c.email;

	return (api_then(ctx, Q_CONTACT_PUT, 6, params, contact_done));
}

static int
contact_done(struct api_ctx *ctx)
{
	/* Nothing updated: the unit is unknown or outside the scope. */
	if (db_rows(&ctx->db) != 1)
		return (api_error(ctx, 404, "not_found", NULL, NULL));

	return (api_raw(ctx, 200, db_get(&ctx->db, 0, 0)));
}
