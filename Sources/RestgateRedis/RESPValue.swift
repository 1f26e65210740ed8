/// A Redis reply (RESP2): what a command answers.
public enum RESPValue: Sendable, Equatable {
    case simple(String)
    case error(String)
    case integer(Int64)
    case bulk([UInt8]?)
    case array([RESPValue]?)

    /// The command's arguments as a RESP array of bulk strings.
    static func command(_ arguments: [[UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16 + arguments.reduce(0) { $0 + $1.count + 16 })
        bytes.append(UInt8(ascii: "*"))
        bytes += String(arguments.count).utf8
        bytes += [13, 10]
        for argument in arguments {
            bytes.append(UInt8(ascii: "$"))
            bytes += String(argument.count).utf8
            bytes += [13, 10]
            bytes += argument
            bytes += [13, 10]
        }
        return bytes
    }
}
