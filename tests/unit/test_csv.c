/*
 * Unit tests for the CSV reader (modules/csv.c).
 *
 * Inputs are copied into buffers of exactly their length before they
 * are parsed, so that AddressSanitizer and valgrind catch any read past
 * the end: uploads are not NUL-terminated.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"

static int	parse_len(const char *, size_t, struct csv_doc *, char *);
static void	parse_ok(const char *, struct csv_doc *);
static void	parse_fails(const char *, size_t, size_t, const char *);
static void	assert_row(const struct csv_doc *, size_t, size_t, size_t,
		    ...);
static char	*repeat(const char *, size_t, size_t *);

/* Parses a private copy of exactly len bytes. */
static int
parse_len(const char *s, size_t len, struct csv_doc *doc, char *err)
{
	char		*copy;
	int		rc;

	copy = malloc(len > 0 ? len : 1);
	assert_non_null(copy);
	memcpy(copy, s, len);
	rc = csv_parse(copy, len, doc, err, CSV_ERR_MAX);
	free(copy);

	return (rc);
}

static void
parse_ok(const char *s, struct csv_doc *doc)
{
	char		err[CSV_ERR_MAX];

	if (parse_len(s, strlen(s), doc, err) != 0)
		fail_msg("unexpected failure: %s", err);
	assert_string_equal(err, "");
}

