/*
 * Outline versions: the worker's cache of the versions it has loaded,
 * and the routes
 *   GET  /api/v1/forms/{form}[?period=CODE]     the version in force
 *   GET  /api/v1/forms/{form}/versions          every version
 *   GET  /api/v1/forms/{form}/versions/{n}      one version
 *   POST /api/v1/forms/{form}/versions?first_period=CODE[&dry_run=1]
 * The last (admin) checks an uploaded outline as the files are checked
 * (every problem with its place), where it may start, that it keeps the
 * codes of the earlier versions, and answers its differences against
 * the version before; without dry_run it stores it (sql/013).
 */
#include <sys/types.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "api.h"
#include "form.h"
#include "msg.h"
#include "outline.h"
#include "period.h"
#include "route.h"

#define OUTLINE_FORMS		2
#define OUTLINE_CACHE_MAX	(OUTLINE_FORMS * OUTLINE_VERSIONS_MAX)

struct outline_entry {
	char		form[FORM_CODE_MAX];
	int		version;
	char		first[PERIOD_CODE_MAX];
	struct form	*f;
};

/* An upload being checked and stored. */
struct ov_post {
	char		form[FORM_CODE_MAX];
	char		first[PERIOD_CODE_MAX];
	char		user[32];
	char		after[16];
	int		dry;
	int		latest;
	char		*text;
	struct form	*f;		/* owned until the cache has it */
	json_t		*def;		/* the upload, parsed */
	json_t		*problems;
	json_t		*plan;
};

static const char		*outline_codes[OUTLINE_FORMS] = { "PL1", "PL2" };
static struct outline_entry	outline_cache[OUTLINE_CACHE_MAX];
static size_t			outline_count;

