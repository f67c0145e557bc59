-- wrk: upserts leads b-0 .. b-(N-1) in turn (threads interleaved); args: N, threads, first index (to go on
-- where the previous run stopped)
-- Every request carries the admin token the benchmark scripts put in LEADSCORING_TOKEN.
local authorization = "Bearer " .. assert(os.getenv("LEADSCORING_TOKEN"), "LEADSCORING_TOKEN is not set")
local counter = 0
local threads = 0
local industries = { "software", "finance", "retail", "education", "healthcare" }
local seniorities = { "c_level", "vp", "director", "manager", "individual_contributor" }

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  total = tonumber(args[1])
  step = tonumber(args[2])
  first = tonumber(args[3] or "0")
end

function request()
  local n = (first + id + counter * step) % total
  counter = counter + 1
  local body = string.format(
    '{"lead_id":"b-%d","attributes":{"industry":"%s","job_seniority":"%s","company_size":%d,"lead_source":"referral"}}',
    n, industries[n % 5 + 1], seniorities[n % 5 + 1], 10 + (n * 7919) % 5000)
  return wrk.format("POST", "/api/leads", { ["Content-Type"] = "application/json", ["Authorization"] = authorization }, body)
end
