import Testing

@testable import RestgateRedis

@Suite struct RESPParserTests {
    private func parse(_ text: String) -> RESPParser.Outcome {
        RESPParser.parse(Array(text.utf8)[...])
    }

    @Test func readsEveryReplyType() {
        #expect(parse("+OK\r\n") == .value(.simple("OK"), consumed: 5))
        #expect(parse("-ERR no\r\n") == .value(.error("ERR no"), consumed: 9))
        #expect(parse(":42\r\n") == .value(.integer(42), consumed: 5))
        #expect(parse("$3\r\nabc\r\n") == .value(.bulk(Array("abc".utf8)), consumed: 9))
        #expect(parse("$-1\r\n") == .value(.bulk(nil), consumed: 5))
        #expect(parse("*2\r\n:1\r\n$1\r\nx\r\n") == .value(.array([.integer(1), .bulk([UInt8(ascii: "x")])]), consumed: 15))
        #expect(parse("*-1\r\n") == .value(.array(nil), consumed: 5))
    }

    @Test func waitsForTheRestOfASplitReply() {
        for text in ["", "+O", "+OK\r", "$3\r\nab", "$3\r\nabc\r", "*2\r\n:1\r\n"] { #expect(parse(text) == .needMoreData) }
    }

    @Test func refusesWhatIsNotRESP() {
        for text in ["?x\r\n", ":x\r\n", "$-2\r\n", "$3\r\nabcd\r\n", "$99999999999\r\n"] {
            guard case .invalid = parse(text) else {
                Issue.record("accepted \(text.debugDescription)")
                continue
            }
        }
        guard case .invalid = parse(String(repeating: "*1\r\n", count: 20) + ":1\r\n") else {
            Issue.record("accepted nesting past the bound")
            return
        }
    }

    @Test func writesCommandsAsBulkArrays() {
        #expect(
            String(decoding: RESPValue.command([Array("GET".utf8), Array("k".utf8)]), as: UTF8.self) == "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
    }

    @Test func readsRedisURLs() {
        let full = RedisConfiguration(url: "redis://app:p%40ss@cache.internal:6380/3")
        #expect(full?.host == "cache.internal" && full?.port == 6380 && full?.database == 3)
        #expect(full?.user == "app" && full?.password == "p@ss")
        #expect(RedisConfiguration(url: "redis://localhost")?.port == 6379)
        #expect(RedisConfiguration(url: "redis://localhost")?.usesTLS == false)
        #expect(RedisConfiguration(url: "rediss://cache.internal:6380")?.usesTLS == true)
        #expect(RedisConfiguration(url: "rediss://cache.internal:6380")?.port == 6380)
        #expect(RedisConfiguration(url: "http://localhost") == nil)
        #expect(RedisConfiguration(url: "redis://:6379") == nil)
        #expect(RedisConfiguration(url: "redis://host/x") == nil)
    }
}
