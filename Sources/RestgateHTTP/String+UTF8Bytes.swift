extension String {
    /// Calls `body` with the string's UTF-8 bytes, borrowed. `withUTF8` is mutating, so using it
    /// on a parameter or a `let` means copying the string first: a retain and a release each
    /// time, and the hot path asks for bytes this way dozens of times a request. Every native
    /// string (all of them on Linux) is contiguous; the copy is the fallback.
    @inlinable
    package func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
