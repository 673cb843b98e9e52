/*
 * The consolidated report, always current: one statement sums the filed
 * reports (province, districts, kinds, station appendices, months), and
 * the form recomputes every rate from those sums, never from averages.
 * The outline is the period's version; the months of the trend and of a
 * longer period are derived by theirs, an item their version lacks
 * marked absent (cons_complete_versions).
 * GET /api/v1/consolidated/{period}/{form}[.xlsx|.csv|.pdf][?only=accepted]
 * [&detail=summary] (JSON) [&sep=semicolon|comma] (CSV)
 *
 * An export (.xlsx, .csv, .pdf) holds one of the worker's export slots
 * (docs.c) from its first step, and everything after the statement runs
 * on Kore's task threads: parsing its answer, completing it by the
 * months' versions, writing the workbook, table or PDF, reading the file
 * back.  The event loop only sends the statements and the bytes, so a
 * province workbook no longer holds up every other request of the
 * worker for a third of a second.
 *
 * The full JSON answer is streamed: the sums as consolidate gives them
 * without the per-unit parts (the head), then those parts as
 * consolidate_detail gives them, a batch of rows at a time through a
 * cursor, each element completed (cons_complete_row) and sent chunked
 * while the client takes it (api_stream.c).  A country's 60 MB are never
 * whole in a worker.  The workbook, CSV and PDF still build the whole.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "api.h"
#include "cons.h"
#include "docs.h"
#include "form.h"
#include "period.h"
#include "outline.h"
#include "route.h"
#include "xlsx_report.h"

#define CONS_JSON	0
#define CONS_XLSX	1
#define CONS_CSV	2
#define CONS_PDF	3

/* Rows of consolidate_detail fetched at a time: about 1 MB nationally. */
#define CONS_BATCH	1000

/* Seconds a client turned away from a stream waits (cons_stream_take). */
#define CONS_BUSY_RETRY	"3"

/* The per-unit parts, in the order consolidate_detail gives them. */
#define CONS_PARTS	5

#define CONS_XLSX_TYPE	\
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

struct cons {
	char			user[32];
	char			period[PERIOD_CODE_MAX];
	char			day[16];	/* the period's last day */
	char			only[16];
	int			summary;	/* ?detail=summary */
	int			sep;		/* CSV: ';' or ',' */
	char			*stocks;
	char			*levels;
	char			formcode[FORM_CODE_MAX];
	const struct form	*form;
	int			format;
	json_t			*o;		/* the statement's answer */

	/* An export: its slot, and what the task threads take and give. */
	int			slot;
	int			details;	/* the office's, read */
	char			*text;		/* the answer as sent */
	int			vs[OUTLINE_VERSIONS_MAX];
	size_t			nvs;		/* versions of the months */
	char			tmpdir[256];	/* PORTAL_TMP */
	char			name[64];	/* the download's name */
	const char		*ctype;
	unsigned char		*file;		/* the bytes to send */
	size_t			len;
	char			err[256];
	/* The streamed answer (the full JSON), and its stream slot. */
	int			stream;
	int			stream_slot;
	char			*head;		/* the sums, without the '}' */
	PGresult		*batch;		/* rows of consolidate_detail */
	int			row;		/* the next in the batch */
	int			part;		/* 1..CONS_PARTS begun, 0 none */
	int			nelem;		/* elements of that part/group */
	int			ngrp;		/* groups of an object part */
	char			*grp;		/* the group open, if any */
	int			ended;		/* the closing bytes written */
	char			kind[32];	/* the last unit's kind */
	const char		*label;		/* and its label */
};

static const struct {
	const char	*key;
	int		object;		/* groups of arrays, not one array */
} cons_parts[CONS_PARTS] = {
	{ "units", 0 }, { "missing", 0 }, { "late", 0 },
	{ "lists", 1 }, { "texts", 1 },
};

static int	cons_detail(struct api_ctx *, struct cons *);
static int	cons_sep(struct api_ctx *, struct cons *);
static int	cons_query(struct api_ctx *);
static int	cons_day(struct api_ctx *);
static int	cons_done(struct api_ctx *);
static int	cons_xlsx_details(struct api_ctx *);
static int	cons_finish(struct api_ctx *);
static int	cons_export_parse(struct api_ctx *);
static int	cons_parse_task(void *);
static int	cons_parsed(struct api_ctx *);
static int	cons_export_next(struct api_ctx *);
static int	cons_export_task(void *);
static int	cons_exported(struct api_ctx *);
static int	cons_stream_take(struct api_ctx *, struct cons *);
static int	cons_stream_open(struct api_ctx *, struct cons *, json_t *);
static int	cons_stream_rows(struct api_ctx *);
static int	cons_stream_end(struct api_ctx *);

