import Foundation
import JWTKit
import RestgateJSON

/// Turns key material into `VerificationKeys` with jwt-kit: a JWKS document, a PEM public key
/// (RSA, EC P-256/P-384/P-521, Ed25519) or an HMAC secret. jwt-kit's key collection is an
/// actor that fixes a key's algorithm on first use, so each (key, algorithm) pair gets a
/// collection of its own, here, once per load, never per request.
public enum KeyLoader {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        /// A few words for `/readyz`, without addresses.
        public var kind = "invalid key"

        init(description: String, kind: String = "invalid key") {
            self.description = description
            self.kind = kind
        }
    }

    /// A JWKS (`{"keys": […]}`) or a PEM key, told apart by the first character.
    public static func load(fileContents bytes: [UInt8]) async throws(Failure) -> VerificationKeys {
        let first = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        if first == UInt8(ascii: "{") { return try await jwks(bytes) }
        return try await pem(String(decoding: bytes, as: UTF8.self))
    }

    /// Each key of the set on its own: one that jwt-kit cannot read (an `oct` key, an unknown
    /// curve or algorithm) or that is not for signatures (`use`, `key_ops`) is skipped and
    /// named in `skipped`, so one such key never costs the whole set.
    public static func jwks(_ bytes: [UInt8]) async throws(Failure) -> VerificationKeys {
        guard let document = try? JSONParser.parse(bytes), let entries = document["keys"]?.array else {
            throw Failure(description: "not a JWKS document ({\"keys\": [...]})")
        }
        var keys = VerificationKeys()
        for (index, entry) in entries.enumerated() {
            let name = entry["kid"]?.string.map { "kid \($0)" } ?? "key \(index)"
            if let use = entry["use"]?.string, use != "sig" {
                keys.skipped.append("\(name): use \(use)")
                continue
            }
            if let operations = entry["key_ops"]?.array, !operations.contains(.string("verify")) {
                keys.skipped.append("\(name): key_ops without verify")
                continue
            }
            guard let jwk = try? JSONDecoder().decode(JWK.self, from: Data(entry.bytes)) else {
                keys.skipped.append("\(name): kty \(entry["kty"]?.string ?? "?") is not a signature key jwt-kit reads")
                continue
            }
            var verifiers: [String: any JWTAlgorithm] = [:]
            for algorithm in candidates(for: jwk) {
                var copy = jwk
                copy.keyIdentifier = "key"
                let collection = JWTKeyCollection()
                guard (try? await collection.add(jwk: copy)) != nil,
                    let key = try? await collection.getKey(for: "key", alg: algorithm.rawValue), key.name == algorithm.rawValue
                else { continue }
                verifiers[algorithm.rawValue] = key
            }
            if verifiers.isEmpty { keys.skipped.append("\(name): no algorithm fits it") }
            keys.add(kid: jwk.keyIdentifier?.string, algorithms: verifiers)
        }
        guard keys.count > 0 else {
            throw Failure(description: "the JWKS holds no usable signature key (\(keys.skipped.joined(separator: "; ")))")
        }
        return keys
    }

    /// A JWK's own `alg` when it has one; else every algorithm its key type allows.
    private static func candidates(for jwk: JWK) -> [JWK.Algorithm] {
        if let algorithm = jwk.algorithm { return [algorithm] }
        switch jwk.keyType {
        case .rsa: return [.rs256, .rs384, .rs512, .ps256, .ps384, .ps512]
        case .ecdsa:
            switch jwk.curve?.rawValue {
            case "P-256": return [.es256]
            case "P-384": return [.es384]
            case "P-521": return [.es512]
            default: return []
            }
        case .octetKeyPair: return [.eddsa]
        default: return []
        }
    }

    public static func pem(_ text: String) async throws(Failure) -> VerificationKeys {
        let collection = JWTKeyCollection()
        var verifiers: [String: any JWTAlgorithm] = [:]
        if let rsa = try? Insecure.RSA.PublicKey(pem: text) {
            for (name, digest) in [("256", DigestAlgorithm.sha256), ("384", .sha384), ("512", .sha512)] {
                await collection.add(rsa: rsa, digestAlgorithm: digest, kid: JWKIdentifier(string: "RS" + name))
                await collection.add(pss: rsa, digestAlgorithm: digest, kid: JWKIdentifier(string: "PS" + name))
            }
            for name in VerificationKeys.rsaAlgorithms {
                if let key = try? await collection.getKey(for: JWKIdentifier(string: name)) { verifiers[name] = key }
            }
        } else if let key = try? ES256PublicKey(pem: text) {
            await collection.add(ecdsa: key, kid: "ES256")
            verifiers["ES256"] = try? await collection.getKey(for: "ES256")
        } else if let key = try? ES384PublicKey(pem: text) {
            await collection.add(ecdsa: key, kid: "ES384")
            verifiers["ES384"] = try? await collection.getKey(for: "ES384")
        } else if let key = try? ES512PublicKey(pem: text) {
            await collection.add(ecdsa: key, kid: "ES512")
            verifiers["ES512"] = try? await collection.getKey(for: "ES512")
        } else if let key = try? EdDSA.PublicKey(pem: text) {
            await collection.add(eddsa: key, kid: "EdDSA")
            verifiers["EdDSA"] = try? await collection.getKey(for: "EdDSA")
        }
        guard !verifiers.isEmpty else {
            throw Failure(description: "not a PEM public key of RSA, EC (P-256, P-384, P-521) or Ed25519, nor a JWKS")
        }
        var keys = VerificationKeys()
        keys.add(kid: nil, algorithms: verifiers)
        return keys
    }

    /// HS256, HS384 and HS512 with a shared secret: only from an explicit secret file, and each
    /// only when the secret is at least as long as its hash (RFC 7518 §3.2).
    public static func hmac(secret: [UInt8]) async throws(Failure) -> VerificationKeys {
        guard secret.count >= 32 else { throw Failure(description: "an HMAC secret must be at least 32 bytes (RFC 7518 §3.2)") }
        let collection = JWTKeyCollection()
        var verifiers: [String: any JWTAlgorithm] = [:]
        for (name, digest, bytes) in [("HS256", DigestAlgorithm.sha256, 32), ("HS384", .sha384, 48), ("HS512", .sha512, 64)]
        where secret.count >= bytes {
            await collection.add(hmac: HMACKey(from: secret), digestAlgorithm: digest, kid: JWKIdentifier(string: name))
            verifiers[name] = try? await collection.getKey(for: JWKIdentifier(string: name))
        }
        var keys = VerificationKeys()
        keys.add(kid: nil, algorithms: verifiers)
        return keys
    }
}
