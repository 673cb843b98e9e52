-- make bench, deadline day, step 2: every unit saves its full Phụ lục 1
-- draft and submits it, with the session signin.lua made for it.
--   BENCH_DONE=FILE wrk -t N -c N -d MAX -s tests/bench/burst.lua URL \
--       -- N SESSIONS PERIOD [THINK_MS [LIMIT]]
-- SESSIONS: "unit sid csrf" a line; thread i (one connection) takes the
-- lines i, i+N, ...  For each unit in turn: PUT
-- /api/v1/reports/UNIT/PERIOD/PL1 (version 0, 22 consistent values: a
-- private clinic has no gksklx items), then POST .../submit; the next
-- unit once both are answered.  Latencies are kept per kind.
-- THINK_MS > 0: each connection pauses before every request, for a time
-- drawn from an exponential distribution of that mean (people who read
-- and type), cut at 8 s: Kore answers 408 and closes a connection that
-- sends nothing for 10 s (http_header_timeout), which is not what is
-- measured here.  LIMIT: only the first LIMIT sessions of the file.

local lib = dofile("tests/bench/lib.lua")

local VALUES = lib.PL1_VALUES
local BODY = '{"version":0,"values":' .. VALUES .. '}'

local threads = {}

function setup(thread)
	thread:set("tid", #threads)
	threads[#threads + 1] = thread
end

function init(args)
	nthreads = tonumber(args[1])
	sessions = {}
	for i, line in ipairs(lib.read_lines(args[2])) do
		if (i - 1) % nthreads == tid then
			sessions[#sessions + 1] = lib.split(line)
		end
	end
	period = args[3]
	think = tonumber(args[4] or "0")
	local limit = tonumber(args[5] or "0")
	if limit > 0 then
		while #sessions > 0 and (#sessions - 1) * nthreads + tid >= limit do
			sessions[#sessions] = nil
		end
	end
	math.randomseed(1000 + tid)
	idx = 1
	step = "save"
	save_lats, submit_lats = {}, {}
	save_bad, submit_bad = 0, 0
	statuses = {}
end

function delay()
	if think <= 0 then return 0 end
	return math.min(-think * math.log(1 - math.random()), 8000)
end

function request()
	local s = sessions[idx]
	if s == nil then
		-- Nothing to file on this connection: one request to end on.
		pending = true
		return wrk.format("GET", "/bench/bare")
	end
	local path = "/api/v1/reports/" .. s[1] .. "/" .. period .. "/PL1"
	local h = { ["Cookie"] = "sid=" .. s[2], ["X-CSRF-Token"] = s[3],
	    ["Content-Type"] = "application/json" }
	t0 = lib.now_us()
	t_first = t_first or t0
	pending = true
	if step == "save" then
		return wrk.format("PUT", path, h, BODY)
	end
	return wrk.format("POST", path .. "/submit", h, "")
end

function response(status, headers, body)
	-- An answer nobody asked for: Kore's 408 on an idle connection.
	if not pending then
		unsolicited = (unsolicited or 0) + 1
		return
	end
	pending = false
	if sessions[idx] == nil then
		lib.finished(nthreads)
		return
	end
	t_last = lib.now_us()
	local lat = t_last - t0
	local ok = status >= 200 and status < 300
	if not ok and #statuses < 20 then
		statuses[#statuses + 1] = step .. ":" .. status .. ":" ..
		    body:sub(1, 80)
	end
	if step == "save" then
		save_lats[#save_lats + 1] = lat
		if ok then
			step = "submit"
			return
		end
		save_bad = save_bad + 1
	else
		submit_lats[#submit_lats + 1] = lat
		if not ok then submit_bad = submit_bad + 1 end
	end
	step = "save"
	idx = idx + 1
	if idx > #sessions then lib.finished(nthreads) end
end

function done(summary, latency, requests)
	local sv, sb, bad_v, bad_b, codes = {}, {}, 0, 0, {}
	for _, t in ipairs(threads) do
		lib.append(sv, t:get("save_lats"))
		lib.append(sb, t:get("submit_lats"))
		lib.append(codes, t:get("statuses"))
		bad_v = bad_v + (t:get("save_bad") or 0)
		bad_b = bad_b + (t:get("submit_bad") or 0)
	end
	local all = {}
	lib.append(all, sv)
	lib.append(all, sb)
	local span = lib.span(threads)
	lib.report("save", sv, bad_v, span)
	lib.report("submit", sb, bad_b, span)
	lib.report("save+submit", all, bad_v + bad_b, span)
	local unsol = 0
	for _, t in ipairs(threads) do unsol = unsol + (t:get("unsolicited") or 0) end
	if unsol > 0 then
		io.write("BENCH burst error: ", unsol, " answers without a request ",
		    "(Kore's 408 on an idle connection)\n")
	end
	for i = 1, math.min(#codes, 5) do
		io.write("BENCH burst error: ", codes[i], "\n")
	end
end