/* Full answers being streamed by this worker (cons_stream_take). */
static u_int32_t	cons_streams;

static void
cons_free(void *p)
{
	struct cons	*c = p;

	docs_export_give(&c->slot);
	api_bound_give(&cons_streams, &c->stream_slot);
	free(c->stocks);
	free(c->levels);
	free(c->text);
	free(c->file);
	free(c->head);
	free(c->grp);
	if (c->batch != NULL)
		PQclear(c->batch);
	json_decref(c->o);
	kore_free(c);
}

/*
 * The stock items of a form (levels: its level items) as a PostgreSQL
 * text[] literal.
 */
static char *
cons_items(const struct form *f, int levels)
{
	struct kore_buf	*b;
	char		*s;
	size_t		i, n;

	b = kore_buf_alloc(128);
	kore_buf_append(b, "{", 1);
	for (i = 0, n = 0; i < f->nitems; i++) {
		if (levels ? f->items[i].kind != FORM_LEVEL :
		    f->items[i].over_time != FORM_OVER_LAST)
			continue;
		/* Item codes are [a-z0-9_.]: nothing to quote. */
		kore_buf_appendf(b, "%s%s", n++ ? "," : "", f->items[i].code);
	}
	kore_buf_append(b, "}", 1);
	s = strdup(kore_buf_stringify(b, NULL));
	kore_buf_free(b);

	return (s);
}

/* Split "PL1.xlsx" into the form and the format. */
static int
cons_target(struct cons *c, const char *arg)
{
	char		code[FORM_CODE_MAX + 8], *dot;

	if (strlen(arg) >= sizeof(code))
		return (-1);
	(void)snprintf(code, sizeof(code), "%s", arg);
	c->format = CONS_JSON;
	if ((dot = strchr(code, '.')) != NULL) {
		if (!strcmp(dot, ".xlsx"))
			c->format = CONS_XLSX;
		else if (!strcmp(dot, ".csv"))
			c->format = CONS_CSV;
		else if (!strcmp(dot, ".pdf"))
			c->format = CONS_PDF;
		else
			return (-1);
		*dot = '\0';
	}
	if (strlen(code) >= sizeof(c->formcode) || !outline_known(code))
		return (-1);
	memcpy(c->formcode, code, strlen(code) + 1);

	return (0);
}

/*
 * ?detail=summary leaves out the per-unit parts: the sums of a whole
 * country answer in well under a second, its 70,000 units' own rows do
 * not (tens of megabytes).  The default, full, is what the pages use.
 */
static int
cons_detail(struct api_ctx *ctx, struct cons *c)
{
	char		v[16];

	switch (api_qs_arg(ctx, "detail", v, sizeof(v))) {
	case 0:
		return (0);
	case 1:
		if (!strcmp(v, "full"))
			return (0);
		if (!strcmp(v, "summary")) {
			c->summary = 1;
			return (0);
		}
		break;
	}

	return (-1);
}

/*
 * ?sep= of the CSV.  Excel splits a CSV at the list separator of the
 * computer's region, which under Vietnamese settings is ';' (the comma
 * being the decimal mark): the default, so that the file opens in
 * columns with a double click.  comma is for other software.
 */
static int
cons_sep(struct api_ctx *ctx, struct cons *c)
{
	char		v[16];

	c->sep = ';';
	switch (api_qs_arg(ctx, "sep", v, sizeof(v))) {
	case 0:
		return (0);
	case 1:
		if (c->format != CONS_CSV)
			return (-1);
		if (!strcmp(v, "semicolon"))
			return (0);
		if (!strcmp(v, "comma")) {
			c->sep = ',';
			return (0);
		}
		break;
	}

	return (-1);
}

