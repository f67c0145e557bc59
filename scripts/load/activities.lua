-- wrk: one new page view for a random lead, without an activity id (so never a duplicate) unless asked.
-- args: N, occurred_at[, rate, connections[, "ids"]]: with a rate above 0 (requests/s over all the connections),
-- each connection waits between its requests (connections/rate seconds on average, jittered), so wrk offers
-- about that load instead of as much as the server takes; with "ids" every page view carries a new activity id.
-- Every request carries the admin token the benchmark scripts put in LEADSCORING_TOKEN.
local authorization = "Bearer " .. assert(os.getenv("LEADSCORING_TOKEN"), "LEADSCORING_TOKEN is not set")

function init(args)
  total = tonumber(args[1])
  activity = '"type":"page_view","occurred_at":"' .. args[2] .. '","properties":{"duration_seconds":30}}]}'
  plain = '{"activities":[{' .. activity
  interval_ms = args[3] and tonumber(args[3]) > 0 and tonumber(args[4]) * 1000 / tonumber(args[3]) or nil
  math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1000000))
  -- Ids unique across wrk's threads: each thread has its own random prefix and counter.
  ids = args[5] == "ids" and string.format("%08x", math.random(0, 0x7fffffff)) or nil
  sent = 0
end

function body()
  if not ids then return plain end
  sent = sent + 1
  return '{"activities":[{"activity_id":"' .. ids .. "-" .. sent .. '",' .. activity
end

function delay()
  return interval_ms and math.floor(interval_ms * (0.5 + math.random())) or 0
end

function request()
  return wrk.format("POST", "/api/leads/b-" .. math.random(0, total - 1) .. "/activities",
    { ["Content-Type"] = "application/json", ["Authorization"] = authorization }, body())
end
