import RestgateHTTP

/// Entity tags (RFC 9110 §8.8.3) and `If-None-Match` (§13.1.2): a strong tag made from a body,
/// and the weak comparison that `If-None-Match` uses, over a list or `*`.
enum EntityTag {
    /// `"` + the first 16 bytes of the body's SHA-256 in hex + `"`.
    static func strong(for body: [UInt8]) -> String {
        "\"" + Digest.sha256Hex(body).prefix(32) + "\""
    }

    /// Whether any tag of the `If-None-Match` field values matches `tag` by weak comparison
    /// (`W/` ignored on both sides), or the field is `*`. A malformed member matches nothing.
    static func noneMatch(_ values: [String], current tag: String) -> Bool {
        let current = opaque(Substring(tag))
        for value in values {
            for member in value.split(separator: ",") {
                let trimmed = member.trimmingWhitespace()
                if trimmed == "*" { return true }
                if let candidate = opaque(trimmed), candidate == current { return true }
            }
        }
        return false
    }

    /// The quoted part of a tag, without `W/`; nil when it is not `"…"`.
    private static func opaque(_ tag: Substring) -> Substring? {
        let body = tag.hasPrefix("W/") ? tag.dropFirst(2) : tag
        guard body.count >= 2, body.first == "\"", body.last == "\"" else { return nil }
        return body
    }
}
