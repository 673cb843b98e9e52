/*
 * Sign-in, sessions, the password change and the checks every non-public
 * route passes: a live session, a role the route allows, a due password
 * change, and the CSRF token on writes.
 *
 * Sessions live in PostgreSQL (any node can serve any request); only the
 * SHA-256 of the cookie value is stored, so a copy of the database does
 * not hand out sessions.  Idle and absolute expiry are in the statement.
 *
 * A password check (sign-in, the current password of a change) is
 * counted before it runs, in the one statement login_attempt: against
 * the name (5 in 15 minutes lock it) and against the client's address
 * (AUTH_ADDR_LIMIT in 15 minutes), so parallel guesses cannot all get
 * through before the first failure is written, on any node.  A right
 * password clears the name's count and gives its address back its
 * attempt.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>
#include <kore/tasks.h>

#include "api.h"
#include "auth.h"
#include "clientaddr.h"
#include "passwd.h"

#define AUTH_COOKIE		"sid"
#define AUTH_BODY_MAX		4096

/* Failed checks of one name in 15 minutes before it is locked. */
#define AUTH_FAIL_LIMIT		"5"

/*
 * Failed checks from one address (an IPv6 /64) in 15 minutes before it
 * must wait: an attacker there gets about 100 argon2id checks a quarter
 * hour (a tenth of a second of CPU a minute), while a hospital or a
 * district network behind one NAT address can still mistype a hundred
 * times.  A right password gives its attempt back, so the people who
 * sign in never use this up.
 */
#define AUTH_ADDR_LIMIT		"100"

/*
 * Password checks that may run or wait at once in one worker: four per
 * task thread.  Each holds a task (a socketpair: two descriptors, and
 * 19 MiB of argon2 memory while it runs); a thread gets through one in
 * about 30 ms, so four waiting per thread is ~120 ms of queue, enough
 * to keep the threads busy through a burst.  A longer queue would not
 * sign anyone in sooner, only hold more descriptors (300 queued took a
 * worker past its open-file limit and killed it): past the bound the
 * person is asked to retry in a moment (503, Retry-After).
 */
#define AUTH_CHECKS_PER_THREAD	4
#define AUTH_BUSY_RETRY		"2"

struct auth_login {
	char		username[USERNAME_MAX];
	char		password[PW_MAX_LEN + 1];
	char		token[PW_TOKEN_LEN + 1];
	char		csrf[PW_TOKEN_LEN + 1];
	char		user_id[32];
	char		role[16];
	char		unit[CALLER_UNIT_MAX];
	char		addr[CLIENT_ADDR_MAX];
	char		attempt[32];	/* this check's row, given back on success */
	int		must_change;
	int		otp_expired;
	int		found;
	int		slot;		/* holds one of the worker's checks */
	int		ok;		/* what the task thread found */
	char		hash[PW_HASH_MAX];
	char		newpw[PW_MAX_LEN + 1];
	char		newhash[PW_HASH_MAX];
};

static void	auth_dict_init(void);
static int	auth_session_found(struct api_ctx *);
static int	auth_authorize(struct api_ctx *);
static void	auth_slot_give(struct auth_login *);
static int	auth_client(struct api_ctx *, char *, size_t);
static int	auth_attempt(struct api_ctx *, struct auth_login *,
		    const char *, api_step);
static int	auth_attempt_refused(struct api_ctx *);
static int	auth_login_found(struct api_ctx *);
static int	auth_verify(void *);
static int	auth_login_verified(struct api_ctx *);
static int	auth_login_done(struct api_ctx *);
static int	auth_logout_done(struct api_ctx *);
static int	auth_session_unit(struct api_ctx *);
static int	auth_password_hash(void *);
static int	auth_password_hashed(struct api_ctx *);
static int	auth_password_found(struct api_ctx *);
static int	auth_password_verified(struct api_ctx *);
static int	auth_password_done(struct api_ctx *);
static int	auth_answer(struct api_ctx *, int, const char *, const char *,
		    const char *, int, const char *, json_t *);
static void	auth_set_cookie(struct http_request *, const char *, int);
static void	auth_priv_free(void *);

/* The checks in flight in this worker (a worker is one thread here). */
static u_int32_t		auth_checks;
static struct client_proxies	auth_proxies;

