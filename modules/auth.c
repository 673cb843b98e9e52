/*
 * Sign-in, sessions, the password change and the checks every non-public
 * route passes: a live session, a role the route allows, a due password
 * change, and the CSRF token on writes.
 *
 * Sessions live in PostgreSQL (any node can serve any request); only the
 * SHA-256 of the cookie value is stored, so a copy of the database does
 * not hand out sessions.  Idle and absolute expiry are in the statement.
 */
#include <sys/types.h>

#include <ctype.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "api.h"
#include "auth.h"
#include "passwd.h"

#define AUTH_COOKIE		"sid"
#define AUTH_FAIL_LIMIT		5
#define AUTH_BODY_MAX		4096

struct auth_login {
	char		username[USERNAME_MAX];
	char		password[PW_MAX_LEN + 1];
	char		token[PW_TOKEN_LEN + 1];
	char		csrf[PW_TOKEN_LEN + 1];
	char		user_id[32];
	char		role[16];
	char		unit[CALLER_UNIT_MAX];
	int		must_change;
	int		found;
	int		ok;		/* what the task thread found */
	char		hash[PW_HASH_MAX];
	char		newpw[PW_MAX_LEN + 1];
	char		newhash[PW_HASH_MAX];
};

static int	auth_session_found(struct api_ctx *);
static int	auth_authorize(struct api_ctx *);
static int	auth_login_found(struct api_ctx *);
static int	auth_verify(void *);
static int	auth_login_verified(struct api_ctx *);
static int	auth_login_failed(struct api_ctx *);
static int	auth_login_done(struct api_ctx *);
static int	auth_logout_done(struct api_ctx *);
static int	auth_password_hash(void *);
static int	auth_password_hashed(struct api_ctx *);
static int	auth_password_found(struct api_ctx *);
static int	auth_password_verified(struct api_ctx *);
static int	auth_password_done(struct api_ctx *);
static int	auth_answer(struct api_ctx *, int, const char *, const char *,
		    const char *, int, const char *);
static void	auth_set_cookie(struct http_request *, const char *, int);
static void	auth_priv_free(void *);

/*
 * A hash of a random password, so that an unknown user name costs the
 * same time as a wrong password and does not reveal which names exist.
 * Made once in the parent (auth_init); the workers inherit it.
 */
static char	auth_dummy_hash[PW_HASH_MAX];

void
auth_init(void)
{
	char		pw[PW_TOKEN_LEN + 1];

	/*
	 * argon2id takes 19 MiB for each hash.  glibc serves that with a
	 * fresh mmap, or from a task thread's arena that it shrinks again
	 * afterwards, so every sign-in paid for faulting in and zeroing
	 * 19 MiB (half the CPU of a burst of sign-ins was the kernel's).
	 * Keep such blocks in the arenas instead.
	 */
	if (mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024) != 1 ||
	    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024) != 1)
		kore_log(LOG_NOTICE, "mallopt refused: argon2 runs slower");

	if (pw_token(pw, sizeof(pw)) == -1 ||
	    pw_hash(pw, auth_dummy_hash, sizeof(auth_dummy_hash)) == -1)
		fatal("auth_init: cannot make the dummy password hash");
	explicit_bzero(pw, sizeof(pw));
}

static void
auth_priv_free(void *p)
{
	/* Passwords leave memory as soon as the request does. */
	explicit_bzero(p, sizeof(struct auth_login));
	kore_free(p);
}

static struct auth_login *
auth_priv(struct api_ctx *ctx)
{
	if (ctx->priv == NULL) {
		ctx->priv = kore_calloc(1, sizeof(struct auth_login));
		ctx->priv_free = auth_priv_free;
	}

	return (ctx->priv);
}

void
auth_cookie_token(struct http_request *req, char *out, size_t len)
{
	char		*v;

	out[0] = '\0';
	http_populate_cookies(req);
	if (http_request_cookie(req, AUTH_COOKIE, &v) && strlen(v) < len)
		(void)snprintf(out, len, "%s", v);
}

/*
 * An integration's "Authorization: Bearer <token>", or else the session
 * cookie.  A token never needs a CSRF token: browsers do not send it
 * on their own.
 */
