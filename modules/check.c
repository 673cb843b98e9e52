/*
 * The check engine: the "checks" of a form run over one report.  The
 * form says what to check and what to tell the unit (Vietnamese, in the
 * form); this file only knows the semantics of each check type.
 *
 * Relational checks (PARTS_*) are skipped entirely when one of their
 * items does not apply to the unit, since half a relation means nothing.
 * Checks that look at items one by one (STATIONS_SUM, REQUIRED,
 * COMPLETE, DEVIATION, RATE_JUMP) skip only the items that do not apply,
 * so a check listing a GKSKLX item still runs on the others for a unit
 * that does not issue them.
 *
 * A district health centre's rows: one per station and one of its own,
 * keyed by its own code (form_own_row).  Its totals are its own row plus
 * the stations'.  A report filed before the own row existed has none:
 * its own figures count as 0, so it reads as it was filed.
 *
 * Counts are summed in int64 and an overflow is reported as an error:
 * values are validated to at most 2^53 - 1 but a sum of many may not be.
 */
#define PCRE2_CODE_UNIT_WIDTH	8

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <pcre2.h>

#include "check.h"

/* What one list cell may cost a pattern (PCRE2 steps and depth). */
#define CHECK_MATCH_LIMIT	200000
#define CHECK_DEPTH_LIMIT	10000
#include "form.h"

#define CHECK_HISTORY_MAX	6	/* previous periods a mean looks at */
#define CHECK_INT_MAX		28	/* -9.223.372.036.854.775.808 */
#define CHECK_DEC_MAX		32	/* the same with ",5" */
#define CHECK_NUM_MAX		40	/* either, with a "%" */
#define CHECK_DATE_MAX		12	/* "dd/mm/yyyy" */
#define CHECK_RATE_EPSILON	1e-9	/* rates carry one decimal */

/* Larger magnitudes are shown saturated; they only appear in messages. */
#define CHECK_FMT_DEC_MAX	9.0e17

/*
 * What the engine adds to the form's own messages, in one place.  The
 * first %s is always the form's message; numbers are pre-formatted the
 * Vietnamese way (1.500; 85,5).
 */
#define CHECK_MSG_STATION	"Trạm %s: %s"
#define CHECK_MSG_OWN		"Riêng đơn vị: %s"
#define CHECK_MSG_ROW		"Dòng %zu: %s"
#define CHECK_MSG_WHOLE_MISSING	\
	"Chưa nhập «%s» trong khi đã nhập số liệu trong đó."
#define CHECK_MSG_PARTS		"%s (trong đó: %s; tổng số: %s)"
#define CHECK_MSG_PARTS_OVERFLOW	\
	"%s (cộng các mục trong đó vượt quá giới hạn tính toán; " \
	"kiểm tra lại số liệu)"
#define CHECK_MSG_STATIONS	\
	"%s («%s»: số của đơn vị %s; riêng đơn vị %s + các trạm %s = %s)"
#define CHECK_MSG_STATIONS_NO_OWN	\
	"%s («%s»: số của đơn vị %s; cộng các trạm %s; riêng đơn vị " \
	"chưa nhập)"
#define CHECK_MSG_STATIONS_NO_UNIT	\
	"%s («%s»: số của đơn vị chưa nhập; riêng đơn vị %s + các trạm " \
	"%s = %s)"
#define CHECK_MSG_STATIONS_NOTHING	\
	"%s («%s»: số của đơn vị chưa nhập; cộng các trạm %s)"
#define CHECK_MSG_STATIONS_OVERFLOW	\
	"%s («%s»: cộng các trạm vượt quá giới hạn tính toán; " \
	"kiểm tra lại số liệu các trạm)"
#define CHECK_MSG_MISSING_STATION	\
	"Chưa có số liệu của trạm: %s. Nhập số liệu của từng trạm " \
	"(trạm không có thì nhập 0): số của đơn vị bằng riêng đơn vị " \
	"cộng các trạm."
#define CHECK_MSG_COMPLETE	"%s (còn trống: %zu mục)"
#define CHECK_MSG_DATE_BAD	\
	"Dòng %zu: %s (ngày không hợp lệ, ghi theo dạng năm-tháng-ngày)"
#define CHECK_MSG_DATE_OUT	\
	"Dòng %zu: %s (ngày %s nằm ngoài kỳ số liệu %s – %s)"
#define CHECK_MSG_DEVIATION	\
	"%s (kỳ này: %s; trung bình %zu kỳ trước: %s%s)"
#define CHECK_MSG_RATE_JUMP	"%s (kỳ này: %s%%; kỳ trước: %s%%)"

struct check_ctx {
	const struct form		*f;
	const struct form_unit		*u;
	const struct form_window	*w;
	json_t				*values;
	json_t				*stations;
	json_t				*lists;
	json_t				*comments;
	json_t				*history;
	json_t				*out;
	int				nomem;	/* a result was lost */
};

