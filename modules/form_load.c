/*
 * Loading an outline: a definition (the files in forms/, or a version an
 * administrator uploads) read and validated completely, so that the rest
 * of the portal may trust every index and every kind it finds in a
 * struct form.  Every problem is collected with its place, not only the
 * first: an administrator fixing an uploaded file sees all of them at
 * once.  The messages are Vietnamese, for that person; the place is the
 * JSON path ("sections[2].items[1] (erx.total)") of the file they edit.
 *
 * A part that is broken is skipped, not guessed at, and what refers to
 * it is not blamed for it: an item whose kind could not be read is not
 * "not numeric" in every check that names it.
 */
#define PCRE2_CODE_UNIT_WIDTH	8

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <pcre2.h>

#include "form_int.h"

#define FORM_WHERE_MAX		160
#define FORM_DEPTH_MAX		3
#define FORM_MAXLEN_MAX		100000	/* characters, any text */
#define FORM_ROWS_MAX		10000
#define FORM_LEVEL_LIMIT	1000000
#define FORM_DELTA_MAX		FORM_INT_MAX
#define FORM_PATTERN_MAX	500	/* bytes of a pcre2 pattern */
#define FORM_PROBLEMS_MAX	100	/* told one by one; then a count */

#define FORM_OPT		0x00
#define FORM_REQ		0x01	/* the key must be there */
#define FORM_NONEMPTY		0x02	/* and not "" */

/* Check types as bits, for the keys each type accepts. */
#define FORM_T(t)		(1U << (t))
#define FORM_T_PARTS		(FORM_T(CHECK_PARTS_LE) | FORM_T(CHECK_PARTS_EQ))
#define FORM_T_LIST		(FORM_T(CHECK_PATTERN) | \
				    FORM_T(CHECK_DATE_IN_PERIOD))
#define FORM_T_ITEMS		(FORM_T(CHECK_STATIONS_SUM) | \
				    FORM_T(CHECK_DEVIATION) | \
				    FORM_T(CHECK_RATE_JUMP) | FORM_T(CHECK_REQUIRED))

struct form_name {
	const char	*name;
	int		value;
};

/*
 * The problems found so far, and where the parser is: "checks[3]
 * (erx.linked_le_total)".  nomem stops everything: what follows would
 * only be more of it.
 */
struct form_ctx {
	struct form	*f;
	json_t		*problems;
	size_t		nproblems;
	int		nomem;
	char		where[FORM_WHERE_MAX];
};

/* A key that only some item kinds, column kinds or check types take. */
struct form_only {
	const char	*key;
	unsigned int	mask;
	const char	*what;
};

/* How many of each part a definition may have: an upload's cost. */
struct form_bound {
	const char	*key;
	size_t		max;
	const char	*what;
};

static const struct form_name	form_kinds[] = {
	{ "count",	FORM_COUNT },
	{ "money",	FORM_MONEY },
	{ "level",	FORM_LEVEL },
	{ "text",	FORM_TEXT },
	{ "rate",	FORM_RATE },
	{ "sum",	FORM_SUM },
	{ NULL,		0 }
};

static const struct form_name	form_over_names[] = {
	{ "sum",	FORM_OVER_SUM },
	{ "last",	FORM_OVER_LAST },
	{ NULL,		0 }
};

static const struct form_name	form_applies_names[] = {
	{ "all",	FORM_APPLIES_ALL },
	{ "gksklx",	FORM_APPLIES_GKSKLX },
	{ "hospital",	FORM_APPLIES_HOSPITAL },
	{ "cdc",	FORM_APPLIES_CDC },
	{ "care",	FORM_APPLIES_CARE },
	{ NULL,		0 }
};

static const struct form_name	form_col_kinds[] = {
	{ "text",	FORM_COL_TEXT },
	{ "date",	FORM_COL_DATE },
	{ "docno",	FORM_COL_DOCNO },
	{ "count",	FORM_COL_COUNT },
	{ "choice",	FORM_COL_CHOICE },
	{ NULL,		0 }
};

static const struct form_name	form_types[] = {
	{ "parts_le",		CHECK_PARTS_LE },
	{ "parts_eq",		CHECK_PARTS_EQ },
	{ "stations_sum",	CHECK_STATIONS_SUM },
	{ "pattern",		CHECK_PATTERN },
	{ "date_in_period",	CHECK_DATE_IN_PERIOD },
	{ "deviation",		CHECK_DEVIATION },
	{ "rate_jump",		CHECK_RATE_JUMP },
	{ "required",		CHECK_REQUIRED },
	{ "complete",		CHECK_COMPLETE },
	{ NULL,			0 }
};

static const struct form_name	form_severities[] = {
	{ "error",	CHECK_ERROR },
	{ "warning",	CHECK_WARNING },
	{ NULL,		0 }
};

static const char	*form_top_keys[] = {
	"form", "name", "title", "note", "sections", "lists", "checks", NULL
};
static const char	*form_section_keys[] = {
	"id", "title", "who", "applies", "stations", "note", "items", NULL
};
static const char	*form_item_keys[] = {
	"code", "label", "unit", "kind", "depth", "applies", "note", "min",
	"max", "maxlen", "num", "den", "sum", "over_time", NULL
};
static const char	*form_list_keys[] = {
	"code", "label", "unit", "note", "section", "applies", "max_rows",
	"columns", NULL
};
static const char	*form_column_keys[] = {
	"code", "label", "kind", "required", "maxlen", "choices", NULL
};
static const char	*form_choice_keys[] = { "code", "label", NULL };
static const char	*form_check_keys[] = {
	"rule", "type", "severity", "message", "parts", "whole", "items",
	"list", "column", "pattern", "factor", "min_delta", "points", "kinds",
	NULL
};

static const struct form_only	form_item_only[] = {
	{ "min",	1U << FORM_LEVEL,	"mục loại level" },
	{ "max",	1U << FORM_LEVEL,	"mục loại level" },
	{ "maxlen",	1U << FORM_TEXT,	"mục loại text" },
	{ "num",	1U << FORM_RATE,	"mục loại rate" },
	{ "den",	1U << FORM_RATE,	"mục loại rate" },
	{ "sum",	1U << FORM_SUM,		"mục loại sum" },
	{ "over_time",	(1U << FORM_COUNT) | (1U << FORM_MONEY),
						"mục loại count và money" },
	{ NULL,		0,			NULL }
};

static const struct form_only	form_column_only[] = {
	{ "maxlen",	1U << FORM_COL_TEXT,	"cột loại text" },
	{ "choices",	1U << FORM_COL_CHOICE,	"cột loại choice" },
	{ NULL,		0,			NULL }
};

static const struct form_only	form_check_only[] = {
	{ "parts",	FORM_T_PARTS,		"kiểm tra parts_le và parts_eq" },
	{ "whole",	FORM_T_PARTS,		"kiểm tra parts_le và parts_eq" },
	{ "items",	FORM_T_ITEMS,		"kiểm tra stations_sum, "
						"deviation, rate_jump và "
						"required" },
	{ "list",	FORM_T_LIST,		"kiểm tra pattern và "
						"date_in_period" },
	{ "column",	FORM_T_LIST,		"kiểm tra pattern và "
						"date_in_period" },
	{ "pattern",	FORM_T(CHECK_PATTERN),	"kiểm tra pattern" },
	{ "factor",	FORM_T(CHECK_DEVIATION), "kiểm tra deviation" },
	{ "min_delta",	FORM_T(CHECK_DEVIATION), "kiểm tra deviation" },
	{ "points",	FORM_T(CHECK_RATE_JUMP), "kiểm tra rate_jump" },
	{ "kinds",	FORM_T(CHECK_COMPLETE),	"kiểm tra complete" },
	{ NULL,		0,			NULL }
};

static const struct form_bound	form_bounds[] = {
	{ "sections",	FORM_SECTIONS_MAX,	"phần" },
	{ "lists",	FORM_LISTS_MAX,		"danh sách" },
	{ "checks",	FORM_CHECKS_MAX,	"kiểm tra" },
	{ NULL,		0,			NULL }
};

