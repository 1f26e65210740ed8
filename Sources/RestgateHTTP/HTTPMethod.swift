/// A request method; the common ones are constants so that parsing them allocates nothing.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible, Codable {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public static let get = HTTPMethod(rawValue: "GET")
    public static let head = HTTPMethod(rawValue: "HEAD")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let patch = HTTPMethod(rawValue: "PATCH")
    public static let delete = HTTPMethod(rawValue: "DELETE")
    public static let options = HTTPMethod(rawValue: "OPTIONS")
    public static let connect = HTTPMethod(rawValue: "CONNECT")
    public static let trace = HTTPMethod(rawValue: "TRACE")

    private static let known: [HTTPMethod] = [.get, .post, .patch, .put, .head, .delete, .options, .connect, .trace]

    package init(bytes: UnsafeBufferPointer<UInt8>) {
        for method in Self.known where method.rawValue.utf8.elementsEqual(bytes) {
            self = method
            return
        }
        self.init(rawValue: String(decoding: bytes, as: UTF8.self))
    }

    public var description: String { rawValue }
}
