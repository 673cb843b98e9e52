/*
 * One asynchronous statement at a time over Kore's pgsql layer.
 *
 * Kore wakes the request whenever the connection has something; db_poll()
 * turns that into three answers: still pending, ready (the PGresult is ours
 * until db_clear), or failed.  The connection goes back to the pool as soon
 * as the statement is done, so no request holds one while computing.
 *
 * Connections are handed out here, not by Kore.  Kore gives a freed
 * connection to the first request of its wait queue, but that request
 * runs only on the next turn of the event loop; any other request can
 * take the connection meanwhile, and the one woken goes to the back of
 * the queue again.  Under a burst some requests so waited thirty times
 * as long as the median one.  db.c counts the connections in use itself
 * and sends a statement only when one is sure to be free: in order of
 * arrival, and a request already past its first statement before new
 * ones, so that what has started finishes first.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "db.h"

#define DB_NAME		"db"

#define DB_IDLE		0
#define DB_QUEUED	1
#define DB_SENT		2

/* The steps of a cursor (db_cursor_open), in order. */
#define DB_CUR_BEGIN	1	/* BEGIN READ ONLY */
#define DB_CUR_SET	2	/* planned for the whole result */
#define DB_CUR_DECLARE	3	/* the statement, with its parameters */
#define DB_CUR_OPEN	4	/* declared; no FETCH in flight */
#define DB_CUR_FETCH	5	/* a FETCH in flight */
#define DB_CUR_COMMIT	6

#define DB_CUR_NAME	"db_cursor"
#define DB_CUR_DECLARE_SQL "DECLARE " DB_CUR_NAME " NO SCROLL CURSOR FOR "
/* For the cursor's transaction alone: its sort, in memory. */
#define DB_CUR_WORK_MEM	"64MB"

struct db_named {
	const char	*name;
	char		*sql;
};

/* 0: next statements of requests under way; 1: first statements. */
TAILQ_HEAD(db_queue, db);
static struct db_queue	db_waiting[2] = {
	TAILQ_HEAD_INITIALIZER(db_waiting[0]),
	TAILQ_HEAD_INITIALIZER(db_waiting[1]),
};
static u_int32_t	db_in_use;
static int		db_kick_set;

static struct db_named	db_sql[] = {
#define Q(id, name)	{ name, NULL },
	DB_QUERIES
#undef Q
};

static char	*db_file_read(const char *, size_t *);
static void	db_query_set(const char *, const char *, size_t);
static int	db_queue(struct db *);
static int	db_send(struct db *);
static int	db_fail(struct db *);
static void	db_conn_drop(struct db *);
static void	db_conn_close(struct db *);
static int	db_cursor_step(struct db *);
static int	db_send_more(struct db *, const char *, int);
static void	db_params_free(struct db *);
static int	db_take_slot(struct db *);
static void	db_release(struct db *);
static void	db_kick(void *, u_int64_t);

static char *
db_file_read(const char *path, size_t *len)
{
	FILE	*fp;
	char	*buf;
	long	sz;

	if ((fp = fopen(path, "r")) == NULL)
		fatal("cannot open %s: %s", path, errno_s);
	if (fseek(fp, 0, SEEK_END) == -1 || (sz = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) == -1)
		fatal("cannot size %s: %s", path, errno_s);

	buf = kore_malloc((size_t)sz + 1);
	if (fread(buf, 1, (size_t)sz, fp) != (size_t)sz)
		fatal("cannot read %s", path);
	buf[sz] = '\0';
	fclose(fp);
	*len = (size_t)sz;

	return (buf);
}

static void
db_query_set(const char *name, const char *sql, size_t len)
{
	size_t		i;

	for (i = 0; i < sizeof(db_sql) / sizeof(db_sql[0]); i++) {
		if (strcmp(db_sql[i].name, name))
			continue;
		if (db_sql[i].sql != NULL)
			fatal("sql/queries.sql: query '%s' defined twice", name);
		db_sql[i].sql = kore_malloc(len + 1);
		memcpy(db_sql[i].sql, sql, len);
		db_sql[i].sql[len] = '\0';
		return;
	}

	fatal("sql/queries.sql: query '%s' is not listed in queries.h", name);
}

