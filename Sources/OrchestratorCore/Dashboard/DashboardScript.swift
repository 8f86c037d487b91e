/// The dashboard's script: asks for the token once (kept in sessionStorage, never in a URL),
/// reads the live feed with fetch (EventSource cannot send a header), and draws the views.
enum DashboardScript {
    static let js = #"""
'use strict';
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
let token = sessionStorage.getItem('transcode-token');
let snapshot = null;
window.__snapshots = 0;

async function api(path, options = {}) {
  const response = await fetch(path, {...options, headers: {'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'}});
  if (response.status === 401) { showLogin('That token was refused.'); throw new Error('401'); }
  return response;
}

function showLogin(message) {
  sessionStorage.removeItem('transcode-token');
  token = null;
  $('login').hidden = false;
  $('login-error').textContent = message || '';
}

$('login').addEventListener('submit', (event) => {
  event.preventDefault();
  token = $('token').value;
  sessionStorage.setItem('transcode-token', token);
  $('login').hidden = true;
  start();
});

document.querySelectorAll('nav button').forEach((button) => button.addEventListener('click', () => show(button.dataset.view)));
function show(view) {
  document.querySelectorAll('nav button').forEach((b) => b.classList.toggle('active', b.dataset.view === view));
  document.querySelectorAll('.view').forEach((v) => v.hidden = v.id !== view);
  if (view === 'library') loadLibrary();
}

// The live feed: Server-Sent Events read from a fetch body; reconnects when it ends.
async function follow() {
  while (token) {
    try {
      const response = await api('/v1/dashboard/events');
      $('live').classList.add('on');
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, {stream: true});
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (data) render(JSON.parse(data));
        }
      }
    } catch (error) { if (!token) return; }
    $('live').classList.remove('on');
    await new Promise((r) => setTimeout(r, 500));
  }
}

function spark(samples, key, max) {
  const points = samples.filter((s) => s[key] != null);
  if (points.length < 2) return '<svg class="spark"></svg>';
  const t0 = points[0].t, span = Math.max(1, points[points.length - 1].t - t0);
  const top = max || Math.max(...points.map((s) => s[key])) || 1;
  const xy = points.map((s) => `${((s.t - t0) / span * 100).toFixed(1)},${(20 - s[key] / top * 18).toFixed(1)}`).join(' ');
  return `<svg class="spark" viewBox="0 0 100 22" preserveAspectRatio="none"><polyline points="${xy}"/></svg>`;
}

const num = (v, unit, digits = 0) => v == null ? '—' : `${Number(v).toFixed(digits)}${unit}`;

function renderWorkers(s) {
  $('workers').innerHTML = s.workers.map((w) => {
    const t = w.telemetry || {};
    const h = s.history[w.id] || [];
    const drain = w.drained ? 'drained' : w.draining ? 'draining' : '';
    const backends = (w.static_specs.backends || []).map((b) =>
      `<li class="${b.available ? 'yes' : 'no'}" data-backend="${esc(b.id)}"><b>${esc(b.id)}</b>: ${esc(b.reason)}</li>`).join('');
    const limits = Object.entries(w.static_specs.session_limits || {}).map(([k, v]) => `${esc(k)} ${v}`).join(', ');
    return `<div class="worker" data-worker="${esc(w.id)}" data-status="${esc(w.status)}" data-drain="${drain}">
      <h2>${esc(w.id)} <span class="badge ${esc(w.status)}">${esc(w.status)}</span>
        ${drain ? `<span class="badge draining">${drain}</span>` : ''}</h2>
      <div class="address">${esc(w.address)} · heartbeat ${num(w.last_heartbeat_age_s, ' s ago', 1)}</div>
      <div>${esc(w.static_specs.cpu_model)} (${w.static_specs.total_threads} threads) · hardware: ${esc(w.static_specs.hardware_acceleration.join(', ') || 'none')}</div>
      <ul class="backends">${backends}</ul>
      <div>encoders: ${esc(w.encoders.join(', '))}</div>
      <div>jobs: <span class="active-jobs">${w.active_jobs}</span> / ${w.max_jobs ?? '∞'}${limits ? ' · sessions ' + limits : ''}</div>
      <div class="meters">
        <span>CPU</span><span>${num(t.cpu_usage, ' %')}</span>${spark(h, 'cpu', 100)}
        <span>GPU</span><span>${num(t.gpu_usage, ' %')}</span>${spark(h, 'gpu', 100)}
        <span>free RAM</span><span>${num(t.ram_free_bytes == null ? null : t.ram_free_bytes / 2 ** 30, ' GiB', 1)}</span>${spark(h, 'ram_free')}
        <span>temp</span><span>${num(t.temp_c ?? t.gpu_temp_c, ' °C')}</span>${spark(h, 'temp', 100)}
      </div>
      <button class="act drain" data-id="${esc(w.id)}" data-on="${w.draining ? 0 : 1}">${w.draining ? 'Undrain' : 'Drain'}</button>
    </div>`;
  }).join('') || '<p>No workers have registered.</p>';
}

