/*
 * The sender of the notices queued in PostgreSQL (sql/016_notices.sql).
 *
 * Each worker runs one sender: a thread of its own, because libcurl's
 * SMTP blocks for as long as the mail server takes, and Kore's task
 * threads, which the sign-ins' password checks queue on in turn, must not
 * wait behind it.  A Kore timer on the event loop only wakes the thread
 * (a flag and a condition variable), every `interval` seconds.  At each
 * wake the thread, over a PostgreSQL connection of its own:
 *
 *   1. asks notice_schedule() to queue the day's reminders and digest
 *      (one indexed look-up once they are queued);
 *   2. claims one due notice at a time (FOR UPDATE SKIP LOCKED, with a
 *      lease: a node that dies holding one gives it up when the lease
 *      ends), builds the message (mail.c, mail_text.c), sends it, and
 *      records sent, or the error and when to try again; at most `batch`
 *      a wake, and it stops at the first failure of the server itself
 *      (down, TLS, sign-in), which will fail the next ones too.
 *
 * Every node may send: a notice claimed by one is skipped by the others.
 * What is not guaranteed, and cannot be, is a node dying between the
 * server's "250 OK" and the UPDATE that records it: that notice goes out
 * again after its lease, with the same Message-ID, which mail programs
 * use to show a duplicate once.
 *
 * The workers are chrooted and under seccomp (README): the parent reads
 * the password and the CA certificates before the workers fork (libcurl
 * gets them from memory), and the server is an IP address, or a name
 * given its address in `resolve` (the jail has no resolv.conf).
 */
#include <sys/types.h>

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <libpq-fe.h>

#include <kore/kore.h>

#include "db.h"
#include "form.h"
#include "mail.h"
#include "mail_send.h"
#include "period.h"
#include "reports.h"
#include "route.h"

#define MAIL_FILE_MAX		(4 * 1024 * 1024)
#define MAIL_DEFAULT_CA		"/etc/ssl/certs/ca-certificates.crt"

/* What one notice's turn came to. */
#define MAIL_NEXT		0	/* sent, or refused alone: go on */
#define MAIL_IDLE		1	/* nothing is due */
#define MAIL_STOP		2	/* the server or the database failed */

static struct mail_conf	mail_cf;
static int		mail_on;
static char		*mail_conninfo;
static char		*mail_password;
static char		*mail_ca;
static size_t		mail_ca_len;
static char		mail_days_json[64];
static char		mail_office_json[MAIL_OFFICE_MAX * (MAIL_ADDR_MAX + 4)];

static pthread_mutex_t	mail_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	mail_cond = PTHREAD_COND_INITIALIZER;
static int		mail_poked;

/* The sender thread's own. */
static PGconn		*mail_pg;
static int		mail_db_down;
static int		mail_server_down;
static int		mail_seeded_year;

static char	*mail_file(const char *, size_t *);
static void	 mail_check_host(void);
static void	 mail_json_lists(void);
static void	 mail_tick(void *, u_int64_t);
static void	*mail_main(void *);
static void	 mail_round(void);
static int	 mail_one(CURL **);

/* ---------- The parent ---------- */

static char *
mail_file(const char *path, size_t *len)
{
	FILE	*fp;
	char	*buf;
	size_t	n;

	if ((fp = fopen(path, "r")) == NULL)
		return (NULL);
	buf = malloc(MAIL_FILE_MAX + 1);
	n = buf != NULL ? fread(buf, 1, MAIL_FILE_MAX + 1, fp) : 0;
	fclose(fp);
	if (buf == NULL || n > MAIL_FILE_MAX) {
		free(buf);
		return (NULL);
	}
	buf[n] = '\0';
	if (len != NULL)
		*len = n;

	return (buf);
}

/*
 * Read conf/mail.conf (or PORTAL_MAIL_CONF), the password and the CA
 * certificates.  No file, or no url in it: notices are queued, none sent.
 */
