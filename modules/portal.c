/*
 * Start-up: everything read from disk is read once, in the parent, before
 * the workers fork and their sandbox closes.  A broken file stops the
 * server here with a message, never later in a request.
 */
#include <sys/types.h>
#include <sys/prctl.h>

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
#include "mail_send.h"
#include "outline.h"
#include "pdf_render.h"

/*
 * glibc 2.36 implements stat/fstat with newfstatat, which Kore's worker
 * filter lacks: libpq (looking for ~/.pgpass) and libxlsxwriter need it.
 * mkdtemp/rmdir serve the private scratch directory of each export.
 * glibc starts task threads with clone3 and registers rseq for them;
 * Kore's task filter only knows clone.  glibc's perror() writes through
 * a dup() of stderr: a library reporting a failure that way (cracklib
 * when its dictionary cannot be opened) must not kill the worker.
 * GLib, under pango, names the threads it starts (prctl PR_SET_NAME, and
 * nothing else of prctl); cairo, pango, fontconfig and FreeType need no
 * more than that to draw a document (found with seccomp_tracing).
 * libcurl asks for the peer's address of every connection it opens to
 * the mail server (mail_send.c): getpeername, found with
 * seccomp_tracing.  The export thread of each worker lowers its own
 * priority when it starts (api.c): gettid, setpriority; it names
 * itself, as GLib does.
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
	KORE_SYSCALL_ALLOW_ARG(prctl, 0, PR_SET_NAME),
	KORE_SYSCALL_ALLOW(getpeername),
	KORE_SYSCALL_ALLOW(gettid),
	KORE_SYSCALL_ALLOW(setpriority),
);

void	kore_parent_configure(int, char **);
void	kore_worker_configure(void);

static void	portal_fonts(void);

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
	mail_configure(root, portal_env("PORTAL_DB", NULL));

	(void)snprintf(path, sizeof(path), "%s/sql/queries.sql", root);
	db_load_queries(path);

	(void)snprintf(path, sizeof(path), "%s/assets", root);
	assets_load(path);

	(void)snprintf(path, sizeof(path), "%s/forms", root);
	outline_init(path);

	auth_init();
	portal_fonts();
}

/*
 * The documents' fonts: fontconfig learns the four Liberation Serif
 * files here, in the parent, from memory (no configuration file, no
 * cache), and the workers inherit it; FreeType then opens the files
 * themselves, which the jail holds at the same path (privsep.sh).  Try
 * the jailed copies too: a missing one would fail every PDF.
 */
static void
portal_fonts(void)
{
	const char	*dir;
	char		err[512], path[1024];
	FILE		*fp;
	size_t		i;

	if ((dir = getenv("PORTAL_FONT_DIR")) == NULL || *dir == '\0')
		dir = PDF_FONT_DIR_DEFAULT;
	if (pdf_fonts_init(dir, err, sizeof(err)) == -1)
		fatal("fonts: %s", err);
	if (skip_chroot || kore_root_path == NULL)
		return;
	for (i = 0; i < 4; i++) {
		(void)snprintf(path, sizeof(path), "%s%s/%s", kore_root_path,
		    dir, pdf_font_files[i]);
		if ((fp = fopen(path, "r")) == NULL)
			fatal("fonts: %s is missing inside the workers' root "
			    "(scripts/privsep.sh copies it: privsep_jail_files)",
			    path);
		fclose(fp);
	}
}

/* Each worker, its sandbox closed: the mail sender (mail_send.c). */
void
kore_worker_configure(void)
{
	mail_worker_start();
}
