/*
 * The check engine: runs the "checks" of a form (forms/PL1.json,
 * forms/PL2.json) over one report and says what is wrong (errors) or
 * unusual (warnings).
 * Pure C over jansson and PCRE2: no Kore, no database.
 *
 * A result is a JSON object:
 *   {"rule": "erx.linked_le_total", "severity": "error" | "warning",
 *    "message": "...", "items": ["erx.linked", "erx.total"]}
 * with, for a warning, "answered": true when one of its items has a
 * non-blank comment; for a station row, "station": code (the message
 * starts "Trạm <code>: "); for a list row, "list", "row" (from 1) and
 * "column" (its items are then the list code); for a station rule
 * "<rule>.missing_station", "stations": [codes].
 */
#ifndef CHECK_H
#define CHECK_H

#include <jansson.h>

#include "form.h"

/*
 * The results of every check of f that applies to unit u, as a new
 * array (empty when all is well).  values must already hold the derived
 * items (form_derive); history is the unit's earlier reports of the same
 * form, newest first: [{"period": "2023-07", "values": {...}}, ...].
 * Any of values, stations, lists, comments, history may be NULL; so may
 * w, or its dates, in which case no date is checked.  NULL when out of
 * memory: a partial list could let a bad report through.
 */
json_t	*check_run(const struct form *f, const struct form_unit *u,
	    const struct form_window *w, json_t *values, json_t *stations,
	    json_t *lists, json_t *comments, json_t *history);

/*
 * 1 if results stop a submission: any error, a warning not answered, or
 * no results array at all (check_run ran out of memory).
 */
int	check_blocking(json_t *results);

#endif