function renderJobs(s) {
  $('job-rows').innerHTML = s.jobs.map((j) => {
    const f = j.last_failover;
    return `<tr data-job="${esc(j.job_id)}" data-state="${esc(j.state)}" data-worker="${esc(j.worker_id)}">
      <td>${esc(j.job_id)}</td><td>${esc(j.source_path.split('/').pop())}${trackNote(j.configuration)}</td>
      <td>${esc(j.configuration.encoder || 'auto')}</td><td>${esc(j.worker_id || '—')}</td><td>${esc(j.state)}</td>
      <td><progress max="100" value="${j.progress ?? 0}"></progress> <span class="pct">${num(j.progress, ' %', 1)}</span></td>
      <td>${esc(j.speed || '—')}${j.cannot_keep_up ? ' <span class="badge behind" title="below 1.0x for 5 s: viewers stall">behind</span>' : ''}</td><td>${j.last_segment_id ?? '—'}</td>
      <td class="failovers">${j.failovers}${f ? ` (${esc(f.from_worker)} → ${esc(f.to_worker || '…')}: ${esc(f.reason)})` : ''}</td>
      <td class="error">${esc(j.error || '')}</td>
      <td><button class="act stop" data-id="${esc(j.job_id)}">Stop</button>
          <button class="act play" data-url="${esc(j.master_url || j.playlist_url)}">Play</button></td></tr>`;
  }).join('');
}

// What a job chose beyond the defaults: its audio track, channels and subtitles.
function trackNote(c) {
  const parts = [];
  if (c.audio) parts.push('audio ' + (c.audio.language ?? '#' + c.audio.track));
  if (c.audio_channels === 6) parts.push('5.1');
  if (c.subtitles) parts.push('subs ' + (c.subtitles.language ?? '#' + c.subtitles.track) + (c.subtitles.burn_in ? ' burned in' : ''));
  return parts.length ? ` <small class="choice">${esc(parts.join(' · '))}</small>` : '';
}

function renderEncoders(s) {
  const select = $('encoder'), chosen = select.value;
  select.innerHTML = ['auto', ...s.encoders].map((e) => `<option value="${esc(e)}">${esc(e)}</option>`).join('');
  if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
}

function render(s) {
  snapshot = s;
  renderWorkers(s);
  renderJobs(s);
  renderEncoders(s);
  window.__snapshots += 1;
  window.__lastSnapshotAt = performance.now();
}

async function loadLibrary() {
  const reply = await (await api('/v1/library')).json();
  $('files').innerHTML = reply.files.map((f) => `<tr data-file="${esc(f.path)}"><td>${esc(f.path)}</td>
    <td>${(f.size / 2 ** 20).toFixed(1)} MiB</td><td><button class="act open-tracks" data-path="${esc(f.path)}">Tracks</button>
    <button class="act start-job" data-path="${esc(f.path)}">Start</button></td></tr>`).join('')
    || `<tr><td colspan="3">No files under ${esc(reply.roots.join(', ') || 'any --media-root')}.</td></tr>`;
}

