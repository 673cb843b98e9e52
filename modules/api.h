/*
 * The HTTP side of the portal: what a request is while it is served
 * (struct api_ctx), and the helpers of api.c that every handler uses to
 * read it and answer.  The dispatcher (route.c) matches the route,
 * authenticates (auth.c), checks the role and CSRF token, and then calls
 * the route's handler.  Handlers are continuations: each either answers
 * or starts one statement and names the function to call with its result.
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
struct api_stream;
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

	/* The last argument api_qs_arg found unusable, and why (uri.h). */
	char			qs_name[32];
	int			qs_why;

	/*
	 * outline.c: the step after the outline versions a request needs
	 * are loaded, and the version found in force (outline_at).
	 */
	api_step		outline_next;
	int			outline_version;

	/* A chunked answer under way (api_stream.c), once its headers went. */
	struct api_stream	*stream;

	/* Work too slow for the event loop (password hashing) runs here. */
	struct kore_task	task;
	int			task_on;
	int			(*task_fn)(void *);
};

/* api.c */
int		api_then(struct api_ctx *, int query, int n, const char **,
		    api_step);
int		api_offload(struct api_ctx *, int (*)(void *), api_step);
int		api_offload_export(struct api_ctx *, int (*)(void *),
		    api_step);
int		api_bound_take(struct api_ctx *, u_int32_t *running,
		    u_int32_t max, int *held, const char *retry,
		    const char *msg);
void		api_bound_give(u_int32_t *running, int *held);
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
int		api_qs_arg(struct api_ctx *, const char *name, char *, size_t);
int		api_qs_error(struct api_ctx *, const char *name,
		    const char *code, const char *message);
int		api_qs_filter(struct api_ctx *, const char *name, char *,
		    size_t, int (*)(const char *), const char *message);
const char	*api_role_name(int);
int		api_role_parse(const char *);
void		api_headers(struct http_request *, const char *ctype);
void		api_headers_cache(struct http_request *, const char *ctype,
		    const char *cache_control);
char		*api_json_text(json_t *, const char *key, size_t max);

/* api_stream.c */
int		api_stream_begin(struct api_ctx *, const char *ctype);
void		api_stream_write(struct api_ctx *, const void *, size_t);
void		api_stream_puts(struct api_ctx *, const char *);
int		api_stream_busy(struct api_ctx *);
int		api_stream_gone(struct api_ctx *);
size_t		api_stream_size(struct api_ctx *);
int		api_stream_end(struct api_ctx *);
int		api_stream_abort(struct api_ctx *);
void		api_stream_free(struct api_ctx *);
char		*api_json_chars(json_t *, const char *key, size_t max);

#endif
