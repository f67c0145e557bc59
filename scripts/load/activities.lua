-- wrk: one new page view (no activity id, so never a duplicate) for a random lead.
-- args: N, occurred_at[, rate, connections]: with a rate (requests/s over all the connections), each connection
-- waits between its requests (connections/rate seconds on average, jittered), so wrk offers about that load
-- instead of as much as the server takes.
-- Every request carries the admin token the benchmark scripts put in LEADSCORING_TOKEN.
local authorization = "Bearer " .. assert(os.getenv("LEADSCORING_TOKEN"), "LEADSCORING_TOKEN is not set")

function init(args)
  total = tonumber(args[1])
  body = '{"activities":[{"type":"page_view","occurred_at":"' .. args[2] .. '","properties":{"duration_seconds":30}}]}'
  interval_ms = args[3] and tonumber(args[4]) * 1000 / tonumber(args[3]) or nil
  math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1000000))
end

function delay()
  return interval_ms and math.floor(interval_ms * (0.5 + math.random())) or 0
end

function request()
  return wrk.format("POST", "/api/leads/b-" .. math.random(0, total - 1) .. "/activities",
    { ["Content-Type"] = "application/json", ["Authorization"] = authorization }, body)
end
