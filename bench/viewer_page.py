#!/usr/bin/env python3
"""The page side of `bench/run --only viewer` (bench/viewer.py): headless Chromium creates the
job itself (POST /v1/jobs from the page, on the orchestrator's origin), plays its signed
playlist URL in its own <video> (native HLS, no hls.js), seeks, and reports what its Resource
Timing saw, so that one clock (the page's `performance.now()`) holds the player's side of the
timeline. Run with the Python of .venv-players; reuses the PlayerTests' driver
(Tests/PlayerTests/players/play.py) for the page script and the play/seek loop.

  viewer_page.py --page URL [--seek-fraction F --seek-at S --after S --timeout S]
  viewer_page.py --page URL --probe PLAYLIST [--wait S]   (the buffering experiment)

Waits for one stdin line {"go": true, "body": {...}, "token": "..."}; then prints play.py's
event lines, {"event": "created", ...} once the job exists, and a last line
{"event": "summary", ...} with play.py's summary plus:
  post        the POST's page times (start, end: ms on the page's clock) and status
  t0          page time at which the video's src was set (play.py's events count from it)
  playing     at every `playing` event: t (from t0), currentTime, readyState, buffered ranges
  resources   every Resource Timing entry: name, startTime, requestStart, responseStart,
              responseEnd, responseStatus, serverTiming [[name, duration, description]]
  skew_ms     Date.now() minus timeOrigin + now(): the page clock against the wall clock
"""
import argparse
import asyncio
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "Tests", "PlayerTests", "players"))
import play  # noqa: E402

from playwright.async_api import async_playwright  # noqa: E402

START = """async (a) => {
  performance.setResourceTimingBufferSize(5000);
  const start = performance.now();
  let status = 201, view = {playlist_url: a.url};
  if (a.body) {
    const r = await fetch('/v1/jobs', {method: 'POST', body: JSON.stringify(a.body),
      headers: {'Authorization': 'Bearer ' + a.token, 'Content-Type': 'application/json'}});
    status = r.status;
    view = await r.json();
  }
  const end = performance.now();
  if (status !== 201) return {status, view, start, end};
  (PAGE_SCRIPT)(view.playlist_url);
  const v = document.getElementById('v');
  window.__playing = [];
  v.addEventListener('playing', () => {
    const b = [];
    for (let i = 0; i < v.buffered.length; i++) b.push([v.buffered.start(i), v.buffered.end(i)]);
    window.__playing.push({t: performance.now() - window.__t0, currentTime: v.currentTime, readyState: v.readyState, buffered: b});
  });
  return {status, view, start, end, t0: window.__t0, time_origin: performance.timeOrigin,
          skew_ms: Date.now() - (performance.timeOrigin + performance.now())};
}"""

# --probe: where the page stands (no seek, no play loop).
STATE = """() => { const v = document.getElementById('v'); const b = [];
  for (let i = 0; i < v.buffered.length; i++) b.push([v.buffered.start(i), v.buffered.end(i)]);
  return {t: performance.now() - window.__t0, currentTime: v.currentTime, readyState: v.readyState, buffered: b,
          playing_seen: (window.__playing || []).length > 0}; }"""

REPORT = """() => ({
  playing: window.__playing || [],
  resources: performance.getEntriesByType('resource').map(e => ({
    name: e.name, startTime: e.startTime, requestStart: e.requestStart, responseStart: e.responseStart,
    responseEnd: e.responseEnd, responseStatus: e.responseStatus,
    serverTiming: (e.serverTiming || []).map(x => [x.name, x.duration, x.description])}))
})"""


async def run(a):
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=play.CHROMIUM,
            args=["--autoplay-policy=no-user-gesture-required", "--no-sandbox", "--mute-audio"])
        try:
            page = await browser.new_page()
            console = []
            page.on("console", lambda m: console.append(m.text))
            await page.goto(a.page)
            script = START.replace("PAGE_SCRIPT", play.PAGE_SCRIPT)
            if a.probe:
                return await probe(page, script, a)
            play.emit({"event": "ready"})
            while "go" not in play.COMMANDS:
                await asyncio.sleep(0.005)
            created = await page.evaluate(script, {"body": play.COMMANDS["body"], "token": play.COMMANDS["token"]})
            play.emit({"event": "created", **created})
            if created["status"] != 201:
                return {"event": "summary", "error": {"code": None, "message": f"POST /v1/jobs: {created['status']}"}, "post": created}
            summary = await play.watch(page, a, console)
            summary.update(await page.evaluate(REPORT))
            summary.update({"post": {"start": created["start"], "end": created["end"], "status": created["status"]},
                            "t0": created["t0"], "skew_ms": created["skew_ms"]})
            return summary
        finally:
            await browser.close()


async def probe(page, script, a):
    """--probe: plays URL until the first `playing` or --wait seconds, then reports the page's state."""
    created = await page.evaluate(script, {"body": None, "url": a.probe})
    loop = asyncio.get_running_loop()
    end = loop.time() + a.wait
    state = await page.evaluate(STATE)
    while loop.time() < end and not state["playing_seen"]:
        await asyncio.sleep(0.05)
        state = await page.evaluate(STATE)
    await asyncio.sleep(0.3)    # what arrives just after `playing`
    report = await page.evaluate(REPORT)
    return {"event": "summary", "state": state, "t0": created["t0"], **report}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--page", required=True, help="a page on the orchestrator's origin (e.g. /healthz)")
    ap.add_argument("--seek-fraction", type=float, default=0.7)
    ap.add_argument("--seek-at", type=float, default=2.0)
    ap.add_argument("--after", type=float, default=2.0)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--probe", help="instead: play this URL (no job, no seek) until `playing` or --wait seconds")
    ap.add_argument("--wait", type=float, default=6.0)
    a = ap.parse_args()
    a.mark_at = a.until = None
    play.read_commands()
    play.emit(asyncio.run(run(a)))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
