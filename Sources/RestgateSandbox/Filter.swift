import GraphQL
import OrderedCollections
import RestgateHTTP
import RestgateJSON
import RestgateServer

/// `where` filters and `order` sorts over the sandbox's values, for the operators the
/// reference schema declares (eq, neq, contains, in; and/or).
enum Filter {
    static func matches(_ value: [String: any Sendable], _ filter: Map) -> Bool {
        guard let members = filter.dictionary else { return true }
        for (field, condition) in members where !condition.isNull && !condition.isUndefined {
            switch field {
            case "and": if !(condition.array ?? []).allSatisfy({ matches(value, $0) }) { return false }
            case "or": if let alternatives = condition.array, !alternatives.contains(where: { matches(value, $0) }) { return false }
            default: if !satisfies(value[field], condition) { return false }
            }
        }
        return true
    }

    private static func satisfies(_ actual: (any Sendable)?, _ condition: Map) -> Bool {
        let text = (actual as? String) ?? (actual as? Bool).map { $0 ? "true" : "false" }
        // Coerced input objects carry every member, the unspecified ones as null: skip them.
        for (operation, operand) in condition.dictionary ?? [:] where !operand.isNull && !operand.isUndefined {
            let expected = operand.string ?? operand.bool.map { $0 ? "true" : "false" }
            switch operation {
            case "eq": if text != expected { return false }
            case "neq": if text == expected { return false }
            case "contains": if let expected, !(text?.lowercased().contains(expected.lowercased()) ?? false) { return false }
            case "in": if !(operand.array ?? []).contains(where: { $0.string == text }) { return false }
            default: return false
            }
        }
        return true
    }

    static func sorted(_ items: [[String: any Sendable]], by order: Map) -> [[String: any Sendable]] {
        sorted(items, by: order) { $0 }
    }

    /// `items` sorted by `order` over the fields `fields` gives for each.
    static func sorted<Item>(_ items: [Item], by order: Map, fields: (Item) -> [String: any Sendable]) -> [Item] {
        guard let keys = order.array, !keys.isEmpty else { return items }
        return items.sorted { leftItem, rightItem in
            let left = fields(leftItem)
            let right = fields(rightItem)
            for key in keys {
                for (field, direction) in key.dictionary ?? [:] where !direction.isNull && !direction.isUndefined {
                    let a = (left[field] as? String) ?? ""
                    let b = (right[field] as? String) ?? ""
                    if a != b { return direction.string == "DESC" ? a > b : a < b }
                }
            }
            return false
        }
    }
}