static int	form_parse(struct form_ctx *, json_t *);
static int	form_parse_top(struct form_ctx *, json_t *);
static int	form_parse_code(struct form_ctx *, json_t *);
static int	form_bounded(struct form_ctx *, json_t *);
static int	form_parse_sections(struct form_ctx *, json_t *);
static int	form_parse_section(struct form_ctx *, size_t, json_t *);
static int	form_parse_items(struct form_ctx *, json_t *);
static int	form_parse_item(struct form_ctx *, int, int, json_t *);
static int	form_parse_item_kind(struct form_ctx *, struct form_item *,
		    json_t *);
static int	form_parse_lists(struct form_ctx *, json_t *);
static int	form_parse_list(struct form_ctx *, size_t, json_t *);
static int	form_parse_list_section(struct form_ctx *, struct form_list *,
		    json_t *);
static int	form_parse_columns(struct form_ctx *, struct form_list *,
		    json_t *);
static int	form_parse_column(struct form_ctx *, struct form_list *,
		    size_t, json_t *);
static int	form_parse_choices(struct form_ctx *, struct form_column *,
		    json_t *);
static int	form_parse_derived(struct form_ctx *, json_t *);
static int	form_parse_inputs(struct form_ctx *, int, json_t *);
static int	form_parse_input(struct form_ctx *, int, json_t *,
		    const char *, int *);
static int	form_parse_checks(struct form_ctx *, json_t *);
static int	form_parse_check(struct form_ctx *, size_t, json_t *);
static int	form_parse_check_kind(struct form_ctx *, struct form_check *,
		    json_t *);
static int	form_parse_parts(struct form_ctx *, struct form_check *,
		    json_t *);
static int	form_parse_check_items(struct form_ctx *, struct form_check *,
		    json_t *);
static int	form_parse_check_item(struct form_ctx *,
		    const struct form_check *, int);
static int	form_parse_check_list(struct form_ctx *, struct form_check *,
		    json_t *);
static int	form_parse_check_numbers(struct form_ctx *,
		    struct form_check *, json_t *);
static int	form_parse_kinds(struct form_ctx *, struct form_check *,
		    json_t *);
static int	form_kind_named(const char *);
static int	form_parse_pattern(struct form_ctx *, struct form_check *,
		    json_t *);
static int	form_refs(struct form_ctx *, json_t *, const char *, int **,
		    size_t *);
static int	form_ref(struct form_ctx *, json_t *, const char *, int *);
static int	form_known(const struct form *, int);

