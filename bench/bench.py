#!/usr/bin/env python3
"""The benchmark suite (issue 6). Standard library only; started by bench/run.

Measures, side by side in one run, on 127.0.0.1 only:
  1. start overhead   POST /v1/jobs at the orchestrator -> segment0.ts on disk, vs bare ffmpeg
  2. seek latency     PUT with a new seek_time -> first new segment, vs bare ffmpeg cold at that seek
  3. throughput       whole transcode through the worker vs bare ffmpeg
  4. orchestrator     heartbeats/s and p50/p99 with 1,000 and 10,000 simulated workers (wrk),
                      and the time of one routing decision with 10,000 registered workers
  5. worker footprint RSS and CPU of an idle worker heartbeating every second
  6. players          what headless Chromium sees: page load -> playing, seek -> playing, the
                      longest stall when a worker is SIGKILLed at production timing (bench/players.py)
  8. viewer           the timeline of a start and a seek in headless Chromium at 720p and 1080p,
                      next to bare FFmpeg's first muxed packet, and Chromium's buffering rule
                      (bench/viewer.py)
  7. ingest           heartbeats/s at 10,000 workers as a ratio to nginx `return 204`, interleaved
                      in the same run, feed and metrics on; registration time; the live feed's
                      delay under load (bench/ingest.py)
Writes bench/results.md and prints the table. A run of `--only players`, `--only ingest`,
`--only viewer` or several of them replaces only those sections of an existing results.md; any other run keeps the
sections it does not redo.
"""
import argparse
import datetime
import http.client
import http.server
import json
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import ingest
import picture
import players
import viewer
import x264_speed

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)

PROCS = []          # every process we started (services, bare ffmpeg, wrk)
STATS = []          # (kind, ffmpeg CPU seconds at the mark, machine busy share) of the last run
TMP = None          # the one temp folder, removed at exit


def log(msg):
    print(msg, flush=True)


# ---------------------------------------------------------------- cleanup

def cleanup():
    for p in reversed(PROCS):
        if p.poll() is None:
            try:
                p.terminate()
            except OSError:
                pass
    deadline = time.time() + 8
    for p in reversed(PROCS):
        try:
            p.wait(timeout=max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    PROCS.clear()
    if TMP and os.path.isdir(TMP):
        shutil.rmtree(TMP, ignore_errors=True)


def on_signal(signum, _frame):
    cleanup()
    sys.exit(128 + signum)


def spawn(args, **kw):
    p = subprocess.Popen(args, **kw)
    PROCS.append(p)
    return p


def stop(p, sig=signal.SIGTERM, timeout=10):
    if p.poll() is None:
        p.send_signal(sig)
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    if p in PROCS:
        PROCS.remove(p)


# ---------------------------------------------------------------- HTTP

class Client:
    """One keep-alive connection to a service on 127.0.0.1."""

    def __init__(self, port, token):
        self.port, self.token = port, token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method, path, body=None, auth=True):
        headers = {"Content-Type": "application/json"}
        if auth:
            headers["Authorization"] = "Bearer " + self.token
        data = json.dumps(body).encode() if body is not None else None
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                raw = r.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        try:
            return r.status, json.loads(raw) if raw else None
        except ValueError:
            return r.status, raw.decode(errors="replace")

    def close(self):
        self.conn.close()


# ---------------------------------------------------------------- services

def wait_port(path, proc, what):
    for _ in range(600):
        try:
            m = re.search(r"listening on port (\d+)", open(path).read())
        except FileNotFoundError:
            m = None
        if m:
            return int(m.group(1))
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    raise SystemExit(f"{what} did not start; see its log:\n" + open(path.replace(".out", ".log")).read()[-2000:])


def start_orchestrator(bindir, name, token, timeout=45):
    out, err = f"{TMP}/logs/{name}.out", f"{TMP}/logs/{name}.log"
    p = spawn([f"{bindir}/transcode-orchestrator", "--host", "127.0.0.1", "--port", "0", f"--token={token}",
               "--heartbeat-timeout", str(timeout)], stdout=open(out, "w"), stderr=open(err, "w"))
    return p, wait_port(out, p, name)


def start_worker(bindir, name, token, orch_port, media, troot, interval):
    out, err = f"{TMP}/logs/{name}.out", f"{TMP}/logs/{name}.log"
    p = spawn([f"{bindir}/transcode-worker", "--id", name, "--orchestrator", f"http://127.0.0.1:{orch_port}",
               "--host", "127.0.0.1", "--port", "0", f"--token={token}", "--media-root", media,
               "--transcode-root", troot, "--heartbeat-interval", str(interval), "--max-jobs", "4"],
              stdout=open(out, "w"), stderr=open(err, "w"))
    port = wait_port(out, p, name)
    orch = Client(orch_port, token)
    for _ in range(200):
        status, _ = orch.call("GET", f"/v1/workers/{name}")
        if status == 200:
            break
        time.sleep(0.05)
    else:
        raise SystemExit(f"worker {name} did not register")
    orch.close()
    return p, port


# ---------------------------------------------------------------- file watching