int
auth_begin(struct api_ctx *ctx)
{
	const char	*params[1], *hdr;

	if (http_request_header(ctx->req, "authorization", &hdr)) {
		if (strncasecmp(hdr, "Bearer ", 7) || strlen(hdr + 7) == 0 ||
		    strlen(hdr + 7) >= sizeof(ctx->token))
			return (api_error(ctx, 401, "unauthenticated",
			    "Mã tích hợp (Bearer token) không hợp lệ.", NULL));
		if (!(ctx->route->flags & API_TOKEN))
			return (api_error(ctx, 403, "forbidden", "Mã tích hợp "
			    "chỉ dùng cho các địa chỉ báo cáo.", NULL));
		(void)snprintf(ctx->token, sizeof(ctx->token), "%s", hdr + 7);
		ctx->who.via_token = 1;
		params[0] = ctx->token;
		return (api_then(ctx, Q_TOKEN_TOUCH, 1, params,
		    auth_session_found));
	}

	auth_cookie_token(ctx->req, ctx->token, sizeof(ctx->token));
	if (ctx->token[0] == '\0')
		return (api_error(ctx, 401, "unauthenticated", NULL, NULL));

	params[0] = ctx->token;

	return (api_then(ctx, Q_SESSION_TOUCH, 1, params, auth_session_found));
}

static int
auth_session_found(struct api_ctx *ctx)
{
	struct caller	*w = &ctx->who;

	if (db_rows(&ctx->db) != 1)
		return (api_error(ctx, 401, "unauthenticated", NULL, NULL));

	w->session_id = db_get_ll(&ctx->db, 0, 0);
	w->user_id = db_get_ll(&ctx->db, 0, 1);
	(void)snprintf(w->username, sizeof(w->username), "%s",
	    db_get(&ctx->db, 0, 2));
	w->role = api_role_parse(db_get(&ctx->db, 0, 3));
	(void)snprintf(w->unit, sizeof(w->unit), "%s", db_get(&ctx->db, 0, 4));
	w->must_change = db_get_bool(&ctx->db, 0, 5);
	(void)snprintf(w->csrf, sizeof(w->csrf), "%s", db_get(&ctx->db, 0, 6));

	return (auth_authorize(ctx));
}

/* The one place where a route's roles, flags and CSRF are enforced. */
static int
auth_authorize(struct api_ctx *ctx)
{
	const struct api_route	*r = ctx->route;
	const char		*hdr;
	int			write;

	write = ctx->req->method != HTTP_METHOD_GET &&
	    ctx->req->method != HTTP_METHOD_HEAD;

	if (write && !ctx->who.via_token) {
		if (!http_request_header(ctx->req, "x-csrf-token", &hdr) ||
		    !pw_equal(hdr, ctx->who.csrf))
			return (api_error(ctx, 403, "csrf", NULL, NULL));
	}
	if (ctx->who.must_change && !(r->flags & API_PWCHANGE))
		return (api_error(ctx, 403, "password_change_required",
		    NULL, NULL));
	if (!(r->roles & ctx->who.role))
		return (api_error(ctx, 403, "forbidden", NULL, NULL));

	return (r->handler(ctx));
}

int
auth_login(struct api_ctx *ctx)
{
	struct auth_login	*l;
	const char		*params[1];
	char			*user, *pw;
	size_t			i;

	if (!api_body_json(ctx, AUTH_BODY_MAX))
		return (API_DONE);

	user = api_json_text(ctx->body, "username", USERNAME_MAX - 1);
	pw = api_json_text(ctx->body, "password", PW_MAX_LEN);
	if (user == NULL || pw == NULL || *user == '\0' || *pw == '\0')
		return (api_error(ctx, 400, "bad_request", "Nhập tên đăng "
		    "nhập và mật khẩu.", NULL));

	l = auth_priv(ctx);
	for (i = 0; user[i] != '\0'; i++)
		l->username[i] = (char)tolower((unsigned char)user[i]);
	l->username[i] = '\0';
	(void)snprintf(l->password, sizeof(l->password), "%s", pw);

	params[0] = l->username;

	return (api_then(ctx, Q_LOGIN_LOOKUP, 1, params, auth_login_found));
}

