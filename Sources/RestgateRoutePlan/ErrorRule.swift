import Foundation
import RestgateHTTP
public import RestgateJSON

/// A route-file rule that turns upstream GraphQL errors into one problem: by the error's
/// message (a regular expression) and/or its `extensions.code`. Captures fill `$1`… in
/// `members` and `field`.
public struct ErrorRule: Sendable, Codable {
    public var line: Int
    public var messagePattern: String?
    public var extensionCode: String?
    public var problem: ProblemCode
    /// Members added to the problem (`quotaPeriod: $1`).
    public var members: [(name: String, template: String)]
    /// One `errors` entry per matching upstream error, with this JSON pointer template.
    public var field: String?
    public var retryAfterSeconds: Int?

    package init(
        line: Int, messagePattern: String?, extensionCode: String?, problem: ProblemCode, members: [(name: String, template: String)],
        field: String?, retryAfterSeconds: Int?
    ) {
        self.line = line
        self.messagePattern = messagePattern
        self.extensionCode = extensionCode
        self.problem = problem
        self.members = members
        self.field = field
        self.retryAfterSeconds = retryAfterSeconds
    }
    /// The `$n` captures of `message` when the rule matches the error, else nil.
    package func match(message: String, code: String?) -> [String]? {
        if let extensionCode, code != extensionCode { return nil }
        guard let messagePattern else { return extensionCode == nil ? nil : [message] }
        guard let regex = try? Regex(messagePattern), let found = try? regex.wholeMatch(in: message) else { return nil }
        return (0..<found.output.count).map { index in found.output[index].substring.map(String.init) ?? "" }
    }

    package static func fill(_ template: String, _ captures: [String]) -> String {
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

extension ErrorRule {
    private enum CodingKeys: String, CodingKey {
        case line, messagePattern, extensionCode, problem, members, field, retryAfterSeconds
    }

    /// One `members` entry in the route plan: a labelled tuple is not Codable.
    private struct Member: Codable {
        let name: String
        let template: String
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        line = try container.decode(Int.self, forKey: .line)
        messagePattern = try container.decodeIfPresent(String.self, forKey: .messagePattern)
        extensionCode = try container.decodeIfPresent(String.self, forKey: .extensionCode)
        problem = try container.decode(ProblemCode.self, forKey: .problem)
        members = try container.decode([Member].self, forKey: .members).map { ($0.name, $0.template) }
        field = try container.decodeIfPresent(String.self, forKey: .field)
        retryAfterSeconds = try container.decodeIfPresent(Int.self, forKey: .retryAfterSeconds)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(line, forKey: .line)
        try container.encodeIfPresent(messagePattern, forKey: .messagePattern)
        try container.encodeIfPresent(extensionCode, forKey: .extensionCode)
        try container.encode(problem, forKey: .problem)
        try container.encode(members.map { Member(name: $0.name, template: $0.template) }, forKey: .members)
        try container.encodeIfPresent(field, forKey: .field)
        try container.encodeIfPresent(retryAfterSeconds, forKey: .retryAfterSeconds)
    }
}
