#!/usr/bin/env python3
"""Drives the orchestrator's dashboard (GET /) in headless Chromium, as an operator would,
and reports each step as one JSON line on stdout. Started by DashboardTests.swift.

  dashboard.py --url BASE --token T --clip PATH --shots DIR

Steps: log in; see the workers with their backends (screenshot of the pool view); start a
job from the library with libx264; see its progress bar move; play it; (screenshot of the
jobs view); drain its worker while it plays: the job moves, the worker shows drained, the
video keeps playing; undrain; then print {"event": "kill", "worker": W} and wait for a line
on stdin: the test SIGKILLs W, and the page must show W OFFLINE and the job's failover.
Last: print {"event": "usr1", "worker": W}, wait for a line on stdin (the test sends SIGUSR1
at the epoch time it answers with) and report when the page showed W draining.
Exits when stdin closes.

  dashboard.py --url BASE --token T --film PATH

Instead: log in; open the film in the library and report its tracks as listed; pick a
bitmap subtitle (burn-in must become forced on), then the French audio track and the English
text subtitles without burn-in; start the job and report the choice the jobs view shows;
play it and report the player's source and its first text track's mode.
"""
import argparse
import json
import os
import sys
import time

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("TRANSCODE_CHROMIUM", "/usr/lib/chromium/chromium")


def emit(obj):
    print(json.dumps(obj), flush=True)


def wait_line():
    line = sys.stdin.readline()
    if not line:
        sys.exit(0)
    return line.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--clip")
    ap.add_argument("--shots")
    ap.add_argument("--film")
    a = ap.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--autoplay-policy=no-user-gesture-required", "--no-sandbox", "--mute-audio"])
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.on("console", lambda m: emit({"event": "console", "text": m.text}))
        page.goto(a.url + "/")
        page.fill("#token", a.token)
        page.click("#login button")
        stored = page.evaluate("sessionStorage.getItem('transcode-token')")
        emit({"event": "login", "stored": stored == a.token, "url": page.url})
        if a.film:
            tracks(page, a.film)
            browser.close()
            emit({"event": "done"})
            return

        # Pool view: both workers, each with its x264 backend and reason.
        page.wait_for_function("document.querySelectorAll('.worker [data-backend=\"x264\"]').length >= 2", timeout=30000)
        workers = page.eval_on_selector_all(".worker", "els => els.map(e => ({id: e.dataset.worker, status: e.dataset.status, "
                                            "backends: [...e.querySelectorAll('[data-backend]')].map(b => b.textContent)}))")
        emit({"event": "workers", "workers": workers})
        page.wait_for_timeout(2500)  # a few heartbeats, so the sparklines have points
        page.screenshot(path=os.path.join(a.shots, "dashboard-pool.png"), full_page=True)

        # Library: start a job with a forced encoder and a bitrate.
        page.click("nav button[data-view=library]")
        page.wait_for_selector(f"tr[data-file=\"{a.clip}\"]", timeout=15000)
        page.select_option("#encoder", "libx264")
        page.fill("#bitrate", "1")
        page.click(f"tr[data-file=\"{a.clip}\"] button.start-job")
        page.wait_for_selector("#jobs:not([hidden]) tr[data-job]", timeout=15000)
        job = page.get_attribute("tr[data-job]", "data-job")
        values = []
        deadline = time.time() + 40
        while time.time() < deadline and len(set(values)) < 3:
            v = float(page.get_attribute("tr[data-job] progress", "value") or 0)
            if not values or v != values[-1]:
                values.append(v)
            page.wait_for_timeout(200)
        emit({"event": "progress", "job": job, "values": values,
              "encoder": page.inner_text("tr[data-job] td:nth-child(3)")})

        # Play it in the page's <video>.
        page.click("tr[data-job] button.play")
        page.wait_for_function("document.getElementById('video').currentTime > 2", timeout=40000)
        emit({"event": "played", "currentTime": page.evaluate("document.getElementById('video').currentTime")})
        page.screenshot(path=os.path.join(a.shots, "dashboard-jobs.png"), full_page=True)

        # Drain the job's worker while the video plays.
        page.evaluate("""() => { const v = document.getElementById('video'); window.__waits = [];
            v.addEventListener('waiting', () => window.__waits.push({at: performance.now()}));
            v.addEventListener('playing', () => { const w = window.__waits[window.__waits.length - 1]; if (w && !w.ms) w.ms = performance.now() - w.at; }); }""")
        owner = page.get_attribute("tr[data-job]", "data-worker")
        before = page.evaluate("document.getElementById('video').currentTime")
        page.click("nav button[data-view=pool]")
        page.click(f".worker[data-worker=\"{owner}\"] button.drain")
        page.wait_for_function(f"""() => {{ const w = document.querySelector('.worker[data-worker="{owner}"]');
            const j = document.querySelector('tr[data-job]'); return w && w.dataset.drain === 'drained' && j.dataset.worker !== '{owner}'; }}""",
                               timeout=30000)
        page.wait_for_timeout(6000)  # play on across the join
        after = page.evaluate("document.getElementById('video').currentTime")
        emit({"event": "drained", "worker": owner, "moved_to": page.get_attribute("tr[data-job]", "data-worker"),
              "failovers": page.inner_text("tr[data-job] td.failovers"), "played_from": before, "played_to": after,
              "waits": page.evaluate("window.__waits"), "error": page.evaluate("document.getElementById('video').error && document.getElementById('video').error.code")})
        page.click(f".worker[data-worker=\"{owner}\"] button.drain")
        page.wait_for_function(f"document.querySelector('.worker[data-worker=\"{owner}\"]').dataset.drain === ''", timeout=10000)

        # SIGKILL the worker that runs it now: OFFLINE and the failover must show.
        victim = page.get_attribute("tr[data-job]", "data-worker")
        emit({"event": "kill", "worker": victim})
        wait_line()
        page.wait_for_function(f"""() => document.querySelector('.worker[data-worker="{victim}"]').dataset.status === 'OFFLINE'
            && document.querySelector('tr[data-job]').dataset.worker !== '{victim}'""", timeout=30000)
        emit({"event": "failover", "worker": victim, "failovers": page.inner_text("tr[data-job] td.failovers"),
              "status": page.get_attribute(f".worker[data-worker=\"{victim}\"]", "data-status")})

        # Latency: a change at a worker (SIGUSR1 asks for its drain) until the page shows it.
        survivor = page.get_attribute("tr[data-job]", "data-worker")
        emit({"event": "usr1", "worker": survivor})
        sent_ms = float(wait_line())
        page.wait_for_function(f"document.querySelector('.worker[data-worker=\"{survivor}\"]').dataset.drain !== ''",
                               polling="raf", timeout=15000)
        shown_ms = page.evaluate("Date.now()")
        emit({"event": "latency", "ms": shown_ms - sent_ms})
        browser.close()
    emit({"event": "done"})


