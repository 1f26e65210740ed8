import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan
import RestgateRuntime
import RestgateServer
import RestgateUpstream

enum ByteClassForBase64URL {
    static func contains(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
}
