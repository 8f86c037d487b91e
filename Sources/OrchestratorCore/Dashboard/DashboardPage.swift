/// The dashboard's HTML: three views (pool, jobs, library), a login form and a player.
enum DashboardPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>transcode pool</title>
<link rel="stylesheet" href="/dashboard/app.css">
</head>
<body>
<header>
  <h1>transcode</h1>
  <nav>
    <button data-view="pool" class="active">Pool</button>
    <button data-view="jobs">Jobs</button>
    <button data-view="library">Library</button>
  </nav>
  <span id="live" title="live feed">●</span>
</header>
<form id="login" hidden>
  <label>Pool token <input id="token" type="password" autocomplete="off" required></label>
  <button type="submit">Open</button>
  <p id="login-error"></p>
</form>
<main>
  <section id="pool" class="view"><div id="workers"></div></section>
  <section id="jobs" class="view" hidden>
    <table><thead><tr><th>job</th><th>source</th><th>encoder</th><th>worker</th><th>state</th><th>progress</th>
      <th>speed</th><th>last segment</th><th>failovers</th><th>error</th><th></th></tr></thead><tbody id="job-rows"></tbody></table>
    <div id="player" hidden><video id="video" controls muted autoplay playsinline></video>
      <button id="close-player">Close</button></div>
  </section>
  <section id="library" class="view" hidden>
    <div class="start">
      <label>Encoder <select id="encoder"><option value="auto">auto</option></select></label>
      <label>Bitrate (Mbit/s) <input id="bitrate" type="number" min="0.1" max="200" step="0.1" value="2"></label>
    </div>
    <table><thead><tr><th>file</th><th>size</th><th></th></tr></thead><tbody id="files"></tbody></table>
  </section>
</main>
<script src="/dashboard/app.js"></script>
</body>
</html>
"""#
}
