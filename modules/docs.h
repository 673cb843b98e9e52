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

/*
 * cons is the statement's answer as parsed, before cons_complete (done
 * on the task thread, by the versions outline_need loaded); slot the
 * caller's export slot, handed over to the job.
 */
int	docs_cons_pdf(struct api_ctx *, const struct form *, json_t *,
	    const char *period, int *slot);

/*
 * The worker's exports at once (documents, workbooks, tables), bounded
 * per worker (api_bound_take): take answers 503 with Retry-After and
 * returns 0 when none is free; give is a no-op for a slot not held.
 */
int	docs_export_take(struct api_ctx *, int *slot);
void	docs_export_give(int *slot);

#endif
