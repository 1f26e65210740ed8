import COpenSSL
import Foundation
import RestgateHTTP
import RestgateJSON
import RestgateServer

/// HS256 JSON Web Tokens, signed with a key made when the sandbox starts, so tokens from an
/// earlier run (or forged ones) are refused like missing ones.
struct TokenIssuer: Sendable {
    struct Claims: Codable, Sendable {
        var sub: String
        var aud: String
        var iat: Int
        var exp: Int
    }

    private let key: [UInt8]
    let lifetime: Int

    init(lifetimeSeconds: Int = 3600) {
        var generator = SystemRandomNumberGenerator()
        key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        lifetime = lifetimeSeconds
    }

    func issue(subject: String, audience: String, now: Int = Int(Date().timeIntervalSince1970)) -> String {
        let header = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let claims = Claims(sub: subject, aud: audience, iat: now, exp: now + lifetime)
        let payload = Base64URL.encode(Array((try? JSONEncoder().encode(claims)) ?? Data()))
        let signingInput = header + "." + payload
        return signingInput + "." + Base64URL.encode(signature(Array(signingInput.utf8)))
    }

    /// The claims of a token this issuer signed for `audience` that has not expired, or nil.
    func verify(_ token: String, audience: String, now: Int = Int(Date().timeIntervalSince1970)) -> Claims? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let signature = Base64URL.decode(String(parts[2])) else { return nil }
        let expected = self.signature(Array("\(parts[0]).\(parts[1])".utf8))
        // Constant time, as a real verifier would be.
        guard signature.count == expected.count, zip(signature, expected).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return nil }
        guard let payload = Base64URL.decode(String(parts[1])),
            let claims = try? JSONDecoder().decode(Claims.self, from: Data(payload)),
            claims.aud == audience, claims.exp > now
        else { return nil }
        return claims
    }

    private func signature(_ input: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = HMAC(EVP_sha256(), key, Int32(key.count), input, input.count, &output, &length)
        return Array(output[0..<Int(length)])
    }
}
