"""What the viewer feels (issue 18, deliverables 1 and 5): `bench/run --only viewer`.

Imported by bench.py; standard library only here. For a 720p and a 1080p 23.976 fps source
(testsrc2 + sine, 60 s, H.264/AAC in MKV), headless Chromium (bench/viewer_page.py) creates a
job on the orchestrator from the page, plays its signed playlist URL, seeks at 2 s of play to
70 % of the movie, and reports its Resource Timing. The orchestrator's stages come back in its
`Server-Timing` header (read by the page), the worker's in its job view (`timeline`), and the
bare FFmpeg stages from the worker's own argument list, run cold in the same pass:

  - the timeline, in ms, of one start (from the page's POST) and one seek (from setting
    currentTime) to `playing`;
  - start (POST -> `playing`, median of 5), seek (seek -> `playing`, median of 5), and the
    limit: bare FFmpeg's time from spawn to its first muxed packet (the first bytes in the
    segment's temporary file) for the same argv, with the ratios; targets 0.5 s;
  - the player's own buffering rule: how much media Chromium holds at `playing`, and the
    least it needs (a small server that holds every segment after the first K, or cuts a
    segment short).
"""
import http.server
import json
import os
import shutil
import subprocess
import threading
import time

import players

BENCH = os.path.dirname(os.path.abspath(__file__))
PAGE = os.path.join(BENCH, "viewer_page.py")
BEGIN, END = "<!-- viewer:begin -->", "<!-- viewer:end -->"
# label, size, segment_seconds (None: the job's default, 4 s). The last row asks for 1 s segments:
# Chromium plays once one whole segment is in, so the segment's length is the start's floor.
SOURCES = (("720p", "1280x720", None), ("1080p", "1920x1080", None), ("720p T=1s", "1280x720", 1))
RATE = "24000/1001"
SECONDS = 60
SEEK_FRACTION = 0.7
TARGET = 0.5


class Page(players.Driver):
    """bench/viewer_page.py, driven like players.Driver drives play.py."""

    def __init__(self, b, args):
        self.p = b.spawn([players.PYTHON, PAGE] + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=open(f"{b.TMP}/logs/viewer-page-{time.time():.3f}.log", "w"), text=True, bufsize=1)
        self.events = []


def make_clip(path, size, seconds):
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={RATE}",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", str(seconds),
                    "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-b:a", "128k", path], check=True)


# ---------------------------------------------------------------- bare FFmpeg

def size_of(path):
    try:
        return os.stat(path).st_size
    except OSError:
        return None