// One track as the library shows it: language, codec, channels, HDR, text or bitmap, flags.
function trackLabel(t) {
  const words = [`${t.index}`, t.language || 'und', t.codec];
  if (t.type === 'audio') words.push(t.channel_layout || `${t.channels} ch`);
  if (t.type === 'video') words.push(`${t.width}x${t.height}`, `${t.bit_depth}-bit`, t.hdr === 'sdr' ? 'SDR' : 'HDR ' + String(t.hdr).toUpperCase());
  if (t.type === 'subtitle') words.push(t.kind || '?');
  if (t.title) words.push(`“${t.title}”`);
  if (t.default) words.push('default');
  if (t.forced) words.push('forced');
  return words.join(' ');
}

// Opens a file: asks for its tracks and shows them under its row, with the choices a job takes.
async function openTracks(path) {
  const row = document.querySelector(`tr[data-file="${CSS.escape(path)}"]`);
  document.querySelectorAll(`tr.tracks[data-tracks-for="${CSS.escape(path)}"]`).forEach((r) => r.remove());
  const response = await api('/v1/media/tracks?path=' + encodeURIComponent(path));
  const reply = await response.json();
  const panel = document.createElement('tr');
  panel.className = 'tracks';
  panel.dataset.tracksFor = path;
  if (!response.ok) {
    panel.innerHTML = `<td colspan="3" class="error">${esc(reply.error)}</td>`;
    row.after(panel);
    return;
  }
  const of = (type) => reply.tracks.filter((t) => t.type === type);
  const list = reply.tracks.map((t) => `<li data-type="${esc(t.type)}" data-index="${t.index}">${esc(t.type)} ${esc(trackLabel(t))}</li>`).join('');
  const audio = of('audio').map((t) => `<option value="${t.index}">${esc(trackLabel(t))}</option>`).join('');
  const subs = of('subtitle').map((t) => `<option value="${t.index}" data-kind="${esc(t.kind)}">${esc(trackLabel(t))}</option>`).join('');
  panel.innerHTML = `<td colspan="3"><ul class="track-list">${list}</ul><div class="choices">
    <label>Audio <select class="audio-choice"><option value="">default track</option>${audio}</select></label>
    <label>Channels <select class="channels-choice"><option value="2">stereo</option><option value="6">5.1</option></select></label>
    <label>Subtitles <select class="subtitle-choice"><option value="">none</option>${subs}</select></label>
    <label><input type="checkbox" class="burn-in"> burn in</label></div></td>`;
  row.after(panel);
  // A bitmap track can only be burned in.
  panel.querySelector('.subtitle-choice').addEventListener('change', (event) => {
    const option = event.target.selectedOptions[0], burn = panel.querySelector('.burn-in');
    const bitmap = option && option.dataset.kind === 'bitmap';
    if (bitmap) burn.checked = true;
    burn.disabled = bitmap;
  });
}

// The track fields of a job started on `path`, from its open panel (none when closed).
function trackChoices(path) {
  const panel = document.querySelector(`tr.tracks[data-tracks-for="${CSS.escape(path)}"]`);
  const choices = {};
  if (!panel || !panel.querySelector('.audio-choice')) return choices;
  const audio = panel.querySelector('.audio-choice').value, subs = panel.querySelector('.subtitle-choice').value;
  if (audio !== '') choices.audio = {track: Number(audio)};
  choices.audio_channels = Number(panel.querySelector('.channels-choice').value);
  if (subs !== '') choices.subtitles = {track: Number(subs), burn_in: panel.querySelector('.burn-in').checked};
  return choices;
}

