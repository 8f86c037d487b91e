#!/usr/bin/env bash
# Heartbeats/s at the orchestrator with metrics on and off, in the same run: 200 simulated
# workers registered, then wrk posts heartbeats (bench/heartbeat.lua) for 8 s against each.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${BIN:-.build/debug}"; n=200; token=bench
for mode in on off; do
  flags=(); [ "$mode" = off ] && flags=(--no-metrics)
  "$bin/transcode-orchestrator" --host 127.0.0.1 --port 0 --token $token --heartbeat-timeout 600 --log-level error "${flags[@]}" > /tmp/orch-$mode.out 2>/dev/null &
  pid=$!
  for _ in $(seq 100); do grep -q "listening on port" /tmp/orch-$mode.out 2>/dev/null && break; sleep 0.05; done
  port=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' /tmp/orch-$mode.out)
  for i in $(seq 0 $((n-1))); do
    id=$(printf "sim-%05d" $i)
    curl -s -o /dev/null -H "Authorization: Bearer $token" -d "{\"id\":\"$id\",\"static_specs\":{\"cpu_model\":\"x\",\"total_threads\":4,\"hardware_acceleration\":[]},\"address\":\"http://127.0.0.1:9\"}" http://127.0.0.1:$port/v1/workers
  done
  rate=$(BENCH_WORKERS=$n BENCH_TOKEN=$token wrk -t2 -c32 -d8s -s bench/heartbeat.lua http://127.0.0.1:$port 2>/dev/null | sed -n 's/^Requests\/sec: *//p')
  echo "metrics $mode: $rate heartbeats/s"
  kill $pid; wait $pid 2>/dev/null || true
done
