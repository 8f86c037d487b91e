-- Seeks once, as a viewer does: when playback reaches `at` seconds, jumps to `to` (absolute).
-- mpv --script=seek.lua --script-opts=seek-at=3,seek-to=40
local options = { at = 3, to = 40 }
require("mp.options").read_options(options, "seek")
local done = false
mp.observe_property("time-pos", "number", function(_, pos)
    if not done and pos and pos >= options.at then
        done = true
        print(string.format("seeking from %.3f to %.3f", pos, options.to))
        mp.commandv("seek", tostring(options.to), "absolute")
    end
end)
