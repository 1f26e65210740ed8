import Foundation
import GraphQL
import OrderedCollections
import RestgateHTTP

/// Checks a JSON value against a GraphQL input type before any upstream call, collecting one
/// problem per mistake with an exact JSON pointer: unknown fields, wrong types, missing
/// required fields, bad enum values and malformed UUIDs.
struct InputChecker {
    var problems: [ProblemError] = []

    mutating func check(_ value: JSONValue?, against type: any GraphQLInputType, at pointer: String, excluding excluded: Set<String> = []) {
        if let nonNull = type as? GraphQLNonNull {
            guard let value, !value.isNull else {
                problems.append(ProblemError(message: "\(Self.describe(pointer)) is required.", field: pointer, code: "REQUIRED"))
                return
            }
            if let inner = nonNull.ofType as? any GraphQLInputType { check(value, against: inner, at: pointer, excluding: excluded) }
            return
        }
        guard let value, !value.isNull else { return }
        if let list = type as? GraphQLList {
            guard case .array(let items) = value else {
                wrongType(pointer, expected: "an array")
                return
            }
            if let inner = list.ofType as? any GraphQLInputType {
                for (index, item) in items.enumerated() { check(item, against: inner, at: "\(pointer)/\(index)") }
            }
        } else if let object = type as? GraphQLInputObjectType {
            guard case .object(let members) = value else {
                wrongType(pointer, expected: "an object")
                return
            }
            let fields = (try? object.fields()) ?? [:]
            for member in members where fields[member.key] == nil || excluded.contains(member.key) {
                let at = "\(pointer)/\(Self.escape(member.key))"
                problems.append(
                    ProblemError(message: "\(Self.describe(at)) is not a field of \(object.name).", field: at, code: "UNKNOWN_FIELD"))
            }
            for (name, field) in fields where !excluded.contains(name) {
                let given = members.first { $0.key == name }?.value
                if given == nil, field.defaultValue != nil { continue }
                check(given, against: field.type, at: "\(pointer)/\(Self.escape(name))")
            }
        } else if let enumeration = type as? GraphQLEnumType {
            let names = enumeration.values.map(\.name)
            guard let text = value.string, names.contains(text) else {
                wrongType(pointer, expected: "one of \(names.joined(separator: ", "))")
                return
            }
        } else if let scalar = type as? GraphQLScalarType {
            checkScalar(value, scalar.name, at: pointer)
        }
    }

    private mutating func checkScalar(_ value: JSONValue, _ name: String, at pointer: String) {
        switch (name, value) {
        case ("String", .string), ("DateTime", .string), ("Time", .string), ("ID", .string), ("Boolean", .bool):
            return
        case ("ID", .number(let text)) where !text.contains(".") && !text.contains("e") && !text.contains("E"):
            return
        case ("Int", .number(let text)):
            if let number = Int(text), number >= Int(Int32.min), number <= Int(Int32.max) { return }
            wrongType(pointer, expected: "a 32-bit integer")
        case ("Float", .number):
            return
        case ("UUID", .string(let text)):
            if UUIDText.isValid(text) { return }
            problems.append(ProblemError(message: "\(Self.describe(pointer)) must be a UUID.", field: pointer, code: "INVALID_FORMAT"))
        case ("String", _), ("DateTime", _), ("Time", _), ("UUID", _): wrongType(pointer, expected: "a string")
        case ("ID", _): wrongType(pointer, expected: "a string")
        case ("Boolean", _): wrongType(pointer, expected: "true or false")
        case ("Int", _), ("Float", _): wrongType(pointer, expected: "a number")
        default: return
        }
    }

    private mutating func wrongType(_ pointer: String, expected: String) {
        problems.append(ProblemError(message: "\(Self.describe(pointer)) must be \(expected).", field: pointer, code: "WRONG_TYPE"))
    }

    private static func describe(_ pointer: String) -> String {
        pointer.isEmpty ? "The body" : "'\(pointer)'"
    }

    /// RFC 6901: `~` and `/` in a member name are escaped in a pointer.
    static func escape(_ name: String) -> String {
        name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}

enum UUIDText {
    /// 8-4-4-4-12 hexadecimal digits, any case.
    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                let isHex =
                    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
                guard isHex else { return false }
            }
        }
        return true
    }
}
