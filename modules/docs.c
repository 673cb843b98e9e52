/*
 * The documents that are signed and sent: the unit's report as a PDF
 * (GET /api/v1/reports/{unit}/{period}/{form}.pdf, dispatched here by
 * reports.c once the report is read), the signed copy back (PUT and GET
 * .../signed), the PDF's details the unit fills in (PUT .../document),
 * the Department's consolidated report as a PDF (.../consolidated/
 * {period}/{form}.pdf, dispatched by cons_api.c) and its details (GET
 * and PUT .../consolidated/{period}/{form}/document).
 *
 * A PDF is laid out and drawn by the pure core (pdf_nd30.c, pdf_cons.c,
 * pdf_render.c) on one of Kore's task threads, a bounded number at once
 * per worker: beyond, 503 with Retry-After, as for password checks.  The
 * same bound covers every export (docs_export_take): the consolidated
 * workbook and table of cons_api.c too.
 */
#include <sys/types.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>
#include <kore/tasks.h>

#include "api.h"
#include "cons.h"
#include "docs.h"
#include "form.h"
#include "pdf_check.h"
#include "pdf_nd30.h"
#include "pdf_render.h"
#include "period.h"
#include "outline.h"
#include "reports.h"
#include "route.h"

/*
 * Exports at once per worker, made by its export thread (api.c).  One:
 * a province's workbook or consolidated PDF takes a few hundred
 * milliseconds of that thread after a consolidation statement of about
 * 200 ms of PostgreSQL, and the statement runs at PostgreSQL's priority,
 * not the thread's nice 10.  Measured (make bench, ten clients looping on
 * exports beside 50 saving): two at once put the saves' p99 at 6x alone,
 * one at 1.9-2.6x; a second would only queue behind the first.
 */
#define DOCS_PER_WORKER		1
#define DOCS_BUSY_RETRY		"3"

/* A signed copy: a scan of a few signed pages fits in 10 MiB. */
#define DOCS_SIGNED_MAX		(10 * 1024 * 1024)
#define DOCS_BODY_MAX		4096

#define DOCS_NUMBER_MAX		32	/* characters */
#define DOCS_NAME_MAX		100
#define DOCS_TO_MAX		500

struct docs_job {
	const struct form	*form;		/* the version a PDF is drawn by */
	char			formcode[FORM_CODE_MAX];
	json_t			*src;		/* report or consolidation */
	int			cons;
	int			slot;
	char			user[32];
	char			period[PERIOD_CODE_MAX];
	char			unit[CALLER_UNIT_MAX];
	char			number[DOCS_NUMBER_MAX * 4 + 1];
	char			signer[DOCS_NAME_MAX * 4 + 1];
	char			capacity[DOCS_NAME_MAX * 4 + 1];
	char			to[DOCS_TO_MAX * 4 + 1];
	char			cc[DOCS_TO_MAX * 4 + 1];
	char			date[16];
	char			name[128];
	unsigned char		*pdf;
	size_t			len;
	char			err[256];
	char			*hex;		/* an upload, for the statement */
};

static u_int32_t	docs_running;

static struct docs_job	*docs_job(struct api_ctx *);
static void		docs_job_free(void *);
static int		docs_render(void *);
static int		docs_rendered(struct api_ctx *);
static int		docs_start(struct api_ctx *, struct docs_job *);
static int		docs_qs_text(struct api_ctx *, const char *, char *,
			    size_t, size_t);
static int		docs_text_ok(const char *, size_t);
static void		docs_local_day(const char *, char *, size_t);
static int		docs_cons_details(struct api_ctx *);
static int		docs_path(struct api_ctx *, struct docs_job *);
static int		docs_signed_stored(struct api_ctx *);
static int		docs_signed_found(struct api_ctx *);
static int		docs_json_row(struct api_ctx *);
static int		docs_json_created(struct api_ctx *);
static char		*docs_body_text(struct api_ctx *, const char *,
			    size_t, int *);

static struct docs_job *
docs_job(struct api_ctx *ctx)
{
	struct docs_job	*j;

	j = kore_calloc(1, sizeof(*j));
	ctx->priv = j;
	ctx->priv_free = docs_job_free;

	return (j);
}

