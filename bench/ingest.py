"""Heartbeat ingest (issue 20), run by bench.py (`bench/run --only ingest`).

The orchestrator with 10,000 registered simulated workers against nginx answering
`return 204` on the same machine, measured interleaved in the same run with the same wrk
script (bench/heartbeat.lua), so that a busy machine slows both alike: the figure is the
ratio. While the orchestrator is measured, the dashboard's live feed is open (one SSE
reader), /metrics is scraped every 2 s and the telemetry history is sampled on its timer:
everything on, as in production. Also: registering the 10,000 (bench/register.lua), and how
soon a new job shows in the live feed while 1,000 workers heartbeat.
"""
import http.client
import http.server
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import threading
import time

BEGIN, END = "<!-- ingest:begin -->", "<!-- ingest:end -->"
WORKERS = 10000
FEED_WORKERS = 1000

NGINX_CONF = """worker_processes auto;
pid {tmp}/nginx.pid;
error_log {tmp}/logs/nginx.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  keepalive_requests 100000000;
  client_body_temp_path {tmp}/nginx-tmp/body;
  proxy_temp_path {tmp}/nginx-tmp/proxy;
  fastcgi_temp_path {tmp}/nginx-tmp/fastcgi;
  uwsgi_temp_path {tmp}/nginx-tmp/uwsgi;
  scgi_temp_path {tmp}/nginx-tmp/scgi;
  server {{
    listen 127.0.0.1:{port};
    location / {{ return 204; }}
  }}
}}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_nginx(b):
    port = free_port()
    os.makedirs(f"{b.TMP}/nginx-tmp", exist_ok=True)
    conf = f"{b.TMP}/nginx.conf"
    with open(conf, "w") as f:
        f.write(NGINX_CONF.format(tmp=b.TMP, port=port))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    p = b.spawn([nginx, "-c", conf, "-p", b.TMP, "-g", "daemon off;"],
                stdout=subprocess.DEVNULL, stderr=open(f"{b.TMP}/logs/nginx.err", "w"))
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return p, port
        except OSError:
            if p.poll() is not None:
                break
            time.sleep(0.05)
    raise SystemExit("nginx did not start: " + open(f"{b.TMP}/logs/nginx.err").read()[-1500:])


def wrk(b, port, token, script, seconds, env_extra=None, conns=16):
    env = dict(os.environ, BENCH_TOKEN=token, **(env_extra or {}))
    p = b.spawn(["wrk", "-t1", f"-c{conns}", f"-d{seconds}s", "--timeout", "5s", "-s", f"{b.BENCH}/{script}",
                 f"http://127.0.0.1:{port}"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out, _ = p.communicate()
    b.PROCS.remove(p)
    line = [l for l in out.splitlines() if l.startswith("{")]
    if not line:
        raise RuntimeError(f"wrk ({script}) printed no summary:\n{out}")
    r = json.loads(line[-1])
    r["rate"] = r["requests"] / (r["duration_us"] / 1e6)
    if "connect_errors" in r:
        r["errors"] = r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["status_errors"] + r["timeouts"]
    r["load"] = os.getloadavg()[0]
    return r


class Feed(threading.Thread):
    """The dashboard's live feed, read as the page reads it (reconnecting when a feed ends);
    notes when each awaited text first shows in a snapshot."""

    def __init__(self, port, token):
        super().__init__(daemon=True)
        self.port, self.token = port, token
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.waiting = {}          # needle -> perf_counter when first seen (None until then)
        self.snapshots, self.bytes, self.biggest = 0, 0, 0

    def expect(self, text):
        with self.lock:
            self.waiting[text.encode()] = None

    def seen(self, text):
        with self.lock:
            return self.waiting.get(text.encode())

    def run(self):
        while not self.stopping.is_set():
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                conn.request("GET", "/v1/dashboard/events", headers={"Authorization": "Bearer " + self.token})
                r = conn.getresponse()
                while not self.stopping.is_set():
                    line = r.readline()
                    if not line:
                        break
                    if not line.startswith(b"data: "):
                        continue
                    now = time.perf_counter()
                    with self.lock:
                        self.snapshots += 1
                        self.bytes += len(line)
                        self.biggest = max(self.biggest, len(line))
                        for needle, at in self.waiting.items():
                            if at is None and needle in line:
                                self.waiting[needle] = now
                conn.close()
            except (OSError, http.client.HTTPException):
                time.sleep(0.2)

    def stop(self):
        self.stopping.set()


class Scraper(threading.Thread):
    """Prometheus' part: GET /metrics every `every` seconds; keeps each scrape's time."""

    def __init__(self, b, port, token, every=2.0):
        super().__init__(daemon=True)
        self.client, self.every = b.Client(port, token), every
        self.stopping = threading.Event()
        self.times = []

    def run(self):
        while not self.stopping.wait(self.every):
            t0 = time.perf_counter()
            status, _ = self.client.call("GET", "/metrics")
            if status == 200:
                self.times.append(time.perf_counter() - t0)

    def stop(self):
        self.stopping.set()
        self.join(10)
        self.client.close()


def register(b, port, token, n, address):
    """Registers n workers with wrk and bench/register.lua; timed from wrk's start to the line
    it prints when the n-th answer came (wrk itself always runs for its whole -d)."""
    env = dict(os.environ, BENCH_TOKEN=token, BENCH_WORKERS=str(n), BENCH_ADDRESS=address)
    t0 = time.perf_counter()
    p = b.spawn(["wrk", "-t1", "-c16", "-d120s", "--timeout", "5s", "-s", f"{b.BENCH}/register.lua",
                 f"http://127.0.0.1:{port}"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seconds = None
    for line in p.stdout:
        if line.strip() == "registered":
            seconds = time.perf_counter() - t0
            p.send_signal(signal.SIGINT)
            break
    out, _ = p.communicate()
    b.PROCS.remove(p)
    line = [l for l in out.splitlines() if l.startswith("{")]
    if seconds is None or not line:
        raise RuntimeError("registration did not finish:\n" + out)
    r = json.loads(line[-1])
    r["seconds"] = seconds
    return r


def feed_latency(b, bindir, token, address, jobs, hb_seconds):
    """A fresh orchestrator with FEED_WORKERS workers heartbeating (wrk, in the background):
    POST /v1/jobs, then the time until a feed snapshot holds the job."""
    proc, port = b.start_orchestrator(bindir, "orchestrator-feed", token, timeout=3600)
    client = b.Client(port, token)
    feed = Feed(port, token)
    try:
        reg = register(b, port, token, FEED_WORKERS, address)
        feed.start()
        time.sleep(1)
        load = {}
        hb = threading.Thread(target=lambda: load.update(wrk(b, port, token, "heartbeat.lua", hb_seconds,
                                                               {"BENCH_WORKERS": str(FEED_WORKERS)})), daemon=True)
        hb.start()
        time.sleep(1)
        delays = []
        body = {"source_path": "/media/movie.mkv", "configuration": {"encoder": "libx264", "seek_time": "00:00:00"}}
        for i in range(jobs):
            job = f"feed-{i}"
            feed.expect(f'"job_id":"{job}"')
            t0 = time.perf_counter()
            status, _ = client.call("POST", "/v1/jobs", dict(body, job_id=job))
            assert status == 201, status
            deadline = t0 + 10
            while feed.seen(f'"job_id":"{job}"') is None and time.perf_counter() < deadline:
                time.sleep(0.002)
            at = feed.seen(f'"job_id":"{job}"')
            delays.append(None if at is None else at - t0)
            time.sleep(0.3)
        hb.join(hb_seconds + 30)
        return {"delays": delays, "heartbeats": load, "registration": reg, "snapshots": feed.snapshots,
                "biggest": feed.biggest, "workers": FEED_WORKERS}
    finally:
        feed.stop()
        client.close()
        b.stop(proc)


def bench_ingest(b, bindir, token, tiny):
    rounds, seconds = (2, 3) if tiny else (5, 10)
    res = {"rounds": rounds, "seconds": seconds, "runs": [], "workers": WORKERS}
    fake = http.server.ThreadingHTTPServer(("127.0.0.1", 0), b.FakeWorker)
    threading.Thread(target=fake.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{fake.server_address[1]}"
    nginx, nginx_port = start_nginx(b)
    proc, port = b.start_orchestrator(bindir, "orchestrator-ingest", token, timeout=3600)
    feed = scraper = None
    try:
        res["registration"] = reg = register(b, port, token, WORKERS, address)
        b.log(f"    registered {WORKERS} workers in {reg['seconds']:.2f} s ({WORKERS / reg['seconds']:.0f}/s, "
              f"{reg['created']} created, {reg['errors']} errors, p99 {reg['p99_us'] / 1000:.2f} ms)")
        check = b.Client(port, token)
        status, view = check.call("GET", f"/v1/workers/sim-{WORKERS - 1:05d}")
        assert status == 200, (status, view)
        # How many the pool holds (wrk's answer count may include a repeat of one id).
        status, text = check.call("GET", "/metrics")
        reg["registered"] = int(sum(float(l.rsplit(" ", 1)[1]) for l in str(text).splitlines()
                                    if l.startswith("transcode_orchestrator_workers{")))
        feed, scraper = Feed(port, token), Scraper(b, port, token)
        feed.start()
        scraper.start()
        env = {"BENCH_WORKERS": str(WORKERS)}
        wrk(b, nginx_port, token, "heartbeat.lua", 1, env)        # warm-ups
        wrk(b, port, token, "heartbeat.lua", 2, env)
        for i in range(rounds):
            order = (("nginx", nginx_port), ("orchestrator", port))
            for name, p in order if i % 2 == 0 else order[::-1]:
                r = wrk(b, p, token, "heartbeat.lua", seconds, env)
                r["target"], r["round"] = name, i
                res["runs"].append(r)
                b.log(f"    round {i} {name:<12} {r['rate']:>8.0f}/s  p50 {r['p50_us'] / 1000:.2f} ms  p99 {r['p99_us'] / 1000:.2f} ms"
                      f"  errors {r['errors']}  load {r['load']:.2f}")
        status, view = check.call("GET", "/v1/workers/sim-00000")
        assert status == 200 and view["status"] == "IDLE", view
        check.close()
        scraper.stop()
        feed.stop()
        res["feed_snapshots"], res["feed_biggest"], res["scrapes"] = feed.snapshots, feed.biggest, scraper.times
        res["orch_rss_kb"] = b.rss_kb(proc.pid)
        res["feed"] = feed_latency(b, bindir, token, address, 5 if tiny else 10, 8 if tiny else 20)
        d = [x for x in res["feed"]["delays"] if x is not None]
        b.log(f"    live feed with {FEED_WORKERS} workers heartbeating: job in the feed after median "
              f"{statistics.median(d) * 1000 if d else float('nan'):.0f} ms, max {max(d) * 1000 if d else float('nan'):.0f} ms "
              f"({len(d)}/{len(res['feed']['delays'])} seen)")
    finally:
        if scraper:
            scraper.stopping.set()
        if feed:
            feed.stop()
        b.stop(proc)
        b.stop(nginx, signal.SIGQUIT)
        fake.shutdown()
        fake.server_close()
    return res


def summary(r):
    med = lambda xs: statistics.median(xs) if xs else float("nan")
    by = lambda name, key: [x[key] for x in r["runs"] if x["target"] == name]
    s = {"orch": med(by("orchestrator", "rate")), "nginx": med(by("nginx", "rate")),
         "orch_p99": med(by("orchestrator", "p99_us")) / 1000, "nginx_p99": med(by("nginx", "p99_us")) / 1000,
         "orch_p50": med(by("orchestrator", "p50_us")) / 1000, "errors": sum(by("orchestrator", "errors"))}
    s["ratio"] = s["orch"] / s["nginx"] if s["nginx"] else float("nan")
    d = [x for x in r["feed"]["delays"] if x is not None]
    s["feed_median"], s["feed_max"] = (med(d), max(d)) if d else (None, None)
    s["feed_missing"] = len(r["feed"]["delays"]) - len(d)
    return s


def render(r):
    """Rows for the results table and the section for results.md (between markers)."""
    s = summary(r)
    reg = r["registration"]
    ok = lambda c: "met" if c else "**missed**"
    n = f"{r['workers']:,}"
    rows = [
        (f"7a. Heartbeat ingest, {n} workers, orchestrator / nginx `return 204` (medians of {r['rounds']} interleaved {r['seconds']} s runs each)",
         f"{s['orch']:,.0f}/s / {s['nginx']:,.0f}/s = **{s['ratio']:.2f}x**", "≥ 0.5x", ok(s["ratio"] >= 0.5)),
        (f"7b. Heartbeat p99 at {n} workers (median of the runs; nginx {s['nginx_p99']:.2f} ms)",
         f"**{s['orch_p99']:.2f} ms** (p50 {s['orch_p50']:.2f} ms, {s['errors']} errors)", "< 5 ms", ok(s["orch_p99"] < 5 and s["errors"] == 0)),
        (f"7c. Registering {n} workers (wrk, 16 connections)", f"**{reg['seconds']:.2f} s** ({r['workers'] / reg['seconds']:,.0f}/s)",
         "< 3 s", ok(reg["seconds"] < 3 and reg.get("registered", 0) >= r["workers"])),
        (f"7d. POST /v1/jobs -> the job in the dashboard's live feed, {r['feed']['workers']:,} workers heartbeating (median / max)",
         "n/a" if s["feed_median"] is None else f"**{s['feed_median'] * 1000:.0f} ms** / {s['feed_max'] * 1000:.0f} ms",
         "≤ 1 s", ok(s["feed_max"] is not None and s["feed_max"] <= 1 and s["feed_missing"] == 0)),
    ]
    lines = [BEGIN, "## Heartbeat ingest against nginx (`bench/run --only ingest`)", "",
             "| measurement | value | target | |", "| --- | --- | --- | --- |"]
    lines += [f"| {a} | {v} | {t} | {o} |" for a, v, t, o in rows]
    fl = r["feed"]
    lines += ["",
              f"- Method: wrk (1 thread, 16 connections, `bench/heartbeat.lua`: seed heartbeats cycling over {n} registered ids, "
              "bearer token) against nginx (`return 204`, `worker_processes auto`, keep-alive unlimited) and the orchestrator "
              "(release build, `--heartbeat-timeout 3600`), alternating which goes first each round. During the orchestrator's "
              "runs the dashboard's live feed is open (an SSE reader), `/metrics` is scraped every 2 s, and the telemetry "
              "history takes its frames on its timer.",
              f"- Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, sources {r.get('sources', '?')}. "
              "Load average (1 min) is noted with each run: the machine is shared.",
              "- Runs: " + "; ".join(f"{x['target']} {x['rate']:,.0f}/s p99 {x['p99_us'] / 1000:.2f} ms load {x['load']:.2f}"
                                     for x in r["runs"]) + ".",
              f"- Registration: {reg['requests']} requests in {reg['seconds']:.2f} s, {reg['created']} answered 201, "
              f"{reg['other_status']} other statuses, p99 {reg['p99_us'] / 1000:.2f} ms; the pool then held "
              f"{reg.get('registered', 0):,} workers (its `/metrics`).",
              f"- During the runs the feed sent {r['feed_snapshots']} snapshots (largest {r['feed_biggest'] / 1e6:.1f} MB); "
              f"{len(r['scrapes'])} scrapes, median {statistics.median(r['scrapes']) * 1000 if r['scrapes'] else float('nan'):.1f} ms. "
              f"Orchestrator RSS after the runs: {r['orch_rss_kb'] / 1024:.1f} MB.",
              f"- Live feed: a fresh orchestrator with {fl['workers']:,} workers; wrk heartbeats them "
              f"({fl['heartbeats'].get('rate', 0):,.0f}/s, p99 {fl['heartbeats'].get('p99_us', 0) / 1000:.2f} ms) while jobs are "
              "posted one at a time (routed to a stub worker); the time runs from sending POST /v1/jobs to the first feed "
              "snapshot naming the job, as read off the stream (not the page's paint). Delays (ms): "
              + ", ".join("missed" if x is None else f"{x * 1000:.0f}" for x in fl["delays"])
              + f"; {fl['snapshots']} snapshots in all.",
              END, ""]
    return rows, "\n".join(lines)


def section_of(text):
    """The ingest section of an existing results.md, or None."""
    if text and BEGIN in text and END in text:
        return text[text.index(BEGIN):text.index(END) + len(END)] + "\n"
    return None


def splice(text, section):
    """`text` with its ingest section replaced by `section` (or put before the raw samples)."""
    if not section:
        return text
    if BEGIN in text and END in text:
        return text[:text.index(BEGIN)] + section + text[text.index(END) + len(END):].lstrip("\n")
    anchor = "## Settings and raw samples"
    if anchor in text:
        i = text.index(anchor)
        return text[:i] + section + "\n" + text[i:]
    return text.rstrip("\n") + "\n\n" + section