static int	form_fail(struct form_ctx *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	form_nomem(struct form_ctx *);
static void	form_where(struct form_ctx *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	form_where_code(struct form_ctx *, const char *, size_t,
		    json_t *, const char *);
static int	form_keys(struct form_ctx *, json_t *, const char **);
static int	form_only(struct form_ctx *, json_t *,
		    const struct form_only *, int);
static int	form_str(struct form_ctx *, json_t *, const char *, int,
		    char **);
static int	form_int(struct form_ctx *, json_t *, const char *, int,
		    int64_t, int64_t, int64_t *);
static int	form_num(struct form_ctx *, json_t *, const char *, double *);
static int	form_bool(struct form_ctx *, json_t *, const char *, int *);
static int	form_enum(struct form_ctx *, json_t *, const char *, int,
		    const struct form_name *, int *);
static int	form_code(struct form_ctx *, json_t *, const char *, int,
		    char **);
static int	form_code_valid(const char *, int);
static int	form_code_taken(const struct form *, const char *);
static void	form_first_problem(json_t *, const char *, char *, size_t);

struct form *
form_load(const char *path, char *err, size_t errlen)
{
	FILE		*fp;
	struct form	*f;
	json_t		*problems;
	char		*buf;
	size_t		len;
	int		rerr;

	if (err == NULL)
		errlen = 0;
	else if (errlen > 0)
		err[0] = '\0';
	if ((fp = fopen(path, "r")) == NULL) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (NULL);
	}

	/* One byte more than allowed tells a file that is too large. */
	if ((buf = malloc(FORM_TEXT_MAX + 1)) == NULL) {
		(void)fclose(fp);
		(void)snprintf(err, errlen, "%s: hết bộ nhớ", path);
		return (NULL);
	}
	len = fread(buf, 1, FORM_TEXT_MAX + 1, fp);
	rerr = ferror(fp);
	(void)fclose(fp);
	if (rerr) {
		free(buf);
		(void)snprintf(err, errlen, "%s: lỗi khi đọc tệp", path);
		return (NULL);
	}

	f = form_load_text(buf, len, &problems, NULL);
	free(buf);
	if (f == NULL)
		form_first_problem(problems, path, err, errlen);
	json_decref(problems);

	return (f);
}

struct form *
form_load_json(json_t *def, char *err, size_t errlen)
{
	struct form	*f;
	json_t		*problems;

	if (err == NULL)
		errlen = 0;
	else if (errlen > 0)
		err[0] = '\0';
	if ((f = form_load_checked(def, &problems)) == NULL)
		form_first_problem(problems, NULL, err, errlen);
	json_decref(problems);

	return (f);
}

/*
 * The text of a definition as uploaded or read from a file: at most
 * FORM_TEXT_MAX bytes of JSON with no key given twice.  *syntax (when
 * not NULL) tells a text that is not such JSON from a definition that is
 * wrong.
 */
struct form *
form_load_text(const char *text, size_t len, json_t **problems, int *syntax)
{
	struct form	*f;
	json_t		*def;
	json_error_t	jerr;
	char		msg[FORM_MSG_MAX];

	if (syntax != NULL)
		*syntax = 1;
	*problems = json_array();
	if (len > FORM_TEXT_MAX) {
		(void)snprintf(msg, sizeof(msg), "Tệp đề cương lớn hơn %d KiB; "
		    "chỉ giữ những gì đề cương cần.", FORM_TEXT_MAX / 1024);
		json_array_append_new(*problems, json_pack("{s:s, s:s}",
		    "where", "", "message", msg));
		return (NULL);
	}

	/* A key given twice in a definition is always a mistake. */
	if ((def = json_loadb(text, len, JSON_REJECT_DUPLICATES,
	    &jerr)) == NULL) {
		(void)snprintf(msg, sizeof(msg), "dòng %d, cột %d",
		    jerr.line, jerr.column);
		json_array_append_new(*problems, json_pack("{s:s, s:s, s:i, "
		    "s:i}", "where", msg, "message", strstr(jerr.text,
		    "duplicate object key") != NULL ? "Khóa này có hai lần "
		    "trong cùng một đối tượng." : "Không phải JSON hợp lệ ở "
		    "chỗ này (thiếu dấu phẩy, ngoặc hoặc dấu nháy?).",
		    "line", jerr.line, "column", jerr.column));
		return (NULL);
	}
	if (syntax != NULL)
		*syntax = 0;

	json_decref(*problems);
	f = form_load_checked(def, problems);
	json_decref(def);

	return (f);
}

struct form *
form_load_checked(json_t *def, json_t **problems)
{
	struct form_ctx	ctx;
	struct form	*f;
	char		msg[FORM_MSG_MAX];

	memset(&ctx, 0, sizeof(ctx));
	if ((ctx.problems = json_array()) == NULL) {
		*problems = NULL;
		return (NULL);
	}
	*problems = ctx.problems;

	if ((f = calloc(1, sizeof(*f))) == NULL) {
		(void)form_nomem(&ctx);
		return (NULL);
	}
	ctx.f = f;

	(void)form_parse(&ctx, def);
	if (ctx.nproblems > FORM_PROBLEMS_MAX) {
		(void)snprintf(msg, sizeof(msg), "… và %zu lỗi khác, chưa kể "
		    "ra ở đây: sửa những lỗi trên rồi tải lên lại.",
		    ctx.nproblems - FORM_PROBLEMS_MAX);
		json_array_append_new(ctx.problems, json_pack("{s:s, s:s}",
		    "where", "", "message", msg));
	}
	if (ctx.nproblems > 0) {
		form_free(f);
		return (NULL);
	}

	/* Served verbatim by GET /api/v1/forms/{form}. */
	f->json = json_incref(def);

	return (f);
}

/* "path: where: message (và N lỗi khác)", for start-up and the tests. */
static void
form_first_problem(json_t *problems, const char *path, char *err,
    size_t errlen)
{
	json_t		*p;
	const char	*where, *msg;
	char		more[64];
	size_t		n;

	if (errlen == 0)
		return;
	p = json_array_get(problems, 0);
	where = json_string_value(json_object_get(p, "where"));
	msg = json_string_value(json_object_get(p, "message"));
	if (msg == NULL)
		msg = "hết bộ nhớ";
	more[0] = '\0';
	if ((n = json_array_size(problems)) > 1)
		(void)snprintf(more, sizeof(more), " (và %zu lỗi khác)",
		    n - 1);

	(void)snprintf(err, errlen, "%s%s%s%s%s%s", path ? path : "",
	    path ? ": " : "", where && where[0] ? where : "",
	    where && where[0] ? ": " : "", msg, more);
}

/*
 * Loading.  Order matters: every item and list code must be known before
 * derived items, lists and checks refer to them.  A section, item, list
 * or check that is broken is told and skipped; the others are read on.
 */
static int
form_parse(struct form_ctx *ctx, json_t *def)
{
	json_t		*sections;

	if (!json_is_object(def))
		return (form_fail(ctx, "Đề cương phải là một đối tượng JSON "
		    "{…}."));
	(void)form_parse_top(ctx, def);
	if (form_bounded(ctx, def) == -1)
		return (-1);

	sections = json_object_get(def, "sections");
	if (!json_is_array(sections) || json_array_size(sections) == 0)
		return (form_fail(ctx, "«sections» phải là một mảng không rỗng "
		    "các phần của đề cương."));

	(void)form_parse_sections(ctx, sections);
	if (ctx->nomem || form_parse_items(ctx, sections) == -2)
		return (-1);
	(void)form_parse_lists(ctx, json_object_get(def, "lists"));
	(void)form_parse_derived(ctx, sections);
	(void)form_parse_checks(ctx, json_object_get(def, "checks"));

	return (ctx->nproblems > 0 ? -1 : 0);
}

static int
form_parse_top(struct form_ctx *ctx, json_t *def)
{
	int		bad;

	bad = form_keys(ctx, def, form_top_keys) == -1;
	bad |= form_parse_code(ctx, def) == -1;
	bad |= form_str(ctx, def, "title", FORM_REQ | FORM_NONEMPTY,
	    &ctx->f->title) == -1;
	bad |= form_str(ctx, def, "name", FORM_OPT, NULL) == -1;
	bad |= form_str(ctx, def, "note", FORM_OPT, NULL) == -1;

	return (bad ? -1 : 0);
}

static int
form_parse_code(struct form_ctx *ctx, json_t *def)
{
	json_t		*v;
	const char	*s;
	size_t		i;

	v = json_object_get(def, "form");
	if ((s = json_string_value(v)) == NULL)
		return (form_fail(ctx, "«form» phải là một chuỗi, ví dụ "
		    "«PL1»."));
	if (s[0] == '\0' || strlen(s) >= FORM_CODE_MAX)
		return (form_fail(ctx, "«form» có từ 1 đến %d ký tự.",
		    FORM_CODE_MAX - 1));

	/* It names files and URLs: capitals and digits only. */
	for (i = 0; s[i] != '\0'; i++) {
		if (!(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= '0' && s[i] <= '9'))
			return (form_fail(ctx, "«form» chỉ gồm chữ in hoa và "
			    "chữ số, không phải «%s».", s));
	}
	memcpy(ctx->f->code, s, strlen(s) + 1);

	return (0);
}

/*
 * What a definition may hold at most, told before anything is read:
 * loading an upload costs the server in proportion to its parts, and
 * the real outlines use a tenth of these.
 */
static int
form_bounded(struct form_ctx *ctx, json_t *def)
{
	json_t		*sections;
	size_t		i, n;
	int		bad;

	bad = 0;
	for (i = 0; form_bounds[i].key != NULL; i++) {
		n = json_array_size(json_object_get(def, form_bounds[i].key));
		if (n > form_bounds[i].max)
			bad |= form_fail(ctx, "«%s» có %zu %s, tối đa %zu.",
			    form_bounds[i].key, n, form_bounds[i].what,
			    form_bounds[i].max) == -1;
	}

	sections = json_object_get(def, "sections");
	n = 0;
	for (i = 0; i < json_array_size(sections); i++)
		n += json_array_size(json_object_get(json_array_get(sections,
		    i), "items"));
	if (n > FORM_ITEMS_MAX)
		bad |= form_fail(ctx, "Đề cương có %zu mục, tối đa %d.", n,
		    FORM_ITEMS_MAX) == -1;

	return (bad ? -1 : 0);
}

static int
form_parse_sections(struct form_ctx *ctx, json_t *sections)
{
	struct form	*f = ctx->f;
	size_t		i, n;
	int		bad;

	n = json_array_size(sections);
	if ((f->sections = calloc(n, sizeof(*f->sections))) == NULL)
		return (form_nomem(ctx));
	f->nsections = n;

	bad = 0;
	for (i = 0; i < n && !ctx->nomem; i++)
		bad |= form_parse_section(ctx, i, json_array_get(sections,
		    i)) == -1;
	ctx->where[0] = '\0';

	return (bad ? -1 : 0);
}

static int
form_parse_section(struct form_ctx *ctx, size_t i, json_t *o)
{
	struct form_section	*s = &ctx->f->sections[i];
	size_t			j;
	int			bad;

	/* Sections that cannot be read report nothing, to anyone. */
	s->applies = 0;
	form_where_code(ctx, "sections", i, o, "id");
	if (!json_is_object(o))
		return (form_fail(ctx, "Phải là một đối tượng JSON {…}."));

	bad = form_keys(ctx, o, form_section_keys) == -1;
	if (form_str(ctx, o, "id", FORM_REQ | FORM_NONEMPTY, &s->id) == -1) {
		bad = 1;
	} else {
		for (j = 0; j < i; j++) {
			if (ctx->f->sections[j].id != NULL &&
			    strcmp(ctx->f->sections[j].id, s->id) == 0) {
				bad |= form_fail(ctx, "Trùng số hiệu phần "
				    "«%s».", s->id) == -1;
				break;
			}
		}
	}
	bad |= form_str(ctx, o, "title", FORM_REQ | FORM_NONEMPTY,
	    &s->title) == -1;
	bad |= form_str(ctx, o, "who", FORM_REQ, &s->who) == -1;
	bad |= form_str(ctx, o, "note", FORM_OPT, NULL) == -1;
	bad |= form_enum(ctx, o, "applies", FORM_REQ, form_applies_names,
	    &s->applies) == -1;
	bad |= form_bool(ctx, o, "stations", &s->stations) == -1;
	if (!json_is_array(json_object_get(o, "items")))
		bad |= form_fail(ctx, "«items» phải là một mảng (mảng rỗng "
		    "cho một phần chỉ có tiêu đề).") == -1;

	return (bad ? -1 : 0);
}

/*
 * Items of every section in one array, in the order of the outline.
 * -2 when nothing more can be read (out of memory, or no item at all).
 */
static int
form_parse_items(struct form_ctx *ctx, json_t *sections)
{
	struct form	*f = ctx->f;
	json_t		*items;
	size_t		i, j, n;
	int		idx, bad;

	n = 0;
	for (i = 0; i < f->nsections; i++)
		n += json_array_size(json_object_get(json_array_get(sections,
		    i), "items"));
	if (n == 0) {
		(void)form_fail(ctx, "Đề cương chưa có mục nào.");
		return (-2);
	}
	if (n > FORM_ITEMS_MAX)
		return (-2);	/* told by form_bounded */
	if ((f->items = calloc(n, sizeof(*f->items))) == NULL) {
		(void)form_nomem(ctx);
		return (-2);
	}

	bad = 0;
	idx = 0;
	for (i = 0; i < f->nsections; i++) {
		items = json_object_get(json_array_get(sections, i), "items");
		for (j = 0; j < json_array_size(items); j++) {
			form_where(ctx, "sections[%zu].items[%zu]", i, j);
			bad |= form_parse_item(ctx, (int)i, idx,
			    json_array_get(items, j)) == -1;
			if (ctx->nomem)
				return (-2);
			idx++;
		}
	}
	ctx->where[0] = '\0';

	return (bad ? -1 : 0);
}

static int
form_parse_item(struct form_ctx *ctx, int sec, int idx, json_t *o)
{
	struct form		*f = ctx->f;
	struct form_item	*it = &f->items[idx];
	int64_t			depth;
	int			applies, bad;
	char			prefix[FORM_WHERE_MAX];

	/* Counted now, so that form_free sees what was filled in. */
	f->nitems = (size_t)idx + 1;
	it->num = -1;
	it->den = -1;
	it->section = sec;
	it->stations = f->sections[sec].stations;

	(void)snprintf(prefix, sizeof(prefix), "%s", ctx->where);
	if (json_is_object(o) &&
	    json_is_string(json_object_get(o, "code")))
		form_where(ctx, "%s (%s)", prefix,
		    json_string_value(json_object_get(o, "code")));
	if (!json_is_object(o))
		return (form_fail(ctx, "Phải là một đối tượng JSON {…}."));

	bad = form_keys(ctx, o, form_item_keys) == -1;
	if (form_code(ctx, o, "code", 1, &it->code) == -1)
		bad = 1;
	else if (form_code_taken(f, it->code))
		bad |= form_fail(ctx, "Trùng mã «%s»: mỗi mục và mỗi danh "
		    "sách có một mã riêng.", it->code) == -1;
	bad |= form_str(ctx, o, "label", FORM_REQ | FORM_NONEMPTY,
	    &it->label) == -1;
	bad |= form_str(ctx, o, "note", FORM_OPT, NULL) == -1;

	/* Left 0 when unreadable: "of an unknown kind" from then on. */
	if (form_enum(ctx, o, "kind", FORM_REQ, form_kinds, &it->kind) == -1)
		bad = 1;
	/* A text has no unit of measure; every number has one. */
	bad |= form_str(ctx, o, "unit", it->kind == FORM_TEXT ||
	    it->kind == 0 ? FORM_OPT : FORM_REQ | FORM_NONEMPTY,
	    &it->unit) == -1;
	if (it->unit == NULL && (it->unit = strdup("")) == NULL)
		return (form_nomem(ctx));

	bad |= form_int(ctx, o, "depth", FORM_OPT, 0, FORM_DEPTH_MAX,
	    &depth) == -1;
	it->depth = (int)depth;

	applies = f->sections[sec].applies;
	bad |= form_enum(ctx, o, "applies", FORM_OPT, form_applies_names,
	    &applies) == -1;
	it->applies = applies;

	if (it->kind == 0)
		return (-1);
	bad |= form_only(ctx, o, form_item_only, it->kind) == -1;
	bad |= form_parse_item_kind(ctx, it, o) == -1;

	return (bad ? -1 : 0);
}

static int
form_parse_item_kind(struct form_ctx *ctx, struct form_item *it, json_t *o)
{
	int64_t		v;
	int		bad;

	switch (it->kind) {
	case FORM_LEVEL:
		bad = form_int(ctx, o, "min", FORM_REQ, -FORM_LEVEL_LIMIT,
		    FORM_LEVEL_LIMIT, &it->min) == -1;
		bad |= form_int(ctx, o, "max", FORM_REQ, -FORM_LEVEL_LIMIT,
		    FORM_LEVEL_LIMIT, &it->max) == -1;
		if (!bad && it->min > it->max)
			bad = form_fail(ctx, "«min» %lld lớn hơn «max» %lld.",
			    (long long)it->min, (long long)it->max) == -1;
		return (bad ? -1 : 0);
	case FORM_TEXT:
		if (form_int(ctx, o, "maxlen", FORM_REQ, 1, FORM_MAXLEN_MAX,
		    &v) == -1)
			return (-1);
		it->maxlen = (size_t)v;
		return (0);
	case FORM_COUNT:
	case FORM_MONEY:
		it->min = 0;
		it->max = FORM_INT_MAX;
		it->over_time = FORM_OVER_SUM;
		return (form_enum(ctx, o, "over_time", FORM_OPT,
		    form_over_names, &it->over_time));
	default:
		/* Derived: inputs are resolved once every code is known. */
		return (0);
	}
}

static int
form_parse_lists(struct form_ctx *ctx, json_t *lists)
{
	struct form	*f = ctx->f;
	size_t		i, n;
	int		bad;

	if (lists == NULL)
		return (0);
	if (!json_is_array(lists))
		return (form_fail(ctx, "«lists» phải là một mảng."));
	if ((n = json_array_size(lists)) == 0 || n > FORM_LISTS_MAX)
		return (0);
	if ((f->lists = calloc(n, sizeof(*f->lists))) == NULL)
		return (form_nomem(ctx));

	bad = 0;
	for (i = 0; i < n && !ctx->nomem; i++) {
		f->nlists = i + 1;
		f->lists[i].section = -1;
		bad |= form_parse_list(ctx, i, json_array_get(lists,
		    i)) == -1;
	}
	ctx->where[0] = '\0';

	return (bad ? -1 : 0);
}

static int
form_parse_list(struct form_ctx *ctx, size_t i, json_t *o)
{
	struct form_list	*l = &ctx->f->lists[i];
	int64_t			v;
	int			bad;

	form_where_code(ctx, "lists", i, o, "code");
	if (!json_is_object(o))
		return (form_fail(ctx, "Phải là một đối tượng JSON {…}."));

	bad = form_keys(ctx, o, form_list_keys) == -1;
	if (form_code(ctx, o, "code", 1, &l->code) == -1)
		bad = 1;
	/* Lists and items share one namespace (comments, check results). */
	else if (form_code_taken(ctx->f, l->code))
		bad |= form_fail(ctx, "Trùng mã «%s»: mỗi mục và mỗi danh "
		    "sách có một mã riêng.", l->code) == -1;
	bad |= form_str(ctx, o, "label", FORM_REQ | FORM_NONEMPTY,
	    &l->label) == -1;
	bad |= form_str(ctx, o, "unit", FORM_OPT, NULL) == -1;
	bad |= form_str(ctx, o, "note", FORM_OPT, NULL) == -1;
	bad |= form_enum(ctx, o, "applies", FORM_REQ, form_applies_names,
	    &l->applies) == -1;
	bad |= form_int(ctx, o, "max_rows", FORM_REQ, 1, FORM_ROWS_MAX,
	    &v) == -1;
	l->max_rows = (size_t)v;
	bad |= form_parse_list_section(ctx, l, o) == -1;
	bad |= form_parse_columns(ctx, l, json_object_get(o, "columns")) == -1;

	return (bad ? -1 : 0);
}

static int
form_parse_list_section(struct form_ctx *ctx, struct form_list *l, json_t *o)
{
	const char	*sec;
	size_t		j;

	if ((sec = json_string_value(json_object_get(o, "section"))) == NULL)
		return (form_fail(ctx, "Thiếu «section» (số hiệu phần chứa "
		    "danh sách), hoặc không phải chuỗi."));
	for (j = 0; j < ctx->f->nsections; j++) {
		if (ctx->f->sections[j].id != NULL &&
		    strcmp(ctx->f->sections[j].id, sec) == 0)
			l->section = (int)j;
	}
	if (l->section == -1)
		return (form_fail(ctx, "Không có phần «%s» trong «sections».",
		    sec));

	return (0);
}

static int
form_parse_columns(struct form_ctx *ctx, struct form_list *l, json_t *cols)
{
	size_t		j, n;
	int		bad;
	char		prefix[FORM_WHERE_MAX];

	n = json_array_size(cols);
	if (!json_is_array(cols) || n == 0)
		return (form_fail(ctx, "«columns» phải là một mảng không rỗng "
		    "các cột."));
	if (n > FORM_COLUMNS_MAX)
		return (form_fail(ctx, "«columns» có %zu cột, tối đa %d.", n,
		    FORM_COLUMNS_MAX));
	if ((l->cols = calloc(n, sizeof(*l->cols))) == NULL)
		return (form_nomem(ctx));

	bad = 0;
	(void)snprintf(prefix, sizeof(prefix), "%s", ctx->where);
	for (j = 0; j < n && !ctx->nomem; j++) {
		l->ncols = j + 1;
		form_where(ctx, "%s.columns[%zu]", prefix, j);
		bad |= form_parse_column(ctx, l, j, json_array_get(cols,
		    j)) == -1;
	}
	form_where(ctx, "%s", prefix);

	return (bad ? -1 : 0);
}

static int
form_parse_column(struct form_ctx *ctx, struct form_list *l, size_t j,
    json_t *o)
{
	struct form_column	*c = &l->cols[j];
	int64_t			v;
	size_t			k;
	int			bad;

	if (json_is_object(o) && json_is_string(json_object_get(o, "code")))
		(void)snprintf(ctx->where + strlen(ctx->where),
		    sizeof(ctx->where) - strlen(ctx->where), " (%s)",
		    json_string_value(json_object_get(o, "code")));
	if (!json_is_object(o))
		return (form_fail(ctx, "Phải là một đối tượng JSON {…}."));

	bad = form_keys(ctx, o, form_column_keys) == -1;
	/* Column codes are keys of one row: no dots needed. */
	if (form_code(ctx, o, "code", 0, &c->code) == -1) {
		bad = 1;
	} else {
		for (k = 0; k < j; k++) {
			if (l->cols[k].code != NULL &&
			    strcmp(l->cols[k].code, c->code) == 0) {
				bad |= form_fail(ctx, "Trùng mã cột «%s».",
				    c->code) == -1;
				break;
			}
		}
	}
	bad |= form_str(ctx, o, "label", FORM_REQ | FORM_NONEMPTY,
	    &c->label) == -1;
	bad |= form_bool(ctx, o, "required", &c->required) == -1;
	if (form_enum(ctx, o, "kind", FORM_REQ, form_col_kinds,
	    &c->kind) == -1)
		return (-1);
	bad |= form_only(ctx, o, form_column_only, c->kind) == -1;

	switch (c->kind) {
	case FORM_COL_TEXT:
		if (form_int(ctx, o, "maxlen", FORM_REQ, 1, FORM_MAXLEN_MAX,
		    &v) == -1)
			return (-1);
		c->maxlen = (size_t)v;
		break;
	case FORM_COL_DOCNO:
		c->maxlen = FORM_DOCNO_MAX;
		break;
	case FORM_COL_DATE:
		c->maxlen = 10;
		break;
	case FORM_COL_CHOICE:
		bad |= form_parse_choices(ctx, c, json_object_get(o,
		    "choices")) == -1;
		break;
	default:
		break;
	}

	return (bad ? -1 : 0);
}

static int
form_parse_choices(struct form_ctx *ctx, struct form_column *c, json_t *a)
{
	json_t		*o;
	size_t		i, k, n;
	int		bad;
	char		prefix[FORM_WHERE_MAX];

	if (!json_is_array(a) || (n = json_array_size(a)) == 0)
		return (form_fail(ctx, "«choices» phải là một mảng không rỗng "
		    "các lựa chọn {\"code\", \"label\"}."));
	if (n > FORM_CHOICES_MAX)
		return (form_fail(ctx, "«choices» có %zu lựa chọn, tối đa %d.",
		    n, FORM_CHOICES_MAX));
	if ((c->choices = calloc(n, sizeof(*c->choices))) == NULL ||
	    (c->choice_labels = calloc(n, sizeof(*c->choice_labels))) ==
	    NULL)
		return (form_nomem(ctx));
	c->nchoices = n;

	bad = 0;
	(void)snprintf(prefix, sizeof(prefix), "%s", ctx->where);
	for (i = 0; i < n; i++) {
		o = json_array_get(a, i);
		form_where(ctx, "%s.choices[%zu]", prefix, i);
		if (!json_is_object(o)) {
			bad |= form_fail(ctx, "Phải là một đối tượng JSON "
			    "{…}.") == -1;
			continue;
		}
		bad |= form_keys(ctx, o, form_choice_keys) == -1;
		bad |= form_str(ctx, o, "label", FORM_REQ | FORM_NONEMPTY,
		    &c->choice_labels[i]) == -1;
		if (form_code(ctx, o, "code", 0, &c->choices[i]) == -1) {
			bad = 1;
			continue;
		}
		for (k = 0; k < i; k++) {
			if (c->choices[k] != NULL &&
			    strcmp(c->choices[k], c->choices[i]) == 0) {
				bad |= form_fail(ctx, "Trùng mã lựa chọn "
				    "«%s».", c->choices[i]) == -1;
				break;
			}
		}
	}
	form_where(ctx, "%s", prefix);

	return (bad ? -1 : 0);
}

/* Inputs of rates and sums, walking the sections as form_parse_items. */
static int
form_parse_derived(struct form_ctx *ctx, json_t *sections)
{
	json_t		*items, *o;
	size_t		i, j;
	int		idx, bad;

	bad = 0;
	idx = 0;
	for (i = 0; i < ctx->f->nsections; i++) {
		items = json_object_get(json_array_get(sections, i), "items");
		for (j = 0; j < json_array_size(items); j++, idx++) {
			if ((size_t)idx >= ctx->f->nitems || ctx->nomem)
				return (-1);
			if (!form_kind_derived(ctx->f->items[idx].kind))
				continue;
			o = json_array_get(items, j);
			if (ctx->f->items[idx].code != NULL)
				form_where(ctx, "sections[%zu].items[%zu] (%s)",
				    i, j, ctx->f->items[idx].code);
			else
				form_where(ctx, "sections[%zu].items[%zu]", i,
				    j);
			bad |= form_parse_inputs(ctx, idx, o) == -1;
		}
	}
	ctx->where[0] = '\0';

	return (bad ? -1 : 0);
}

static int
form_parse_inputs(struct form_ctx *ctx, int idx, json_t *o)
{
	struct form_item	*it = &ctx->f->items[idx];
	json_t			*a;
	size_t			i, k;
	int			bad;

	if (it->kind == FORM_RATE) {
		bad = form_parse_input(ctx, idx, json_object_get(o, "num"),
		    "num", &it->num) == -1;
		bad |= form_parse_input(ctx, idx, json_object_get(o, "den"),
		    "den", &it->den) == -1;
		if (!bad && it->num == it->den)
			bad = form_fail(ctx, "«num» và «den» là cùng một "
			    "mục.") == -1;
		if (bad) {
			/* A rate without both inputs is never computed. */
			it->num = it->den = -1;
			return (-1);
		}
		return (0);
	}

	a = json_object_get(o, "sum");
	if (!json_is_array(a) || json_array_size(a) == 0)
		return (form_fail(ctx, "«sum» phải là một mảng không rỗng các "
		    "mã mục."));
	if ((it->sum_of = calloc(json_array_size(a), sizeof(int))) == NULL)
		return (form_nomem(ctx));

	bad = 0;
	for (i = 0; i < json_array_size(a); i++) {
		if (form_parse_input(ctx, idx, json_array_get(a, i), "sum",
		    &it->sum_of[it->nsum]) == -1) {
			bad = 1;
			continue;
		}
		for (k = 0; k < it->nsum; k++) {
			if (it->sum_of[k] == it->sum_of[it->nsum])
				break;
		}
		if (k < it->nsum) {
			bad |= form_fail(ctx, "Mục «%s» được cộng hai lần.",
			    ctx->f->items[it->sum_of[k]].code) == -1;
			continue;
		}
		it->nsum++;
	}

	return (bad ? -1 : 0);
}

/*
 * One input of a derived item.  A derived input must come earlier in the
 * outline: form_derive then needs a single pass, and no cycle can exist.
 */
static int
form_parse_input(struct form_ctx *ctx, int idx, json_t *v, const char *key,
    int *out)
{
	const struct form_item	*it = &ctx->f->items[idx];
	const struct form_item	*in;

	if (v == NULL)
		return (form_fail(ctx, "Thiếu «%s».", key));
	if (form_ref(ctx, v, key, out) == -1)
		return (-1);
	in = &ctx->f->items[*out];

	if (*out == idx)
		return (form_fail(ctx, "«%s» trỏ tới chính mục này.", key));
	/* An item whose kind is unreadable was told already. */
	if (in->kind == 0)
		return (-1);
	if (!form_kind_numeric(in->kind))
		return (form_fail(ctx, "«%s»: mục «%s» không phải số liệu.",
		    key, in->code));
	if (form_kind_derived(in->kind) && *out > idx)
		return (form_fail(ctx, "«%s»: mục tính tự động «%s» phải đứng "
		    "trước «%s» trong đề cương.", key, in->code,
		    it->code ? it->code : "?"));
	if (it->stations && !in->stations)
		return (form_fail(ctx, "«%s»: mục «%s» không báo cáo theo "
		    "từng trạm, nhưng «%s» thì có.", key, in->code,
		    it->code ? it->code : "?"));

	return (0);
}

static int
form_parse_checks(struct form_ctx *ctx, json_t *checks)
{
	struct form	*f = ctx->f;
	size_t		i, n;
	int		bad;

	if (checks == NULL)
		return (0);
	if (!json_is_array(checks))
		return (form_fail(ctx, "«checks» phải là một mảng."));
	if ((n = json_array_size(checks)) == 0 || n > FORM_CHECKS_MAX)
		return (0);
	if ((f->checks = calloc(n, sizeof(*f->checks))) == NULL)
		return (form_nomem(ctx));

	bad = 0;
	for (i = 0; i < n && !ctx->nomem; i++) {
		f->nchecks = i + 1;
		f->checks[i].whole = -1;
		f->checks[i].list = -1;
		f->checks[i].column = -1;
		bad |= form_parse_check(ctx, i, json_array_get(checks,
		    i)) == -1;
	}
	ctx->where[0] = '\0';

	return (bad ? -1 : 0);
}

static int
form_parse_check(struct form_ctx *ctx, size_t i, json_t *o)
{
	struct form_check	*c = &ctx->f->checks[i];
	size_t			j;
	int			bad;

	form_where_code(ctx, "checks", i, o, "rule");
	if (!json_is_object(o))
		return (form_fail(ctx, "Phải là một đối tượng JSON {…}."));

	bad = form_keys(ctx, o, form_check_keys) == -1;
	if (form_code(ctx, o, "rule", 1, &c->rule) == -1) {
		bad = 1;
	} else {
		for (j = 0; j < i; j++) {
			if (ctx->f->checks[j].rule != NULL &&
			    strcmp(ctx->f->checks[j].rule, c->rule) == 0) {
				bad |= form_fail(ctx, "Trùng mã kiểm tra "
				    "«%s».", c->rule) == -1;
				break;
			}
		}
	}
	bad |= form_str(ctx, o, "message", FORM_REQ | FORM_NONEMPTY,
	    &c->message) == -1;
	if (form_enum(ctx, o, "type", FORM_REQ, form_types, &c->type) == -1)
		return (-1);
	bad |= form_only(ctx, o, form_check_only, c->type) == -1;

	/* Warnings are about the implausible: never an error. */
	c->severity = CHECK_ERROR;
	if (c->type == CHECK_DEVIATION || c->type == CHECK_RATE_JUMP)
		c->severity = CHECK_WARNING;
	if (form_enum(ctx, o, "severity", FORM_OPT, form_severities,
	    &c->severity) == -1)
		bad = 1;
	else if (c->severity != CHECK_WARNING && (c->type == CHECK_DEVIATION ||
	    c->type == CHECK_RATE_JUMP))
		bad |= form_fail(ctx, "Kiểm tra deviation và rate_jump là cảnh "
		    "báo: «severity» phải là \"warning\".") == -1;

	bad |= form_parse_check_kind(ctx, c, o) == -1;
	if (bad) {
		/* Never run: the engine only meets checks that loaded. */
		c->type = 0;
		return (-1);
	}

	return (0);
}

static int
form_parse_check_kind(struct form_ctx *ctx, struct form_check *c, json_t *o)
{
	int		bad;

	switch (c->type) {
	case CHECK_PARTS_LE:
	case CHECK_PARTS_EQ:
		return (form_parse_parts(ctx, c, o));
	case CHECK_PATTERN:
	case CHECK_DATE_IN_PERIOD:
		return (form_parse_check_list(ctx, c, o));
	case CHECK_COMPLETE:
		return (form_parse_kinds(ctx, c, o));
	default:
		bad = form_parse_check_items(ctx, c, o) == -1;
		bad |= form_parse_check_numbers(ctx, c, o) == -1;
		return (bad ? -1 : 0);
	}
}

static int
form_parse_parts(struct form_ctx *ctx, struct form_check *c, json_t *o)
{
	const struct form_item	*it;
	size_t			i;
	int			bad;

	bad = form_refs(ctx, json_object_get(o, "parts"), "parts", &c->items,
	    &c->nitems) == -1;
	if (json_object_get(o, "whole") == NULL)
		bad |= form_fail(ctx, "Thiếu «whole».") == -1;
	else if (form_ref(ctx, json_object_get(o, "whole"), "whole",
	    &c->whole) == -1)
		bad = 1;
	else if (!form_known(ctx->f, c->whole))
		bad = 1;
	else if (!form_kind_numeric(ctx->f->items[c->whole].kind))
		bad |= form_fail(ctx, "«whole»: mục «%s» không phải số liệu.",
		    ctx->f->items[c->whole].code) == -1;

	for (i = 0; i < c->nitems; i++) {
		it = &ctx->f->items[c->items[i]];
		if (!form_known(ctx->f, c->items[i]))
			bad = 1;
		else if (!form_kind_numeric(it->kind))
			bad |= form_fail(ctx, "«parts»: mục «%s» không phải "
			    "số liệu.", it->code) == -1;
		else if (c->items[i] == c->whole)
			bad |= form_fail(ctx, "Mục «%s» vừa là phần vừa là "
			    "tổng.", it->code) == -1;
	}

	return (bad ? -1 : 0);
}

static int
form_parse_check_items(struct form_ctx *ctx, struct form_check *c,
    json_t *o)
{
	size_t		i;
	int		bad;

	bad = form_refs(ctx, json_object_get(o, "items"), "items", &c->items,
	    &c->nitems) == -1;
	for (i = 0; i < c->nitems; i++)
		bad |= form_parse_check_item(ctx, c, c->items[i]) == -1;

	return (bad ? -1 : 0);
}

/* What each type may look at. */
static int
form_parse_check_item(struct form_ctx *ctx, const struct form_check *c,
    int idx)
{
	const struct form_item	*it = &ctx->f->items[idx];

	if (!form_known(ctx->f, idx))
		return (-1);

	switch (c->type) {
	case CHECK_STATIONS_SUM:
		if (!it->stations)
			return (form_fail(ctx, "Mục «%s» không báo cáo theo "
			    "từng trạm (phần của nó không có \"stations\": "
			    "true).", it->code));
		/* Rates and levels of stations do not add up. */
		if (it->kind != FORM_COUNT && it->kind != FORM_MONEY &&
		    it->kind != FORM_SUM)
			return (form_fail(ctx, "Mục «%s» không phải số đếm, "
			    "tiền hay tổng.", it->code));
		break;
	case CHECK_DEVIATION:
		if (!form_kind_numeric(it->kind))
			return (form_fail(ctx, "Mục «%s» không phải số liệu.",
			    it->code));
		break;
	case CHECK_RATE_JUMP:
		if (it->kind != FORM_RATE)
			return (form_fail(ctx, "Mục «%s» không phải tỷ lệ.",
			    it->code));
		break;
	case CHECK_REQUIRED:
		if (form_kind_derived(it->kind))
			return (form_fail(ctx, "Mục «%s» được tính tự động: "
			    "không ai nhập được.", it->code));
		break;
	}

	return (0);
}

static int
form_parse_check_numbers(struct form_ctx *ctx, struct form_check *c,
    json_t *o)
{
	int		bad;

	if (c->type == CHECK_DEVIATION) {
		bad = form_num(ctx, o, "factor", &c->factor) == -1;
		bad |= form_int(ctx, o, "min_delta", FORM_REQ, 0,
		    FORM_DELTA_MAX, &c->min_delta) == -1;
		/* Within a factor of 1 every change would be a warning. */
		if (!bad && !(c->factor > 1.0))
			bad = form_fail(ctx, "«factor» phải lớn hơn 1.") == -1;
		return (bad ? -1 : 0);
	}
	if (c->type == CHECK_RATE_JUMP) {
		if (form_num(ctx, o, "points", &c->points) == -1)
			return (-1);
		if (!(c->points > 0.0 && c->points <= 100.0))
			return (form_fail(ctx, "«points» phải lớn hơn 0 và "
			    "không quá 100."));
	}

	return (0);
}

static int
form_kind_named(const char *name)
{
	size_t		i;

	for (i = 0; form_kinds[i].name != NULL; i++) {
		if (strcmp(form_kinds[i].name, name) == 0)
			return (form_kinds[i].value);
	}

	return (0);
}

/*
 * The item kinds a "complete" check asks for: typed kinds only, each
 * once.  The items are the form's own, so a new item is covered without
 * editing the check.
 */
static int
form_parse_kinds(struct form_ctx *ctx, struct form_check *c, json_t *o)
{
	json_t		*a, *v;
	size_t		i;
	int		kind, bad;

	a = json_object_get(o, "kinds");
	if (!json_is_array(a) || json_array_size(a) == 0)
		return (form_fail(ctx, "«kinds» phải là một mảng không rỗng "
		    "các loại mục."));
	bad = 0;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v)) {
			bad |= form_fail(ctx, "«kinds» chỉ gồm tên loại mục "
			    "(chuỗi).") == -1;
			continue;
		}
		if ((kind = form_kind_named(json_string_value(v))) == 0)
			bad |= form_fail(ctx, "«kinds»: không có loại mục "
			    "«%s».", json_string_value(v)) == -1;
		else if (form_kind_derived(kind))
			bad |= form_fail(ctx, "«kinds»: mục loại «%s» được tính "
			    "tự động: không ai nhập được.",
			    json_string_value(v)) == -1;
		else if (c->kinds & (1U << kind))
			bad |= form_fail(ctx, "«kinds»: «%s» có hai lần.",
			    json_string_value(v)) == -1;
		else
			c->kinds |= 1U << kind;
	}

	return (bad ? -1 : 0);
}

