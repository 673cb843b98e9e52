/*
 * A streamed answer: HTTP/1.1 chunked, written as the handler produces
 * it, at the client's pace.  For answers too big to build whole (a
 * country's consolidation, tens of megabytes): the handler writes pieces
 * and asks api_stream_busy() before producing more; while the client has
 * not taken the chunk in flight and the next one is full, the request
 * sleeps (and reads nothing more from PostgreSQL), and Kore wakes it when
 * the chunk is sent.  So a worker holds two chunks per answer, whatever
 * the client's speed.
 *
 * Kore's own netbuf of a stream (net_send_stream) points into our chunk
 * and calls back when it is sent, or dropped with its connection: the
 * chunk is never freed while Kore may still read it.  A client that goes
 * away, or stops reading for API_STREAM_STALL, ends the request; the
 * handler's clean-up (the cursor's connection closed, db.c) follows.
 */
#include <sys/types.h>

#include <stdio.h>
#include <string.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "api.h"

#define API_STREAM_CHUNK	(64 * 1024)
/* A client that takes nothing for so long is gone (nginx: send_timeout). */
#define API_STREAM_STALL	30000
#define API_STREAM_TICK		5000

struct api_stream {
	struct http_request	*req;
	struct kore_buf		fill;		/* being written */
	struct kore_buf		out;		/* the chunk in flight */
	struct netbuf		*nb;		/* Kore's, while in flight */
	struct kore_timer	*timer;
	u_int64_t		progress;	/* last time a chunk went */
	size_t			sent;		/* body bytes handed over */
	int			gone;		/* the connection is closing */
	int			raw;		/* HTTP/1.0: no chunks, the end
						   is the connection's */
	int			close;		/* close once it is all sent */
};

static int	api_stream_sent(struct netbuf *);
static void	api_stream_tick(void *, u_int64_t);
static void	api_stream_send(struct api_stream *);
static void	api_stream_frame(struct api_stream *, struct kore_buf *,
		    const struct kore_buf *);

/*
 * The headers, now: 200, chunked, no Content-Length.  The connection
 * reads no next request until the answer is whole (CONN_IS_BUSY), as
 * Kore's own streamed answers do.
 */
int
api_stream_begin(struct api_ctx *ctx, const char *ctype)
{
	struct api_stream	*s;
	struct http_request	*req = ctx->req;

	s = kore_calloc(1, sizeof(*s));
	s->req = req;
	kore_buf_init(&s->fill, API_STREAM_CHUNK + 8192);
	kore_buf_init(&s->out, API_STREAM_CHUNK + 8192);
	s->progress = kore_time_ms();
	s->timer = kore_timer_add(api_stream_tick, API_STREAM_TICK, s, 0);
	ctx->stream = s;

	api_headers(req, ctype);
	/* HTTP/1.0 knows no chunks: Kore closes its connection at the end. */
	if (req->flags & HTTP_VERSION_1_0)
		s->raw = 1;
	else
		http_response_header(req, "transfer-encoding", "chunked");
	req->flags |= HTTP_REQUEST_NO_CONTENT_LENGTH;
	req->owner->flags |= CONN_IS_BUSY;
	http_response(req, 200, NULL, 0);
	/*
	 * Kore closes a connection that asked for it (HTTP/1.0,
	 * "Connection: close") as soon as nothing is left to send, which
	 * between two chunks would cut the answer: only at the end.
	 */
	if (req->owner->flags & CONN_CLOSE_EMPTY) {
		s->close = 1;
		req->owner->flags &= ~CONN_CLOSE_EMPTY;
	}
	if (!net_send_flush(req->owner))
		s->gone = 1;

	return (0);
}

void
api_stream_write(struct api_ctx *ctx, const void *data, size_t len)
{
	struct api_stream	*s = ctx->stream;

	if (s->gone)
		return;
	kore_buf_append(&s->fill, data, len);
	if (s->fill.offset >= API_STREAM_CHUNK && s->nb == NULL)
		api_stream_send(s);
}

void
api_stream_puts(struct api_ctx *ctx, const char *str)
{
	api_stream_write(ctx, str, strlen(str));
}

/*
 * 1 while the client has not taken the chunk in flight and the next is
 * full: produce nothing more, sleep (Kore wakes the request when the
 * chunk is sent).  A client gone is never busy: its answer is dropped as
 * it is written, and the handler's next step sees api_stream_gone().
 */
int
api_stream_busy(struct api_ctx *ctx)
{
	struct api_stream	*s = ctx->stream;

	if (s->gone)
		return (0);
	if (s->nb == NULL && s->fill.offset >= API_STREAM_CHUNK)
		api_stream_send(s);
	if (s->nb != NULL && s->fill.offset >= API_STREAM_CHUNK) {
		http_request_sleep(ctx->req);
		return (1);
	}

	return (0);
}