/*
 * The password check reads cracklib's dictionary at every check, so the
 * workers need it where they live: shut in Kore's root (runas/root in
 * kore.conf), they find it under the jail at the same path (the scripts
 * put a copy there, scripts/privsep.sh).  Try the very files the
 * workers will open, once, here: a missing one would refuse every
 * password change.
 */
static void
auth_dict_init(void)
{
	char		jailed[1024];
	const char	*dict;
	int		shut_in;

	if ((dict = getenv("PORTAL_CRACKLIB_DICT")) == NULL || *dict == '\0')
		dict = PW_DICT_DEFAULT;
	shut_in = !skip_chroot && kore_root_path != NULL;
	if (shut_in) {
		(void)snprintf(jailed, sizeof(jailed), "%s%s", kore_root_path,
		    dict);
		if (pw_policy_dict(jailed) == -1 || !pw_policy_ready())
			fatal("auth_init: the password dictionary %s cannot be "
			    "read inside the workers' root (scripts/privsep.sh "
			    "copies it there: privsep_jail_files)", jailed);
	}
	if (pw_policy_dict(dict) == -1)
		fatal("auth_init: cannot set the password dictionary");
	if (!shut_in && !pw_policy_ready())
		fatal("auth_init: the password dictionary %s cannot be read "
		    "(install cracklib-runtime: scripts/deps.sh)", dict);
}

void
auth_init(void)
{
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

	/* The dummy hashes, made once here; the workers inherit them. */
	if (pw_init() == -1)
		fatal("auth_init: cannot make the dummy password hashes");
	auth_dict_init();

	if (client_proxies_parse(getenv("PORTAL_TRUSTED_PROXIES"),
	    &auth_proxies) == -1)
		fatal("PORTAL_TRUSTED_PROXIES: a comma-separated list of at "
		    "most %d addresses (see README.md)", CLIENT_PROXIES_MAX);
}

static void
auth_priv_free(void *p)
{
	/*
	 * Whatever way the request ended (an error, a client gone), its
	 * check is over: api.c frees priv only once the task is done.
	 */
	auth_slot_give(p);

	/* Passwords leave memory as soon as the request does. */
	explicit_bzero(p, sizeof(struct auth_login));
	kore_free(p);
}

static void
auth_slot_give(struct auth_login *l)
{
	api_bound_give(&auth_checks, &l->slot);
}

/* The address this request is counted by (clientaddr.c says which). */
static int
auth_client(struct api_ctx *ctx, char *out, size_t len)
{
	struct connection	*c = ctx->req->owner;
	const char		*hdr;
	char			peer[CLIENT_ADDR_MAX];

	switch (c->family) {
	case AF_INET:
		if (inet_ntop(AF_INET, &c->addr.ipv4.sin_addr, peer,
		    sizeof(peer)) == NULL)
			return (-1);
		break;
	case AF_INET6:
		if (inet_ntop(AF_INET6, &c->addr.ipv6.sin6_addr, peer,
		    sizeof(peer)) == NULL)
			return (-1);
		break;
	default:
		/* A unix socket: only this machine reaches it. */
		(void)snprintf(peer, sizeof(peer), "127.0.0.1");
		break;
	}
	if (!http_request_header(ctx->req, "x-real-ip", &hdr))
		hdr = NULL;

	return (client_addr(&auth_proxies, peer, hdr, out, len));
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

	return (auth_attempt(ctx, l, l->username, auth_login_found));
}

/*
 * Take one of the worker's checks, then count the attempt against the
 * name and the address before anything is verified.  The check is
 * taken first so that a request turned away with 503 is not counted.
 */
static int
auth_attempt(struct api_ctx *ctx, struct auth_login *l, const char *name,
    api_step next)
{
	const char	*params[4];

	if (!api_bound_take(ctx, &auth_checks, AUTH_CHECKS_PER_THREAD *
	    (kore_task_threads ? kore_task_threads : 1), &l->slot,
	    AUTH_BUSY_RETRY, NULL))
		return (API_DONE);
	if (auth_client(ctx, l->addr, sizeof(l->addr)) == -1)
		return (api_error(ctx, 400, "bad_request", NULL, NULL));

	params[0] = name;
	params[1] = l->addr;
	params[2] = AUTH_FAIL_LIMIT;
	params[3] = AUTH_ADDR_LIMIT;

	return (api_then(ctx, Q_LOGIN_ATTEMPT, 4, params, next));
}

