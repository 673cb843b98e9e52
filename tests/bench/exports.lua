-- make bench, exports beside filing: each connection downloads, in turn,
-- the province's consolidated workbook and its consolidated PDF, back to
-- back for the whole run (wrk -d), as the office.  A 503 (every export
-- slot of the worker taken, modules/docs.c) is waited out for its
-- Retry-After, as the pages do, and counted.
--   wrk -t N -c N -d SECONDS -s tests/bench/exports.lua URL \
--       -- SID PATH...

local lib = dofile("tests/bench/lib.lua")

local threads = {}

function setup(thread)
	thread:set("tid", #threads)
	threads[#threads + 1] = thread
end

function init(args)
	sid = args[1]
	paths = {}
	for i = 2, #args do paths[#paths + 1] = args[i] end
	idx = tid % #paths
	lats = {}
	busy = 0
	bad = 0
	wait = 0
end

function delay()
	local w = wait
	wait = 0
	return w
end

function request()
	idx = idx % #paths + 1
	t0 = lib.now_us()
	t_first = t_first or t0
	pending = true
	return wrk.format("GET", paths[idx], { ["Cookie"] = "sid=" .. sid })
end

function response(status, headers, body)
	if not pending then return end
	pending = false
	t_last = lib.now_us()
	if status == 503 then
		busy = busy + 1
		wait = 1000 * (tonumber(headers["retry-after"] or
		    headers["Retry-After"] or "1") or 1)
		idx = idx - 1
		return
	end
	if status ~= 200 then bad = bad + 1 end
	lats[#lats + 1] = t_last - t0
end

function done(summary, latency, requests)
	local all, nbusy, nbad = {}, 0, 0
	for _, t in ipairs(threads) do
		lib.append(all, t:get("lats"))
		nbusy = nbusy + (t:get("busy") or 0)
		nbad = nbad + (t:get("bad") or 0)
	end
	lib.report("export", all, nbad, lib.span(threads))
	io.write("BENCH exports busy (503, tried again after Retry-After): ",
	    nbusy, "\n")
end
