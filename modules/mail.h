/*
 * E-mail notices, the pure part: no Kore, no database, no network.
 *
 *   mail.c       a message as the bytes an SMTP server is given (RFC 5322
 *                headers, MIME, RFC 2047 words, base64 body), address
 *                checks, and the mail configuration file (conf/mail.conf)
 *   mail_text.c  what a notice says: the Vietnamese texts, in one table,
 *                and a notice's facts (as queued in PostgreSQL) made
 *                into a subject and a body
 *
 * The sender (mail_send.c) and the routes (notify.c) are the Kore side.
 */
#ifndef MAIL_H
#define MAIL_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#define MAIL_ADDR_MAX		254
#define MAIL_OFFICE_MAX		16
#define MAIL_REMIND_MAX		8
#define MAIL_TEXT_MAX		256

/* A message to build: every text is UTF-8; addresses are checked. */
struct mail_msg {
	const char	*from_name;	/* "" for none */
	const char	*from_addr;
	const char	*reply_to;	/* NULL or "" for none */
	const char	*to_name;	/* "" for none */
	const char	*to_addr;
	const char	*subject;
	const char	*body;		/* lines end in \n */
	const char	*message_id;	/* "left@right", without <> */
	time_t		date;
};

/* Why a message cannot be built. */
#define MAIL_OK			0
#define MAIL_BAD_TO		(-1)	/* the recipient is not an address */
#define MAIL_BAD_FROM		(-2)
#define MAIL_BAD_TEXT		(-3)	/* not UTF-8, or a control */
#define MAIL_BAD_ID		(-4)
#define MAIL_NO_MEMORY		(-5)

/*
 * The configuration of the sender (conf/mail.conf).  Numbers are whole
 * seconds unless they say otherwise.
 */
struct mail_conf {
	char	url[MAIL_TEXT_MAX];		/* smtp://host:587, smtps:// */
	char	resolve[MAIL_TEXT_MAX];		/* host:port:address, or "" */
	int	starttls;			/* 1: TLS required */
	char	username[MAIL_TEXT_MAX];
	char	password_file[MAIL_TEXT_MAX];
	char	cainfo[MAIL_TEXT_MAX];		/* CA certificates (PEM) */
	char	login_options[64];		/* e.g. AUTH=PLAIN */
	char	from_addr[MAIL_ADDR_MAX + 1];
	char	from_name[MAIL_TEXT_MAX];
	char	reply_to[MAIL_ADDR_MAX + 1];
	char	id_domain[MAIL_TEXT_MAX];	/* right of @ in Message-ID */
	char	portal_url[MAIL_TEXT_MAX];	/* for the links */
	char	office[MAIL_OFFICE_MAX][MAIL_ADDR_MAX + 1];
	size_t	noffice;
	int	remind_days[MAIL_REMIND_MAX];	/* days before the deadline */
	size_t	nremind;
	int	digest_hour;			/* 0-23, Asia/Ho_Chi_Minh */
	int	interval;			/* between wakes of a sender */
	int	batch;				/* messages per wake, at most */
	int	attempts;			/* then failed */
	int	retry_base;			/* first wait; doubles */
	int	retry_max;
	int	connect_timeout;
	int	timeout;			/* one message, whole */
};

int		mail_addr_ok(const char *);
void		mail_date(time_t, char *, size_t);
size_t		mail_base64(const unsigned char *, size_t, char *, size_t);
int		mail_message(const struct mail_msg *, char **, size_t *);

void		mail_conf_defaults(struct mail_conf *);
int		mail_conf_parse(struct mail_conf *, const char *text,
		    char *err, size_t errlen);

/* mail_text.c: the notices' words. */

/* The name of an item of a form ("erx.total"), or NULL when unknown. */
typedef const char	*(*mail_label_fn)(void *, const char *form,
			    const char *code);

/* What a notice says, to free with mail_text_free. */
struct mail_text {
	char		*subject;
	char		*body;
};

/* Longest list a digest spells out; the rest are counted. */
#define MAIL_DIGEST_LINES	300

int		mail_render(const char *kind, json_t *data,
		    const char *portal_url, mail_label_fn, void *,
		    struct mail_text *);
char		*mail_subject(const char *kind, json_t *data);
void		mail_text_free(struct mail_text *);
const char	*mail_kind_ok(const char *);
const char	*mail_error_text(const char *code);
char		*mail_error_describe(const char *code, const char *detail,
		    const char *status, int attempts);
char		*mail_fill(const char *tmpl, const char *const *vars);

#endif