static int
auth_login_found(struct api_ctx *ctx)
{
	struct auth_login	*l = ctx->priv;

	if (db_rows(&ctx->db) != 1)
		return (api_error(ctx, 500, "internal", NULL, NULL));

	if (db_get_ll(&ctx->db, 0, 6) >= AUTH_FAIL_LIMIT)
		return (api_error(ctx, 429, "locked", NULL, NULL));

	l->found = !db_isnull(&ctx->db, 0, 0) && db_get_bool(&ctx->db, 0, 5);
	(void)snprintf(l->hash, sizeof(l->hash), "%s",
	    l->found ? db_get(&ctx->db, 0, 1) : auth_dummy_hash);
	if (l->found) {
		(void)snprintf(l->user_id, sizeof(l->user_id), "%s",
		    db_get(&ctx->db, 0, 0));
		(void)snprintf(l->role, sizeof(l->role), "%s",
		    db_get(&ctx->db, 0, 2));
		(void)snprintf(l->unit, sizeof(l->unit), "%s",
		    db_get(&ctx->db, 0, 3));
		l->must_change = db_get_bool(&ctx->db, 0, 4);
	}

	/* argon2id takes ~30 ms: never on the event loop. */
	return (api_offload(ctx, auth_verify, auth_login_verified));
}

/*
 * On a task thread, for the sign-in and the password change: touches
 * nothing but the request's own auth_login.
 */
static int
auth_verify(void *p)
{
	struct auth_login	*l = p;

	l->ok = pw_verify(l->hash, l->password);
	explicit_bzero(l->password, sizeof(l->password));

	return (KORE_RESULT_OK);
}

static int
auth_login_verified(struct api_ctx *ctx)
{
	struct auth_login	*l = ctx->priv;
	const char		*params[4];

	/* An unknown name was checked against the dummy hash: a failure. */
	if (!l->ok || !l->found) {
		params[0] = l->username;
		return (api_then(ctx, Q_LOGIN_FAIL, 1, params,
		    auth_login_failed));
	}

	if (pw_token(l->token, sizeof(l->token)) == -1 ||
	    pw_token(l->csrf, sizeof(l->csrf)) == -1)
		return (api_error(ctx, 500, "internal", NULL, NULL));

	params[0] = l->user_id;
	params[1] = l->token;
	params[2] = l->csrf;
	params[3] = l->username;

	return (api_then(ctx, Q_SESSION_CREATE, 4, params, auth_login_done));
}

static int
auth_login_failed(struct api_ctx *ctx)
{
	return (api_error(ctx, 401, "login_failed", NULL, NULL));
}

static int
auth_login_done(struct api_ctx *ctx)
{
	struct auth_login	*l = ctx->priv;

	auth_set_cookie(ctx->req, l->token, 0);

	return (auth_answer(ctx, 200, l->username, l->role, l->unit,
	    l->must_change, l->csrf));
}

static int
auth_answer(struct api_ctx *ctx, int status, const char *username,
    const char *role, const char *unit, int must_change, const char *csrf)
{
	json_t		*user;

	user = json_pack("{s:s, s:s}", "username", username, "role", role);
	json_object_set_new(user, "unit", *unit ? json_string(unit) :
	    json_null());

	return (api_json(ctx, status, json_pack("{s:o, s:b, s:s}",
	    "user", user, "must_change_password", must_change,
	    "csrf_token", csrf)));
}

int
auth_session_get(struct api_ctx *ctx)
{
	struct caller	*w = &ctx->who;

	return (auth_answer(ctx, 200, w->username, api_role_name(w->role),
	    w->unit, w->must_change, w->csrf));
}

int
auth_logout(struct api_ctx *ctx)
{
	char		id[32];
	const char	*params[1];

	(void)snprintf(id, sizeof(id), "%lld", ctx->who.session_id);
	params[0] = id;

	return (api_then(ctx, Q_SESSION_DELETE, 1, params, auth_logout_done));
}

