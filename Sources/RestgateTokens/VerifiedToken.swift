public import RestgateJSON

/// A token whose signature and claims passed: what later stages may rely on.
public struct VerifiedToken: Sendable, Equatable {
    /// The `sub` claim, when it is a string.
    public let subject: String?
    /// The whole payload, for claims as variables and rate-limit keys.
    public let claims: JSONValue
    /// Until when it is good: `exp` plus the leeway, seconds since the epoch.
    public let expiresAt: Int64

    public init(subject: String?, claims: JSONValue, expiresAt: Int64) {
        self.subject = subject
        self.claims = claims
        self.expiresAt = expiresAt
    }

    /// The claim at a dotted path (`erp.customer`): members of nested objects.
    public func claim(_ path: [String]) -> JSONValue? {
        var value: JSONValue? = claims
        for step in path { value = value?[step] }
        return value
    }
}
