/*
 * The mail sender: conf/mail.conf read by the parent, and in each worker
 * one thread that sends the queue of sql/016_notices.sql through the
 * SMTP server with libcurl, woken by a Kore timer.
 */
#ifndef MAIL_SEND_H
#define MAIL_SEND_H

/* In the parent, before the workers fork: a broken file stops start-up. */
void	mail_configure(const char *root, const char *conninfo);

/* In a worker, once its sandbox is closed: starts its sender. */
void	mail_worker_start(void);

#endif
