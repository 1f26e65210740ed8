import Foundation
public import RestgateHTTP

/// A route-file rule that turns upstream GraphQL errors into one problem: by the error's
/// message (a regular expression) and/or its `extensions.code`. Captures fill `$1`… in
/// `members` and `field`.
public struct ErrorRule: Sendable {
    public var line: Int
    public var messagePattern: String?
    public var extensionCode: String?
    public var problem: ProblemCode
    /// Members added to the problem (`quotaPeriod: $1`).
    public var members: [(name: String, template: String)]
    /// One `errors` entry per matching upstream error, with this JSON pointer template.
    public var field: String?
    public var retryAfterSeconds: Int?

    /// The `$n` captures of `message` when the rule matches the error, else nil.
    func match(message: String, code: String?) -> [String]? {
        if let extensionCode, code != extensionCode { return nil }
        guard let messagePattern else { return extensionCode == nil ? nil : [message] }
        guard let regex = try? Regex(messagePattern), let found = try? regex.wholeMatch(in: message) else { return nil }
        return (0..<found.output.count).map { index in found.output[index].substring.map(String.init) ?? "" }
    }

    static func fill(_ template: String, _ captures: [String]) -> String {
        var result = template
        for (index, capture) in captures.enumerated().reversed() { result = result.replacingAll("$\(index)", with: capture) }
        return result
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
