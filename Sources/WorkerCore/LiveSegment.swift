import Foundation
import Hummingbird
import ServiceSupport

/// A segment that the job's current run is writing (or writes next): followed on disk and
/// sent as it grows, whole units at a time, ending cleanly only once FFmpeg has renamed it
/// from `<name>.tmp` (`-hls_flags temp_file`). A run that ends without finishing it, is
/// replaced, or is deleted makes the response abort: no terminating chunk, so no client takes
/// a cut segment as whole.
///
/// FFmpeg 5.1's HLS muxer buffers a TS segment in memory and writes it in one burst when it
/// ends, so with that muxer the gain is the long poll (the answer starts the moment the
/// segment exists), not bytes during the encode; a muxer that writes as it goes streams as is.
struct LiveSegment: Sendable {
    /// What the run that writes the segment is doing now.
    enum Writer: Sendable {
        /// Still the job's run, FFmpeg running.
        case writing
        /// Still the job's run, FFmpeg exited on its own (the last segment is renamed before).
        case exited
        /// Stopped by us, replaced by a newer run, or the job deleted.
        case replaced
    }

    /// Why a streamed segment was cut off.
    struct Aborted: Error, CustomStringConvertible {
        var description: String
    }

    let folder: String
    let file: String
    let units: any SegmentUnits
    let runState: @Sendable () async -> Writer
    /// How long to wait for FFmpeg to start writing it.
    let startWait: Duration
    /// How often the file is looked at while it grows.
    static let poll: Duration = .milliseconds(15)

    var finalPath: String { folder + "/" + file }
    var temporaryPath: String { finalPath + ".tmp" }

    /// Waits (bounded) until FFmpeg has started writing the segment; throws `Aborted` when
    /// the run stops writing or the bound passes first.
    private func started(within bound: Duration) async throws {
        let deadline = ContinuousClock.now + bound
        while access(temporaryPath, F_OK) != 0 && access(finalPath, F_OK) != 0 {
            guard await runState() == .writing else { throw Aborted(description: "\(file): the run ended before writing it") }
            guard ContinuousClock.now < deadline else { throw Aborted(description: "\(file): not started within \(bound)") }
            try await Task.sleep(for: Self.poll)
        }
    }

    /// The chunked response that follows the file.
    func response() -> Response {
        let follower = self
        return HLSResponse.streaming(file: file, body: ResponseBody { writer in
            try await follower.follow { try await writer.write(ByteBuffer(bytes: $0)) }
            try await writer.finish(nil)
        })
    }

    /// The whole segment once FFmpeg has finished it (for a request that cannot take a stream).
    func whole() async throws -> Data {
        var all = Data()
        try await follow { all.append($0) }
        return all
    }

    /// Hands `emit` the segment in whole units as they are written; returns once it is
    /// finished, throws `Aborted` when it never will be.
    func follow(_ emit: (Data) async throws -> Void) async throws {
        try await started(within: startWait)
        var fd = open(temporaryPath, O_RDONLY | O_CLOEXEC)
        if fd < 0 { fd = open(finalPath, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw Aborted(description: "\(file): neither it nor its .tmp exists") }
        defer { close(fd) }
        var pending = Data()
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var exitSeen = false
        while true {
            // Checked before reading: once renamed, FFmpeg has closed the file, and what is
            // read after this is all of it.
            let renamed = Self.isSameFile(fd, finalPath)
            Self.readAvailable(fd, into: &pending, buffer: &buffer)
            let whole = units.wholePrefix(of: pending)
            if whole > 0 {
                try await emit(pending.prefix(whole))
                pending.removeFirst(whole)
            }
            let state = await runState()
            guard state != .replaced else { throw Aborted(description: "\(file): the run was stopped or replaced") }
            if renamed {
                guard pending.isEmpty else { throw Aborted(description: "\(file): finished with \(pending.count) bytes of a cut unit") }
                return
            }
            if state == .exited {
                // One more look: the rename may have come just before the exit.
                guard !exitSeen else { throw Aborted(description: "\(file): FFmpeg exited without finishing it") }
                exitSeen = true
                continue
            }
            try await Task.sleep(for: Self.poll)
        }
    }

    /// Appends what can be read now (up to the current end of the file).
    private static func readAvailable(_ fd: Int32, into pending: inout Data, buffer: inout [UInt8]) {
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { return }
            pending.append(contentsOf: buffer[0..<n])
        }
    }

    /// Whether `path` names the file open on `fd` (the .tmp renamed to its final name).
    private static func isSameFile(_ fd: Int32, _ path: String) -> Bool {
        var opened = stat(), named = stat()
        guard fstat(fd, &opened) == 0, stat(path, &named) == 0 else { return false }
        return opened.st_ino == named.st_ino && opened.st_dev == named.st_dev
    }
}
