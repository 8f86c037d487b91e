#!/usr/bin/env python3
"""Plays an HLS playlist in headless Chromium's own <video> (no hls.js) and reports what a
viewer would see, as one JSON object per line on stdout.

Started by the PlayerTests target and by bench/players.py. Needs Playwright from PyPI and
Debian's chromium (Playwright's own browsers cannot be downloaded here).

  play.py --url URL [--page URL] [--seek-fraction F --seek-at S] [--mark-at S]
          [--after S] [--until S] [--timeout S] [--subtitles]

--subtitles: URL is a master playlist. Chromium's own HLS (156) ignores its
EXT-X-MEDIA:TYPE=SUBTITLES rendition: it never fetches the subtitle playlist and
video.textTracks stays empty. So the page does what hls.js does for subtitles, and no more:
it reads the master, follows the rendition's URI, fetches the WebVTT segments around
currentTime (after a seek too), places each cue through the segment's X-TIMESTAMP-MAP and
adds it to a text track of its own (textTracks[0]). The MPEGTS origin is the first map's
MPEGTS value (Chromium shows the video's first timestamp at currentTime 0; a test checks
the map against the video segments' own timestamps). The summary then carries
"native_text_tracks", "cues" (textTracks[0].cues.length) and "cue_list".

Lines written (each has "event" and "t", ms since the video's src was set):
  {"event": "playing" | "waiting" | "seeking" | "seeked" | "ended" | "error" | "loadedmetadata", ...}
  {"event": "mark", "currentTime": ...}       currentTime reached --mark-at (a caller acts on it,
                                               e.g. kills a worker)
  {"event": "summary", ...}                    last line: see summarize()
Commands on stdin, one JSON object a line: {"until": S} plays until currentTime reaches S;
with --wait-go, {"go": true} (optionally with "url") sets the video's src.
The driver exits when stdin closes, so a caller that dies takes it (and the browser) along.
"""
import argparse
import asyncio
import json
import os
import sys
import threading
import time

from playwright.async_api import async_playwright

CHROMIUM = os.environ.get("TRANSCODE_CHROMIUM", "/usr/lib/chromium/chromium")

# Events are recorded in the page with the page's own clock, so their times do not depend on
# how often Python polls.
PAGE_SCRIPT = """(url) => {
  const v = document.createElement('video');
  v.id = 'v'; v.muted = true; v.autoplay = true; v.playsInline = true;
  document.body.appendChild(v);
  window.__events = [];
  const t0 = performance.now();
  window.__t0 = t0;
  for (const name of ['loadedmetadata', 'playing', 'waiting', 'seeking', 'seeked', 'ended', 'error', 'stalled']) {
    v.addEventListener(name, () => window.__events.push({
      event: name, t: performance.now() - t0, currentTime: v.currentTime,
      code: v.error ? v.error.code : null, message: v.error ? v.error.message : null}));
  }
  v.src = url;
  v.play().catch(e => window.__events.push({event: 'play_rejected', t: performance.now() - t0, message: String(e)}));
}"""