def bare_first_packet(b, args, folder, number):
    """Spawns the argv; seconds from spawn to the first bytes of segment<number>.ts.tmp (the
    muxer's first write) and to the finished segment<number>.ts, polled every 2 ms."""
    os.makedirs(folder)
    done_path = f"{folder}/segment{number}.ts"
    tmp = done_path + ".tmp"
    t0 = time.perf_counter()
    p = b.spawn(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = done = None
    while time.perf_counter() - t0 < 60:
        now = time.perf_counter()
        finished = os.path.exists(done_path)
        if first is None and ((size_of(tmp) or 0) > 0 or finished):
            first = now - t0
        if finished:
            done = now - t0
            break
        if p.poll() is not None:
            break
        time.sleep(0.002)
    b.stop(p)
    shutil.rmtree(folder, ignore_errors=True)
    return first, done


ANATOMY = (("demuxed", "demuxer -> ist_index:0"), ("decoded", "decoder -> ist_index:0"),
           ("into_encoder", "encoder <- type:video"), ("encoded", "encoder -> type:video"),
           ("muxed", "muxer <- type:video"))


def bare_anatomy(b, args, folder, number):
    """The same argv with `-loglevel info -debug_ts` (a twin, not the measured run): ms from spawn
    to FFmpeg's first line of each kind on stderr (first video packet demuxed, frame decoded,
    frame into the encoder, packet out of it, packet into the muxer) and to the first bytes on
    disk and the finished segment."""
    os.makedirs(folder)
    twin = list(args)
    if "-loglevel" in twin:
        twin[twin.index("-loglevel") + 1] = "info"
    twin[1:1] = ["-debug_ts"]
    done_path = f"{folder}/segment{number}.ts"
    seen = {}
    t0 = time.perf_counter()
    p = b.spawn(twin, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, bufsize=1)

    def read():
        for line in p.stderr:
            now = (time.perf_counter() - t0) * 1000
            for name, prefix in ANATOMY:
                if name not in seen and line.startswith(prefix):
                    seen[name] = now

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    while time.perf_counter() - t0 < 60 and p.poll() is None:
        now = (time.perf_counter() - t0) * 1000
        if "first_bytes" not in seen and (size_of(done_path + ".tmp") or 0) > 0:
            seen["first_bytes"] = now
        if os.path.exists(done_path):
            seen.setdefault("first_bytes", now)
            seen["segment"] = now
            break
        time.sleep(0.002)
    b.stop(p)
    reader.join(timeout=5)
    shutil.rmtree(folder, ignore_errors=True)
    return seen


# ---------------------------------------------------------------- one run through Chromium

def server_timing(entry):
    """{name: ms} of a resource entry's Server-Timing, and its counts ({name: int})."""
    marks, counts = {}, {}
    for name, dur, desc in entry.get("serverTiming") or []:
        if desc and desc.isdigit():
            counts[name] = int(desc)
        else:
            marks[name] = dur
    return marks, counts


def entries(summary, needle, after=0.0):
    """Resource Timing entries whose file name (the URL's last part) contains `needle`, started at or after `after`."""
    return [e for e in summary["resources"] if needle in e["name"].split("?")[0].rsplit("/", 1)[-1] and e["startTime"] >= after]


def worker_view(pool, job_id):
    view = pool.job(job_id)
    status, wv = pool.workers[view["worker_id"]][1].call("GET", f"/v1/jobs/{job_id}")
    assert status == 200, (status, wv)
    return wv


def stages_of(timeline, origin):
    """Worker stages placed on the page's clock: the request reached the worker at `origin`."""
    names = (("validated_ms", "worker: request validated (paths, bitrate, seek)"),
             ("probed_ms", "worker: source probed (ffprobe{cached})"),
             ("previous_stopped_ms", "worker: previous FFmpeg stopped and reaped"),
             ("spawned_ms", "worker: FFmpeg spawned"),
             ("first_progress_ms", "FFmpeg: first -progress block (encoders open: first frames decoded)"),
             ("first_bytes_ms", "FFmpeg: first bytes in the segment's .tmp (the HLS muxer writes a segment whole, at its end)"),
             ("first_frames_ms", "FFmpeg: first -progress block with frame > 0 (0.5 s period: coarse)"),
             ("first_segment_ms", "FFmpeg: segment complete (renamed into place)"))
    cached = " cached" if timeline.get("probe_cached") else ""
    rows = [(origin, "worker: request received")]
    for key, label in names:
        if timeline.get(key) is not None:
            rows.append((origin + timeline[key], label.replace("{cached}", cached)))
    return rows


def start_timeline(s, wt):
    """The start: ms from the page's POST on the page's clock."""
    post = [e for e in s["resources"] if e["name"].split("?")[0].endswith("/v1/jobs")][0]
    origin = post["startTime"]
    st, _ = server_timing(post)
    rq = post["requestStart"] or post["startTime"]
    rows = [(post["startTime"], "page: POST /v1/jobs sent"), (rq, "orchestrator: request arrives (page requestStart)")]
    if "routed" in st:
        rows.append((rq + st["routed"], "orchestrator: worker chosen (routing)"))
        rows += stages_of(wt, rq + st["routed"])
    if "worker_replied" in st:
        rows.append((rq + st["worker_replied"], "orchestrator: worker replied (FFmpeg spawned)"))
    if "total" in st:
        rows.append((rq + st["total"], "orchestrator: reply built (Server-Timing total)"))
    rows.append((post["responseEnd"], "page: POST response complete"))
    rows.append((s["t0"], "page: video src set (signed playlist URL)"))
    pl = entries(s, "index.m3u8", s["t0"])
    if pl:
        rows.append((pl[0]["requestStart"], "page: playlist requested"))
        rows.append((pl[0]["responseEnd"], "page: playlist received"))
    rows += fetch_rows(s, entries(s, "segment", s["t0"]))
    playing = s["t0"] + s["first_playing_ms"]
    rows.append((playing, "page: `playing`"))
    return origin, playing, sorted(rows, key=lambda r: r[0]), st, segment_polls(entries(s, "segment", s["t0"]))


def fetch_rows(s, segs, restart_only=False):
    """The player's fetches of the segment it starts with: the first one answered 200 and a
    repeat (Chromium asks for a first segment again with Range: 206)."""
    rows = []
    ok = [e for e in segs if e.get("responseStatus") in (200, 206, 0, None)]
    if not ok:
        return rows
    first = ok[0]
    name = first["name"].split("?")[0].rsplit("/", 1)[-1]
    st, counts = server_timing(first)
    rows.append((first["requestStart"] or first["startTime"], f"page: {name} requested"))
    if "ready" in st:
        rows.append(((first["requestStart"] or first["startTime"]) + st["ready"],
                     f"orchestrator: {name} whole at the worker, read ({counts.get('polls', '?')} polls, 100 ms apart)"))
    rows.append((first["responseStart"], f"page: {name} first byte"))
    rows.append((first["responseEnd"], f"page: {name} received"))
    again = [e for e in ok[1:4] if e["name"] == first["name"]]
    if again:
        rows.append((again[0]["responseEnd"], f"page: {name} fetched again ({again[0].get('responseStatus')}, a Range request) and received"))
    return rows


def segment_polls(segs):
    return [server_timing(e)[1].get("polls") for e in segs[:1]]


def seek_timeline(s, wt):
    """The seek: ms from setting currentTime on the page's clock."""
    origin = s["t0"] + s["mark_t"]
    segs = entries(s, "segment", origin)
    restarted = [e for e in segs if "restart_sent" in server_timing(e)[0]]
    rows = [(origin, f"page: currentTime set to {s['seek_to']} s")]
    for e in s["resources"]:
        if "segment" in e["name"] and e["startTime"] < origin < e["responseEnd"]:
            name = e["name"].split("?")[0].rsplit("/", 1)[-1]
            rows.append((e["responseEnd"], f"page: {name} (asked for before the seek, still in flight) done: "
                                           "Chromium fetches one segment at a time"))
    if restarted:
        e = restarted[0]
        st, _ = server_timing(e)
        rq = e["requestStart"] or e["startTime"]
        name = e["name"].split("?")[0].rsplit("/", 1)[-1]
        rows.append((rq, f"page: {name} requested (orchestrator: request arrives)"))
        rows.append((rq + st["restart_sent"], f"orchestrator: {name} far ahead of the run: restart decided"))
        if "routed" in st:
            rows.append((rq + st["routed"], "orchestrator: worker chosen (routing)"))
            rows += stages_of(wt, rq + st["routed"])
        if "worker_replied" in st:
            rows.append((rq + st["worker_replied"], "orchestrator: worker replied (FFmpeg spawned)"))
        segs = [e] + [x for x in segs if x is not e]
    rows += [r for r in fetch_rows(s, segs) if "requested" not in r[1] or not restarted]
    playing = origin + s["seek_to_playing_ms"]
    rows.append((playing, "page: `playing`"))
    return origin, playing, sorted(rows, key=lambda r: r[0])


def one_run(b, pool, clip, job, tiny, segment_seconds=None):
    d = Page(b, ["--page", f"http://127.0.0.1:{pool.orch_port}/healthz", "--seek-fraction", str(SEEK_FRACTION),
                 "--seek-at", "2", "--after", "2", "--timeout", "60"])
    try:
        assert d.next("ready", 30), "the page did not open"
        body = b.job_body(job, clip)
        if segment_seconds:
            body["configuration"]["segment_seconds"] = segment_seconds
        d.send({"go": True, "body": body, "token": pool.token})
        created = d.next("created", 30)
        assert created and created["status"] == 201, f"POST from the page failed: {created}"
        assert d.next("playing", 60), f"no playing: {d.events[-5:]}"
        start_view = worker_view(pool, job)
        s = d.next("summary", 90)
    finally:
        d.close()
    assert s and not s.get("error"), f"no clean summary: {s and s.get('error')}; {d.events[-5:]}"
    seek_view = worker_view(pool, job)
    pool.orch.call("DELETE", f"/v1/jobs/{job}")
    return s, start_view, seek_view


def bench_source(b, bindir, token, label, size, tiny, segment_seconds=None):
    clip = f"{b.TMP}/media/viewer-{size}.mkv"
    if not os.path.exists(clip):
        b.log(f"    {label}: generating a {SECONDS} s {size} {RATE} fps clip")
        make_clip(clip, size, SECONDS)
    runs = 1 if tiny else 5
    out = {"label": label, "size": size, "runs": []}
    tag = label.replace(" ", "-").replace("=", "")
    pool = players.Pool(b, bindir, token, f"viewer-{tag}", 1, 45)
    try:
        for i in range(runs + 1):
            b0 = b.machine_busy()
            s, sv, kv = one_run(b, pool, clip, f"viewer-{tag}-{i}", tiny, segment_seconds)
            b1 = b.machine_busy()
            sa, sfolder = sv["ffmpeg_args"], sv["output_path"]
            ka, kfolder = kv["ffmpeg_args"], kv["output_path"]
            start_seg, seek_seg = sv["start_segment"], kv["start_segment"]
            bare, twin = {}, {}
            for kind in (("start", "seek") if i % 2 == 0 else ("seek", "start")):
                args, folder, n = (sa, sfolder, start_seg) if kind == "start" else (ka, kfolder, seek_seg)
                bare[kind] = bare_first_packet(b, b.bare_args(args, folder, f"{b.TMP}/bare/v-{tag}-{kind}-{i}"),
                                               f"{b.TMP}/bare/v-{tag}-{kind}-{i}", n)
                twin[kind] = bare_anatomy(b, b.bare_args(args, folder, f"{b.TMP}/bare/va-{tag}-{kind}-{i}"),
                                          f"{b.TMP}/bare/va-{tag}-{kind}-{i}", n)
            busy = (b.busy_share(b0, b1), b.busy_share(b1, b.machine_busy()))
            so, sp, srows, sst, _ = start_timeline(s, sv["timeline"] or {})
            assert s.get("seek_to_playing_ms") is not None, f"the seek never played: {s.get('stalls')}, error {s.get('error')}"
            ko, kp, krows = seek_timeline(s, kv["timeline"] or {})
            run = {"start": (sp - so) / 1000, "seek": (kp - ko) / 1000, "bare_start": bare["start"], "bare_seek": bare["seek"],
                   "limit_start": ms_to_s(twin["start"].get("muxed")), "limit_seek": ms_to_s(twin["seek"].get("muxed")),
                   "anatomy_start": twin["start"], "anatomy_seek": twin["seek"], "busy": busy,
                   "start_rows": [(t - so, what) for t, what in srows], "seek_rows": [(t - ko, what) for t, what in krows],
                   "seek_to": s["seek_to"], "seek_segment": seek_seg, "restarted": "-ss" in ka,
                   "start_timeline": sv["timeline"], "seek_timeline": kv["timeline"], "skew_ms": s.get("skew_ms"),
                   "playing": s.get("playing"), "resources": len(s.get("resources", [])),
                   "start_args": sa, "seek_args": ka, "folders": (sfolder, kfolder)}
            b.log(f"    {label} run {i}{' (warm-up)' if i == 0 else ''}: start {run['start']:.3f} s (bare: first muxed packet "
                  f"{b.fmt(run['limit_start'])} s, whole segment {b.fmt(bare['start'][1])} s), seek to {s['seek_to']} s {run['seek']:.3f} s "
                  f"(bare {b.fmt(run['limit_seek'])} / {b.fmt(bare['seek'][1])} s)")
            if i > 0:
                out["runs"].append(run)
        keys = sorted({k for x in out["runs"] for k in x["anatomy_start"]} | {k for x in out["runs"] for k in x["anatomy_seek"]})
        out["anatomy_start"] = {k: med([x["anatomy_start"].get(k) for x in out["runs"]]) for k in keys}
        out["anatomy_seek"] = {k: med([x["anatomy_seek"].get(k) for x in out["runs"]]) for k in keys}
        b.log(f"    {label} bare anatomy, medians (ms from spawn): start {fmt_anatomy(out['anatomy_start'])}; seek {fmt_anatomy(out['anatomy_seek'])}")
    finally:
        pool.close()
    return out


def fmt_anatomy(a):
    return ", ".join(f"{k} {v:.0f}" for k, v in sorted(((k, v) for k, v in a.items() if v is not None), key=lambda kv: kv[1]))


def ms_to_s(x):
    return None if x is None else x / 1000


# ---------------------------------------------------------------- the player's buffering rule

class HoldingServer(http.server.ThreadingHTTPServer):
    """Serves a folder of HLS files; segment numbers >= `hold_from` are held (the request hangs
    until the server closes); with `cut`, segment 0 sends only that share of its bytes (whole TS
    packets; the full Content-Length announced, or with `chunked` as one chunk of a chunked
    response, as progressive delivery sends it) and then hangs."""
    daemon_threads = True

    def __init__(self, folder):
        self.folder, self.hold_from, self.cut, self.chunked = folder, None, None, False
        self.release = threading.Event()
        super().__init__(("127.0.0.1", 0), Handler)

    def handle_error(self, request, client_address):
        pass        # the page closing a held request is expected


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_GET(self):
        srv = self.server
        name = self.path.split("?")[0].rsplit("/", 1)[-1]
        path = os.path.join(srv.folder, name)
        if name == "page.html" or not os.path.exists(path):
            body = b"<html><body></body></html>" if name == "page.html" else b""
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        data = open(path, "rb").read()
        number = int(name[len("segment"):-3]) if name.startswith("segment") and name.endswith(".ts") else None
        if number is not None and srv.hold_from is not None and number >= srv.hold_from:
            srv.release.wait(30)
            self.close_connection = True
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/vnd.apple.mpegurl" if name.endswith(".m3u8") else "video/mp2t")
        cut = number == 0 and srv.cut is not None
        if cut and srv.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if cut:
            part = data[:int(len(data) * srv.cut) // 188 * 188]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part) if srv.chunked else part)
            self.wfile.flush()
            srv.release.wait(30)
            self.close_connection = True
            return
        self.wfile.write(data)


def probe_page(b, url, page, wait):
    d = Page(b, ["--page", page, "--probe", url, "--wait", str(wait)])
    try:
        s = d.next("summary", wait + 40)
    finally:
        d.close()
    return s


def bench_buffering(b, tiny):
    """How much media Chromium needs before `playing`."""
    clip = f"{b.TMP}/media/viewer-buffering.mkv"
    make_clip(clip, "1280x720", 16)
    lengths = (1, 4) if tiny else (0.5, 1, 2, 4)
    trials = []
    for length in lengths:
        folder = f"{b.TMP}/buffering-{length}"
        os.makedirs(folder)
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", clip, "-map", "0:v", "-map", "0:a", "-c:v", "libx264", "-preset", "veryfast",
                        "-b:v", "3000000", "-force_key_frames", f"expr:gte(t,n_forced*{length})", "-c:a", "aac", "-ar", "48000",
                        "-f", "hls", "-hls_time", str(length), "-hls_playlist_type", "vod",
                        "-hls_segment_filename", f"{folder}/segment%d.ts", f"{folder}/index.m3u8"], check=True)
        cases = [(k, None, False) for k in ((1, 2) if tiny else (1, 2, 3, 4))]
        if length == 4:
            # Segment 0 alone, cut short: does Chromium start on a part of a segment?
            cases = [(1, 0.5, False), (1, 0.9, False), (1, 0.5, True), (1, 0.9, True)] + cases
        for hold_from, cut, chunked in cases:
            srv = HoldingServer(folder)
            srv.hold_from, srv.cut, srv.chunked = hold_from, cut, chunked
            threading.Thread(target=srv.serve_forever, daemon=True).start()
            base = f"http://127.0.0.1:{srv.server_address[1]}"
            try:
                s = probe_page(b, f"{base}/index.m3u8", f"{base}/page.html", 6)
            finally:
                srv.release.set()
                srv.shutdown()
                srv.server_close()
            st = (s or {}).get("state") or {}
            played = bool((s or {}).get("playing"))
            at = s["playing"][0] if played else None
            trial = {"length": length, "hold_from": hold_from, "cut": cut, "chunked": chunked, "played": played,
                     "t": at["t"] if at else None, "buffered": at["buffered"] if at else st.get("buffered"),
                     "ready_state": at["readyState"] if at else st.get("readyState"),
                     "fetched": sorted({e["name"].rsplit("/", 1)[-1] for e in (s or {}).get("resources", []) if "segment" in e["name"]})}
            cut_note = f" (segment0 cut to {cut:.0%}{', chunked' if chunked else ''})" if cut else ""
            when = f" after {trial['t']:.0f} ms" if played else ""
            b.log(f"    {length} s segments, {hold_from} served{cut_note}: playing {'yes' if played else 'no'}{when}, "
                  f"buffered {trial['buffered']}, readyState {trial['ready_state']}")
            trials.append(trial)
            if played and cut is None:
                break
        shutil.rmtree(folder, ignore_errors=True)
    return trials


