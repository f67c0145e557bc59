-- wrk: POST the batch request body in the file given as args[1]
-- Every request carries the admin token the benchmark scripts put in LEADSCORING_TOKEN.
local authorization = "Bearer " .. assert(os.getenv("LEADSCORING_TOKEN"), "LEADSCORING_TOKEN is not set")

function init(args)
  local file = assert(io.open(args[1], "rb"))
  body = file:read("*a")
  file:close()
end

function request()
  return wrk.format("POST", "/api/ai/scoring/score/batch", { ["Content-Type"] = "application/json", ["Authorization"] = authorization }, body)
end
