import Testing

@testable import RestgateRedis
@testable import RestgateStore

/// The command writer against RESP spelled out plainly: `*N`, then `$LEN` and the bytes of
/// each argument, every line ended by CRLF.
@Suite struct RESPCommandTests {
    private func plain(_ arguments: [[UInt8]]) -> [UInt8] {
        var text = Array("*\(arguments.count)\r\n".utf8)
        for argument in arguments { text += Array("$\(argument.count)\r\n".utf8) + argument + [13, 10] }
        return text
    }

    @Test(arguments: [0, 1, 9, 10, 99, 100, 86_400_000, -1, -10, Int.max, Int.min + 1])
    func numbersAreDecimalBulkStrings(value: Int) {
        var command = RESPCommand(arguments: 2)
        command.append("PX")
        command.append(decimal: value)
        #expect(command.bytes == plain([Array("PX".utf8), Array(String(value).utf8)]))
    }

    @Test func keysWordsAndBytesAreWrittenInPlace() {
        let key = StoreKey(namespace: "idempotency", digest: [UInt8](0..<32).map { $0 &* 37 })
        let value = [UInt8](0...255) + [UInt8](repeating: 13, count: 1000)
        var command = RESPCommand(arguments: 6)
        command.append("SET")
        command.append(key: key)
        command.append(value)
        command.append("NX")
        command.append("PX")
        command.append(decimal: 1500)
        #expect(key.redisKey.count == key.redisKeyLength)
        #expect(command.bytes == plain([Array("SET".utf8), key.redisKey, value, Array("NX".utf8), Array("PX".utf8), Array("1500".utf8)]))
        #expect(RESPCommand([]).bytes == Array("*0\r\n".utf8))
        #expect(RESPValue.command([[], [1]]) == plain([[], [1]]))
    }
}
