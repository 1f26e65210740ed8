import RestgateTestSupport
import Testing

@testable import RestgateGzip
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer

@Suite("JSONParser.locate")
struct JSONLocatorTests {
    static let documents = [
        #"{"data":{"a":{"id":"x","n":[1,2.5e3,-0,{"k":null}]},"b":[{"id":"first"},{"id":"second"}]}}"#,
        #"{"data":{"a":1,"a":2},"errors":[{"message":"m"}]}"#,
        #"{"d\u0061ta":{"a":"\u00e9\ud83d\ude00\n"},"data":{"a":false}}"#,
        #" { "data" : { "a" : [ ] , "b" : [ [ 1 ] , "t" ] } } "#,
        #"{"data":{"a":"é 😀","b/c~d":true}}"#,
        #"[{"data":1}]"#, #""data""#, "null",
    ]
    static let paths: [[JSONPathStep]] = [
        [.member("data")], [.member("data"), .member("a")], [.member("data"), .member("b"), .element(1)],
        [.member("data"), .member("b"), .element(0), .member("id")], [.member("data"), .member("a"), .member("n"), .element(3)],
        [.member("errors")], [.element(0), .member("data")], [.member("data"), .member("b/c~d")], [.member("missing")],
    ]

    /// For every document and path, the located bytes parse to what the tree holds there.
    @Test(arguments: documents) func agreesWithTheParsedTree(_ text: String) throws {
        let bytes = Array(text.utf8)
        let tree = try JSONParser.parse(bytes)
        let found = try JSONParser.locate(Self.paths, in: bytes)
        for (path, range) in zip(Self.paths, found) {
            let expected = tree.value(at: path)
            let located = try range.map { try JSONParser.parse(Array(bytes[$0])) }
            #expect(located == expected, "\(path) in \(text)")
        }
    }

    /// It refuses exactly what the parser refuses.
    @Test(arguments: [
        #"{"data":{"a":1,}}"#, #"{"data":[01]}"#, #"{"data":"\x"}"#, #"{"data":"\ud800"}"#, "{\"data\":\"\u{01}\"}",
        #"{"data":1} x"#, #"{"data":tru}"#, #"{"data" 1}"#, #"[1 2]"#, "", #"{"a":"unterminated}"#,
        String(repeating: "[", count: 200) + String(repeating: "]", count: 200),
    ])
    func refusesWhatTheParserRefuses(_ text: String) {
        let bytes = Array(text.utf8)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
        #expect(throws: JSONParseError.self) { try JSONParser.locate([[.member("data")]], in: bytes) }
    }

    @Test func refusesInvalidUTF8InAStringItPasses() {
        let bytes = Array(#"{"data":{"a":""#.utf8) + [0xC3, 0x28] + Array(#""}}"#.utf8)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
        #expect(throws: JSONParseError.self) { try JSONParser.locate([[.member("data")]], in: bytes) }
    }
}
