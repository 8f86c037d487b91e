import CurlHTTP
import Foundation

/// What a finished program printed and how it exited.
public struct ProgramResult: Sendable {
    /// Exit status (128 + signal when killed).
    public var status: Int32
    /// Everything on stdout.
    public var stdout: String
    /// Everything on stderr.
    public var stderr: String
}

/// Runs a program to completion, draining stdout and stderr at the same time.
public func runProgram(_ executable: String, _ arguments: [String]) throws -> ProgramResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let errData = Shared(Data())
    let done = DispatchSemaphore(value: 0)
    let reader = Thread {
        let data = err.fileHandleForReading.readDataToEndOfFile()
        errData.withLock { $0 = data }
        done.signal()
    }
    reader.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    done.wait()
    let status = ProcessExit.wait(process)?.shellStatus ?? -1
    return ProgramResult(
        status: status,
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData.withLock { $0 }, as: UTF8.self)
    )
}

/// `runProgram` without blocking the cooperative pool.
public func runProgramAsync(_ executable: String, _ arguments: [String]) async throws -> ProgramResult {
    try await offPool { try runProgram(executable, arguments) }
}

/// Runs `ffprobe` (found through /usr/bin/env) with `arguments`.
public func ffprobe(_ arguments: [String]) async throws -> ProgramResult {
    try await runProgramAsync("/usr/bin/env", ["ffprobe"] + arguments)
}

/// A media file's container start time in seconds, as ffprobe reports it.
public func ffprobeStartTime(_ path: String) async throws -> Double? {
    let result = try await ffprobe(["-v", "error", "-show_entries", "format=start_time", "-of", "default=nw=1:nk=1", path])
    guard result.status == 0 else { return nil }
    return Double(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
}

/// A media file's duration in seconds, as ffprobe reports it.
public func ffprobeDuration(_ path: String) async throws -> Double? {
    let result = try await ffprobe(["-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", path])
    guard result.status == 0 else { return nil }
    return Double(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
}

/// Whether a process with this pid exists and is not a zombie.
public func isLiveProcess(_ pid: Int32) -> Bool {
    guard pid > 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")"), stat.distance(from: close, to: stat.endIndex) > 2
    else { return false }
    return stat[stat.index(close, offsetBy: 2)] != "Z"
}

/// Sorted names in a folder (hidden ones included); empty when it does not exist.
public func folderListing(_ path: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
}

/// Whether anything (file, folder, or dangling link) exists at `path`.
public func pathExists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
}

/// Segment numbers of the `segmentN.ts` files in a folder, ascending.
public func segmentNumbers(in folder: String) -> [Int] {
    folderListing(folder).compactMap { name -> Int? in
        guard name.hasPrefix("segment"), name.hasSuffix(".ts") else { return nil }
        return Int(name.dropFirst("segment".count).dropLast(3))
    }.sorted()
}

/// Segment numbers listed in an HLS playlist, in order.
public func playlistSegments(_ playlist: String) -> [Int] {
    playlist.split(whereSeparator: \.isNewline).compactMap { line -> Int? in
        guard line.hasPrefix("segment"), line.hasSuffix(".ts") else { return nil }
        return Int(line.dropFirst("segment".count).dropLast(3))
    }
}

/// A seek time as `HH:MM:SS`.
public func seekText(_ seconds: Int) -> String {
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
}

/// A JSON body built from a dictionary (keys sorted).
public func jsonText(_ object: [String: Any]) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
}

extension Dictionary where Key == String, Value == Any {
    /// A string field, nil when absent or null.
    public func string(_ key: String) -> String? { self[key] as? String }
    /// An integer field, nil when absent or null.
    public func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
    /// A number field, nil when absent or null.
    public func double(_ key: String) -> Double? { (self[key] as? NSNumber)?.doubleValue }
    /// A pid field, nil when absent or null.
    public func pid(_ key: String = "pid") -> Int32? { (self[key] as? NSNumber)?.int32Value }
    /// A string array field.
    public func strings(_ key: String) -> [String]? { self[key] as? [String] }
    /// Whether the key is present with JSON `null`.
    public func isNull(_ key: String) -> Bool { self[key] is NSNull }
}

extension Array where Element == String {
    /// Whether `first` is immediately followed by `second` somewhere in the list.
    public func containsPair(_ first: String, _ second: String) -> Bool {
        guard count >= 2 else { return false }
        return indices.dropLast().contains { self[$0] == first && self[$0 + 1] == second }
    }

    /// The element right after the first `key`, if any.
    public func value(after key: String) -> String? {
        guard let index = firstIndex(of: key), index + 1 < count else { return nil }
        return self[index + 1]
    }
}

extension API {
    /// `GET /v1/jobs/{id}` as an object; empty when the job does not exist.
    public func job(_ id: String) async throws -> [String: Any] {
        let response = try await call("GET", "/v1/jobs/\(id)")
        return response.status == 200 ? response.object : [:]
    }

    /// Polls the job until `condition` holds; returns the last status seen and whether it held.
    public func waitForJob(
        _ id: String, timeout: Duration = .seconds(60), _ condition: ([String: Any]) -> Bool
    ) async throws -> (job: [String: Any], held: Bool) {
        var last: [String: Any] = [:]
        let held = try await eventually(timeout: timeout) {
            last = try await job(id)
            return condition(last)
        }
        return (last, held)
    }
}

extension HTTPResponse {
    /// The `error` sentence of a JSON error body, or nil.
    public var errorSentence: String? {
        guard let sentence = object["error"] as? String, !sentence.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return sentence
    }
}

/// A file's bytes and modification time, to prove it was left untouched.
public struct FileFingerprint: Equatable, Sendable {
    public var contents: Data?
    public var modified: Date?

    /// Reads the file now.
    public init(_ path: String) {
        contents = FileManager.default.contents(atPath: path)
        modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