/*
 * 1 when login_attempt said no (the name is locked or the address must
 * wait): answered 429 with how long.  Else 0, with the account (if the
 * name is one that may sign in) copied into priv.
 */
static int
auth_attempt_refused(struct api_ctx *ctx)
{
	struct auth_login	*l = ctx->priv;
	const char		*result;

	result = db_get(&ctx->db, 0, 0);
	if (strcmp(result, "ok")) {
		auth_slot_give(l);
		http_response_header(ctx->req, "retry-after",
		    db_get(&ctx->db, 0, 1));
		(void)api_error(ctx, 429, strcmp(result, "locked") ?
		    "throttled" : "locked", NULL, NULL);
		return (1);
	}

	(void)snprintf(l->attempt, sizeof(l->attempt), "%s",
	    db_get(&ctx->db, 0, 2));
	l->found = !db_isnull(&ctx->db, 0, 3);
	if (l->found) {
		(void)snprintf(l->user_id, sizeof(l->user_id), "%s",
		    db_get(&ctx->db, 0, 3));
		(void)snprintf(l->hash, sizeof(l->hash), "%s",
		    db_get(&ctx->db, 0, 4));
		(void)snprintf(l->role, sizeof(l->role), "%s",
		    db_get(&ctx->db, 0, 5));
		(void)snprintf(l->unit, sizeof(l->unit), "%s",
		    db_get(&ctx->db, 0, 6));
		l->must_change = db_get_bool(&ctx->db, 0, 7);
		l->otp_expired = db_get_bool(&ctx->db, 0, 8);
	}

	return (0);
}

static int
auth_login_found(struct api_ctx *ctx)
{
	if (db_rows(&ctx->db) != 1)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	if (auth_attempt_refused(ctx))
		return (API_DONE);

	/* argon2id takes ~30 ms: never on the event loop. */
	return (api_offload(ctx, auth_verify, auth_login_verified));
}

/*
 * On a task thread, for the sign-in and the password change: touches
 * nothing but the request's own auth_login.  An unknown name is checked
 * too, against the dummies, so it takes as long as a wrong password.
 */
static int
auth_verify(void *p)
{
	struct auth_login	*l = p;

	l->ok = pw_verify_login(l->found ? l->hash : NULL, l->password);
	explicit_bzero(l->password, sizeof(l->password));

	return (KORE_RESULT_OK);
}

static int
auth_login_verified(struct api_ctx *ctx)
{
	struct auth_login	*l = ctx->priv;
	const char		*params[5];

	auth_slot_give(l);

	/* The failure was counted before the check: nothing to write. */
	if (!l->ok || !l->found)
		return (api_error(ctx, 401, "login_failed", NULL, NULL));

	/*
	 * Said only to whoever typed the right one-time password: an
	 * expired one must be issued again, not guessed at.
	 */
	if (l->otp_expired)
		return (api_error(ctx, 401, "otp_expired", NULL, NULL));

	if (pw_token(l->token, sizeof(l->token)) == -1 ||
	    pw_token(l->csrf, sizeof(l->csrf)) == -1)
		return (api_error(ctx, 500, "internal", NULL, NULL));

	params[0] = l->user_id;
	params[1] = l->token;
	params[2] = l->csrf;
	params[3] = l->username;
	params[4] = l->attempt;

	return (api_then(ctx, Q_SESSION_CREATE, 5, params, auth_login_done));
}

static int
auth_login_done(struct api_ctx *ctx)
{
	struct auth_login	*l = ctx->priv;

	auth_set_cookie(ctx->req, l->token, 0);

	return (auth_answer(ctx, 200, l->username, l->role, l->unit,
	    l->must_change, l->csrf, NULL));
}

