"""Player-visible figures (issue 10, deliverable 7), measured with headless Chromium.

Imported by bench.py (`bench/run --only players`); standard library only here. The browser
is driven by Tests/PlayerTests/players/play.py (the PlayerTests' own driver), run with the
Python of .venv-players, which scripts/setup-players fills.

  1. page load to the first `playing`: the page is open on the orchestrator's origin, the
     job is created (POST /v1/jobs), and the <video> gets the job's playlist_url at once;
     next to bare FFmpeg's spawn -> segment0.ts with the job's own arguments
  2. seek to `playing`: at 2 s of playback the video seeks to 70% of the movie; next to
     bare FFmpeg started cold with the worker's argument list for that seek
  3. the longest stall when the job's worker is SIGKILLed mid-play, at production timing
     (heartbeat every 10 s, timeout 45 s); no bare figure applies
"""
import json
import os
import signal
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DRIVER = os.path.join(ROOT, "Tests", "PlayerTests", "players", "play.py")
PYTHON = os.environ.get("TRANSCODE_PLAYERS_PYTHON", os.path.join(ROOT, ".venv-players", "bin", "python"))
BEGIN, END = "<!-- players:begin -->", "<!-- players:end -->"
SEEK_FRACTION = 0.7
CLIP = ("854x480", 60)


class Driver:
    """One play.py process: JSON lines out, commands in."""

    def __init__(self, b, args):
        self.p = b.spawn([PYTHON, DRIVER] + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=open(f"{b.TMP}/logs/chromium-{time.time():.0f}.log", "w"), text=True, bufsize=1)
        self.events = []

    def send(self, obj):
        """Sends a command; a driver that has already ended (an error stopped playback) reads none."""
        try:
            self.p.stdin.write(json.dumps(obj) + "\n")
            self.p.stdin.flush()
        except BrokenPipeError:
            pass

    def next(self, name, timeout):
        """Reads lines until an event called `name`; None when the driver ended first."""
        end = time.time() + timeout
        while time.time() < end:
            line = self.p.stdout.readline()
            if not line:
                return None
            try:
                e = json.loads(line)
            except ValueError:
                continue
            self.events.append(e)
            if e.get("event") == name:
                return e
        return None

    def close(self):
        try:
            self.p.stdin.close()
        except (OSError, BrokenPipeError):
            pass
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


def available():
    """Why the players cannot run here, or None."""
    if not os.access(PYTHON, os.X_OK):
        return f"no Playwright virtualenv at {PYTHON} (run scripts/setup-players)"
    if not os.access("/usr/lib/chromium/chromium", os.X_OK):
        return "no /usr/lib/chromium/chromium (run scripts/setup-players)"
    return None


def make_clip(path, size, seconds):
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=24",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", str(seconds),
                    "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-b:a", "128k", path], check=True)


class Pool:
    """An orchestrator and two workers at the given heartbeat timing."""

    def __init__(self, b, bindir, token, tag, interval, timeout):
        self.b, self.tag = b, tag
        self.media, self.roots = f"{b.TMP}/media", []
        self.orch_proc, self.orch_port = b.start_orchestrator(bindir, f"orchestrator-{tag}", token, timeout)
        self.orch = b.Client(self.orch_port, token)
        self.workers = {}
        for n in (1, 2):
            name = f"{tag}-{n}"
            root = f"{b.TMP}/transcode-{name}"
            os.makedirs(root)
            proc, port = b.start_worker(bindir, name, token, self.orch_port, self.media, root, interval)
            self.workers[name] = (proc, b.Client(port, token))
        self.token = token

    def job(self, job_id):
        return self.orch.call("GET", f"/v1/jobs/{job_id}")[1]

    def worker_args(self, job_id):
        """The job's FFmpeg arguments and output folder, from the worker that runs it."""
        view = self.job(job_id)
        status, wv = self.workers[view["worker_id"]][1].call("GET", f"/v1/jobs/{job_id}")
        assert status == 200, (status, wv)
        return wv["ffmpeg_args"], wv["output_path"]

    def url(self, playlist):
        """The player's URL: absolute and signed as it comes, or a path given ?token=."""
        if playlist.startswith("http"):
            return playlist
        return f"http://127.0.0.1:{self.orch_port}{playlist}{'&' if '?' in playlist else '?'}token={self.token}"

    def close(self):
        self.orch.close()
        for proc, client in self.workers.values():
            client.close()
            self.b.stop(proc)
        self.b.stop(self.orch_proc)


