/*
 * One outline version against another: what a new version adds, retires
 * and changes (shown to the administrator before it is activated), and
 * whether it keeps the promise of stable codes (an item code means the
 * same kind of figure in every version, so that consolidation and
 * trends may follow it across versions).  Pure C over jansson.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "form_int.h"

static json_t	*form_diff_part(void);
static int	form_kind_known(const char *);
static void	form_diff_items(const struct form *, const struct form *,
		    json_t *);
static void	form_diff_named(json_t *, json_t *, const char *,
		    const char *, const char *, json_t *);
static json_t	*form_item_json(const struct form *, int, char *, size_t);
static json_t	*form_named_json(json_t *, const char *, const char *);
static json_t	*form_fields(json_t *, json_t *);

/*
 * {"added": {"items", "lists", "checks"}, "removed": {...},
 * "changed": {...}}: items as {"code", "label", "section"}, lists as
 * {"code", "label"}, checks as {"rule", "message"}; a changed one also
 * has "fields", the keys that differ (for an item also its "section",
 * and "applies" or "stations" when inherited from a section that
 * changed).  old NULL: everything is added.
 */
json_t *
form_diff(const struct form *old, const struct form *new)
{
	json_t		*d, *oj, *nj;

	d = json_pack("{s:o, s:o, s:o}", "added", form_diff_part(),
	    "removed", form_diff_part(), "changed", form_diff_part());
	if (d == NULL || new == NULL)
		return (d);

	form_diff_items(old, new, d);
	oj = old != NULL ? old->json : NULL;
	nj = new->json;
	form_diff_named(json_object_get(oj, "lists"),
	    json_object_get(nj, "lists"), "lists", "code", "label", d);
	form_diff_named(json_object_get(oj, "checks"),
	    json_object_get(nj, "checks"), "checks", "rule", "message", d);

	return (d);
}

/*
 * Items of def (an outline's JSON, whether or not it loads) whose code
 * is an item of an earlier version with another kind, or a list there,
 * and lists of def that are items there: a problem each, appended to
 * problems as {"where", "message"} at its place in def.
 */
void
form_stable(const struct form *earlier, int version, json_t *def,
    json_t *problems)
{
	json_t		*sec, *items, *it;
	const char	*code, *kind;
	char		where[160], msg[FORM_MSG_MAX];
	size_t		i, j;
	int		k;

	if (earlier == NULL)
		return;
	json_array_foreach(json_object_get(def, "sections"), i, sec) {
		items = json_object_get(sec, "items");
		json_array_foreach(items, j, it) {
			code = json_string_value(json_object_get(it, "code"));
			kind = json_string_value(json_object_get(it, "kind"));
			/* An unknown kind is the loader's to tell. */
			if (code == NULL || (kind != NULL &&
			    !form_kind_known(kind)))
				continue;
			msg[0] = '\0';
			if ((k = form_item_index(earlier, code)) != -1 &&
			    kind != NULL && strcmp(kind,
			    form_kind_name(earlier->items[k].kind)) != 0)
				(void)snprintf(msg, sizeof(msg), "Mã «%s» là "
				    "mục loại %s trong phiên bản %d, ở đây là "
				    "loại %s: mỗi mã giữ một ý nghĩa qua mọi "
				    "phiên bản; nội dung mới cần một mã mới.",
				    code, form_kind_name(earlier->items[k].kind),
				    version, kind);
			else if (form_list_index(earlier, code) != -1)
				(void)snprintf(msg, sizeof(msg), "Mã «%s» là "
				    "một danh sách trong phiên bản %d: đặt cho "
				    "mục này một mã mới.", code, version);
			if (msg[0] == '\0')
				continue;
			(void)snprintf(where, sizeof(where), "sections[%zu]."
			    "items[%zu] (%s)", i, j, code);
			json_array_append_new(problems, json_pack("{s:s, s:s}",
			    "where", where, "message", msg));
		}
	}
	json_array_foreach(json_object_get(def, "lists"), i, it) {
		code = json_string_value(json_object_get(it, "code"));
		if (code == NULL || form_item_index(earlier, code) == -1)
			continue;
		(void)snprintf(where, sizeof(where), "lists[%zu] (%s)", i,
		    code);
		(void)snprintf(msg, sizeof(msg), "Mã «%s» là một mục trong "
		    "phiên bản %d: đặt cho danh sách này một mã mới.", code,
		    version);
		json_array_append_new(problems, json_pack("{s:s, s:s}",
		    "where", where, "message", msg));
	}
}

static int
form_kind_known(const char *name)
{
	int		k;

	for (k = FORM_COUNT; k <= FORM_SUM; k++) {
		if (!strcmp(form_kind_name(k), name))
			return (1);
	}

	return (0);
}

static json_t *
form_diff_part(void)
{
	return (json_pack("{s:[], s:[], s:[]}", "items", "lists", "checks"));
}

