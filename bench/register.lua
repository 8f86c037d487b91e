-- wrk script: registers BENCH_WORKERS simulated workers (ids sim-00000 ...) with seed-like
-- POST /v1/workers payloads, each id once, then prints `registered` (bench/ingest.py times the run up to that line) and stops.
-- BENCH_ADDRESS is the callback address every simulated worker gives.
-- Prints one JSON line at the end (parsed by bench/ingest.py).
local n = tonumber(os.getenv("BENCH_WORKERS") or "1000")
local token = os.getenv("BENCH_TOKEN") or ""
local address = os.getenv("BENCH_ADDRESS") or "http://127.0.0.1:9"
local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }

local threads = {}
sent, answered, created, other = 0, 0, 0, 0   -- globals: done() reads them with thread:get

function setup(thread)
  table.insert(threads, thread)
end

function request()
  local i = sent % n
  sent = sent + 1
  local body = string.format('{"id":"sim-%05d","address":"%s","max_jobs":4,"segment_seconds":4,' ..
    '"static_specs":{"cpu_model":"Simulated EPYC","total_threads":16,"hardware_acceleration":["nvenc"],' ..
    '"encoders":["libx264","h264_nvenc","hevc_nvenc"]}}', i, address)
  return wrk.format("POST", "/v1/workers", headers, body)
end

function response(status, headers, body)
  answered = answered + 1
  if status == 201 then created = created + 1 elseif status ~= 200 then other = other + 1 end
  if answered == n then
    -- The bench times the run up to this line (wrk's own duration is always the full -d).
    io.write("registered\n")
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local made, odd = 0, 0
  for _, t in ipairs(threads) do made = made + t:get("created"); odd = odd + t:get("other") end
  io.write(string.format('{"requests":%d,"duration_us":%d,"created":%d,"other_status":%d,"errors":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, made, odd,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
