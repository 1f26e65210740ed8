/// What a verified token's claims must say for one upstream, beside its signature: `iss` and
/// `aud` when configured, `exp` always and `nbf` when present, each with `leewaySeconds` of
/// clock skew.
public struct TokenPolicy: Sendable {
    public var issuer: String?
    /// Any one of them in `aud` (a string or a list) will do; empty means `aud` is not checked.
    public var audiences: [String] = []
    public var leewaySeconds: Int64 = 30

    public init(issuer: String? = nil, audiences: [String] = [], leewaySeconds: Int64 = 30) {
        self.issuer = issuer
        self.audiences = audiences
        self.leewaySeconds = leewaySeconds
    }
}
