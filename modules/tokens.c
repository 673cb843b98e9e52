/*
 * Integration tokens (seed 001, Điều 3.3 and 8.2b): the office issues a
 * token to one unit so that its hospital information system can read and
 * file that unit's reports with "Authorization: Bearer".  Only the hash
 * is stored; the token is shown once.  Revoking also disables the
 * token's user, so nothing it started can go on.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "api.h"
#include "passwd.h"
#include "route.h"

#define TOKEN_BODY_MAX	4096

struct tok {
	char		token[PW_TOKEN_LEN + 1];
	char		actor[32];
	char		unit[CALLER_UNIT_MAX];
};

static int	tokens_listed(struct api_ctx *);
static int	tokens_created(struct api_ctx *);
static int	tokens_revoked(struct api_ctx *);

static void
tok_free(void *p)
{
	explicit_bzero(p, sizeof(struct tok));
	kore_free(p);
}

int
tokens_list(struct api_ctx *ctx)
{
	return (api_then(ctx, Q_TOKENS_LIST, 0, NULL, tokens_listed));
}

static int
tokens_listed(struct api_ctx *ctx)
{
	return (api_raw(ctx, 200, db_get(&ctx->db, 0, 0)));
}

int
tokens_create(struct api_ctx *ctx)
{
	struct tok	*t;
	const char	*unit, *name, *params[4];

	if (!api_body_json(ctx, TOKEN_BODY_MAX))
		return (API_DONE);

	unit = api_json_text(ctx->body, "unit", CALLER_UNIT_MAX - 1);
	name = api_json_chars(ctx->body, "name", 100);
	if (unit == NULL || *unit == '\0' || name == NULL || *name == '\0')
		return (api_error(ctx, 422, "bad_token_request", "Cần mã đơn vị "
		    "(unit) và tên gợi nhớ của hệ thống dùng mã (name, tối đa "
		    "100 ký tự).", NULL));

	t = kore_calloc(1, sizeof(*t));
	ctx->priv = t;
	ctx->priv_free = tok_free;
	if (pw_token(t->token, sizeof(t->token)) == -1)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	(void)snprintf(t->actor, sizeof(t->actor), "%lld", ctx->who.user_id);
	(void)snprintf(t->unit, sizeof(t->unit), "%s", unit);

	params[0] = t->unit;
	params[1] = name;
	params[2] = t->token;
	params[3] = t->actor;

	return (api_then(ctx, Q_TOKEN_CREATE, 4, params, tokens_created));
}

static int
tokens_created(struct api_ctx *ctx)
{
	struct tok	*t = ctx->priv;
	json_t		*o, *answer;

	o = json_loads(db_get(&ctx->db, 0, 0), 0, NULL);
	if (o == NULL || strcmp(json_string_value(json_object_get(o,
	    "result")), "ok")) {
		json_decref(o);
		return (api_error(ctx, 422, "unknown_unit", "Không có đơn vị "
		    "đang hoạt động với mã này.", NULL));
	}

	answer = json_pack("{s:O, s:s, s:s}", "id", json_object_get(o, "id"),
	    "unit", t->unit, "token", t->token);
	json_decref(o);

	return (api_json(ctx, 201, answer));
}

int
tokens_revoke(struct api_ctx *ctx)
{
	const char	*params[2];
	char		actor[32], *end;

	(void)strtoll(ctx->args[0], &end, 10);
	if (*end != '\0' || strlen(ctx->args[0]) > 18)
		return (api_error(ctx, 404, "not_found", NULL, NULL));

	(void)snprintf(actor, sizeof(actor), "%lld", ctx->who.user_id);
	params[0] = ctx->args[0];
	params[1] = actor;

	return (api_then(ctx, Q_TOKEN_REVOKE, 2, params, tokens_revoked));
}

static int
tokens_revoked(struct api_ctx *ctx)
{
	if (db_rows(&ctx->db) != 1)
		return (api_error(ctx, 404, "not_found", "Không có mã tích hợp "
		    "này, hoặc mã đã bị thu hồi.", NULL));

	return (api_nocontent(ctx));
}