SUBTITLES_SCRIPT = r"""async (master) => {
  const v = document.getElementById('v');
  const sub = window.__sub = {native: null, rendition: null, loaded: {}, errors: [], fetches: 0};
  const absolute = (uri, base) => new URL(uri, base).toString();
  const text = async (url) => { sub.fetches++; const r = await fetch(url); if (!r.ok) throw new Error(url + ': ' + r.status); return r.text(); };
  const masterText = await text(master);
  const media = masterText.split('\n').find(l => l.startsWith('#EXT-X-MEDIA:') && l.includes('TYPE=SUBTITLES'));
  if (!media) { sub.errors.push('no SUBTITLES rendition in the master'); return; }
  const attr = (name) => { const m = media.match(new RegExp(name + '="([^"]*)"')); return m ? m[1] : null; };
  sub.rendition = {name: attr('NAME'), language: attr('LANGUAGE'), uri: attr('URI')};
  const listURL = absolute(sub.rendition.uri, master);
  const segments = [];
  let start = 0, length = null;
  for (const line of (await text(listURL)).split('\n')) {
    if (line.startsWith('#EXTINF:')) length = parseFloat(line.slice(8));
    else if (line && !line.startsWith('#') && length !== null) { segments.push({uri: absolute(line, listURL), start, end: start + length}); start += length; length = null; }
  }
  sub.segments = segments.length;
  const wait = () => new Promise(r => { if (v.readyState >= 1) r(); else v.addEventListener('loadedmetadata', r, {once: true}); });
  await wait();
  sub.native = v.textTracks.length;
  const track = v.addTextTrack('subtitles', sub.rendition.name || '', sub.rendition.language || '');
  track.mode = 'hidden';
  window.__track = track;
  const seen = new Set();
  let origin = null;
  const stamp = (t) => { const p = t.split(':').map(parseFloat); return p.length === 3 ? p[0] * 3600 + p[1] * 60 + p[2] : p[0] * 60 + p[1]; };
  const load = async (seg) => {
    const body = await text(seg.uri);
    const map = body.match(/X-TIMESTAMP-MAP=MPEGTS:(\d+),LOCAL:([0-9:.]+)/);
    const mpegts = map ? parseInt(map[1]) : 0, local = map ? stamp(map[2]) : 0;
    if (origin === null) origin = mpegts;
    const shift = (mpegts - origin) / 90000 - local;
    for (const block of body.replace(/\r/g, '').split(/\n\n+/)) {
      const lines = block.split('\n').filter(l => l.length);
      const i = lines.findIndex(l => l.includes('-->'));
      if (i < 0) continue;
      const [a, b] = lines[i].split('-->').map(x => x.trim().split(' ')[0]);
      const cueText = lines.slice(i + 1).join('\n');
      const s = stamp(a) + shift, e = stamp(b) + shift, key = s.toFixed(3) + '|' + e.toFixed(3) + '|' + cueText;
      if (seen.has(key)) continue;
      seen.add(key);
      track.addCue(new VTTCue(s, e, cueText));
    }
  };
  const pump = async () => {
    const t = v.currentTime;
    for (const seg of segments) {
      if (seg.end < t - 1 || seg.start > t + 8 || sub.loaded[seg.uri]) continue;
      sub.loaded[seg.uri] = 'loading';
      try { await load(seg); sub.loaded[seg.uri] = 'ok'; } catch (e) { sub.loaded[seg.uri] = null; sub.errors.push(String(e)); }
    }
  };
  v.addEventListener('seeked', pump);
  setInterval(pump, 250);
  pump();
}"""

POLL = """() => {
  const v = document.getElementById('v');
  const ev = window.__events.splice(0);
  return {t: performance.now() - window.__t0, currentTime: v.currentTime, paused: v.paused,
          readyState: v.readyState, duration: isFinite(v.duration) ? v.duration : null,
          error: v.error ? {code: v.error.code, message: v.error.message} : null, events: ev,
          cues: window.__track ? window.__track.cues.length : null};
}"""

SUBTITLE_SUMMARY = """() => {
  const v = document.getElementById('v');
  const sub = window.__sub || {};
  const track = v.textTracks.length ? v.textTracks[0] : null;
  return {native_text_tracks: sub.native === undefined ? null : sub.native, text_tracks: v.textTracks.length,
          cues: track && track.cues ? track.cues.length : null, rendition: sub.rendition || null,
          cue_list: track && track.cues ? Array.from(track.cues).map(c => ({start: c.startTime, end: c.endTime, text: c.text})) : [],
          subtitle_errors: sub.errors || [], subtitle_segments: sub.segments === undefined ? null : sub.segments};
}"""


def emit(obj):
    print(json.dumps(obj), flush=True)


COMMANDS = {}   # set from stdin lines, e.g. {"until": 31.5}: play until currentTime reaches it


