#!/usr/bin/env python3
"""Profiles behind bench/findings.md and bench/results.md (run by `bench/profile`): the
orchestrator while it routes jobs over 10,000 registered workers, or while it takes wrk's
heartbeats for 10,000 workers (`ingest`, with the live feed open), under `perf record -g`.

  python3 bench/profile.py --bin .build-bench/release routing [--encoder hevc_vaapi|libx264] [--seconds 10]
  python3 bench/profile.py --bin .build-bench/release ingest [--seconds 10]
Writes perf.data and a report into the folder given by --out (default: a temp folder it prints).
"""
import argparse, http.server, os, subprocess, sys, threading, time, secrets, tempfile, signal
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench
import ingest


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("what", choices=["routing", "start-trace", "ingest"])
    ap.add_argument("--encoder", default="hevc_vaapi")
    ap.add_argument("--workers", type=int, default=10000)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, bench.on_signal)
    signal.signal(signal.SIGINT, bench.on_signal)
    bench.TMP = tempfile.mkdtemp(prefix="transcode-profile-")
    os.makedirs(f"{bench.TMP}/logs")
    os.makedirs(a.out, exist_ok=True)
    if a.what == "start-trace":
        return start_trace(a)
    fake = http.server.ThreadingHTTPServer(("127.0.0.1", 0), bench.FakeWorker)
    threading.Thread(target=fake.serve_forever, daemon=True).start()
    try:
        token = secrets.token_urlsafe(18)
        proc, port = bench.start_orchestrator(os.path.abspath(a.bin), "orchestrator", token, timeout=3600)
        c = bench.Client(port, token)
        if a.what == "ingest":
            return profile_ingest(a, proc, port, token, f"http://127.0.0.1:{fake.server_address[1]}")
        bench.register(c, 0, a.workers, f"http://127.0.0.1:{fake.server_address[1]}")
        perf = bench.spawn(["perf", "record", "-F", "999", "-g", "--call-graph", "dwarf,16384", "-p", str(proc.pid),
                            "-o", f"{a.out}/perf.data"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)
        end, n, t = time.time() + a.seconds, 0, 0.0
        body = {"source_path": "/media/movie.mkv", "configuration": {"encoder": a.encoder}}
        expect = 503 if a.encoder == "hevc_vaapi" else 201
        while time.time() < end:
            if a.what == "routing":
                b = dict(body, job_id=f"p-{n}")
                t0 = time.perf_counter()
                status, _ = c.call("POST", "/v1/jobs", b)
                t += time.perf_counter() - t0
                assert status == expect, status
                if expect == 201:
                    c.call("DELETE", f"/v1/jobs/p-{n}")
            n += 1
        bench.stop(perf, signal.SIGINT, 60)
        print(f"{n} requests, mean {t / max(1, n) * 1e6:.0f} us")
        with open(f"{a.out}/report.txt", "w") as f:
            subprocess.run(["perf", "report", "-i", f"{a.out}/perf.data", "--no-children", "--percent-limit", "1",
                            "--stdio", "-g", "caller,0.5,callee,function,percent", "--max-stack", "20"],
                           stdout=f, stderr=subprocess.DEVNULL)
        with open(f"{a.out}/report-children.txt", "w") as f:
            subprocess.run(["perf", "report", "-i", f"{a.out}/perf.data", "--children", "--percent-limit", "2",
                            "--stdio", "-g", "none"], stdout=f, stderr=subprocess.DEVNULL)
        c.close()
    finally:
        fake.shutdown()
        bench.cleanup()


def reports(a):
    with open(f"{a.out}/report.txt", "w") as f:
        subprocess.run(["perf", "report", "-i", f"{a.out}/perf.data", "--no-children", "--percent-limit", "1",
                        "--stdio", "-g", "caller,0.5,callee,function,percent", "--max-stack", "20"],
                       stdout=f, stderr=subprocess.DEVNULL)
    with open(f"{a.out}/report-children.txt", "w") as f:
        subprocess.run(["perf", "report", "-i", f"{a.out}/perf.data", "--children", "--percent-limit", "2",
                        "--stdio", "-g", "none"], stdout=f, stderr=subprocess.DEVNULL)
    with open(f"{a.out}/report-flat.txt", "w") as f:
        subprocess.run(["perf", "report", "-i", f"{a.out}/perf.data", "--no-children", "--percent-limit", "0.7",
                        "--stdio", "-g", "none"], stdout=f, stderr=subprocess.DEVNULL)


def profile_ingest(a, proc, port, token, address):
    """wrk posts heartbeats for a.workers registered workers while perf samples the orchestrator;
    the dashboard's feed is open as in bench/run --only ingest."""
    reg = ingest.register(bench, port, token, a.workers, address)
    print(f"registered {a.workers} in {reg['seconds']:.2f} s")
    feed = ingest.Feed(port, token)
    feed.start()
    env = {"BENCH_WORKERS": str(a.workers)}
    ingest.wrk(bench, port, token, "heartbeat.lua", 2, env)
    perf = bench.spawn(["perf", "record", "-F", "499", "-g", "--call-graph", "dwarf,16384", "-p", str(proc.pid),
                        "-o", f"{a.out}/perf.data"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    r = ingest.wrk(bench, port, token, "heartbeat.lua", int(a.seconds), env)
    bench.stop(perf, signal.SIGINT, 120)
    feed.stop()
    print(f"{r['rate']:.0f} heartbeats/s, p99 {r['p99_us'] / 1000:.2f} ms under perf; load {r['load']:.2f}")
    reports(a)


def start_trace(a):
    """strace -f -tt of orchestrator and worker while one job starts and is then seeked,
    with the bench's own view of the same moments (perf_counter -> CLOCK_MONOTONIC)."""
    try:
        for d in ("media", "transcode"):
            os.makedirs(f"{bench.TMP}/{d}")
        clip = f"{bench.TMP}/media/clip.mkv"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=24", "-f", "lavfi",
                        "-i", "sine=frequency=440:sample_rate=48000", "-t", "30", "-map", "0:v", "-map", "1:a", "-c:v", "libx264",
                        "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", clip], check=True)
        stack = bench.Stack(os.path.abspath(a.bin), secrets.token_urlsafe(18), f"{bench.TMP}/media", f"{bench.TMP}/transcode")
        stack.orch.call("POST", "/v1/jobs", bench.job_body("warm", clip))
        bench.Watch(f"{stack.troot}/warm/segment0.ts").wait()
        stack.delete("warm")
        traces = []
        for name, pid in (("orchestrator", stack.orch_proc.pid), ("worker", stack.worker_proc.pid)):
            traces.append(bench.spawn(["strace", "-f", "-ttt", "-e", "trace=execve,clone,clone3,kill,wait4,accept4,connect,"
                                       "sendto,recvfrom,write,read,mkdir,unlinkat,rmdir,openat,nanosleep,clock_nanosleep",
                                       "-s", "80", "-o", f"{a.out}/{name}.strace", "-p", str(pid)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(1.5)
        marks = []
        t0 = time.perf_counter(); marks.append(("POST sent", t0))
        w = bench.Watch(f"{stack.troot}/t/segment0.ts")
        stack.orch.call("POST", "/v1/jobs", bench.job_body("t", clip)); marks.append(("POST replied", time.perf_counter()))
        marks.append(("segment0.ts seen", w.wait()))
        w = bench.Watch(f"{stack.troot}/t/segment4.ts")
        marks.append(("PUT seek 16 s sent", time.perf_counter()))
        stack.orch.call("PUT", "/v1/jobs/t", bench.job_body("t", clip, "00:00:16")); marks.append(("PUT replied", time.perf_counter()))
        marks.append(("segment4.ts seen", w.wait()))
        stack.delete("t")
        for p in traces:
            bench.stop(p, signal.SIGINT)
        with open(f"{a.out}/marks.txt", "w") as f:
            for name, t in marks:     # perf_counter is CLOCK_MONOTONIC; strace -ttt is wall clock
                f.write(f"{time.time() - (time.perf_counter() - t):.6f} {name}\n")
        print(open(f"{a.out}/marks.txt").read())
        stack.close()
    finally:
        bench.cleanup()


if __name__ == "__main__":
    main()
