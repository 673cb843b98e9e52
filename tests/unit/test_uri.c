/*
 * Unit tests for the request-line reader (modules/uri.c): percent
 * decoding, strict UTF-8, and the query-string argument that tells
 * present, absent and unusable apart.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "uri.h"

/* uri_decode of a whole C string into a roomy buffer. */
static int
decode(const char *s, int plus, char *out, size_t len)
{
	return (uri_decode(s, strlen(s), plus, out, len));
}

static void
assert_decodes(const char *s, int plus, const char *want)
{
	char		out[256];

	assert_int_equal(decode(s, plus, out, sizeof(out)), strlen(want));
	assert_string_equal(out, want);
	/* The check-only form agrees. */
	assert_int_equal(uri_decode(s, strlen(s), plus, NULL, 0),
	    strlen(want));
}

static void
assert_malformed(const char *s)
{
	char		out[256];

	memset(out, 'X', sizeof(out));
	assert_int_equal(decode(s, 1, out, sizeof(out)), URI_MALFORMED);
	assert_string_equal(out, "");
	assert_int_equal(uri_decode(s, strlen(s), 0, NULL, 0), URI_MALFORMED);
}

static void
test_uri_decodes_escapes_and_plain_text(void **state)
{
	(void)state;
	assert_decodes("TTYT-THOXUAN", 1, "TTYT-THOXUAN");
	assert_decodes("2023-07", 0, "2023-07");
	assert_decodes("a%20b%2Fc%2fd", 0, "a b/c/d");
	assert_decodes("", 1, "");
	assert_decodes("%27%20OR%20%271%27%3D%271", 1, "' OR '1'='1");
}

static void
test_uri_plus_is_a_space_only_in_a_query(void **state)
{
	(void)state;
	assert_decodes("a+b", 1, "a b");
	assert_decodes("a+b", 0, "a+b");
	assert_decodes("a%2Bb", 1, "a+b");
}

static void
test_uri_keeps_vietnamese_text_raw_or_escaped(void **state)
{
	(void)state;
	assert_decodes("H%C3%A0%20Trung", 1, "Hà Trung");
	assert_decodes("Đông Sơn", 1, "Đông Sơn");
	/* Four bytes: U+1F600, and the last code point, U+10FFFF. */
	assert_decodes("%F0%9F%98%80", 1, "\xf0\x9f\x98\x80");
	assert_decodes("%F4%8F%BF%BF", 1, "\xf4\x8f\xbf\xbf");
	/* The first and last of each length. */
	assert_decodes("%C2%A0%DF%BF%E0%A0%80%EF%BF%BD", 1,
	    "\xc2\xa0\xdf\xbf\xe0\xa0\x80\xef\xbf\xbd");
	assert_decodes("%ED%9F%BF%EE%80%80", 1, "\xed\x9f\xbf\xee\x80\x80");
}

static void
test_uri_refuses_broken_escapes(void **state)
{
	(void)state;
	assert_malformed("%");
	assert_malformed("a%4");
	assert_malformed("%G0");
	assert_malformed("%0g");
	assert_malformed("100%");
	assert_malformed("%%41");
}

static void
test_uri_refuses_nul_and_controls(void **state)
{
	(void)state;
	assert_malformed("%00");
	assert_malformed("a%00b");
	assert_malformed("%0A");
	assert_malformed("%09");
	assert_malformed("%1B[31m");
	assert_malformed("%7F");
	assert_malformed("a\tb");
	assert_malformed("a\x01");
	/* C1 controls, U+0080 and U+009F. */
	assert_malformed("%C2%80");
	assert_malformed("%C2%9F");
}

static void
test_uri_refuses_overlong_forms(void **state)
{
	(void)state;
	assert_malformed("%C0%AF");		/* '/' in two bytes */
	assert_malformed("%C1%BF");
	assert_malformed("%E0%80%AF");		/* '/' in three */
	assert_malformed("%E0%9F%BF");
	assert_malformed("%F0%80%80%AF");	/* '/' in four */
	assert_malformed("%F0%8F%BF%BF");
	assert_malformed("%C0%80");		/* a NUL in disguise */
	assert_malformed("\xc0\xaf");
}