static int
auth_logout_done(struct api_ctx *ctx)
{
	auth_set_cookie(ctx->req, "", 1);

	return (api_nocontent(ctx));
}

/*
 * SameSite=Strict keeps the cookie off cross-site requests; Kore's cookie
 * helper cannot say that, so the header is written here.  Secure is added
 * when the portal sits behind TLS (PORTAL_COOKIE_SECURE=1).
 */
static void
auth_set_cookie(struct http_request *req, const char *value, int expire)
{
	char		buf[256];
	const char	*secure;

	secure = getenv("PORTAL_COOKIE_SECURE");
	(void)snprintf(buf, sizeof(buf),
	    "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", AUTH_COOKIE, value,
	    (secure != NULL && !strcmp(secure, "1")) ? "; Secure" : "",
	    expire ? "; Max-Age=0" : "");
	http_response_header(req, "set-cookie", buf);
}

int
auth_password(struct api_ctx *ctx)
{
	struct auth_login	*l;
	const char		*why, *params[1];
	char			*cur, *pw, id[32];

	if (!api_body_json(ctx, AUTH_BODY_MAX))
		return (API_DONE);

	cur = api_json_text(ctx->body, "current", PW_MAX_LEN);
	pw = api_json_text(ctx->body, "new", PW_MAX_LEN);
	if (cur == NULL || pw == NULL)
		return (api_error(ctx, 400, "bad_request", "Nhập mật khẩu "
		    "hiện tại và mật khẩu mới.", NULL));

	if ((why = pw_policy(ctx->who.username, pw)) != NULL)
		return (api_error(ctx, 422, "weak_password", why, NULL));
	if (!strcmp(cur, pw))
		return (api_error(ctx, 422, "weak_password", "Mật khẩu mới "
		    "phải khác mật khẩu hiện tại.", NULL));

	l = auth_priv(ctx);
	(void)snprintf(l->password, sizeof(l->password), "%s", cur);
	(void)snprintf(l->newpw, sizeof(l->newpw), "%s", pw);
	(void)snprintf(id, sizeof(id), "%lld", ctx->who.user_id);
	params[0] = id;

	return (api_then(ctx, Q_PASSWORD_GET, 1, params, auth_password_found));
}

/* The current password first; the new one is hashed only if it is right. */
static int
auth_password_found(struct api_ctx *ctx)
{
	struct auth_login	*l = ctx->priv;

	if (db_rows(&ctx->db) != 1)
		return (api_error(ctx, 422, "current_password_wrong",
		    NULL, NULL));
	(void)snprintf(l->hash, sizeof(l->hash), "%s", db_get(&ctx->db, 0, 0));

	return (api_offload(ctx, auth_verify, auth_password_verified));
}

static int
auth_password_verified(struct api_ctx *ctx)
{
	struct auth_login	*l = ctx->priv;

	if (!l->ok)
		return (api_error(ctx, 422, "current_password_wrong",
		    NULL, NULL));

	return (api_offload(ctx, auth_password_hash, auth_password_hashed));
}

/* On a task thread, as auth_verify. */
static int
auth_password_hash(void *p)
{
	struct auth_login	*l = p;

	l->ok = pw_hash(l->newpw, l->newhash, sizeof(l->newhash)) == 0;
	explicit_bzero(l->newpw, sizeof(l->newpw));

	return (KORE_RESULT_OK);
}

static int
auth_password_hashed(struct api_ctx *ctx)
{
	struct auth_login	*l = ctx->priv;
	const char		*params[3];
	char			uid[32], sid[32];

	if (!l->ok)
		return (api_error(ctx, 500, "internal", NULL, NULL));

	(void)snprintf(uid, sizeof(uid), "%lld", ctx->who.user_id);
	(void)snprintf(sid, sizeof(sid), "%lld", ctx->who.session_id);
	params[0] = uid;
	params[1] = l->newhash;
	params[2] = sid;

	return (api_then(ctx, Q_PASSWORD_SET, 3, params, auth_password_done));
}

static int
auth_password_done(struct api_ctx *ctx)
{
	return (api_nocontent(ctx));
}
