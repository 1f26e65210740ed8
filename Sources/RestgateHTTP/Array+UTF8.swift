extension Array where Element == UInt8 {
    /// Appends `text`'s UTF-8 bytes as one buffer copy. `append(contentsOf: text.utf8)` takes
    /// the generic path for the small strings most header names and values are (about 170
    /// instructions each, some forty times a request).
    package mutating func appendUTF8(_ text: String) {
        text.withUTF8Bytes { append(contentsOf: $0) }
    }

    /// Appends a literal's bytes, straight from the binary.
    package mutating func appendLiteral(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }
}
