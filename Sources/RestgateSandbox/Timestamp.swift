import Foundation
import RestgateHTTP
import RestgateJSON
import RestgateServer

enum Timestamp {
    static func now() -> String {
        var formatter = Date.ISO8601FormatStyle()
        formatter.timeZone = TimeZone(identifier: "UTC")!
        return Date().formatted(formatter)
    }
}
