/*
 * Outline versions (sql/013_outline_versions.sql): each form has
 * versions, each with the first period it applies to, stored in the
 * database as the JSON loaded.  A worker loads a version the first time
 * a request needs it (form_load_text) and keeps it: versions never
 * change once stored, so what a worker keeps is never stale, and a new
 * version is seen by every node and worker without a restart.
 */
#ifndef OUTLINE_H
#define OUTLINE_H

#include "api.h"
#include "form.h"

/* At most this many versions of one form (the table's CHECK too). */
#define OUTLINE_VERSIONS_MAX	100

/*
 * The forms the portal serves (PL1, PL2).  Their files in dir are
 * checked at start-up, which stops on a broken one: they seed version 1
 * (scripts/migrate.sh).
 */
void	outline_init(const char *dir);
int	outline_known(const char *code);

/*
 * A version this worker has loaded, or NULL: only after outline_need()
 * (or outline_at()) for it.  Safe on a task thread: entries are only
 * ever added, each whole before it is counted.
 */
const struct form	*outline_get(const char *form, int version);
const char		*outline_first_period(const char *form, int version);

/*
 * Make sure these versions of form are loaded, then continue with next:
 * at once when they all are, else after one statement.  A version that
 * does not load answers 500 itself.
 */
int	outline_need(struct api_ctx *, const char *form, const int *versions,
	    size_t n, api_step next);

/*
 * The version of form in force in period ("" for today), loaded, in
 * ctx->outline_version; then next.  A form without versions answers 500.
 */
int	outline_at(struct api_ctx *, const char *form, const char *period,
	    api_step next);

/*
 * Distinct versions gathered in vs (n so far, at most max): one, or
 * those of a {period: version} object.  The new count.
 */
size_t	outline_version_add(int *vs, size_t n, size_t max, int v);
size_t	outline_versions_of(json_t *map, int *vs, size_t n, size_t max);

/* The routes: GET forms/{form}[?period=], versions, POST versions. */
int	outline_form_get(struct api_ctx *);
int	outline_versions_list(struct api_ctx *);
int	outline_version_get(struct api_ctx *);
int	outline_version_post(struct api_ctx *);

#endif