void
mail_configure(const char *root, const char *conninfo)
{
	const char	*env;
	char		path[1024], err[256], *text, *nl;
	size_t		len;

	mail_conf_defaults(&mail_cf);
	if ((env = getenv("PORTAL_MAIL_CONF")) != NULL && *env != '\0')
		(void)snprintf(path, sizeof(path), "%s", env);
	else
		(void)snprintf(path, sizeof(path), "%s/conf/mail.conf", root);
	if ((text = mail_file(path, NULL)) == NULL) {
		if (env != NULL && *env != '\0')
			fatal("mail: cannot read %s (PORTAL_MAIL_CONF)", path);
		kore_log(LOG_NOTICE, "mail: no %s: notices are queued, "
		    "not sent", path);
		return;
	}
	if (mail_conf_parse(&mail_cf, text, err, sizeof(err)) == -1)
		fatal("mail: %s: %s", path, err);
	free(text);
	if (mail_cf.url[0] == '\0') {
		kore_log(LOG_NOTICE, "mail: no url in %s: notices are queued, "
		    "not sent", path);
		return;
	}

	if (mail_cf.password_file[0] != '\0') {
		if ((mail_password = mail_file(mail_cf.password_file,
		    NULL)) == NULL)
			fatal("mail: cannot read password_file %s",
			    mail_cf.password_file);
		if ((nl = strpbrk(mail_password, "\r\n")) != NULL)
			*nl = '\0';
	}
	if (mail_cf.cainfo[0] == '\0')
		(void)snprintf(mail_cf.cainfo, sizeof(mail_cf.cainfo), "%s",
		    MAIL_DEFAULT_CA);
	if ((mail_ca = mail_file(mail_cf.cainfo, &len)) == NULL)
		fatal("mail: cannot read the CA certificates %s (cainfo)",
		    mail_cf.cainfo);
	mail_ca_len = len;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatal("mail: curl_global_init failed");
	mail_check_host();
	mail_json_lists();
	if ((mail_conninfo = strdup(conninfo)) == NULL)
		fatal("mail: out of memory");
	mail_on = 1;
	kore_log(LOG_NOTICE, "mail: sending through %s%s%s, %s", mail_cf.url,
	    mail_cf.resolve[0] ? " at " : "", mail_cf.resolve,
	    mail_cf.starttls ? "STARTTLS required" : "without STARTTLS");
}

/* The jail cannot resolve names: an address, or one given in resolve. */
static void
mail_check_host(void)
{
	CURLU		*u;
	char		*host;
	unsigned char	addr[16];
	int		ip;

	if ((u = curl_url()) == NULL ||
	    curl_url_set(u, CURLUPART_URL, mail_cf.url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		fatal("mail: url %s does not parse", mail_cf.url);
	if (host[0] == '[') {
		host[strlen(host) - 1] = '\0';
		ip = inet_pton(AF_INET6, host + 1, addr) == 1;
	} else {
		ip = inet_pton(AF_INET, host, addr) == 1;
	}
	if (!ip && mail_cf.resolve[0] == '\0')
		fatal("mail: the workers are chrooted and cannot look up '%s': "
		    "give an IP address in url, or its address in resolve = "
		    "%s:PORT:ADDRESS", host, host);
	curl_free(host);
	curl_url_cleanup(u);
}

/* The days and the office's addresses as notice_schedule takes them. */
static void
mail_json_lists(void)
{
	size_t		i, o;

	o = (size_t)snprintf(mail_days_json, sizeof(mail_days_json), "[");
	for (i = 0; i < mail_cf.nremind; i++)
		o += (size_t)snprintf(mail_days_json + o,
		    sizeof(mail_days_json) - o, "%s%d", i ? "," : "",
		    mail_cf.remind_days[i]);
	(void)snprintf(mail_days_json + o, sizeof(mail_days_json) - o, "]");

	/* mail_addr_ok lets neither '"' nor '\\' through. */
	o = (size_t)snprintf(mail_office_json, sizeof(mail_office_json), "[");
	for (i = 0; i < mail_cf.noffice; i++)
		o += (size_t)snprintf(mail_office_json + o,
		    sizeof(mail_office_json) - o, "%s\"%s\"", i ? "," : "",
		    mail_cf.office[i]);
	(void)snprintf(mail_office_json + o, sizeof(mail_office_json) - o,
	    "]");
}

/* ---------- The worker ---------- */

void
mail_worker_start(void)
{
	pthread_t	t;
	pthread_attr_t	attr;

	if (!mail_on)
		return;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, mail_main, NULL) != 0)
		fatal("mail: cannot start the sender: %s", errno_s);
	pthread_attr_destroy(&attr);
	kore_timer_add(mail_tick, (u_int64_t)mail_cf.interval * 1000, NULL, 0);
	/* The first round at once: what waited while the node was down. */
	mail_tick(NULL, 0);
}

/* On the event loop: a flag and a signal, nothing that can wait. */
static void
mail_tick(void *arg, u_int64_t now)
{
	pthread_mutex_lock(&mail_lock);
	mail_poked = 1;
	pthread_cond_signal(&mail_cond);
	pthread_mutex_unlock(&mail_lock);
}