int
api_stream_gone(struct api_ctx *ctx)
{
	return (ctx->stream == NULL || ctx->stream->gone);
}

size_t
api_stream_size(struct api_ctx *ctx)
{
	struct api_stream	*s = ctx->stream;

	return (s->sent + s->fill.offset);
}

/*
 * The last chunk and the end of the body, once the chunk in flight is
 * sent (API_WAIT until then: call again when woken).  Kore owns what is
 * queued here (a copy), so the request may end at once.
 */
int
api_stream_end(struct api_ctx *ctx)
{
	struct api_stream	*s = ctx->stream;
	struct connection	*c = ctx->req->owner;
	struct kore_buf		*b;

	if (s->gone || c == NULL)
		return (api_stream_abort(ctx));
	if (s->nb != NULL) {
		http_request_sleep(ctx->req);
		return (API_WAIT);
	}

	b = kore_buf_alloc(s->fill.offset + 32);
	if (s->fill.offset > 0)
		api_stream_frame(s, b, &s->fill);
	if (!s->raw)
		kore_buf_append(b, "0\r\n\r\n", 5);
	net_send_queue(c, b->data, b->offset);
	s->sent += s->fill.offset;
	kore_buf_reset(&s->fill);
	kore_buf_free(b);

	c->flags &= ~CONN_IS_BUSY;
	if (s->close)
		c->flags |= CONN_CLOSE_EMPTY;
	else
		http_start_recv(c);

	return (API_DONE);
}

/*
 * Cut short: a failure once the headers are gone (the statement failed
 * half-way) or a client gone.  The chunked body never ends, so the
 * client knows the answer is incomplete; the connection closes.
 */
int
api_stream_abort(struct api_ctx *ctx)
{
	struct api_stream	*s = ctx->stream;
	struct connection	*c = ctx->req->owner;

	s->gone = 1;
	if (c != NULL) {
		/* Kore's netbuf goes first: it points into our chunk. */
		if (s->nb != NULL)
			net_remove_netbuf(c, s->nb);
		c->flags &= ~CONN_IS_BUSY;
		kore_connection_disconnect(c);
	}

	return (API_DONE);
}

/* route.c, as the request is freed. */
void
api_stream_free(struct api_ctx *ctx)
{
	struct api_stream	*s = ctx->stream;

	if (s == NULL)
		return;
	ctx->stream = NULL;
	if (s->nb != NULL && ctx->req->owner != NULL)
		net_remove_netbuf(ctx->req->owner, s->nb);
	if (s->nb != NULL)
		fatal("api_stream_free: a chunk still in flight");
	if (s->timer != NULL)
		kore_timer_remove(s->timer);
	kore_buf_cleanup(&s->fill);
	kore_buf_cleanup(&s->out);
	kore_free(s);
}

static void
api_stream_frame(struct api_stream *s, struct kore_buf *b,
    const struct kore_buf *data)
{
	if (!s->raw)
		kore_buf_appendf(b, "%zx\r\n", data->offset);
	kore_buf_append(b, data->data, data->offset);
	if (!s->raw)
		kore_buf_append(b, "\r\n", 2);
}

/* What is written so far as one chunk, handed to Kore without a copy. */
static void
api_stream_send(struct api_stream *s)
{
	struct connection	*c = s->req->owner;

	if (c == NULL) {
		s->gone = 1;
		return;
	}
	kore_buf_reset(&s->out);
	api_stream_frame(s, &s->out, &s->fill);
	s->sent += s->fill.offset;
	kore_buf_reset(&s->fill);

	net_send_stream(c, s->out.data, s->out.offset, api_stream_sent, &s->nb);
	s->nb->extra = s;
	if (!net_send_flush(c)) {
		s->gone = 1;
		kore_connection_disconnect(c);
	}
}

/* Kore is done with the chunk: sent, or dropped with the connection. */
static int
api_stream_sent(struct netbuf *nb)
{
	struct api_stream	*s = nb->extra;

	s->nb = NULL;
	s->progress = kore_time_ms();
	if (nb->s_off != nb->b_len)
		s->gone = 1;
	http_request_wakeup(s->req);

	return (KORE_RESULT_OK);
}

/* A client that has taken nothing for API_STREAM_STALL is let go. */
static void
api_stream_tick(void *arg, u_int64_t now)
{
	struct api_stream	*s = arg;

	if (s->gone || s->nb == NULL || now - s->progress < API_STREAM_STALL)
		return;
	kore_log(LOG_NOTICE, "stream %s: the client took nothing for %d s",
	    s->req->path, API_STREAM_STALL / 1000);
	if (s->req->owner != NULL) {
		net_remove_netbuf(s->req->owner, s->nb);
		s->req->owner->flags &= ~CONN_IS_BUSY;
		kore_connection_disconnect(s->req->owner);
	}
	s->gone = 1;
	http_request_wakeup(s->req);
}