int
cons_get(struct api_ctx *ctx)
{
	struct cons	*c;
	char		only[16];
	int		r;

	c = kore_calloc(1, sizeof(*c));
	ctx->priv = c;
	ctx->priv_free = cons_free;

	if (period_code_parse(ctx->args[0], NULL, NULL, NULL) == -1 ||
	    cons_target(c, ctx->args[1]) == -1)
		return (api_error(ctx, 404, "not_found", "Không có bảng tổng "
		    "hợp này: kỳ (ví dụ 2023-07) hoặc đề cương (PL1, PL2, có "
		    "thể thêm .xlsx, .csv hoặc .pdf) không đúng.", NULL));
	if ((r = api_qs_arg(ctx, "only", only, sizeof(only))) == -1 ||
	    (r == 1 && strcmp(only, "accepted")))
		return (api_qs_error(ctx, "only", NULL, "Tham số only chỉ "
		    "nhận giá trị accepted."));
	if (cons_detail(ctx, c) == -1)
		return (api_qs_error(ctx, "detail", NULL, "Tham số detail chỉ "
		    "nhận giá trị full (mặc định: có cả từng đơn vị) hoặc "
		    "summary (chỉ số tổng hợp)."));
	if (cons_sep(ctx, c) == -1)
		return (api_qs_error(ctx, "sep", NULL, "Tham số sep chỉ "
		    "dùng cho file .csv và nhận giá trị semicolon (dấu chấm "
		    "phẩy, mặc định, để Excel tiếng Việt mở đúng cột) hoặc "
		    "comma (dấu phẩy)."));
	/* A workbook or table to send is always whole. */
	if (c->format != CONS_JSON && c->summary)
		return (api_error(ctx, 400, "bad_request", "Bảng Excel và CSV "
		    "luôn có đủ từng đơn vị: bỏ tham số detail=summary.",
		    NULL));

	(void)snprintf(c->user, sizeof(c->user), "%lld", ctx->who.user_id);
	(void)snprintf(c->period, sizeof(c->period), "%s", ctx->args[0]);
	(void)snprintf(c->only, sizeof(c->only), "%s",
	    r == 1 ? "accepted" : "");
	if (c->format != CONS_JSON && !docs_export_take(ctx, &c->slot))
		return (API_DONE);
	if (c->format == CONS_JSON && !c->summary && !cons_stream_take(ctx, c))
		return (API_DONE);

	return (outline_at(ctx, c->formcode, c->period, cons_query));
}

