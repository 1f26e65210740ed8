import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime

/// `X-Request-ID` values: a client's is kept when it is short and plain, so it can go into
/// logs and upstream requests unchanged; otherwise the server makes a UUID-shaped one.
public enum RequestID {
    public static let maxLength = 128

    public static func isAcceptable(_ value: String) -> Bool {
        let bytes = value.utf8
        guard !bytes.isEmpty, bytes.count <= maxLength else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                "-_.:+/=@".utf8.contains(byte)
            }
        }
    }
}