def bench_viewer(b, bindir, token, tiny):
    why = players.available()
    if why:
        raise SystemExit(f"viewer: {why}")
    mach = b.machine()
    r = {"when": f"{mach['date']}, sources {mach['sources']}", "sources": []}
    for label, size, segment_seconds in SOURCES[:1] if tiny else SOURCES:
        r["sources"].append(bench_source(b, bindir, token, label, size, tiny, segment_seconds))
    b.log("    the player's buffering rule (a holding server, no orchestrator)")
    r["buffering"] = bench_buffering(b, tiny)
    return r


# ---------------------------------------------------------------- results.md

def med(xs):
    xs = sorted(x for x in xs if x is not None)
    return xs[len(xs) // 2] if xs else None


def median_run(runs, key):
    ordered = sorted(runs, key=lambda x: x[key])
    return ordered[len(ordered) // 2]


def figures(src):
    runs = src["runs"]
    start, seek = med([x["start"] for x in runs]), med([x["seek"] for x in runs])
    limit_start = med([x["limit_start"] for x in runs])
    limit_seek = med([x["limit_seek"] for x in runs])
    seg_start = med([x["bare_start"][1] for x in runs])
    seg_seek = med([x["bare_seek"][1] for x in runs])
    return start, seek, limit_start, limit_seek, seg_start, seg_seek


def at(rows, *needles):
    """The first instant (ms) of a row whose label holds every needle (and is not about the request
    in flight before a seek), or None."""
    for t, what in rows:
        if all(n in what for n in needles) and ("asked for before the seek" not in what or "asked for before the seek" in needles):
            return t
    return None


def span(rows, a, b):
    ta, tb = at(rows, *a), at(rows, *b)
    return None if ta is None or tb is None else tb - ta


def insights(src):
    """Where the time of the median start and seek went, in a few computed lines."""
    s_run, k_run = median_run(src["runs"], "start"), median_run(src["runs"], "seek")
    s, k = s_run["start_rows"], k_run["seek_rows"]
    ms = lambda x: "n/a" if x is None else f"{x:.0f} ms"
    total_s, total_k = s_run["start"] * 1000, k_run["seek"] * 1000
    enc_s = span(s, ("worker: FFmpeg spawned",), ("segment complete",))
    enc_k = span(k, ("worker: FFmpeg spawned",), ("segment complete",))
    lines = [
        f"- **{src['label']} start ({ms(total_s)})**: before FFmpeg runs (POST, routing, validation, probe, spawn) "
        f"{ms(at(s, 'worker: FFmpeg spawned'))}; FFmpeg spawn -> whole first segment {ms(enc_s)} "
        f"({'n/a' if enc_s is None else f'{enc_s / total_s:.0%}'} of the start; of it, spawn -> first `-progress` block "
        f"{ms(span(s, ('worker: FFmpeg spawned',), ('first -progress block (encoders',)))}); segment complete -> read by the orchestrator "
        f"(100 ms polls) {ms(span(s, ('segment complete',), ('whole at the worker',)))}; read -> received by the page "
        f"{ms(span(s, ('whole at the worker',), ('page: segment', 'received')))}; received -> `playing` (Chromium) "
        f"{ms(span(s, ('page: segment', 'received'), ('page: `playing`',)))}.",
        f"- **{src['label']} seek ({ms(total_k)})**: Chromium waits for the segment it asked for before the seek "
        f"{ms(at(k, 'asked for before the seek'))} before it asks for the new one "
        f"(requested at {ms(at(k, 'requested (orchestrator'))}); request -> new FFmpeg spawned (refresh, restart, routing, old FFmpeg "
        f"killed) {ms(span(k, ('requested (orchestrator',), ('worker: FFmpeg spawned',)))}; spawn -> whole first segment {ms(enc_k)} "
        f"(of it, spawn -> first `-progress` block {ms(span(k, ('worker: FFmpeg spawned',), ('first -progress block (encoders',)))}: "
        f"`-ss` decodes from the source's keyframe before the seek point); segment complete -> read "
        f"{ms(span(k, ('segment complete',), ('whole at the worker',)))}; received -> `playing` "
        f"{ms(span(k, ('page: segment', 'received'), ('page: `playing`',)))}.",
    ]
    return lines


def render(r):
    f = lambda x: "n/a" if x is None else f"{x:.2f} s"
    ratio = lambda a, c: "n/a" if a is None or not c else f"{a / c:.1f}x"
    ok = lambda x: "met" if x is not None and x <= TARGET else "**missed**"
    rows = []
    md = [BEGIN, "## What the viewer feels: the timeline of a start and a seek (headless Chromium)", "",
          f"`bench/run --only viewer`. Measured {r['when']}. Release build, one orchestrator and two workers on 127.0.0.1, "
          f"libx264 jobs at 3 Mbit/s, 4 s segments, TS. Sources: {SECONDS} s testsrc2 + sine at {RATE} fps, H.264/AAC in MKV. "
          "The page is on the orchestrator's origin and creates the job itself (`POST /v1/jobs` with `fetch`), then plays the "
          "signed `playlist_url` in its own `<video>` (Chromium's native HLS), and at 2 s of play seeks to 70 % of the movie.", "",
          "| source | start: POST -> `playing` (median of 5) | seek -> `playing` (median of 5) | limit: bare FFmpeg spawn -> first muxed packet (start / seek) | start / limit | seek / limit | target |",
          "| --- | --- | --- | --- | --- | --- | --- |"]
    for src in r["sources"]:
        start, seek, ls, lk, ss, sk = figures(src)
        rows.append((f"viewer {src['label']}: start", f(start), f"limit {f(ls)}", ratio(start, ls), ok(start)))
        rows.append((f"viewer {src['label']}: seek", f(seek), f"limit {f(lk)}", ratio(seek, lk), ok(seek)))
        md.append(f"| {src['label']} ({src['size']}) | **{f(start)}** ({ok(start)}) | **{f(seek)}** ({ok(seek)}) | {f(ls)} / {f(lk)} "
                  f"(whole first segment: {f(ss)} / {f(sk)}) | {ratio(start, ls)} | {ratio(seek, lk)} | ≤ {TARGET} s each |")
    md += ["", "- The limit: the worker's own `ffmpeg_args` for that run (read from its job view), output folder swapped, with "
           "`-loglevel info -debug_ts` added, spawned cold right after each Chromium run (start and seek alternate), timed from the "
           "spawn to FFmpeg's first `muxer <- type:video` line: the first video packet handed to the muxer. The same argv without "
           "the two options, also cold, gives the whole first segment (renamed into place; polled every 2 ms).",
           "- FFmpeg 5.1's HLS muxer holds a TS segment in memory and writes it to its `.tmp` file only when the segment ends "
           "(the worker's `first_bytes_ms` equals `first_segment_ms`, and so do the bare runs' first bytes): no reader, "
           "the worker's included, can see a segment's first packets on disk before the whole segment is done."]
    for src in r["sources"]:
        s_run, k_run = median_run(src["runs"], "start"), median_run(src["runs"], "seek")
        md += ["", f"### {src['label']}: the start of the median run (ms from the page's POST)", "", "| ms | stage |", "| ---: | --- |"]
        md += [f"| {t:.0f} | {what} |" for t, what in s_run["start_rows"]]
        md += ["", f"### {src['label']}: the seek of the median run (to {k_run['seek_to']} s, segment {k_run['seek_segment']}; ms from setting currentTime)",
               "", "| ms | stage |", "| ---: | --- |"]
        md += [f"| {t:.0f} | {what} |" for t, what in k_run["seek_rows"]]
        md += ["", f"Bare FFmpeg, the same argv with `-loglevel info -debug_ts` (medians of the runs; ms from spawn to its first line of each kind): "
               f"start: {fmt_anatomy(src['anatomy_start'])}; seek: {fmt_anatomy(src['anatomy_seek'])}.", "",
               "Runs: " + "; ".join(f"start {x['start']:.2f} s (limit {f(x['limit_start'])}, bare segment {f(x['bare_start'][1])}), "
                                    f"seek to {x['seek_to']} s {x['seek']:.2f} s (limit {f(x['limit_seek'])}, bare segment "
                                    f"{f(x['bare_seek'][1])}); both cores busy {x['busy'][0]:.0%} during the Chromium run, "
                                    f"{x['busy'][1]:.0%} during the bare runs" if x.get("busy") else
                                    f"start {x['start']:.2f} s (limit {f(x['limit_start'])}, bare segment {f(x['bare_start'][1])}), "
                                    f"seek {x['seek']:.2f} s (limit {f(x['limit_seek'])}, bare segment {f(x['bare_seek'][1])})"
                                    for x in src["runs"]) + "."]
    md += ["", "### Where the time goes (computed from the median runs above)", ""]
    for src in r["sources"]:
        md += insights(src)
    md += ["", "### The player's buffering rule", ""]
    md += buffering_md(r["buffering"])
    md += ["", "### What this means for 0.5 s (from the measurements above)", "",
           "- Chromium's native HLS starts on **one whole segment**, whatever its length (a 1 s segment: `playing` with 0.7 s "
           "buffered), and on **nothing less**: part of a segment, with its Content-Length or chunked, gives `readyState` 0 even "
           "at 90 % of its bytes. So `playing` comes no earlier than the first whole segment + its fetch + Chromium's decode. "
           "Progressive (chunked) delivery cannot bring Chromium's `playing` earlier; it can help players that read a segment "
           "as it comes (mpv, FFmpeg, hls.js).",
           "- FFmpeg 5.1's HLS muxer writes a TS segment to its `.tmp` file in one go when the segment ends (first bytes = "
           "segment complete, in the worker and in the bare runs): progressive delivery that reads the `.tmp` file gets nothing "
           "early; it needs FFmpeg to write as it muxes (another muxer, or the TS stream from a pipe).",
           "- For Chromium at 0.5 s the first segment must be whole about 0.3 s after the request: at this machine's 720p "
           "encode speed that is about 1 s of media. With 4 s segments the floor is the bare whole-segment time in the table. "
           "Shorter segments (`segment_seconds`, per job, 1 to 60) move it; a short first segment per run would change the "
           "boundaries, which issue 18 rules out.",
           "- Seek: Chromium fetches one segment at a time and does not drop the request it has in flight when the viewer "
           "seeks; the orchestrator holds that request until the old run finishes that segment, so the seek's request waits "
           "for it (the in-flight row above). Shorter segments shorten that wait too; answering a held request sooner is the "
           "orchestrator's own lever.",
           "- `-ss` decodes the source from the keyframe before the seek point (testsrc2 clips made by x264's defaults have "
           "10.4 s GOPs): the seek's spawn -> first `-progress` block is far longer than the start's.",
           "- Smaller: the orchestrator reads a segment from the worker every 100 ms (up to 100 ms after it is complete, "
           "more on a busy machine); Chromium needs tens to a few hundred ms from a segment's arrival to `playing`; routing, "
           "validation and the (cached) probe take a few ms, the spawn and the reply a few tens on this busy machine.",
           "- This machine is shared with other sessions' builds and tests: both cores were busy for much of the run, so the "
           "absolute times (bare FFmpeg's too) vary by 2x from run to run; the timeline's shares and the ratios in the same "
           "run are what to compare."]
    md += ["", "### How the stages are measured", "",
           "- Page stages: the page's own clock (`performance.now()`): its `fetch` of `POST /v1/jobs`, the `<video>`'s `playing` "
           "events, and Resource Timing (`requestStart`, `responseStart`, `responseEnd`) of the playlist and segment URLs.",
           "- Orchestrator stages: its `Server-Timing` header on the job's create/update reply and on every segment "
           "(`routed`, `worker_replied`, `restart_sent`, `ready`: ms since the request arrived; `polls`), read by the page "
           "through Resource Timing and placed at the entry's `requestStart` (loopback: the request arrives within a fraction of a ms).",
           "- Worker and FFmpeg stages: the worker's job view, `timeline` (ms since the request reached the worker; see "
           "docs/viewer-latency.md), placed at the orchestrator's `routed` mark (the forward leaves right after it). "
           "`first_progress_ms` is FFmpeg's first `-progress` block, which FFmpeg 5.1 prints once every encoder is open, i.e. just after "
           "the first frames are decoded; `first_bytes_ms` is the first bytes of the segment's `.tmp` file, which FFmpeg's HLS "
           "muxer writes whole at the segment's end; both observed by the worker without changing FFmpeg's arguments.",
           "- The first decoded frame exactly is not visible from the worker's run; the bare twin with `-debug_ts` shows it "
           "(`decoded`), and where the time goes inside FFmpeg (x264's lookahead holds frames before the first `encoded` packet).",
           END]
    return rows, "\n".join(md) + "\n"


def buffering_md(trials):
    md = ["| segment length | segments served | `playing` | after (ms from src) | buffered at `playing` (or at the end) | segments fetched |",
          "| --- | --- | --- | --- | --- | --- |"]
    for t in trials:
        how = " as one chunk of a chunked response" if t.get("chunked") else " (full Content-Length)"
        served = f"{t['hold_from']}" + (f", segment 0 cut to {t['cut']:.0%} of its bytes{how}" if t["cut"] else "")
        after = "" if t["t"] is None else f"{t['t']:.0f}"
        md.append(f"| {t['length']} s | {served} (the rest held) | {'yes' if t['played'] else 'no (6 s)'} | "
                  f"{after} | {t['buffered']} | {', '.join(t['fetched'])} |")
    md += ["", "- A small HTTP server (no orchestrator) serves a VOD playlist of bare-FFmpeg segments of one length and holds "
           "every request for a segment from number K on (the request hangs), or sends only part of segment 0 (with the full "
           "Content-Length, or as one chunk of a chunked response as progressive delivery would) and hangs. The page plays the "
           "playlist and reports `playing` and `video.buffered` (or, without `playing`, what it holds after 6 s)."]
    return md


LAST = os.path.join(os.path.dirname(BENCH), ".build-bench", "viewer-last.json")


def save(r, out):
    """The raw samples of the last run (.build-bench/viewer-last.json, not tracked), so `render` can be rerun on them."""
    os.makedirs(os.path.dirname(LAST), exist_ok=True)
    with open(LAST, "w") as f:
        json.dump(r, f)


def section_of(text):
    if text and BEGIN in text and END in text:
        return text[text.index(BEGIN):text.index(END) + len(END)] + "\n"
    return None


def splice(text, section):
    """`text` with its viewer section replaced by `section` (or put before the players section)."""
    if not section:
        return text
    if BEGIN in text and END in text:
        return text[:text.index(BEGIN)] + section + text[text.index(END) + len(END):].lstrip("\n")
    for anchor in (players.BEGIN, "## Settings and raw samples"):
        if anchor in text:
            i = text.index(anchor)
            return text[:i] + section + "\n" + text[i:]
    return text.rstrip("\n") + "\n\n" + section


if __name__ == "__main__":
    # Renders the last run's samples again (.build-bench/viewer-last.json) into results.md:
    #   python3 bench/viewer.py [results.md]
    import sys
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(BENCH, "results.md")
    with open(LAST) as fh:
        data = json.load(fh)
    text = open(out).read() if os.path.exists(out) else ""
    with open(out, "w") as fh:
        fh.write(splice(text, render(data)[1]))
    print(f"written: {out}")
