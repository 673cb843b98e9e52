-- make bench, exports beside filing: each connection saves its unit's
-- full Phụ lục 1 draft again and again for the whole run (wrk -d),
-- pausing before every save for a time drawn from an exponential
-- distribution of mean THINK_MS (people reading and typing).
--   wrk -t N -c N -d SECONDS -s tests/bench/saves.lua URL \
--       -- N SESSIONS PERIOD THINK_MS
-- SESSIONS: "unit sid csrf version" a line (signin.lua's, with the
-- report's version now); thread i takes line i.  Each save sends the
-- version the last one answered, so none is stale.

local lib = dofile("tests/bench/lib.lua")

local VALUES = lib.PL1_VALUES

local threads = {}

function setup(thread)
	thread:set("tid", #threads)
	threads[#threads + 1] = thread
end

function init(args)
	local lines = lib.read_lines(args[2])
	session = lib.split(lines[tid + 1] or "")
	period = args[3]
	think = tonumber(args[4] or "0")
	math.randomseed(2000 + tid)
	version = tonumber(session[4] or "0") or 0
	lats = {}
	bad = 0
	statuses = {}
end

function delay()
	if think <= 0 then return 0 end
	return math.min(-think * math.log(1 - math.random()), 8000)
end

function request()
	if session[1] == nil then
		return wrk.format("GET", "/bench/bare")
	end
	t0 = lib.now_us()
	t_first = t_first or t0
	pending = true
	return wrk.format("PUT", "/api/v1/reports/" .. session[1] .. "/" ..
	    period .. "/PL1", { ["Cookie"] = "sid=" .. session[2],
	    ["X-CSRF-Token"] = session[3],
	    ["Content-Type"] = "application/json" },
	    '{"version":' .. version .. ',"values":' .. VALUES .. '}')
end

function response(status, headers, body)
	if not pending then return end
	pending = false
	t_last = lib.now_us()
	lats[#lats + 1] = t_last - t0
	if status == 200 then
		version = tonumber(body:match('^{"version":(%d+)') or
		    body:match('[,{]"version":(%d+)')) or version
	else
		bad = bad + 1
		if #statuses < 5 then
			statuses[#statuses + 1] = status .. ":" .. body:sub(1, 80)
		end
	end
end

function done(summary, latency, requests)
	local all, nbad, codes = {}, 0, {}
	for _, t in ipairs(threads) do
		lib.append(all, t:get("lats"))
		lib.append(codes, t:get("statuses"))
		nbad = nbad + (t:get("bad") or 0)
	end
	lib.report("save", all, nbad, lib.span(threads))
	for i = 1, math.min(#codes, 5) do
		io.write("BENCH saves error: ", codes[i], "\n")
	end
end