static void	check_one(struct check_ctx *, const struct form_check *);
static void	check_parts(struct check_ctx *, const struct form_check *);
static void	check_parts_row(struct check_ctx *, const struct form_check *,
		    json_t *, const char *);
static void	check_stations_sum(struct check_ctx *,
		    const struct form_check *);
static int	check_stations_item(struct check_ctx *,
		    const struct form_check *, int);
static void	check_stations_missing(struct check_ctx *,
		    const struct form_check *);
static void	check_pattern(struct check_ctx *, const struct form_check *);
static void	check_dates(struct check_ctx *, const struct form_check *);
static void	check_required(struct check_ctx *, const struct form_check *);
static void	check_complete(struct check_ctx *, const struct form_check *);
static void	check_complete_row(struct check_ctx *,
		    const struct form_check *, json_t *, const char *);
static void	check_deviation(struct check_ctx *,
		    const struct form_check *);
static void	check_deviation_item(struct check_ctx *,
		    const struct form_check *, int);
static void	check_rate_jump(struct check_ctx *,
		    const struct form_check *);
static void	check_rate_jump_item(struct check_ctx *,
		    const struct form_check *, int);

static json_t	*check_new(struct check_ctx *, const char *, int, json_t *,
		    const char *);
static void	check_emit(struct check_ctx *, json_t *, int);
static json_t	*check_row_result(struct check_ctx *,
		    const struct form_check *, const struct form_list *,
		    size_t, json_t *);
static void	check_item_add(struct check_ctx *, json_t *, const char *);
static void	check_set(struct check_ctx *, json_t *, const char *,
		    json_t *);
static json_t	*check_msg(struct check_ctx *, const char *, const char *,
		    ...);
static json_t	*check_own(struct check_ctx *);
static int	check_item_ok(struct check_ctx *, int);
static int	check_list_ok(struct check_ctx *, const struct form_check *);
static const char	*check_label(const struct form_item *);
static json_t	*check_history_value(struct check_ctx *, size_t,
		    const char *);
static int	check_int(json_t *, int64_t *);
static int	check_num(json_t *, double *);
static int	check_add(int64_t *, int64_t);
static int	check_present(json_t *);
static int	check_commented(struct check_ctx *, const char *);
static int	check_date_valid(const char *);
static void	check_fmt_date(char *, size_t, const char *);
static void	check_fmt_int(char *, size_t, int64_t);
static void	check_fmt_dec(char *, size_t, double, int);
static void	check_fmt_value(char *, size_t, const struct form_item *,
		    json_t *);
static char	*check_join(json_t *);

json_t *
check_run(const struct form *f, const struct form_unit *u,
    const struct form_window *w, json_t *values, json_t *stations,
    json_t *lists, json_t *comments, json_t *history)
{
	struct check_ctx	ctx;
	size_t			i;

	if ((ctx.out = json_array()) == NULL)
		return (NULL);
	if (f == NULL || u == NULL)
		return (ctx.out);

	/* jansson reads NULL or a wrong type as empty: no special cases. */
	ctx.nomem = 0;
	ctx.f = f;
	ctx.u = u;
	ctx.w = w;
	ctx.values = values;
	ctx.stations = stations;
	ctx.lists = lists;
	ctx.comments = comments;
	ctx.history = history;

	for (i = 0; i < f->nchecks; i++)
		check_one(&ctx, &f->checks[i]);

	/* Half the results would let a bad report through: none at all. */
	if (ctx.nomem) {
		json_decref(ctx.out);
		return (NULL);
	}

	return (ctx.out);
}

int
check_blocking(json_t *results)
{
	json_t		*r;
	size_t		i;
	const char	*sev;

	/* No results: the checks did not run (out of memory). */
	if (!json_is_array(results))
		return (1);

	json_array_foreach(results, i, r) {
		/* Anything not plainly an answered warning blocks. */
		sev = json_string_value(json_object_get(r, "severity"));
		if (sev == NULL || strcmp(sev, "warning") != 0)
			return (1);
		if (!json_is_true(json_object_get(r, "answered")))
			return (1);
	}

	return (0);
}

static void
check_one(struct check_ctx *ctx, const struct form_check *c)
{
	switch (c->type) {
	case CHECK_PARTS_LE:
	case CHECK_PARTS_EQ:
		check_parts(ctx, c);
		break;
	case CHECK_STATIONS_SUM:
		check_stations_sum(ctx, c);
		break;
	case CHECK_PATTERN:
		check_pattern(ctx, c);
		break;
	case CHECK_DATE_IN_PERIOD:
		check_dates(ctx, c);
		break;
	case CHECK_REQUIRED:
		check_required(ctx, c);
		break;
	case CHECK_COMPLETE:
		check_complete(ctx, c);
		break;
	case CHECK_DEVIATION:
		check_deviation(ctx, c);
		break;
	case CHECK_RATE_JUMP:
		check_rate_jump(ctx, c);
		break;
	default:
		/* form.c refuses unknown types; nothing to run. */
		break;
	}
}

