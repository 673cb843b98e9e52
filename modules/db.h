/*
 * Asynchronous PostgreSQL on Kore's pgsql layer, one statement at a time.
 *
 * Every statement runs on its own and commits on its own: work that must
 * be atomic is one statement (a CTE or a function from sql/), never a
 * BEGIN ... COMMIT spread over round trips.  That keeps a dropped client
 * or a crashed worker from leaving half a change behind.
 *
 * The SQL itself lives in sql/queries.sql under "-- name: x" markers and
 * is loaded once at start-up; queries.h lists the names C may use.
 */
#ifndef DB_H
#define DB_H

#include <sys/queue.h>

#include <kore/kore.h>
#include <kore/pgsql.h>

#include "queries.h"

#define DB_MAX_PARAMS	16

#define DB_PENDING	0	/* the request sleeps until PostgreSQL answers */
#define DB_READY	1	/* the result is in db->res */
#define DB_FAILED	2	/* db->sqlstate and db->error say why */

struct http_request;

struct db {
	struct kore_pgsql	pg;
	struct http_request	*req;
	PGresult		*res;
	int			state;
	int			query;
	int			nparams;
	char			*params[DB_MAX_PARAMS];
	int			lengths[DB_MAX_PARAMS];
	char			sqlstate[6];
	char			error[256];

	/* db.c's own turn-taking for connections (see there). */
	TAILQ_ENTRY(db)		list;
	int			waiting;	/* in a queue */
	int			slot;		/* holds or is promised one */
	int			started;	/* a statement already ran */
	int			retried;	/* sent again after a deadlock */

	/* A cursor read in batches (db_cursor_open): its step, 0 when none. */
	int			cursor;
	int			batch;
};

void		db_load_queries(const char *path);
void		db_register(const char *conninfo);
const char	*db_query_sql(int query);

int		db_start(struct db *, struct http_request *, int query,
		    int nparams, const char **params);
int		db_poll(struct db *);
void		db_clear(struct db *);

/*
 * A big answer read in batches as the client takes it: the statement as a
 * cursor in a read-only transaction of its own, on a connection the
 * request keeps until the last batch.  db_poll() is DB_READY once the
 * cursor is open and then with each batch (db_rows() == 0: the end, the
 * transaction committed and the connection back in the pool).  Failing,
 * or cleared before the end (a client gone), the connection is closed,
 * never given back inside the transaction.
 */
#define DB_CURSOR_DONE	0	/* none, or read to the end */
#define DB_CURSOR_IDLE	1	/* open, nothing in flight: fetch */
#define DB_CURSOR_BUSY	2	/* a statement in flight */

int		db_cursor_open(struct db *, struct http_request *, int query,
		    int nparams, const char **params, int batch);
int		db_cursor_fetch(struct db *);
PGresult	*db_cursor_take(struct db *);
int		db_cursor(const struct db *);

int		db_rows(const struct db *);
const char	*db_get(const struct db *, int row, int col);
int		db_isnull(const struct db *, int row, int col);
long long	db_get_ll(const struct db *, int row, int col);
int		db_get_bool(const struct db *, int row, int col);
int		db_affected(const struct db *);

#endif
