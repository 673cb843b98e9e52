/*
 * RFC 4180 CSV reader: pure C, malloc/free, no Kore.
 *
 * The whole upload is checked for UTF-8 first, so the fields handed out
 * are always valid UTF-8 without NUL and every later module may print
 * them as they are.  Rows are parsed into one scratch buffer sized for
 * the worst legal row (CSV_MAX_FIELDS fields of CSV_MAX_FIELD bytes),
 * so the limits are checked where a byte is stored and no field ever
 * grows a heap buffer; a finished row is then copied into one block
 * (pointer array followed by the strings) to keep allocations few.
 *
 * A line end is LF, CRLF or a lone CR (old Mac exports).  Line numbers
 * are physical, the way a text editor counts them, so that a quoted
 * field spanning lines moves the following rows down.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

#define ROWS_INITIAL	64

/* How a field ended. */
#define END_ERROR	-1
#define END_SEP		1
#define END_LINE	2
#define END_FILE	3

#define MSG_NOMEM	"Không đủ bộ nhớ để đọc tệp; hãy thử lại sau."
#define MSG_TOO_BIG	"Tệp quá lớn (%zu byte): tối đa 2 MB."
#define MSG_UTF16	\
	"Tệp được lưu dạng UTF-16 (Unicode Text); hãy lưu lại dạng " \
	"\"CSV UTF-8\"."
#define MSG_UTF8	\
	"có ký tự không phải UTF-8 hợp lệ (tệp lưu theo bảng mã khác?); " \
	"hãy lưu lại dạng \"CSV UTF-8\"."
#define MSG_NUL		\
	"tệp chứa byte 0 (NUL), không phải tệp văn bản CSV UTF-8."
#define MSG_ROWS	\
	"tệp có quá nhiều dòng: tối đa %d dòng dữ liệu (không kể dòng " \
	"tiêu đề)."
#define MSG_FIELDS	"quá nhiều ô: tối đa %d ô trên một dòng."
#define MSG_FIELD	"ô thứ %zu dài quá %d byte."
#define MSG_FIELD_Q	\
	"ô thứ %zu dài quá %d byte (ô mở bằng dấu ngoặc kép: hãy kiểm " \
	"tra dấu ngoặc kép đóng)."
#define MSG_UNCLOSED	\
	"thiếu dấu ngoặc kép đóng (ô thứ %zu mở bằng dấu \" nhưng không " \
	"đóng lại)."
#define MSG_STRAY	\
	"dấu ngoặc kép nằm giữa ô thứ %zu; hãy bao cả ô trong dấu \" " \
	"và viết \"\" cho mỗi dấu ngoặc kép bên trong."
#define MSG_AFTER_Q	\
	"có ký tự thừa sau dấu ngoặc kép đóng của ô thứ %zu; sau dấu \" " \
	"đóng phải là dấu phân cách hoặc xuống dòng."

struct parser {
	const char	*start;		/* after the BOM */
	const char	*p;
	const char	*end;
	size_t		line;
	char		sep;
	struct csv_doc	*doc;
	size_t		cap;		/* rows allocated in doc */
	char		*err;
	size_t		errlen;
	size_t		errline;
	int		nomem;
	size_t		nfields;
	size_t		used;		/* bytes of buf in use */
	size_t		off[CSV_MAX_FIELDS];
	char		buf[CSV_MAX_FIELDS * (CSV_MAX_FIELD + 1)];
};