static int	outline_got(struct api_ctx *);
static int	outline_at_got(struct api_ctx *);
static int	outline_put(const char *, int, const char *, struct form *);
static json_t	*outline_served(const char *, int);
static int	outline_form_send(struct api_ctx *);
static int	outline_version_send(struct api_ctx *);
static int	outline_listed(struct api_ctx *);
static int	ov_args(struct api_ctx *, struct ov_post *);
static void	ov_problem(struct ov_post *, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	ov_planned(struct api_ctx *);
static int	ov_checked(struct api_ctx *);
static void	ov_placement(struct ov_post *);
static json_t	*ov_answer(struct ov_post *, int);
static int	ov_added(struct api_ctx *);

void
outline_init(const char *dir)
{
	struct form	*f;
	char		path[1024], err[FORM_ERR_MAX];
	size_t		i;

	for (i = 0; i < OUTLINE_FORMS; i++) {
		(void)snprintf(path, sizeof(path), "%s/%s.json", dir,
		    outline_codes[i]);
		if ((f = form_load(path, err, sizeof(err))) == NULL)
			fatal("form %s: %s", path, err);
		if (strcmp(f->code, outline_codes[i]))
			fatal("form %s: \"form\" is %s", path, f->code);
		form_free(f);
	}
}

int
outline_known(const char *code)
{
	size_t		i;

	for (i = 0; i < OUTLINE_FORMS; i++) {
		if (!strcmp(outline_codes[i], code))
			return (1);
	}

	return (0);
}

static const struct outline_entry *
outline_entry(const char *form, int version)
{
	size_t		i, n;

	n = __atomic_load_n(&outline_count, __ATOMIC_ACQUIRE);
	for (i = 0; i < n; i++) {
		if (outline_cache[i].version == version &&
		    !strcmp(outline_cache[i].form, form))
			return (&outline_cache[i]);
	}

	return (NULL);
}

const struct form *
outline_get(const char *form, int version)
{
	const struct outline_entry	*e;

	e = outline_entry(form, version);

	return (e != NULL ? e->f : NULL);
}

const char *
outline_first_period(const char *form, int version)
{
	const struct outline_entry	*e;

	e = outline_entry(form, version);

	return (e != NULL ? e->first : NULL);
}

/*
 * Kept for good, or freed when this worker has it already.  Only the
 * event loop adds; a task thread reading sees an entry once counted.
 */
static int
outline_put(const char *form, int version, const char *first, struct form *f)
{
	struct outline_entry	*e;

	if (outline_get(form, version) != NULL) {
		form_free(f);
		return (0);
	}
	if (outline_count == OUTLINE_CACHE_MAX) {
		form_free(f);
		return (-1);
	}
	e = &outline_cache[outline_count];
	(void)snprintf(e->form, sizeof(e->form), "%s", form);
	(void)snprintf(e->first, sizeof(e->first), "%s", first);
	e->version = version;
	e->f = f;
	__atomic_store_n(&outline_count, outline_count + 1, __ATOMIC_RELEASE);

	return (0);
}

size_t
outline_version_add(int *vs, size_t n, size_t max, int v)
{
	size_t		i;

	for (i = 0; i < n; i++) {
		if (vs[i] == v)
			return (n);
	}
	if (v > 0 && n < max)
		vs[n++] = v;

	return (n);
}

size_t
outline_versions_of(json_t *map, int *vs, size_t n, size_t max)
{
	const char	*k;
	json_t		*v;

	json_object_foreach(map, k, v) {
		if (json_is_integer(v))
			n = outline_version_add(vs, n, max,
			    (int)json_integer_value(v));
	}

	return (n);
}

int
outline_need(struct api_ctx *ctx, const char *form, const int *versions,
    size_t n, api_step next)
{
	struct kore_buf	*b;
	const char	*params[2];
	size_t		i, missing;
	int		r;

	b = kore_buf_alloc(64);
	kore_buf_append(b, "{", 1);
	for (i = 0, missing = 0; i < n; i++) {
		if (versions[i] <= 0 || outline_get(form, versions[i]) != NULL)
			continue;
		kore_buf_appendf(b, "%s%d", missing++ ? "," : "", versions[i]);
	}
	kore_buf_append(b, "}", 1);
	if (missing == 0) {
		kore_buf_free(b);
		return (next(ctx));
	}

	ctx->outline_next = next;
	params[0] = form;
	params[1] = kore_buf_stringify(b, NULL);
	r = api_then(ctx, Q_FORM_VERSION_GET, 2, params, outline_got);
	kore_buf_free(b);

	return (r);
}

/* Versions as stored: loaded as an upload is, then kept. */
static int
outline_got(struct api_ctx *ctx)
{
	struct form	*f;
	json_t		*problems;
	const char	*form, *def;
	int		i, version;

	for (i = 0; i < db_rows(&ctx->db); i++) {
		form = db_get(&ctx->db, i, 0);
		version = (int)db_get_ll(&ctx->db, i, 1);
		def = db_get(&ctx->db, i, 3);
		f = form_load_text(def, strlen(def), &problems, NULL);
		if (f == NULL || strcmp(f->code, form)) {
			kore_log(LOG_ERR, "outline %s version %d does not "
			    "load: %s", form, version, json_string_value(
			    json_object_get(json_array_get(problems, 0),
			    "message")));
			json_decref(problems);
			form_free(f);
			return (api_error(ctx, 500, "outline_broken", "Đề cương "
			    "lưu trong cơ sở dữ liệu không đọc được; báo cho "
			    "quản trị viên.", json_pack("{s:s, s:i}", "form",
			    form, "version", version)));
		}
		json_decref(problems);
		if (outline_put(form, version, db_get(&ctx->db, i, 2),
		    f) == -1)
			return (api_error(ctx, 500, "internal", NULL, NULL));
	}
	db_clear(&ctx->db);

	return (ctx->outline_next(ctx));
}

int
outline_at(struct api_ctx *ctx, const char *form, const char *period,
    api_step next)
{
	const char	*params[2];

	ctx->outline_next = next;
	params[0] = form;
	params[1] = period;

	return (api_then(ctx, Q_FORM_VERSION_AT, 2, params, outline_at_got));
}

static int
outline_at_got(struct api_ctx *ctx)
{
	char		form[FORM_CODE_MAX];
	int		v;

	if (db_rows(&ctx->db) != 1)
		return (api_error(ctx, 500, "outline_missing", "Đề cương chưa "
		    "có phiên bản nào trong cơ sở dữ liệu (chưa chạy "
		    "scripts/migrate.sh?); báo cho quản trị viên.", NULL));
	(void)snprintf(form, sizeof(form), "%s", db_get(&ctx->db, 0, 0));
	v = (int)db_get_ll(&ctx->db, 0, 1);
	ctx->outline_version = v;

	return (outline_need(ctx, form, &v, 1, ctx->outline_next));
}

/* The definition as loaded, with the version and its first period. */
static json_t *
outline_served(const char *form, int version)
{
	const struct form	*f;
	json_t			*o;

	if ((f = outline_get(form, version)) == NULL)
		return (NULL);
	o = json_copy(f->json);
	json_object_set_new(o, "version", json_integer(version));
	json_object_set_new(o, "first_period",
	    json_string(outline_first_period(form, version)));

	return (o);
}

static int
outline_form_404(struct api_ctx *ctx)
{
	return (api_error(ctx, 404, "not_found", "Không có đề cương này "
	    "(chỉ có PL1 và PL2).", NULL));
}

/* GET /api/v1/forms/{form}[?period=CODE] */
int
outline_form_get(struct api_ctx *ctx)
{
	char		period[PERIOD_CODE_MAX];
	int		r;

	if (!outline_known(ctx->args[0]))
		return (outline_form_404(ctx));
	r = api_qs_arg(ctx, "period", period, sizeof(period));
	if (r == 0)
		period[0] = '\0';
	else if (r == -1 || period_code_parse(period, NULL, NULL, NULL) == -1)
		return (api_qs_error(ctx, "period", "bad_period",
		    msg_vi("bad_period")));

	return (outline_at(ctx, ctx->args[0], period, outline_form_send));
}

static int
outline_form_send(struct api_ctx *ctx)
{
	json_t		*o;

	if ((o = outline_served(ctx->args[0], ctx->outline_version)) == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));

	return (api_json(ctx, 200, o));
}