static void
test_uri_refuses_surrogates_and_beyond_unicode(void **state)
{
	(void)state;
	assert_malformed("%ED%A0%80");		/* U+D800 */
	assert_malformed("%ED%BF%BF");		/* U+DFFF */
	assert_malformed("%ED%A0%BD%ED%B8%80");	/* a CESU-8 pair */
	assert_malformed("%F4%90%80%80");	/* U+110000 */
	assert_malformed("%F5%80%80%80");
	assert_malformed("%FE");
	assert_malformed("%FF");
	assert_malformed("\xff");
}

static void
test_uri_refuses_lone_and_cut_sequences(void **state)
{
	(void)state;
	assert_malformed("%80");
	assert_malformed("%BF");
	assert_malformed("A\x80" "B");
	assert_malformed("%C3");		/* cut at the end */
	assert_malformed("%C3A");		/* cut by ASCII */
	assert_malformed("%E2%82");
	assert_malformed("%E2%82%2F");		/* cut by an escaped '/' */
	assert_malformed("%F0%9F%98");
	assert_malformed("%C3%A0%A0");		/* one continuation too many */
}

static void
test_uri_too_long_when_it_does_not_fit(void **state)
{
	char		out[5];

	(void)state;
	assert_int_equal(decode("abcd", 1, out, sizeof(out)), 4);
	assert_string_equal(out, "abcd");
	assert_int_equal(decode("abcde", 1, out, sizeof(out)), URI_TOO_LONG);
	assert_string_equal(out, "");
	/* Escapes count decoded: three escapes are three bytes. */
	assert_int_equal(decode("%41%42%43", 1, out, sizeof(out)), 3);
	assert_int_equal(decode("x", 1, out, 0), URI_TOO_LONG);
	assert_int_equal(decode("", 1, out, 1), 0);
}

/* uri_qs_get into a buffer of len bytes. */
static int
qs(const char *query, const char *name, char *out, size_t len, int *why)
{
	memset(out, 'X', len);

	return (uri_qs_get(query, name, out, len, why));
}

static void
test_uri_qs_present_and_absent(void **state)
{
	char		v[33];
	int		why;

	(void)state;
	assert_int_equal(qs("unit=A1&period=2023-07", "unit", v, sizeof(v),
	    &why), 1);
	assert_string_equal(v, "A1");
	assert_int_equal(qs("unit=A1&period=2023-07", "period", v, sizeof(v),
	    &why), 1);
	assert_string_equal(v, "2023-07");
	assert_int_equal(qs("unit=A1", "form", v, sizeof(v), &why), 0);
	assert_string_equal(v, "");
	assert_int_equal(qs(NULL, "unit", v, sizeof(v), &why), 0);
	assert_int_equal(qs("", "unit", v, sizeof(v), &why), 0);
	/* Names are whole: "units" is not "unit", nor "xunit". */
	assert_int_equal(qs("units=A&xunit=B&uni=C", "unit", v, sizeof(v),
	    &why), 0);
	/* Empty pairs are skipped; a bare name is there, empty. */
	assert_int_equal(qs("&&unit=A1&", "unit", v, sizeof(v), &why), 1);
	assert_string_equal(v, "A1");
	assert_int_equal(qs("only&unit=A", "only", v, sizeof(v), &why), 1);
	assert_string_equal(v, "");
	assert_int_equal(qs("unit=", "unit", v, sizeof(v), &why), 1);
	assert_string_equal(v, "");
	/* Only the first '=' splits. */
	assert_int_equal(qs("q=a=b", "q", v, sizeof(v), &why), 1);
	assert_string_equal(v, "a=b");
}

