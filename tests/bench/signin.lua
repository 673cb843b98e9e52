-- make bench, deadline day, step 1: every unit signs in.
--   BENCH_SESSIONS=OUT BENCH_DONE=FILE wrk -t N -c N -d MAX \
--       -s tests/bench/signin.lua URL -- N UNITS PASSWORD
-- UNITS: one "unit username" a line; thread i (one connection) takes the
-- lines i, i+N, i+2N... and signs each in with POST /api/v1/session,
-- keeping the cookie and the csrf_token of the answer.  OUT receives
-- "unit sid csrf" for every session made, for burst.lua.
-- Sign-in verifies an argon2id hash (t=2, m=19 MiB) on the worker, by
-- design tens of milliseconds of CPU each: measured here on its own so
-- that it does not blur the figures of saving and submitting.
-- A worker checks at most 4 x task_threads passwords at once and answers
-- 503 busy beyond (modules/auth.c): the unit then signs in again, as the
-- page does after Retry-After, and the retries are counted apart.

local lib = dofile("tests/bench/lib.lua")

local threads = {}

function setup(thread)
	thread:set("tid", #threads)
	threads[#threads + 1] = thread
end

function init(args)
	nthreads = tonumber(args[1])
	units = {}
	for i, line in ipairs(lib.read_lines(args[2])) do
		if (i - 1) % nthreads == tid then
			units[#units + 1] = lib.split(line)
		end
	end
	password = args[3]
	idx = 1
	lats = {}
	out = {}
	non2xx = 0
	busy = 0
	statuses = {}
end

function request()
	local u = units[idx]
	if u == nil then
		-- Only a thread without units gets here: it stops on the answer.
		return wrk.format("GET", "/bench/bare")
	end
	t0 = lib.now_us()
	t_first = t_first or t0
	pending = true
	return wrk.format("POST", "/api/v1/session",
	    { ["Content-Type"] = "application/json" },
	    '{"username":"' .. u[2] .. '","password":"' .. password .. '"}')
end

function response(status, headers, body)
	-- An answer nobody asked for: Kore's 408 on an idle connection.
	if not pending then return end
	pending = false
	local u = units[idx]
	if u == nil then
		lib.finished(nthreads)
		return
	end
	t_last = lib.now_us()
	if status == 503 then
		busy = busy + 1
		return
	end
	lats[#lats + 1] = t_last - t0
	local sid = (headers["set-cookie"] or headers["Set-Cookie"] or "")
	    :match("sid=([^;]+)")
	local csrf = body:match('"csrf_token"%s*:%s*"([^"]+)"')
	if status == 200 and sid and csrf then
		out[#out + 1] = u[1] .. " " .. sid .. " " .. csrf
	else
		non2xx = non2xx + 1
		statuses[#statuses + 1] = status
	end
	idx = idx + 1
	if idx > #units then lib.finished(nthreads) end
end

function done(summary, latency, requests)
	local all, sessions, bad, codes, retried = {}, {}, 0, {}, 0
	for _, t in ipairs(threads) do
		lib.append(all, t:get("lats"))
		lib.append(sessions, t:get("out"))
		lib.append(codes, t:get("statuses"))
		bad = bad + (t:get("non2xx") or 0)
		retried = retried + (t:get("busy") or 0)
	end
	local f = assert(io.open(os.getenv("BENCH_SESSIONS"), "w"))
	for _, s in ipairs(sessions) do f:write(s, "\n") end
	f:close()
	lib.report("signin", all, bad, lib.span(threads))
	io.write("BENCH signin busy (503, signed in again): ", retried, "\n")
	if #codes > 0 then
		io.write("BENCH signin statuses: ", table.concat(codes, " ", 1,
		    math.min(#codes, 20)), "\n")
	end
end