def read_commands():
    """The caller holds our stdin open and may send JSON lines on it (a new --until once it
    knows where a failover joined). When stdin closes, the caller is gone, and so are we."""
    def watch():
        for line in sys.stdin:
            try:
                COMMANDS.update(json.loads(line))
            except ValueError:
                pass
        os._exit(3)
    threading.Thread(target=watch, daemon=True).start()


def longest_frozen(samples, skip):
    """Longest span (ms) in which currentTime did not advance while the video should play,
    from the first sample that had advanced on, leaving out the spans in `skip` (a seek)."""
    best, since, last_ct = 0.0, None, None
    for t, ct in samples:
        if last_ct is None:
            last_ct = ct
            continue
        if any(a <= t <= b for a, b in skip):
            since, last_ct = None, ct
            continue
        if ct > last_ct + 1e-3:
            if since is not None:
                best = max(best, t - since)
            since = None
        elif since is None:
            since = t
        last_ct = ct
    if since is not None and samples:
        best = max(best, samples[-1][0] - since)
    return best


async def play(a):
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--autoplay-policy=no-user-gesture-required", "--no-sandbox", "--mute-audio"])
        try:
            page = await browser.new_page()
            console = []
            page.on("console", lambda m: console.append(m.text))
            # Being on the playlist's own origin means no CORS is needed; a caller may name
            # another origin with --page to test CORS.
            await page.goto(a.page)
            if a.wait_go:
                # The caller times from here: it creates the job, then says go.
                emit({"event": "ready"})
                while "go" not in COMMANDS:
                    await asyncio.sleep(0.005)
            url = COMMANDS.get("url", a.url)
            await page.evaluate(PAGE_SCRIPT, url)
            if a.subtitles:
                # Not awaited: it waits for the video's metadata and keeps fetching as it plays.
                await page.evaluate("(u) => { window.__subReady = (SUB)(u).catch(e => (window.__sub = window.__sub || {errors: []}).errors.push(String(e))); }".replace("SUB", SUBTITLES_SCRIPT), url)
            summary = await watch(page, a, console)
            if a.subtitles:
                summary.update(await page.evaluate(SUBTITLE_SUMMARY))
            return summary
        finally:
            await browser.close()


async def watch(page, a, console):
    events, samples = [], []
    first_playing = None
    mark_t = None           # page time of the mark (or of the seek)
    seek_t = seek_target = seek_playing = None
    error = None
    start = time.monotonic()
    last = None
    while time.monotonic() - start < a.timeout:
        s = await page.evaluate(POLL)
        last = s
        samples.append((s["t"], s["currentTime"]))
        for e in s["events"]:
            events.append(e)
            emit(e)
            if e["event"] == "playing":
                if first_playing is None:
                    first_playing = e["t"]
                if seek_t is not None and seek_playing is None and e["t"] >= seek_t:
                    seek_playing = e["t"]
        if s["error"] and error is None:
            error = s["error"]
            emit({"event": "error", "t": s["t"], **error})
            break
        ct = s["currentTime"]
        if a.seek_fraction is not None and seek_t is None and first_playing is not None and ct >= a.seek_at and s["duration"]:
            seek_target = round(s["duration"] * a.seek_fraction, 3)
            seek_t = (await page.evaluate("(x) => { const v = document.getElementById('v'); v.currentTime = x; return performance.now() - window.__t0; }", seek_target))
            mark_t = seek_t
            emit({"event": "seek", "t": seek_t, "from": ct, "to": seek_target})
        if a.mark_at is not None and mark_t is None and ct >= a.mark_at:
            mark_t = s["t"]
            emit({"event": "mark", "t": s["t"], "currentTime": ct})
        # A seek that never fires 'playing' (the element never stalled) counts once the
        # position moves past the target.
        if seek_t is not None and seek_playing is None and ct > seek_target + 0.05 and s["t"] > seek_t:
            seek_playing = s["t"]
        if any(e["event"] == "ended" for e in s["events"]):
            break
        if seek_t is not None and seek_playing is None:
            # The window after a seek opens once it plays again (or the timeout ends it).
            await asyncio.sleep(0.1)
            continue
        until = COMMANDS.get("until", a.until)
        if mark_t is not None and until is not None and ct >= until:
            break
        if mark_t is not None and until is None and s["t"] - (seek_playing or mark_t) >= a.after * 1000:
            break
        await asyncio.sleep(0.1)
    return summarize(a, events, samples, first_playing, mark_t, seek_t, seek_target, seek_playing, error, last, console)


