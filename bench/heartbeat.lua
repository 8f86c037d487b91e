-- wrk script: every request is one heartbeat of one of BENCH_WORKERS simulated workers
-- (ids sim-00000 ... ), round robin, with the seed's telemetry payload and the bearer token.
-- Prints one JSON line at the end (parsed by bench/bench.py).
local n = tonumber(os.getenv("BENCH_WORKERS") or "1000")
local token = os.getenv("BENCH_TOKEN") or ""
local body = '{"status":"IDLE","telemetry":{"cpu_usage":12.5,"gpu_usage":null,' ..
             '"ram_free_bytes":17179869184,"temp_c":48.0},"job_context":null}'
local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }

local threads = {}
local counter = 0

function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end

function init(args)
  counter = offset or 0
end

function request()
  counter = counter + 1
  local id = string.format("sim-%05d", counter % n)
  return wrk.format("POST", "/v1/workers/" .. id .. "/heartbeats", headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,' ..
    '"status_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean))
end