static int
form_parse_check_list(struct form_ctx *ctx, struct form_check *c, json_t *o)
{
	const struct form_list	*l;
	const char		*s;
	size_t			j;

	if ((s = json_string_value(json_object_get(o, "list"))) == NULL)
		return (form_fail(ctx, "Thiếu «list» (mã danh sách), hoặc "
		    "không phải chuỗi."));
	if ((c->list = form_list_index(ctx->f, s)) == -1)
		return (form_fail(ctx, "Không có danh sách «%s».", s));
	l = &ctx->f->lists[c->list];

	if ((s = json_string_value(json_object_get(o, "column"))) == NULL)
		return (form_fail(ctx, "Thiếu «column» (mã cột), hoặc không "
		    "phải chuỗi."));
	for (j = 0; j < l->ncols; j++) {
		if (l->cols[j].code != NULL && strcmp(l->cols[j].code, s) == 0)
			c->column = (int)j;
	}
	if (c->column == -1)
		return (form_fail(ctx, "Danh sách «%s» không có cột «%s».",
		    l->code, s));

	/* A column of an unreadable kind was told already. */
	if (l->cols[c->column].kind == 0)
		return (-1);
	if (c->type == CHECK_DATE_IN_PERIOD) {
		if (l->cols[c->column].kind != FORM_COL_DATE)
			return (form_fail(ctx, "Cột «%s» không phải ngày.", s));
		return (0);
	}
	if (l->cols[c->column].kind == FORM_COL_COUNT)
		return (form_fail(ctx, "Cột «%s» là số, không phải chữ.", s));

	return (form_parse_pattern(ctx, c, o));
}

