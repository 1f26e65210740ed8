public import RestgateJSON

/// A token whose signature and claims passed: what later stages may rely on.
public struct VerifiedToken: Sendable, Equatable {
    /// The `sub` claim, when it is a string.
    public let subject: String?
    /// Who the client is, for the keys of its stored answers and its rate-limit budget: the
    /// subject, put after its issuer (`iss`, and a NUL) when the verifier accepts tokens of any
    /// issuer. A subject is unique only within its issuer (RFC 7519 §4.1.2), so two issuers'
    /// "erp-batch" are two clients; with one issuer pinned the subject alone says it.
    public let client: String?
    /// The whole payload, for claims as variables and rate-limit keys.
    public let claims: JSONValue
    /// Until when it is good: `exp` plus the leeway, seconds since the epoch.
    public let expiresAt: Int64

    public init(subject: String?, claims: JSONValue, expiresAt: Int64, issuerPinned: Bool = true) {
        self.subject = subject
        client = subject.map { subject in
            guard !issuerPinned, let issuer = claims["iss"]?.string else { return subject }
            return issuer + "\u{0}" + subject
        }
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