// Plays a job: its master playlist when it has one. Chromium's own HLS ignores the master's
// subtitle rendition, so the page follows it as hls.js would: it reads the rendition's playlist,
// fetches the WebVTT segments near the playhead and places each cue by its X-TIMESTAMP-MAP
// (movie time: MPEGTS 126000 is 0 in every run) on a track of its own, shown.
function play(url) {
  const video = $('video');
  $('player').hidden = false;
  video.src = url;
  video.play().catch(() => {});
  if (url.includes('/master.m3u8')) followSubtitles(video, url).catch(() => {});
}

async function followSubtitles(video, master) {
  const get = async (u) => { const r = await fetch(u); if (!r.ok) throw new Error(String(r.status)); return r.text(); };
  const media = (await get(master)).split('\n').find(l => l.startsWith('#EXT-X-MEDIA:') && l.includes('TYPE=SUBTITLES'));
  if (!media) return;
  const attr = (n) => (media.match(new RegExp(n + '="([^"]*)"')) || [])[1];
  const list = new URL(attr('URI'), master).toString();
  const segments = [];
  let start = 0, length = null;
  for (const line of (await get(list)).split('\n')) {
    if (line.startsWith('#EXTINF:')) length = parseFloat(line.slice(8));
    else if (line && !line.startsWith('#') && length !== null) { segments.push({uri: new URL(line, list).toString(), start, end: start + length}); start += length; length = null; }
  }
  video.dataset.following = master;
  const track = video.addTextTrack('subtitles', attr('NAME') || '', attr('LANGUAGE') || '');
  track.mode = 'showing';
  const stamp = (t) => t.split(':').map(parseFloat).reduce((a, b) => a * 60 + b, 0);
  const loaded = new Set();
  const pump = async () => {
    if (video.dataset.following !== master) return;
    for (const seg of segments) {
      if (seg.end < video.currentTime - 1 || seg.start > video.currentTime + 8 || loaded.has(seg.uri)) continue;
      loaded.add(seg.uri);
      try {
        const body = await get(seg.uri);
        const map = body.match(/X-TIMESTAMP-MAP=MPEGTS:(\d+),LOCAL:([0-9:.]+)/);
        const shift = map ? (parseInt(map[1]) - 126000) / 90000 - stamp(map[2]) : 0;
        for (const block of body.replace(/\r/g, '').split(/\n\n+/)) {
          const lines = block.split('\n').filter(l => l.length);
          const i = lines.findIndex(l => l.includes('-->'));
          if (i < 0) continue;
          const [a, b] = lines[i].split('-->').map(x => x.trim().split(' ')[0]);
          track.addCue(new VTTCue(stamp(a) + shift, stamp(b) + shift, lines.slice(i + 1).join('\n')));
        }
      } catch (e) { loaded.delete(seg.uri); }
    }
  };
  video.addEventListener('seeked', pump);
  setInterval(pump, 500);
  pump();
}

document.addEventListener('click', async (event) => {
  const b = event.target.closest('button.act');
  if (!b) return;
  if (b.classList.contains('drain')) await api(`/v1/workers/${encodeURIComponent(b.dataset.id)}/drain`, {method: b.dataset.on === '1' ? 'POST' : 'DELETE'});
  if (b.classList.contains('stop')) await api(`/v1/jobs/${encodeURIComponent(b.dataset.id)}`, {method: 'DELETE'});
  if (b.classList.contains('play')) play(b.dataset.url);
  if (b.classList.contains('open-tracks')) await openTracks(b.dataset.path);
  if (b.classList.contains('start-job')) {
    const configuration = {encoder: $('encoder').value, bitrate_bps: Math.round(Number($('bitrate').value) * 1e6), seek_time: '00:00:00',
      ...trackChoices(b.dataset.path)};
    const response = await api('/v1/jobs', {method: 'POST', body: JSON.stringify({source_path: b.dataset.path, configuration})});
    if (response.ok) show('jobs'); else alert((await response.json()).error);
  }
});
$('close-player').addEventListener('click', () => { $('video').pause(); $('video').removeAttribute('src'); $('player').hidden = true; });

function start() { follow(); }
if (token) start(); else showLogin();
"""#
}
