import Testing

@testable import RestgateGateway

/// The JWT shape check reads eight bytes at a time; these hold it to the plain definition
/// (three non-empty base64url parts, none of length 4n+1) byte value by byte value.
@Suite struct BearerTokenTests {
    /// The definition, one byte at a time, as the fast check must answer.
    private func plainIsJWT(_ bytes: [UInt8]) -> Bool {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return parts.count == 3
            && parts.allSatisfy { part in
                !part.isEmpty && part.count % 4 != 1 && part.allSatisfy(ByteClassForBase64URL.contains)
            }
    }

    private func fastIsJWT(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { BearerToken.isJWT(bytes: $0) }
    }

    @Test func everyByteValueInEveryLaneIsJudgedAsTheDefinitionJudgesIt() {
        // Parts of 20 bytes: two full words and a tail, so each position is tried in a word
        // and in the tail.
        let part = Array("abcdefghijKLMNOPQR09".utf8)
        for value in 0...255 {
            for position in 0..<part.count {
                var middle = part
                middle[position] = UInt8(value)
                let token = part + [UInt8(ascii: ".")] + middle + [UInt8(ascii: ".")] + part
                #expect(fastIsJWT(token) == plainIsJWT(token), "byte \(value) at \(position)")
            }
        }
    }

    @Test func theShapeRulesHold() {
        for (text, expected) in [
            ("aaaa.bbbb.cccc", true), ("aa-_.b9.Zz", true), ("a.bb.cc", false), ("aa.bb", false), ("aa.bb.cc.dd", false),
            ("aa..cc", false), (".bb.cc", false), ("aa.bb.", false), ("", false), ("aa.b+.cc", false), ("aa.bb.c=", false),
            (String(repeating: "A", count: 64) + ".eyJzdWIiOiIxIn0." + String(repeating: "z", count: 43), true),
        ] {
            #expect(fastIsJWT(Array(text.utf8)) == expected, "\(text)")
            #expect(plainIsJWT(Array(text.utf8)) == expected, "\(text)")
        }
    }

    @Test func theCheckReadsOnlyTheTokensBytes() {
        // The bytes after the token are not base64url: a check that read a word past its end
        // would refuse a good token, and a dot past its end must not count either.
        let storage = Array("aaaa.bbbb.cccccccccc!!!!!!!!.dddd".utf8)
        storage.withUnsafeBufferPointer { all in
            #expect(BearerToken.isJWT(bytes: UnsafeBufferPointer(rebasing: all[0..<20])))
            #expect(BearerToken.isJWT(bytes: UnsafeBufferPointer(rebasing: all[0..<18])))
            #expect(!BearerToken.isJWT(bytes: UnsafeBufferPointer(rebasing: all[0..<11])))
            #expect(!BearerToken.isJWT(bytes: UnsafeBufferPointer(rebasing: all[0..<21])))
        }
    }

    /// The header check over bytes and the token as a `Substring` find the same credentials.
    @Test func theSchemeIsReadAlikeFromBytesAndFromAString() {
        let cases: [(String, String?)] = [
            ("Bearer aa.bb.cc", "aa.bb.cc"), ("bearer   aa.bb.cc  ", "aa.bb.cc"), ("\tBEARER aa.bb.cc", "aa.bb.cc"),
            ("Bearer \taa.bb.cc\t", "aa.bb.cc"), ("Bearer", nil), ("Bearer ", nil), ("Bearer\taa.bb.cc", nil),
            ("Beareraa.bb.cc", nil), ("Basic aa.bb.cc", nil), ("", nil), ("Bearer é.bb.cc", "é.bb.cc"),
        ]
        for (value, expected) in cases {
            #expect(BearerToken.token(in: value).map(String.init) == expected, "\(value)")
            let range = Array(value.utf8).withUnsafeBufferPointer { BearerToken.tokenRange(in: $0) }
            #expect(range.map { String(decoding: Array(value.utf8)[$0], as: UTF8.self) } == expected, "\(value)")
        }
    }
}