/*
 * The file is a list of "-- name: x" markers each followed by one
 * statement.  A statement is everything up to the next marker.
 */
void
db_load_queries(const char *path)
{
	const char	*marker = "-- name: ";
	char		*buf, *p, *next, *eol, name[64];
	size_t		len, i, nlen;

	buf = db_file_read(path, &len);
	p = strstr(buf, marker);

	while (p != NULL) {
		p += strlen(marker);
		if ((eol = strchr(p, '\n')) == NULL)
			fatal("%s: marker without a statement", path);
		nlen = (size_t)(eol - p);
		while (nlen > 0 && (p[nlen - 1] == ' ' || p[nlen - 1] == '\r'))
			nlen--;
		if (nlen == 0 || nlen >= sizeof(name))
			fatal("%s: bad query name", path);
		memcpy(name, p, nlen);
		name[nlen] = '\0';

		p = eol + 1;
		next = strstr(p, marker);
		db_query_set(name, p, next ? (size_t)(next - p) : strlen(p));
		p = next;
	}
	kore_free(buf);

	for (i = 0; i < sizeof(db_sql) / sizeof(db_sql[0]); i++) {
		if (db_sql[i].sql == NULL)
			fatal("%s: query '%s' is missing", path, db_sql[i].name);
	}
}

/*
 * The text of a named statement, for the mail sender's own connection
 * (mail_send.c), which runs them from a thread of its own, off Kore's
 * pool.  Loaded at start-up and never changed: safe from any thread.
 */
const char *
db_query_sql(int query)
{
	if (query < 0 || query >= Q_COUNT)
		fatal("db_query_sql: %d", query);

	return (db_sql[query].sql);
}

void
db_register(const char *conninfo)
{
	if (!kore_pgsql_register(DB_NAME, conninfo))
		fatal("cannot register database");
}

static void
db_prepare(struct db *db, struct http_request *req, int query, int nparams,
    const char **params)
{
	int		i;

	if (nparams < 0 || nparams > DB_MAX_PARAMS)
		fatal("db_start: %d parameters", nparams);

	db_clear(db);
	db->req = req;
	db->query = query;
	db->nparams = nparams;
	db->retried = 0;
	db->cursor = 0;

	/* Kept until done: it may wait its turn, or be sent again. */
	for (i = 0; i < nparams; i++) {
		if (params[i] == NULL) {
			db->params[i] = NULL;
			db->lengths[i] = 0;
			continue;
		}
		db->params[i] = kore_strdup(params[i]);
		db->lengths[i] = (int)strlen(params[i]);
	}
}

int
db_start(struct db *db, struct http_request *req, int query, int nparams,
    const char **params)
{
	db_prepare(db, req, query, nparams, params);

	return (db_queue(db));
}

/* Ready to be sent, when its turn comes. */
static int
db_queue(struct db *db)
{
	kore_pgsql_init(&db->pg);
	kore_pgsql_bind_request(&db->pg, db->req);
	db->state = DB_QUEUED;

	return (db_send(db));
}

/*
 * A connection for this statement now, or a place in line: 1 when it
 * may be sent.  Nobody overtakes a request that waits in a queue of the
 * same or a higher rank.
 */
static int
db_take_slot(struct db *db)
{
	int		rank;

	if (db->slot)
		return (1);
	rank = db->started ? 0 : 1;
	if (!db->waiting && db_in_use < pgsql_conn_max &&
	    TAILQ_EMPTY(&db_waiting[0]) &&
	    (rank == 0 || TAILQ_EMPTY(&db_waiting[1]))) {
		db->slot = 1;
		db_in_use++;
		return (1);
	}
	if (!db->waiting) {
		TAILQ_INSERT_TAIL(&db_waiting[rank], db, list);
		db->waiting = rank + 1;
	}
	http_request_sleep(db->req);

	return (0);
}