static void *
mail_main(void *arg)
{
	for (;;) {
		pthread_mutex_lock(&mail_lock);
		while (!mail_poked)
			pthread_cond_wait(&mail_cond, &mail_lock);
		mail_poked = 0;
		pthread_mutex_unlock(&mail_lock);
		mail_round();
	}

	return (NULL);
}

/* ---------- The sender thread: plain libc, libpq, libcurl ---------- */

static int
mail_db_connect(void)
{
	const char	*keys[] = { "dbname", "connect_timeout",
			    "application_name", NULL };
	const char	*vals[] = { mail_conninfo, "10", "portal-mail", NULL };

	if (mail_pg != NULL && PQstatus(mail_pg) == CONNECTION_OK)
		return (1);
	if (mail_pg != NULL)
		PQfinish(mail_pg);
	mail_pg = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(mail_pg) != CONNECTION_OK) {
		if (!mail_db_down)
			kore_log(LOG_NOTICE, "mail: database: %s",
			    PQerrorMessage(mail_pg));
		mail_db_down = 1;
		PQfinish(mail_pg);
		mail_pg = NULL;
		return (0);
	}
	if (mail_db_down)
		kore_log(LOG_NOTICE, "mail: database reachable again");
	mail_db_down = 0;

	return (1);
}

/* One named statement; its result, or NULL when it failed (logged). */
static PGresult *
mail_exec(int query, int n, const char **params)
{
	PGresult	*res;
	int		st;

	if (!mail_db_connect())
		return (NULL);
	res = PQexecParams(mail_pg, db_query_sql(query), n, NULL, params,
	    NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return (res);
	kore_log(LOG_NOTICE, "mail: statement %d failed: %s", query,
	    PQerrorMessage(mail_pg));
	PQclear(res);
	if (PQstatus(mail_pg) != CONNECTION_OK) {
		PQfinish(mail_pg);
		mail_pg = NULL;
	}

	return (NULL);
}

/*
 * A result recorded: sent or failed.  Tried again once on a connection
 * of its own if the first one broke, since the message is out already.
 */
static void
mail_record(int query, int n, const char **params)
{
	PGresult	*res;

	if ((res = mail_exec(query, n, params)) == NULL)
		res = mail_exec(query, n, params);
	if (res == NULL)
		kore_log(LOG_ERR, "mail: notice %s: could not record the "
		    "result; it is sent again after its lease", params[0]);
	PQclear(res);
}

/* The default calendar of this year (and of the next in December). */
static void
mail_seed(void)
{
	struct tm	tm;
	time_t		now;
	char		*seed;
	const char	*params[1];
	int		y;

	now = time(NULL) + PERIOD_TZ_OFFSET;
	if (gmtime_r(&now, &tm) == NULL)
		return;
	y = tm.tm_year + 1900;
	if (y == mail_seeded_year)
		return;
	if ((seed = malloc(8192)) == NULL)
		return;
	for (; y <= tm.tm_year + 1900 + (tm.tm_mon == 11); y++) {
		if (cal_seed_json(y, seed, 8192) == -1)
			continue;
		params[0] = seed;
		PQclear(mail_exec(Q_PERIODS_SEED, 1, params));
	}
	free(seed);
	mail_seeded_year = tm.tm_year + 1900;
}

static void
mail_schedule(void)
{
	PGresult	*res;
	char		hour[8];
	const char	*params[3];

	(void)snprintf(hour, sizeof(hour), "%d", mail_cf.digest_hour);
	params[0] = mail_days_json;
	params[1] = hour;
	params[2] = mail_office_json;
	if ((res = mail_exec(Q_NOTICE_SCHEDULE, 3, params)) == NULL)
		return;
	if (PQntuples(res) == 1 && atoi(PQgetvalue(res, 0, 0)) >= 0)
		kore_log(LOG_NOTICE, "mail: %s reminders and digests queued "
		    "for today", PQgetvalue(res, 0, 0));
	PQclear(res);
}

static void
mail_round(void)
{
	CURL		*curl;
	int		i;

	if (!mail_db_connect())
		return;
	mail_seed();
	mail_schedule();

	curl = NULL;
	for (i = 0; i < mail_cf.batch; i++) {
		if (mail_one(&curl) != MAIL_NEXT)
			break;
	}
	if (curl != NULL)
		curl_easy_cleanup(curl);
}

/*
 * The name of an item or list a remark is about: the notice carries the
 * names its report's outline version gives them (sql/016).
 */
static const char *
mail_label(void *arg, const char *form, const char *code)
{
	(void)form;

	return (json_string_value(json_object_get(json_object_get(arg,
	    "labels"), code)));
}

struct mail_upload {
	const char	*data;
	size_t		len;
	size_t		off;
};

static size_t
mail_read(char *buf, size_t size, size_t n, void *arg)
{
	struct mail_upload	*up = arg;
	size_t			len;

	len = size * n;
	if (len > up->len - up->off)
		len = up->len - up->off;
	memcpy(buf, up->data + up->off, len);
	up->off += len;

	return (len);
}

static CURL *
mail_curl(void)
{
	static struct curl_blob	ca;
	static struct curl_slist	*resolve;
	static char			from[MAIL_ADDR_MAX + 3];
	CURL				*c;

	if ((c = curl_easy_init()) == NULL)
		return (NULL);
	if (resolve == NULL && mail_cf.resolve[0] != '\0')
		resolve = curl_slist_append(NULL, mail_cf.resolve);
	(void)snprintf(from, sizeof(from), "<%s>", mail_cf.from_addr);
	ca.data = mail_ca;
	ca.len = mail_ca_len;
	ca.flags = CURL_BLOB_NOCOPY;

	curl_easy_setopt(c, CURLOPT_URL, mail_cf.url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)mail_cf.connect_timeout);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)mail_cf.timeout);
	if (resolve != NULL)
		curl_easy_setopt(c, CURLOPT_RESOLVE, resolve);
	if (mail_cf.starttls)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	/* From memory: the jail has no certificates, nor should it look. */
	curl_easy_setopt(c, CURLOPT_CAINFO, NULL);
	curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
	curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &ca);
	if (mail_cf.username[0] != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, mail_cf.username);
		curl_easy_setopt(c, CURLOPT_PASSWORD,
		    mail_password != NULL ? mail_password : "");
	}
	if (mail_cf.login_options[0] != '\0')
		curl_easy_setopt(c, CURLOPT_LOGIN_OPTIONS,
		    mail_cf.login_options);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, mail_read);

	return (c);
}

