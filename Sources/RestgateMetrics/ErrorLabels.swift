/// The labels of one GraphQL-error series. The code comes from the upstream, so it is kept
/// only when it looks like a code (ASCII letters, digits, `_`, at most 64 characters) and while fewer than
/// `maxCodes` distinct codes were seen; anything else counts as `other`.
struct ErrorLabels: Hashable, Sendable {
    static let maxCodes = 64

    var upstream: String
    var operation: String
    var code: String

    var pairs: [(String, String)] { [("upstream", upstream), ("graphql_operation", operation), ("code", code)] }

    static func looksLikeCode(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64
            && text.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                    || $0 == UInt8(ascii: "_") || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
            }
    }
}