class Watch:
    """Polls every 2 ms, from its creation on, until `path` exists (or, with `needle`,
    until the file contains it); `.wait()` gives the perf_counter time it was first seen."""

    def __init__(self, path, needle=None, timeout=120, on_seen=None):
        self.path, self.needle, self.timeout, self.on_seen = path, needle, timeout, on_seen
        self.seen = None
        self.extra = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _check(self):
        if self.needle is None:
            return os.path.exists(self.path)
        try:
            with open(self.path, "rb") as f:
                return self.needle in f.read()
        except OSError:
            return False

    def _run(self):
        end = time.perf_counter() + self.timeout
        while time.perf_counter() < end:
            if self._check():
                self.seen = time.perf_counter()
                if self.on_seen:
                    self.extra = self.on_seen()
                return
            time.sleep(0.002)

    def wait(self):
        self.thread.join()
        if self.seen is None:
            raise RuntimeError(f"timed out waiting for {self.path}")
        return self.seen


# ---------------------------------------------------------------- helpers

def proc_cpu(pid_box):
    """CPU seconds (utime+stime, all threads) of the process in pid_box[0], or None."""
    try:
        return cpu_ticks(pid_box[0]) / CLK_TCK
    except (OSError, IndexError, TypeError):
        return None


def machine_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    return sum(v) - v[3] - v[4], sum(v)


def busy_share(b0, b1):
    """Share of all CPUs busy between two machine_busy() readings."""
    return (b1[0] - b0[0]) / max(1, b1[1] - b0[1])


