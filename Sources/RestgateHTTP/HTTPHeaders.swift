/// Request header (or trailer) fields as they arrived: one byte buffer and the offsets of each
/// name and value in it. Nothing becomes a `String` until a handler asks for a value; repeated
/// fields are all kept, in order.
public struct HTTPHeaders: Sendable, RandomAccessCollection {
    package struct Field: Sendable {
        package var nameStart: Int32
        package var nameEnd: Int32
        package var valueStart: Int32
        package var valueEnd: Int32
    }

    package let storage: [UInt8]
    package let fields: [Field]

    package init(storage: [UInt8], fields: [Field]) {
        self.storage = storage
        self.fields = fields
    }

    public init() {
        self.init(storage: [], fields: [])
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { fields.count }

    public subscript(position: Int) -> (name: String, value: String) {
        let field = fields[position]
        return (string(field.nameStart, field.nameEnd), string(field.valueStart, field.valueEnd))
    }

    /// The first value of the field `name` (case-insensitive), or nil.
    public subscript(name: String) -> String? {
        withFirstValue(name) { String(decoding: $0, as: UTF8.self) }
    }

    /// Every value of the field `name`, in the order received.
    public func values(_ name: String) -> [String] {
        var values: [String] = []
        forEachField(named: name) { field in
            values.append(string(field.valueStart, field.valueEnd))
            return true
        }
        return values
    }

    /// `body` over the bytes of the first value of the field `name`, or nil when none came: a
    /// check that only reads a value need not make a `String` of it.
    public func withFirstValue<Result>(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        var found: Field?
        forEachField(named: name) { field in
            found = field
            return false
        }
        guard let found else { return nil }
        return storage.withUnsafeBufferPointer { stored in
            body(UnsafeBufferPointer(rebasing: stored[Int(found.valueStart)..<Int(found.valueEnd)]))
        }
    }

    public func contains(_ name: String) -> Bool {
        var found = false
        forEachField(named: name) { _ in
            found = true
            return false
        }
        return found
    }

    /// The field `name`'s value and how many times it came, in one pass: the first value (nil
    /// when none came) and 0, 1, or 2 for two or more.
    public func sole(_ name: String) -> (value: String?, count: Int) {
        var first: Field?
        var count = 0
        forEachField(named: name) { field in
            count += 1
            if first == nil { first = field }
            return count < 2
        }
        return (first.map { string($0.valueStart, $0.valueEnd) }, count)
    }

    public func count(of name: String) -> Int {
        var count = 0
        forEachField(named: name) { _ in
            count += 1
            return true
        }
        return count
    }

    /// The comma-separated elements of every `name` field, trimmed and lowercased
    /// (RFC 9110 §5.6.1 lists; empty elements are skipped as the RFC requires).
    public func listElements(_ name: String) -> [String] {
        values(name).flatMap { value in
            value.split(separator: ",").compactMap { element in
                let trimmed = element.trimmingWhitespace()
                return trimmed.isEmpty ? nil : trimmed.lowercased()
            }
        }
    }

    /// Whether the list header `name` has the element `token`, compared case-insensitively.
    /// Empty elements are skipped, as in `listElements`. Asked of every upstream answer
    /// (`Connection`), so it reads bytes and allocates nothing.
    public func hasListElement(_ name: String, _ token: String) -> Bool {
        var found = false
        forEachField(named: name) { field in
            var start = Int(field.valueStart)
            let end = Int(field.valueEnd)
            while start <= end {
                var stop = start
                while stop < end, storage[stop] != UInt8(ascii: ",") { stop += 1 }
                var first = start
                var last = stop
                while first < last, ByteClass.isWhitespace(storage[first]) { first += 1 }
                while last > first, ByteClass.isWhitespace(storage[last - 1]) { last -= 1 }
                if last > first, equalsIgnoringCase(first, last, token) {
                    found = true
                    return false
                }
                start = stop + 1
            }
            return true
        }
        return found
    }

    /// Calls `body` with each field named `name` (ASCII case-insensitive), in order, until it
    /// returns false. Lookups run about fifty times a request, so the name's bytes and the
    /// storage are taken once per lookup, and a field of another length is passed at once.
    private func forEachField(named name: String, _ body: (Field) -> Bool) {
        name.withUTF8Bytes { expected in
            storage.withUnsafeBufferPointer { stored in
                for field in fields where Int(field.nameEnd - field.nameStart) == expected.count {
                    let name = UnsafeBufferPointer(rebasing: stored[Int(field.nameStart)..<Int(field.nameEnd)])
                    if ByteClass.equalIgnoringCase(name, expected), !body(field) { return }
                }
            }
        }
    }

    /// The bytes `start..<end` of the storage against `text`, ignoring ASCII case.
    private func equalsIgnoringCase(_ start: Int, _ end: Int, _ text: String) -> Bool {
        guard end - start == text.utf8.count else { return false }
        return text.withUTF8Bytes { expected in
            storage.withUnsafeBufferPointer { stored in
                ByteClass.equalIgnoringCase(UnsafeBufferPointer(rebasing: stored[start..<end]), expected)
            }
        }
    }

    private func string(_ start: Int32, _ end: Int32) -> String {
        String(decoding: storage[Int(start)..<Int(end)], as: UTF8.self)
    }
}

extension HTTPHeaders {
    /// Parses one field line `bytes[start..<end]` (without its CRLF) into offsets, validating
    /// the name as a token, the value's characters, and refusing whitespace before the colon.
    package static func parseFieldLine(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int
    ) -> Result<Field, HTTPParseError> {
        if ByteClass.isWhitespace(bytes[start]) { return .failure(.obsoleteLineFolding) }
        let colon = ByteClass.tokenRunEnd(bytes, from: start, to: end)
        guard colon > start, colon < end, bytes[colon] == ByteClass.colon else {
            return .failure(.malformedHeaderField)
        }
        var valueStart = colon + 1
        while valueStart < end, ByteClass.isWhitespace(bytes[valueStart]) { valueStart += 1 }
        var valueEnd = end
        while valueEnd > valueStart, ByteClass.isWhitespace(bytes[valueEnd - 1]) { valueEnd -= 1 }
        guard Self.isFieldContent(bytes, from: valueStart, to: valueEnd) else { return .failure(.malformedHeaderField) }
        return .success(Field(nameStart: Int32(start), nameEnd: Int32(colon), valueStart: Int32(valueStart), valueEnd: Int32(valueEnd)))
    }
}

extension HTTPHeaders {
    /// Whether every byte is field content (RFC 9110 §5.5: visible, obs-text, space, tab):
    /// eight bytes at a time while none is a control character or DEL, then byte by byte.
    static func isFieldContent(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var index = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= end {
                let word = (raw + index).loadUnaligned(as: UInt64.self)
                // Bytes below 0x20 (tab among them) or equal to 0x7F; obs-text (high bit set)
                // is masked off first, so it never looks like either.
                let low = word & ~highs
                let delete = low ^ (0x7F &* ones)
                let control = (low &- 0x20 &* ones) & ~low
                let found = (control | ((delete &- ones) & ~delete)) & highs & ~word
                guard found == 0 else { break }
                index += 8
            }
        }
        while index < end {
            guard ByteClass.isFieldContent(bytes[index]) else { return false }
            index += 1
        }
        return true
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs. Reads bytes: trimming by `Character`
    /// segments graphemes, which showed in the profile for a 300-byte bearer token.
    package func trimmingWhitespace() -> Substring {
        let utf8 = self.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start != end, ByteClass.isWhitespace(utf8[start]) { start = utf8.index(after: start) }
        while end != start {
            let before = utf8.index(before: end)
            guard ByteClass.isWhitespace(utf8[before]) else { break }
            end = before
        }
        return self[start..<end]
    }
}
