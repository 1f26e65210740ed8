#if canImport(Glibc)
    import Glibc
#endif

/// A failed system call, with the call's name and `errno`, so a log line says what to fix.
public struct SystemError: Error, CustomStringConvertible, Sendable {
    public let call: String
    public let code: Int32

    public init(_ call: String, code: Int32 = SystemError.currentErrno) {
        self.call = call
        self.code = code
    }

    public static var currentErrno: Int32 { errno }

    public var description: String {
        "\(call) failed: \(String(cString: strerror(code))) (errno \(code))"
    }
}
