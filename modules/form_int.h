/*
 * What the parts of the outline core share and nobody else needs:
 * form.c (lookups, who reports, freeing), form_load.c (reading and
 * validating a definition), form_body.c (the shape and kinds of a report
 * body), form_derive.c (derived values, months to a longer period) and
 * form_diff.c (one version against the one before).  Not for handlers:
 * they use form.h.
 */
#ifndef FORM_INT_H
#define FORM_INT_H

#include "form.h"

#define FORM_MSG_MAX		512

/* A count, money, level, rate or sum: something with a figure. */
int	form_kind_numeric(int kind);
/* A rate or a sum: computed, never typed. */
int	form_kind_derived(int kind);
/* The value of "applies" for this unit: 1 when it reports. */
int	form_applies_to(int applies, const struct form_unit *);
/* The name of an item kind ("count"), "" for none. */
const char	*form_kind_name(int kind);

/*
 * Characters (code points) of valid UTF-8; -1 on a control character
 * other than newline and tab: C0, DEL and C1.
 */
int	form_text_scan(const char *, size_t, size_t *);

#endif