/* Fails at line with a message holding what; the doc is left empty. */
static void
parse_fails(const char *s, size_t len, size_t line, const char *what)
{
	struct csv_doc	doc;
	char		err[CSV_ERR_MAX], prefix[32];

	assert_int_equal(parse_len(s, len, &doc, err), -1);
	assert_int_equal(doc.errline, line);
	assert_int_equal(doc.nrows, 0);
	assert_null(doc.rows);
	assert_int_equal(doc.nomem, 0);
	if (strstr(err, what) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", err, what);
	if (line > 0) {
		(void)snprintf(prefix, sizeof(prefix), "Dòng %zu: ", line);
		assert_memory_equal(err, prefix, strlen(prefix));
	}
	/* Whole sentences: nothing was cut by the buffer. */
	assert_int_equal(err[strlen(err) - 1], '.');
	assert_true(csv_utf8_valid(err, strlen(err)));
	csv_free(&doc);
}

/* Row r starts on line and has n fields equal to the strings given. */
static void
assert_row(const struct csv_doc *doc, size_t r, size_t line, size_t n, ...)
{
	va_list		ap;
	size_t		i;

	assert_true(r < doc->nrows);
	assert_int_equal(doc->rows[r].line, line);
	assert_int_equal(doc->rows[r].nfields, n);

	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_string_equal(doc->rows[r].fields[i],
		    va_arg(ap, const char *));
	va_end(ap);
}

/* count copies of unit, as a heap string; *len gets its length. */
static char *
repeat(const char *unit, size_t count, size_t *len)
{
	char		*s;
	size_t		ulen, i;

	ulen = strlen(unit);
	s = malloc(ulen * count + 1);
	assert_non_null(s);
	for (i = 0; i < count; i++)
		memcpy(s + i * ulen, unit, ulen);
	s[ulen * count] = '\0';
	*len = ulen * count;

	return (s);
}

static void
test_csv_parses_simple_comma_file(void **state)
{
	struct csv_doc	doc;

	(void)state;
	parse_ok("a,b,c\n1,2,3\n", &doc);
	assert_int_equal(doc.sep, ',');
	assert_int_equal(doc.nrows, 2);
	assert_row(&doc, 0, 1, 3, "a", "b", "c");
	assert_row(&doc, 1, 2, 3, "1", "2", "3");
	csv_free(&doc);
	assert_int_equal(doc.nrows, 0);
	assert_null(doc.rows);
}

static void
test_csv_skips_utf8_bom(void **state)
{
	struct csv_doc	doc;

	(void)state;
	parse_ok("\xef\xbb\xbfma;ten\nA1;B\n", &doc);
	assert_int_equal(doc.sep, ';');
	assert_row(&doc, 0, 1, 2, "ma", "ten");
	assert_row(&doc, 1, 2, 2, "A1", "B");
	csv_free(&doc);
}

static void
test_csv_detects_semicolon_separator_from_header(void **state)
{
	struct csv_doc	doc;

	(void)state;
	/* The data row's commas are data once ';' is chosen. */
	parse_ok("Mã;Tên;Ghi chú\nX1;Trạm Y tế xã Xuân Hồng;1,5\n", &doc);
	assert_int_equal(doc.sep, ';');
	assert_row(&doc, 1, 2, 3, "X1", "Trạm Y tế xã Xuân Hồng", "1,5");
	csv_free(&doc);
}

static void
test_csv_detects_tab_separator(void **state)
{
	struct csv_doc	doc;

	(void)state;
	parse_ok("a\tb, c\tc\n1\t2\t3", &doc);
	assert_int_equal(doc.sep, '\t');
	assert_row(&doc, 0, 1, 3, "a", "b, c", "c");
	csv_free(&doc);
}

static void
test_csv_separator_detection_prefers_most_then_first(void **state)
{
	struct csv_doc	doc;

	(void)state;
	parse_ok("a;b;c,d\n", &doc);
	assert_int_equal(doc.sep, ';');
	csv_free(&doc);

	parse_ok("a,b;c\n", &doc);
	assert_int_equal(doc.sep, ',');
	csv_free(&doc);

	parse_ok("a;b,c\n", &doc);
	assert_int_equal(doc.sep, ';');
	csv_free(&doc);

	/* One column: nothing to detect, ',' is assumed. */
	parse_ok("ma\nA\n", &doc);
	assert_int_equal(doc.sep, ',');
	csv_free(&doc);
}

static void
test_csv_separator_detection_ignores_quoted_text(void **state)
{
	struct csv_doc	doc;

	(void)state;
	parse_ok("\"a,b,c,d\";x;y\n1;2;3\n", &doc);
	assert_int_equal(doc.sep, ';');
	assert_row(&doc, 0, 1, 3, "a,b,c,d", "x", "y");
	csv_free(&doc);
}

static void
test_csv_handles_crlf_line_endings(void **state)
{
	struct csv_doc	doc;

	(void)state;
	parse_ok("a,b\r\n1,2\r\n3,4\r\n", &doc);
	assert_int_equal(doc.nrows, 3);
	assert_row(&doc, 1, 2, 2, "1", "2");
	assert_row(&doc, 2, 3, 2, "3", "4");
	csv_free(&doc);
}

static void
test_csv_lone_cr_ends_a_line(void **state)
{
	struct csv_doc	doc;

	(void)state;
	parse_ok("a,b\r1,2\r", &doc);
	assert_int_equal(doc.nrows, 2);
	assert_row(&doc, 1, 2, 2, "1", "2");
	csv_free(&doc);
}

static void
test_csv_accepts_missing_final_newline(void **state)
{
	struct csv_doc	doc;

	(void)state;
	parse_ok("a,b\n1,2", &doc);
	assert_int_equal(doc.nrows, 2);
	assert_row(&doc, 1, 2, 2, "1", "2");
	csv_free(&doc);

	parse_ok("a,b\n1,\"2\"", &doc);
	assert_row(&doc, 1, 2, 2, "1", "2");
	csv_free(&doc);
}

static void
test_csv_quoted_field_keeps_embedded_separator(void **state)
{
	struct csv_doc	doc;

	(void)state;
	parse_ok("a,b\n\"Trưởng phòng Kế hoạch, Tổng hợp\",x\n", &doc);
	assert_row(&doc, 1, 2, 2, "Trưởng phòng Kế hoạch, Tổng hợp", "x");
	csv_free(&doc);
}

static void
test_csv_quoted_field_keeps_embedded_newline(void **state)
{
	struct csv_doc	doc;

	(void)state;
	parse_ok("a,b\n\"dòng một\ndòng hai\r\ndòng ba\",x\nlast,y\n", &doc);
	assert_int_equal(doc.nrows, 3);
	assert_row(&doc, 1, 2, 2, "dòng một\ndòng hai\r\ndòng ba", "x");
	/* The quoted field took lines 2 to 4. */
	assert_row(&doc, 2, 5, 2, "last", "y");
	csv_free(&doc);
}

static void
test_csv_doubled_quotes_become_one(void **state)
{
	struct csv_doc	doc;

	(void)state;
	parse_ok("a,b\n\"Phòng khám \"\"An Bình\"\"\",\"\"\"\"\n", &doc);
	assert_row(&doc, 1, 2, 2, "Phòng khám \"An Bình\"", "\"");
	csv_free(&doc);
}

static void
test_csv_quoted_empty_field_is_empty(void **state)
{
	struct csv_doc	doc;

	(void)state;
	parse_ok("a,b,c\n\"\",,\"\"\n", &doc);
	assert_row(&doc, 1, 2, 3, "", "", "");
	csv_free(&doc);
}

static void
test_csv_skips_blank_lines_and_keeps_physical_line_numbers(void **state)
{
	struct csv_doc	doc;

	(void)state;
	parse_ok("\r\n\na,b\n\n1,2\r\n\r\n\r\n3,4\n\n", &doc);
	assert_int_equal(doc.nrows, 3);
	assert_row(&doc, 0, 3, 2, "a", "b");
	assert_row(&doc, 1, 5, 2, "1", "2");
	assert_row(&doc, 2, 8, 2, "3", "4");
	csv_free(&doc);
}

static void
test_csv_keeps_rows_of_empty_fields(void **state)
{
	struct csv_doc	doc;

	(void)state;
	/* Excel's empty formatted rows: the caller decides about them. */
	parse_ok("a;b;c\n;;\n", &doc);
	assert_int_equal(doc.nrows, 2);
	assert_row(&doc, 1, 2, 3, "", "", "");
	csv_free(&doc);
}

static void
test_csv_trailing_separator_gives_empty_last_field(void **state)
{
	struct csv_doc	doc;

	(void)state;
	parse_ok("a,b,\n1,2,", &doc);
	assert_row(&doc, 0, 1, 3, "a", "b", "");
	assert_row(&doc, 1, 2, 3, "1", "2", "");
	csv_free(&doc);
}

static void
test_csv_keeps_spaces_inside_fields(void **state)
{
	struct csv_doc	doc;

	(void)state;
	/* Trimming is the caller's business. */
	parse_ok("a,b\n  x , y\n", &doc);
	assert_row(&doc, 1, 2, 2, "  x ", " y");
	csv_free(&doc);
}

static void
test_csv_empty_input_gives_no_rows(void **state)
{
	struct csv_doc	doc;
	char		err[CSV_ERR_MAX];

	(void)state;
	assert_int_equal(csv_parse(NULL, 0, &doc, err, sizeof(err)), 0);
	assert_int_equal(doc.nrows, 0);

	parse_ok("", &doc);
	assert_int_equal(doc.nrows, 0);

	parse_ok("\xef\xbb\xbf\r\n\n", &doc);
	assert_int_equal(doc.nrows, 0);
	csv_free(&doc);
}

static void
test_csv_rejects_invalid_utf8_with_its_line(void **state)
{
	static const struct {
		const char	*s;
		size_t		 len;
	} bad[] = {
		{ "a\nb\n\xc0\xaf\n", 7 },		/* overlong '/' */
		{ "a\nb\n\xe0\x80\xaf\n", 8 },		/* overlong, 3 bytes */
		{ "a\nb\n\xf0\x80\x80\xaf\n", 9 },	/* overlong, 4 bytes */
		{ "a\nb\n\xed\xa0\x80\n", 8 },		/* surrogate D800 */
		{ "a\nb\n\xed\xbf\xbf\n", 8 },		/* surrogate DFFF */
		{ "a\nb\n\xf4\x90\x80\x80\n", 9 },	/* U+110000 */
		{ "a\nb\n\xf5\x80\x80\x80\n", 9 },	/* lead F5 */
		{ "a\nb\n\xff\n", 6 },
		{ "a\nb\n\x80\n", 6 },			/* lone continuation */
		{ "a\nb\nx\xc3", 6 },			/* cut at the end */
		{ "a\nb\n\xe1\x80z\n", 8 },		/* cut before ASCII */
		{ "a\r\nb\r\n\"\xc3(\"", 10 },		/* inside quotes */
		{ "\"b\nc\"\n\xc3(\n", 9 },		/* after a quoted NL */
	};
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		parse_fails(bad[i].s, bad[i].len, 3, "UTF-8");
		assert_false(csv_utf8_valid(bad[i].s, bad[i].len));
	}
}

