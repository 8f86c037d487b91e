/// The dashboard's stylesheet.
enum DashboardStyle {
    static let css = #"""
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
header { display: flex; align-items: center; gap: 1.5em; padding: .6em 1.2em; background: #1d2330; color: #fff; }
header h1 { font-size: 1.1em; margin: 0; }
nav button { background: none; color: #c8cdd8; border: 0; font-size: 1em; padding: .4em .8em; cursor: pointer; }
nav button.active { color: #fff; border-bottom: 2px solid #5aa9ff; }
#live { margin-left: auto; color: #888; } #live.on { color: #4caf50; }
main { padding: 1em 1.2em; }
#login { padding: 2em; } #login-error { color: #b00020; }
#workers { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 1em; }
.worker { background: #fff; border-radius: 6px; padding: .8em 1em; box-shadow: 0 1px 2px rgba(0,0,0,.1); }
.worker h2 { font-size: 1.05em; margin: 0 0 .3em; display: flex; gap: .5em; align-items: center; }
.worker .address { color: #667; font-size: .9em; }
.badge { font-size: .75em; padding: .1em .5em; border-radius: 3px; background: #ddd; }
.IDLE { background: #d7f5dd; } .BUSY { background: #d8e8ff; } .STRESSED { background: #ffe8b3; }
.ERROR { background: #ffd1d1; } .OFFLINE { background: #555; color: #fff; } .draining { background: #f3d6ff; }
.backends li.no { color: #888; } .backends { margin: .2em 0; padding-left: 1.2em; font-size: .9em; }
.meters { display: grid; grid-template-columns: 4.5em 4.5em 1fr; gap: .1em .6em; align-items: center; font-size: .9em; }
svg.spark { width: 100%; height: 22px; } svg.spark polyline { fill: none; stroke: #3f7fd9; stroke-width: 1.5; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .35em .5em; border-bottom: 1px solid #e4e6ea; font-size: .92em; }
progress { width: 9em; }
.start { margin-bottom: 1em; display: flex; gap: 1.5em; }
#player { margin-top: 1em; } #player video { width: 640px; max-width: 100%; background: #000; }
button.act { cursor: pointer; }
tr.tracks td { background: #f8f9fb; } .track-list { margin: .2em 0 .5em; padding-left: 1.2em; font-size: .9em; }
.choices { display: flex; gap: 1.2em; flex-wrap: wrap; } small.choice { color: #667; margin-left: .4em; }
"""#
}
