/*
 * The handlers the route table of route.c calls, by module.  Each is the
 * first step of a request, called once authentication, the role and the
 * CSRF token have been checked (or for a public route, at once).
 */
#ifndef ROUTE_H
#define ROUTE_H

#include "api.h"

/* health, calendar, units, accounts. */
int		health_get(struct api_ctx *);
int		cal_list(struct api_ctx *);
int		cal_update(struct api_ctx *);
int		cal_seed_json(int year, char *, size_t);
int		units_list(struct api_ctx *);
int		units_import(struct api_ctx *);
int		units_kinds(struct api_ctx *);
int		units_districts(struct api_ctx *);
int		areas_list(struct api_ctx *);
int		areas_put(struct api_ctx *);
int		areas_end(struct api_ctx *);
int		contacts_list(struct api_ctx *);
int		contacts_put(struct api_ctx *);
int		accounts_list(struct api_ctx *);
int		accounts_create(struct api_ctx *);
int		accounts_bulk(struct api_ctx *);
int		accounts_reset(struct api_ctx *);
int		accounts_unlock(struct api_ctx *);
int		accounts_deactivate(struct api_ctx *);
int		accounts_activate(struct api_ctx *);

/* reports, tokens, review, consolidation. */
int		report_get(struct api_ctx *);
int		report_put(struct api_ctx *);
int		report_submit(struct api_ctx *);
int		reports_list(struct api_ctx *);
int		tokens_list(struct api_ctx *);
int		tokens_create(struct api_ctx *);
int		tokens_revoke(struct api_ctx *);
int		review_list(struct api_ctx *);
int		review_return(struct api_ctx *);
int		review_accept(struct api_ctx *);
int		review_reopen(struct api_ctx *);
int		review_bulk(struct api_ctx *);
int		completeness_get(struct api_ctx *);
int		cons_get(struct api_ctx *);

/* documents (docs.c). */
int		docs_signed_put(struct api_ctx *);
int		docs_signed_get(struct api_ctx *);
int		docs_report_doc_put(struct api_ctx *);
int		docs_cons_doc_get(struct api_ctx *);
int		docs_cons_doc_put(struct api_ctx *);

/* notices (notify.c). */
int		notify_list(struct api_ctx *);
int		notify_reminders_put(struct api_ctx *);

#endif