static void
test_csv_rejects_invalid_utf8_on_first_line(void **state)
{
	(void)state;
	/* "Cà phê" in Windows-1258, as Excel saves plain "CSV". */
	parse_fails("C\xe0 ph\xea,x\n", 10, 1,
	    "có ký tự không phải UTF-8 hợp lệ");
}

static void
test_csv_utf8_valid_accepts_every_boundary(void **state)
{
	static const char *const good[] = {
		"\x7f",			/* U+007F */
		"\xc2\x80",		/* U+0080 */
		"\xdf\xbf",		/* U+07FF */
		"\xe0\xa0\x80",		/* U+0800 */
		"\xed\x9f\xbf",		/* U+D7FF */
		"\xee\x80\x80",		/* U+E000 */
		"\xef\xbf\xbf",		/* U+FFFF */
		"\xf0\x90\x80\x80",	/* U+10000 */
		"\xf4\x8f\xbf\xbf",	/* U+10FFFF */
		"Thanh Hóa, Sầm Sơn, Đông Sơn",
	};
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(csv_utf8_valid(good[i], strlen(good[i])));
	assert_true(csv_utf8_valid(NULL, 0));
	assert_true(csv_utf8_valid("", 0));
	/* Only len bytes count: the cut sequence is outside. */
	assert_true(csv_utf8_valid("ab\xc3\xa0", 2));
	assert_false(csv_utf8_valid("ab\xc3\xa0", 3));
}

