import RestgateHTTP

#if canImport(Glibc)
    import Glibc
#endif

extension JSONValue {
    /// The value at `path` in a parsed document, as `JSONParser.locate` finds it in bytes.
    public func value(at path: [JSONPathStep]) -> JSONValue? {
        var current: JSONValue? = self
        for step in path {
            switch step {
            case .member(let name): current = current?[name]
            case .element(let index): current = current?.array.flatMap { $0.indices.contains(index) ? $0[index] : nil }
            }
        }
        return current
    }
}

extension JSONParser {
    /// Checks the whole document as strictly as `parse` and returns where the value at each
    /// path lies in `bytes` (nil for a path that is absent), without building any value.
    /// A member name matches its first occurrence, as `JSONValue`'s subscript does.
    ///
    /// The gateway uses it to pass an upstream's answer through: the resource a route returns
    /// is copied out of the answer as it came instead of being parsed into a tree and written
    /// again, which was a fifth of a request's CPU (bench/RESULTS.md).
    public static func locate(_ paths: [[JSONPathStep]], in bytes: [UInt8]) throws(JSONParseError) -> [Range<Int>?] {
        precondition(paths.count <= maxPaths, "JSONParser.locate takes at most \(maxPaths) paths")
        return try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) -> [Range<Int>?] in
            var parser = JSONParser(buffer)
            var found = [Range<Int>?](repeating: nil, count: paths.count)
            parser.skipWhitespace()
            try parser.skip(depth: 0, paths: paths, matched: 0, live: PathSet(first: paths.count), found: &found)
            parser.skipWhitespace()
            guard parser.index == buffer.count else { throw parser.failure("unexpected data after the JSON value") }
            return found
        }
    }

    /// The most paths one `locate` follows: the paths still live at a value are a bit set, so
    /// skipping a value allocates nothing.
    public static let maxPaths = UInt64.bitWidth

    /// Indices into `paths`, as the bits of one word.
    package struct PathSet: Sequence, IteratorProtocol {
        private(set) var bits: UInt64 = 0

        package init() {}

        /// Paths 0..<count.
        package init(first count: Int) {
            bits = count == 0 ? 0 : UInt64.max >> (UInt64.bitWidth - count)
        }

        package mutating func insert(_ path: Int) { bits |= 1 << path }

        package mutating func subtract(_ other: PathSet) { bits &= ~other.bits }

        /// The lowest path left, removed.
        package mutating func next() -> Int? {
            guard bits != 0 else { return nil }
            defer { bits &= bits - 1 }
            return bits.trailingZeroBitCount
        }
    }

    /// Skips one value, recording where it lies for every path in `live` (those whose first
    /// `matched` steps led here) that ends here, and descending for those that go deeper.
    private mutating func skip(depth: Int, paths: [[JSONPathStep]], matched: Int, live: PathSet, found: inout [Range<Int>?])
        throws(JSONParseError)
    {
        guard depth < Self.maxDepth else { throw failure("nesting deeper than \(Self.maxDepth)") }
        guard index < bytes.count else { throw failure("unexpected end of input") }
        let start = index
        var deeper = PathSet()
        var ending = PathSet()
        for path in live {
            if paths[path].count > matched { deeper.insert(path) } else { ending.insert(path) }
        }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            try skipObject(depth: depth, paths: paths, matched: matched, live: deeper, found: &found)
        case UInt8(ascii: "["):
            try skipArray(depth: depth, paths: paths, matched: matched, live: deeper, found: &found)
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): _ = try expect("true", .null)
        case UInt8(ascii: "f"): _ = try expect("false", .null)
        case UInt8(ascii: "n"): _ = try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try number()
        default: throw failure("unexpected character")
        }
        for path in ending { found[path] = start..<index }
    }

    private mutating func skipObject(depth: Int, paths: [[JSONPathStep]], matched: Int, live: PathSet, found: inout [Range<Int>?])
        throws(JSONParseError)
    {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        // A path matches the first member of its name only: once matched here, it is done here.
        var unmatched = live
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a member name") }
            let keyStart = index
            try skipString()
            var next = PathSet()
            for path in unmatched {
                guard case .member(let name) = paths[path][matched], found[path] == nil else { continue }
                if try keyEquals(name, from: keyStart) { next.insert(path) }
            }
            unmatched.subtract(next)
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            index += 1
            skipWhitespace()
            try skip(depth: depth + 1, paths: paths, matched: matched + 1, live: next, found: &found)
            if try closes("}", "object") { return }
        }
    }

    private mutating func skipArray(depth: Int, paths: [[JSONPathStep]], matched: Int, live: PathSet, found: inout [Range<Int>?])
        throws(JSONParseError)
    {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return
        }
        var position = 0
        while true {
            skipWhitespace()
            var next = PathSet()
            for path in live where paths[path][matched] == .element(position) { next.insert(path) }
            try skip(depth: depth + 1, paths: paths, matched: matched + 1, live: next, found: &found)
            position += 1
            if try closes("]", "array") { return }
        }
    }

    /// Checks a string as `string()` does; only one with escapes or non-ASCII bytes is
    /// decoded (and so allocated).
    private mutating func skipString() throws(JSONParseError) {
        let start = index
        index += 1
        index = plainRunEnd(from: index)
        var ascii = true
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 {
            ascii = ascii && bytes[index] < 0x80
            index += 1
        }
        if ascii, index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            index += 1
            return
        }
        index = start
        _ = try string()
    }

    /// Whether the member name starting at `start` (its opening quote) is `name`.
    private func keyEquals(_ name: String, from start: Int) throws(JSONParseError) -> Bool {
        let raw = UnsafeBufferPointer(rebasing: bytes[(start + 1)..<(index - 1)])
        guard let base = raw.baseAddress, !raw.isEmpty else { return name.isEmpty }
        if memchr(base, Int32(UInt8(ascii: "\\")), raw.count) == nil {
            // Most names differ in length; the rest are compared as bytes.
            guard raw.count == name.utf8.count else { return false }
            return name.withUTF8Bytes { utf8 in memcmp(utf8.baseAddress!, base, raw.count) == 0 }
        }
        var copy = JSONParser(bytes)
        copy.index = start
        return try copy.string() == name
    }
}

/// One step of a path into a JSON document.
public enum JSONPathStep: Sendable, Equatable {
    case member(String)
    case element(Int)
}
