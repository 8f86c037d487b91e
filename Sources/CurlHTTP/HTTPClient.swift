import CCurl
import Dispatch
import Foundation

/// An HTTP request for `HTTPClient`.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE`.
    public var method: String
    /// Absolute URL.
    public var url: String
    /// Header lines as name and value.
    public var headers: [(String, String)]
    /// Body bytes, if any.
    public var body: Data?
    /// Whole-request timeout.
    public var timeout: Duration

    /// Creates a request.
    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: Data? = nil, timeout: Duration = .seconds(10)) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// What came back.
public struct HTTPResponse: Sendable {
    /// Status code.
    public var status: Int
    /// Body bytes.
    public var body: Data
    /// Response header fields, names lower-cased, in order.
    public var headers: [(name: String, value: String)]

    /// Creates a response.
    public init(status: Int, body: Data, headers: [(name: String, value: String)] = []) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The last value of a header field, by case-insensitive name.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.last { $0.name == wanted }?.value
    }

    /// Fields of the last response block (after a `100 Continue`, the final one).
    static func parseHeaders(_ lines: [String]) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        for line in lines {
            if line.hasPrefix("HTTP/") { fields = []; continue }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            fields.append((name, value))
        }
        return fields
    }
}

/// A transport failure: no response at all (refused, timed out, DNS).
public struct HTTPClientError: Error, CustomStringConvertible {
    /// libcurl's code.
    public var code: Int
    /// libcurl's explanation.
    public var message: String
    /// The URL that failed.
    public var url: String

    public var description: String { "\(url): \(message) (curl \(code))" }
    /// True when the request hit its timeout.
    public var isTimeout: Bool { code == Int(CURLE_OPERATION_TIMEDOUT.rawValue) }
}

/// The one HTTP client of the project, over libcurl. Each request runs a blocking
/// `curl_easy_perform` on a dispatch queue and resumes the caller when it ends.
public struct HTTPClient: Sendable {
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()
    private static let queue = DispatchQueue(label: "curl-http", attributes: .concurrent)
    /// A valid pointer for empty bodies: libcurl must not read from NULL with a size of 0.
    nonisolated(unsafe) private static let emptyBody = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

    /// Creates a client.
    public init() { _ = Self.globalInit }

    /// Sends the request and returns the response, or throws `HTTPClientError`.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await withCheckedThrowingContinuation { continuation in
            Self.queue.async {
                continuation.resume(with: Result { try Self.perform(request) })
            }
        }
    }

    /// Sends `value` as JSON with the method and headers given.
    public func sendJSON(_ method: String, _ url: String, _ value: some Encodable, headers: [(String, String)] = [], timeout: Duration = .seconds(10)) async throws -> HTTPResponse {
        let body = try JSONEncoder().encode(value)
        return try await send(HTTPRequest(method: method, url: url, headers: headers + [("Content-Type", "application/json")], body: body, timeout: timeout))
    }

    private final class Sink {
        var data = Data()
        var headerLines: [String] = []
    }

    private static func perform(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let handle = curl_easy_init() else {
            throw HTTPClientError(code: -1, message: "curl_easy_init failed", url: request.url)
        }
        defer { curl_easy_cleanup(handle) }
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }
        // Drop curl's default "Expect: 100-continue", which costs a round trip on every POST.
        for line in request.headers.map({ "\($0.0): \($0.1)" }) + ["Expect:"] {
            headerList = curl_slist_append(headerList, line)
        }
        let sink = Sink()
        let box = Unmanaged.passRetained(sink)
        defer { box.release() }
        let millis = request.timeout.components.seconds * 1000 + request.timeout.components.attoseconds / 1_000_000_000_000_000

        _ = ccurl_set_string(handle, CURLOPT_URL, request.url)
        _ = ccurl_set_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
        _ = ccurl_set_slist(handle, CURLOPT_HTTPHEADER, headerList)
        _ = ccurl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_set_long(handle, CURLOPT_TIMEOUT_MS, Int(millis))
        _ = ccurl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(min(millis, 5000)))
        _ = ccurl_set_pointer(handle, CURLOPT_WRITEDATA, box.toOpaque())
        _ = ccurl_set_write_function(handle) { pointer, size, count, context in
            guard let pointer, let context else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
            sink.data.append(UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: size * count)
            return size * count
        }
        _ = ccurl_set_pointer(handle, CURLOPT_HEADERDATA, box.toOpaque())
        _ = ccurl_set_header_function(handle) { pointer, size, count, context in
            guard let pointer, let context else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: pointer, count: size * count)
            sink.headerLines.append(String(decoding: bytes, as: UTF8.self))
            return size * count
        }
        if request.method == "HEAD" { _ = ccurl_set_long(handle, CURLOPT_NOBODY, 1) }
        let body = request.body ?? Data()
        let code: CURLcode = body.withUnsafeBytes { raw in
            if request.body != nil {
                _ = ccurl_set_long(handle, CURLOPT_POSTFIELDSIZE, raw.count)
                _ = ccurl_set_pointer(handle, CURLOPT_POSTFIELDS, raw.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) } ?? emptyBody)
            }
            return curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            throw HTTPClientError(code: Int(code.rawValue), message: String(cString: curl_easy_strerror(code)), url: request.url)
        }
        var status = 0
        _ = ccurl_get_response_code(handle, &status)
        return HTTPResponse(status: status, body: sink.data, headers: HTTPResponse.parseHeaders(sink.headerLines))
    }
}