static void
test_csv_rejects_utf16_file(void **state)
{
	(void)state;
	parse_fails("\xff\xfe" "a\0,\0b\0", 8, 0, "UTF-16");
}

static void
test_csv_rejects_nul_byte(void **state)
{
	(void)state;
	parse_fails("a,b\n1,\0\n", 8, 2, "NUL");
}

static void
test_csv_unterminated_quote_names_its_opening_line(void **state)
{
	const char	*s;

	(void)state;
	s = "a,b\n1,2\nx,\"Trạm Y tế\n3,4\n5,6\n";
	parse_fails(s, strlen(s), 3, "thiếu dấu ngoặc kép đóng");
	s = "a,b\n\"";
	parse_fails(s, strlen(s), 2, "Dòng 2: thiếu dấu ngoặc kép đóng");
}

static void
test_csv_unterminated_quote_wins_over_field_length(void **state)
{
	char		*s, *body;
	size_t		len;

	(void)state;
	body = repeat("x\n", CSV_MAX_FIELD, &len);
	s = malloc(len + 16);
	assert_non_null(s);
	len = (size_t)snprintf(s, len + 16, "a,b\n1,\"%s", body);
	parse_fails(s, len, 2, "thiếu dấu ngoặc kép đóng");
	free(body);
	free(s);
}

static void
test_csv_rejects_stray_quote_in_unquoted_field(void **state)
{
	const char	*s;

	(void)state;
	s = "a,b\n1,2\nBệnh viện 5\" tầng,x\n";
	parse_fails(s, strlen(s), 3, "dấu ngoặc kép nằm giữa ô thứ 1");
	s = "a,b\n1,x\"\n";
	parse_fails(s, strlen(s), 2, "ô thứ 2");
}

static void
test_csv_rejects_text_after_closing_quote(void **state)
{
	const char	*s;

	(void)state;
	s = "a,b\n\"abc\"def,x\n";
	parse_fails(s, strlen(s), 2, "ký tự thừa sau dấu ngoặc kép đóng");
	s = "a,b\n\"abc\" ,x\n";
	parse_fails(s, strlen(s), 2, "ô thứ 1");
}

static void
test_csv_rejects_file_over_max_bytes(void **state)
{
	char		*s;

	(void)state;
	s = malloc(CSV_MAX_BYTES + 1);
	assert_non_null(s);
	memset(s, 'a', CSV_MAX_BYTES + 1);
	parse_fails(s, CSV_MAX_BYTES + 1, 0, "Tệp quá lớn");
	free(s);
}