/* UTF-8 for "Đ"; no JIT: the server's sandbox refuses it. */
static int
form_parse_pattern(struct form_ctx *ctx, struct form_check *c, json_t *o)
{
	json_t		*v;
	PCRE2_UCHAR	msg[FORM_MSG_MAX];
	PCRE2_SIZE	off;
	int		code;

	v = json_object_get(o, "pattern");
	if (!json_is_string(v) || json_string_length(v) == 0)
		return (form_fail(ctx, "«pattern» phải là một chuỗi không "
		    "rỗng."));
	/* Compiling costs in proportion: a pattern of a docno is short. */
	if (json_string_length(v) > FORM_PATTERN_MAX)
		return (form_fail(ctx, "«pattern» dài %zu byte, tối đa %d.",
		    json_string_length(v), FORM_PATTERN_MAX));

	c->re = pcre2_compile((PCRE2_SPTR)json_string_value(v),
	    json_string_length(v), PCRE2_UTF, &code, &off, NULL);
	if (c->re == NULL) {
		if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
			(void)snprintf((char *)msg, sizeof(msg), "error %d",
			    code);
		return (form_fail(ctx, "«pattern» không biên dịch được ở vị trí "
		    "%zu (%s).", (size_t)off, (char *)msg));
	}

	return (0);
}