static int	parse_all(struct parser *);
static int	parse_row(struct parser *);
static int	field_plain(struct parser *);
static int	field_quoted(struct parser *);
static int	field_after_quote(struct parser *);
static int	field_put(struct parser *, char, size_t, int);
static int	row_store(struct parser *, size_t);
static char	detect_sep(const char *, const char *);
static size_t	eol_len(const char *, const char *);
static size_t	line_at(const char *, const char *);
static size_t	utf8_scan(const unsigned char *, size_t);
static int	fail(struct parser *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	fail_nomem(struct parser *);

int
csv_parse(const char *buf, size_t len, struct csv_doc *doc, char *err,
    size_t errlen)
{
	struct parser	*ps;
	size_t		errline;
	int		rc, nomem;

	if (doc == NULL)
		return (-1);

	memset(doc, 0, sizeof(*doc));
	doc->sep = ',';
	if (err != NULL && errlen > 0)
		err[0] = '\0';

	/* Nothing to read; also keeps NULL + 0 out of the arithmetic. */
	if (buf == NULL || len == 0)
		return (0);

	if ((ps = calloc(1, sizeof(*ps))) == NULL) {
		doc->nomem = 1;
		if (err != NULL && errlen > 0)
			(void)snprintf(err, errlen, "%s", MSG_NOMEM);
		return (-1);
	}

	ps->doc = doc;
	ps->err = err;
	ps->errlen = errlen;
	ps->start = buf;
	ps->p = buf;
	ps->end = buf + len;
	ps->line = 1;

	rc = parse_all(ps);
	if (rc == -1) {
		errline = ps->errline;
		nomem = ps->nomem;
		csv_free(doc);
		doc->errline = errline;
		doc->nomem = nomem;
	}
	free(ps);

	return (rc);
}

void
csv_free(struct csv_doc *doc)
{
	size_t		i;

	if (doc == NULL)
		return;

	/* Each row's pointers and strings live in one block. */
	for (i = 0; i < doc->nrows; i++)
		free(doc->rows[i].fields);
	free(doc->rows);
	memset(doc, 0, sizeof(*doc));
	doc->sep = ',';
}

int
csv_utf8_valid(const char *s, size_t len)
{
	if (len == 0)
		return (1);
	if (s == NULL)
		return (0);

	return (utf8_scan((const unsigned char *)s, len) == len);
}

static int
parse_all(struct parser *ps)
{
	size_t		len, bad;
	const char	*nul;

	len = (size_t)(ps->end - ps->p);
	if (len > CSV_MAX_BYTES)
		return (fail(ps, 0, MSG_TOO_BIG, len));

	if (len >= 3 && memcmp(ps->p, "\xef\xbb\xbf", 3) == 0) {
		ps->p += 3;
		ps->start = ps->p;
		len -= 3;
	} else if (len >= 2 && (memcmp(ps->p, "\xff\xfe", 2) == 0 ||
	    memcmp(ps->p, "\xfe\xff", 2) == 0)) {
		/* Excel's "Unicode Text": say so rather than "bad UTF-8". */
		return (fail(ps, 0, MSG_UTF16));
	}

	bad = utf8_scan((const unsigned char *)ps->p, len);
	if (bad != len)
		return (fail(ps, line_at(ps->start, ps->p + bad), MSG_UTF8));

	/* Valid UTF-8, but a NUL would silently cut a field short. */
	if ((nul = memchr(ps->p, '\0', len)) != NULL)
		return (fail(ps, line_at(ps->start, nul), MSG_NUL));

	ps->sep = detect_sep(ps->p, ps->end);
	ps->doc->sep = ps->sep;

	while (ps->p < ps->end) {
		if ((len = eol_len(ps->p, ps->end)) > 0) {
			ps->p += len;
			ps->line++;
			continue;
		}
		/* The header plus CSV_MAX_ROWS data rows are stored. */
		if (ps->doc->nrows > CSV_MAX_ROWS)
			return (fail(ps, ps->line, MSG_ROWS, CSV_MAX_ROWS));
		if (parse_row(ps) == -1)
			return (-1);
	}

	return (0);
}

static int
parse_row(struct parser *ps)
{
	size_t		line;
	int		end;

	line = ps->line;
	ps->nfields = 0;
	ps->used = 0;

	for (;;) {
		if (ps->nfields == CSV_MAX_FIELDS)
			return (fail(ps, line, MSG_FIELDS, CSV_MAX_FIELDS));
		ps->off[ps->nfields++] = ps->used;

		if (ps->p < ps->end && *ps->p == '"')
			end = field_quoted(ps);
		else
			end = field_plain(ps);
		if (end == END_ERROR)
			return (-1);

		/* Room for the NUL is part of the scratch buffer's size. */
		ps->buf[ps->used++] = '\0';
		if (end != END_SEP)
			break;
	}

	return (row_store(ps, line));
}

static int
field_plain(struct parser *ps)
{
	size_t		n;
	char		c;

	while (ps->p < ps->end) {
		c = *ps->p;
		if (c == ps->sep) {
			ps->p++;
			return (END_SEP);
		}
		if ((n = eol_len(ps->p, ps->end)) > 0) {
			ps->p += n;
			ps->line++;
			return (END_LINE);
		}
		if (c == '"')
			return (fail(ps, ps->line, MSG_STRAY, ps->nfields));
		if (field_put(ps, c, ps->line, 0) == -1)
			return (END_ERROR);
		ps->p++;
	}

	return (END_FILE);
}

/* Line ends inside quotes are data; they still move the line count. */
static int
field_quoted(struct parser *ps)
{
	size_t		fline;
	char		c;

	fline = ps->line;
	ps->p++;

	for (;;) {
		if (ps->p == ps->end)
			return (fail(ps, fline, MSG_UNCLOSED, ps->nfields));

		c = *ps->p++;
		if (c == '"') {
			if (ps->p < ps->end && *ps->p == '"')
				ps->p++;
			else
				break;
		} else if (c == '\n' ||
		    (c == '\r' && (ps->p == ps->end || *ps->p != '\n'))) {
			ps->line++;
		}

		if (field_put(ps, c, fline, 1) == -1)
			return (END_ERROR);
	}

	return (field_after_quote(ps));
}

static int
field_after_quote(struct parser *ps)
{
	size_t		n;

	if (ps->p == ps->end)
		return (END_FILE);

	if (*ps->p == ps->sep) {
		ps->p++;
		return (END_SEP);
	}

	if ((n = eol_len(ps->p, ps->end)) > 0) {
		ps->p += n;
		ps->line++;
		return (END_LINE);
	}

	return (fail(ps, ps->line, MSG_AFTER_Q, ps->nfields));
}

static int
field_put(struct parser *ps, char c, size_t fline, int quoted)
{
	if (ps->used - ps->off[ps->nfields - 1] < CSV_MAX_FIELD) {
		ps->buf[ps->used++] = c;
		return (0);
	}

	if (!quoted)
		return (fail(ps, fline, MSG_FIELD, ps->nfields, CSV_MAX_FIELD));

	/*
	 * A missing closing quote swallows the rest of the file and hits
	 * the length limit first; name the real cause when it is certain.
	 */
	if (memchr(ps->p, '"', (size_t)(ps->end - ps->p)) == NULL)
		return (fail(ps, fline, MSG_UNCLOSED, ps->nfields));

	return (fail(ps, fline, MSG_FIELD_Q, ps->nfields, CSV_MAX_FIELD));
}

static int
row_store(struct parser *ps, size_t line)
{
	struct csv_doc	*doc;
	struct csv_row	*rows, *row;
	char		**fields, *text;
	size_t		i, cap, head;

	doc = ps->doc;
	if (doc->nrows == ps->cap) {
		cap = ps->cap == 0 ? ROWS_INITIAL : ps->cap * 2;
		if (cap < ps->cap || cap > SIZE_MAX / sizeof(*rows))
			return (fail_nomem(ps));
		if ((rows = realloc(doc->rows, cap * sizeof(*rows))) == NULL)
			return (fail_nomem(ps));
		doc->rows = rows;
		ps->cap = cap;
	}

	if (ps->nfields > SIZE_MAX / sizeof(char *))
		return (fail_nomem(ps));
	head = ps->nfields * sizeof(char *);
	if (ps->used > SIZE_MAX - head)
		return (fail_nomem(ps));
	if ((fields = malloc(head + ps->used)) == NULL)
		return (fail_nomem(ps));

	text = (char *)fields + head;
	memcpy(text, ps->buf, ps->used);
	for (i = 0; i < ps->nfields; i++)
		fields[i] = text + ps->off[i];

	row = &doc->rows[doc->nrows++];
	row->line = line;
	row->nfields = ps->nfields;
	row->fields = fields;

	return (0);
}

/*
 * The separator of the header line: the candidate seen most often
 * outside quotes, the earliest one on a tie, ',' if there is none.
 * Vietnamese Excel writes ';' because ',' is the decimal mark there.
 */
static char
detect_sep(const char *p, const char *end)
{
	static const char	cand[3] = { ',', ';', '\t' };
	size_t			count[3], first[3], pos, i, best;
	int			inq;

	while (p < end && eol_len(p, end) > 0)
		p += eol_len(p, end);

	memset(count, 0, sizeof(count));
	memset(first, 0, sizeof(first));
	inq = 0;
	for (pos = 0; p < end; p++, pos++) {
		if (*p == '"') {
			inq = !inq;
			continue;
		}
		if (inq)
			continue;
		if (eol_len(p, end) > 0)
			break;
		for (i = 0; i < 3; i++) {
			if (*p == cand[i] && count[i]++ == 0)
				first[i] = pos;
		}
	}

	best = 0;
	for (i = 1; i < 3; i++) {
		if (count[i] > count[best] ||
		    (count[i] == count[best] && count[i] > 0 &&
		    first[i] < first[best]))
			best = i;
	}

	return (cand[best]);
}

/* 2 for CRLF, 1 for LF or a lone CR, 0 if p is not at a line end. */
static size_t
eol_len(const char *p, const char *end)
{
	if (p >= end)
		return (0);
	if (*p == '\n')
		return (1);
	if (*p != '\r')
		return (0);
	if (p + 1 < end && p[1] == '\n')
		return (2);

	return (1);
}

/* The physical line of position at, counting as the parser does. */
static size_t
line_at(const char *start, const char *at)
{
	size_t		line, n;

	line = 1;
	while (start < at) {
		if ((n = eol_len(start, at + 1)) > 0) {
			line++;
			start += n;
		} else {
			start++;
		}
	}

	return (line);
}

/*
 * Offset of the first byte that does not start a well-formed sequence
 * (Unicode 15, table 3-7), or len.  The second-byte ranges after E0,
 * ED, F0 and F4 are what exclude overlongs, surrogates and code points
 * above U+10FFFF.
 */
static size_t
utf8_scan(const unsigned char *s, size_t len)
{
	size_t		i, n, k;
	unsigned char	c, lo, hi;

	i = 0;
	while (i < len) {
		c = s[i];
		lo = 0x80;
		hi = 0xbf;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		} else {
			return (i);
		}

		if (n > len - i - 1)
			return (i);
		if (s[i + 1] < lo || s[i + 1] > hi)
			return (i);
		for (k = 2; k <= n; k++) {
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return (i);
		}
		i += n + 1;
	}

	return (len);
}

/* Drops a sequence snprintf() may have cut in half at the end. */
void
csv_utf8_cut(char *s)
{
	size_t		len, i;

	len = strlen(s);
	i = len;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i > 0 && (unsigned char)s[i - 1] >= 0xc0 &&
	    !csv_utf8_valid(s + i - 1, len - i + 1))
		s[i - 1] = '\0';
}

static int
fail(struct parser *ps, size_t line, const char *fmt, ...)
{
	va_list		ap;
	char		body[CSV_ERR_MAX];

	ps->errline = line;
	if (ps->err == NULL || ps->errlen == 0)
		return (-1);

	va_start(ap, fmt);
	(void)vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);

	if (line > 0)
		(void)snprintf(ps->err, ps->errlen, "Dòng %zu: %s", line, body);
	else
		(void)snprintf(ps->err, ps->errlen, "%s", body);
	csv_utf8_cut(ps->err);

	return (-1);
}

static int
fail_nomem(struct parser *ps)
{
	ps->nomem = 1;

	return (fail(ps, 0, MSG_NOMEM));
}