static void
test_csv_accepts_max_bytes(void **state)
{
	struct csv_doc	doc;
	char		*s, err[CSV_ERR_MAX];
	size_t		i;

	(void)state;
	/* 2 MiB of 1000-byte fields: within every limit. */
	s = malloc(CSV_MAX_BYTES);
	assert_non_null(s);
	for (i = 0; i < CSV_MAX_BYTES; i++)
		s[i] = (i % 1000 == 999) ? '\n' : 'a';
	assert_int_equal(csv_parse(s, CSV_MAX_BYTES, &doc, err, sizeof(err)),
	    0);
	assert_int_equal(doc.nrows, CSV_MAX_BYTES / 1000 + 1);
	csv_free(&doc);
	free(s);
}

static void
test_csv_accepts_max_rows_and_rejects_one_more(void **state)
{
	struct csv_doc	doc;
	char		*s, err[CSV_ERR_MAX];
	size_t		len;

	(void)state;
	/* Header + CSV_MAX_ROWS data rows: "h\n" then "r\n" each. */
	s = repeat("r\n", CSV_MAX_ROWS + 2, &len);
	s[0] = 'h';
	assert_int_equal(csv_parse(s, len - 2, &doc, err, sizeof(err)), 0);
	assert_int_equal(doc.nrows, CSV_MAX_ROWS + 1);
	assert_int_equal(doc.rows[CSV_MAX_ROWS].line, CSV_MAX_ROWS + 1);
	csv_free(&doc);

	parse_fails(s, len, CSV_MAX_ROWS + 2, "tối đa 5000 dòng dữ liệu");

	/* Blank lines are not rows. */
	s[len - 2] = '\n';
	assert_int_equal(csv_parse(s, len, &doc, err, sizeof(err)), 0);
	csv_free(&doc);
	free(s);
}

static void
test_csv_accepts_max_fields_and_rejects_one_more(void **state)
{
	struct csv_doc	doc;
	char		*s, err[CSV_ERR_MAX];
	size_t		len;

	(void)state;
	/* "x,x,...,x,": CSV_MAX_FIELDS + 1 fields counting the last one. */
	s = repeat("x,", CSV_MAX_FIELDS, &len);
	assert_int_equal(csv_parse(s, len - 1, &doc, err, sizeof(err)), 0);
	assert_int_equal(doc.rows[0].nfields, CSV_MAX_FIELDS);
	csv_free(&doc);

	parse_fails(s, len, 1, "tối đa 64 ô");
	free(s);
}

static void
test_csv_accepts_max_field_and_rejects_one_byte_more(void **state)
{
	struct csv_doc	doc;
	char		*s, *q, err[CSV_ERR_MAX];
	size_t		len;

	(void)state;
	s = repeat("é", CSV_MAX_FIELD / 2 + 1, &len);
	assert_int_equal(csv_parse(s, CSV_MAX_FIELD, &doc, err, sizeof(err)),
	    0);
	assert_int_equal(strlen(doc.rows[0].fields[0]), CSV_MAX_FIELD);
	csv_free(&doc);
	parse_fails(s, CSV_MAX_FIELD + 2, 1, "ô thứ 1 dài quá 1024 byte");

	/* Quoted: the doubled quotes count once. */
	q = malloc(CSV_MAX_FIELD * 2 + 8);
	assert_non_null(q);
	q[0] = 'a';
	q[1] = ',';
	q[2] = '"';
	memset(q + 3, '"', CSV_MAX_FIELD * 2);
	q[CSV_MAX_FIELD * 2 + 3] = '"';
	assert_int_equal(csv_parse(q, CSV_MAX_FIELD * 2 + 4, &doc, err,
	    sizeof(err)), 0);
	assert_int_equal(strlen(doc.rows[0].fields[1]), CSV_MAX_FIELD);
	csv_free(&doc);

	q[CSV_MAX_FIELD * 2 + 3] = 'x';
	q[CSV_MAX_FIELD * 2 + 4] = '"';
	parse_fails(q, CSV_MAX_FIELD * 2 + 5, 1, "ô thứ 2 dài quá 1024 byte");
	free(q);
	free(s);
}