/*
 * A non-empty array of distinct item codes.  *out holds the ones that
 * resolve, *n their number; every one that does not is told.
 */
static int
form_refs(struct form_ctx *ctx, json_t *a, const char *key, int **out,
    size_t *n)
{
	size_t		i, k;
	int		bad;

	if (!json_is_array(a) || json_array_size(a) == 0)
		return (form_fail(ctx, "«%s» phải là một mảng không rỗng các "
		    "mã mục.", key));
	if ((*out = calloc(json_array_size(a), sizeof(int))) == NULL)
		return (form_nomem(ctx));

	bad = 0;
	for (i = 0; i < json_array_size(a); i++) {
		if (form_ref(ctx, json_array_get(a, i), key,
		    &(*out)[*n]) == -1) {
			bad = 1;
			continue;
		}
		for (k = 0; k < *n; k++) {
			if ((*out)[k] == (*out)[*n])
				break;
		}
		if (k < *n) {
			bad |= form_fail(ctx, "«%s»: mục «%s» có hai lần.",
			    key, ctx->f->items[(*out)[k]].code) == -1;
			continue;
		}
		(*n)++;
	}

	return (bad ? -1 : 0);
}

static int
form_ref(struct form_ctx *ctx, json_t *v, const char *key, int *out)
{
	const char	*s;

	if ((s = json_string_value(v)) == NULL)
		return (form_fail(ctx, "«%s» chỉ gồm mã mục (chuỗi).", key));
	if ((*out = form_item_index(ctx->f, s)) == -1)
		return (form_fail(ctx, "Không có mục «%s».", s));

	return (0);
}