/*
 * Parts against their whole, for the unit and, when every item is kept
 * per station, for each station row too.
 */
static void
check_parts(struct check_ctx *ctx, const struct form_check *c)
{
	const struct form_item	*it;
	size_t			i;
	int			stations;

	if (!check_item_ok(ctx, c->whole))
		return;
	stations = ctx->f->items[c->whole].stations;
	for (i = 0; i < c->nitems; i++) {
		if (!check_item_ok(ctx, c->items[i]))
			return;
		it = &ctx->f->items[c->items[i]];
		if (!it->stations)
			stations = 0;
	}

	check_parts_row(ctx, c, ctx->values, NULL);
	if (!stations)
		return;

	if (check_own(ctx) != NULL)
		check_parts_row(ctx, c, check_own(ctx),
		    form_own_row(ctx->u));
	for (i = 0; i < ctx->u->nstations; i++) {
		if (ctx->u->stations[i] == NULL)
			continue;
		check_parts_row(ctx, c, json_object_get(ctx->stations,
		    ctx->u->stations[i]), ctx->u->stations[i]);
	}
}

static void
check_parts_row(struct check_ctx *ctx, const struct form_check *c,
    json_t *row, const char *station)
{
	const struct form_item	*whole;
	json_t			*r, *msg;
	int64_t			sum, total, v;
	size_t			i, n;
	int			over, has_whole, sev;
	char			a[CHECK_NUM_MAX], b[CHECK_NUM_MAX];

	whole = &ctx->f->items[c->whole];
	sum = 0;
	n = 0;
	over = 0;
	for (i = 0; i < c->nitems; i++) {
		if (!check_int(json_object_get(row,
		    ctx->f->items[c->items[i]].code), &v))
			continue;
		n++;
		if (check_add(&sum, v) == -1)
			over = 1;
	}
	has_whole = check_int(json_object_get(row, whole->code), &total);

	sev = c->severity;
	if (!has_whole && n == 0) {
		return;
	} else if (!has_whole) {
		/* Parts without their whole cannot be judged: ask for it. */
		msg = check_msg(ctx, station, CHECK_MSG_WHOLE_MISSING,
		    check_label(whole));
	} else if (over) {
		sev = CHECK_ERROR;
		msg = check_msg(ctx, station, CHECK_MSG_PARTS_OVERFLOW,
		    c->message);
	} else if (c->type == CHECK_PARTS_EQ ? sum == total : sum <= total) {
		return;
	} else {
		check_fmt_int(a, sizeof(a), sum);
		check_fmt_int(b, sizeof(b), total);
		msg = check_msg(ctx, station, CHECK_MSG_PARTS, c->message, a,
		    b);
	}

	r = check_new(ctx, c->rule, sev, msg, station);
	for (i = 0; i < c->nitems; i++)
		check_item_add(ctx, r, ctx->f->items[c->items[i]].code);
	check_item_add(ctx, r, whole->code);
	check_emit(ctx, r, sev);
}

/* A TTYT's figures are its own row plus the sum of its stations' rows. */
static void
check_stations_sum(struct check_ctx *ctx, const struct form_check *c)
{
	size_t		i;
	int		nonzero;

	if (ctx->u->nstations == 0)
		return;

	nonzero = 0;
	for (i = 0; i < c->nitems; i++) {
		if (!check_item_ok(ctx, c->items[i]))
			continue;
		if (check_stations_item(ctx, c, c->items[i]))
			nonzero = 1;
	}

	if (nonzero)
		check_stations_missing(ctx, c);
}