/*
 * The outcome of one send: NULL code when sent; else the code of the
 * error (mail_text.c), whether it is this message alone that the server
 * refused (for good), and whether the server itself failed.
 */
struct mail_outcome {
	const char	*code;
	int		permanent;
	int		server;
	char		detail[CURL_ERROR_SIZE + 32];
};

static void
mail_classify(CURLcode rc, long smtp, const char *err,
    struct mail_outcome *o)
{
	o->permanent = 0;
	o->server = 1;
	switch (rc) {
	case CURLE_OK:
		o->code = NULL;
		o->server = 0;
		return;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
		o->code = "connect";
		break;
	case CURLE_OPERATION_TIMEDOUT:
		o->code = "timeout";
		break;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_USE_SSL_FAILED:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
		o->code = "tls";
		break;
	case CURLE_LOGIN_DENIED:
		o->code = "auth";
		break;
	default:
		if (smtp >= 500 && smtp < 600) {
			o->code = "rejected";
			o->permanent = 1;
			o->server = 0;
		} else if (smtp >= 400 && smtp < 500) {
			o->code = "other";
			o->server = 0;
		} else {
			o->code = "other";
		}
		break;
	}
	if (smtp != 0)
		(void)snprintf(o->detail, sizeof(o->detail), "%s; SMTP %ld",
		    *err ? err : curl_easy_strerror(rc), smtp);
	else
		(void)snprintf(o->detail, sizeof(o->detail), "%s",
		    *err ? err : curl_easy_strerror(rc));
}

static void
mail_send(CURL **cp, const char *to, const char *msg, size_t len,
    struct mail_outcome *o)
{
	struct mail_upload	up;
	struct curl_slist	*rcpt;
	char			err[CURL_ERROR_SIZE], addr[MAIL_ADDR_MAX + 3];
	CURLcode		rc;
	long			smtp;