static void
test_uri_qs_names_compare_decoded(void **state)
{
	char		v[33];
	int		why;

	(void)state;
	assert_int_equal(qs("%75nit=A1", "unit", v, sizeof(v), &why), 1);
	assert_string_equal(v, "A1");
	/* So spelling it another way does not slip a second one past. */
	assert_int_equal(qs("unit=A1&%75nit=B2", "unit", v, sizeof(v), &why),
	    -1);
	assert_int_equal(why, URI_REPEATED);
	/* A name that does not decode is nobody's. */
	assert_int_equal(qs("unit%FF=A&unit%=B", "unit", v, sizeof(v), &why),
	    0);
}

static void
test_uri_qs_repeated_is_unusable(void **state)
{
	char		v[33];
	int		why;

	(void)state;
	assert_int_equal(qs("unit=a&unit=b", "unit", v, sizeof(v), &why), -1);
	assert_int_equal(why, URI_REPEATED);
	assert_string_equal(v, "");
	/* Even twice the same value: a client that builds that is broken. */
	assert_int_equal(qs("unit=a&form=PL1&unit=a", "unit", v, sizeof(v),
	    &why), -1);
	assert_int_equal(why, URI_REPEATED);
	assert_int_equal(qs("unit=a&form=PL1&unit=a", "form", v, sizeof(v),
	    &why), 1);
	assert_string_equal(uri_problem(URI_REPEATED), "repeated");
}

static void
test_uri_qs_unusable_values(void **state)
{
	char		v[33];
	char		query[128];
	int		why;

	(void)state;
	/* 40 characters do not fit a unit code of 32: never "no filter". */
	(void)snprintf(query, sizeof(query), "unit=%s",
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	assert_int_equal(qs(query, "unit", v, sizeof(v), &why), -1);
	assert_int_equal(why, URI_TOO_LONG);
	assert_string_equal(v, "");
	assert_string_equal(uri_problem(why), "too_long");

	assert_int_equal(qs("unit=%00", "unit", v, sizeof(v), &why), -1);
	assert_int_equal(why, URI_MALFORMED);
	assert_string_equal(uri_problem(why), "malformed");
	assert_int_equal(qs("unit=%zz", "unit", v, sizeof(v), &why), -1);
	assert_int_equal(why, URI_MALFORMED);
	assert_int_equal(qs("unit=%C0%AF", "unit", v, sizeof(v), &why), -1);
	assert_int_equal(qs("unit=%FF", "unit", v, sizeof(v), &why), -1);
	assert_int_equal(qs("unit=\xff", "unit", v, sizeof(v), &why), -1);
	assert_int_equal(qs("unit=%ED%A0%80", "unit", v, sizeof(v), &why),
	    -1);
	assert_int_equal(qs("unit=%E2%82", "unit", v, sizeof(v), &why), -1);
	assert_int_equal(qs("unit=a%0Ab", "unit", v, sizeof(v), &why), -1);
	/* A broken value of another argument is not this one's business. */
	assert_int_equal(qs("form=%FF&unit=A1", "unit", v, sizeof(v), &why),
	    1);
	assert_string_equal(v, "A1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri_decodes_escapes_and_plain_text),
		cmocka_unit_test(test_uri_plus_is_a_space_only_in_a_query),
		cmocka_unit_test(test_uri_keeps_vietnamese_text_raw_or_escaped),
		cmocka_unit_test(test_uri_refuses_broken_escapes),
		cmocka_unit_test(test_uri_refuses_nul_and_controls),
		cmocka_unit_test(test_uri_refuses_overlong_forms),
		cmocka_unit_test(test_uri_refuses_surrogates_and_beyond_unicode),
		cmocka_unit_test(test_uri_refuses_lone_and_cut_sequences),
		cmocka_unit_test(test_uri_too_long_when_it_does_not_fit),
		cmocka_unit_test(test_uri_qs_present_and_absent),
		cmocka_unit_test(test_uri_qs_names_compare_decoded),
		cmocka_unit_test(test_uri_qs_repeated_is_unusable),
		cmocka_unit_test(test_uri_qs_unusable_values),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
