/*
 * The documents' handlers (docs.c) that other handlers hand over to:
 * reports.c for .../{form}.pdf once the report is read, cons_api.c for
 * .../consolidated/{period}/{form}.pdf once it is consolidated.  Each
 * takes the JSON (its reference) and answers.
 */
#ifndef DOCS_H
#define DOCS_H

#include <jansson.h>

struct api_ctx;
struct form;

int	docs_report_pdf(struct api_ctx *, const struct form *, json_t *);
int	docs_cons_pdf(struct api_ctx *, const struct form *, json_t *,
	    const char *period);

#endif
