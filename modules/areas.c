/*
 * The areas a period is grouped by (former districts, communes, wards,
 * health centres' catchments), kept by the office as dated states
 * (sql/012): the areas in force on a day, a new area or a new name or
 * kind from a day, and the end of an area, refused while units are in
 * it.  The checks of what is typed are the pure core's (unitcsv.c).
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "api.h"
#include "msg.h"
#include "route.h"
#include "unitcsv.h"

#define AREA_BODY_MAX	4096

struct area_req {
	char		user[32];
	char		code[40];
	char		name[UNIT_DISTRICT_MAX + 1];
	char		kind[24];
	char		day[16];
};

static int	areas_listed(struct api_ctx *);
static int	areas_put_done(struct api_ctx *);
static int	areas_end_done(struct api_ctx *);

static struct area_req *
area_req(struct api_ctx *ctx)
{
	struct area_req	*a;

	a = kore_calloc(1, sizeof(*a));
	(void)snprintf(a->user, sizeof(a->user), "%lld", ctx->who.user_id);
	ctx->priv = a;
	ctx->priv_free = kore_free;

	return (a);
}

/* GET /api/v1/areas[?date=YYYY-MM-DD] */
int
areas_list(struct api_ctx *ctx)
{
	struct area_req	*a;
	const char	*params[1];

	a = area_req(ctx);
	if (!api_qs_filter(ctx, "date", a->day, sizeof(a->day),
	    unitcsv_date_ok, msg_vi("bad_registry_date")))
		return (API_DONE);
	params[0] = a->day;

	return (api_then(ctx, Q_AREAS_LIST, 1, params, areas_listed));
}

static json_t *
area_col(struct api_ctx *ctx, int row, int col)
{
	if (db_isnull(&ctx->db, row, col))
		return (json_null());

	return (json_string(db_get(&ctx->db, row, col)));
}

static int
areas_listed(struct api_ctx *ctx)
{
	const struct area_kind	*k;
	json_t			*arr, *o;
	int			i;

	arr = json_array();
	for (i = 0; i < db_rows(&ctx->db); i++) {
		k = unitcsv_area_kind_find(db_get(&ctx->db, i, 2));
		o = json_pack("{s:s, s:s, s:s, s:s, s:I}",
		    "code", db_get(&ctx->db, i, 0),
		    "name", db_get(&ctx->db, i, 1),
		    "kind", db_get(&ctx->db, i, 2),
		    "kind_label", k ? k->label : db_get(&ctx->db, i, 2),
		    "units", (json_int_t)db_get_ll(&ctx->db, i, 5));
		json_object_set_new(o, "valid_from", area_col(ctx, i, 3));
		json_object_set_new(o, "valid_to", area_col(ctx, i, 4));
		json_array_append_new(arr, o);
	}

	return (api_json(ctx, 200, arr));
}

/* A member that is there must be text: else where, for a 400. */
static void
area_shape(json_t *body, const char *key, json_t *bad)
{
	json_t		*v;

	v = json_object_get(body, key);
	if (v != NULL && !json_is_null(v) && !json_is_string(v))
		json_array_append_new(bad, json_pack("{s:s, s:s}", "part", key,
		    "message", "Giá trị phải là một chuỗi ký tự."));
}

static const char *
area_text(json_t *body, const char *key)
{
	const char	*s;

	s = api_json_text(body, key, 1024);

	return (s != NULL ? s : "");
}

static void
area_field(json_t *details, const char *field, const char *why)
{
	if (why != NULL)
		json_array_append_new(details, json_pack("{s:s, s:s}",
		    "field", field, "message", why));
}

/* The four fields of a new area or state into a; details gets why not. */
static void
area_parse(json_t *body, struct area_req *a, json_t *details)
{
	const char	*code, *name, *kind, *day;
	size_t		i;

	code = area_text(body, "code");
	name = area_text(body, "name");
	kind = area_text(body, "kind");
	day = area_text(body, "valid_from");

	(void)snprintf(a->code, sizeof(a->code), "%s", code);
	for (i = 0; a->code[i] != '\0'; i++) {
		if (a->code[i] >= 'a' && a->code[i] <= 'z')
			a->code[i] -= 'a' - 'A';
	}
	if (strlen(code) >= sizeof(a->code) ||
	    !unitcsv_area_code_valid(a->code))
		area_field(details, "code", "Mã khu vực gồm 2–32 chữ in hoa "
		    "không dấu, chữ số, gạch dưới hoặc gạch ngang, ví dụ "
		    "P-HACTHANH.");
	area_field(details, "name", unitcsv_area_name_check(name, a->name,
	    sizeof(a->name)));
	if (unitcsv_area_kind_find(kind) == NULL)
		area_field(details, "kind", "Loại khu vực không có trong danh "
		    "sách: ward (phường), commune (xã), catchment (địa bàn "
		    "Trung tâm Y tế), city, town, district (cấp huyện cũ), "
		    "other.");
	else
		(void)snprintf(a->kind, sizeof(a->kind), "%s", kind);
	if (!unitcsv_date_ok(day))
		area_field(details, "valid_from", msg_vi("bad_registry_date"));
	else
		(void)snprintf(a->day, sizeof(a->day), "%s", day);
}