static void
docs_job_free(void *p)
{
	struct docs_job	*j = p;

	docs_export_give(&j->slot);
	json_decref(j->src);
	free(j->pdf);
	kore_free(j->hex);
	kore_free(j);
}

int
docs_export_take(struct api_ctx *ctx, int *slot)
{
	return (api_bound_take(ctx, &docs_running, DOCS_PER_WORKER, slot,
	    DOCS_BUSY_RETRY, "Máy chủ đang tạo nhiều văn bản và bảng tính "
	    "cùng lúc; vui lòng thử lại sau vài giây."));
}

void
docs_export_give(int *slot)
{
	api_bound_give(&docs_running, slot);
}

/* The versions of the months: loaded by cons_api.c (outline_need). */
static const struct form *
docs_lookup_version(int version, void *arg)
{
	return (outline_get(arg, version));
}

/*
 * On a task thread: touches nothing but the job, and the outline
 * versions the worker keeps (outline_get is safe here).
 */
static int
docs_render(void *p)
{
	struct docs_job		*j = p;
	struct nd30_details	det;
	struct pdf_doc		*d;

	if (j->cons)
		cons_complete_versions(j->form, j->src, docs_lookup_version,
		    j->formcode);
	memset(&det, 0, sizeof(det));
	det.number = j->number;
	det.signer = j->signer;
	det.capacity = j->capacity;
	det.to = j->to;
	det.cc = j->cc;
	det.date = j->date[0] ? j->date : NULL;
	d = j->cons ? nd30_consolidated(j->form, j->src, &det) :
	    nd30_report(j->form, j->src, &det);
	if (d == NULL) {
		(void)snprintf(j->err, sizeof(j->err), "out of memory");
		return (KORE_RESULT_ERROR);
	}
	if (pdf_render(d, &j->pdf, &j->len, NULL, j->err,
	    sizeof(j->err)) == -1) {
		pdf_doc_free(d);
		return (KORE_RESULT_ERROR);
	}
	pdf_doc_free(d);

	return (KORE_RESULT_OK);
}

static int
docs_rendered(struct api_ctx *ctx)
{
	struct docs_job	*j = ctx->priv;

	docs_export_give(&j->slot);
	if (j->pdf == NULL) {
		kore_log(LOG_ERR, "pdf %s: %s", j->name, j->err);
		return (api_error(ctx, 500, "internal", NULL, NULL));
	}

	return (api_file(ctx, "application/pdf", j->name, j->pdf, j->len));
}

static int
docs_start(struct api_ctx *ctx, struct docs_job *j)
{
	if (!docs_export_take(ctx, &j->slot))
		return (API_DONE);

	return (api_offload_export(ctx, docs_render, docs_rendered));
}

/* Text a person typed: no control characters, at most max characters. */
static int
docs_text_ok(const char *s, size_t max)
{
	size_t		n;

	for (n = 0; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 && *s != '\n')
			return (0);
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}

	return (n <= max);
}

/* An optional text argument: 1 (kept in buf), 0 absent, -1 answered. */
static int
docs_qs_text(struct api_ctx *ctx, const char *name, char *buf, size_t len,
    size_t max)
{
	char		v[DOCS_TO_MAX * 4 + 1];

	switch (api_qs_arg(ctx, name, v, sizeof(v))) {
	case 0:
		return (0);
	case 1:
		if (docs_text_ok(v, max) && strlen(v) < len) {
			(void)snprintf(buf, len, "%s", v);
			return (1);
		}
		break;
	}
	(void)api_qs_error(ctx, name, NULL, NULL);

	return (-1);
}

/* The day in Việt Nam of a timestamp PostgreSQL wrote, or of now. */
static void
docs_local_day(const char *ts, char *buf, size_t len)
{
	struct pdate	d;
	struct tm	tm;
	time_t		t;
	int		oh, om, sign;
	const char	*z;

	t = time(NULL);
	memset(&tm, 0, sizeof(tm));
	if (ts != NULL && sscanf(ts, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
	    &tm.tm_sec) == 6) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		t = timegm(&tm);
		if ((z = strpbrk(ts + 19, "+-")) != NULL &&
		    sscanf(z + 1, "%2d:%2d", &oh, &om) >= 1) {
			sign = *z == '-' ? -1 : 1;
			t -= sign * (oh * 3600 + (strchr(z, ':') ? om : 0) * 60);
		}
	}
	period_local_date(t, &d);
	period_date_format(&d, buf, len);
}

