/*
 * The calendar routes.  The default calendar comes from period.c; what is
 * stored in PostgreSQL is what counts, so the office's edits stand.  A
 * year is written to the table the first time anyone asks for it.
 */
#include <sys/types.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "api.h"
#include "msg.h"
#include "period.h"
#include "route.h"

#define CAL_BODY_MAX	4096

struct cal_edit {
	char		code[PERIOD_CODE_MAX];
	char		year[8];
	char		seed[4096];
	char		start[11];
	char		end[11];
	char		deadline[11];
	char		user[32];
};

static int	cal_year_arg(struct api_ctx *, int *);
static int	cal_listed(struct api_ctx *);
static int	cal_updated(struct api_ctx *);
static json_t	*cal_row(struct api_ctx *, int, const struct pdate *);
static json_t	*cal_forms(const char *);

/* The default periods of a year as the JSON array the statements insert. */
int
cal_seed_json(int year, char *buf, size_t len)
{
	struct period	p[PERIOD_MAX_PER_YEAR];
	json_t		*arr;
	char		s[11], e[11], d[11], *text;
	int		i, n;

	if ((n = period_generate(year, p, PERIOD_MAX_PER_YEAR)) < 0)
		return (-1);

	arr = json_array();
	for (i = 0; i < n; i++) {
		period_date_format(&p[i].start, s, sizeof(s));
		period_date_format(&p[i].end, e, sizeof(e));
		period_date_format(&p[i].deadline, d, sizeof(d));
		json_array_append_new(arr, json_pack("{s:s, s:i, s:s, s:s, "
		    "s:s, s:s, s:s}", "code", p[i].code, "year", year,
		    "name", p[i].name, "start_date", s, "end_date", e,
		    "deadline", d, "forms",
		    p[i].forms == (PERIOD_FORM_PL1 | PERIOD_FORM_PL2) ?
		    "PL1,PL2" : (p[i].forms == PERIOD_FORM_PL1 ? "PL1" : "PL2")));
	}

	text = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	if (text == NULL || strlen(text) >= len) {
		free(text);
		return (-1);
	}
	(void)snprintf(buf, len, "%s", text);
	free(text);

	return (0);
}

static int
cal_year_arg(struct api_ctx *ctx, int *year)
{
	struct pdate	today;
	char		buf[16], *end;
	long		y;

	switch (api_qs_arg(ctx, "year", buf, sizeof(buf))) {
	case 0:
		period_local_date(time(NULL), &today);
		*year = today.y;
		return (0);
	case -1:
		return (-1);
	}

	y = strtol(buf, &end, 10);
	if (strlen(buf) != 4 || *end != '\0' || y < PERIOD_YEAR_MIN ||
	    y > PERIOD_YEAR_MAX)
		return (-1);
	*year = (int)y;

	return (0);
}

int
cal_list(struct api_ctx *ctx)
{
	struct cal_edit	*c;
	const char	*params[3];
	int		year;

	if (cal_year_arg(ctx, &year) == -1)
		return (api_qs_error(ctx, "year", "bad_year",
		    msg_vi("bad_year")));

	c = kore_calloc(1, sizeof(*c));
	ctx->priv = c;
	ctx->priv_free = kore_free;
	(void)snprintf(c->year, sizeof(c->year), "%d", year);
	if (cal_seed_json(year, c->seed, sizeof(c->seed)) == -1)
		return (api_error(ctx, 400, "bad_year", NULL, NULL));

	params[0] = c->seed;
	params[1] = c->year;
	params[2] = ctx->who.role == ROLE_UNIT ? ctx->who.unit : "";

	return (api_then(ctx, Q_PERIODS_YEAR, 3, params, cal_listed));
}

static json_t *
cal_forms(const char *csv)
{
	json_t		*arr;
	char		buf[32], *p, *f;

	arr = json_array();
	(void)snprintf(buf, sizeof(buf), "%s", csv);
	for (p = buf; (f = strsep(&p, ",")) != NULL;) {
		if (*f != '\0')
			json_array_append_new(arr, json_string(f));
	}

	return (arr);
}

/*
 * One period as the API shows it; "state" tells a person at a glance
 * whether the window is still to come, open for filing, or past.
 */