/* Returns 1 when the unit reports a non-zero value for the item. */
static int
check_stations_item(struct check_ctx *ctx, const struct form_check *c,
    int idx)
{
	const struct form_item	*it;
	const char		*code;
	json_t			*r, *msg;
	int64_t			unit, sum, v, own, total;
	size_t			i;
	int			has_unit, has_own, any, over, sev;
	char			a[CHECK_NUM_MAX], b[CHECK_NUM_MAX];
	char			o[CHECK_NUM_MAX], t[CHECK_NUM_MAX];

	it = &ctx->f->items[idx];
	sum = 0;
	any = 0;
	over = 0;
	for (i = 0; i < ctx->u->nstations; i++) {
		if ((code = ctx->u->stations[i]) == NULL)
			continue;
		if (!check_int(json_object_get(json_object_get(ctx->stations,
		    code), it->code), &v))
			continue;
		any = 1;
		if (check_add(&sum, v) == -1)
			over = 1;
	}
	has_own = check_int(json_object_get(check_own(ctx), it->code), &own);
	if (!has_own)
		own = 0;
	total = sum;
	if (check_add(&total, own) == -1)
		over = 1;
	has_unit = check_int(json_object_get(ctx->values, it->code), &unit);

	sev = c->severity;
	check_fmt_int(a, sizeof(a), has_unit ? unit : 0);
	check_fmt_int(b, sizeof(b), sum);
	check_fmt_int(o, sizeof(o), own);
	check_fmt_int(t, sizeof(t), total);
	if (!has_unit && !any && !has_own) {
		return (0);
	} else if (over) {
		sev = CHECK_ERROR;
		msg = check_msg(ctx, NULL, CHECK_MSG_STATIONS_OVERFLOW,
		    c->message, check_label(it));
	} else if (!has_unit && !has_own) {
		msg = check_msg(ctx, NULL, CHECK_MSG_STATIONS_NOTHING,
		    c->message, check_label(it), b);
	} else if (!has_unit) {
		msg = check_msg(ctx, NULL, CHECK_MSG_STATIONS_NO_UNIT,
		    c->message, check_label(it), o, b, t);
	} else if (unit == total) {
		return (unit != 0);
	} else if (!has_own) {
		msg = check_msg(ctx, NULL, CHECK_MSG_STATIONS_NO_OWN,
		    c->message, check_label(it), a, b);
	} else {
		msg = check_msg(ctx, NULL, CHECK_MSG_STATIONS, c->message,
		    check_label(it), a, o, b, t);
	}

	r = check_new(ctx, c->rule, sev, msg, NULL);
	check_item_add(ctx, r, it->code);
	check_emit(ctx, r, sev);

	return (has_unit && unit != 0);
}

/*
 * Missing rows count as 0 in the sums, but a unit that reports a total
 * while some of its stations have nothing at all has most likely
 * forgotten them: say which.  A station has "no row" when none of the
 * check's items has a value in it.
 */
static void
check_stations_missing(struct check_ctx *ctx, const struct form_check *c)
{
	json_t		*row, *codes, *rule, *r, *msg;
	size_t		i, j;
	int		has;
	char		*list;

	if ((codes = json_array()) == NULL) {
		ctx->nomem = 1;
		return;
	}

	for (i = 0; i < ctx->u->nstations; i++) {
		if (ctx->u->stations[i] == NULL)
			continue;
		row = json_object_get(ctx->stations, ctx->u->stations[i]);
		has = 0;
		for (j = 0; j < c->nitems && !has; j++) {
			if (!check_item_ok(ctx, c->items[j]))
				continue;
			has = check_present(json_object_get(row,
			    ctx->f->items[c->items[j]].code));
		}
		if (!has && json_array_append_new(codes,
		    json_string(ctx->u->stations[i])) == -1)
			ctx->nomem = 1;
	}

	if (json_array_size(codes) == 0) {
		json_decref(codes);
		return;
	}
	if ((list = check_join(codes)) == NULL) {
		json_decref(codes);
		ctx->nomem = 1;
		return;
	}

	msg = check_msg(ctx, NULL, CHECK_MSG_MISSING_STATION, list);
	free(list);
	if ((rule = json_sprintf("%s.missing_station", c->rule)) == NULL) {
		json_decref(msg);
		json_decref(codes);
		ctx->nomem = 1;
		return;
	}
	r = check_new(ctx, json_string_value(rule), c->severity, msg, NULL);
	json_decref(rule);
	for (j = 0; j < c->nitems; j++) {
		if (check_item_ok(ctx, c->items[j]))
			check_item_add(ctx, r, ctx->f->items[c->items[j]].code);
	}
	check_set(ctx, r, "stations", codes);
	check_emit(ctx, r, c->severity);
}