/* Give back a connection and promise the freed ones to whoever is next. */
static void
db_release(struct db *db)
{
	struct db	*next;
	int		rank;

	if (db->waiting) {
		TAILQ_REMOVE(&db_waiting[db->waiting - 1], db, list);
		db->waiting = 0;
	}
	if (db->slot) {
		db->slot = 0;
		db_in_use--;
	}

	while (db_in_use < pgsql_conn_max) {
		for (rank = 0; rank < 2; rank++) {
			if ((next = TAILQ_FIRST(&db_waiting[rank])) != NULL)
				break;
		}
		if (next == NULL)
			break;
		TAILQ_REMOVE(&db_waiting[rank], next, list);
		next->waiting = 0;
		next->slot = 1;
		db_in_use++;
		http_request_wakeup(next->req);
		/*
		 * Kore runs a request woken here on this turn of the loop
		 * only if it has not yet passed the end of its run queue;
		 * otherwise the loop waits for the network, up to 100 ms,
		 * first.  A timer due now keeps it from waiting.
		 */
		if (!db_kick_set) {
			kore_timer_add(db_kick, 0, NULL, KORE_TIMER_ONESHOT);
			db_kick_set = 1;
		}
	}
}

static void
db_kick(void *arg, u_int64_t now)
{
	db_kick_set = 0;
}

static int
db_send(struct db *db)
{
	int		formats[DB_MAX_PARAMS];

	if (!db_take_slot(db))
		return (DB_PENDING);

	if (!kore_pgsql_setup(&db->pg, DB_NAME, KORE_PGSQL_ASYNC)) {
		/* No free connection: Kore queued us and wakes us later. */
		if (db->pg.state == KORE_PGSQL_STATE_INIT)
			return (DB_PENDING);
		return (db_fail(db));
	}

	db->state = DB_SENT;
	if (db->cursor == DB_CUR_BEGIN)
		return (db_send_more(db, "BEGIN READ ONLY", 0));

	memset(formats, 0, sizeof(formats));
	if (!kore_pgsql_query_param_fields(&db->pg, db_sql[db->query].sql, 0,
	    db->nparams, (const char **)db->params, db->lengths, formats))
		return (db_fail(db));

	return (DB_PENDING);
}

/*
 * The next statement of a cursor on the connection it keeps: Kore's
 * statement is done (its last result read), so libpq takes another.
 */
static int
db_send_more(struct db *db, const char *sql, int nparams)
{
	int		formats[DB_MAX_PARAMS];

	memset(formats, 0, sizeof(formats));
	if (!kore_pgsql_query_param_fields(&db->pg, sql, 0, nparams,
	    (const char **)db->params, db->lengths, formats))
		return (db_fail(db));

	return (DB_PENDING);
}

int
db_cursor_open(struct db *db, struct http_request *req, int query,
    int nparams, const char **params, int batch)
{
	db_prepare(db, req, query, nparams, params);
	db->cursor = DB_CUR_BEGIN;
	db->batch = batch;

	return (db_queue(db));
}

/* The next batch, while the caller works on the one it took. */
int
db_cursor_fetch(struct db *db)
{
	char		sql[64];

	if (db_cursor(db) != DB_CURSOR_IDLE || db->res != NULL)
		fatal("db_cursor_fetch: cursor in step %d", db->cursor);
	db->cursor = DB_CUR_FETCH;
	(void)snprintf(sql, sizeof(sql), "FETCH %d FROM " DB_CUR_NAME,
	    db->batch);

	return (db_send_more(db, sql, 0));
}

/* The batch db_poll() made ready: the caller's, to PQclear(). */
PGresult *
db_cursor_take(struct db *db)
{
	PGresult	*res;

	if (db->cursor == 0)
		return (NULL);
	res = db->res;
	db->res = NULL;

	return (res);
}

int
db_cursor(const struct db *db)
{
	if (db->cursor == 0)
		return (DB_CURSOR_DONE);
	if (db->cursor == DB_CUR_OPEN && db->state == DB_SENT &&
	    db->pg.state == KORE_PGSQL_STATE_DONE)
		return (DB_CURSOR_IDLE);

	return (DB_CURSOR_BUSY);
}

/*
 * A statement of the cursor has given its last result: send the next
 * one, or hand the batch over (DB_READY).  An empty batch is the end:
 * COMMIT, after which db_poll() gives the connection back as for any
 * statement.
 */
