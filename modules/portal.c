/*
 * Start-up: everything read from disk is read once, in the parent, before
 * the workers fork and their sandbox closes.  A broken file stops the
 * server here with a message, never later in a request.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>
#include <kore/seccomp.h>

#include "api.h"
#include "assets.h"
#include "auth.h"
#include "outline.h"

/*
 * glibc 2.36 implements stat/fstat with newfstatat, which Kore's worker
 * filter lacks: libpq (looking for ~/.pgpass) and libxlsxwriter need it.
 * mkdtemp/rmdir serve the private scratch directory of each export.
 * glibc starts task threads with clone3 and registers rseq for them;
 * Kore's task filter only knows clone.  glibc's perror() writes through
 * a dup() of stderr: a library reporting a failure that way (cracklib
 * when its dictionary cannot be opened) must not kill the worker.
 */
KORE_SECCOMP_FILTER("portal",
	KORE_SYSCALL_ALLOW(newfstatat),
	KORE_SYSCALL_ALLOW(mkdir),
	KORE_SYSCALL_ALLOW(rmdir),
	KORE_SYSCALL_ALLOW(rename),
	KORE_SYSCALL_ALLOW(ftruncate),
	KORE_SYSCALL_ALLOW(uname),
	KORE_SYSCALL_ALLOW(clone3),
	KORE_SYSCALL_ALLOW(rseq),
	KORE_SYSCALL_ALLOW(dup),
);

void	kore_parent_configure(int, char **);

static const char *
portal_env(const char *name, const char *fallback)
{
	const char	*v;

	if ((v = getenv(name)) == NULL || *v == '\0') {
		if (fallback == NULL)
			fatal("%s is not set (see README.md)", name);
		return (fallback);
	}

	return (v);
}

void
kore_parent_configure(int argc, char **argv)
{
	const char	*root;
	char		path[1024];

	(void)argc;
	(void)argv;

	root = portal_env("PORTAL_ROOT", ".");
	db_register(portal_env("PORTAL_DB", NULL));

	(void)snprintf(path, sizeof(path), "%s/sql/queries.sql", root);
	db_load_queries(path);

	(void)snprintf(path, sizeof(path), "%s/assets", root);
	assets_load(path);

	(void)snprintf(path, sizeof(path), "%s/forms", root);
	outline_init(path);

	auth_init();
}
