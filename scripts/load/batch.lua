-- wrk: POST the batch request body in the file given as args[1]
function init(args)
  local file = assert(io.open(args[1], "rb"))
  body = file:read("*a")
  file:close()
end

function request()
  return wrk.format("POST", "/api/ai/scoring/score/batch", { ["Content-Type"] = "application/json" }, body)
end