/* An item whose kind was read: one that can be judged. */
static int
form_known(const struct form *f, int idx)
{
	return (idx >= 0 && (size_t)idx < f->nitems && f->items[idx].kind != 0);
}

/* Always -1, so that callers may return it. */
static int
form_fail(struct form_ctx *ctx, const char *fmt, ...)
{
	va_list		ap;
	char		msg[FORM_MSG_MAX];

	ctx->nproblems++;
	if (ctx->nproblems > FORM_PROBLEMS_MAX || ctx->problems == NULL)
		return (-1);

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_array_append_new(ctx->problems, json_pack("{s:s, s:s}",
	    "where", ctx->where, "message", msg));

	return (-1);
}

static int
form_nomem(struct form_ctx *ctx)
{
	ctx->nomem = 1;
	ctx->where[0] = '\0';

	return (form_fail(ctx, "Hết bộ nhớ khi đọc đề cương."));
}

static void
form_where(struct form_ctx *ctx, const char *fmt, ...)
{
	va_list		ap;

	va_start(ap, fmt);
	(void)vsnprintf(ctx->where, sizeof(ctx->where), fmt, ap);
	va_end(ap);
}

/* "checks[3] (erx.linked_le_total)", or "checks[3]" before a code. */
static void
form_where_code(struct form_ctx *ctx, const char *array, size_t i,
    json_t *o, const char *key)
{
	const char	*code;

	code = json_string_value(json_object_get(o, key));
	if (code != NULL)
		form_where(ctx, "%s[%zu] (%s)", array, i, code);
	else
		form_where(ctx, "%s[%zu]", array, i);
}

