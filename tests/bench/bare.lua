-- make bench: the bare Kore route (modules/bench.c), GET /bench/bare, for
-- the ratio with the portal's own routes under the same wrk settings.
--   wrk -t N -c N -d 10s -s tests/bench/bare.lua URL/bench/bare -- LABEL
-- Prints one BENCH line from wrk's own latency histogram.

local label = "bare"

function setup(thread)
end

function init(args)
	label = args[1] or label
end

function done(summary, latency, requests)
	local non = summary.errors.status + summary.errors.connect +
	    summary.errors.read + summary.errors.write + summary.errors.timeout
	io.write(string.format("BENCH kind=bare n=%d rps=%.1f mean=%.3f " ..
	    "p50=%.3f p90=%.3f p99=%.3f max=%.3f non2xx=%d\n",
	    summary.requests, summary.requests / (summary.duration / 1e6),
	    latency.mean / 1000, latency:percentile(50) / 1000,
	    latency:percentile(90) / 1000, latency:percentile(99) / 1000,
	    latency.max / 1000, non))
end