/*
 * The unit's report as a PDF: report is the answer GET would give
 * (reports.c), docs its "document" (number, signer) as stored.
 */
int
docs_report_pdf(struct api_ctx *ctx, const struct form *f, json_t *report)
{
	struct docs_job	*j;
	json_t		*doc;
	const char	*s, *status, *unit, *period;
	int		draft;

	/* reports.c's priv stays: the job goes in a fresh one of its own. */
	if (ctx->priv != NULL && ctx->priv_free != NULL)
		ctx->priv_free(ctx->priv);
	ctx->priv = NULL;
	j = docs_job(ctx);
	j->form = f;
	(void)snprintf(j->formcode, sizeof(j->formcode), "%s", f->code);
	j->src = report;
	doc = json_object_get(report, "document");
	if ((s = json_string_value(json_object_get(doc, "number"))) != NULL)
		(void)snprintf(j->number, sizeof(j->number), "%s", s);
	if ((s = json_string_value(json_object_get(doc, "signer"))) != NULL)
		(void)snprintf(j->signer, sizeof(j->signer), "%s", s);
	/* For one download, without storing: ?number=&signer= */
	if (docs_qs_text(ctx, "number", j->number, sizeof(j->number),
	    DOCS_NUMBER_MAX) == -1 || docs_qs_text(ctx, "signer", j->signer,
	    sizeof(j->signer), DOCS_NAME_MAX) == -1)
		return (API_DONE);

	status = json_string_value(json_object_get(report, "status"));
	draft = status == NULL || (strcmp(status, "submitted") &&
	    strcmp(status, "accepted"));
	docs_local_day(draft ? NULL : json_string_value(json_object_get(report,
	    "submitted_at")), j->date, sizeof(j->date));
	unit = json_string_value(json_object_get(report, "unit"));
	period = json_string_value(json_object_get(report, "period"));
	(void)snprintf(j->name, sizeof(j->name), "bao-cao-%s-%s-%s%s.pdf",
	    unit ? unit : "", period ? period : "", f->code, draft ?
	    "-ban-nhap" : "");

	return (docs_start(ctx, j));
}

/*
 * The consolidated report as a PDF: cons as GET .../consolidated gives
 * it (after cons_complete); the office's details are read next.
 */
int
docs_cons_pdf(struct api_ctx *ctx, const struct form *f, json_t *cons,
    const char *period, int *slot)
{
	struct docs_job	*j;
	const char	*params[2];
	char		code[PERIOD_CODE_MAX];
	int		held;

	/* period and the slot live in cons_api.c's priv, which goes now. */
	(void)snprintf(code, sizeof(code), "%s", period);
	held = *slot;
	*slot = 0;
	if (ctx->priv != NULL && ctx->priv_free != NULL)
		ctx->priv_free(ctx->priv);
	ctx->priv = NULL;
	j = docs_job(ctx);
	j->form = f;
	(void)snprintf(j->formcode, sizeof(j->formcode), "%s", f->code);
	j->src = cons;
	j->cons = 1;
	j->slot = held;
	(void)snprintf(j->period, sizeof(j->period), "%s", code);
	(void)snprintf(j->name, sizeof(j->name), "tong-hop-%s-%s.pdf", code,
	    f->code);
	params[0] = j->period;
	params[1] = f->code;

	return (api_then(ctx, Q_CONS_DOC_GET, 2, params, docs_cons_details));
}

static void
docs_copy(char *buf, size_t len, json_t *o, const char *key)
{
	const char	*s;

	if ((s = json_string_value(json_object_get(o, key))) != NULL)
		(void)snprintf(buf, len, "%s", s);
}