/* The stock and level items are the period's version's. */
static int
cons_query(struct api_ctx *ctx)
{
	struct cons	*c = ctx->priv;
	const char	*params[7];

	if ((c->form = outline_get(c->formcode, ctx->outline_version)) == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	c->stocks = cons_items(c->form, 0);
	c->levels = cons_items(c->form, 1);

	params[0] = c->period;
	params[1] = c->form->code;

	return (api_then(ctx, Q_PERIOD_DAY, 2, params, cons_day));
}

static int
cons_unknown(struct api_ctx *ctx)
{
	return (api_error(ctx, 404, "not_found", "Kỳ này chưa có trong lịch "
	    "báo cáo, hoặc không dùng đề cương này.", NULL));
}

/*
 * The period's last day, whose registry groups it (sql/012), is sent
 * with the consolidation as a value: the planner then knows the size of
 * that day's registry.
 */
static int
cons_day(struct api_ctx *ctx)
{
	struct cons	*c = ctx->priv;
	const char	*params[8];

	if (db_rows(&ctx->db) != 1)
		return (cons_unknown(ctx));
	(void)snprintf(c->day, sizeof(c->day), "%s", db_get(&ctx->db, 0, 0));
	db_clear(&ctx->db);

	/* The full JSON: the sums first, the per-unit parts streamed. */
	c->stream = c->format == CONS_JSON && !c->summary;

	params[0] = c->user;
	params[1] = c->period;
	params[2] = c->form->code;
	params[3] = c->only;
	params[4] = c->stocks;
	params[5] = c->summary || c->stream ? "false" : "true";
	params[6] = c->levels;
	params[7] = c->day;

	return (api_then(ctx, Q_CONSOLIDATE, 8, params, cons_done));
}

static int
cons_done(struct api_ctx *ctx)
{
	struct cons	*c = ctx->priv;
	json_t		*o, *p;
	int		vs[OUTLINE_VERSIONS_MAX];
	size_t		i, n;

	if (c->format != CONS_JSON)
		return (cons_export_parse(ctx));
	if (db_rows(&ctx->db) != 1 ||
	    (o = json_loads(db_get(&ctx->db, 0, 0), 0, NULL)) == NULL)
		return (cons_unknown(ctx));
	db_clear(&ctx->db);
	c->o = o;

	/* The versions of the months, loaded before they are derived. */
	n = outline_versions_of(json_object_get(json_object_get(o, "monthly"),
	    "versions"), vs, 0, OUTLINE_VERSIONS_MAX);
	json_array_foreach(json_object_get(o, "trend"), i, p)
		n = outline_version_add(vs, n, OUTLINE_VERSIONS_MAX,
		    (int)json_integer_value(json_object_get(p, "version")));

	return (outline_need(ctx, c->formcode, vs, n, cons_finish));
}

static const struct form *
cons_lookup_version(int version, void *arg)
{
	return (outline_get(arg, version));
}

static int
cons_finish(struct api_ctx *ctx)
{
	struct cons	*c = ctx->priv;
	json_t		*o;

	o = c->o;
	c->o = NULL;

	/* A summary has no per-unit parts at all, rather than nulls. */
	if (c->summary || c->stream) {
		json_object_del(o, "units");
		json_object_del(o, "missing");
		json_object_del(o, "late");
		json_object_del(o, "lists");
		json_object_del(o, "texts");
	}
	cons_complete_versions(c->form, o, cons_lookup_version, c->formcode);

	if (c->stream)
		return (cons_stream_open(ctx, c, o));
	return (api_json(ctx, 200, o));
}

/*
 * An export's answer goes to a task thread to be parsed, as text of its
 * own: route.c clears the statement's result when the client goes away,
 * even while a task runs.
 */
static int
cons_export_parse(struct api_ctx *ctx)
{
	struct cons	*c = ctx->priv;

	if (db_rows(&ctx->db) != 1)
		return (cons_unknown(ctx));
	c->text = strdup(db_get(&ctx->db, 0, 0));
	db_clear(&ctx->db);
	if (c->text == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));

	return (api_offload_export(ctx, cons_parse_task, cons_parsed));
}

/* On a task thread: only c. */
static int
cons_parse_task(void *p)
{
	struct cons	*c = p;
	json_t		*pt;
	size_t		i;

	c->o = json_loads(c->text, 0, NULL);
	free(c->text);
	c->text = NULL;
	if (c->o == NULL)
		return (KORE_RESULT_ERROR);

	/* The versions of the months, loaded before they are derived. */
	c->nvs = outline_versions_of(json_object_get(json_object_get(c->o,
	    "monthly"), "versions"), c->vs, 0, OUTLINE_VERSIONS_MAX);
	json_array_foreach(json_object_get(c->o, "trend"), i, pt)
		c->nvs = outline_version_add(c->vs, c->nvs,
		    OUTLINE_VERSIONS_MAX, (int)json_integer_value(
		    json_object_get(pt, "version")));

	return (KORE_RESULT_OK);
}

/*
 * One of the worker's streams for a full answer.  A stream holds one of
 * the worker's pgsql_conn_max connections, in its read-only transaction,
 * for as long as its client takes to read (a country's answer is 60 MB):
 * a quarter of them at most, so that filing always finds the others.
 */
static int
cons_stream_take(struct api_ctx *ctx, struct cons *c)
{
	u_int32_t	max;

	max = pgsql_conn_max / 4 > 0 ? pgsql_conn_max / 4 : 1;

	return (api_bound_take(ctx, &cons_streams, max, &c->stream_slot,
	    CONS_BUSY_RETRY, "Máy chủ đang gửi nhiều bảng tổng hợp đầy đủ "
	    "cùng lúc; vui lòng thử lại sau vài giây, hoặc xem phần tổng "
	    "hợp (detail=summary)."));
}

/*
 * The head as it will be sent, and the cursor over the rest.  Nothing is
 * sent before the cursor is open: until then a failure is still a plain
 * error answer.
 */
