import CurlHTTP
import Foundation
import Hummingbird
import ServiceSupport

/// A segment that a worker streams while FFmpeg writes it, passed on to the player as it
/// arrives: whole units only (TS packets, with the discontinuity marks of
/// `TSDiscontinuity`), the terminating chunk only once the worker ended cleanly. The start
/// is read, and held back a little, before the player's response begins (`open`), so a
/// worker that fails before any byte went out is handled like one that never answered.
struct SegmentRelay: Sendable {
    /// What the worker says while streaming.
    let upstream: HTTPBodyStream
    let units: any SegmentUnits
    /// Read before the response started: whole units, and the start of a cut one.
    let first: Data
    /// Whether the worker already ended the body cleanly while `first` was read.
    let ended: Bool
    /// Called when the worker's stream broke after bytes went to the player.
    let onBreak: @Sendable (String) async -> Void

    /// What the start of a worker's stream gave.
    enum Opened: Sendable {
        /// It ended within the hold-back: the whole segment, to send as a finished one.
        case whole(Data)
        /// Still coming: relay it.
        case streaming(SegmentRelay)
        /// It ended with nothing, or not on a unit boundary.
        case nothing
    }

    /// Reads the first bytes (as long as the worker takes), then holds the segment back for
    /// up to `holdBack` hoping it ends: then it goes out whole, and a worker that fails
    /// within that time falls under the rules before the first byte. Throws the worker's
    /// transfer error.
    static func open(
        _ upstream: HTTPBodyStream, units: any SegmentUnits, holdBack: Duration, onBreak: @escaping @Sendable (String) async -> Void
    ) async throws -> Opened {
        var first = Data()
        var iterator = upstream.makeAsyncIterator()
        var deadline: ContinuousClock.Instant?
        while true {
            guard let chunk = try await iterator.next() else {
                return !first.isEmpty && units.isWhole(first) ? .whole(first) : .nothing
            }
            first.append(chunk)
            // Counted from the first byte: the worker may hold the request until FFmpeg writes.
            let until = deadline ?? ContinuousClock.now + holdBack
            deadline = until
            while ContinuousClock.now < until {
                let (arrived, ended) = try upstream.takeArrived()
                first.append(arrived)
                if ended { return units.isWhole(first) ? .whole(first) : .nothing }
                try await Task.sleep(for: .milliseconds(5))
            }
            if units.wholePrefix(of: first) > 0 {
                return .streaming(SegmentRelay(upstream: upstream, units: units, first: first, ended: false, onBreak: onBreak))
            }
        }
    }

    /// The whole segment (for a request that takes no stream); throws if the worker's stream breaks.
    func collect() async throws -> Data {
        defer { upstream.cancel() }
        var all = first
        if !ended { all.append(try await upstream.collect()) }
        guard units.isWhole(all) else { throw Broken(reason: "the worker ended the segment on a cut unit") }
        return all
    }

    /// Writes the segment to the player. Throws (so the connection closes without the
    /// terminating chunk) when the worker's stream breaks or the player goes away.
    func send(to writer: inout any ResponseBodyWriter) async throws {
        defer { upstream.cancel() }
        var marker = TSDiscontinuity.StreamMarker()
        let marks = units is TSPackets
        var pending = first
        var done = ended
        var iterator = upstream.makeAsyncIterator()
        while true {
            let whole = units.wholePrefix(of: pending)
            if whole > 0 {
                let piece = Data(pending.prefix(whole))
                pending.removeFirst(whole)
                try await writer.write(ByteBuffer(bytes: marks ? marker.mark(piece) : piece))
            }
            if done { break }
            do {
                guard let chunk = try await iterator.next() else { done = true; continue }
                pending.append(chunk)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                await onBreak("\(error)")
                throw Broken(reason: "\(error)")
            }
        }
        guard pending.isEmpty else {
            await onBreak("the segment ended on a cut unit")
            throw Broken(reason: "the worker ended the segment on a cut unit")
        }
        try await writer.finish(nil)
    }

    struct Broken: Error, CustomStringConvertible {
        var reason: String
        var description: String { "segment stream broke: \(reason)" }
    }
}
