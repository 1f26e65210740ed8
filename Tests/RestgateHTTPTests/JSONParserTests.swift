import RestgateTestSupport
import Testing

@testable import RestgateGzip
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func documentsParseWithMemberOrderAndExactNumbers() throws {
        let value = try parse(
            #" {"b": [1, -0.5e+3, 12345678901234567890], "a": {"t": true, "f": false, "n": null}, "s": "x\"\\\/\n\u00e6\ud83d\ude00"} "#)
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["b", "a", "s"])
        #expect(value["b"] == .array([.number("1"), .number("-0.5e+3"), .number("12345678901234567890")]))
        #expect(value["a"]?["n"] == .null)
        #expect(value["s"]?.string == "x\"\\/\næ😀")
        #expect(
            String(decoding: value.bytes, as: UTF8.self)
                == #"{"b":[1,-0.5e+3,12345678901234567890],"a":{"t":true,"f":false,"n":null},"s":"x\"\\/\næ😀"}"#)
    }

    @Test(arguments: [
        "", "{", "[1,]", #"{"a":1,}"#, "01", "1.", "-", "1e", ".5", "tru", "nul", #""\x""#, "\"\u{1}\"", #""\ud800""#, #""\udc00x""#,
        "[1] 2", "{a:1}", "'x'", "[" + String(repeating: "[", count: 200) + String(repeating: "]", count: 201),
    ])
    func malformedDocumentsAreRefused(text: String) {
        #expect(throws: JSONParseError.self) { try parse(text) }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }
}
