import RestgateTestSupport
import Testing

@testable import RestgateGzip
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer

/// The byte-level list and whitespace helpers agree with RFC 9110 §5.6.1 and with the
/// allocating `listElements`.
@Suite struct HTTPHeadersTests {
    private func headers(_ lines: String) -> HTTPHeaders { parsedHeaders(lines) }

    @Test func listElementsAreFoundWhateverTheirCaseSpacingAndField() {
        let connection = headers("Connection: Keep-Alive ,\tUpgrade\r\nconnection: , ,close\r\n")
        #expect(connection.hasListElement("connection", "keep-alive"))
        #expect(connection.hasListElement("Connection", "UPGRADE"))
        #expect(connection.hasListElement("connection", "close"))
        #expect(!connection.hasListElement("connection", "keep"))
        #expect(!connection.hasListElement("connection", "alive"))
        #expect(!connection.hasListElement("connection", ""))
        #expect(!connection.hasListElement("upgrade", "close"))
        for token in ["keep-alive", "upgrade", "close", "te"] {
            #expect(connection.hasListElement("connection", token) == connection.listElements("connection").contains(token))
        }
        #expect(!headers("Connection:\r\n").hasListElement("connection", "close"))
        #expect(headers("Connection: close\r\n").hasListElement("connection", "close"))
    }

    /// Every lookup goes through one matcher: names compare ignoring ASCII case only, a name
    /// of another length or a prefix never matches, and repeated fields keep their order.
    @Test func lookupsMatchWholeNamesIgnoringCaseInOrder() {
        let fields = headers("X-Tag: one\r\nx-tag: two\r\nX-Tags: three\r\nX-Ta: four\r\nY-Tag: five\r\n")
        #expect(fields["x-TAG"] == "one")
        #expect(fields.values("X-Tag") == ["one", "two"])
        #expect(fields.count(of: "x-tag") == 2)
        #expect(fields.values("x-tags") == ["three"])
        #expect(fields["x-ta"] == "four")
        #expect(fields["x-t"] == nil)
        #expect(!fields.contains("x-tagz"))
        #expect(fields.contains("HOST"))
        #expect(fields.values("absent").isEmpty)
        #expect(fields.count(of: "absent") == 0)
    }

    @Test func bytesAreAppendedAsTheirUTF8() {
        for text in ["", "a", ": ", "fifteen chars..", "sixteen chars...", "é ünïcödé 🚀", String(repeating: "long ", count: 40)] {
            var bytes: [UInt8] = [1]
            bytes.appendUTF8(text)
            #expect(bytes == [1] + Array(text.utf8))
        }
        var literal: [UInt8] = []
        literal.appendLiteral("HTTP/1.1 ")
        literal.appendLiteral("")
        #expect(literal == Array("HTTP/1.1 ".utf8))
    }

    @Test func trimmingRemovesOnlySpacesAndTabsAtTheEnds() {
        #expect(Substring(" \t a b \t").trimmingWhitespace() == "a b")
        #expect(Substring(" \t ").trimmingWhitespace() == "")
        #expect(Substring("").trimmingWhitespace() == "")
        #expect(Substring("é ").trimmingWhitespace() == "é")
        #expect(Substring("\u{A0}x\u{A0}").trimmingWhitespace() == "\u{A0}x\u{A0}")
    }
}
