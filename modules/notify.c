/*
 * The notices' routes: the office's list of what was sent, is waiting or
 * failed (GET /api/v1/notifications), and a focal point's reminders
 * switch (PUT /api/v1/contacts/{unit}/reminders).  The queue itself and
 * its sender are sql/016_notices.sql and mail_send.c; the words of a
 * notice are mail_text.c's.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "api.h"
#include "mail.h"
#include "msg.h"
#include "route.h"

#define NOTIFY_BODY_MAX		1024
#define NOTIFY_UNIT_MAX		32

struct notify {
	char		user[32];
	char		unit[NOTIFY_UNIT_MAX + 1];
	char		enabled[8];
};

static int	notify_listed(struct api_ctx *);
static int	notify_reminders_done(struct api_ctx *);

static struct notify *
notify_new(struct api_ctx *ctx)
{
	struct notify	*n;

	n = kore_calloc(1, sizeof(*n));
	(void)snprintf(n->user, sizeof(n->user), "%lld", ctx->who.user_id);
	ctx->priv = n;
	ctx->priv_free = kore_free;

	return (n);
}

static int
notify_status_ok(const char *v)
{
	return (!strcmp(v, "queued") || !strcmp(v, "sent") ||
	    !strcmp(v, "failed"));
}

static int
notify_kind_ok(const char *v)
{
	return (mail_kind_ok(v) != NULL);
}

/* An id to page from: 1 to 18 digits. */
static int
notify_id_ok(const char *v)
{
	size_t		n;

	n = strspn(v, "0123456789");

	return (n >= 1 && n <= 18 && v[n] == '\0');
}

static int
notify_unit_ok(const char *v)
{
	size_t		n;

	n = strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

	return (n >= 2 && n <= NOTIFY_UNIT_MAX && v[n] == '\0');
}

/* GET /api/v1/notifications?status=&kind=&unit=&before= (office, admin) */
int
notify_list(struct api_ctx *ctx)
{
	const char	*params[4];
	char		status[16], kind[16], before[24], unit[40];

	(void)notify_new(ctx);
	if (!api_qs_filter(ctx, "status", status, sizeof(status),
	    notify_status_ok, "Trạng thái (status) phải là một trong: queued "
	    "(đang chờ gửi), sent (đã gửi), failed (gửi không được).") ||
	    !api_qs_filter(ctx, "kind", kind, sizeof(kind), notify_kind_ok,
	    "Loại thông báo (kind) phải là một trong: returned, accepted, "
	    "reopened, reminder, late_digest.") ||
	    !api_qs_filter(ctx, "before", before, sizeof(before),
	    notify_id_ok, "«before» là mã số (id) của thông báo cuối đã "
	    "xem: chỉ gồm chữ số.") ||
	    !api_qs_filter(ctx, "unit", unit, sizeof(unit), notify_unit_ok,
	    msg_vi("bad_unit_code")))
		return (API_DONE);

	params[0] = status;
	params[1] = kind;
	params[2] = before;
	params[3] = unit;

	return (api_then(ctx, Q_NOTICES_LIST, 4, params, notify_listed));
}

/* Each notice with its subject and, when it failed, why in words. */
static int
notify_listed(struct api_ctx *ctx)
{
	json_t		*list, *row, *data;
	const char	*code, *detail;
	char		*subject, *error;
	size_t		i;

	if (db_rows(&ctx->db) != 1 ||
	    (list = json_loads(db_get(&ctx->db, 0, 0), 0, NULL)) == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));

	json_array_foreach(list, i, row) {
		data = json_object_get(row, "data");
		subject = mail_subject(json_string_value(json_object_get(row,
		    "kind")), data);
		json_object_set_new(row, "subject", subject != NULL ?
		    json_string(subject) : json_null());
		free(subject);
		json_object_del(row, "data");

		code = json_string_value(json_object_get(row, "error_code"));
		detail = json_string_value(json_object_get(row,
		    "error_detail"));
		if (code == NULL) {
			json_object_set_new(row, "error", json_null());
			continue;
		}
		error = mail_error_describe(code, detail,
		    json_string_value(json_object_get(row, "status")),
		    (int)json_integer_value(json_object_get(row, "attempts")));
		json_object_set_new(row, "error", error != NULL ?
		    json_string(error) : json_null());
		free(error);
	}

	return (api_json(ctx, 200, list));
}

/*
 * PUT /api/v1/contacts/{unit}/reminders {"enabled": false|true}: the
 * unit's focal point (or the office) turns reminders off or on again.
 */
int
notify_reminders_put(struct api_ctx *ctx)
{
	struct notify	*n;
	json_t		*v;
	const char	*params[3];

	n = notify_new(ctx);
	if (!notify_unit_ok(ctx->args[0]))
		return (api_error(ctx, 404, "not_found", NULL, NULL));
	if (!api_body_json(ctx, NOTIFY_BODY_MAX))
		return (API_DONE);
	if ((v = json_object_get(ctx->body, "enabled")) == NULL)
		return (api_error(ctx, 400, "bad_shape", "Thiếu «enabled»: "
		    "true để nhận thư nhắc hạn, false để tắt.",
		    json_pack("[{s:s, s:s}]", "part", "enabled", "message",
		    "«enabled» là bắt buộc.")));
	if (!json_is_boolean(v))
		return (api_error(ctx, 422, "bad_value", "«enabled» phải là "
		    "true (nhận thư nhắc hạn) hoặc false (tắt).",
		    json_pack("[{s:s, s:s}]", "field", "enabled", "message",
		    "Chỉ nhận true hoặc false.")));

	(void)snprintf(n->unit, sizeof(n->unit), "%s", ctx->args[0]);
	(void)snprintf(n->enabled, sizeof(n->enabled), "%s",
	    json_is_true(v) ? "true" : "false");
	params[0] = n->user;
	params[1] = n->unit;
	params[2] = n->enabled;

	return (api_then(ctx, Q_REMINDERS_SET, 3, params,
	    notify_reminders_done));
}

static int
notify_reminders_done(struct api_ctx *ctx)
{
	/* Nothing changed: the unit is unknown or outside the scope. */
	if (db_rows(&ctx->db) != 1)
		return (api_error(ctx, 404, "not_found", NULL, NULL));

	return (api_raw(ctx, 200, db_get(&ctx->db, 0, 0)));
}
