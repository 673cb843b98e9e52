/*
 * The pages' files as the server keeps them: versions, references
 * rewritten to name them, gzip, and the headers that decide what is sent.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "webcache.h"

/* The files the tests' pages name, and their versions. */
static const char *
versions(const char *name, void *arg)
{
	static const char *const	known[][2] = {
		{ "css/app.css", "c55" },
		{ "js/app.js", "a11" },
		{ "js/periods.js", "b22" },
		{ "favicon.svg", "f00" },
	};
	size_t				i;

	(void)arg;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i][0], name) == 0)
			return (known[i][1]);

	return (NULL);
}

static char *
rewrite(const char *name, const char *text)
{
	char	*out;
	size_t	len;

	out = webcache_rewrite(name, text, strlen(text), versions, NULL,
	    &len);
	assert_non_null(out);
	assert_int_equal(strlen(out), len);

	return (out);
}

static void
test_webcache_page_names_the_versions_of_its_files(void **state)
{
	char	*s;

	(void)state;
	s = rewrite("dashboard.html",
	    "<link rel=\"icon\" href=\"/assets/favicon.svg\">\n"
	    "<link rel=\"stylesheet\" href=\"/assets/css/app.css\">\n"
	    "<script type=\"module\" src=\"/assets/js/app.js\"></script>\n"
	    "<a href=\"/assets/mau.csv\">mẫu</a> "
	    "<a href=\"/assets/js/app.js?x=1\">q</a> /assets/js/app.js\n");
	assert_string_equal(s,
	    "<link rel=\"icon\" href=\"/assets/favicon.svg?v=f00\">\n"
	    "<link rel=\"stylesheet\" href=\"/assets/css/app.css?v=c55\">\n"
	    "<script type=\"module\" src=\"/assets/js/app.js?v=a11\"></script>\n"
	    /* Unknown files, a query already there, no quotes: as they are. */
	    "<a href=\"/assets/mau.csv\">mẫu</a> "
	    "<a href=\"/assets/js/app.js?x=1\">q</a> /assets/js/app.js\n");
	free(s);
}

static void
test_webcache_module_names_the_versions_of_its_imports(void **state)
{
	char	*s;

	(void)state;
	s = rewrite("js/dashboard.js",
	    "import {\n\tapi, h,\n} from './app.js';\n"
	    "import { x } from \"./periods.js\";\n"
	    "import './app.js';\n"
	    "import{y}from'./app.js';\n"
	    "const a = transform './app.js';\n"
	    "export { z } from '../js/periods.js';\n"
	    "import { w } from './missing.js';\n"
	    "import { v } from 'https://cdn.example/app.js';\n");
	assert_string_equal(s,
	    "import {\n\tapi, h,\n} from './app.js?v=a11';\n"
	    "import { x } from \"./periods.js?v=b22\";\n"
	    "import './app.js?v=a11';\n"
	    "import{y}from'./app.js?v=a11';\n"
	    "const a = transform './app.js';\n"
	    "export { z } from '../js/periods.js?v=b22';\n"
	    "import { w } from './missing.js';\n"
	    "import { v } from 'https://cdn.example/app.js';\n");
	free(s);

	/* Out of the folder, or a file that is neither: unchanged. */
	s = rewrite("app.js", "import a from '../js/app.js';\n");
	assert_string_equal(s, "import a from '../js/app.js';\n");
	free(s);
	s = rewrite("css/app.css", "/* from './app.js' */ \"/assets/js/app.js\"");
	assert_string_equal(s, "/* from './app.js' */ \"/assets/js/app.js\"");
	free(s);
	s = rewrite("x.html", "");
	assert_string_equal(s, "");
	free(s);
}

static void
test_webcache_version_changes_with_the_bytes(void **state)
{
	char	a[WEBCACHE_VERSION_LEN + 1], b[WEBCACHE_VERSION_LEN + 1];

	(void)state;
	webcache_version("abc", 3, a);
	webcache_version("abd", 3, b);
	assert_int_equal(strlen(a), WEBCACHE_VERSION_LEN);
	assert_string_not_equal(a, b);
	webcache_version("abc", 3, b);
	assert_string_equal(a, b);
	webcache_version("", 0, b);
	assert_string_equal(b, "cbf29ce484222325");
}