/* "1" to "100", nothing else. */
static int
outline_version_arg(const char *s)
{
	size_t		n;
	int		v;

	n = strspn(s, "0123456789");
	if (n == 0 || n > 3 || s[n] != '\0' || s[0] == '0')
		return (0);
	v = atoi(s);

	return (v <= OUTLINE_VERSIONS_MAX ? v : 0);
}

/* GET /api/v1/forms/{form}/versions/{n} */
int
outline_version_get(struct api_ctx *ctx)
{
	int		v;

	if (!outline_known(ctx->args[0]))
		return (outline_form_404(ctx));
	if ((v = outline_version_arg(ctx->args[1])) == 0)
		return (api_error(ctx, 404, "not_found", "Không có phiên bản "
		    "này của đề cương.", NULL));

	return (outline_need(ctx, ctx->args[0], &v, 1, outline_version_send));
}

static int
outline_version_send(struct api_ctx *ctx)
{
	json_t		*o;

	o = outline_served(ctx->args[0], outline_version_arg(ctx->args[1]));
	if (o == NULL)
		return (api_error(ctx, 404, "not_found", "Không có phiên bản "
		    "này của đề cương.", NULL));

	return (api_json(ctx, 200, o));
}

/* GET /api/v1/forms/{form}/versions */
int
outline_versions_list(struct api_ctx *ctx)
{
	const char	*params[1];

	if (!outline_known(ctx->args[0]))
		return (outline_form_404(ctx));
	params[0] = ctx->args[0];

	return (api_then(ctx, Q_FORM_VERSIONS_LIST, 1, params,
	    outline_listed));
}

static int
outline_listed(struct api_ctx *ctx)
{
	return (api_raw(ctx, 200, db_get(&ctx->db, 0, 0)));
}

static void
ov_free(void *p)
{
	struct ov_post	*o = p;

	free(o->text);
	form_free(o->f);
	json_decref(o->def);
	json_decref(o->problems);
	json_decref(o->plan);
	kore_free(o);
}

/*
 * POST /api/v1/forms/{form}/versions?first_period=CODE[&dry_run=1] with
 * the outline as the body.  Checked first without the database: the
 * arguments, then the outline itself.
 */
