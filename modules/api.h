/*
 * The HTTP side of the portal: one dispatcher for every /api/ path and
 * /healthz, which authenticates, checks the role and CSRF token, and then
 * calls the route's handler.  Handlers are continuations: each either
 * answers or starts one statement and names the function to call with
 * its result.
 */
#ifndef API_H
#define API_H

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include <kore/tasks.h>

#include <jansson.h>

#include "db.h"

#define ROLE_UNIT	0x01
#define ROLE_OFFICE	0x02
#define ROLE_VIEWER	0x04
#define ROLE_ADMIN	0x08
#define ROLE_ANY	(ROLE_UNIT | ROLE_OFFICE | ROLE_VIEWER | ROLE_ADMIN)
#define ROLE_STAFF	(ROLE_OFFICE | ROLE_ADMIN)

/* Route flags. */
#define API_PUBLIC	0x01	/* no session needed */
#define API_PWCHANGE	0x02	/* allowed while a password change is due */
#define API_TOKEN	0x04	/* integrations may call it with a token */

#define API_MAX_ARGS	4

/* What a handler step returns. */
#define API_WAIT	0	/* a statement is in flight */
#define API_DONE	1	/* the answer has been sent */

#define USERNAME_MAX	64
#define CALLER_UNIT_MAX	33

struct caller {
	long long	user_id;
	long long	session_id;
	int		role;
	int		must_change;
	int		via_token;
	char		username[USERNAME_MAX];
	char		unit[CALLER_UNIT_MAX];
	char		csrf[64];
};

struct api_ctx;
typedef int	(*api_step)(struct api_ctx *);

struct api_route {
	int		method;
	const char	*path;		/* "/api/v1/units/:", ':' = one segment */
	int		roles;
	int		flags;
	api_step	handler;
};

struct api_ctx {
	struct http_request	*req;
	const struct api_route	*route;
	struct db		db;
	struct caller		who;
	api_step		next;
	char			*args[API_MAX_ARGS];
	int			nargs;
	json_t			*body;
	void			*priv;
	void			(*priv_free)(void *);
	char			token[128];

	/* Work too slow for the event loop (password hashing) runs here. */
	struct kore_task	task;
	int			task_on;
	int			(*task_fn)(void *);
};

/* api.c */
int		api_then(struct api_ctx *, int query, int n, const char **,
		    api_step);
int		api_offload(struct api_ctx *, int (*)(void *), api_step);
int		api_json(struct api_ctx *, int status, json_t *);
int		api_raw(struct api_ctx *, int status, const char *json);
int		api_file(struct api_ctx *, const char *ctype,
		    const char *filename, const void *, size_t);
int		api_nocontent(struct api_ctx *);
int		api_error(struct api_ctx *, int status, const char *code,
		    const char *message, json_t *details);
int		api_db_error(struct api_ctx *);
int		api_body_json(struct api_ctx *, size_t max);
const char	*api_body(struct api_ctx *, size_t *);
const char	*api_qs(struct api_ctx *, const char *name, char *, size_t);
int		api_qs_arg(struct api_ctx *, const char *name, char *, size_t);
const char	*api_role_name(int);
int		api_role_parse(const char *);
void		api_headers(struct http_request *, const char *ctype);
void		api_headers_cache(struct http_request *, const char *ctype,
		    const char *cache_control);
char		*api_json_text(json_t *, const char *key, size_t max);
char		*api_json_chars(json_t *, const char *key, size_t max);

/* auth.c: the steps of the dispatcher and the session routes. */
void		auth_init(void);
int		auth_begin(struct api_ctx *);
int		auth_login(struct api_ctx *);
int		auth_logout(struct api_ctx *);
int		auth_session_get(struct api_ctx *);
int		auth_password(struct api_ctx *);
void		auth_cookie_token(struct http_request *, char *, size_t);

/* scope.c: who may see what. */
const char	*scope_user_param(const struct api_ctx *, char *, size_t);

/* health, calendar, units, accounts. */
int		health_get(struct api_ctx *);
int		cal_list(struct api_ctx *);
int		cal_update(struct api_ctx *);
int		cal_seed_json(int year, char *, size_t);
int		units_list(struct api_ctx *);
int		units_import(struct api_ctx *);
int		units_kinds(struct api_ctx *);
int		units_districts(struct api_ctx *);
int		contacts_list(struct api_ctx *);
int		contacts_put(struct api_ctx *);
int		accounts_list(struct api_ctx *);
int		accounts_create(struct api_ctx *);
int		accounts_bulk(struct api_ctx *);
int		accounts_reset(struct api_ctx *);
int		accounts_unlock(struct api_ctx *);
int		forms_get(struct api_ctx *);
int		report_get(struct api_ctx *);
int		report_put(struct api_ctx *);
int		report_submit(struct api_ctx *);
int		reports_list(struct api_ctx *);
int		tokens_list(struct api_ctx *);
int		tokens_create(struct api_ctx *);
int		tokens_revoke(struct api_ctx *);
int		review_list(struct api_ctx *);
int		review_return(struct api_ctx *);
int		review_accept(struct api_ctx *);
int		review_reopen(struct api_ctx *);
int		review_bulk(struct api_ctx *);
int		completeness_get(struct api_ctx *);
int		cons_get(struct api_ctx *);

#endif
