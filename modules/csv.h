/*
 * An RFC 4180 CSV reader for the files the Department's office uploads
 * (Excel and LibreOffice exports).  Pure C, no Kore: a byte buffer in,
 * rows of NUL-terminated UTF-8 fields out, or one Vietnamese message
 * naming the physical line that is wrong.
 *
 * Accepted: a UTF-8 BOM, ',' ';' or tab as separator (detected on the
 * header line), quoted fields with "" escapes, separators and line
 * breaks inside quotes, CRLF, LF or a lone CR as line end, a missing
 * final line end.  Blank lines are skipped; a line of separators only
 * (",,,") is a row of empty fields and left for the caller to judge.
 */
#ifndef CSV_H
#define CSV_H

#include <stddef.h>

#define CSV_MAX_BYTES	(2 * 1024 * 1024)	/* whole upload, BOM included */
#define CSV_MAX_ROWS	5000		/* data rows, the header not counted */
#define CSV_MAX_FIELDS	64		/* fields in one row */
#define CSV_MAX_FIELD	1024		/* bytes in one field, unescaped */
#define CSV_ERR_MAX	256		/* enough for any csv_parse message */

struct csv_row {
	size_t		line;		/* physical line it starts on, from 1 */
	size_t		nfields;
	char		**fields;	/* NUL-terminated copies */
};

struct csv_doc {
	size_t		nrows;		/* header included: rows[0] */
	struct csv_row	*rows;
	char		sep;		/* the separator that was detected */
	size_t		errline;	/* on failure: its line, 0 if none */
	int		nomem;		/* on failure: 1 if out of memory */
};

/*
 * Parses len bytes of buf (no NUL needed).  0 on success; -1 on failure
 * with doc emptied (errline and nomem set) and, if err is not NULL, a
 * Vietnamese message such as "Dòng 12: thiếu dấu ngoặc kép đóng ...".
 */
int	csv_parse(const char *buf, size_t len, struct csv_doc *doc,
	    char *err, size_t errlen);

/* Frees the rows; doc may be reused or freed again. */
void	csv_free(struct csv_doc *doc);

/*
 * 1 if s[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF, no truncated sequence), 0 otherwise.
 */
int	csv_utf8_valid(const char *s, size_t len);

/* Drops a UTF-8 sequence left incomplete at the end of s (truncation). */
void	csv_utf8_cut(char *s);

#endif