static int
docs_cons_details(struct api_ctx *ctx)
{
	struct docs_job	*j = ctx->priv;
	json_t		*o;
	char		date[16];
	int		r;

	o = db_rows(&ctx->db) == 1 ? json_loads(db_get(&ctx->db, 0, 0), 0,
	    NULL) : NULL;
	docs_copy(j->number, sizeof(j->number), o, "number");
	docs_copy(j->signer, sizeof(j->signer), o, "signer");
	docs_copy(j->capacity, sizeof(j->capacity), o, "capacity");
	docs_copy(j->to, sizeof(j->to), o, "to");
	docs_copy(j->date, sizeof(j->date), o, "date");
	json_decref(o);
	db_clear(&ctx->db);

	if (docs_qs_text(ctx, "number", j->number, sizeof(j->number),
	    DOCS_NUMBER_MAX) == -1 || docs_qs_text(ctx, "signer", j->signer,
	    sizeof(j->signer), DOCS_NAME_MAX) == -1 || docs_qs_text(ctx,
	    "capacity", j->capacity, sizeof(j->capacity), DOCS_NAME_MAX) == -1 ||
	    docs_qs_text(ctx, "to", j->to, sizeof(j->to), DOCS_TO_MAX) == -1)
		return (API_DONE);
	if ((r = api_qs_arg(ctx, "date", date, sizeof(date))) == -1 ||
	    (r == 1 && !form_date_valid(date)))
		return (api_qs_error(ctx, "date", NULL, "Tham số date là ngày "
		    "của văn bản, dạng YYYY-MM-DD."));
	if (r == 1)
		(void)snprintf(j->date, sizeof(j->date), "%s", date);
	if (j->date[0] == '\0')
		docs_local_day(NULL, j->date, sizeof(j->date));

	return (docs_start(ctx, j));
}

/* unit, period, form of .../reports/{unit}/{period}/{form}/...: 0 ok. */
static int
docs_path(struct api_ctx *ctx, struct docs_job *j)
{
	if (strlen(ctx->args[2]) >= sizeof(j->formcode) ||
	    !outline_known(ctx->args[2]) ||
	    period_code_parse(ctx->args[1], NULL, NULL, NULL) == -1 ||
	    strlen(ctx->args[0]) >= sizeof(j->unit)) {
		(void)api_error(ctx, 404, "not_found", NULL, NULL);
		return (-1);
	}
	(void)snprintf(j->user, sizeof(j->user), "%lld", ctx->who.user_id);
	(void)snprintf(j->unit, sizeof(j->unit), "%s", ctx->args[0]);
	(void)snprintf(j->period, sizeof(j->period), "%s", ctx->args[1]);
	(void)snprintf(j->formcode, sizeof(j->formcode), "%s", ctx->args[2]);

	return (0);
}

/*
 * PUT .../signed: the signed copy, Content-Type application/pdf, checked
 * by its content before anything is stored.
 */
int
docs_signed_put(struct api_ctx *ctx)
{
	static const char	hexd[] = "0123456789abcdef";
	struct docs_job		*j;
	const unsigned char	*data;
	const char		*ctype, *params[6];
	size_t			len, i;
	int			rc;

	j = docs_job(ctx);
	if (docs_path(ctx, j) == -1)
		return (API_DONE);
	if (!http_request_header(ctx->req, "content-type", &ctype) ||
	    strncasecmp(ctype, "application/pdf", 15) != 0 ||
	    (ctype[15] != '\0' && ctype[15] != ';' && ctype[15] != ' '))
		return (api_error(ctx, 415, "unsupported_type", "Bản ký phải "
		    "gửi dạng PDF (Content-Type: application/pdf).", NULL));
	if ((data = (const unsigned char *)api_body(ctx, &len)) == NULL ||
	    len == 0)
		return (api_error(ctx, 400, "empty_file", "Tệp trống: hãy chọn "
		    "tệp PDF đã ký của báo cáo.", NULL));
	if (len > DOCS_SIGNED_MAX)
		return (api_error(ctx, 413, "too_large", "Tệp lớn hơn 10 MB: "
		    "hãy lưu bản ký ở độ phân giải thấp hơn rồi tải lên lại.",
		    json_pack("{s:I}", "max", (json_int_t)DOCS_SIGNED_MAX)));
	if ((rc = pdf_check(data, len)) != PDF_CHECK_OK)
		return (api_error(ctx, 415, "not_pdf", rc == PDF_CHECK_NO_HEADER ?
		    "Tệp này không phải PDF (dù tên có đuôi .pdf): hãy tải lên "
		    "bản PDF đã ký của báo cáo." : "Tệp PDF bị hỏng hoặc không "
		    "trọn vẹn: hãy lưu lại bản ký rồi tải lên lại.",
		    json_pack("{s:s}", "problem", pdf_check_problem(rc))));

	j->hex = kore_malloc(len * 2 + 1);
	for (i = 0; i < len; i++) {
		j->hex[2 * i] = hexd[data[i] >> 4];
		j->hex[2 * i + 1] = hexd[data[i] & 0x0f];
	}
	j->hex[2 * len] = '\0';
	params[0] = j->user;
	params[1] = j->unit;
	params[2] = j->period;
	params[3] = j->formcode;
	params[4] = j->hex;
	params[5] = NULL;

	return (api_then(ctx, Q_SIGNED_PUT, 6, params, docs_signed_stored));
}