def bench_players(b, bindir, token, tiny):
    why = available()
    if why:
        raise SystemExit(f"players: {why}")
    size, seconds = CLIP
    clip = f"{b.TMP}/media/players.mkv"
    b.log(f"    generating a {seconds} s {size} clip")
    make_clip(clip, size, seconds)
    mach = b.machine()
    r = {"clip": f"{seconds} s {size}", "runs": [], "stall": None, "when": f"{mach['date']}, sources {mach['sources']}"}
    runs = 1 if tiny else 3

    # 1 and 2: a fresh job per run (plus a discarded warm-up), short timing (no failover here).
    pool = Pool(b, bindir, token, "play", 1, 45)
    try:
        for i in range(runs + 1):
            job = f"play-{i}"
            d = Driver(b, ["--page", f"http://127.0.0.1:{pool.orch_port}/healthz", "--wait-go",
                           "--seek-fraction", str(SEEK_FRACTION), "--seek-at", "2", "--after", "4", "--timeout", "60"])
            try:
                assert d.next("ready", 30), "the driver did not open the page"
                t0 = time.perf_counter()
                status, view = pool.orch.call("POST", "/v1/jobs", b.job_body(job, clip))
                assert status == 201, (status, view)
                posted = time.perf_counter() - t0
                d.send({"go": True, "url": pool.url(view["playlist_url"])})
                start_args = pool.worker_args(job)
                s = d.next("summary", 90)
            finally:
                d.close()
            assert s, f"no summary from the driver; events: {d.events[-10:]}"
            seek_args = pool.worker_args(job)
            pool.orch.call("DELETE", f"/v1/jobs/{job}")
            bare_start = b.run_bare(b.bare_args(*start_args, f"{b.TMP}/bare/pstart-{i}"), f"{b.TMP}/bare/pstart-{i}", "segment0.ts")
            seek_segment = int(s["seek_to"] // 4) if s.get("seek_to") is not None else None
            restarted = "-ss" in seek_args[0]
            bare_seek = None
            if restarted and seek_segment is not None:
                bare_seek = b.run_bare(b.bare_args(*seek_args, f"{b.TMP}/bare/pseek-{i}"), f"{b.TMP}/bare/pseek-{i}", f"segment{seek_segment}.ts")
            run = {"post": posted, "first_playing": (s["first_playing_ms"] or 0) / 1000 + posted if s["first_playing_ms"] else None,
                   "seek_to": s.get("seek_to"), "seek_playing": s["seek_to_playing_ms"] / 1000 if s.get("seek_to_playing_ms") else None,
                   "restarted": restarted, "bare_start": bare_start, "bare_seek": bare_seek, "error": s["error"],
                   "stall": s["longest_stall_ms"] / 1000}
            b.log(f"    run {i}{' (warm-up)' if i == 0 else ''}: first playing {b.fmt(run['first_playing'])} s (bare segment0 {bare_start:.2f} s), "
                  f"seek to {run['seek_to']} s -> playing {b.fmt(run['seek_playing'])} s (bare {b.fmt(bare_seek)} s), error {run['error']}")
            if i > 0:
                r["runs"].append(run)
    finally:
        pool.close()

    # 3: the worker dies mid-play at production timing (tiny: a 2 s timeout, to prove the step works).
    interval, timeout = (0.5, 2) if tiny else (10, 45)
    r["stall"] = bench_stall(b, bindir, token, clip, interval, timeout)
    return r


def bench_stall(b, bindir, token, clip, interval, timeout):
    pool = Pool(b, bindir, token, "stall", interval, timeout)
    try:
        job = "stall"
        status, view = pool.orch.call("POST", "/v1/jobs", b.job_body(job, clip))
        assert status == 201, (status, view)
        first = view["worker_id"]
        d = Driver(b, ["--url", pool.url(view["playlist_url"]), "--mark-at", "2", "--after", str(timeout + 60),
                       "--timeout", str(timeout + 90)])
        try:
            assert d.next("mark", 60), f"Chromium did not play 2 s: {d.events[-10:]}"
            killed = time.perf_counter()
            b.stop(pool.workers[first][0], signal.SIGKILL)
            moved = join = None
            for _ in range(int((timeout + 30) / 0.1)):
                v = pool.job(job)
                if v.get("worker_id") not in (None, first) and v.get("last_failover"):
                    moved = time.perf_counter() - killed
                    join = v["last_failover"]["resume_segment"] * 4
                    break
                time.sleep(0.1)
            if join is not None:
                d.send({"until": join + 6})
            s = d.next("summary", timeout + 120)
        finally:
            d.close()
        assert s, f"no summary from the driver; events: {d.events[-10:]}"
        b.log(f"    worker killed at {s.get('current_time_at_mark')} s of play: job moved after {b.fmt(moved)} s (join at {join} s); "
              f"longest stall {s['longest_frozen_ms'] / 1000:.2f} s, video.error {s['error']}, reached {s['current_time']} s")
        return {"interval": interval, "timeout": timeout, "moved": moved, "join": join, "error": s["error"],
                "frozen": s["longest_frozen_ms"] / 1000, "stalls": s["stalls"], "reached": s["current_time"],
                "at": s.get("current_time_at_mark")}
    finally:
        pool.close()


def render(r):
    """The section for results.md, between markers so later runs can replace it alone."""
    runs = r["runs"]
    med = lambda xs: sorted(xs)[len(xs) // 2] if xs else None
    first = med([x["first_playing"] for x in runs if x["first_playing"] is not None])
    bare_first = med([x["bare_start"] for x in runs])
    seek = med([x["seek_playing"] for x in runs if x["seek_playing"] is not None])
    bare_seek = med([x["bare_seek"] for x in runs if x["bare_seek"] is not None])
    errors = [x["error"] for x in runs if x["error"]]
    st = r["stall"]
    f = lambda x: "n/a" if x is None else f"{x:.2f} s"
    rows = [
        ("Page load -> first `playing` (median; job created, then the playlist URL set)", f"**{f(first)}**", f"{f(bare_first)} (spawn -> segment0.ts)", "—"),
        (f"Seek to {int(SEEK_FRACTION * 100)}% -> `playing` (median)", f"**{f(seek)}**", f"{f(bare_seek)} (cold at the seek -> its first segment)", "—"),
    ]
    if st:
        stopped = st["error"] is not None
        value = (f"**stopped for good** at {st['reached']:.1f} s (after standing still {st['frozen']:.1f} s): video.error {st['error']['code']} `{st['error'].get('message')}`"
                 if stopped else f"**{st['frozen']:.2f} s**")
        timing = f"heartbeat {st['interval']} s, timeout {st['timeout']} s"
        ok = not stopped and st["frozen"] <= 5
        rows.append((f"Longest stall when the job's worker is SIGKILLed mid-play ({timing})", value, "— (≤ 5 s, no error: issue 10)",
                     "met" if ok else "**missed**"))
    md = [BEGIN, "## Player-visible figures (headless Chromium)", "",
          "| measurement | Chromium through the orchestrator | bare FFmpeg | |", "| --- | --- | --- | --- |"]
    md += [f"| {a} | {v} | {bare} | {ok} |" for a, v, bare, ok in rows]
    md += ["",
           f"- Player: Debian's chromium, headless, native HLS in `<video>` (no hls.js), driven by Playwright through "
           f"`Tests/PlayerTests/players/play.py`; muted autoplay; page on the orchestrator's origin. Clip: {r['clip']} testsrc2 + sine, "
           f"libx264 jobs at 3 Mbit/s, 4 s segments, two workers. Times come from the page's own clock (`performance.now()`). Measured {r['when']}.",
           "- Page load -> first `playing`: the page is already open; the time is POST /v1/jobs plus src set -> the first `playing` "
           "event, so it includes the whole cold start (FFmpeg spawn, first segment, playlist and segment fetches, decode). "
           "Bare: the job's own FFmpeg arguments, spawn -> segment0.ts on disk (no player, no HTTP).",
           f"- Seek: at 2 s of playback `currentTime` is set to {int(SEEK_FRACTION * 100)}% of the duration; the time runs to the "
           "next `playing` event (or to `currentTime` moving past the target). Bare: the worker's restarted argument list "
           "(with its `-ss`), cold, spawn -> that segment on disk.",
           "- Runs: " + "; ".join(f"first playing {f(x['first_playing'])} (bare {f(x['bare_start'])}), seek to {x['seek_to']} s -> "
                                  f"{f(x['seek_playing'])} (bare {f(x['bare_seek'])}{'' if x['restarted'] else ', no restart'}), "
                                  f"video.error {x['error']}" for x in runs) + ".",
           ]
    if errors:
        md.append(f"- video.error seen in the first-play/seek runs: {errors}")
    if st:
        md.append(f"- Stall: the worker running the job was SIGKILLed once Chromium had played {st['at']:.2f} s; the orchestrator "
                  f"moved the job after {f(st['moved'])} (join at {st['join']} s); Chromium reached {st['reached']:.2f} s. "
                  f"Longest stall = longest time `currentTime` did not advance while playing (sampled every 100 ms); "
                  f"`waiting` -> `playing` spans: {[round(x['ms'] / 1000, 2) for x in st['stalls']]}.")
    md.append(END)
    return rows, "\n".join(md) + "\n"


def section_of(text):
    """The players section of an existing results.md, or None."""
    if text and BEGIN in text and END in text:
        return text[text.index(BEGIN):text.index(END) + len(END)] + "\n"
    return None


def splice(text, section):
    """`text` with its players section replaced by `section` (or inserted before the raw samples)."""
    if not section:
        return text
    if BEGIN in text and END in text:
        return text[:text.index(BEGIN)] + section + text[text.index(END) + len(END):].lstrip("\n")
    anchor = "## Settings and raw samples"
    if anchor in text:
        i = text.index(anchor)
        return text[:i] + section + "\n" + text[i:]
    return text.rstrip("\n") + "\n\n" + section