static void
test_webcache_gzip_round_trips_and_shrinks_text(void **state)
{
	unsigned char	*gz, *back;
	char		*text;
	size_t		gzlen, i, len;
	uLongf		backlen;
	z_stream	z;

	(void)state;
	len = 64 * 1024;
	assert_non_null(text = malloc(len));
	for (i = 0; i < len; i++)
		text[i] = "Báo cáo chuyển đổi số "[i % 24];
	assert_int_equal(webcache_gzip(text, len, &gz, &gzlen), 0);
	assert_true(gzlen < len / 10);
	/* A gzip member: magic, deflate. */
	assert_int_equal(gz[0], 0x1f);
	assert_int_equal(gz[1], 0x8b);
	assert_int_equal(gz[2], 8);

	backlen = len;
	assert_non_null(back = malloc(len));
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = gz;
	z.avail_in = (uInt)gzlen;
	z.next_out = back;
	z.avail_out = (uInt)backlen;
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.total_out, len);
	(void)inflateEnd(&z);
	assert_memory_equal(back, text, len);
	free(back);
	free(gz);

	assert_int_equal(webcache_gzip("", 0, &gz, &gzlen), 0);
	assert_true(gzlen > 0);
	free(gz);
	free(text);
}

static void
test_webcache_accept_encoding(void **state)
{
	static const struct {
		const char	*h;
		int		ok;
	} cases[] = {
		{ "gzip", 1 },
		{ "gzip, deflate, br", 1 },
		{ "br;q=1.0, GZIP;q=0.5", 1 },
		{ "deflate, x-gzip", 1 },
		{ "*", 1 },
		{ "*;q=0.1", 1 },
		{ " gzip ; q=0.001 ", 1 },
		{ NULL, 0 },
		{ "", 0 },
		{ "identity", 0 },
		{ "deflate, br", 0 },
		{ "gzip;q=0", 0 },
		{ "gzip;q=0.000", 0 },
		{ "gzip; q=0.0, *", 0 },
		{ "*;q=0", 0 },
		{ "gzipx", 0 },
		{ "xgzip", 0 },
		{ ",,;;q=,", 0 },
		{ ";q=0", 0 },
		{ "gzip;q=0, gzip", 1 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (webcache_accepts_gzip(cases[i].h) != cases[i].ok)
			fail_msg("Accept-Encoding \"%s\": expected %d",
			    cases[i].h ? cases[i].h : "(none)", cases[i].ok);
	}
}

static void
test_webcache_if_none_match(void **state)
{
	(void)state;
	assert_true(webcache_etag_match("\"abc\"", "\"abc\""));
	assert_true(webcache_etag_match("W/\"abc\"", "\"abc\""));
	assert_true(webcache_etag_match("\"x\", \"abc\"", "\"abc\""));
	assert_true(webcache_etag_match(" \"x\" ,W/\"abc\"", "\"abc\""));
	assert_true(webcache_etag_match("*", "\"abc\""));
	assert_false(webcache_etag_match(NULL, "\"abc\""));
	assert_false(webcache_etag_match("", "\"abc\""));
	assert_false(webcache_etag_match("\"abcd\"", "\"abc\""));
	assert_false(webcache_etag_match("\"ab\"", "\"abc\""));
	assert_false(webcache_etag_match("abc", "\"abc\""));
	assert_false(webcache_etag_match("\"abc", "\"abc\""));
	assert_false(webcache_etag_match("\"abc-gz\"", "\"abc\""));
	/* Malformed before a match: nothing trusted after it. */
	assert_false(webcache_etag_match("x, \"abc\"", "\"abc\""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_webcache_page_names_the_versions_of_its_files),
		cmocka_unit_test(
		    test_webcache_module_names_the_versions_of_its_imports),
		cmocka_unit_test(test_webcache_version_changes_with_the_bytes),
		cmocka_unit_test(
		    test_webcache_gzip_round_trips_and_shrinks_text),
		cmocka_unit_test(test_webcache_accept_encoding),
		cmocka_unit_test(test_webcache_if_none_match),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