static int
docs_signed_stored(struct api_ctx *ctx)
{
	struct docs_job	*j = ctx->priv;
	json_t		*o;
	const char	*res;

	kore_free(j->hex);
	j->hex = NULL;
	if (db_rows(&ctx->db) != 1 || (o = json_loads(db_get(&ctx->db, 0, 0),
	    0, NULL)) == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	res = json_string_value(json_object_get(o, "result"));
	if (res != NULL && !strcmp(res, "not_submitted")) {
		json_decref(o);
		return (api_error(ctx, 409, "not_submitted", "Báo cáo chưa nộp "
		    "nên chưa nhận bản ký: hãy nộp báo cáo, tải PDF, ký rồi tải "
		    "bản ký lên.", NULL));
	}
	if (res == NULL || strcmp(res, "ok")) {
		json_decref(o);
		return (api_error(ctx, 404, "not_found", NULL, NULL));
	}
	json_object_del(o, "result");

	return (api_json(ctx, 201, o));
}

/* GET .../signed: the latest signed copy. */
int
docs_signed_get(struct api_ctx *ctx)
{
	struct docs_job	*j;
	const char	*params[4];

	j = docs_job(ctx);
	if (docs_path(ctx, j) == -1)
		return (API_DONE);
	params[0] = j->user;
	params[1] = j->unit;
	params[2] = j->period;
	params[3] = j->formcode;

	return (api_then(ctx, Q_SIGNED_GET, 4, params, docs_signed_found));
}

static int
docs_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);

	return (-1);
}

