/*
 * Sessions, sign-in and the checks of every non-public route (auth.c).
 * The dispatcher (route.c) calls auth_begin before a route's handler;
 * auth.c itself only answers through api.c.
 */
#ifndef AUTH_H
#define AUTH_H

#include "api.h"

void		auth_init(void);
int		auth_begin(struct api_ctx *);
int		auth_login(struct api_ctx *);
int		auth_logout(struct api_ctx *);
int		auth_session_get(struct api_ctx *);
int		auth_password(struct api_ctx *);
void		auth_cookie_token(struct http_request *, char *, size_t);

#endif
