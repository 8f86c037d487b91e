import Foundation
import Hummingbird
import TranscodeWire

/// An error answered as `{"error": "<sentence>"}` with the contract's status codes.
public struct APIError: HTTPResponseError, CustomStringConvertible {
    /// HTTP status.
    public var status: HTTPResponse.Status
    /// One sentence a person can act on.
    public var message: String
    /// Extra headers, e.g. `Retry-After`.
    public var headers: HTTPFields

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(message)" }

    /// 400: the request cannot be read.
    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
    /// 401: no or wrong token.
    public static let unauthorized = APIError(.unauthorized, "Missing or wrong bearer token: send 'Authorization: Bearer <token>'.")
    /// 403: a path outside the allowed roots.
    public static func forbidden(_ message: String) -> APIError { APIError(.forbidden, message) }
    /// 404: unknown id.
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }
    /// 422: well-formed but cannot run.
    public static func unprocessable(_ message: String) -> APIError { APIError(.unprocessableContent, message) }
    /// 503: no capacity now, with `Retry-After` (seconds): the same request may fit later.
    public static func unavailable(_ message: String, retryAfter: Int = 2) -> APIError {
        APIError(.serviceUnavailable, message, headers: [.retryAfter: "\(retryAfter)"])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSON.response(ErrorBody(error: message), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}

/// JSON in and out of handlers.
public enum JSON {
    /// Encodes a value as a JSON response.
    public static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// Reads the body (at most 1 MiB) and decodes it, or throws 400 with what was wrong.
    public static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: 1 << 20)
        } catch {
            throw APIError(.contentTooLarge, "The request body is larger than 1 MiB.")
        }
        let data = Data(buffer.readableBytesView)
        do {
            // Plain JSON first (it takes every string escape, \u0000 too); the seed documents its
            // payloads with // comments, so JSON5 is the second reading.
            if let plain = try? JSONDecoder().decode(T.self, from: data) { return plain }
            let decoder = JSONDecoder()
            decoder.allowsJSON5 = true
            return try decoder.decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw APIError.badRequest("The JSON body lacks the field '\(key.stringValue)'.")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.badRequest("The JSON field '\(path)' has the wrong type.")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            // Well-formed JSON whose value the field cannot hold (a number past 64 bits, a
            // value a field's own rule refuses): say which field, not that the JSON is bad.
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.badRequest("The JSON field '\(path)' has a value it cannot hold: \(context.debugDescription)")
        } catch {
            // Foundation calls a number past 64 bits invalid JSON; name where it is instead.
            if let path = outOfRange(in: data) {
                throw APIError.badRequest("The JSON field '\(path)' holds a number beyond the 64-bit range its field can hold.")
            }
            throw APIError.badRequest("The request body is not valid JSON.")
        }
    }

    /// The path of the first number beyond 64 bits in well-formed JSON, or nil.
    static func outOfRange(in data: Data) -> String? {
        guard let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        func find(_ value: Any, _ path: [String]) -> String? {
            switch value {
            case let object as [String: Any]:
                return object.keys.sorted().lazy.compactMap { find(object[$0] ?? NSNull(), path + [$0]) }.first
            case let array as [Any]:
                return array.indices.lazy.compactMap { find(array[$0], path + ["\($0)"]) }.first
            case let number as NSNumber where abs(number.doubleValue) >= 0x1p63:
                return path.joined(separator: ".")
            default:
                return nil
            }
        }
        return find(value, [])
    }
}