static void
form_diff_items(const struct form *old, const struct form *new, json_t *d)
{
	const struct form_item	*a, *b;
	json_t			*ja, *jb, *fields;
	size_t			i;
	int			k;
	char			where[160];

	for (i = 0; i < new->nitems; i++) {
		b = &new->items[i];
		k = form_item_index(old, b->code);
		if (k == -1) {
			json_array_append_new(json_object_get(json_object_get(d,
			    "added"), "items"), json_pack("{s:s, s:s, s:s}",
			    "code", b->code, "label", b->label, "section",
			    new->sections[b->section].id));
			continue;
		}
		a = &old->items[k];
		ja = form_item_json(old, k, where, sizeof(where));
		jb = form_item_json(new, (int)i, where, sizeof(where));
		fields = form_fields(ja, jb);
		json_decref(ja);
		json_decref(jb);
		if (strcmp(old->sections[a->section].id,
		    new->sections[b->section].id) != 0)
			json_array_append_new(fields, json_string("section"));
		/* Inherited from the section: not seen in the item's keys. */
		if (a->applies != b->applies &&
		    json_object_get(jb, "applies") == NULL)
			json_array_append_new(fields, json_string("applies"));
		if (a->stations != b->stations)
			json_array_append_new(fields, json_string("stations"));
		if (json_array_size(fields) == 0) {
			json_decref(fields);
			continue;
		}
		json_array_append_new(json_object_get(json_object_get(d,
		    "changed"), "items"), json_pack("{s:s, s:s, s:s, s:o}",
		    "code", b->code, "label", b->label, "section",
		    new->sections[b->section].id, "fields", fields));
	}

	for (i = 0; old != NULL && i < old->nitems; i++) {
		a = &old->items[i];
		if (form_item_index(new, a->code) != -1)
			continue;
		json_array_append_new(json_object_get(json_object_get(d,
		    "removed"), "items"), json_pack("{s:s, s:s, s:s}",
		    "code", a->code, "label", a->label, "section",
		    old->sections[a->section].id));
	}
}

/* Lists or checks, by their code key, compared as the JSON loaded. */
static void
form_diff_named(json_t *olds, json_t *news, const char *part,
    const char *key, const char *label, json_t *d)
{
	json_t		*o, *n, *fields;
	const char	*code;
	size_t		i;

	json_array_foreach(news, i, n) {
		code = json_string_value(json_object_get(n, key));
		o = form_named_json(olds, key, code);
		if (o == NULL) {
			json_array_append_new(json_object_get(json_object_get(d,
			    "added"), part), json_pack("{s:s, s:O}", key, code,
			    label, json_object_get(n, label)));
			continue;
		}
		fields = form_fields(o, n);
		if (json_array_size(fields) == 0) {
			json_decref(fields);
			continue;
		}
		json_array_append_new(json_object_get(json_object_get(d,
		    "changed"), part), json_pack("{s:s, s:O, s:o}", key, code,
		    label, json_object_get(n, label), "fields", fields));
	}
	json_array_foreach(olds, i, o) {
		code = json_string_value(json_object_get(o, key));
		if (form_named_json(news, key, code) != NULL)
			continue;
		json_array_append_new(json_object_get(json_object_get(d,
		    "removed"), part), json_pack("{s:s, s:O}", key, code,
		    label, json_object_get(o, label)));
	}
}

/*
 * The JSON object of item idx as loaded (a new reference), with its
 * place in where: the same walk as the loader's, so that the place is
 * the one the loader would name.
 */
static json_t *
form_item_json(const struct form *f, int idx, char *where, size_t len)
{
	json_t		*items;
	size_t		i, n;

	n = 0;
	for (i = 0; i < f->nsections; i++) {
		items = json_object_get(json_array_get(json_object_get(f->json,
		    "sections"), i), "items");
		if ((size_t)idx < n + json_array_size(items)) {
			(void)snprintf(where, len, "sections[%zu].items[%zu] "
			    "(%s)", i, (size_t)idx - n, f->items[idx].code);
			return (json_incref(json_array_get(items,
			    (size_t)idx - n)));
		}
		n += json_array_size(items);
	}
	(void)snprintf(where, len, "%s", f->items[idx].code);

	return (NULL);
}

static json_t *
form_named_json(json_t *a, const char *key, const char *code)
{
	json_t		*o;
	size_t		i;

	if (code == NULL)
		return (NULL);
	json_array_foreach(a, i, o) {
		if (json_is_string(json_object_get(o, key)) &&
		    strcmp(json_string_value(json_object_get(o, key)),
		    code) == 0)
			return (o);
	}

	return (NULL);
}

/* The keys of either object whose values differ, in new's order. */
static json_t *
form_fields(json_t *a, json_t *b)
{
	json_t		*out, *v;
	const char	*k;

	out = json_array();
	json_object_foreach(b, k, v) {
		if (!json_equal(v, json_object_get(a, k)))
			json_array_append_new(out, json_string(k));
	}
	json_object_foreach(a, k, v) {
		if (json_object_get(b, k) == NULL)
			json_array_append_new(out, json_string(k));
	}

	return (out);
}

/*
 * The items and lists of f that other does not have, as an array of
 * codes: what a figure filed under other cannot say (absent, not 0).
 * Empty when other is NULL or f itself.
 */
json_t *
form_absent(const struct form *f, const struct form *other)
{
	json_t		*a;
	size_t		i;

	a = json_array();
	if (f == NULL || other == NULL || other == f)
		return (a);
	for (i = 0; i < f->nitems; i++) {
		if (form_item_index(other, f->items[i].code) == -1)
			json_array_append_new(a, json_string(f->items[i].code));
	}
	for (i = 0; i < f->nlists; i++) {
		if (form_list_index(other, f->lists[i].code) == -1)
			json_array_append_new(a, json_string(f->lists[i].code));
	}

	return (a);
}
