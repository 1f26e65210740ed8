/// The forms a request target may take (RFC 9112 §3.2).
public enum RequestTarget {
    /// Splits a target into its path and query; absolute-form targets are reduced to their path.
    package static func split(_ target: String) -> (path: String, query: String?) {
        var rest = Substring(target)
        let lowered = target.prefix(8).lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            let afterScheme = rest[rest.index(rest.firstIndex(of: ":")!, offsetBy: 3)...]
            if let slash = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) {
                rest = afterScheme[slash...]
                if rest.first == "?" { return ("/", String(rest.dropFirst())) }
            } else {
                return ("/", nil)
            }
        }
        guard let question = rest.firstIndex(of: "?") else { return (String(rest), nil) }
        return (String(rest[..<question]), String(rest[rest.index(after: question)...]))
    }

    /// Whether a target is one this server answers: origin-form, absolute-form with an
    /// http(s) scheme, or `*` for OPTIONS. A fragment is never part of a request target.
    package static func isAcceptable(_ target: String, method: HTTPMethod) -> Bool {
        if target.utf8.contains(UInt8(ascii: "#")) { return false }
        if target == "*" { return method == .options }
        if target.utf8.first == UInt8(ascii: "/") { return true }
        let lowered = target.prefix(8).lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
    }
}