def summarize(a, events, samples, first_playing, mark_t, seek_t, seek_target, seek_playing, error, last, console):
    """The one line a caller needs: figures and the facts its assertions read."""
    skip = [(seek_t, seek_playing or float("inf"))] if seek_t is not None else []
    opened = seek_playing if seek_t is not None else mark_t
    after = [(t, ct) for t, ct in samples if opened is not None and t >= opened]
    stalls = []
    pending = None
    for e in events:
        if e["event"] == "waiting" and first_playing is not None and e["t"] > first_playing:
            pending = e
        elif e["event"] == "playing" and pending is not None:
            stalls.append({"at": pending["currentTime"], "t": pending["t"], "ms": e["t"] - pending["t"],
                           "after_seek": seek_t is not None and pending["t"] >= seek_t and (seek_playing is None or pending["t"] <= seek_playing)})
            pending = None
    if pending is not None and last is not None:
        stalls.append({"at": pending["currentTime"], "t": pending["t"], "ms": last["t"] - pending["t"], "open": True, "after_seek": False})
    played = [(t, ct) for t, ct in samples if first_playing is not None and t >= first_playing]
    return {
        "event": "summary",
        "first_playing_ms": first_playing,
        "seek_to": seek_target,
        "seek_to_playing_ms": (seek_playing - seek_t) if seek_t is not None and seek_playing is not None else None,
        "mark_t": mark_t,
        "error": error,
        "stalls": [s for s in stalls if not s["after_seek"]],
        "longest_stall_ms": max([s["ms"] for s in stalls if not s["after_seek"]] + [0.0]),
        "longest_frozen_ms": longest_frozen(played, skip),
        "current_time": last["currentTime"] if last else None,
        "duration": last["duration"] if last else None,
        "current_time_at_mark": after[0][1] if after else None,
        "advanced_after_mark": (after[-1][1] - after[0][1]) if after else None,
        "wall_after_mark_ms": (after[-1][0] - after[0][0]) if after else None,
        "ended": any(e["event"] == "ended" for e in events),
        "console": console[-20:],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", help="the playlist URL, absolute (with --wait-go it may come with the go command)")
    ap.add_argument("--page", help="a page to open first (its origin is the page's origin); default: the URL's origin + /healthz")
    ap.add_argument("--seek-fraction", type=float, help="seek to this fraction of the duration")
    ap.add_argument("--seek-at", type=float, default=2.0, help="seek once currentTime reaches this")
    ap.add_argument("--mark-at", type=float, help="print a mark line once currentTime reaches this")
    ap.add_argument("--after", type=float, default=8.0, help="seconds to keep playing after the mark or the seek")
    ap.add_argument("--until", type=float, help="instead of --after: play until currentTime reaches this")
    ap.add_argument("--wait-go", action="store_true", help='open the page, print a ready line, and set src only on {"go": true} (and {"url": ...} if given)')
    ap.add_argument("--subtitles", action="store_true", help="URL is a master playlist: show its WebVTT rendition as textTracks[0]")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds in all, then report what was seen")
    a = ap.parse_args()
    if a.url is None and not a.wait_go:
        ap.error("--url is required without --wait-go")
    if a.page is None and a.url is None:
        ap.error("--page is required when the URL comes later")
    if a.page is None:
        from urllib.parse import urlsplit
        u = urlsplit(a.url)
        a.page = f"{u.scheme}://{u.netloc}/healthz"
    read_commands()
    emit(asyncio.run(play(a)))
    # The stdin reader is still blocked in read: leave without waiting for it.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
