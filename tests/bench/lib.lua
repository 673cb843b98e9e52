-- Helpers shared by the wrk scripts of make bench (loaded with dofile from
-- the project root, in every Lua state wrk makes: one per thread plus the
-- one that runs setup() and done()).
--
-- wrk's request() and response() callbacks do not say which connection
-- they serve, so the scripts run one connection per thread (-t N -c N):
-- then a thread's globals are that connection's state (its unit, cookie
-- and CSRF token), and the time between request() and response() is that
-- request's latency, kept per kind of request.

local ffi = require("ffi")
pcall(ffi.cdef, [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int, bench_timespec *);
int getpid(void);
int kill(int, int);
]])

local lib = {}
local ts = ffi.new("bench_timespec")

-- Monotonic clock in microseconds.
function lib.now_us()
	ffi.C.clock_gettime(1, ts)
	return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3
end

function lib.read_lines(path)
	local t = {}
	local f = assert(io.open(path, "r"))
	for line in f:lines() do
		if line ~= "" then t[#t + 1] = line end
	end
	f:close()
	return t
end

function lib.split(s)
	local t = {}
	for w in s:gmatch("%S+") do t[#t + 1] = w end
	return t
end

-- Nearest-rank percentile of a sorted list.
function lib.pct(sorted, p)
	if #sorted == 0 then return 0 end
	local i = math.ceil(p / 100 * #sorted)
	if i < 1 then i = 1 end
	return sorted[i]
end

-- One "BENCH" line per kind: count, throughput over the run, latency
-- percentiles in milliseconds, answers that were not 2xx.
function lib.report(kind, lats, non2xx, duration_us)
	table.sort(lats)
	local sum = 0
	for _, v in ipairs(lats) do sum = sum + v end
	local n = #lats
	io.write(string.format("BENCH kind=%s n=%d rps=%.1f mean=%.2f " ..
	    "p50=%.2f p90=%.2f p99=%.2f max=%.2f non2xx=%d\n", kind, n,
	    n / (duration_us / 1e6), n > 0 and sum / n / 1000 or 0,
	    lib.pct(lats, 50) / 1000, lib.pct(lats, 90) / 1000,
	    lib.pct(lats, 99) / 1000, (lats[n] or 0) / 1000, non2xx))
end

-- A thread whose connection has done all its work.  wrk's main thread
-- sleeps for the whole -d whatever the threads do; SIGINT makes it stop
-- and report at once, so the last thread to finish sends it.  Threads
-- count themselves in the file named by BENCH_DONE (appends of one short
-- line are atomic).
function lib.finished(nthreads)
	local path = assert(os.getenv("BENCH_DONE"), "BENCH_DONE not set")
	local f = assert(io.open(path, "a"))
	f:write("x\n")
	f:close()
	if #lib.read_lines(path) >= nthreads then
		ffi.C.kill(ffi.C.getpid(), 2)
	end
	wrk.thread:stop()
end

-- The span of the run from the threads' first request to their last
-- answer (wrk's own duration is always the whole -d).
function lib.span(threads)
	local first, last
	for _, t in ipairs(threads) do
		local a, b = t:get("t_first"), t:get("t_last")
		if a and (first == nil or a < first) then first = a end
		if b and (last == nil or b > last) then last = b end
	end
	if first == nil or last == nil or last <= first then return 1 end
	return last - first
end

-- Append the elements of b to a.
function lib.append(a, b)
	for _, v in ipairs(b or {}) do a[#a + 1] = v end
end

-- A private clinic's full Phụ lục 1 (no gksklx items): 22 consistent
-- values, as tests/integration/test_reports.py pl1_values(gksklx=False).
lib.PL1_VALUES = '{"bhyt.records_total":1000,"bhyt.records_ontime":950,' ..
    '"erx.total":800,"erx.linked":780,"birth.total":20,' ..
    '"birth.synced":19,"death.total":3,"death.synced":3,' ..
    '"pay.total":2000,"pay.transfer":300,"pay.pos":200,' ..
    '"pay.qr_static":100,"pay.qr_dynamic":400,"pay.ewallet":50,' ..
    '"pay.other":10,"cccd.visits":1500,"cccd.used":1200,' ..
    '"cccd.insurance_returned":1100,"cccd.qr_readers":6,' ..
    '"sign.issued":40,"sign.needed":5,"stay.declared":30}'

return lib