static int
cons_stream_open(struct api_ctx *ctx, struct cons *c, json_t *o)
{
	const char	*params[5];
	size_t		len;

	json_object_set_new(o, "detail", json_string("full"));
	c->head = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(o);
	if (c->head == NULL || (len = strlen(c->head)) < 2 ||
	    c->head[len - 1] != '}')
		return (api_error(ctx, 500, "internal", NULL, NULL));
	c->head[len - 1] = '\0';

	params[0] = c->user;
	params[1] = c->period;
	params[2] = c->form->code;
	params[3] = c->only;
	params[4] = c->day;
	ctx->next = cons_stream_rows;

	switch (db_cursor_open(&ctx->db, ctx->req, Q_CONSOLIDATE_DETAIL, 5,
	    params, CONS_BATCH)) {
	case DB_FAILED:
		return (api_db_error(ctx));
	default:
		return (API_WAIT);
	}
}

/* An object key or group name as JSON. */
static void
cons_stream_string(struct api_ctx *ctx, const char *str)
{
	json_t		*j;
	char		*t;

	j = json_string(str);
	t = j != NULL ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	api_stream_puts(ctx, t != NULL ? t : "\"\"");
	free(t);
	json_decref(j);
}

/* Close what is open and begin each part up to part (CONS_PARTS + 1: all). */
static void
cons_stream_part(struct api_ctx *ctx, struct cons *c, int part)
{
	while (c->part < part) {
		if (c->part > 0) {
			if (cons_parts[c->part - 1].object)
				api_stream_puts(ctx, c->ngrp > 0 ? "]}" : "}");
			else
				api_stream_puts(ctx, "]");
		}
		if (++c->part > CONS_PARTS)
			break;
		api_stream_puts(ctx, ",");
		cons_stream_string(ctx, cons_parts[c->part - 1].key);
		api_stream_puts(ctx, cons_parts[c->part - 1].object ? ":{" :
		    ":[");
		c->nelem = 0;
		c->ngrp = 0;
		free(c->grp);
		c->grp = NULL;
	}
}

/* A list's or item's array under its name, when the group changes. */
static void
cons_stream_group(struct api_ctx *ctx, struct cons *c, const char *grp)
{
	if (c->grp != NULL && !strcmp(c->grp, grp))
		return;
	if (c->ngrp++ > 0)
		api_stream_puts(ctx, "],");
	cons_stream_string(ctx, grp);
	api_stream_puts(ctx, ":[");
	free(c->grp);
	c->grp = strdup(grp);
	c->nelem = 0;
}

#define CONS_VALUES_KEY	",\"values\":"

/*
 * A unit's element as consolidate_detail writes it, compact with its
 * values last: written as it is, its derived items inserted at the end of
 * its values and its kind_label after them, which is what parsing it,
 * cons_complete_row() and writing it again give, for a fraction of the
 * work.  0 done; -1 not of that shape (the caller takes the long way).
 */
static int
cons_stream_unit(struct api_ctx *ctx, struct cons *c, const char *t,
    size_t len, const char *kind)
{
	const char	*v, *key;
	json_t		*d, *x;
	char		*n;
	size_t		vlen;
	int		first;

	/*
	 * The key cannot be inside a string: there every quote is escaped.
	 * The element ends with the values' brace, then its own.
	 */
	if (len < 2 || t[len - 1] != '}' || t[len - 2] != '}' ||
	    (v = strstr(t, CONS_VALUES_KEY)) == NULL)
		return (-1);
	v += strlen(CONS_VALUES_KEY);
	vlen = (size_t)(t + len - 1 - v);
	if ((d = cons_values_derived(c->form, v, vlen)) == NULL)
		return (-1);

	if (c->nelem++ > 0)
		api_stream_puts(ctx, ",");
	api_stream_write(ctx, t, len - 2);
	first = vlen == 2;
	json_object_foreach(d, key, x) {
		api_stream_puts(ctx, first ? "" : ",");
		first = 0;
		cons_stream_string(ctx, key);
		api_stream_puts(ctx, ":");
		if ((n = json_dumps(x, JSON_ENCODE_ANY |
		    JSON_REAL_PRECISION(15))) != NULL)
			api_stream_puts(ctx, n);
		free(n);
	}
	json_decref(d);
	api_stream_puts(ctx, "}");

	if (strcmp(c->kind, kind)) {
		(void)snprintf(c->kind, sizeof(c->kind), "%s", kind);
		c->label = cons_kind_label_of(kind);
	}
	if (c->label != NULL) {
		api_stream_puts(ctx, ",\"kind_label\":");
		cons_stream_string(ctx, c->label);
	}
	api_stream_puts(ctx, "}");

	return (0);
}

