#ifndef REPORTS_H
#define REPORTS_H

/* Load forms/PL1.json and forms/PL2.json; a broken file stops start-up. */
void	reports_load_forms(const char *dir);

struct form;

/* A loaded form by code ("PL1", "PL2"), NULL if there is none. */
const struct form	*reports_form(const char *code);

#include <jansson.h>

/*
 * The checks of a report given its context (the statement
 * report_context): with the parts given, or as stored.
 */
json_t	*reports_checks(const struct form *, json_t *ctx, json_t *values,
	    json_t *stations, json_t *lists, json_t *comments);
json_t	*reports_stored_checks(const struct form *, json_t *ctx);

#endif
