import Crypto
import Foundation

/// Per-job playback tokens, like a presigned URL: an HMAC over the job id and an expiry,
/// keyed by a key derived from the pool's token. A token opens that job's HLS reads only,
/// until it expires; the pool's token itself never appears in a URL.
public struct PlaybackSigner: Sendable {
    /// Query parameter that carries the token.
    public static let queryName = "sig"
    private let key: SymmetricKey

    /// A signer whose key both services derive from the same pool token; nil without a token
    /// (`--insecure-no-auth`), where playback needs no signature.
    public init?(poolToken: String?) {
        guard let poolToken, !poolToken.isEmpty else { return nil }
        let derived = HMAC<SHA256>.authenticationCode(for: Data("transcode playback v1".utf8), using: SymmetricKey(data: Data(poolToken.utf8)))
        key = SymmetricKey(data: Data(derived))
    }

    /// `<expiry>.<mac>`: expiry in Unix seconds, mac in base64url.
    public func token(jobID: String, expires: Int) -> String {
        "\(expires).\(mac(jobID: jobID, expires: expires))"
    }

    /// What a presented token is worth for a job.
    public enum Verdict: Equatable, Sendable {
        case valid, expired, invalid
    }

    /// Checks a token for `jobID` at `now` (Unix seconds), in constant time over the mac.
    public func verify(_ token: String, jobID: String, now: Int = Int(Date().timeIntervalSince1970)) -> Verdict {
        let parts = token.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let expires = Int(parts[0]) else { return .invalid }
        let expected = Array(mac(jobID: jobID, expires: expires).utf8)
        let presented = Array(parts[1].utf8)
        var diff = UInt8(expected.count == presented.count ? 0 : 1)
        for i in 0..<min(expected.count, presented.count) { diff |= expected[i] ^ presented[i] }
        guard diff == 0 else { return .invalid }
        return expires >= now ? .valid : .expired
    }

    private func mac(jobID: String, expires: Int) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("\(jobID)\n\(expires)".utf8), using: key)
        return Data(code).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