static int
auth_answer(struct api_ctx *ctx, int status, const char *username,
    const char *role, const char *unit, int must_change, const char *csrf,
    json_t *unit_info)
{
	json_t		*user, *o;

	user = json_pack("{s:s, s:s}", "username", username, "role", role);
	json_object_set_new(user, "unit", *unit ? json_string(unit) :
	    json_null());

	o = json_pack("{s:o, s:b, s:s}", "user", user,
	    "must_change_password", must_change, "csrf_token", csrf);
	if (unit_info != NULL)
		json_object_set_new(o, "unit_info", unit_info);

	return (api_json(ctx, status, o));
}

/*
 * A unit's account also learns whether its unit files reports and, if
 * not, who files for it: a commune station signing in is told that its
 * district health centre does, instead of being shown reports it
 * cannot open.
 */
int
auth_session_get(struct api_ctx *ctx)
{
	struct caller	*w = &ctx->who;
	const char	*params[1];

	if (w->role == ROLE_UNIT && w->unit[0] != '\0' && !w->via_token) {
		params[0] = w->unit;
		return (api_then(ctx, Q_SESSION_UNIT, 1, params,
		    auth_session_unit));
	}

	return (auth_answer(ctx, 200, w->username, api_role_name(w->role),
	    w->unit, w->must_change, w->csrf, NULL));
}

static int
auth_session_unit(struct api_ctx *ctx)
{
	struct caller	*w = &ctx->who;
	json_t		*info;

	info = NULL;
	if (db_rows(&ctx->db) == 1)
		info = json_loads(db_get(&ctx->db, 0, 0), 0, NULL);

	return (auth_answer(ctx, 200, w->username, api_role_name(w->role),
	    w->unit, w->must_change, w->csrf, info));
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
	const char		*why;
	char			*cur, *pw;

	if (!api_body_json(ctx, AUTH_BODY_MAX))
		return (API_DONE);

	cur = api_json_text(ctx->body, "current", PW_MAX_LEN);
	pw = api_json_text(ctx->body, "new", PW_MAX_LEN);
	if (cur == NULL || pw == NULL)
		return (api_error(ctx, 400, "bad_request", "Nhập mật khẩu "
		    "hiện tại và mật khẩu mới.", NULL));

	if (!strcmp(cur, pw))
		return (api_error(ctx, 422, "weak_password", "Mật khẩu mới "
		    "phải khác mật khẩu hiện tại.", NULL));
	if ((why = pw_policy(ctx->who.username, cur, pw)) != NULL)
		return (api_error(ctx, 422, "weak_password", why, NULL));

	l = auth_priv(ctx);
	(void)snprintf(l->password, sizeof(l->password), "%s", cur);
	(void)snprintf(l->newpw, sizeof(l->newpw), "%s", pw);

	/* A wrong current password counts like a wrong sign-in. */
	return (auth_attempt(ctx, l, ctx->who.username, auth_password_found));
}

/* The current password first; the new one is hashed only if it is right. */
static int
auth_password_found(struct api_ctx *ctx)
{
	struct auth_login	*l = ctx->priv;
	char			id[32];

	if (db_rows(&ctx->db) != 1)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	if (auth_attempt_refused(ctx))
		return (API_DONE);

	/* Checked all the same, so a gone account costs the same time. */
	(void)snprintf(id, sizeof(id), "%lld", ctx->who.user_id);
	if (l->found && strcmp(l->user_id, id))
		l->found = 0;

	return (api_offload(ctx, auth_verify, auth_password_verified));
}

static int
auth_password_verified(struct api_ctx *ctx)
{
	struct auth_login	*l = ctx->priv;

	if (!l->ok || !l->found) {
		auth_slot_give(l);
		return (api_error(ctx, 422, "current_password_wrong",
		    NULL, NULL));
	}

	/* The same check goes on: the new hash costs as much again. */
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
	const char		*params[4];
	char			uid[32], sid[32];

	auth_slot_give(l);
	if (!l->ok)
		return (api_error(ctx, 500, "internal", NULL, NULL));

	(void)snprintf(uid, sizeof(uid), "%lld", ctx->who.user_id);
	(void)snprintf(sid, sizeof(sid), "%lld", ctx->who.session_id);
	params[0] = uid;
	params[1] = l->newhash;
	params[2] = sid;
	params[3] = l->attempt;

	return (api_then(ctx, Q_PASSWORD_SET, 4, params, auth_password_done));
}

static int
auth_password_done(struct api_ctx *ctx)
{
	return (api_nocontent(ctx));
}
