/// A Redis reply (RESP2): what a command answers.
public enum RESPValue: Sendable, Equatable {
    case simple(String)
    case error(String)
    case integer(Int64)
    case bulk([UInt8]?)
    case array([RESPValue]?)

    /// The command's arguments as a RESP array of bulk strings.
    static func command(_ arguments: [[UInt8]]) -> [UInt8] {
        RESPCommand(arguments).bytes
    }
}