def fmt(x):
    return "n/a" if x is None else f"{x:.2f}"


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = min(len(xs) - 1, max(0, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


def job_body(job_id, clip, seek="00:00:00"):
    return {"job_id": job_id, "source_path": clip,
            "configuration": {"encoder": "libx264", "bitrate_bps": 3000000, "seek_time": seek, "force_remux": False}}


def hms(seconds):
    return "%02d:%02d:%02d" % (seconds // 3600, seconds // 60 % 60, seconds % 60)


def bare_args(ffmpeg_args, job_folder, bare_folder):
    """The worker's exact argument list, with its output folder swapped for a fresh one."""
    return [a.replace(job_folder, bare_folder) if job_folder in a else a for a in ffmpeg_args]


def run_bare(args, folder, target_file, needle=None, stop_after=True):
    """Spawns ffmpeg with `args` (program first); returns seconds from spawn to `target_file`."""
    os.makedirs(folder)
    watch_path = os.path.join(folder, target_file)
    box = []
    b0 = machine_busy()
    t0 = time.perf_counter()
    w = Watch(watch_path, needle, on_seen=lambda: proc_cpu(box))
    p = spawn(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    box.append(p.pid)
    t1 = w.wait()
    STATS.append(("bare", w.extra, busy_share(b0, machine_busy())))
    if stop_after:
        stop(p)
    else:
        p.wait()
        PROCS.remove(p)
    shutil.rmtree(folder, ignore_errors=True)
    return t1 - t0


# ---------------------------------------------------------------- 1-3: the transcode path

class Stack:
    def __init__(self, bindir, token, media, troot):
        self.token, self.troot = token, troot
        self.orch_proc, self.orch_port = start_orchestrator(bindir, "orchestrator", token)
        self.worker_proc, self.worker_port = start_worker(bindir, "bench-worker", token, self.orch_port, media, troot, 10)
        self.orch = Client(self.orch_port, token)
        self.worker = Client(self.worker_port, token)

    def worker_job(self, job_id):
        status, view = self.worker.call("GET", f"/v1/jobs/{job_id}")
        assert status == 200, (status, view)
        return view

    def delete(self, job_id):
        status, _ = self.orch.call("DELETE", f"/v1/jobs/{job_id}")
        assert status == 204, status

    def close(self):
        self.orch.close()
        self.worker.close()
        stop(self.worker_proc)
        stop(self.orch_proc)


def bench_start(stack, clip, runs, warmup=1):
    """1: POST /v1/jobs -> segment0.ts, vs bare ffmpeg with the same args; interleaved."""
    worker_t, bare_t, reply_t = [], [], []
    last = {}
    args_seen = None
    for i in range(warmup + runs):
        order = ("worker", "bare") if i % 2 == 0 else ("bare", "worker")
        if args_seen is None:
            order = ("worker", "bare")
        for kind in order:
            if kind == "worker":
                job = f"start-{i}"
                folder = f"{stack.troot}/{job}"
                t0 = time.perf_counter()
                w = Watch(f"{folder}/segment0.ts")
                status, view = stack.orch.call("POST", "/v1/jobs", job_body(job, clip))
                replied = time.perf_counter() - t0
                assert status == 201, (status, view)
                t = w.wait() - t0
                if i >= warmup:
                    reply_t.append(replied)
                args_seen = (stack.worker_job(job)["ffmpeg_args"], folder)
                stack.delete(job)
                if i >= warmup:
                    worker_t.append(t)
            else:
                args, folder = args_seen
                t = run_bare(bare_args(args, folder, f"{TMP}/bare/start-{i}"), f"{TMP}/bare/start-{i}", "segment0.ts")
                if i >= warmup:
                    bare_t.append(t)
            last[kind] = t
        log(f"    run {i}{' (warm-up)' if i < warmup else ''}: worker {last['worker']:.3f} s, bare {last['bare']:.3f} s")
    return {"worker": worker_t, "bare": bare_t, "reply": reply_t, "args": args_seen[0]}


def bench_seek(stack, clip, runs, seg, duration):
    """2: PUT with a new seek_time on a running job -> first new segment, vs bare ffmpeg
    started cold with the worker's new argument list."""
    worker_t, bare_t, seeks, reply_t = [], [], [], []
    # Seek targets far ahead of where the first run can be, so the first new segment can only
    # come from the new run.
    lo, hi = max(2 * seg, int(duration * 0.3)), int(duration - 2 * seg)
    positions = [lo + ((i * 7) % max(1, (hi - lo) // seg + 1)) * seg for i in range(runs + 1)]
    for i in range(runs + 1):
        seek = positions[i]
        n = seek // seg
        job = f"seek-{i}"
        folder = f"{stack.troot}/{job}"
        status, view = stack.orch.call("POST", "/v1/jobs", job_body(job, clip))
        assert status == 201, (status, view)
        Watch(f"{folder}/segment0.ts").wait()          # the job runs and has written a segment
        t0 = time.perf_counter()
        w = Watch(f"{folder}/segment{n}.ts", timeout=60)
        status, view = stack.orch.call("PUT", f"/v1/jobs/{job}", job_body(job, clip, hms(seek)))
        replied = time.perf_counter() - t0
        assert status == 200, (status, view)
        try:
            tw = w.wait() - t0
        except RuntimeError:
            # Never seen in a quiet run; on a shared machine say what the worker reports and go on.
            _, wv = stack.worker.call("GET", f"/v1/jobs/{job}")
            log(f"    run {i}: no segment{n}.ts; the worker reports {json.dumps(wv)[:400]}; run skipped")
            stack.orch.call("DELETE", f"/v1/jobs/{job}")
            continue
        args = stack.worker_job(job)["ffmpeg_args"]
        assert "-ss" in args, args
        stack.delete(job)
        tb = run_bare(bare_args(args, folder, f"{TMP}/bare/seek-{i}"), f"{TMP}/bare/seek-{i}", f"segment{n}.ts")
        if i == 0:
            log(f"    run {i} (warm-up): worker {tw:.3f} s, bare {tb:.3f} s (seek {seek} s)")
            continue
        worker_t.append(tw)
        bare_t.append(tb)
        reply_t.append(replied)
        seeks.append(seek)
        log(f"    run {i}: seek to {seek} s: worker {tw:.3f} s, bare {tb:.3f} s")
    return {"worker": worker_t, "bare": bare_t, "seeks": seeks, "reply": reply_t}


def bench_throughput(stack, clip, runs):
    """3: whole transcode: POST -> #EXT-X-ENDLIST in the playlist, vs bare ffmpeg spawn ->
    the same line (ffmpeg writes it as it finishes)."""
    worker_t, bare_t = [], []
    cpu = {"worker": [], "bare": []}     # (ffmpeg CPU s, machine busy share, worker+orchestrator CPU s)
    args_seen = None
    for i in range(runs):
        order = ("worker", "bare") if i % 2 == 0 else ("bare", "worker")
        if args_seen is None:
            order = ("worker", "bare")
        for kind in order:
            if kind == "worker":
                job = f"tp-{i}"
                folder = f"{stack.troot}/{job}"
                box = []
                b0 = machine_busy()
                svc0 = cpu_ticks(stack.worker_proc.pid) + cpu_ticks(stack.orch_proc.pid)
                t0 = time.perf_counter()
                w = Watch(f"{folder}/index.m3u8", needle=b"#EXT-X-ENDLIST", timeout=600, on_seen=lambda: proc_cpu(box))
                status, view = stack.orch.call("POST", "/v1/jobs", job_body(job, clip))
                assert status == 201, (status, view)
                box.append(stack.worker_job(job)["pid"])
                worker_t.append(w.wait() - t0)
                svc = (cpu_ticks(stack.worker_proc.pid) + cpu_ticks(stack.orch_proc.pid) - svc0) / CLK_TCK
                cpu["worker"].append((w.extra, busy_share(b0, machine_busy()), svc))
                args_seen = (stack.worker_job(job)["ffmpeg_args"], folder)
                # wait for the worker to see the exit, then clean
                for _ in range(500):
                    if stack.worker_job(job)["state"] == "completed":
                        break
                    time.sleep(0.02)
                stack.delete(job)
            else:
                args, folder = args_seen
                bare_t.append(run_bare(bare_args(args, folder, f"{TMP}/bare/tp-{i}"), f"{TMP}/bare/tp-{i}",
                                       "index.m3u8", needle=b"#EXT-X-ENDLIST", stop_after=False))
                cpu["bare"].append(STATS[-1][1:] + (0.0,))
        log(f"    run {i}: worker {worker_t[-1]:.2f} s, bare {bare_t[-1]:.2f} s; ffmpeg CPU {fmt(cpu['worker'][-1][0])} s vs "
            f"{fmt(cpu['bare'][-1][0])} s; machine busy {cpu['worker'][-1][1] * 100:.0f} % vs {cpu['bare'][-1][1] * 100:.0f} %; "
            f"worker+orchestrator CPU {cpu['worker'][-1][2]:.2f} s")
    return {"worker": worker_t, "bare": bare_t, "cpu": cpu}


# ---------------------------------------------------------------- 4: orchestrator scale

class FakeWorker(http.server.BaseHTTPRequestHandler):
    """Answers the orchestrator's forwarded job calls at once (for the routing measurement)."""
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def _reply(self, code, body=b""):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        status = {"job_id": payload.get("job_id", "x"), "state": "completed", "progress": 100, "speed": None,
                  "last_segment_id": None, "start_segment": 0, "encoder": "libx264", "backend": "x264", "pid": None,
                  "ffmpeg_args": [], "source_path": payload.get("source_path", "/x"), "output_path": "/x",
                  "configuration": payload.get("configuration", {}), "error": None, "notes": [], "duration": None,
                  "segment_seconds": 4}
        self._reply(201, json.dumps(status).encode())

    def do_DELETE(self):
        self._reply(204)


def registration(i, address):
    return {"id": f"sim-{i:05d}", "address": address, "max_jobs": 4, "segment_seconds": 4,
            "static_specs": {"cpu_model": "Simulated EPYC", "total_threads": 16, "hardware_acceleration": ["nvenc"],
                             "encoders": ["libx264", "h264_nvenc", "hevc_nvenc"]}}


def register(client, start, end, address):
    for i in range(start, end):
        status, _ = client.call("POST", "/v1/workers", registration(i, address))
        assert status in (200, 201), status


def run_wrk(port, token, workers, seconds, threads, conns):
    env = dict(os.environ, BENCH_WORKERS=str(workers), BENCH_TOKEN=token)
    p = spawn(["wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "--timeout", "5s",
               "-s", f"{BENCH}/heartbeat.lua", f"http://127.0.0.1:{port}"],
              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out, _ = p.communicate()
    PROCS.remove(p)
    line = [l for l in out.splitlines() if l.startswith("{")]
    if not line:
        raise RuntimeError("wrk printed no summary:\n" + out)
    r = json.loads(line[-1])
    r["rate"] = r["requests"] / (r["duration_us"] / 1e6)
    r["errors"] = r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["status_errors"] + r["timeouts"]
    r["threads"], r["connections"], r["seconds"] = threads, conns, seconds
    return r


def timed_samples(client, method, path, body, expect, n):
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        status, _ = client.call(method, path, body)
        out.append(time.perf_counter() - t0)
        assert status == expect, (method, path, status)
    return out


def bench_scale(bindir, token, seconds, samples, conns, sizes=(1000, 10000)):
    res = {"heartbeats": {}, "routing": {}}
    fake = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeWorker)
    threading.Thread(target=fake.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{fake.server_address[1]}"
    # The liveness sweep would mark simulated workers OFFLINE between phases; a long timeout
    # keeps all of them live (a live pool is what routing scans).
    big_proc, big_port = start_orchestrator(bindir, "orchestrator-scale", token, timeout=3600)
    one_proc, one_port = start_orchestrator(bindir, "orchestrator-one", token, timeout=3600)
    big, one = Client(big_port, token), Client(one_port, token)
    try:
        registered = 0
        for n in sizes:
            t0 = time.perf_counter()
            register(big, registered, n, address)
            log(f"    registered {n - registered} workers in {time.perf_counter() - t0:.1f} s ({n} in all)")
            registered = n
            time.sleep(0.5)
            run_wrk(big_port, token, n, 1, 1, conns)       # warm-up
            r = run_wrk(big_port, token, n, seconds, 1, conns)
            res["heartbeats"][n] = r
            log(f"    {n} workers: {r['rate']:.0f} heartbeats/s, p50 {r['p50_us'] / 1000:.2f} ms, p99 {r['p99_us'] / 1000:.2f} ms, errors {r['errors']}")
        register(one, 0, 1, address)
        status, view = big.call("GET", "/v1/workers/sim-09999")
        assert status == 200 and view["status"] != "OFFLINE", view
        # (a) a routing decision that succeeds: POST /v1/jobs (libx264), the orchestrator scans
        # the pool, forwards to the chosen (fake) worker, stores the job; then DELETE it.
        # Same request at an orchestrator with 1 worker and at one with 10,000, interleaved:
        # the difference of the medians is the cost of the decision over 10,000 workers.
        body = {"source_path": "/media/movie.mkv", "configuration": {"encoder": "libx264", "seek_time": "00:00:00"}}
        ok = {"big": [], "one": []}
        for i in range(samples):
            for name, c in (("big", big), ("one", one)) if i % 2 == 0 else (("one", one), ("big", big)):
                b = dict(body, job_id=f"route-{i}")
                ok[name] += timed_samples(c, "POST", "/v1/jobs", b, 201, 1)
                c.call("DELETE", f"/v1/jobs/route-{i}")
        # (b) the refused path: no worker ever offered hevc_vaapi (422); the scan finds nothing and
        # the orchestrator writes the sentence naming what the pool offers (another pass over the pool).
        body503 = {"source_path": "/media/movie.mkv", "configuration": {"encoder": "hevc_vaapi"}}
        fail = {"big": [], "one": []}
        health = {"big": [], "one": []}
        for i in range(samples):
            for name, c in (("big", big), ("one", one)) if i % 2 == 0 else (("one", one), ("big", big)):
                fail[name] += timed_samples(c, "POST", "/v1/jobs", body503, 422, 1)
                t0 = time.perf_counter()
                c.call("GET", "/healthz", auth=False)
                health[name].append(time.perf_counter() - t0)
        res["routing"] = {"ok": ok, "fail": fail, "health": health, "n": registered}
        m = {k: {n: median(v) * 1e6 for n, v in d.items()} for k, d in (("ok", ok), ("fail", fail), ("health", health))}
        log(f"    routing (201): median {m['ok']['big']:.0f} us at {registered} workers vs {m['ok']['one']:.0f} us at 1"
            f" -> {m['ok']['big'] - m['ok']['one']:.0f} us")
        log(f"    routing (422): median {m['fail']['big']:.0f} us vs {m['fail']['one']:.0f} us at 1;"
            f" GET /healthz {m['health']['big']:.0f} us")
        res["orch_rss_kb"] = rss_kb(big_proc.pid)
    finally:
        big.close()
        one.close()
        stop(big_proc)
        stop(one_proc)
        fake.shutdown()
        fake.server_close()
    return res


# ---------------------------------------------------------------- 5: worker footprint

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])      # utime, stime (fields 14 and 15)


def rss_kb(pid, key="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def top_mappings(pid, n=8):
    """Resident kB per mapped file (or [anon]/[heap]/[stack]) from /proc/PID/smaps."""
    agg, cur = {}, None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                parts = line.split()
                cur = parts[5].rsplit("/", 1)[-1] if len(parts) > 5 else "[anon]"
            elif line.startswith("Rss:"):
                agg[cur] = agg.get(cur, 0) + int(line.split()[1])
    return sorted(agg.items(), key=lambda kv: -kv[1])[:n]


def bench_footprint(bindir, token, media, troot, seconds, interval=1):
    orch_proc, orch_port = start_orchestrator(bindir, "orchestrator-idle", token, timeout=3 * interval + 5)
    wproc, _ = start_worker(bindir, "idle-worker", token, orch_port, media, troot, interval)
    orch = Client(orch_port, token)
    try:
        time.sleep(3)                                   # past start-up (hwdetect, first heartbeats)
        rss, pid = [], wproc.pid
        c0, t0 = cpu_ticks(pid), time.time()
        end = t0 + seconds
        while time.time() < end:
            rss.append(rss_kb(pid))
            time.sleep(1)
        c1, t1 = cpu_ticks(pid), time.time()
        status, view = orch.call("GET", "/v1/workers/idle-worker")
        assert status == 200 and view["status"] != "OFFLINE", view
        return {"seconds": t1 - t0, "interval": interval, "cpu_pct": 100 * (c1 - c0) / CLK_TCK / (t1 - t0),
                "ticks": c1 - c0, "rss_kb_median": median(rss), "rss_kb_max": max(rss), "hwm_kb": rss_kb(pid, "VmHWM"),
                "anon_kb": rss_kb(pid, "RssAnon"), "file_kb": rss_kb(pid, "RssFile"), "threads": rss_kb(pid, "Threads"),
                "top_mappings": top_mappings(pid),
                "heartbeat_age": view.get("last_heartbeat_age_s"), "pid": pid}
    finally:
        orch.close()
        stop(wproc)
        stop(orch_proc)


# ---------------------------------------------------------------- report

def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:
        return ""


def machine():
    cpu = sh("lscpu | sed -n 's/^Model name: *//p' | head -1") or platform.processor()
    mem = int(sh("awk '/MemTotal/{print $2}' /proc/meminfo") or 0)
    return {
        "CPU": cpu, "cores": str(os.cpu_count()), "RAM": f"{mem / 1048576:.1f} GiB",
        "kernel": platform.release(), "ffmpeg": sh("ffmpeg -version | head -1"),
        "swift": sh("swift --version 2>&1 | grep -m1 'Swift version'"), "wrk": sh("wrk --version 2>&1 | head -1"),
        "python": platform.python_version(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "sources": (sh(f"git -C {ROOT} rev-parse --short HEAD") + (" + uncommitted changes" if sh(f"git -C {ROOT} status --porcelain -- Sources Plugins Package.swift") else "")),
    }


def verdict(ok):
    return "met" if ok else "**missed**"


def render(mode, mach, cfg, r):
    rows = []   # (measurement, value, target, met)
    if "start" in r:
        s = r["start"]
        mw, mb = median(s["worker"]), median(s["bare"])
        rows.append(("1. Start overhead: POST /v1/jobs -> segment0.ts (median, worker / bare ffmpeg)",
                     f"{mw * 1000:.0f} ms / {mb * 1000:.0f} ms = **{mw / mb:.3f}**", "ratio ≤ 1.05", mw / mb <= 1.05))
    if "seek" in r:
        s = r["seek"]
        mw, mb = median(s["worker"]), median(s["bare"])
        rows.append(("2. Seek latency: PUT seek_time -> first new segment (median, worker / bare ffmpeg cold at the seek), 720p x264",
                     f"{mw * 1000:.0f} ms / {mb * 1000:.0f} ms = **{mw / mb:.3f}**", "ratio ≤ 1.05", mw / mb <= 1.05))
    if "throughput" in r:
        s = r["throughput"]
        mw, mb = median(s["worker"]), median(s["bare"])
        d = cfg["duration"]
        rows.append(("3. Throughput: whole transcode, speed through the worker / bare ffmpeg (median wall time)",
                     f"{d / mw:.2f}x / {d / mb:.2f}x ({mw:.2f} s / {mb:.2f} s) = **{mb / mw:.3f}**", "ratio ≥ 0.98", mb / mw >= 0.98))
    if "scale" in r:
        for n, h in r["scale"]["heartbeats"].items():
            rows.append((f"4a. Heartbeats, {n:,} simulated workers (wrk, {h['connections']} connections, {h['seconds']} s)",
                         f"**{h['rate']:,.0f}/s**, p50 {h['p50_us'] / 1000:.2f} ms, p99 **{h['p99_us'] / 1000:.2f} ms**, {h['errors']} errors",
                         "≥ 10,000/s, p99 < 10 ms", h["rate"] >= 10000 and h["p99_us"] < 10000 and h["errors"] == 0))
        ro = r["scale"]["routing"]
        ok = median(ro["ok"]["big"]) - median(ro["ok"]["one"])
        fail = median(ro["fail"]["big"]) - median(ro["fail"]["one"])
        rows.append((f"4b. One routing decision with {ro['n']:,} live workers (median POST /v1/jobs at {ro['n']:,} workers minus at 1)",
                     f"**{ok * 1e6:.0f} µs** ({median(ro['ok']['big']) * 1e6:.0f} − {median(ro['ok']['one']) * 1e6:.0f} µs)",
                     "< 100 µs", ok < 100e-6))
        rows.append((f"4c. The same for a refused job (422, no worker ever offered the encoder: scan + the error sentence over the pool)",
                     f"**{fail * 1e6:.0f} µs** ({median(ro['fail']['big']) * 1e6:.0f} − {median(ro['fail']['one']) * 1e6:.0f} µs)",
                     "< 100 µs", fail < 100e-6))
    if "footprint" in r:
        f = r["footprint"]
        rows.append((f"5a. Idle worker RSS over {f['seconds']:.0f} s of heartbeats every {f['interval']} s (max VmRSS)",
                     f"**{f['rss_kb_max'] / 1024:.1f} MB** (median {f['rss_kb_median'] / 1024:.1f}, VmHWM {f['hwm_kb'] / 1024:.1f})",
                     "< 30 MB", f["rss_kb_max"] / 1024 < 30))
        rows.append((f"5b. Idle worker CPU over the same {f['seconds']:.0f} s (utime+stime)",
                     f"**{f['cpu_pct']:.2f} %** of a core ({f['ticks']} ticks)", "< 0.5 %", f["cpu_pct"] < 0.5))

    md = [f"# Benchmark results ({mode} mode)", "",
          f"Written by `bench/run{' --tiny' if mode == 'tiny' else ''}`. Every number below comes from one run of the suite; "
          "transcode measurements alternate worker and bare FFmpeg runs and report medians and ratios "
          "(this machine is shared and noisy: compare the ratios, not the absolute times).", "",
          "## Machine", "", "| | |", "| --- | --- |"]
    md += [f"| {k} | {v} |" for k, v in mach.items()]
    md += ["", "## Results", "", "| measurement | value | target | |", "| --- | --- | --- | --- |"]
    md += [f"| {a} | {b} | {c} | {verdict(d)} |" for a, b, c, d in rows]
    md += ["", "## Settings and raw samples", "",
           f"- Clip: {cfg['duration']} s 1280x720 testsrc2 + 440 Hz sine, x264 veryfast, AAC (as in `shared/docs/ffmpeg-notes.md`). "
           f"Jobs: `libx264`, 3 Mbit/s, {cfg['seg']} s segments. Release binaries from `.build-bench/release`.",
           f"- Bare FFmpeg runs use the job's own `ffmpeg_args` (read from the worker's `GET /v1/jobs/{{id}}`), "
           "with only the output folder changed to a fresh one; stdout (the `-progress` stream) goes to /dev/null.",
           "- Segment files are watched by polling the file system every 2 ms from a thread started just before the "
           "request (or the spawn); ffmpeg renames a segment into place only when it is complete.",
           "- The first transcode run of each kind is a discarded warm-up (it fills the worker's ffprobe cache and the page cache)."]
    if "start" in r:
        s = r["start"]
        md += [f"- 1. Start, worker (s): {', '.join(f'{x:.3f}' for x in s['worker'])}",
               f"- 1. Start, bare (s): {', '.join(f'{x:.3f}' for x in s['bare'])}",
               f"- 1. Of the worker's time, the reply to POST /v1/jobs (it comes once FFmpeg was spawned) took (s): {', '.join(f'{x:.3f}' for x in s['reply'])}",
               f"- 1. The argument list: `{' '.join(s['args'])}`"]
    if "seek" in r:
        s = r["seek"]
        md += [f"- 2. Seek targets (s): {', '.join(str(x) for x in s['seeks'])}; each on a job that had just written segment0",
               f"- 2. Seek, worker (s): {', '.join(f'{x:.3f}' for x in s['worker'])}",
               f"- 2. Seek, bare (s): {', '.join(f'{x:.3f}' for x in s['bare'])}",
               f"- 2. Of the worker's time, the reply to the PUT (old FFmpeg stopped, folder cleared, new one spawned) took (s): {', '.join(f'{x:.3f}' for x in s['reply'])}"]
    if "throughput" in r:
        s = r["throughput"]
        md += ["- 3. Throughput: the worker run is timed from its POST /v1/jobs, the bare run from its spawn, both to "
               "`#EXT-X-ENDLIST` in the playlist (the last thing ffmpeg writes).",
               f"- 3. Whole transcode, worker (s): {', '.join(f'{x:.2f}' for x in s['worker'])}",
               f"- 3. Whole transcode, bare (s): {', '.join(f'{x:.2f}' for x in s['bare'])}",
               "- 3. Where the time went, per run (worker / bare): CPU seconds FFmpeg itself used up to the mark "
               "(utime+stime of all its threads, /proc/PID/stat); share of both cores busy during the run, whoever used "
               "them (/proc/stat); CPU seconds the worker and orchestrator processes used during the worker's run: "
               + "; ".join(f"run {k}: FFmpeg {fmt(w[0])} / {fmt(b[0])} s, machine {w[1] * 100:.0f} / {b[1] * 100:.0f} %, services {w[2]:.2f} s"
                           for k, (w, b) in enumerate(zip(s["cpu"]["worker"], s["cpu"]["bare"])))]
    if "scale" in r:
        sc = r["scale"]
        ro = sc["routing"]
        md += ["- 4a. The load generator is `wrk` (one thread, its own process) with `bench/heartbeat.lua`: every request is "
               "`POST /v1/workers/sim-NNNNN/heartbeats` with the seed's telemetry payload and the bearer token, cycling over all "
               "registered ids. Workers were registered first with seed-like `POST /v1/workers` payloads. "
               "The orchestrator runs with `--heartbeat-timeout 3600` so that no simulated worker goes OFFLINE between phases.",
               ]
        for n, h in sc["heartbeats"].items():
            md.append(f"- 4a. {n} workers: {h['requests']} requests in {h['duration_us'] / 1e6:.1f} s; p50 {h['p50_us']} µs, "
                      f"p90 {h['p90_us']} µs, p99 {h['p99_us']} µs, p99.9 {h['p999_us']} µs, max {h['max_us']} µs; errors {h['errors']}")
        md += [f"- 4b. Method: two orchestrators run side by side, one with {ro['n']:,} registered live workers and one with 1; "
               "the same `POST /v1/jobs` (libx264) goes to each in turn over a keep-alive connection "
               f"({len(ro['ok']['big'])} samples each). Each is routed, forwarded to a stub worker (a Python server "
               "answering at once) and stored; the job is deleted after each sample. Everything but the routing scan "
               "is the same work in both, so the difference of the medians is the time of one routing decision over "
               f"{ro['n']:,} workers (plus the per-request work that grows with the pool, e.g. counting active jobs).",
               f"- 4b. Medians: {median(ro['ok']['big']) * 1e6:.0f} µs vs {median(ro['ok']['one']) * 1e6:.0f} µs; p90 "
               f"{pct(ro['ok']['big'], 90) * 1e6:.0f} vs {pct(ro['ok']['one'], 90) * 1e6:.0f} µs.",
               f"- 4c. `POST /v1/jobs` with `hevc_vaapi` (422): {median(ro['fail']['big']) * 1e6:.0f} µs vs "
               f"{median(ro['fail']['one']) * 1e6:.0f} µs; `GET /healthz` {median(ro['health']['big']) * 1e6:.0f} µs vs "
               f"{median(ro['health']['one']) * 1e6:.0f} µs.",
               f"- 4. Orchestrator RSS with {ro['n']:,} workers after the runs: {sc['orch_rss_kb'] / 1024:.1f} MB."]
    if "footprint" in r:
        f = r["footprint"]
        md += [f"- 5. A fresh orchestrator and a fresh worker with `--heartbeat-interval {f['interval']}`; sampling starts 3 s "
               f"after the worker registered; VmRSS from /proc/PID/status once a second, CPU from utime+stime in /proc/PID/stat "
               f"(CLK_TCK {CLK_TCK}) at the start and the end. The orchestrator saw its last heartbeat {f['heartbeat_age']} s before the end.",
               f"- 5. Of the worker's RSS at the end: RssAnon (its own heap, stacks, data) {f['anon_kb'] / 1024:.1f} MB, RssFile (pages of "
               f"the binary and shared libraries mapped in) {f['file_kb'] / 1024:.1f} MB; {f['threads']} threads. Largest mappings (MB): "
               + ", ".join(f"{k} {v / 1024:.1f}" for k, v in f["top_mappings"]) + "."]
    findings = os.path.join(BENCH, "findings.md")
    if os.path.exists(findings):
        md += ["", open(findings).read().rstrip()]
    return rows, "\n".join(md) + "\n"


def print_table(rows):
    w = max(len(a) for a, *_ in rows)
    w = min(w, 70)
    for a, b, c, d in rows:
        b = b.replace("**", "")
        print(f"{a[:w]:<{w}}  {b:<60}  {c:<24}  {'met' if d else 'MISSED'}")


def users_of(path):
    """Pids (other than ours) whose command line mentions `path`."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            if path.encode() in open(f"/proc/{pid}/cmdline", "rb").read():
                found.append(int(pid))
        except OSError:
            pass
    return found


# ---------------------------------------------------------------- main

def main():
    global TMP
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--tiny", action="store_true")
    ap.add_argument("--only", default="footprint,start,seek,throughput,scale,ingest,players,viewer")
    ap.add_argument("--out", default=os.path.join(BENCH, "results.md"))
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    tiny = a.tiny
    cfg = {"duration": 16 if tiny else 60, "seg": 4, "runs": 2 if tiny else 7, "tp_runs": 2 if tiny else 5,
           "hb_seconds": 2 if tiny else 15, "hb_conns": 16, "samples": 50 if tiny else 1000,
           "footprint_s": 10 if tiny else 60, "sizes": (1000, 10000)}
    only = set(a.only.split(","))
    TMP = tempfile.mkdtemp(prefix="transcode-bench-")
    try:
        for d in ("media", "transcode", "bare", "logs"):
            os.makedirs(f"{TMP}/{d}")
        token = secrets.token_urlsafe(18)
        bindir = os.path.abspath(a.bin)
        r = {}
        mach = machine()
        log(f"==> machine: {mach['CPU']}, {mach['cores']} cores, {mach['RAM']}; {mach['ffmpeg']}")
        if "footprint" in only:
            log(f"==> 5. idle worker footprint over {cfg['footprint_s']} s")
            r["footprint"] = bench_footprint(bindir, token, f"{TMP}/media", f"{TMP}/transcode", cfg["footprint_s"])
        if only & {"start", "seek", "throughput"}:
            clip = f"{TMP}/media/clip.mkv"
            log(f"==> generating a {cfg['duration']} s 1280x720 clip")
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=24",
                            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", str(cfg["duration"]),
                            "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                            "-c:a", "aac", "-b:a", "128k", clip], check=True)
            stack = Stack(bindir, token, f"{TMP}/media", f"{TMP}/transcode")
            try:
                if "start" in only:
                    log(f"==> 1. start overhead, {cfg['runs']} runs each, interleaved")
                    r["start"] = bench_start(stack, clip, cfg["runs"])
                if "seek" in only:
                    log(f"==> 2. seek latency, {cfg['runs']} runs each")
                    r["seek"] = bench_seek(stack, clip, cfg["runs"], cfg["seg"], cfg["duration"])
                if "throughput" in only:
                    log(f"==> 3. throughput, {cfg['tp_runs']} whole transcodes each, interleaved")
                    r["throughput"] = bench_throughput(stack, clip, cfg["tp_runs"])
            finally:
                stack.close()
        if "scale" in only:
            log(f"==> 4. orchestrator scale")
            r["scale"] = bench_scale(bindir, token, cfg["hb_seconds"], cfg["samples"], cfg["hb_conns"], cfg["sizes"])
        if "ingest" in only:
            log("==> 7. heartbeat ingest against nginx, interleaved")
            r["ingest"] = ingest.bench_ingest(sys.modules[__name__], bindir, token, tiny)
            r["ingest"]["sources"] = mach.get("sources", "?")
        if "players" in only:
            log("==> 6. players: headless Chromium through the orchestrator")
            r["players"] = players.bench_players(sys.modules[__name__], bindir, token, tiny)
        if "viewer" in only:
            log("==> 8. viewer: the timeline of a start and a seek, headless Chromium through the orchestrator")
            r["viewer"] = viewer.bench_viewer(sys.modules[__name__], bindir, token, tiny)
            viewer.save(r["viewer"], a.out)
        old = open(a.out).read() if os.path.exists(a.out) else ""
        player_rows, section = players.render(r["players"]) if "players" in r else ([], players.section_of(old))
        ingest_rows, ingest_section = ingest.render(r["ingest"]) if "ingest" in r else ([], ingest.section_of(old))
        viewer_rows, viewer_section = viewer.render(r["viewer"]) if "viewer" in r else ([], viewer.section_of(old))
        rows = []
        if only <= {"players", "ingest", "viewer"} and old:
            md = viewer.splice(ingest.splice(players.splice(old, section), ingest_section), viewer_section)
        else:
            rows, md = render("tiny" if tiny else "full", mach, cfg, r)
            md = viewer.splice(ingest.splice(players.splice(md, section), ingest_section), viewer_section)
            md = picture.splice(md, picture.section_of(old))
            md = x264_speed.splice(md, x264_speed.section_of(old))
        with open(a.out, "w") as f:
            f.write(md)
        print()
        if rows:
            print_table(rows)
        for name, value, target, ok in ingest_rows:
            print(f"{name[:70]:<70}  {value.replace('**', '')[:50]:<50}  {target:<8} {ok.replace('**', '')}")
        for name, value, limit, ratio, ok in viewer_rows:
            print(f"{name:<24}  {value:<10}  {limit:<16}  ratio {ratio:<7}  target {viewer.TARGET} s  {ok.replace('**', '')}")
        for name, value, bare, ok in player_rows:
            print(f"{name[:70]:<70}  {value.replace('**', '')[:60]:<60}  bare {bare}  {ok.replace('**', '')}")
        print(f"\nwritten: {os.path.relpath(a.out, os.getcwd())}")
        leftovers = users_of(TMP)
        if leftovers:
            log(f"warning: processes still use {TMP}: {leftovers}")
    except BaseException:
        # Show what the services said before the temp folder goes.
        for name in sorted(os.listdir(f"{TMP}/logs")) if TMP and os.path.isdir(f"{TMP}/logs") else []:
            text = open(f"{TMP}/logs/{name}", errors="replace").read()[-1500:]
            if text.strip():
                print(f"--- {name} (last lines)\n{text}", file=sys.stderr)
        raise
    finally:
        cleanup()


if __name__ == "__main__":
    main()
