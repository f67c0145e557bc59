-- wrk: GET the score of a random lead among b-0 .. b-(N-1); args: N
-- Every request carries the admin token the benchmark scripts put in LEADSCORING_TOKEN.
local authorization = "Bearer " .. assert(os.getenv("LEADSCORING_TOKEN"), "LEADSCORING_TOKEN is not set")

function init(args)
  total = tonumber(args[1])
  math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1000000))
end

function request()
  return wrk.format("GET", "/api/ai/scoring/score/b-" .. math.random(0, total - 1), { ["Authorization"] = authorization })
end
