/*
 * The bare route of the benchmarks (make bench): 200 "ok" without the
 * dispatcher, the session or the database, so that wrk can measure what
 * Kore itself costs on this machine.  Only the benchmark's own copy of
 * kore.conf routes ^/bench/bare$ here; the production kore.conf does not.
 */
#include <kore/kore.h>
#include <kore/http.h>

int	bench_bare(struct http_request *);

int
bench_bare(struct http_request *req)
{
	http_response_header(req, "content-type", "text/plain");
	http_response(req, 200, "ok", 2);

	return (KORE_RESULT_OK);
}