	if (*cp == NULL && (*cp = mail_curl()) == NULL) {
		mail_classify(CURLE_OUT_OF_MEMORY, 0, "", o);
		return;
	}
	(void)snprintf(addr, sizeof(addr), "<%s>", to);
	rcpt = curl_slist_append(NULL, addr);
	up.data = msg;
	up.len = len;
	up.off = 0;
	err[0] = '\0';
	curl_easy_setopt(*cp, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(*cp, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(*cp, CURLOPT_READDATA, &up);
	curl_easy_setopt(*cp, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	rc = curl_easy_perform(*cp);
	smtp = 0;
	curl_easy_getinfo(*cp, CURLINFO_RESPONSE_CODE, &smtp);
	curl_easy_setopt(*cp, CURLOPT_MAIL_RCPT, NULL);
	curl_easy_setopt(*cp, CURLOPT_ERRORBUFFER, NULL);
	curl_slist_free_all(rcpt);
	mail_classify(rc, smtp, err, o);
	/* A connection in an unknown state is not used again. */
	if (rc != CURLE_OK) {
		curl_easy_cleanup(*cp);
		*cp = NULL;
	}
}

/*
 * A claim's token: the worker's pid and random bits, so no two senders
 * of any node share one (it stays in sent_by once the notice is sent).
 */
static void
mail_token(char *buf, size_t len)
{
	unsigned char	r[8];
	size_t		i, o;

	if (getentropy(r, sizeof(r)) == -1)
		memset(r, 0, sizeof(r));
	o = (size_t)snprintf(buf, len, "%ld-", (long)getpid());
	for (i = 0; i < sizeof(r) && o + 2 < len; i++, o += 2)
		(void)snprintf(buf + o, len - o, "%02x", r[i]);
}

static void
mail_failed(const char *id, const char *token, const char *code,
    const char *detail, int permanent)
{
	char		attempts[16], base[16], max[16];
	const char	*params[8];

	(void)snprintf(attempts, sizeof(attempts), "%d", mail_cf.attempts);
	(void)snprintf(base, sizeof(base), "%d", mail_cf.retry_base);
	(void)snprintf(max, sizeof(max), "%d", mail_cf.retry_max);
	params[0] = id;
	params[1] = token;
	params[2] = code;
	params[3] = detail;
	params[4] = permanent ? "true" : "false";
	params[5] = attempts;
	params[6] = base;
	params[7] = max;
	mail_record(Q_NOTICE_FAILED, 8, params);
}

/* The message of a claimed notice (row 0 of res), or why not. */
static int
mail_build(PGresult *res, char **msg, size_t *len, const char **why)
{
	struct mail_text	text;
	struct mail_msg		m;
	json_t			*data;
	char			mid[MAIL_TEXT_MAX + 64];
	int			r;

	*why = "build";
	if ((data = json_loads(PQgetvalue(res, 0, 4), 0, NULL)) == NULL)
		return (-1);
	r = mail_render(PQgetvalue(res, 0, 1), data, mail_cf.portal_url,
	    mail_label, data, &text);
	json_decref(data);
	if (r == -1)
		return (-1);

	(void)snprintf(mid, sizeof(mid), "notice-%s.%s@%s",
	    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 6), mail_cf.id_domain);
	memset(&m, 0, sizeof(m));
	m.from_name = mail_cf.from_name;
	m.from_addr = mail_cf.from_addr;
	m.reply_to = mail_cf.reply_to;
	m.to_name = PQgetvalue(res, 0, 3);
	m.to_addr = PQgetvalue(res, 0, 2);
	m.subject = text.subject;
	m.body = text.body;
	m.message_id = mid;
	m.date = time(NULL);
	r = mail_message(&m, msg, len);
	mail_text_free(&text);
	if (r == MAIL_BAD_TO)
		*why = "bad_address";

	return (r == MAIL_OK ? 0 : -1);
}

static int
mail_one(CURL **cp)
{
	struct mail_outcome	o;
	PGresult		*res;
	const char		*params[2], *why;
	char			token[48], lease[16], id[24], *msg;
	size_t			len;
	int			next;

	mail_token(token, sizeof(token));
	(void)snprintf(lease, sizeof(lease), "%d",
	    mail_cf.connect_timeout + mail_cf.timeout + 60);
	params[0] = token;
	params[1] = lease;
	if ((res = mail_exec(Q_NOTICE_CLAIM, 2, params)) == NULL)
		return (MAIL_STOP);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return (MAIL_IDLE);
	}
	(void)snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));

	if (mail_build(res, &msg, &len, &why) == -1) {
		PQclear(res);
		mail_failed(id, token, why, "", 1);
		return (MAIL_NEXT);
	}
	mail_send(cp, PQgetvalue(res, 0, 2), msg, len, &o);
	PQclear(res);
	free(msg);

	next = MAIL_NEXT;
	if (o.code == NULL) {
		params[0] = id;
		params[1] = token;
		mail_record(Q_NOTICE_SENT, 2, params);
		if (mail_server_down)
			kore_log(LOG_NOTICE, "mail: the server accepts again");
		mail_server_down = 0;
	} else {
		mail_failed(id, token, o.code, o.detail, o.permanent);
		if (o.server) {
			if (!mail_server_down)
				kore_log(LOG_NOTICE, "mail: notice %s: %s (%s); "
				    "sending again later", id, o.code,
				    o.detail);
			mail_server_down = 1;
			next = MAIL_STOP;
		}
	}

	return (next);
}