/*
 * POST /api/v1/areas {"code", "name", "kind", "valid_from"}: a new area
 * from that day, or for a known code its name and kind from that day.
 */
int
areas_put(struct api_ctx *ctx)
{
	struct area_req	*a;
	const char	*params[5];
	json_t		*bad, *details;

	if (!api_body_json(ctx, AREA_BODY_MAX))
		return (API_DONE);
	bad = json_array();
	area_shape(ctx->body, "code", bad);
	area_shape(ctx->body, "name", bad);
	area_shape(ctx->body, "kind", bad);
	area_shape(ctx->body, "valid_from", bad);
	if (json_array_size(bad) > 0)
		return (api_error(ctx, 400, "bad_shape", NULL, bad));
	json_decref(bad);

	a = area_req(ctx);
	details = json_array();
	area_parse(ctx->body, a, details);
	if (json_array_size(details) > 0)
		return (api_error(ctx, 422, "invalid_area", "Thông tin khu vực "
		    "chưa hợp lệ; sửa các ô được đánh dấu.", details));
	json_decref(details);

	params[0] = a->code;
	params[1] = a->day;
	params[2] = a->name;
	params[3] = a->kind;
	params[4] = a->user;

	return (api_then(ctx, Q_AREA_PUT, 5, params, areas_put_done));
}

static int
areas_put_done(struct api_ctx *ctx)
{
	struct area_req	*a = ctx->priv;
	json_t		*o;
	const char	*res;

	if ((o = json_loads(db_get(&ctx->db, 0, 0), 0, NULL)) == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	res = json_string_value(json_object_get(o, "result"));
	json_object_set_new(o, "area", json_pack("{s:s, s:s, s:s, s:s}",
	    "code", a->code, "name", a->name, "kind", a->kind,
	    "valid_from", a->day));

	return (api_json(ctx, res != NULL && !strcmp(res, "created") ? 201 :
	    200, o));
}

/* POST /api/v1/areas/{code}/end {"date"}: the area's first day without it. */
int
areas_end(struct api_ctx *ctx)
{
	struct area_req	*a;
	const char	*day, *params[3];
	json_t		*v;

	if (!api_body_json(ctx, AREA_BODY_MAX))
		return (API_DONE);
	v = json_object_get(ctx->body, "date");
	if (v != NULL && !json_is_null(v) && !json_is_string(v))
		return (api_error(ctx, 400, "bad_shape", NULL, json_pack(
		    "[{s:s, s:s}]", "part", "date", "message", "Giá trị phải "
		    "là một chuỗi ký tự.")));
	day = area_text(ctx->body, "date");
	if (!unitcsv_date_ok(day))
		return (api_error(ctx, 422, "invalid_area", msg_vi(
		    "bad_registry_date"), json_pack("[{s:s, s:s}]", "field",
		    "date", "message", msg_vi("bad_registry_date"))));
	if (!unitcsv_area_code_valid(ctx->args[0]))
		return (api_error(ctx, 404, "not_found", NULL, NULL));

	a = area_req(ctx);
	(void)snprintf(a->code, sizeof(a->code), "%s", ctx->args[0]);
	(void)snprintf(a->day, sizeof(a->day), "%s", day);
	params[0] = a->code;
	params[1] = a->day;
	params[2] = a->user;

	return (api_then(ctx, Q_AREA_END, 3, params, areas_end_done));
}

static int
areas_end_done(struct api_ctx *ctx)
{
	json_t		*o;
	const char	*res;

	if ((o = json_loads(db_get(&ctx->db, 0, 0), 0, NULL)) == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	res = json_string_value(json_object_get(o, "result"));
	if (res != NULL && !strcmp(res, "ok"))
		return (api_json(ctx, 200, o));
	if (res != NULL && !strcmp(res, "in_use")) {
		json_incref(json_object_get(o, "units"));
		api_error(ctx, 409, "area_in_use", "Khu vực còn đơn vị vào "
		    "ngày đó hoặc sau đó: chuyển các đơn vị sau sang khu vực "
		    "khác (nhập danh mục với ngày hiệu lực) rồi kết thúc khu "
		    "vực.", json_object_get(o, "units"));
		json_decref(o);
		return (API_DONE);
	}
	json_decref(o);

	return (api_error(ctx, 404, "not_found", "Không có khu vực này vào "
	    "ngày đó (mã sai, hoặc khu vực đã kết thúc trước ngày đó).",
	    NULL));
}