/* One row of consolidate_detail: (part, group, element, kind). */
static int
cons_stream_row(struct api_ctx *ctx, struct cons *c, PGresult *res, int i)
{
	json_t		*e;
	char		*t;
	int		part;

	part = atoi(PQgetvalue(res, i, 0));
	if (part < 1 || part > CONS_PARTS || part < c->part)
		return (-1);
	cons_stream_part(ctx, c, part);
	if (part == 1 && cons_stream_unit(ctx, c, PQgetvalue(res, i, 2),
	    (size_t)PQgetlength(res, i, 2), PQgetvalue(res, i, 3)) == 0)
		return (0);
	if ((e = json_loads(PQgetvalue(res, i, 2), 0, NULL)) == NULL)
		return (-1);
	if (cons_parts[part - 1].object)
		cons_stream_group(ctx, c, PQgetvalue(res, i, 1));
	if (part <= 2)
		cons_complete_row(c->form, e);
	t = json_dumps(e, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(e);
	if (t == NULL)
		return (-1);
	if (c->nelem++ > 0)
		api_stream_puts(ctx, ",");
	api_stream_puts(ctx, t);
	free(t);

	return (0);
}

/*
 * Woken by PostgreSQL (the cursor open, a batch) or by the client having
 * taken a chunk.  Each batch taken, the next is asked for at once, so
 * that PostgreSQL makes it while this one is written; no more while the
 * client lags (api_stream_busy).
 */
static int
cons_stream_rows(struct api_ctx *ctx)
{
	struct cons	*c = ctx->priv;

	if (ctx->stream == NULL) {
		api_stream_begin(ctx, "application/json; charset=utf-8");
		api_stream_puts(ctx, c->head);
		free(c->head);
		c->head = NULL;
	}

	for (;;) {
		if (api_stream_gone(ctx))
			return (api_stream_abort(ctx));
		if (c->batch == NULL) {
			if ((c->batch = db_cursor_take(&ctx->db)) == NULL)
				break;
			c->row = 0;
			if (db_cursor(&ctx->db) == DB_CURSOR_IDLE &&
			    db_cursor_fetch(&ctx->db) == DB_FAILED)
				return (api_db_error(ctx));
		}
		while (c->row < PQntuples(c->batch)) {
			if (api_stream_busy(ctx))
				return (API_WAIT);
			if (cons_stream_row(ctx, c, c->batch, c->row++) == -1) {
				kore_log(LOG_ERR, "consolidate_detail: a row "
				    "that is not JSON");
				return (api_stream_abort(ctx));
			}
		}
		PQclear(c->batch);
		c->batch = NULL;
	}

	switch (db_cursor(&ctx->db)) {
	case DB_CURSOR_IDLE:
		if (db_cursor_fetch(&ctx->db) == DB_FAILED)
			return (api_db_error(ctx));
		return (API_WAIT);
	case DB_CURSOR_BUSY:
		return (API_WAIT);
	default:
		return (cons_stream_end(ctx));
	}
}

/* Every part closed (empty ones too), the object, the body. */
static int
cons_stream_end(struct api_ctx *ctx)
{
	struct cons	*c = ctx->priv;

	if (!c->ended) {
		cons_stream_part(ctx, c, CONS_PARTS + 1);
		api_stream_puts(ctx, "}");
		c->ended = 1;
	}

	return (api_stream_end(ctx));
}

static int
cons_parsed(struct api_ctx *ctx)
{
	struct cons	*c = ctx->priv;

	if (c->o == NULL)
		return (cons_unknown(ctx));

	return (outline_need(ctx, c->formcode, c->vs, c->nvs,
	    cons_export_next));
}

/* The versions are loaded: the office's details, then the task. */
static int
cons_export_next(struct api_ctx *ctx)
{
	struct cons	*c = ctx->priv;
	const char	*params[2], *tmp;
	json_t		*o;

	switch (c->format) {
	case CONS_PDF:
		o = c->o;
		c->o = NULL;
		return (docs_cons_pdf(ctx, c->form, o, c->period, &c->slot));
	case CONS_XLSX:
		/* The office's number, recipients, signer: read them first. */
		if (!c->details) {
			c->details = 1;
			params[0] = c->period;
			params[1] = c->form->code;
			return (api_then(ctx, Q_CONS_DOC_GET, 2, params,
			    cons_xlsx_details));
		}
		c->ctype = CONS_XLSX_TYPE;
		(void)snprintf(c->name, sizeof(c->name), "tong-hop-%s-%s.xlsx",
		    c->period, c->form->code);
		break;
	default:
		c->ctype = "text/csv; charset=utf-8";
		(void)snprintf(c->name, sizeof(c->name), "tong-hop-%s-%s.csv",
		    c->period, c->form->code);
		break;
	}
	if ((tmp = getenv("PORTAL_TMP")) == NULL)
		tmp = "/tmp";
	(void)snprintf(c->tmpdir, sizeof(c->tmpdir), "%s", tmp);

	return (api_offload_export(ctx, cons_export_task, cons_exported));
}

static int
cons_xlsx_details(struct api_ctx *ctx)
{
	struct cons	*c = ctx->priv;
	json_t		*d;

	if (db_rows(&ctx->db) == 1 && (d = json_loads(db_get(&ctx->db, 0, 0),
	    0, NULL)) != NULL)
		json_object_set_new(c->o, "document", d);
	db_clear(&ctx->db);

	return (cons_export_next(ctx));
}

/* The file libxlsxwriter wrote, whole, in c->file. */
static int
cons_read_file(struct cons *c, const char *path)
{
	struct stat	st;
	ssize_t		n;
	int		fd, ok;

	ok = 0;
	if ((fd = open(path, O_RDONLY)) == -1)
		return (-1);
	if (fstat(fd, &st) == 0 && (c->file = malloc(st.st_size + 1)) != NULL &&
	    (n = read(fd, c->file, st.st_size)) == st.st_size) {
		c->len = (size_t)n;
		ok = 1;
	}
	close(fd);

	return (ok ? 0 : -1);
}

static int
cons_write_xlsx(struct cons *c)
{
	char		dir[300], path[320];
	int		r;

	(void)snprintf(dir, sizeof(dir), "%s/cons.XXXXXX", c->tmpdir);
	if (mkdtemp(dir) == NULL) {
		(void)snprintf(c->err, sizeof(c->err), "no scratch directory "
		    "in PORTAL_TMP");
		return (-1);
	}
	(void)snprintf(path, sizeof(path), "%s/report.xlsx", dir);
	r = xlsx_report_write(path, dir, c->form, c->o, c->err,
	    sizeof(c->err));
	if (r == 0 && cons_read_file(c, path) == -1) {
		(void)snprintf(c->err, sizeof(c->err), "workbook not read");
		r = -1;
	}
	(void)unlink(path);
	(void)rmdir(dir);

	return (r);
}

static int
cons_write_csv(struct cons *c)
{
	FILE		*fp;
	char		*buf;
	size_t		len;

	buf = NULL;
	len = 0;
	if ((fp = open_memstream(&buf, &len)) == NULL) {
		(void)snprintf(c->err, sizeof(c->err), "open_memstream");
		return (-1);
	}
	(void)xlsx_report_csv(fp, c->form, c->o, c->sep);
	if (fclose(fp) != 0) {
		free(buf);
		(void)snprintf(c->err, sizeof(c->err), "csv: out of memory");
		return (-1);
	}
	c->file = (unsigned char *)buf;
	c->len = len;

	return (0);
}

/*
 * On a task thread: only c, the pure core and the outline versions the
 * worker keeps.  The consolidation is completed here, then written.
 */
static int
cons_export_task(void *p)
{
	struct cons	*c = p;
	int		r;

	cons_complete_versions(c->form, c->o, cons_lookup_version,
	    c->formcode);
	r = c->format == CONS_XLSX ? cons_write_xlsx(c) : cons_write_csv(c);
	json_decref(c->o);
	c->o = NULL;
	if (r == -1) {
		free(c->file);
		c->file = NULL;
	}

	return (r == 0 ? KORE_RESULT_OK : KORE_RESULT_ERROR);
}

static int
cons_exported(struct api_ctx *ctx)
{
	struct cons	*c = ctx->priv;

	docs_export_give(&c->slot);
	if (c->file == NULL) {
		kore_log(LOG_ERR, "export %s %s: %s", c->period, c->name,
		    c->err);
		return (api_error(ctx, 500, "internal", NULL, NULL));
	}

	return (api_file(ctx, c->ctype, c->name, c->file, c->len));
}
