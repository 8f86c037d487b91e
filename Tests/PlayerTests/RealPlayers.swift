import Testing

/// Players nobody here wrote (Chromium's own HLS, mpv) playing the orchestrator's stable
/// URL. One at a time: each plays in real time next to two workers and their FFmpeg on a
/// small machine, and a starved player would stall for reasons of its own.
@Suite(.serialized) struct RealPlayers {}
