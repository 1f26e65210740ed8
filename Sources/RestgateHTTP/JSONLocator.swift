/// One step of a path into a JSON document.
public enum JSONPathStep: Sendable, Equatable {
    case member(String)
    case element(Int)
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
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) -> [Range<Int>?] in
            var parser = JSONParser(buffer)
            var found = [Range<Int>?](repeating: nil, count: paths.count)
            parser.skipWhitespace()
            try parser.skip(depth: 0, paths: paths, matched: 0, live: Array(paths.indices), found: &found)
            parser.skipWhitespace()
            guard parser.index == buffer.count else { throw parser.failure("unexpected data after the JSON value") }
            return found
        }
    }

    /// Skips one value, recording where it lies for every path in `live` (those whose first
    /// `matched` steps led here) that ends here, and descending for those that go deeper.
    private mutating func skip(depth: Int, paths: [[JSONPathStep]], matched: Int, live: [Int], found: inout [Range<Int>?])
        throws(JSONParseError)
    {
        guard depth < Self.maxDepth else { throw failure("nesting deeper than \(Self.maxDepth)") }
        guard index < bytes.count else { throw failure("unexpected end of input") }
        let start = index
        let deeper = live.filter { paths[$0].count > matched }
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
        for path in live where paths[path].count == matched { found[path] = start..<index }
    }

    private mutating func skipObject(depth: Int, paths: [[JSONPathStep]], matched: Int, live: [Int], found: inout [Range<Int>?])
        throws(JSONParseError)
    {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        var seen: Set<String> = []
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a member name") }
            let keyStart = index
            try skipString()
            var next: [Int] = []
            for path in live {
                guard case .member(let name) = paths[path][matched], found[path] == nil, !seen.contains(name) else { continue }
                if try keyEquals(name, from: keyStart) { next.append(path) }
            }
            for path in next { if case .member(let name) = paths[path][matched] { seen.insert(name) } }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            index += 1
            skipWhitespace()
            try skip(depth: depth + 1, paths: paths, matched: matched + 1, live: next, found: &found)
            if try closes("}", "object") { return }
        }
    }

    private mutating func skipArray(depth: Int, paths: [[JSONPathStep]], matched: Int, live: [Int], found: inout [Range<Int>?])
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
            let next = live.filter { paths[$0][matched] == .element(position) }
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
        if !raw.contains(UInt8(ascii: "\\")) { return raw.elementsEqual(name.utf8) }
        var copy = JSONParser(bytes)
        copy.index = start
        return try copy.string() == name
    }
}
