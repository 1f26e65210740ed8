public import RestgateStore

/// A Redis command as RESP bytes (an array of bulk strings), written argument by argument into
/// one buffer: no array per argument, and numbers and key names go straight in.
public struct RESPCommand: Sendable {
    public private(set) var bytes: [UInt8] = []

    /// `arguments`: how many follow; `capacity`: roughly the bytes they take.
    public init(arguments: Int, capacity: Int = 64) {
        bytes.reserveCapacity(capacity + 16 * arguments + 16)
        bytes.append(UInt8(ascii: "*"))
        appendDecimal(arguments)
        appendLineEnd()
    }

    /// A command of arguments that are bytes already.
    public init(_ arguments: [[UInt8]]) {
        self.init(arguments: arguments.count, capacity: arguments.reduce(0) { $0 + $1.count })
        for argument in arguments { append(argument) }
    }

    public mutating func append(_ argument: some Collection<UInt8>) {
        header(argument.count)
        bytes += argument
        appendLineEnd()
    }

    public mutating func append(_ word: StaticString) {
        header(word.utf8CodeUnitCount)
        word.withUTF8Buffer { bytes += $0 }
        appendLineEnd()
    }

    /// A number in decimal, as Redis takes counts and milliseconds.
    public mutating func append(decimal value: Int) {
        header(Self.digits(value))
        appendDecimal(value)
        appendLineEnd()
    }

    /// The key's name on Redis (`StoreKey.redisKey`), written in place.
    public mutating func append(key: StoreKey) {
        header(key.redisKeyLength)
        key.appendRedisKey(to: &bytes)
        appendLineEnd()
    }

    private mutating func header(_ length: Int) {
        bytes.append(UInt8(ascii: "$"))
        appendDecimal(length)
        appendLineEnd()
    }

    private mutating func appendLineEnd() {
        bytes.append(13)
        bytes.append(10)
    }

    private mutating func appendDecimal(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let count = Self.digits(value) - (value < 0 ? 1 : 0)
        let end = bytes.count + count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        var index = end
        repeat {
            index -= 1
            bytes[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
    }

    /// Characters of `value` in decimal, its sign included.
    private static func digits(_ value: Int) -> Int {
        var magnitude = value.magnitude
        var count = value < 0 ? 2 : 1
        while magnitude >= 10 {
            magnitude /= 10
            count += 1
        }
        return count
    }
}