static int
docs_signed_found(struct api_ctx *ctx)
{
	struct docs_job	*j = ctx->priv;
	const char	*hex;
	size_t		n, i;
	int		hi, lo;

	if (db_rows(&ctx->db) != 1)
		return (api_error(ctx, 404, "not_found", "Đơn vị chưa tải bản "
		    "ký của báo cáo này lên.", NULL));
	hex = db_get(&ctx->db, 0, 0);
	n = strlen(hex) / 2;
	if ((j->pdf = malloc(n + 1)) == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	for (i = 0; i < n; i++) {
		if ((hi = docs_hexval(hex[2 * i])) < 0 ||
		    (lo = docs_hexval(hex[2 * i + 1])) < 0)
			return (api_error(ctx, 500, "internal", NULL, NULL));
		j->pdf[i] = (unsigned char)(hi << 4 | lo);
	}
	(void)snprintf(j->name, sizeof(j->name), "ban-ky-%s-%s-%s.pdf",
	    j->unit, j->period, j->formcode);
	http_response_header(ctx->req, "x-content-sha256",
	    db_get(&ctx->db, 0, 1));

	return (api_file(ctx, "application/pdf", j->name, j->pdf, n));
}

/*
 * A text member of the body: "" when absent or null, NULL (answered 422
 * into *bad) when not text, too long or with control characters.
 */
static char *
docs_body_text(struct api_ctx *ctx, const char *key, size_t max, int *bad)
{
	json_t		*v;
	char		*s;

	v = json_object_get(ctx->body, key);
	if (v == NULL || json_is_null(v))
		return ("");
	if (!json_is_string(v) || (s = api_json_text(ctx->body, key,
	    max * 4)) == NULL || !docs_text_ok(s, max)) {
		*bad = 1;
		return (NULL);
	}

	return (s);
}

/* PUT .../reports/{unit}/{period}/{form}/document {"number", "signer"} */
int
docs_report_doc_put(struct api_ctx *ctx)
{
	struct docs_job	*j;
	const char	*params[6];
	char		*number, *signer;
	int		bad;

	if (!api_body_json(ctx, DOCS_BODY_MAX))
		return (API_DONE);
	j = docs_job(ctx);
	if (docs_path(ctx, j) == -1)
		return (API_DONE);
	bad = 0;
	number = docs_body_text(ctx, "number", DOCS_NUMBER_MAX, &bad);
	signer = docs_body_text(ctx, "signer", DOCS_NAME_MAX, &bad);
	if (bad)
		return (api_error(ctx, 422, "invalid_values", "Số văn bản (tối "
		    "đa 32 ký tự) và họ tên người ký (tối đa 100 ký tự) là chữ, "
		    "không xuống dòng.", NULL));
	params[0] = j->user;
	params[1] = j->unit;
	params[2] = j->period;
	params[3] = j->formcode;
	params[4] = number;
	params[5] = signer;

	return (api_then(ctx, Q_REPORT_DOC_PUT, 6, params, docs_json_row));
}

/* A statement's one JSON row is the answer; no row is a 404. */
static int
docs_json_row(struct api_ctx *ctx)
{
	if (db_rows(&ctx->db) != 1)
		return (api_error(ctx, 404, "not_found", NULL, NULL));

	return (api_raw(ctx, 200, db_get(&ctx->db, 0, 0)));
}

static int
docs_json_created(struct api_ctx *ctx)
{
	return (docs_json_row(ctx));
}

/* {period}/{form} of .../consolidated/{period}/{form}/document. */
static int
docs_cons_path(struct api_ctx *ctx, struct docs_job *j)
{
	if (strlen(ctx->args[1]) >= sizeof(j->formcode) ||
	    !outline_known(ctx->args[1]) ||
	    period_code_parse(ctx->args[0], NULL, NULL, NULL) == -1) {
		(void)api_error(ctx, 404, "not_found", NULL, NULL);
		return (-1);
	}
	(void)snprintf(j->user, sizeof(j->user), "%lld", ctx->who.user_id);
	(void)snprintf(j->period, sizeof(j->period), "%s", ctx->args[0]);
	(void)snprintf(j->formcode, sizeof(j->formcode), "%s", ctx->args[1]);

	return (0);
}

int
docs_cons_doc_get(struct api_ctx *ctx)
{
	struct docs_job	*j;
	const char	*params[2];

	j = docs_job(ctx);
	if (docs_cons_path(ctx, j) == -1)
		return (API_DONE);
	params[0] = j->period;
	params[1] = j->formcode;

	return (api_then(ctx, Q_CONS_DOC_GET, 2, params, docs_json_row));
}

/* PUT {"number", "date", "to", "signer", "capacity"} (the office). */
int
docs_cons_doc_put(struct api_ctx *ctx)
{
	struct docs_job	*j;
	const char	*params[8];
	char		*number, *date, *to, *signer, *capacity;
	int		bad;

	if (!api_body_json(ctx, DOCS_BODY_MAX))
		return (API_DONE);
	j = docs_job(ctx);
	if (docs_cons_path(ctx, j) == -1)
		return (API_DONE);
	bad = 0;
	number = docs_body_text(ctx, "number", DOCS_NUMBER_MAX, &bad);
	date = docs_body_text(ctx, "date", 10, &bad);
	to = docs_body_text(ctx, "to", DOCS_TO_MAX, &bad);
	signer = docs_body_text(ctx, "signer", DOCS_NAME_MAX, &bad);
	capacity = docs_body_text(ctx, "capacity", DOCS_NAME_MAX, &bad);
	if (bad || (date != NULL && *date != '\0' && !form_date_valid(date)))
		return (api_error(ctx, 422, "invalid_values", "Kiểm tra lại: số "
		    "văn bản tối đa 32 ký tự, ngày dạng YYYY-MM-DD, nơi gửi tối "
		    "đa 500 ký tự, người ký và chức vụ tối đa 100 ký tự.",
		    NULL));
	params[0] = j->period;
	params[1] = j->formcode;
	params[2] = number;
	params[3] = date;
	params[4] = to;
	params[5] = signer;
	params[6] = capacity;
	params[7] = j->user;

	return (api_then(ctx, Q_CONS_DOC_PUT, 8, params, docs_json_created));
}
