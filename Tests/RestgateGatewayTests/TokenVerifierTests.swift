import Foundation
import JWTKit
import RestgateUpstream
import Testing

@testable import RestgateJSON
@testable import RestgateTokens

/// The verifier's rules with keys made by jwt-kit here (the end-to-end test signs with PyJWT):
/// each refusal names its reason, and a verified token is cached until it expires.
@Suite struct TokenVerifierTests {
    private let privateKey = ES256PrivateKey()
    private let now = Int64(Date().timeIntervalSince1970)

    private func verifier(policy: TokenPolicy = TokenPolicy(), hmac: [UInt8]? = nil) async throws -> TokenVerifier {
        var keys = try await KeyLoader.pem(privateKey.publicKey.pemRepresentation)
        if let hmac { keys = keys.merged(with: try await KeyLoader.hmac(secret: hmac)) }
        let set = try KeySet(upstream: "unioo", fixed: keys, source: nil, tls: .init(), loop: nil) { _, _ in }
        return TokenVerifier(keys: set, policy: policy)
    }

    private static func part(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A JWS of `header` and `claims`, signed by `signer` (nil: no signature).
    private func token(_ claims: String, header: String = #"{"alg":"ES256","typ":"JWT"}"#, signer: (any JWTAlgorithm)?) throws -> Substring
    {
        let input = Self.part(Array(header.utf8)) + "." + Self.part(Array(claims.utf8))
        let signature = try signer?.sign(Array(input.utf8)) ?? []
        return Substring(input + "." + Self.part(signature))
    }

    private func signer() async throws -> any JWTAlgorithm {
        let collection = JWTKeyCollection()
        await collection.add(ecdsa: privateKey, kid: "signer")
        return try await collection.getKey(for: "signer")
    }

    @Test func aGoodTokenPassesWithItsClaims() async throws {
        let verifier = try await verifier(policy: TokenPolicy(issuer: "https://idp", audiences: ["restgate", "other"]))
        let token = try token(
            #"{"sub":"erp-batch","exp":\#(now + 60),"nbf":\#(now),"iss":"https://idp","aud":["x","restgate"],"erp":{"customer":"C-17"}}"#,
            signer: try await signer())
        let verified = try await verifier.verify(token).get()
        #expect(verified.subject == "erp-batch")
        #expect(verified.claim(["erp", "customer"]) == .string("C-17"))
        #expect(verified.expiresAt == now + 60 + 30)
    }

    /// A subject is unique within its issuer: with no issuer pinned the client is both, with
    /// one pinned the subject alone (and so unchanged for such deployments).
    @Test func theClientIsTheSubjectWithinItsIssuer() async throws {
        let signer = try await signer()
        let claims = { (issuer: String) in #"{"sub":"erp-batch","exp":\#(self.now + 60),"iss":"\#(issuer)"}"# }
        let open = try await verifier()
        let first = try await open.verify(token(claims("https://idp-a"), signer: signer)).get()
        let second = try await open.verify(token(claims("https://idp-b"), signer: signer)).get()
        #expect(first.subject == "erp-batch" && second.subject == "erp-batch")
        #expect(first.client == "https://idp-a\u{0}erp-batch")
        #expect(second.client == "https://idp-b\u{0}erp-batch")
        let noIssuer = try await open.verify(token(#"{"sub":"erp-batch","exp":\#(now + 60)}"#, signer: signer)).get()
        #expect(noIssuer.client == "erp-batch")
        let pinned = try await verifier(policy: TokenPolicy(issuer: "https://idp-a"))
        #expect(try await pinned.verify(token(claims("https://idp-a"), signer: signer)).get().client == "erp-batch")
    }

    @Test func eachRefusalSaysWhy() async throws {
        let verifier = try await verifier(policy: TokenPolicy(issuer: "https://idp", audiences: ["restgate"]))
        let signer = try await signer()
        let good = #""iss":"https://idp","aud":"restgate""#
        let cases: [(String, TokenRefusal)] = [
            // Well past the 30 s leeway: a slow machine may take seconds between `now` and
            // the check.
            (#"{"exp":\#(now - 300),\#(good)}"#, .expired(atSeconds: now - 300)),
            (#"{"exp":\#(now + 600),"nbf":\#(now + 300),\#(good)}"#, .notYetValid(untilSeconds: now + 300)),
            (#"{"exp":\#(now + 60),"iss":"https://evil","aud":"restgate"}"#, .wrongIssuer),
            (#"{"exp":\#(now + 60),"iss":"https://idp","aud":"elsewhere"}"#, .wrongAudience),
            (#"{"iss":"https://idp","aud":"restgate"}"#, .missingExpiry),
        ]
        for (claims, refusal) in cases {
            #expect(try await verifier.verify(token(claims, signer: signer)) == .failure(refusal), "\(claims)")
        }
        // Within the leeway both ways (10 s inside it, from a clock read just now).
        let current = Int64(Date().timeIntervalSince1970)
        #expect(
            try await verifier.verify(token(#"{"exp":\#(current - 20),"nbf":\#(current + 20),\#(good)}"#, signer: signer)).get().subject
                == nil)
    }

    @Test func signaturesAndAlgorithmsAreChecked() async throws {
        let verifier = try await verifier()
        let claims = #"{"sub":"a","exp":\#(now + 60)}"#
        let signed = try token(claims, signer: try await signer()).split(separator: ".")
        let other = try token(#"{"sub":"b","exp":\#(now + 60)}"#, signer: nil).split(separator: ".")
        let tampered = [signed[0], other[1], signed[2]].joined(separator: ".")
        #expect(await verifier.verify(Substring(tampered)) == .failure(.badSignature))
        let unsigned = try token(claims, header: #"{"alg":"none"}"#, signer: nil)
        #expect(await verifier.verify(unsigned) == .failure(.algorithmNotAllowed("unsigned tokens (alg none) are never accepted")))
        // HS256 without a secret: the EC public key is never an HMAC key.
        let hmac = try token(claims, header: #"{"alg":"HS256"}"#, signer: nil)
        #expect(await verifier.verify(hmac) == .failure(.algorithmNotAllowed("HS256 needs a shared secret, and none is configured")))
        let named = try token(claims, header: #"{"alg":"ES256","kid":"nobody"}"#, signer: try await signer())
        // An unnamed key verifies tokens whatever kid they name; with only named keys the kid
        // would be unknown.
        #expect(try await verifier.verify(named).get().subject == "a")
        let critical = try token(claims, header: #"{"alg":"ES256","crit":["b64"]}"#, signer: try await signer())
        guard case .failure(.malformed) = await verifier.verify(critical) else {
            Issue.record("a token with crit must be refused")
            return
        }
    }

    @Test func hmacTakesTheSecretFileOnly() async throws {
        let secret = Array("a shared secret of at least 32 bytes!".utf8)
        let verifier = try await verifier(hmac: secret)
        let collection = JWTKeyCollection()
        await collection.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: "h")
        let token = try token(
            #"{"sub":"h","exp":\#(now + 60)}"#, header: #"{"alg":"HS256"}"#, signer: try await collection.getKey(for: "h"))
        #expect(try await verifier.verify(token).get().subject == "h")
        await #expect(throws: KeyLoader.Failure.self) { try await KeyLoader.hmac(secret: Array("short".utf8)) }
    }

    @Test func anUnknownKidIsRefusedWhenEveryKeyIsNamed() async throws {
        let keys = try await KeyLoader.jwks(Array(Self.jwks(privateKey).utf8))
        let set = try KeySet(upstream: "unioo", fixed: keys, source: nil, tls: .init(), loop: nil) { _, _ in }
        let verifier = TokenVerifier(keys: set, policy: TokenPolicy())
        let claims = #"{"sub":"a","exp":\#(now + 60)}"#
        #expect(
            try await verifier.verify(token(claims, header: #"{"alg":"ES256","kid":"k1"}"#, signer: try await signer())).get().subject
                == "a")
        #expect(
            try await verifier.verify(token(claims, header: #"{"alg":"ES256","kid":"k2"}"#, signer: try await signer()))
                == .failure(.unknownKey("k2")))
        // The JWK says ES256: the same key named for RS256 is the algorithm's fault.
        #expect(
            try await verifier.verify(token(claims, header: #"{"alg":"RS256","kid":"k1"}"#, signer: nil))
                == .failure(.algorithmNotAllowed("the key k1 does not verify RS256")))
    }

    @Test func everyKeyWithoutAKidIsTriedSoAKeyCanRollOver() async throws {
        let old = ES256PrivateKey()
        var keys = try await KeyLoader.pem(old.publicKey.pemRepresentation)
        keys = keys.merged(with: try await KeyLoader.pem(privateKey.publicKey.pemRepresentation))
        let set = try KeySet(upstream: "unioo", fixed: keys, source: nil, tls: .init(), loop: nil) { _, _ in }
        let verifier = TokenVerifier(keys: set, policy: TokenPolicy())
        // Signed by the second file's key, with and without a kid no key has.
        let claims = #"{"sub":"new","exp":\#(now + 60)}"#
        #expect(try await verifier.verify(token(claims, signer: try await signer())).get().subject == "new")
        #expect(
            try await verifier.verify(token(claims, header: #"{"alg":"ES256","kid":"rotated"}"#, signer: try await signer())).get().subject
                == "new")
    }

    @Test func aJWKSKeepsTheKeysItCanUseAndSaysWhichItSkipped() async throws {
        let parameters = try #require(privateKey.publicKey.parameters)
        let document = """
            {"keys":[
              {"kty":"oct","kid":"shared","k":"c2VjcmV0"},
              {"kty":"EC","crv":"P-256","kid":"enc","use":"enc","x":"\(parameters.x)","y":"\(parameters.y)"},
              {"kty":"EC","crv":"P-256","kid":"wrap","key_ops":["wrapKey"],"x":"\(parameters.x)","y":"\(parameters.y)"},
              {"kty":"EC","crv":"P-256","kid":"sig","use":"sig","x":"\(parameters.x)","y":"\(parameters.y)"}
            ]}
            """
        let keys = try await KeyLoader.jwks(Array(document.utf8))
        #expect(keys.count == 1)
        #expect(keys.skipped.count == 3)
        #expect(keys.skipped.first?.hasPrefix("kid shared") == true)
        await #expect(throws: KeyLoader.Failure.self) { try await KeyLoader.jwks(Array(#"{"keys":[{"kty":"oct","k":"eA"}]}"#.utf8)) }
    }

    @Test func aClaimThatIsNotADateIsMalformed() async throws {
        let verifier = try await verifier()
        let signer = try await signer()
        for claims in [#"{"exp":"tomorrow"}"#, #"{"exp":\#(now + 60),"nbf":"now"}"#] {
            guard case .failure(.malformed) = try await verifier.verify(token(claims, signer: signer)) else {
                Issue.record("\(claims) must be refused as malformed")
                continue
            }
        }
    }

    @Test func base64urlIsDecodedStrictly() {
        func decode(_ text: String) -> [UInt8]? { Base64URLDecoding.decode(ArraySlice(text.utf8)) }
        #expect(decode("") == [])
        #expect(decode("Zg") == Array("f".utf8))
        #expect(decode("Zm8") == Array("fo".utf8))
        #expect(decode("Zm9v") == Array("foo".utf8))
        #expect(decode("-_8") == [0xFB, 0xFF])
        #expect(decode("Zh") == nil)  // low bits set: not the canonical encoding of "f"
        #expect(decode("Zm9vY") == nil)  // 4n+1 characters
        #expect(decode("Zm+v") == nil)  // the standard alphabet is not base64url
        #expect(decode("Zm8=") == nil)  // no padding in a JWS
    }

    /// A JWKS holding the public half of `key` as kid `k1`.
    private static func jwks(_ key: ES256PrivateKey) throws -> String {
        let parameters = key.publicKey.parameters!
        return #"{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","alg":"ES256","x":"\#(parameters.x)","y":"\#(parameters.y)"}]}"#
    }
}