/* Document numbers and the like: each non-blank cell must match. */
static void
check_pattern(struct check_ctx *ctx, const struct form_check *c)
{
	const struct form_list	*l;
	pcre2_match_data	*md;
	pcre2_match_context	*mc;
	json_t			*rows, *cell, *r;
	const char		*s;
	size_t			i;
	int			rc;

	if (!check_list_ok(ctx, c) || c->re == NULL)
		return;
	l = &ctx->f->lists[c->list];
	rows = json_object_get(ctx->lists, l->code);
	if (json_array_size(rows) == 0)
		return;

	if ((md = pcre2_match_data_create_from_pattern(c->re, NULL)) == NULL) {
		ctx->nomem = 1;
		return;
	}
	/*
	 * Patterns are data and run without JIT on the event loop: bound
	 * the work one cell may cost.  A cell that hits the bound is bad.
	 */
	if ((mc = pcre2_match_context_create(NULL)) == NULL) {
		pcre2_match_data_free(md);
		ctx->nomem = 1;
		return;
	}
	pcre2_set_match_limit(mc, CHECK_MATCH_LIMIT);
	pcre2_set_depth_limit(mc, CHECK_DEPTH_LIMIT);

	for (i = 0; i < json_array_size(rows); i++) {
		cell = json_object_get(json_array_get(rows, i),
		    l->cols[c->column].code);
		if ((s = json_string_value(cell)) == NULL || form_blank(s))
			continue;
		/* No match and invalid UTF-8 (a negative rc) are both bad. */
		rc = pcre2_match(c->re, (PCRE2_SPTR)s, json_string_length(cell),
		    0, 0, md, mc);
		if (rc >= 0)
			continue;
		r = check_row_result(ctx, c, l, i + 1, check_msg(ctx,
		    NULL, CHECK_MSG_ROW, i + 1, c->message));
		check_emit(ctx, r, c->severity);
	}

	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
}

/* Dates of a list inside the period's data window. */
static void
check_dates(struct check_ctx *ctx, const struct form_check *c)
{
	const struct form_list	*l;
	json_t			*rows, *r, *msg;
	const char		*s;
	size_t			i;
	char			ds[CHECK_DATE_MAX], ws[CHECK_DATE_MAX];
	char			we[CHECK_DATE_MAX];

	if (!check_list_ok(ctx, c) || ctx->w == NULL)
		return;
	if (ctx->w->start == NULL || ctx->w->end == NULL ||
	    !check_date_valid(ctx->w->start) || !check_date_valid(ctx->w->end))
		return;
	l = &ctx->f->lists[c->list];
	rows = json_object_get(ctx->lists, l->code);
	check_fmt_date(ws, sizeof(ws), ctx->w->start);
	check_fmt_date(we, sizeof(we), ctx->w->end);

	for (i = 0; i < json_array_size(rows); i++) {
		s = json_string_value(json_object_get(json_array_get(rows, i),
		    l->cols[c->column].code));
		if (s == NULL || form_blank(s))
			continue;
		if (!check_date_valid(s)) {
			msg = check_msg(ctx, NULL, CHECK_MSG_DATE_BAD, i + 1,
			    c->message);
		} else if (strcmp(s, ctx->w->start) < 0 ||
		    strcmp(s, ctx->w->end) > 0) {
			check_fmt_date(ds, sizeof(ds), s);
			msg = check_msg(ctx, NULL, CHECK_MSG_DATE_OUT, i + 1,
			    c->message, ds, ws, we);
		} else {
			continue;
		}
		r = check_row_result(ctx, c, l, i + 1, msg);
		check_emit(ctx, r, c->severity);
	}
}

static void
check_required(struct check_ctx *ctx, const struct form_check *c)
{
	const struct form_item	*it;
	json_t			*r;
	size_t			i, missing;

	r = NULL;
	missing = 0;
	for (i = 0; i < c->nitems; i++) {
		if (!check_item_ok(ctx, c->items[i]))
			continue;
		it = &ctx->f->items[c->items[i]];
		if (check_present(json_object_get(ctx->values, it->code)))
			continue;
		if (missing++ == 0)
			r = check_new(ctx, c->rule, c->severity,
			    check_msg(ctx, NULL, "%s", c->message), NULL);
		check_item_add(ctx, r, it->code);
	}

	if (missing > 0)
		check_emit(ctx, r, c->severity);
}

/*
 * Every typed item of the check's kinds has a value: a unit with
 * nothing to report types 0, so that an empty field always means "not
 * filled in yet".  The unit's figures, each station row, and the unit's
 * own row once it has one (a report filed before the own row existed
 * has none, and its totals are the stations' alone).
 */
static void
check_complete(struct check_ctx *ctx, const struct form_check *c)
{
	size_t		i;

	check_complete_row(ctx, c, ctx->values, NULL);
	if (ctx->u->nstations == 0)
		return;

	if (check_own(ctx) != NULL)
		check_complete_row(ctx, c, check_own(ctx),
		    form_own_row(ctx->u));
	for (i = 0; i < ctx->u->nstations; i++) {
		if (ctx->u->stations[i] == NULL)
			continue;
		check_complete_row(ctx, c, json_object_get(ctx->stations,
		    ctx->u->stations[i]), ctx->u->stations[i]);
	}
}