static int
db_cursor_step(struct db *db)
{
	struct kore_buf	*b;
	char		*sql;
	int		r;

	/* What BEGIN, SET and DECLARE answer is nobody's. */
	if (db->cursor < DB_CUR_OPEN && db->res != NULL) {
		PQclear(db->res);
		db->res = NULL;
	}

	switch (db->cursor) {
	case DB_CUR_BEGIN:
		db->cursor = DB_CUR_SET;
		/*
		 * Else a cursor is planned to give its first tenth fast; and
		 * the big answer's sort is better in memory than on disk.
		 */
		return (db_send_more(db, "SELECT set_config("
		    "'cursor_tuple_fraction', '1', true), "
		    "set_config('work_mem', '" DB_CUR_WORK_MEM "', true)", 0));
	case DB_CUR_SET:
		db->cursor = DB_CUR_DECLARE;
		b = kore_buf_alloc(8192);
		kore_buf_append(b, DB_CUR_DECLARE_SQL,
		    strlen(DB_CUR_DECLARE_SQL));
		kore_buf_append(b, db_sql[db->query].sql,
		    strlen(db_sql[db->query].sql));
		sql = kore_buf_stringify(b, NULL);
		r = db_send_more(db, sql, db->nparams);
		kore_buf_free(b);
		return (r);
	case DB_CUR_DECLARE:
		db_params_free(db);
		db->cursor = DB_CUR_OPEN;
		return (DB_READY);
	case DB_CUR_FETCH:
		db->cursor = DB_CUR_OPEN;
		if (db->res != NULL && PQntuples(db->res) > 0)
			return (DB_READY);
		if (db->res != NULL)
			PQclear(db->res);
		db->res = NULL;
		db->cursor = DB_CUR_COMMIT;
		return (db_send_more(db, "COMMIT", 0));
	default:
		/* Open, nothing in flight: woken for something else. */
		return (DB_READY);
	}
}

int
db_poll(struct db *db)
{
	if (db->state == DB_QUEUED)
		return (db_send(db));
	if (db->state != DB_SENT)
		return (DB_READY);

	for (;;) {
		switch (db->pg.state) {
		case KORE_PGSQL_STATE_WAIT:
			/*
			 * A cursor's request is also woken by its client
			 * taking what was sent: asleep again until
			 * PostgreSQL answers, or Kore runs it every turn.
			 */
			if (db->cursor)
				http_request_sleep(db->req);
			return (DB_PENDING);
		case KORE_PGSQL_STATE_RESULT:
			if (db->res == NULL) {
				db->res = db->pg.result;
				db->pg.result = NULL;
			}
			kore_pgsql_continue(&db->pg);
			break;
		case KORE_PGSQL_STATE_DONE:
			if (db->cursor && db->cursor != DB_CUR_COMMIT) {
				/*
				 * BEGIN, SET, DECLARE: a command's result
				 * comes as Kore's "done", the end of the
				 * statement only once libpq has no more.
				 */
				if (db->pg.result != NULL) {
					PQclear(db->pg.result);
					db->pg.result = NULL;
					db->pg.state = KORE_PGSQL_STATE_RESULT;
					kore_pgsql_continue(&db->pg);
					break;
				}
				return (db_cursor_step(db));
			}
			if (db->res == NULL && db->pg.result != NULL) {
				db->res = db->pg.result;
				db->pg.result = NULL;
			}
			kore_pgsql_continue(&db->pg);
			break;
		case KORE_PGSQL_STATE_COMPLETE:
			kore_pgsql_cleanup(&db->pg);
			db_params_free(db);
			db->state = DB_IDLE;
			db->started = 1;
			db->cursor = 0;
			db_release(db);
			return (DB_READY);
		case KORE_PGSQL_STATE_ERROR:
			return (db_fail(db));
		default:
			return (DB_PENDING);
		}
	}
}

/*
 * A connection PostgreSQL dropped (a restart, a crash).  Kore would put
 * it back in its pool, dead, and when libpq has already closed the socket
 * Kore's clean-up stops the worker (epoll_ctl on descriptor -1).  Have
 * Kore destroy it the way it does when the event loop sees the socket
 * fail; the next statement then opens a new connection.
 */
static void
db_conn_drop(struct db *db)
{
	struct pgsql_conn	*c;

	if ((c = db->pg.conn) == NULL || PQstatus(c->db) != CONNECTION_BAD)
		return;
	db->pg.flags &= ~KORE_PGSQL_SCHEDULED;
	kore_pgsql_handle(c, 1);
}

