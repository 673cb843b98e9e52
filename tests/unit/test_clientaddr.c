/*
 * Which address a sign-in is counted by: the peer, or X-Real-IP from a
 * trusted proxy only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "clientaddr.h"

static void
test_client_proxies_parse_a_list_with_spaces(void **state)
{
	struct client_proxies	p;

	(void)state;
	assert_int_equal(client_proxies_parse(" 10.0.0.1, 10.0.0.2 ,::1,",
	    &p), 0);
	assert_int_equal(p.n, 3);
	assert_int_equal(client_proxies_parse(NULL, &p), 0);
	assert_int_equal(p.n, 0);
	assert_int_equal(client_proxies_parse("", &p), 0);
	assert_int_equal(p.n, 0);
}

static void
test_client_proxies_refuse_what_is_not_an_address(void **state)
{
	static const char	*bad[] = {
		"10.0.0.0/8", "nginx", "10.0.0.1 10.0.0.2", "10.0.0.256",
		"10.0.0.1;10.0.0.2", "*",
	};
	struct client_proxies	p;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(client_proxies_parse(bad[i], &p), -1);
		assert_int_equal(p.n, 0);
	}
}

static void
test_client_addr_ignores_the_header_from_an_untrusted_peer(void **state)
{
	struct client_proxies	p;
	char			out[CLIENT_ADDR_MAX];

	(void)state;
	assert_int_equal(client_proxies_parse("10.0.0.1", &p), 0);
	assert_int_equal(client_addr(&p, "203.0.113.9", "198.51.100.7", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "203.0.113.9");

	/* Nobody is trusted when PORTAL_TRUSTED_PROXIES is unset. */
	assert_int_equal(client_proxies_parse(NULL, &p), 0);
	assert_int_equal(client_addr(&p, "10.0.0.1", "198.51.100.7", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "10.0.0.1");
}

static void
test_client_addr_takes_the_header_from_a_trusted_proxy(void **state)
{
	struct client_proxies	p;
	char			out[CLIENT_ADDR_MAX];

	(void)state;
	assert_int_equal(client_proxies_parse("10.0.0.1,10.0.0.2", &p), 0);
	assert_int_equal(client_addr(&p, "10.0.0.2", "198.51.100.7", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "198.51.100.7");
	assert_int_equal(client_addr(&p, "10.0.0.1", "2001:db8::7", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "2001:db8::7");

	/* No header, or one that is not one address: the proxy itself. */
	assert_int_equal(client_addr(&p, "10.0.0.1", NULL, out, sizeof(out)),
	    0);
	assert_string_equal(out, "10.0.0.1");
	assert_int_equal(client_addr(&p, "10.0.0.1", "1.2.3.4, 5.6.7.8", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "10.0.0.1");
	assert_int_equal(client_addr(&p, "10.0.0.1", "", out, sizeof(out)), 0);
	assert_string_equal(out, "10.0.0.1");
}

static void
test_client_addr_writes_mapped_ipv4_as_ipv4(void **state)
{
	struct client_proxies	p;
	char			out[CLIENT_ADDR_MAX];

	(void)state;
	assert_int_equal(client_proxies_parse("::ffff:10.0.0.1", &p), 0);
	assert_int_equal(client_addr(&p, "10.0.0.1", "::ffff:198.51.100.7",
	    out, sizeof(out)), 0);
	assert_string_equal(out, "198.51.100.7");
	assert_int_equal(client_addr(NULL, "::ffff:127.0.0.1", NULL, out,
	    sizeof(out)), 0);
	assert_string_equal(out, "127.0.0.1");
}

static void
test_client_addr_refuses_a_peer_that_is_no_address(void **state)
{
	char	out[CLIENT_ADDR_MAX];

	(void)state;
	assert_int_equal(client_addr(NULL, "", NULL, out, sizeof(out)), -1);
	assert_int_equal(client_addr(NULL, NULL, NULL, out, sizeof(out)), -1);
	assert_int_equal(client_addr(NULL, "localhost", NULL, out,
	    sizeof(out)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_proxies_parse_a_list_with_spaces),
		cmocka_unit_test(test_client_proxies_refuse_what_is_not_an_address),
		cmocka_unit_test(test_client_addr_ignores_the_header_from_an_untrusted_peer),
		cmocka_unit_test(test_client_addr_takes_the_header_from_a_trusted_proxy),
		cmocka_unit_test(test_client_addr_writes_mapped_ipv4_as_ipv4),
		cmocka_unit_test(test_client_addr_refuses_a_peer_that_is_no_address),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
