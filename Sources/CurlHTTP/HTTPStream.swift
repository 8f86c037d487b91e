import CCurl
import Dispatch
import Foundation

/// The head of a streamed response, and its body still to read.
public struct HTTPStreamResponse: Sendable {
    /// Status code.
    public var status: Int
    /// Response header fields, names lower-cased, in order.
    public var headers: [(name: String, value: String)]
    /// The body as it arrives. Dropping it (or cancelling the task reading it) ends the transfer.
    public let body: HTTPBodyStream

    /// The last value of a header field, by case-insensitive name.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.last { $0.name == wanted }?.value
    }
}

/// A response body read while it arrives: chunks in order, nil after a clean end (for HTTP/1.1
/// chunked, the terminating chunk), `HTTPClientError` when the transfer broke first (curl 18
/// "transfer closed with outstanding read data remaining" for an aborted chunked body).
/// At most `bufferLimit` bytes wait here: past that the transfer pauses until they are read.
public final class HTTPBodyStream: AsyncSequence, Sendable {
    public typealias Element = Data
    fileprivate let transfer: StreamTransfer

    fileprivate init(_ transfer: StreamTransfer) { self.transfer = transfer }

    /// Ends the transfer now; the curl handle is freed by the thread that ran it.
    public func cancel() { transfer.cancel() }

    deinit { transfer.cancel() }

    public struct AsyncIterator: AsyncIteratorProtocol {
        // Holds the stream, not just the transfer, so iterating keeps the transfer alive.
        let stream: HTTPBodyStream
        public mutating func next() async throws -> Data? { try await stream.transfer.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(stream: self) }

    /// What has arrived and not been read yet, without waiting, and whether the body has
    /// ended cleanly after it; throws the transfer's error once everything before it was taken.
    public func takeArrived() throws -> (bytes: Data, ended: Bool) { try transfer.takeArrived() }

    /// The whole rest of the body.
    public func collect() async throws -> Data {
        var all = Data()
        for try await chunk in self { all.append(chunk) }
        return all
    }
}

extension HTTPClient {
    /// Sends `request` and returns once the response head is in; the body is read from the
    /// answer as it arrives. `request.timeout` bounds the whole transfer; `stall` aborts it
    /// when no byte came for that long. Throws `HTTPClientError` when no head came back.
    public func stream(_ request: HTTPRequest, stall: Duration = .seconds(15), bufferLimit: Int = 1 << 20) async throws -> HTTPStreamResponse {
        let transfer = StreamTransfer(bufferLimit: bufferLimit)
        let body = HTTPBodyStream(transfer)
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.awaitHead(continuation)
                Self.streamQueue.async { transfer.run(request, stall: stall) }
            }
        } onCancel: {
            transfer.cancel()
        }
        return HTTPStreamResponse(status: head.status, headers: head.headers, body: body)
    }

    fileprivate static let streamQueue = DispatchQueue(label: "curl-http-stream", attributes: .concurrent)
}

/// One streamed transfer: the curl thread produces into it, one async reader consumes.
/// Every field is guarded by `condition`.
private final class StreamTransfer: @unchecked Sendable {
    typealias Head = (status: Int, headers: [(name: String, value: String)])
    private let condition = NSCondition()
    private let bufferLimit: Int
    private var headLines: [String] = []
    private var headWaiter: CheckedContinuation<Head, any Error>?
    private var headSent = false
    private var chunks: [Data] = []
    private var buffered = 0
    private var reader: CheckedContinuation<Data?, any Error>?
    private var end: Result<Void, any Error>?
    private var cancelled = false

    init(bufferLimit: Int) { self.bufferLimit = max(1, bufferLimit) }

    func awaitHead(_ continuation: CheckedContinuation<Head, any Error>) {
        condition.lock()
        defer { condition.unlock() }
        if cancelled { continuation.resume(throwing: CancellationError()) } else { headWaiter = continuation }
    }

