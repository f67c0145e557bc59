-- wrk: one new page view (no activity id, so never a duplicate) for a random lead; args: N, occurred_at
-- Every request carries the admin token the benchmark scripts put in LEADSCORING_TOKEN.
local authorization = "Bearer " .. assert(os.getenv("LEADSCORING_TOKEN"), "LEADSCORING_TOKEN is not set")

function init(args)
  total = tonumber(args[1])
  body = '{"activities":[{"type":"page_view","occurred_at":"' .. args[2] .. '","properties":{"duration_seconds":30}}]}'
  math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1000000))
end

function request()
  return wrk.format("POST", "/api/leads/b-" .. math.random(0, total - 1) .. "/activities",
    { ["Content-Type"] = "application/json", ["Authorization"] = authorization }, body)
end
