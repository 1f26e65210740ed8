/// A route's `location:` template (`/invitations/{id}`), split once when the route is made
/// into literal text and the names of the resource's members that fill it, so that each
/// answer only joins the parts.
struct LocationTemplate: Sendable {
    private enum Part: Sendable {
        case literal(String)
        case member(String)
    }

    private let parts: [Part]
    /// The member names, in the template's order (every `{name}`, whole path segment or not).
    let names: [String]
    /// The length of the literal parts together.
    private let literalBytes: Int

    init(_ template: String) {
        var parts: [Part] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            if open > rest.startIndex { parts.append(.literal(String(rest[..<open]))) }
            parts.append(.member(String(rest[rest.index(after: open)..<close])))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        self.parts = parts
        literalBytes = parts.reduce(0) { total, part in
            if case .literal(let text) = part { return total + text.utf8.count }
            return total
        }
        names = parts.compactMap { part in
            if case .member(let name) = part { return name }
            return nil
        }
    }

    /// The path with each member's value percent-encoded, after `origin` (scheme and
    /// authority) when there is one; nil when a member has no value. `member(index, name)`
    /// is asked in the order of `names`. Built in one string with room for the usual answer:
    /// appending part by part to an empty one reallocated it at every part.
    func fill(origin: (scheme: String, authority: String)? = nil, _ member: (Int, String) -> String?) -> String? {
        var result = ""
        result.reserveCapacity((origin.map { $0.scheme.utf8.count + 3 + $0.authority.utf8.count } ?? 0) + literalBytes + 40)
        if let origin {
            result += origin.scheme
            result += "://"
            result += origin.authority
        }
        var index = 0
        for part in parts {
            switch part {
            case .literal(let text): result += text
            case .member(let name):
                guard let value = member(index, name) else { return nil }
                result += QueryString.encode(value)
                index += 1
            }
        }
        return result
    }
}