def tracks(page, film):
    page.click("nav button[data-view=library]")
    row = f"tr[data-file=\"{film}\"]"
    page.wait_for_selector(row, timeout=15000)
    page.click(f"{row} button.open-tracks")
    panel = f"tr.tracks[data-tracks-for=\"{film}\"]"
    page.wait_for_selector(f"{panel} .track-list li", timeout=15000)
    emit({"event": "tracks", "items": page.eval_on_selector_all(f"{panel} .track-list li", "els => els.map(e => e.textContent)"),
          "audio_options": page.eval_on_selector_all(f"{panel} .audio-choice option", "els => els.map(e => e.textContent)")})
    page.select_option(f"{panel} .subtitle-choice", "2")
    bitmap = {"checked": page.is_checked(f"{panel} .burn-in"), "disabled": page.is_disabled(f"{panel} .burn-in")}
    page.select_option(f"{panel} .subtitle-choice", "0")
    page.uncheck(f"{panel} .burn-in")
    page.select_option(f"{panel} .audio-choice", "0")
    page.select_option(f"{panel} .channels-choice", "2")
    page.select_option("#encoder", "libx264")
    page.click(f"{row} button.start-job")
    page.wait_for_selector("#jobs:not([hidden]) tr[data-job]", timeout=15000)
    page.wait_for_selector("tr[data-job] small.choice", timeout=15000)
    emit({"event": "started", "job": page.get_attribute("tr[data-job]", "data-job"), "bitmap": bitmap,
          "note": page.inner_text("tr[data-job] small.choice"), "url": page.get_attribute("tr[data-job] button.play", "data-url")})
    page.click("tr[data-job] button.play")
    page.wait_for_function("document.getElementById('video').currentTime > 1", timeout=40000)
    page.wait_for_timeout(500)
    emit({"event": "played", "src": page.evaluate("document.getElementById('video').currentSrc"),
          "text_tracks": page.evaluate("document.getElementById('video').textTracks.length"),
          "mode": page.evaluate("(() => { const t = document.getElementById('video').textTracks; return t.length ? t[0].mode : null; })()")})


if __name__ == "__main__":
    main()
