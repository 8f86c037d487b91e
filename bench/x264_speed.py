#!/usr/bin/env python3
"""x264 on a 1080p 10-bit HEVC film (issue 21): the preset before (veryfast) and after
(X264Preset: from the cores and the source's pixel rate), side by side.

    python3 bench/x264_speed.py [--bin .build/debug] [--seconds 12] [--runs 3] [--out bench/results.md]
    bench/run --only x264-speed      the same, with the release binaries of bench/run

The film is made once (libx265, 10-bit 4:2:0, 23.976 fps, testsrc2 with film-like temporal
noise, AAC) and kept in the temp folder. The "after" argument list is what
`transcode-worker plan --encoder libx264 --backend x264` prints for it on this machine; "before"
is the same list with the preset the backend used before the rule (veryfast). Runs alternate.

Each run reports FFmpeg's own last `speed`, frames per second of wall time, and CPU seconds
(user + sys of FFmpeg). This machine is shared: the load average is recorded, and the CPU
figure gives the speed two dedicated cores would reach (content seconds / (CPU seconds / cores)).
Writes its section of results.md between markers; bench/bench.py keeps it on other runs.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
BEGIN = "<!-- x264-speed:begin -->"
END = "<!-- x264-speed:end -->"


def make_film(seconds):
    """The cached 1080p 10-bit HEVC clip."""
    folder = os.path.join(tempfile.gettempdir(), "transcode-bench-clips")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"film-1080p10-hevc-{seconds}s.mkv")
    if not os.path.exists(path):
        print(f"==> generating a {seconds} s 1080p 10-bit HEVC film with libx265 (slow on 2 cores)", flush=True)
        part = path + ".part.mkv"
        subprocess.run([
            "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=24000/1001,noise=alls=10:allf=t",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", str(seconds),
            "-map", "0:v", "-map", "1:a", "-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le",
            "-x265-params", "log-level=error", "-b:v", "8M", "-c:a", "aac", "-b:a", "128k", part,
        ], check=True)
        os.rename(part, path)
    return path


def planned(bindir, film, output):
    """The x264 backend's argument list for the film, as the worker would run it here."""
    out = subprocess.run([
        os.path.join(bindir, "transcode-worker"), "plan", "--encoder", "libx264", "--backend", "x264",
        "--source", film, "--output", output, "--bitrate", "5000000", "--backends-dir", "/nonexistent",
    ], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def with_preset(args, preset):
    args = list(args)
    args[args.index("-preset") + 1] = preset
    return args


def run_once(args, seconds, frames_hint):
    """Runs FFmpeg once into a fresh folder: (ffmpeg speed, fps, wall s, cpu s, load)."""
    output = tempfile.mkdtemp(prefix="transcode-x264-speed-")
    args = [a.replace(ARG_FOLDER, output) for a in args]
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    speed, frame = None, 0
    for line in proc.stdout:
        key, _, value = line.strip().partition("=")
        if key == "speed" and value.strip().endswith("x"):
            try:
                speed = float(value.strip()[:-1])
            except ValueError:
                pass
        elif key == "frame":
            frame = int(value or 0)
    err = proc.stderr.read()
    status = proc.wait()
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(["rm", "-rf", output])
    if status != 0:
        sys.exit(f"ffmpeg failed ({status}): {err[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"speed": speed, "fps": (frame or frames_hint) / wall, "wall": wall, "cpu": cpu, "load": load}


ARG_FOLDER = "/x264-speed-output"


def section(film, seconds, cores, rows, args_after, when):
    def med(runs, key):
        return statistics.median(r[key] for r in runs)

    lines = [BEGIN, "## x264 speed: 1080p 10-bit HEVC film to H.264 (issue 21)", "",
             "| preset | FFmpeg speed (median) | fps | CPU s per run | speed on 2 dedicated cores (from CPU s) | load avg |",
             "| --- | --- | --- | --- | --- | --- |"]
    for label, runs in rows:
        dedicated = seconds / (med(runs, "cpu") / cores)
        lines.append(f"| {label} | **{med(runs, 'speed'):.2f}x** | {med(runs, 'fps'):.1f} | {med(runs, 'cpu'):.1f} | "
                     f"{dedicated:.2f}x | {med(runs, 'load'):.1f} |")
    (_, first), (_, last) = rows[0], rows[-1]
    lines += ["",
              f"- CPU seconds per run, before / after: **{med(first, 'cpu') / med(last, 'cpu'):.2f}** (how much faster the same "
              "film encodes with the rule's preset, whatever else runs on the machine).",
              f"- Film: {seconds} s, 1920x1080 23.976 fps, HEVC Main 10 (libx265 ultrafast, 8 Mb/s, testsrc2 with temporal "
              "noise) + AAC; jobs at 5 Mb/s, 4 s segments. Measured " + when + f" on {cores} cores.",
              "- A synthetic film is easier to encode than a real one (issue 21 measured veryfast at 0.86x on a real "
              "1080p film on 2 cores): read the CPU ratio, which carries over (0.86x x the ratio).",
              "- FFmpeg speed and fps are wall-clock figures on a machine shared with other builds (see the load "
              "average): compare the two rows, not the absolute values. The last column divides the content seconds "
              "by the CPU seconds per core, the speed the encode would reach with the cores to itself.",
              "- After: `" + " ".join(args_after).replace(ARG_FOLDER, "<out>") + "`",
              "- Raw runs: " + "; ".join(f"{label}: " + ", ".join(
                  f"{r['speed']:.2f}x/{r['cpu']:.1f} cpu-s/load {r['load']:.1f}" for r in runs) for label, runs in rows),
              END]
    return "\n".join(lines) + "\n"


def section_of(text):
    """This section of an existing results.md, or None."""
    if text and BEGIN in text and END in text:
        return text[text.index(BEGIN):text.index(END) + len(END)] + "\n"
    return None


def splice(text, part):
    """`text` with this section replaced by `part`, or `part` added before the raw samples."""
    if not part:
        return text
    if BEGIN in text and END in text:
        return text[:text.index(BEGIN)] + part + text[text.index(END) + len(END):].lstrip("\n")
    anchor = "## Settings and raw samples"
    if anchor in text:
        i = text.index(anchor)
        return text[:i] + part + "\n" + text[i:]
    return text.rstrip("\n") + "\n\n" + part


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(BENCH, "..", ".build", "debug"))
    ap.add_argument("--seconds", type=int, default=12)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=os.path.join(BENCH, "results.md"))
    a = ap.parse_args()
    film = make_film(a.seconds)
    after = planned(os.path.abspath(a.bin), film, ARG_FOLDER)
    preset = after[after.index("-preset") + 1]
    before = with_preset(after, "veryfast")
    cores = os.cpu_count() or 1
    frames = round(a.seconds * 24000 / 1001)
    rows = {"before: veryfast": [], f"after: {preset}": []}
    for i in range(a.runs):
        order = [("before: veryfast", before), (f"after: {preset}", after)]
        for label, args in order if i % 2 == 0 else reversed(order):
            r = run_once(args, a.seconds, frames)
            rows[label].append(r)
            print(f"    {label}: speed {r['speed']}x, {r['fps']:.1f} fps, {r['cpu']:.1f} cpu-s, load {r['load']:.1f}", flush=True)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    part = section(film, a.seconds, cores, list(rows.items()), after, when)
    old = open(a.out).read() if os.path.exists(a.out) else "# Benchmark results\n"
    with open(a.out, "w") as f:
        f.write(splice(old, part))
    print(part)


if __name__ == "__main__":
    main()