/* One row: the unit's figures (station NULL) or a station's or own row. */
static void
check_complete_row(struct check_ctx *ctx, const struct form_check *c,
    json_t *row, const char *station)
{
	const struct form_item	*it;
	json_t			*r, *codes, *code;
	size_t			i;

	if ((codes = json_array()) == NULL) {
		ctx->nomem = 1;
		return;
	}
	for (i = 0; i < ctx->f->nitems; i++) {
		it = &ctx->f->items[i];
		if ((c->kinds & (1U << it->kind)) == 0 ||
		    form_is_derived(it) || (station != NULL && !it->stations))
			continue;
		if (!check_item_ok(ctx, (int)i) ||
		    check_present(json_object_get(row, it->code)))
			continue;
		if (json_array_append_new(codes, json_string(it->code)) == -1)
			ctx->nomem = 1;
	}

	if (json_array_size(codes) == 0) {
		json_decref(codes);
		return;
	}
	r = check_new(ctx, c->rule, c->severity, check_msg(ctx, station,
	    CHECK_MSG_COMPLETE, c->message, json_array_size(codes)), station);
	json_array_foreach(codes, i, code)
		check_item_add(ctx, r, json_string_value(code));
	json_decref(codes);
	check_emit(ctx, r, c->severity);
}

static void
check_deviation(struct check_ctx *ctx, const struct form_check *c)
{
	size_t		i;

	/* A factor <= 0 has no meaning; form.c should have refused it. */
	if (c->factor <= 0)
		return;

	for (i = 0; i < c->nitems; i++) {
		if (check_item_ok(ctx, c->items[i]))
			check_deviation_item(ctx, c, c->items[i]);
	}
}

/*
 * Far from the unit's own mean: beyond the ratio either way, and by at
 * least min_delta, so that 2 after 1 does not raise a warning.
 */
static void
check_deviation_item(struct check_ctx *ctx, const struct form_check *c,
    int idx)
{
	const struct form_item	*it;
	json_t			*cur, *r, *msg;
	double			v, p, sum, m, d;
	size_t			i, n;
	char			a[CHECK_NUM_MAX], b[CHECK_NUM_MAX];

	it = &ctx->f->items[idx];
	cur = json_object_get(ctx->values, it->code);
	if (!check_num(cur, &v))
		return;

	sum = 0;
	n = 0;
	for (i = 0; i < json_array_size(ctx->history) &&
	    n < CHECK_HISTORY_MAX; i++) {
		if (!check_num(check_history_value(ctx, i, it->code), &p))
			continue;
		sum += p;
		n++;
	}
	if (n < 2)
		return;

	m = sum / (double)n;
	d = v > m ? v - m : m - v;
	if (!(v > m * c->factor || v < m / c->factor))
		return;
	if (d < (double)c->min_delta)
		return;

	check_fmt_value(a, sizeof(a), it, cur);
	check_fmt_dec(b, sizeof(b), m, it->kind == FORM_RATE);
	msg = check_msg(ctx, NULL, CHECK_MSG_DEVIATION, c->message, a, n, b,
	    it->kind == FORM_RATE ? "%" : "");
	r = check_new(ctx, c->rule, c->severity, msg, NULL);
	check_item_add(ctx, r, it->code);
	check_emit(ctx, r, c->severity);
}

static void
check_rate_jump(struct check_ctx *ctx, const struct form_check *c)
{
	size_t		i;

	for (i = 0; i < c->nitems; i++) {
		if (check_item_ok(ctx, c->items[i]))
			check_rate_jump_item(ctx, c, c->items[i]);
	}
}

/* Against the most recent period that has a value, not only the last. */
static void
check_rate_jump_item(struct check_ctx *ctx, const struct form_check *c,
    int idx)
{
	const struct form_item	*it;
	json_t			*r, *msg;
	double			v, p, d;
	size_t			i;
	int			found;
	char			a[CHECK_NUM_MAX], b[CHECK_NUM_MAX];

	it = &ctx->f->items[idx];
	if (!check_num(json_object_get(ctx->values, it->code), &v))
		return;

	found = 0;
	p = 0;
	for (i = 0; i < json_array_size(ctx->history) && !found; i++)
		found = check_num(check_history_value(ctx, i, it->code), &p);
	if (!found)
		return;

	/* Rates have one decimal: 50,3 - 20,3 must not exceed 30. */
	d = v > p ? v - p : p - v;
	if (d <= c->points + CHECK_RATE_EPSILON)
		return;

	check_fmt_dec(a, sizeof(a), v, 1);
	check_fmt_dec(b, sizeof(b), p, 1);
	msg = check_msg(ctx, NULL, CHECK_MSG_RATE_JUMP, c->message, a, b);
	r = check_new(ctx, c->rule, c->severity, msg, NULL);
	check_item_add(ctx, r, it->code);
	check_emit(ctx, r, c->severity);
}

/*
 * A result with no items yet; takes msg over, even on failure.  A NULL
 * msg is a message that could not be made: no result then either.
 */