static void
test_csv_error_fits_a_small_buffer(void **state)
{
	struct csv_doc	doc;
	char		err[12];

	(void)state;
	/* "Dòng 2: th" and its NUL fill the 12 bytes exactly. */
	assert_int_equal(csv_parse("a\n\"", 3, &doc, err, sizeof(err)), -1);
	assert_string_equal(err, "Dòng 2: th");

	/* A cut through "ò" must not leave half of it. */
	assert_int_equal(csv_parse("a\n\"", 3, &doc, err, 3), -1);
	assert_string_equal(err, "D");
	assert_int_equal(csv_parse("a\n\"", 3, &doc, NULL, 0), -1);
	assert_int_equal(doc.errline, 2);
}

static void
test_csv_free_is_safe_twice_and_after_failure(void **state)
{
	struct csv_doc	doc;

	(void)state;
	parse_ok("a\nb\n", &doc);
	csv_free(&doc);
	csv_free(&doc);
	csv_free(NULL);
	parse_fails("a\n\"", 3, 2, "ngoặc kép");
	assert_int_equal(csv_parse("x", 1, NULL, NULL, 0), -1);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_csv_parses_simple_comma_file),
		cmocka_unit_test(test_csv_skips_utf8_bom),
		cmocka_unit_test(
		    test_csv_detects_semicolon_separator_from_header),
		cmocka_unit_test(test_csv_detects_tab_separator),
		cmocka_unit_test(
		    test_csv_separator_detection_prefers_most_then_first),
		cmocka_unit_test(
		    test_csv_separator_detection_ignores_quoted_text),
		cmocka_unit_test(test_csv_handles_crlf_line_endings),
		cmocka_unit_test(test_csv_lone_cr_ends_a_line),
		cmocka_unit_test(test_csv_accepts_missing_final_newline),
		cmocka_unit_test(
		    test_csv_quoted_field_keeps_embedded_separator),
		cmocka_unit_test(test_csv_quoted_field_keeps_embedded_newline),
		cmocka_unit_test(test_csv_doubled_quotes_become_one),
		cmocka_unit_test(test_csv_quoted_empty_field_is_empty),
		cmocka_unit_test(
		    test_csv_skips_blank_lines_and_keeps_physical_line_numbers),
		cmocka_unit_test(test_csv_keeps_rows_of_empty_fields),
		cmocka_unit_test(
		    test_csv_trailing_separator_gives_empty_last_field),
		cmocka_unit_test(test_csv_keeps_spaces_inside_fields),
		cmocka_unit_test(test_csv_empty_input_gives_no_rows),
		cmocka_unit_test(test_csv_rejects_invalid_utf8_with_its_line),
		cmocka_unit_test(test_csv_rejects_invalid_utf8_on_first_line),
		cmocka_unit_test(test_csv_utf8_valid_accepts_every_boundary),
		cmocka_unit_test(test_csv_rejects_utf16_file),
		cmocka_unit_test(test_csv_rejects_nul_byte),
		cmocka_unit_test(
		    test_csv_unterminated_quote_names_its_opening_line),
		cmocka_unit_test(
		    test_csv_unterminated_quote_wins_over_field_length),
		cmocka_unit_test(
		    test_csv_rejects_stray_quote_in_unquoted_field),
		cmocka_unit_test(test_csv_rejects_text_after_closing_quote),
		cmocka_unit_test(test_csv_rejects_file_over_max_bytes),
		cmocka_unit_test(test_csv_accepts_max_bytes),
		cmocka_unit_test(
		    test_csv_accepts_max_rows_and_rejects_one_more),
		cmocka_unit_test(
		    test_csv_accepts_max_fields_and_rejects_one_more),
		cmocka_unit_test(
		    test_csv_accepts_max_field_and_rejects_one_byte_more),
		cmocka_unit_test(test_csv_error_fits_a_small_buffer),
		cmocka_unit_test(
		    test_csv_free_is_safe_twice_and_after_failure),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
