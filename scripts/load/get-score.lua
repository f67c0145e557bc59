-- wrk: GET the score of a random lead among b-0 .. b-(N-1); args: N
function init(args)
  total = tonumber(args[1])
  math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1000000))
end

function request()
  return wrk.format("GET", "/api/ai/scoring/score/b-" .. math.random(0, total - 1))
end