static json_t *
cal_row(struct api_ctx *ctx, int i, const struct pdate *today)
{
	struct pdate	start, deadline;
	json_t		*o, *rep;
	const char	*state;

	(void)period_date_parse(db_get(&ctx->db, i, 2), &start);
	(void)period_date_parse(db_get(&ctx->db, i, 4), &deadline);

	if (period_date_cmp(today, &start) < 0)
		state = "upcoming";
	else if (period_date_cmp(today, &deadline) <= 0)
		state = "open";
	else
		state = "closed";

	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s}",
	    "code", db_get(&ctx->db, i, 0), "name", db_get(&ctx->db, i, 1),
	    "start", db_get(&ctx->db, i, 2), "end", db_get(&ctx->db, i, 3),
	    "deadline", db_get(&ctx->db, i, 4),
	    "forms", cal_forms(db_get(&ctx->db, i, 5)), "state", state);

	/* {"PL1": 2}: the outline version each form uses in the period. */
	rep = json_loads(db_get(&ctx->db, i, 7), 0, NULL);
	json_object_set_new(o, "form_versions", rep ? rep : json_object());

	if (ctx->who.role == ROLE_UNIT) {
		rep = json_loads(db_get(&ctx->db, i, 6), 0, NULL);
		json_object_set_new(o, "reports", rep ? rep : json_object());
		/* Who files for the unit in that period, when not itself. */
		if (!db_isnull(&ctx->db, i, 8) && (rep = json_loads(
		    db_get(&ctx->db, i, 8), 0, NULL)) != NULL) {
			json_object_update(o, rep);
			json_decref(rep);
		}
	}

	return (o);
}

static int
cal_listed(struct api_ctx *ctx)
{
	struct pdate	today;
	json_t		*arr;
	int		i;

	period_local_date(time(NULL), &today);
	arr = json_array();
	for (i = 0; i < db_rows(&ctx->db); i++)
		json_array_append_new(arr, cal_row(ctx, i, &today));

	return (api_json(ctx, 200, arr));
}

int
cal_update(struct api_ctx *ctx)
{
	struct cal_edit	*c;
	struct period	def;
	struct pdate	s, e, d;
	const char	*why, *params[6];
	char		*vs, *ve, *vd;

	if (period_lookup(ctx->args[0], &def) == -1)
		return (api_error(ctx, 404, "bad_period", NULL, NULL));
	if (!api_body_json(ctx, CAL_BODY_MAX))
		return (API_DONE);

	vs = api_json_text(ctx->body, "start", 10);
	ve = api_json_text(ctx->body, "end", 10);
	vd = api_json_text(ctx->body, "deadline", 10);
	if (vs == NULL || ve == NULL || vd == NULL)
		return (api_error(ctx, 400, "bad_request", "Cần đủ ngày bắt "
		    "đầu (start), ngày kết thúc (end) và hạn nộp (deadline).",
		    NULL));
	if (period_date_parse(vs, &s) == -1 ||
	    period_date_parse(ve, &e) == -1 ||
	    period_date_parse(vd, &d) == -1)
		return (api_error(ctx, 422, "bad_date", NULL, NULL));
	if ((why = period_check_dates(&s, &e, &d)) != NULL)
		return (api_error(ctx, 422, "bad_date", why, NULL));

	c = kore_calloc(1, sizeof(*c));
	ctx->priv = c;
	ctx->priv_free = kore_free;
	(void)snprintf(c->code, sizeof(c->code), "%s", def.code);
	(void)snprintf(c->year, sizeof(c->year), "%d", def.year);
	(void)snprintf(c->user, sizeof(c->user), "%lld", ctx->who.user_id);
	if (cal_seed_json(def.year, c->seed, sizeof(c->seed)) == -1)
		return (api_error(ctx, 500, "internal", NULL, NULL));
	period_date_format(&s, c->start, sizeof(c->start));
	period_date_format(&e, c->end, sizeof(c->end));
	period_date_format(&d, c->deadline, sizeof(c->deadline));

	params[0] = c->seed;
	params[1] = c->code;
	params[2] = c->start;
	params[3] = c->end;
	params[4] = c->deadline;
	params[5] = c->user;

	return (api_then(ctx, Q_PERIOD_UPDATE, 6, params, cal_updated));
}

static int
cal_updated(struct api_ctx *ctx)
{
	struct pdate	today;

	if (db_rows(&ctx->db) != 1)
		return (api_error(ctx, 404, "not_found", NULL, NULL));

	period_local_date(time(NULL), &today);

	return (api_json(ctx, 200, cal_row(ctx, 0, &today)));
}
