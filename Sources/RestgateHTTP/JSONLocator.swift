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
        precondition(paths.count <= maxPaths, "JSONParser.locate takes at most \(maxPaths) paths")
        return try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) -> [Range<Int>?] in
            var parser = JSONParser(buffer)
            var found = [Range<Int>?](repeating: nil, count: paths.count)
            parser.skipWhitespace()
            let all: PathSet = paths.isEmpty ? 0 : PathSet.max >> (PathSet.bitWidth - paths.count)
            try parser.skip(depth: 0, paths: paths, matched: 0, live: all, found: &found)
            parser.skipWhitespace()
            guard parser.index == buffer.count else { throw parser.failure("unexpected data after the JSON value") }
            return found
        }
    }

    /// The most paths one `locate` follows: the paths still live at a value are a bit set, so
    /// skipping a value allocates nothing.
    public static let maxPaths = PathSet.bitWidth

    /// Bit i stands for `paths[i]`.
    typealias PathSet = UInt64

    /// Skips one value, recording where it lies for every path in `live` (those whose first
    /// `matched` steps led here) that ends here, and descending for those that go deeper.
    private mutating func skip(depth: Int, paths: [[JSONPathStep]], matched: Int, live: PathSet, found: inout [Range<Int>?])
        throws(JSONParseError)
    {
        guard depth < Self.maxDepth else { throw failure("nesting deeper than \(Self.maxDepth)") }
        guard index < bytes.count else { throw failure("unexpected end of input") }
        let start = index
        var deeper: PathSet = 0
        var ending: PathSet = 0
        var rest = live
        while rest != 0 {
            let path = rest.trailingZeroBitCount
            rest &= rest - 1
            if paths[path].count > matched { deeper |= 1 << path } else { ending |= 1 << path }
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
        while ending != 0 {
            found[ending.trailingZeroBitCount] = start..<index
            ending &= ending - 1
        }
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
            var next: PathSet = 0
            var candidates = unmatched
            while candidates != 0 {
                let path = candidates.trailingZeroBitCount
                candidates &= candidates - 1
                guard case .member(let name) = paths[path][matched], found[path] == nil else { continue }
                if try keyEquals(name, from: keyStart) { next |= 1 << path }
            }
            unmatched &= ~next
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
            var next: PathSet = 0
            var candidates = live
            while candidates != 0 {
                let path = candidates.trailingZeroBitCount
                candidates &= candidates - 1
                if paths[path][matched] == .element(position) { next |= 1 << path }
            }
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
