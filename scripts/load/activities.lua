-- wrk: one new page view for a random lead, as a site's tracker sends it (its URL, the channel), without an
-- activity id (so never a duplicate) unless asked.
-- args: N, occurred_at[, rate, threads[, "ids"]]: with a rate above 0 (requests/s over all of wrk's threads,
-- which must be given as wrk's -t), each thread sends on a fixed schedule, rate/threads a second, whatever
-- the answers' latency: a connection that comes back asks for the next free slot and waits for it, and slots
-- that passed while every connection was waiting are sent at once. So the server is offered that rate, as by
-- an open-loop client, as long as the connections suffice (use several times rate x expected latency).
-- With "ids" every page view carries a new activity id. With a batch size B above 1 (args[6]; needs "ids" or "-"
-- as args[5]), every request is POST /api/leads/activities/batch with B page views, each of a random lead: the rate
-- is then in requests/s, so B times that in events.
local authorization = "Bearer " .. assert(os.getenv("LEADSCORING_TOKEN"), "LEADSCORING_TOKEN is not set")

-- Runs in wrk's main Lua state once per thread, before the thread's own init.
local threads_set_up = 0
function setup(thread)
  threads_set_up = threads_set_up + 1
  thread:set("thread_number", threads_set_up)
end

function init(args)
  total = tonumber(args[1])
  activity = '"type":"page_view","occurred_at":"' .. args[2] .. '","properties":{"duration_seconds":30,"channel":"web",'
    .. '"url":"https://www.example.com/products/lead-scoring/pricing?plan=enterprise&utm_source=newsletter"}}]}'
  plain = '{"activities":[{' .. activity
  interval_ms = args[3] and tonumber(args[3]) > 0 and tonumber(args[4]) * 1000 / tonumber(args[3]) or nil
  next_slot = nil
  math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1000000))
  -- Ids unique across wrk's threads and runs: a random prefix per run, the thread's number, a counter.
  ids = args[5] == "ids" and string.format("%08x-%d", math.random(0, 0x7fffffff), thread_number) or nil
  batch = tonumber(args[6] or "1")
  sent = 0
end

function body()
  if not ids then return plain end
  sent = sent + 1
  return '{"activities":[{"activity_id":"' .. ids .. "-" .. sent .. '",' .. activity
end

local function batch_body()
  local items = {}
  for i = 1, batch do
    sent = sent + 1
    local id = ids and ('"activity_id":"' .. ids .. "-" .. sent .. '",') or ""
    items[i] = '{"lead_id":"b-' .. math.random(0, total - 1) .. '",' .. id .. activity:sub(1, -3)
  end
  return '{"activities":[' .. table.concat(items, ",") .. "]}"
end

-- wrk's Lua has no wall clock finer than seconds; LuaJIT's ffi reaches clock_gettime (CLOCK_MONOTONIC).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } leadscoring_timespec;
  int clock_gettime(int clock, leadscoring_timespec *now);
]]
local clock = ffi.new("leadscoring_timespec")

local function now_ms()
  ffi.C.clock_gettime(1, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

function delay()
  if not interval_ms then return 0 end
  local now = now_ms()
  local slot = next_slot or now
  next_slot = slot + interval_ms
  return math.max(0, math.floor(slot - now))
end

function request()
  if batch > 1 then
    return wrk.format("POST", "/api/leads/activities/batch",
      { ["Content-Type"] = "application/json", ["Authorization"] = authorization }, batch_body())
  end
  return wrk.format("POST", "/api/leads/b-" .. math.random(0, total - 1) .. "/activities",
    { ["Content-Type"] = "application/json", ["Authorization"] = authorization }, body())
end
