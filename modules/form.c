/*
 * The report outlines as data (forms/PL1.json, forms/PL2.json and the
 * versions stored after them): what every part of the core asks of a
 * loaded outline.  Lookups by code, who reports what, freeing, and the
 * small text and date rules the loader, the body checks and the check
 * engine share.  Loading is form_load.c, the shape of a report body
 * form_body.c, derived values form_derive.c, versions compared
 * form_diff.c.  What the outline means is in the files; this code only
 * knows the format (forms/README.md).
 */
#define PCRE2_CODE_UNIT_WIDTH	8

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <pcre2.h>

#include "form_int.h"

void
form_free(struct form *f)
{
	struct form_list	*l;
	struct form_column	*c;
	size_t			i, j, k;

	if (f == NULL)
		return;

	for (i = 0; i < f->nsections; i++) {
		free(f->sections[i].id);
		free(f->sections[i].title);
		free(f->sections[i].who);
	}
	for (i = 0; i < f->nitems; i++) {
		free(f->items[i].code);
		free(f->items[i].label);
		free(f->items[i].unit);
		free(f->items[i].sum_of);
	}
	for (i = 0; i < f->nlists; i++) {
		l = &f->lists[i];
		for (j = 0; j < l->ncols; j++) {
			c = &l->cols[j];
			for (k = 0; k < c->nchoices; k++) {
				free(c->choices[k]);
				free(c->choice_labels[k]);
			}
			free(c->choices);
			free(c->choice_labels);
			free(c->code);
			free(c->label);
		}
		free(l->cols);
		free(l->code);
		free(l->label);
	}
	for (i = 0; i < f->nchecks; i++) {
		free(f->checks[i].rule);
		free(f->checks[i].message);
		free(f->checks[i].items);
		pcre2_code_free(f->checks[i].re);
	}

	free(f->sections);
	free(f->items);
	free(f->lists);
	free(f->checks);
	free(f->title);
	json_decref(f->json);
	free(f);
}

int
form_item_index(const struct form *f, const char *code)
{
	size_t		i;

	if (f == NULL || code == NULL)
		return (-1);
	/* While a definition is read, a broken item has no code yet. */
	for (i = 0; i < f->nitems; i++) {
		if (f->items[i].code != NULL &&
		    strcmp(f->items[i].code, code) == 0)
			return ((int)i);
	}

	return (-1);
}

int
form_list_index(const struct form *f, const char *code)
{
	size_t		i;

	if (f == NULL || code == NULL)
		return (-1);
	for (i = 0; i < f->nlists; i++) {
		if (f->lists[i].code != NULL &&
		    strcmp(f->lists[i].code, code) == 0)
			return ((int)i);
	}

	return (-1);
}

int
form_item_applies(const struct form *f, int item, const struct form_unit *u)
{
	if (f == NULL || item < 0 || (size_t)item >= f->nitems)
		return (0);

	return (form_applies_to(f->items[item].applies, u));
}

int
form_list_applies(const struct form *f, int list, const struct form_unit *u)
{
	if (f == NULL || list < 0 || (size_t)list >= f->nlists)
		return (0);

	return (form_applies_to(f->lists[list].applies, u));
}

int
form_is_derived(const struct form_item *it)
{
	return (form_kind_derived(it->kind));
}

/* Strict "YYYY-MM-DD" naming a real day of the years 1900 to 2100. */
int
form_date_valid(const char *s)
{
	static const int	mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			y, m, d, last, i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return (0);
	for (i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return (0);
	}

	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');

	/* "0023-06-15" is a real day, but never one a report speaks of. */
	if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1)
		return (0);

	last = mdays[m - 1];
	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		last = 29;

	return (d <= last);
}

/*
 * Who reports: a unit's flags say whether it issues driver certificates,
 * is a hospital or is the CDC; "care" is every unit that treats patients,
 * which is every unit but the CDC and the Department's own office.
 */
int
form_applies_to(int applies, const struct form_unit *u)
{
	if (u == NULL)
		return (0);

	switch (applies) {
	case FORM_APPLIES_ALL:
		return (1);
	case FORM_APPLIES_GKSKLX:
		return (u->gksklx != 0);
	case FORM_APPLIES_HOSPITAL:
		return (u->hospital != 0);
	case FORM_APPLIES_CDC:
		return (u->cdc != 0);
	case FORM_APPLIES_CARE:
		if (u->kind == NULL)
			return (1);
		return (strcmp(u->kind, "cdc") != 0 &&
		    strcmp(u->kind, "department_office") != 0);
	default:
		return (0);
	}
}

int
form_kind_numeric(int kind)
{
	return (kind == FORM_COUNT || kind == FORM_MONEY ||
	    kind == FORM_LEVEL || kind == FORM_RATE || kind == FORM_SUM);
}

int
form_kind_derived(int kind)
{
	return (kind == FORM_RATE || kind == FORM_SUM);
}

const char *
form_kind_name(int kind)
{
	switch (kind) {
	case FORM_COUNT:
		return ("count");
	case FORM_MONEY:
		return ("money");
	case FORM_LEVEL:
		return ("level");
	case FORM_TEXT:
		return ("text");
	case FORM_RATE:
		return ("rate");
	case FORM_SUM:
		return ("sum");
	default:
		return ("");
	}
}

/*
 * Characters (code points) in valid UTF-8, which jansson guarantees; -1
 * on a control character other than newline and tab: C0, DEL and C1.
 */
int
form_text_scan(const char *s, size_t len, size_t *nchars)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			i;

	*nchars = 0;
	for (i = 0; i < len; i++) {
		if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\t')
			return (-1);
		if (p[i] == 0x7f)
			return (-1);
		if (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f)
			return (-1);
		if ((p[i] & 0xc0) != 0x80)
			(*nchars)++;
	}

	return (0);
}

/* Only white space, the no-break space Word pastes included. */
int
form_blank(const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
			continue;
		if (p[0] == 0xc2 && p[1] == 0xa0) {
			p++;
			continue;
		}
		return (0);
	}

	return (1);
}

const char *
form_own_row(const struct form_unit *u)
{
	if (u == NULL || u->nstations == 0 || u->code == NULL)
		return (NULL);

	return (u->code);
}