/*
 * A cursor's connection, failed or left before the end: closed, for it
 * is inside a transaction, perhaps with a FETCH still coming.  A FETCH
 * under way is cancelled first (a backend busy computing would not see
 * its client gone until it sends).  Kore destroys the connection as a
 * failed one (PQfinish); PostgreSQL rolls back, and the next statement
 * opens a new connection.
 */
static void
db_conn_close(struct db *db)
{
	struct pgsql_conn	*c;
	PGcancel		*cancel;
	char			err[256];

	if ((c = db->pg.conn) == NULL)
		return;
	if (PQtransactionStatus(c->db) == PQTRANS_ACTIVE &&
	    (cancel = PQgetCancel(c->db)) != NULL) {
		if (!PQcancel(cancel, err, sizeof(err)))
			kore_log(LOG_NOTICE, "cursor: cannot cancel: %s", err);
		PQfreeCancel(cancel);
	}
	db->pg.flags &= ~KORE_PGSQL_SCHEDULED;
	kore_pgsql_handle(c, 1);
}

static int
db_fail(struct db *db)
{
	const char	*state;

	state = NULL;
	if (db->pg.result != NULL)
		state = PQresultErrorField(db->pg.result, PG_DIAG_SQLSTATE);
	(void)snprintf(db->sqlstate, sizeof(db->sqlstate), "%s",
	    state ? state : "08000");
	(void)snprintf(db->error, sizeof(db->error), "%s",
	    db->pg.error ? db->pg.error : "unknown error");
	kore_log(LOG_NOTICE, "query '%s' failed: %s %s",
	    db_sql[db->query].name, db->sqlstate, db->error);

	/*
	 * Chosen as a deadlock's victim, or a serialization failure: the
	 * statement, a transaction of its own, was rolled back whole, so it
	 * is sent once more rather than answered as a failure (two office
	 * decisions in bulk and a submission can meet on the same totals).
	 */
	if (db->state == DB_SENT && !db->retried && !db->cursor &&
	    (!strcmp(db->sqlstate, "40P01") || !strcmp(db->sqlstate, "40001"))) {
		db->retried = 1;
		kore_pgsql_cleanup(&db->pg);
		return (db_queue(db));
	}

	if (db->cursor)
		db_conn_close(db);
	else
		db_conn_drop(db);
	kore_pgsql_cleanup(&db->pg);
	db_params_free(db);
	db->state = DB_IDLE;
	db->cursor = 0;
	db_release(db);

	return (DB_FAILED);
}

static void
db_params_free(struct db *db)
{
	int		i;

	for (i = 0; i < db->nparams; i++) {
		kore_free(db->params[i]);
		db->params[i] = NULL;
	}
	db->nparams = 0;
}

void
db_clear(struct db *db)
{
	if (db->state == DB_SENT && db->cursor)
		db_conn_close(db);
	if (db->state != DB_IDLE)
		kore_pgsql_cleanup(&db->pg);
	if (db->waiting || db->slot)
		db_release(db);
	db_params_free(db);
	if (db->res != NULL)
		PQclear(db->res);
	db->res = NULL;
	db->state = DB_IDLE;
	db->cursor = 0;
	db->sqlstate[0] = '\0';
	db->error[0] = '\0';
}

int
db_rows(const struct db *db)
{
	if (db->res == NULL)
		return (0);

	return (PQntuples(db->res));
}

const char *
db_get(const struct db *db, int row, int col)
{
	return (PQgetvalue(db->res, row, col));
}

int
db_isnull(const struct db *db, int row, int col)
{
	return (PQgetisnull(db->res, row, col));
}

long long
db_get_ll(const struct db *db, int row, int col)
{
	return (strtoll(PQgetvalue(db->res, row, col), NULL, 10));
}

int
db_get_bool(const struct db *db, int row, int col)
{
	return (PQgetvalue(db->res, row, col)[0] == 't');
}

int
db_affected(const struct db *db)
{
	if (db->res == NULL)
		return (0);

	return (atoi(PQcmdTuples(db->res)));
}