/* Unknown keys are refused: a misspelt "maxlen" must not pass unseen. */
static int
form_keys(struct form_ctx *ctx, json_t *o, const char **allowed)
{
	const char	*key;
	json_t		*v;
	size_t		i;
	int		bad;

	bad = 0;
	json_object_foreach(o, key, v) {
		for (i = 0; allowed[i] != NULL; i++) {
			if (strcmp(allowed[i], key) == 0)
				break;
		}
		if (allowed[i] == NULL)
			bad |= form_fail(ctx, "Khóa «%s» không có trong định "
			    "dạng đề cương (viết sai tên?).", key) == -1;
	}

	return (bad ? -1 : 0);
}

static int
form_only(struct form_ctx *ctx, json_t *o, const struct form_only *only,
    int kind)
{
	size_t		i;
	int		bad;

	bad = 0;
	for (i = 0; only[i].key != NULL; i++) {
		if (json_object_get(o, only[i].key) != NULL &&
		    (only[i].mask & (1U << kind)) == 0)
			bad |= form_fail(ctx, "Khóa «%s» chỉ dùng cho %s.",
			    only[i].key, only[i].what) == -1;
	}

	return (bad ? -1 : 0);
}

/* A string; out (if not NULL) gets a copy, "" when optional and absent. */
static int
form_str(struct form_ctx *ctx, json_t *o, const char *key, int flags,
    char **out)
{
	json_t		*v;
	const char	*s;

	v = json_object_get(o, key);
	if (v == NULL && (flags & FORM_REQ))
		return (form_fail(ctx, "Thiếu «%s».", key));
	if (v != NULL && !json_is_string(v))
		return (form_fail(ctx, "«%s» phải là một chuỗi.", key));
	s = v != NULL ? json_string_value(v) : "";
	if ((flags & FORM_NONEMPTY) && s[0] == '\0')
		return (form_fail(ctx, "«%s» không được để trống.", key));
	/* The struct holds C strings: "\u0000" would cut them short. */
	if (v != NULL && strlen(s) != json_string_length(v))
		return (form_fail(ctx, "«%s» có ký tự NUL.", key));

	if (out != NULL && (*out = strdup(s)) == NULL)
		return (form_nomem(ctx));

	return (0);
}

/* A JSON integer within [lo, hi]; 0 when optional and absent. */
static int
form_int(struct form_ctx *ctx, json_t *o, const char *key, int flags,
    int64_t lo, int64_t hi, int64_t *out)
{
	json_t		*v;

	*out = 0;
	if ((v = json_object_get(o, key)) == NULL) {
		if (flags & FORM_REQ)
			return (form_fail(ctx, "Thiếu «%s».", key));
		return (0);
	}
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi)
		return (form_fail(ctx, "«%s» phải là số nguyên từ %lld đến "
		    "%lld.", key, (long long)lo, (long long)hi));
	*out = (int64_t)json_integer_value(v);

	return (0);
}

static int
form_num(struct form_ctx *ctx, json_t *o, const char *key, double *out)
{
	json_t		*v;

	if ((v = json_object_get(o, key)) == NULL)
		return (form_fail(ctx, "Thiếu «%s».", key));
	if (!json_is_number(v))
		return (form_fail(ctx, "«%s» phải là một số.", key));
	*out = json_number_value(v);

	return (0);
}

/* Optional; false when absent. */
static int
form_bool(struct form_ctx *ctx, json_t *o, const char *key, int *out)
{
	json_t		*v;

	*out = 0;
	if ((v = json_object_get(o, key)) == NULL)
		return (0);
	if (!json_is_boolean(v))
		return (form_fail(ctx, "«%s» phải là true hoặc false.", key));
	*out = json_is_true(v);

	return (0);
}

/* One of the names; *out is left alone when optional and absent. */
static int
form_enum(struct form_ctx *ctx, json_t *o, const char *key, int flags,
    const struct form_name *names, int *out)
{
	json_t		*v;
	const char	*s;
	char		known[FORM_MSG_MAX];
	size_t		i, len;

	if ((v = json_object_get(o, key)) == NULL) {
		if (flags & FORM_REQ)
			return (form_fail(ctx, "Thiếu «%s».", key));
		return (0);
	}
	if ((s = json_string_value(v)) == NULL)
		return (form_fail(ctx, "«%s» phải là một chuỗi.", key));

	known[0] = '\0';
	for (i = 0; names[i].name != NULL; i++) {
		if (strcmp(names[i].name, s) == 0) {
			*out = names[i].value;
			return (0);
		}
		len = strlen(known);
		(void)snprintf(known + len, sizeof(known) - len, "%s%s",
		    i > 0 ? ", " : "", names[i].name);
	}

	return (form_fail(ctx, "«%s» không nhận giá trị «%s» (chỉ nhận: %s).",
	    key, s, known));
}

/* A code: lower case, digits, "_", and with dots when allowed. */
static int
form_code(struct form_ctx *ctx, json_t *o, const char *key, int dots,
    char **out)
{
	const char	*s;

	if (json_object_get(o, key) == NULL)
		return (form_fail(ctx, "Thiếu «%s».", key));
	if ((s = json_string_value(json_object_get(o, key))) == NULL)
		return (form_fail(ctx, "«%s» phải là một chuỗi.", key));
	if (!form_code_valid(s, dots))
		return (form_fail(ctx, "«%s» «%s» không hợp lệ: chữ thường "
		    "không dấu, chữ số, «_»%s, bắt đầu bằng chữ, tối đa 64 ký "
		    "tự.", key, s, dots ? " và dấu chấm giữa các phần" : ""));
	if ((*out = strdup(s)) == NULL)
		return (form_nomem(ctx));

	return (0);
}

/* ^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$, by hand: no regex for a few bytes. */
static int
form_code_valid(const char *s, int dots)
{
	size_t		i;

	if (!(s[0] >= 'a' && s[0] <= 'z') || strlen(s) > 64)
		return (0);
	for (i = 1; s[i] != '\0'; i++) {
		if ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_')
			continue;
		if (s[i] == '.' && dots && s[i + 1] != '\0' &&
		    s[i + 1] != '.')
			continue;
		return (0);
	}

	return (1);
}

/* Items and lists filled in so far; the slot being filled has the code. */
static int
form_code_taken(const struct form *f, const char *code)
{
	size_t		i, n;

	n = 0;
	for (i = 0; i < f->nitems; i++) {
		if (f->items[i].code != NULL &&
		    strcmp(f->items[i].code, code) == 0)
			n++;
	}
	for (i = 0; i < f->nlists; i++) {
		if (f->lists[i].code != NULL &&
		    strcmp(f->lists[i].code, code) == 0)
			n++;
	}

	/* The caller's own slot already holds the code. */
	return (n > 1);
}
