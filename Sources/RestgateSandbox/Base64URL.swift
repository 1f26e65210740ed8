import COpenSSL
import Foundation
import RestgateHTTP
import RestgateJSON
import RestgateServer

/// Base64url without padding (RFC 4648 §5), as JWTs use it.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        String(Base64.encode(bytes, alphabet: alphabet).prefix { $0 != "=" })
    }

    /// Strict: no padding, no impossible length, no stray bits in the last character, so a
    /// signature has exactly one accepted spelling.
    static func decode(_ text: String) -> [UInt8]? {
        guard !text.contains("="), text.utf8.count % 4 != 1, let bytes = Base64.decode(text, alphabet: alphabet) else { return nil }
        guard encode(bytes) == text else { return nil }
        return bytes
    }
}
