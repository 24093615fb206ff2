-- wrk script of the gateway benchmark (Wrk.java): POSTs the benchmark's JSON bodies in turn, with
-- the target's headers, and counts the answers by status, so that the harness can check that a
-- round got what it measured (every 200, or every 401 or 429).
--   wrk ... -s wrk-post.lua URL -- BODIES HEADERS
--   BODIES: one JSON body per line; HEADERS: "Name: value" lines (a file: keys and tokens stay off
--   the command line that ps shows)
-- The last line wrk prints is the harness's: "vla-wrk requests=N duration_us=N connect=N read=N
-- write=N timeout=N statuses=200=N,...".

local requests = {}
local sent = 0
statuses = {}            -- global: the main state reads each thread's table in done()
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local headers = {["Content-Type"] = "application/json"}
  for line in io.lines(args[2]) do
    local name, value = line:match("^([^:]+):%s*(.*)$")
    if name then
      headers[name] = value
    end
  end
  -- Formatted once: per request, only a table lookup.
  for body in io.lines(args[1]) do
    requests[#requests + 1] = wrk.format("POST", nil, headers, body)
  end
end

function request()
  sent = sent + 1
  return requests[(sent % #requests) + 1]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, reqs)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(total) do
    parts[#parts + 1] = status .. "=" .. count
  end
  local e = summary.errors
  io.write(string.format("vla-wrk requests=%d duration_us=%d connect=%d read=%d write=%d timeout=%d statuses=%s\n",
      summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, table.concat(parts, ",")))
end
