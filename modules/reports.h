#ifndef REPORTS_H
#define REPORTS_H

#include <stddef.h>

#include <jansson.h>

struct form;

/*
 * The checks of a report given its context (the statement
 * report_context): with the parts given, or as stored.
 */
json_t	*reports_checks(const struct form *, json_t *ctx, json_t *values,
	    json_t *stations, json_t *lists, json_t *comments);
json_t	*reports_stored_checks(const struct form *, json_t *ctx);

/*
 * The outline versions a context needs loaded (outline_need): its
 * "form_version" and those of "form_versions" ({period: version}), both
 * set by the caller from the statement's columns.  The count in vs.
 */
size_t	reports_versions(json_t *ctx, int *vs, size_t max);

#endif
