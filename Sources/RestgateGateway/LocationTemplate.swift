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
        names = parts.compactMap { part in
            if case .member(let name) = part { return name }
            return nil
        }
    }

    /// The path with each member's value percent-encoded; nil when a member has no value.
    /// `member(index, name)` is asked in the order of `names`.
    func fill(_ member: (Int, String) -> String?) -> String? {
        var result = ""
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