static json_t *
check_new(struct check_ctx *ctx, const char *rule, int severity,
    json_t *msg, const char *station)
{
	json_t		*r;

	if (msg == NULL) {
		ctx->nomem = 1;
		return (NULL);
	}

	r = json_pack("{s:s, s:s, s:o, s:[]}",
	    "rule", rule,
	    "severity", severity == CHECK_WARNING ? "warning" : "error",
	    "message", msg,
	    "items");
	if (r == NULL)
		ctx->nomem = 1;
	else if (station != NULL)
		check_set(ctx, r, "station", json_string(station));

	return (r);
}

/*
 * Appends r to the results; a warning learns whether it is answered.
 * A NULL r is a result that could not be made.
 */
static void
check_emit(struct check_ctx *ctx, json_t *r, int severity)
{
	json_t		*item;
	size_t		i;
	int		answered;

	if (r == NULL) {
		ctx->nomem = 1;
		return;
	}

	if (severity == CHECK_WARNING) {
		answered = 0;
		json_array_foreach(json_object_get(r, "items"), i, item) {
			if (check_commented(ctx, json_string_value(item)))
				answered = 1;
		}
		check_set(ctx, r, "answered", json_boolean(answered));
	}

	if (json_array_append_new(ctx->out, r) == -1)
		ctx->nomem = 1;
}

/*
 * A list row result.  Its items are the list code: lists and items
 * share one namespace of codes, so the page marks the list and a comment
 * on the list answers a warning about one of its rows.
 */
static json_t *
check_row_result(struct check_ctx *ctx, const struct form_check *c,
    const struct form_list *l, size_t row, json_t *msg)
{
	json_t		*r;

	if ((r = check_new(ctx, c->rule, c->severity, msg, NULL)) == NULL)
		return (NULL);

	check_item_add(ctx, r, l->code);
	check_set(ctx, r, "list", json_string(l->code));
	check_set(ctx, r, "row", json_integer((json_int_t)row));
	check_set(ctx, r, "column", json_string(l->cols[c->column].code));

	return (r);
}

/* A NULL r is already counted as lost (check_emit). */
static void
check_item_add(struct check_ctx *ctx, json_t *r, const char *code)
{
	if (r == NULL)
		return;
	if (json_array_append_new(json_object_get(r, "items"),
	    json_string(code)) == -1)
		ctx->nomem = 1;
}

/* json_object_set_new, remembering a failure (v NULL included). */
static void
check_set(struct check_ctx *ctx, json_t *r, const char *key, json_t *v)
{
	if (r == NULL) {
		json_decref(v);
		return;
	}
	if (json_object_set_new(r, key, v) == -1)
		ctx->nomem = 1;
}

/*
 * A message, prefixed "Trạm <code>: " for a station row and "Riêng đơn
 * vị: " for the unit's own row.
 */
static json_t *
check_msg(struct check_ctx *ctx, const char *station, const char *fmt, ...)
{
	va_list		ap;
	json_t		*body, *m;
	const char	*own;

	va_start(ap, fmt);
	body = json_vsprintf(fmt, ap);
	va_end(ap);

	if (body == NULL || station == NULL)
		return (body);

	own = form_own_row(ctx->u);
	if (own != NULL && strcmp(own, station) == 0)
		m = json_sprintf(CHECK_MSG_OWN, json_string_value(body));
	else
		m = json_sprintf(CHECK_MSG_STATION, station,
		    json_string_value(body));
	json_decref(body);

	return (m);
}

/*
 * The unit's own row, NULL when it has none (or no stations): a row
 * with no value at all is none, as the page sees it.
 */
static json_t *
check_own(struct check_ctx *ctx)
{
	const char	*own, *key;
	json_t		*row, *v;

	if ((own = form_own_row(ctx->u)) == NULL)
		return (NULL);
	row = json_object_get(ctx->stations, own);
	json_object_foreach(row, key, v) {
		if (check_present(v))
			return (row);
	}

	return (NULL);
}

static int
check_item_ok(struct check_ctx *ctx, int idx)
{
	if (idx < 0 || (size_t)idx >= ctx->f->nitems)
		return (0);

	return (form_item_applies(ctx->f, idx, ctx->u));
}

static int
check_list_ok(struct check_ctx *ctx, const struct form_check *c)
{
	if (c->list < 0 || (size_t)c->list >= ctx->f->nlists)
		return (0);
	if (c->column < 0 ||
	    (size_t)c->column >= ctx->f->lists[c->list].ncols)
		return (0);

	return (form_list_applies(ctx->f, c->list, ctx->u));
}

static const char *
check_label(const struct form_item *it)
{
	if (it->label != NULL && it->label[0] != '\0')
		return (it->label);

	return (it->code);
}

