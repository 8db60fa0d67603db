-- The load of scripts/soak, for wrk: a mix of API reads of a family,
-- family pages and recorded contact attempts, over many families picked at
-- random. Every answer outside 2xx counts as an error; done() prints the
-- counts in lines scripts/soak reads.
--
-- Environment (set by scripts/soak):
--   SOAK_IDS      a Lua file returning { {family id, person ref}, ... }
--   SOAK_TOKEN    the API token (Authorization: Bearer)
--   SOAK_COOKIE   the session cookie of a signed-in user, for pages
--   SOAK_WRITES   percent of requests that record a contact attempt
--   SOAK_PAGES    percent of requests that GET a family page
--   SOAK_DAY      the date of the contact attempts, YYYY-MM-DD
--   SOAK_RUN      a tag that makes the attempts' source ids unique per run

local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  threads[#threads + 1] = thread
end

local families
local token, cookie, day, run
local writes, pages
-- Globals, so that done() can read them from each thread (thread:get).
sent = { read = 0, page = 0, write = 0 }
statuses = {}
bad = 0
local seq = 0

local channels = { "PHONE", "MESSAGING_APP", "EMAIL", "MAIL" }
local outcomes = { "NO_ANSWER", "MESSAGE_LEFT", "REACHED", "WRONG_NUMBER" }

local function need(name)
  local v = os.getenv(name)
  if v == nil or v == "" then
    error("soak.lua: " .. name .. " is not set (run scripts/soak)")
  end
  return v
end

function init(args)
  families = dofile(need("SOAK_IDS"))
  if #families == 0 then
    error("soak.lua: no families in " .. need("SOAK_IDS"))
  end
  token = need("SOAK_TOKEN")
  cookie = need("SOAK_COOKIE")
  day = need("SOAK_DAY")
  run = need("SOAK_RUN")
  writes = tonumber(need("SOAK_WRITES"))
  pages = tonumber(need("SOAK_PAGES"))
  math.randomseed(os.time() * 1000 + tid)
  -- LuaJIT's first numbers after seeding are poorly mixed.
  for _ = 1, 10 do math.random() end
end

local api_headers, page_headers, write_headers

function request()
  if api_headers == nil then
    api_headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }
    page_headers = { ["Cookie"] = "rescreen_session=" .. cookie, ["Accept"] = "text/html" }
    write_headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  end
  local f = families[math.random(#families)]
  local r = math.random() * 100
  if r < writes then
    sent.write = sent.write + 1
    seq = seq + 1
    local body = string.format(
      '{"version":0,"changes":[{"kind":"contacts","record":{"source":"CLASS_COUNSEL","source_id":"SOAK-%s-%d-%d","person":"%s","on":"%s","channel":"%s","outcome":"%s","by":"soak"}}]}',
      run, tid, seq, f[2], day, channels[math.random(#channels)], outcomes[math.random(#outcomes)])
    return wrk.format("POST", "/api/v1/families/" .. f[1] .. "/changes", write_headers, body)
  elseif r < writes + pages then
    sent.page = sent.page + 1
    return wrk.format("GET", "/families/" .. f[1], page_headers)
  end
  sent.read = sent.read + 1
  return wrk.format("GET", "/api/v1/families/" .. f[1], api_headers)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status < 200 or status > 299 then
    bad = bad + 1
    -- The first few bodies of errors say what went wrong.
    if bad <= 3 then
      io.stderr:write(string.format("soak: status %d: %s\n", status, string.sub(body or "", 1, 300)))
    end
  end
end

function done(summary, latency, requests)
  local reads, pages_, writes_, nbad = 0, 0, 0, 0
  local by = {}
  for _, t in ipairs(threads) do
    local s = t:get("sent")
    reads = reads + s.read
    pages_ = pages_ + s.page
    writes_ = writes_ + s.write
    nbad = nbad + t:get("bad")
    for code, n in pairs(t:get("statuses")) do
      by[code] = (by[code] or 0) + n
    end
  end
  local codes = {}
  for code in pairs(by) do codes[#codes + 1] = code end
  table.sort(codes)
  local parts = {}
  for _, code in ipairs(codes) do parts[#parts + 1] = string.format("%d=%d", code, by[code]) end
  local e = summary.errors
  io.write(string.format("soak-sent: reads %d pages %d writes %d\n", reads, pages_, writes_))
  io.write(string.format("soak-statuses: %s\n", table.concat(parts, " ")))
  io.write(string.format("soak-result: requests %d non2xx %d connect %d read %d write %d timeout %d\n",
    summary.requests, nbad, e.connect, e.read, e.write, e.timeout))
  io.write(string.format("soak-latency-ms: p50 %.2f p90 %.2f p99 %.2f p999 %.2f max %.2f mean %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, latency.mean / 1000))
end
