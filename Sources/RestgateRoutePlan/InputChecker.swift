import RestgateHTTP
package import RestgateJSON

/// Checks a JSON value against a GraphQL input type before any upstream call, collecting one
/// problem per mistake with an exact JSON pointer: unknown fields, wrong types, missing
/// required fields, bad enum values and malformed UUIDs.
package struct InputChecker {
    package init() {}

    package private(set) var problems: [ProblemError] = []
    /// Whether problems were found past `maxProblems`, where the walk stopped: a body made of
    /// half a million mistakes costs no more than a hundred.
    package private(set) var isFull = false
    package static let maxProblems = Problem.maxErrors
    /// The pointer tokens down to the value being checked; joined only for a problem.
    private var path: [String] = []

    package mutating func check(
        _ value: JSONValue?, against shape: InputShape, in shapes: InputShapes, excluding excluded: Set<String> = []
    ) {
        path.removeAll(keepingCapacity: true)
        visit(value, shape, shapes, excluding: excluded)
    }

    private var pointer: String { path.isEmpty ? "" : "/" + path.joined(separator: "/") }

    /// Records a problem unless `maxProblems` are already recorded.
    package mutating func record(_ problem: ProblemError) {
        guard problems.count < Self.maxProblems else {
            isFull = true
            return
        }
        problems.append(problem)
    }

    private mutating func visit(_ value: JSONValue?, _ shape: InputShape, _ shapes: InputShapes, excluding excluded: Set<String>) {
        guard !isFull else { return }
        if case .nonNull(let inner) = shape {
            guard let value, !value.isNull else {
                add("\(describe) is required.", code: "REQUIRED")
                return
            }
            visit(value, inner, shapes, excluding: excluded)
            return
        }
        guard let value, !value.isNull else { return }
        switch shape {
        case .nonNull: return
        case .list(let inner):
            guard case .array(let items) = value else { return wrongType(expected: "an array") }
            for (index, item) in items.enumerated() {
                guard !isFull else { return }
                path.append(String(index))
                visit(item, inner, shapes, excluding: [])
                path.removeLast()
            }
        case .object(let name):
            guard case .object(let members) = value else { return wrongType(expected: "an object") }
            guard let object = shapes.objects[name] else { return }
            for member in members where object.index[member.key] == nil || excluded.contains(member.key) {
                guard !isFull else { return }
                path.append(Self.escape(member.key))
                add("\(describe) is not a field of \(name).", code: "UNKNOWN_FIELD")
                path.removeLast()
            }
            for field in object.fields where !excluded.contains(field.name) {
                let given = members.first { $0.key == field.name }?.value
                if given == nil, field.hasDefault { continue }
                // An optional field left out or null has nothing to check: most of an input
                // type's fields, on most requests.
                if given?.isNull ?? true, !field.shape.isNonNull { continue }
                path.append(field.pointerToken)
                visit(given, field.shape, shapes, excluding: [])
                path.removeLast()
            }
        case .enumeration(_, let names):
            guard let text = value.string, names.contains(text) else {
                return wrongType(expected: "one of \(names.joined(separator: ", "))")
            }
        case .scalar(let name):
            checkScalar(value, name)
        }
    }

    private mutating func checkScalar(_ value: JSONValue, _ name: String) {
        switch (name, value) {
        case ("String", .string), ("DateTime", .string), ("Time", .string), ("ID", .string), ("Boolean", .bool):
            return
        case ("ID", .number(let text)) where !text.contains(".") && !text.contains("e") && !text.contains("E"):
            return
        case ("Int", .number(let text)):
            if let number = Int(text), number >= Int(Int32.min), number <= Int(Int32.max) { return }
            wrongType(expected: "a 32-bit integer")
        case ("Float", .number):
            return
        case ("UUID", .string(let text)):
            if UUIDText.isValid(text) { return }
            add("\(describe) must be a UUID.", code: "INVALID_FORMAT")
        case ("String", _), ("DateTime", _), ("Time", _), ("UUID", _): wrongType(expected: "a string")
        case ("ID", _): wrongType(expected: "a string")
        case ("Boolean", _): wrongType(expected: "true or false")
        case ("Int", _), ("Float", _): wrongType(expected: "a number")
        default: return
        }
    }

    private mutating func wrongType(expected: String) {
        add("\(describe) must be \(expected).", code: "WRONG_TYPE")
    }

    private mutating func add(_ message: String, code: String) {
        record(ProblemError(message: message, field: pointer, code: code))
    }

    private var describe: String {
        path.isEmpty ? "The body" : "'\(pointer)'"
    }

    /// RFC 6901: `~` and `/` in a member name are escaped in a pointer. Byte by byte: a
    /// `/` followed by a combining mark is one Character, which a Character-wise replacement
    /// would pass over (the fuzzer found it), leaving a pointer that names another member.
    package static func escape(_ name: String) -> String {
        guard name.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return name }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count + 4)
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "~"): bytes.append(contentsOf: [UInt8(ascii: "~"), UInt8(ascii: "0")])
            case UInt8(ascii: "/"): bytes.append(contentsOf: [UInt8(ascii: "~"), UInt8(ascii: "1")])
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