static json_t *
check_history_value(struct check_ctx *ctx, size_t i, const char *code)
{
	return (json_object_get(json_object_get(json_array_get(ctx->history,
	    i), "values"), code));
}

/* Counts and money: JSON integers only; anything else is not a value. */
static int
check_int(json_t *v, int64_t *out)
{
	if (!json_is_integer(v))
		return (0);

	*out = (int64_t)json_integer_value(v);

	return (1);
}

/* Any number, rates included. */
static int
check_num(json_t *v, double *out)
{
	if (!json_is_number(v))
		return (0);

	*out = json_number_value(v);

	return (1);
}

/* *acc += v, or -1 and *acc untouched when the sum would leave int64. */
static int
check_add(int64_t *acc, int64_t v)
{
	if (v > 0 && *acc > INT64_MAX - v)
		return (-1);
	if (v < 0 && *acc < INT64_MIN - v)
		return (-1);

	*acc += v;

	return (0);
}

/* Filled in: not null, and a text not blank. */
static int
check_present(json_t *v)
{
	if (v == NULL || json_is_null(v))
		return (0);
	if (json_is_string(v))
		return (!form_blank(json_string_value(v)));

	return (1);
}


static int
check_commented(struct check_ctx *ctx, const char *code)
{
	const char	*s;

	if (code == NULL)
		return (0);
	s = json_string_value(json_object_get(ctx->comments, code));

	return (s != NULL && !form_blank(s));
}

/* Strict "YYYY-MM-DD" naming a real day. */
static int
check_date_valid(const char *s)
{
	static const int	mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			y, m, d, last, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return (0);
	for (i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return (0);
	}

	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return (0);

	last = mdays[m - 1];
	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		last = 29;

	return (d <= last);
}

/* "2023-07-14" as people read it: "14/07/2023". */
static void
check_fmt_date(char *buf, size_t len, const char *iso)
{
	(void)snprintf(buf, len, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

/* Vietnamese grouping: 1.234.567, and -1.234 for the negative. */
static void
check_fmt_int(char *buf, size_t len, int64_t v)
{
	char		tmp[CHECK_NUM_MAX];
	uint64_t	m;
	size_t		n, i;

	/* Through uint64 so that INT64_MIN has a magnitude. */
	m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	n = 0;
	do {
		if (n % 4 == 3)
			tmp[n++] = '.';
		tmp[n++] = (char)('0' + m % 10);
		m /= 10;
	} while (m > 0);
	if (v < 0)
		tmp[n++] = '-';

	if (len == 0)
		return;
	if (n >= len)
		n = len - 1;
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
}

/*
 * One decimal with a decimal comma: 85,5.  Unless always is set, a
 * whole number is shown without it (a mean of 120 reads "120").
 * Rounded by hand so the core needs no libm.
 */
static void
check_fmt_dec(char *buf, size_t len, double d, int always)
{
	char		ip[CHECK_INT_MAX];
	int64_t		t;
	int		neg;

	neg = d < 0;
	if (neg)
		d = -d;
	if (d > CHECK_FMT_DEC_MAX)
		d = CHECK_FMT_DEC_MAX;
	t = (int64_t)(d * 10.0 + 0.5);

	check_fmt_int(ip, sizeof(ip), t / 10);
	if (!always && t % 10 == 0) {
		(void)snprintf(buf, len, "%s%s", neg && t != 0 ? "-" : "", ip);
		return;
	}

	(void)snprintf(buf, len, "%s%s,%d", neg && t != 0 ? "-" : "", ip,
	    (int)(t % 10));
}

/* The current value as typed: integers exactly, rates with their %. */
static void
check_fmt_value(char *buf, size_t len, const struct form_item *it,
    json_t *v)
{
	char		tmp[CHECK_DEC_MAX];

	if (it->kind == FORM_RATE) {
		check_fmt_dec(tmp, sizeof(tmp), json_number_value(v), 1);
		(void)snprintf(buf, len, "%s%%", tmp);
	} else if (json_is_integer(v)) {
		check_fmt_int(buf, len, (int64_t)json_integer_value(v));
	} else {
		check_fmt_dec(buf, len, json_number_value(v), 0);
	}
}

/* "A, B, C" of an array of strings; malloc'd, NULL when out of memory. */
static char *
check_join(json_t *codes)
{
	json_t		*v;
	size_t		i, len, n;
	char		*s;

	len = 1;
	json_array_foreach(codes, i, v)
		len += json_string_length(v) + 2;
	if ((s = malloc(len)) == NULL)
		return (NULL);

	n = 0;
	json_array_foreach(codes, i, v) {
		if (i > 0) {
			memcpy(s + n, ", ", 2);
			n += 2;
		}
		memcpy(s + n, json_string_value(v), json_string_length(v));
		n += json_string_length(v);
	}
	s[n] = '\0';

	return (s);
}