int
outline_version_post(struct api_ctx *ctx)
{
	struct ov_post	*o;
	const char	*body, *params[2];
	size_t		len;
	int		syntax;

	o = kore_calloc(1, sizeof(*o));
	ctx->priv = o;
	ctx->priv_free = ov_free;
	if (!outline_known(ctx->args[0]))
		return (outline_form_404(ctx));
	(void)snprintf(o->form, sizeof(o->form), "%s", ctx->args[0]);
	(void)snprintf(o->user, sizeof(o->user), "%lld", ctx->who.user_id);
	if (!ov_args(ctx, o))
		return (API_DONE);

	if ((body = api_body(ctx, &len)) == NULL || len == 0)
		return (api_error(ctx, 400, "bad_json", "Thiếu tệp đề cương "
		    "(JSON) trong yêu cầu.", NULL));
	if (len > FORM_TEXT_MAX)
		return (api_error(ctx, 413, "too_large", "Tệp đề cương lớn "
		    "hơn 256 KiB; chỉ giữ những gì đề cương cần.", NULL));
	/* Stored as text: a NUL byte is never part of JSON. */
	if (memchr(body, '\0', len) != NULL)
		return (api_error(ctx, 400, "bad_json", "Tệp đề cương có byte "
		    "0, không phải văn bản JSON.", NULL));
	o->text = malloc(len + 1);
	if (o->text == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	memcpy(o->text, body, len);
	o->text[len] = '\0';

	o->f = form_load_text(o->text, len, &o->problems, &syntax);
	if (syntax)
		return (api_error(ctx, 400, "bad_json", "Tệp đề cương không "
		    "phải JSON hợp lệ; sửa chỗ được nêu rồi tải lên lại.",
		    json_incref(o->problems)));
	/* Read again for the codes: a file with problems has no struct. */
	o->def = json_loadb(o->text, len, JSON_REJECT_DUPLICATES, NULL);
	if (o->f != NULL && strcmp(o->f->code, o->form))
		ov_problem(o, "form", "Tệp là đề cương «%s», không phải «%s»: "
		    "chọn đúng phụ lục, hoặc sửa «form» trong tệp.",
		    o->f->code, o->form);

	params[0] = o->form;
	params[1] = o->first;

	return (api_then(ctx, Q_FORM_VERSION_PLAN, 2, params, ov_planned));
}

/* first_period (required, a period code) and dry_run (1 or 0). */
static int
ov_args(struct api_ctx *ctx, struct ov_post *o)
{
	char		v[8];
	int		r;

	r = api_qs_arg(ctx, "first_period", o->first, sizeof(o->first));
	if (r != 1 || period_code_parse(o->first, NULL, NULL, NULL) == -1) {
		api_qs_error(ctx, "first_period", "bad_period", r == 0 ?
		    "Thiếu first_period: kỳ đầu tiên áp dụng phiên bản mới "
		    "(ví dụ 2026-01)." : msg_vi("bad_period"));
		return (0);
	}
	switch (api_qs_arg(ctx, "dry_run", v, sizeof(v))) {
	case 0:
		return (1);
	case 1:
		if (!strcmp(v, "1") || !strcmp(v, "0")) {
			o->dry = v[0] == '1';
			return (1);
		}
		break;
	}
	api_qs_error(ctx, "dry_run", NULL, "Tham số dry_run chỉ nhận 1 (xem "
	    "khác biệt, chưa lưu) hoặc 0.");

	return (0);
}

static void
ov_problem(struct ov_post *o, const char *where, const char *fmt, ...)
{
	va_list		ap;
	char		msg[1024];

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (o->problems == NULL)
		o->problems = json_array();
	json_array_append_new(o->problems, json_pack("{s:s, s:s}", "where",
	    where, "message", msg));
}

/* Every earlier version is needed: codes are kept across all of them. */
static int
ov_planned(struct api_ctx *ctx)
{
	struct ov_post	*o = ctx->priv;
	json_t		*vs, *v;
	int		list[OUTLINE_VERSIONS_MAX];
	size_t		i, n;

	if (db_rows(&ctx->db) != 1 ||
	    (o->plan = json_loads(db_get(&ctx->db, 0, 0), 0, NULL)) == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	db_clear(&ctx->db);

	vs = json_object_get(o->plan, "versions");
	n = 0;
	json_array_foreach(vs, i, v) {
		if (n < OUTLINE_VERSIONS_MAX)
			list[n++] = (int)json_integer_value(json_object_get(v,
			    "version"));
	}
	o->latest = n > 0 ? list[n - 1] : 0;

	return (outline_need(ctx, o->form, list, n, ov_checked));
}

static int
ov_checked(struct api_ctx *ctx)
{
	struct ov_post	*o = ctx->priv;
	const char	*params[5];
	int		v;

	ov_placement(o);
	for (v = 1; v <= o->latest; v++)
		form_stable(outline_get(o->form, v), v, o->def, o->problems);

	if (o->f == NULL || json_array_size(o->problems) > 0)
		return (api_error(ctx, 422, "outline_invalid", "Đề cương chưa "
		    "dùng được: sửa các lỗi được nêu (mỗi lỗi kèm vị trí trong "
		    "tệp) rồi tải lên lại. Chưa có gì được lưu.",
		    json_incref(o->problems)));
	if (o->dry)
		return (api_json(ctx, 200, ov_answer(o, o->latest + 1)));

	(void)snprintf(o->after, sizeof(o->after), "%d", o->latest);
	params[0] = o->form;
	params[1] = o->first;
	params[2] = o->text;
	params[3] = o->user;
	params[4] = o->latest > 0 ? o->after : NULL;

	return (api_then(ctx, Q_FORM_VERSION_ADD, 5, params, ov_added));
}

/*
 * Where a version may start: a period that uses the form, not before the
 * latest version's, and after every period that has reports already.
 */
static void
ov_placement(struct ov_post *o)
{
	struct period	p;
	json_t		*filed, *latest;
	int		mask;

	mask = !strcmp(o->form, "PL1") ? PERIOD_FORM_PL1 : PERIOD_FORM_PL2;
	if (period_lookup(o->first, &p) == -1)
		ov_problem(o, "first_period", "Kỳ «%s» không có trong lịch báo "
		    "cáo.", o->first);
	else if ((p.forms & mask) == 0)
		ov_problem(o, "first_period", "Kỳ «%s» (%s) không dùng đề cương "
		    "%s: kỳ tháng dùng PL1, kỳ 6 tháng PL1 và PL2, kỳ năm PL2.",
		    o->first, p.name, o->form);

	latest = json_object_get(o->plan, "latest");
	if (o->latest >= OUTLINE_VERSIONS_MAX)
		ov_problem(o, "first_period", "Đề cương %s đã có %d phiên bản, "
		    "nhiều nhất có thể.", o->form, o->latest);
	if (json_is_true(json_object_get(o->plan, "before")))
		ov_problem(o, "first_period", "Phiên bản mới phải bắt đầu từ kỳ "
		    "bắt đầu của phiên bản %d («%s») trở về sau: các phiên bản "
		    "nối tiếp nhau theo thời gian.", o->latest,
		    json_string_value(json_object_get(latest, "first_period")));

	filed = json_object_get(o->plan, "filed");
	if (json_is_object(filed))
		ov_problem(o, "first_period", "Kỳ «%s» (%s) đã có %lld báo cáo "
		    "theo phiên bản %lld, kể cả bản nháp đã lưu: phiên bản mới "
		    "chỉ bắt đầu được từ kỳ sau kỳ đó, để báo cáo nào cũng rõ "
		    "lập theo phiên bản nào.",
		    json_string_value(json_object_get(filed, "period")),
		    json_string_value(json_object_get(filed, "name")),
		    (long long)json_integer_value(json_object_get(filed,
		    "reports")),
		    (long long)json_integer_value(json_object_get(filed,
		    "version")));
}

/* The version and its differences against the one before. */
static json_t *
ov_answer(struct ov_post *o, int version)
{
	const struct form	*prev;
	json_t			*d, *a;

	prev = o->latest > 0 ? outline_get(o->form, o->latest) : NULL;
	d = form_diff(prev, o->f);
	a = json_pack("{s:s, s:i, s:s, s:b, s:s, s:I, s:I, s:I}",
	    "form", o->form, "version", version, "first_period", o->first,
	    "dry_run", o->dry, "title", o->f->title,
	    "items", (json_int_t)o->f->nitems,
	    "lists", (json_int_t)o->f->nlists,
	    "checks", (json_int_t)o->f->nchecks);
	json_object_set(a, "previous", prev != NULL ?
	    json_object_get(o->plan, "latest") : json_null());
	json_object_update(a, d);
	json_decref(d);

	return (a);
}

static int
ov_added(struct api_ctx *ctx)
{
	struct ov_post	*o = ctx->priv;
	json_t		*r, *a;
	const char	*res;
	int		v;

	if (db_rows(&ctx->db) != 1 ||
	    (r = json_loads(db_get(&ctx->db, 0, 0), 0, NULL)) == NULL)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	res = json_string_value(json_object_get(r, "result"));

	if (res != NULL && !strcmp(res, "ok")) {
		v = (int)json_integer_value(json_object_get(r, "version"));
		a = ov_answer(o, v);
		json_object_set(a, "loaded_at", json_object_get(r,
		    "loaded_at"));
		json_decref(r);
		/* Stored as uploaded: this worker keeps what it parsed. */
		if (outline_put(o->form, v, o->first, o->f) == 0)
			o->f = NULL;
		return (api_json(ctx, 201, a));
	}
	if (res != NULL && !strcmp(res, "stale")) {
		json_decref(r);
		return (api_error(ctx, 409, "stale", "Một phiên bản khác vừa "
		    "được nạp cho đề cương này: xem lại khác biệt rồi kích "
		    "hoạt lại.", NULL));
	}

	/* Reports filed meanwhile, or the latest moved: say where. */
	json_decref(o->plan);
	o->plan = json_incref(json_object_get(r, "plan"));
	json_decref(r);
	json_decref(o->problems);
	o->problems = json_array();
	ov_placement(o);

	return (api_error(ctx, 422, "outline_invalid", "Đề cương chưa dùng "
	    "được: sửa các lỗi được nêu rồi tải lên lại. Chưa có gì được "
	    "lưu.", json_incref(o->problems)));
}
