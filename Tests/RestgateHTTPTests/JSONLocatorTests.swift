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
        // The same faults in values no path goes through (checked without the path bookkeeping).
        #"{"x":{"a":1,},"data":1}"#, #"{"x":[01],"data":1}"#, #"{"x":"\x","data":1}"#, #"{"x":[1 2],"data":1}"#,
        #"{"x":{"a" 1},"data":1}"#, #"{"x":{1:2},"data":1}"#, #"{"x":[tru],"data":1}"#, #"{"x":[1,],"data":1}"#,
        #"{"data":1,"x":{"#, #"{"data":1,"x":nul}"#,
        #"{"x":"# + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + #","data":1}"#,
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

    /// Strings are scanned eight bytes at a time: a quote, backslash, control character or
    /// non-ASCII byte at every offset of a word must end the fast scan where the parse says.
    @Test func everyStringByteMattersAtEveryOffsetOfAWord() throws {
        for length in 0..<20 {
            for special in [#"\""#, "\\n", "é", "😀", "\u{01}", "\u{1f}"] {
                for position in 0...length {
                    let text = String(repeating: "a", count: position) + special + String(repeating: "b", count: length - position)
                    let document = "{\"data\":\"" + text + "\",\"next\":1}"
                    let bytes = Array(document.utf8)
                    let parsed = Result { try JSONParser.parse(bytes) }
                    let located = Result { try JSONParser.locate([[.member("data")], [.member("next")]], in: bytes) }
                    switch (parsed, located) {
                    case (.success(let tree), .success(let found)):
                        let range = try #require(found[0])
                        #expect(try JSONParser.parse(Array(bytes[range])) == tree["data"], "\(document)")
                        #expect(found[1].map { Array(bytes[$0]) } == Array("1".utf8), "\(document)")
                    case (.failure, .failure): break
                    default: Issue.record("parse and locate disagree on \(document)")
                    }
                }
            }
        }
    }
}
