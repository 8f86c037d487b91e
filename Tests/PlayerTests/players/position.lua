-- Logs mpv's playback position once a second, so a test can tell how far playback got
-- (mpv prints no status line when its output is not a terminal).
mp.add_periodic_timer(1, function()
    local pos = mp.get_property_number("time-pos")
    if pos then print(string.format("position %.3f", pos)) end
end)
