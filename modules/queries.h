/*
 * The names of the statements in sql/queries.sql.  db_load_queries()
 * refuses to start when one of these is missing from the file or the file
 * has one that is not listed here.
 */
#ifndef QUERIES_H
#define QUERIES_H

#define DB_QUERIES					\
	Q(Q_HEALTH,		"health")		\
	Q(Q_SESSION_TOUCH,	"session_touch")	\
	Q(Q_LOGIN_ATTEMPT,	"login_attempt")	\
	Q(Q_SESSION_CREATE,	"session_create")	\
	Q(Q_SESSION_UNIT,	"session_unit")		\
	Q(Q_SESSION_DELETE,	"session_delete")	\
	Q(Q_PASSWORD_SET,	"password_set")		\
	Q(Q_PERIODS_YEAR,	"periods_year")		\
	Q(Q_PERIOD_UPDATE,	"period_update")	\
	Q(Q_PERIODS_SEED,	"periods_seed")		\
	Q(Q_ACCOUNTS_LIST,	"accounts_list")	\
	Q(Q_ACCOUNT_CREATE,	"account_create")	\
	Q(Q_ACCOUNT_RESET,	"account_reset")	\
	Q(Q_ACCOUNT_UNLOCK,	"account_unlock")	\
	Q(Q_ACCOUNT_SET_ACTIVE,	"account_set_active")	\
	Q(Q_BULK_CANDIDATES,	"bulk_candidates")	\
	Q(Q_ACCOUNTS_BULK_CREATE, "accounts_bulk_create") \
	Q(Q_UNITS_LIST,		"units_list")		\
	Q(Q_UNITS_IMPORT,	"units_import")		\
	Q(Q_UNITS_IMPORT_CHECK,	"units_import_check")	\
	Q(Q_DISTRICTS_LIST,	"districts_list")	\
	Q(Q_AREAS_LIST,		"areas_list")		\
	Q(Q_AREA_PUT,		"area_put")		\
	Q(Q_AREA_END,		"area_end")		\
	Q(Q_CONTACTS_LIST,	"contacts_list")	\
	Q(Q_CONTACT_PUT,	"contact_put")		\
	Q(Q_TOKEN_TOUCH,	"token_touch")		\
	Q(Q_TOKENS_LIST,	"tokens_list")		\
	Q(Q_TOKEN_CREATE,	"token_create")		\
	Q(Q_TOKEN_REVOKE,	"token_revoke")		\
	Q(Q_REPORT_CONTEXT,	"report_context")	\
	Q(Q_REPORT_SAVE,	"report_save")		\
	Q(Q_REPORT_SUBMIT,	"report_submit")	\
	Q(Q_REPORTS_LIST,	"reports_list")		\
	Q(Q_REVIEW_ACTION,	"review_action")	\
	Q(Q_REVIEW_BULK,	"review_bulk")		\
	Q(Q_REVIEW_SUBMITTED,	"review_submitted")	\
	Q(Q_REVIEW_LIST,	"review_list")		\
	Q(Q_COMPLETENESS,	"completeness")		\
	Q(Q_PERIOD_DAY,		"period_day")		\
	Q(Q_CONSOLIDATE,	"consolidate")		\
	Q(Q_CONSOLIDATE_DETAIL,	"consolidate_detail")	\
	Q(Q_SIGNED_PUT,		"signed_put")		\
	Q(Q_SIGNED_GET,		"signed_get")		\
	Q(Q_REPORT_DOC_PUT,	"report_doc_put")	\
	Q(Q_CONS_DOC_GET,	"cons_doc_get")		\
	Q(Q_CONS_DOC_PUT,	"cons_doc_put")	\
	Q(Q_NOTICE_CLAIM,	"notice_claim")		\
	Q(Q_NOTICE_SENT,	"notice_sent")		\
	Q(Q_NOTICE_FAILED,	"notice_failed")	\
	Q(Q_NOTICE_SCHEDULE,	"notice_schedule")	\
	Q(Q_NOTICES_LIST,	"notices_list")		\
	Q(Q_REMINDERS_SET,	"reminders_set")		\
	Q(Q_FORM_VERSION_AT,	"form_version_at")	\
	Q(Q_FORM_VERSION_GET,	"form_version_get")	\
	Q(Q_FORM_VERSIONS_LIST,	"form_versions_list")	\
	Q(Q_FORM_VERSION_PLAN,	"form_version_plan")	\
	Q(Q_FORM_VERSION_ADD,	"form_version_add")

enum db_query {
#define Q(id, name)	id,
	DB_QUERIES
#undef Q
	Q_COUNT
};

#endif
