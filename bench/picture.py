#!/usr/bin/env python3
"""Tone mapping and burn-in at 1080p on the CPU path (issue 17), side by side with bare FFmpeg.

For each case, (a) plain x264, (b) + tone map (HDR10 source), (c) + text burn-in (SRT track),
(d) + both, the worker builds the command line (PUT /v1/jobs on a real worker, libx264) and the
same argument list then runs as bare ffmpeg. Measured: fps over the whole clip, and the start
time (request -> segment0.ts on disk) with and without the picture work. Standard library only.

    bench/picture.py [--seconds 8] [--out bench/results.md] [--worker .build/debug/transcode-worker]

Writes its section of bench/results.md between the picture markers (bench.py keeps it).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
BEGIN, END = "<!-- picture:begin -->", "<!-- picture:end -->"
TOKEN = "bench-token"


def ffmpeg(args):
    subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y"] + args, check=True)


def make_clips(folder, seconds):
    """A 1080p24 SDR clip with an SRT track (a cue every 2 s), and a 1080p24 HDR10 one."""
    srt = os.path.join(folder, "cues.srt")
    with open(srt, "w") as f:
        for i in range(seconds // 2):
            f.write(f"{i + 1}\n00:00:{2 * i:02d},000 --> 00:00:{2 * i + 1:02d},900\nSubtitle line number {i + 1}\n\n")
    sdr = os.path.join(folder, "sdr.mkv")
    ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=24", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-i", srt, "-t", str(seconds), "-map", "0:v", "-map", "1:a", "-map", "2:s",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-c:s", "srt", sdr])
    hdr = os.path.join(folder, "hdr.mkv")
    ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=24", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-i", srt, "-t", str(seconds), "-map", "0:v", "-map", "1:a", "-map", "2:s",
            "-pix_fmt", "yuv420p10le", "-c:v", "libx265", "-preset", "ultrafast",
            "-x265-params", "colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc:log-level=error",
            "-color_primaries", "bt2020", "-color_trc", "smpte2084", "-colorspace", "bt2020nc",
            "-c:a", "aac", "-c:s", "srt", hdr])
    return sdr, hdr


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"{}")


def start_worker(binary, media, transcode):
    proc = subprocess.Popen([binary, "--id", "bench-picture", "--host", "127.0.0.1", "--port", "0",
                             "--media-root", media, "--transcode-root", transcode, "--token", TOKEN,
                             "--segment-seconds", "4", "--backends-dir", os.path.join(transcode, "..", "none")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stdout.readline()
        if "listening on port" in line:
            port = int(line.rsplit("port", 1)[1].strip())
            threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep its pipe drained
            return proc, f"http://127.0.0.1:{port}"
    proc.kill()
    raise RuntimeError("worker did not start")


def wait_for(path, deadline):
    while time.time() < deadline:
        if os.path.exists(path):
            return time.time()
        time.sleep(0.01)
    raise RuntimeError(f"{path} never appeared")


def through_worker(base, transcode, job, source, configuration):
    out = os.path.join(transcode, job)
    t0 = time.time()
    status = call(base, "PUT", f"/v1/jobs/{job}", {"source_path": source, "configuration": configuration})
    first = wait_for(os.path.join(out, f"segment{status.get('start_segment', 0)}.ts"), t0 + 300) - t0
    while True:
        status = call(base, "GET", f"/v1/jobs/{job}")
        if status["state"] in ("completed", "failed"):
            break
        time.sleep(0.02)
    total = time.time() - t0
    if status["state"] != "completed":
        raise RuntimeError(f"{job} failed: {status.get('error')}")
    return status["ffmpeg_args"], first, total, status.get("tone_mapped")


def bare(args, folder):
    """The worker's own list, output moved to `folder`, run as a plain child."""
    old = os.path.dirname(args[-1])
    args = [a.replace(old, folder) for a in args]
    os.makedirs(folder, exist_ok=True)
    t0 = time.time()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    first = wait_for(os.path.join(folder, "segment0.ts"), t0 + 300) - t0
    proc.wait()
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.read().decode())
    return first, time.time() - t0