    func cancel() {
        condition.lock()
        cancelled = true
        let waiter = headWaiter, pending = reader
        headWaiter = nil
        reader = nil
        condition.broadcast()
        condition.unlock()
        waiter?.resume(throwing: CancellationError())
        pending?.resume(throwing: CancellationError())
    }

    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// The next chunk; nil after a clean end.
    func next() async throws -> Data? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Data?, any Error>) in
                condition.lock()
                if !chunks.isEmpty {
                    let chunk = chunks.removeFirst()
                    buffered -= chunk.count
                    condition.broadcast()
                    condition.unlock()
                    continuation.resume(returning: chunk)
                } else if let end {
                    condition.unlock()
                    continuation.resume(with: end.map { nil })
                } else if cancelled {
                    condition.unlock()
                    continuation.resume(throwing: CancellationError())
                } else {
                    reader = continuation
                    condition.unlock()
                }
            }
        } onCancel: {
            cancel()
        }
    }

    func takeArrived() throws -> (bytes: Data, ended: Bool) {
        condition.lock()
        defer { condition.unlock() }
        var bytes = Data()
        for chunk in chunks { bytes.append(chunk) }
        chunks = []
        buffered = 0
        condition.broadcast()
        if !bytes.isEmpty { return (bytes, end.map { (try? $0.get()) != nil } ?? false) }
        if cancelled { throw CancellationError() }
        guard let end else { return (bytes, false) }
        try end.get()
        return (bytes, true)
    }

    // MARK: the curl thread

    /// A header line; the blank line after a final (non-1xx) status line ends the head.
    fileprivate func header(_ line: String) {
        condition.lock()
        defer { condition.unlock() }
        guard !headSent else { return }
        if line.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let status = Self.status(in: headLines)
            if (100..<200).contains(status) { headLines = []; return }
            sendHead(status: status)
        } else {
            headLines.append(line)
        }
    }

    /// Takes body bytes; false to abort the transfer (cancelled). Waits while the reader is behind.
    fileprivate func body(_ data: Data) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if !headSent { sendHead(status: Self.status(in: headLines)) }
        guard !cancelled else { return false }
        if let waiting = reader {
            reader = nil
            waiting.resume(returning: data)
        } else {
            chunks.append(data)
            buffered += data.count
        }
        while buffered > bufferLimit && !cancelled { condition.wait() }
        return !cancelled
    }

    fileprivate func finish(_ result: Result<Void, HTTPClientError>) {
        condition.lock()
        if !headSent, case .success = result { sendHead(status: Self.status(in: headLines)) }
        let outcome: Result<Void, any Error> = result.mapError { $0 }
        end = outcome
        let waiter = headWaiter, pending = chunks.isEmpty ? reader : nil
        headWaiter = nil
        if pending != nil { reader = nil }
        condition.unlock()
        if case .failure(let error) = result { waiter?.resume(throwing: error) }
        pending?.resume(with: outcome.map { nil })
    }

    /// Called with the lock held.
    private func sendHead(status: Int) {
        headSent = true
        let waiter = headWaiter
        headWaiter = nil
        waiter?.resume(returning: (status, HTTPResponse.parseHeaders(headLines)))
    }

    private static func status(in lines: [String]) -> Int {
        guard let line = lines.last(where: { $0.hasPrefix("HTTP/") }) else { return 0 }
        let parts = line.split(separator: " ")
        return parts.count > 1 ? Int(parts[1]) ?? 0 : 0
    }

    /// Runs the transfer to its end on this (dispatch) thread, then frees the handle.
    func run(_ request: HTTPRequest, stall: Duration) {
        guard let handle = curl_easy_init() else {
            finish(.failure(HTTPClientError(code: -1, message: "curl_easy_init failed", url: request.url)))
            return
        }
        defer { curl_easy_cleanup(handle) }
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }
        for line in request.headers.map({ "\($0.0): \($0.1)" }) {
            headerList = curl_slist_append(headerList, line)
        }
        let box = Unmanaged.passRetained(self)
        defer { box.release() }
        let millis = Int(request.timeout.components.seconds * 1000 + request.timeout.components.attoseconds / 1_000_000_000_000_000)
        _ = ccurl_set_string(handle, CURLOPT_URL, request.url)
        _ = ccurl_set_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
        _ = ccurl_set_slist(handle, CURLOPT_HTTPHEADER, headerList)
        _ = ccurl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_set_long(handle, CURLOPT_TIMEOUT_MS, millis)
        _ = ccurl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, min(millis, 5000))
        _ = ccurl_set_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
        _ = ccurl_set_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, Int(stall.components.seconds)))
        _ = ccurl_set_pointer(handle, CURLOPT_WRITEDATA, box.toOpaque())
        _ = ccurl_set_write_function(handle) { pointer, size, count, context in
            guard let pointer, let context else { return 0 }
            let transfer = Unmanaged<StreamTransfer>.fromOpaque(context).takeUnretainedValue()
            let data = Data(bytes: pointer, count: size * count)
            return transfer.body(data) ? size * count : 0
        }
        _ = ccurl_set_pointer(handle, CURLOPT_HEADERDATA, box.toOpaque())
        _ = ccurl_set_header_function(handle) { pointer, size, count, context in
            guard let pointer, let context else { return 0 }
            let transfer = Unmanaged<StreamTransfer>.fromOpaque(context).takeUnretainedValue()
            transfer.header(String(decoding: UnsafeRawBufferPointer(start: pointer, count: size * count), as: UTF8.self))
            return size * count
        }
        // Polled while nothing arrives, so a cancelled transfer ends within about a second.
        _ = ccurl_set_long(handle, CURLOPT_NOPROGRESS, 0)
        _ = ccurl_set_pointer(handle, CURLOPT_XFERINFODATA, box.toOpaque())
        _ = ccurl_set_xferinfo_function(handle) { context, _, _, _, _ in
            guard let context else { return 1 }
            return Unmanaged<StreamTransfer>.fromOpaque(context).takeUnretainedValue().isCancelled ? 1 : 0
        }
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            finish(.failure(HTTPClientError(code: Int(code.rawValue), message: String(cString: curl_easy_strerror(code)), url: request.url)))
            return
        }
        finish(.success(()))
    }
}