def filters(args):
    for flag in ("-filter_complex", "-vf"):
        if flag in args:
            return args[args.index(flag) + 1]
    return ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=2, help="rounds per case; the best of each side is reported")
    ap.add_argument("--out", default=os.path.join(BENCH, "results.md"))
    ap.add_argument("--worker", default=os.path.join(ROOT, ".build", "debug", "transcode-worker"))
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-picture-")
    media, transcode = os.path.join(tmp, "media"), os.path.join(tmp, "transcode")
    os.makedirs(media)
    os.makedirs(transcode)
    worker = None
    try:
        print("making 1080p clips ...", flush=True)
        t = time.time()
        sdr, hdr = make_clips(media, a.seconds)
        print(f"  {time.time() - t:.0f} s", flush=True)
        worker, base = start_worker(a.worker, media, transcode)
        frames = a.seconds * 24
        cases = [
            ("plain x264 (SDR source)", sdr, {"encoder": "libx264"}),
            ("+ tone map (HDR10 source)", hdr, {"encoder": "libx264"}),
            ("HDR10 source, tone_map off", hdr, {"encoder": "libx264", "tone_map": "off"}),
            ("+ text burn-in (SRT)", sdr, {"encoder": "libx264", "subtitles": {"track": 0, "burn_in": True}}),
            ("+ tone map + text burn-in", hdr, {"encoder": "libx264", "subtitles": {"track": 0, "burn_in": True}}),
        ]
        rows = []
        load = os.getloadavg()
        for i, (name, source, configuration) in enumerate(cases):
            # `--repeat` rounds, worker and bare in turn (bare first in odd rounds); the best of each.
            w_runs, b_runs = [], []
            for k in range(a.repeat):
                def run_worker():
                    args, first, total, tone = through_worker(base, transcode, f"case{i}-{k}", source, configuration)
                    w_runs.append((first, total))
                    return args, tone
                if k % 2 == 0:
                    args, tone = run_worker()
                    b_runs.append(bare(args, os.path.join(tmp, f"bare{i}-{k}")))
                else:
                    b_runs.append(bare(args, os.path.join(tmp, f"bare{i}-{k}")))
                    args, tone = run_worker()
            w_first, w_total = min(f for f, _ in w_runs), min(t for _, t in w_runs)
            b_first, b_total = min(f for f, _ in b_runs), min(t for _, t in b_runs)
            preset = args[args.index("-preset") + 1] if "-preset" in args else "?"
            rows.append((name, frames / w_total, frames / b_total, w_first, b_first, f"{filters(args)}` (x264 `-preset {preset}`)", tone))
            print(f"{name:<32} worker {frames / w_total:6.1f} fps, first segment {w_first:5.2f} s | "
                  f"bare {frames / b_total:6.1f} fps, {b_first:5.2f} s", flush=True)
        load_after = os.getloadavg()
    finally:
        if worker:
            worker.terminate()
            worker.wait(timeout=20)
        shutil.rmtree(tmp, ignore_errors=True)
    write(a.out, rows, a.seconds, a.repeat, load, load_after)


def write(out, rows, seconds, repeat, load, load_after):
    lines = [BEGIN, "## Tone mapping and burn-in at 1080p, CPU path (bench/picture.py)", "",
             f"{seconds} s clips at 1920x1080, 24 fps, libx264 at the worker's preset and default 5 Mb/s, 4 s segments; {os.cpu_count()} cores, "
             f"load average {load[0]:.2f} before, {load_after[0]:.2f} after (other work shares this machine). "
             "Each row: the worker builds the list (PUT /v1/jobs), then bare ffmpeg runs the same list; "
             f"fps = frames / whole run, start = request (or exec) to the first segment on disk; best of {repeat} rounds each.", "",
             "| case | worker fps | bare ffmpeg fps | worker start | bare start | tone_mapped |",
             "| --- | --- | --- | --- | --- | --- |"]
    for name, wf, bf, ws, bs, _, tone in rows:
        lines.append(f"| {name} | {wf:.1f} | {bf:.1f} | {ws:.2f} s | {bs:.2f} s | {tone or '-'} |")
    lines += ["", "Filter graphs, as the worker built them:", ""]
    for name, *_, graph, _ in rows:
        lines.append(f"- {name}: `{graph}")
    lines.append(END)
    section = "\n".join(lines) + "\n"
    old = open(out).read() if os.path.exists(out) else ""
    with open(out, "w") as f:
        f.write(splice(old, section))


def section_of(text):
    """The picture section of an existing results.md, or None (bench.py keeps it)."""
    if text and BEGIN in text and END in text:
        return text[text.index(BEGIN):text.index(END) + len(END)] + "\n"
    return None


def splice(text, section):
    """`text` with its picture section replaced by `section` (or appended)."""
    if not section:
        return text
    if BEGIN in text and END in text:
        return text[:text.index(BEGIN)] + section + text[text.index(END) + len(END):].lstrip("\n")
    return text.rstrip("\n") + "\n\n" + section


if __name__ == "__main__":
    sys.exit(main())
