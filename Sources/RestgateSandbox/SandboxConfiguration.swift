import RestgateHTTP
import RestgateJSON
import RestgateServer

/// Settings of the sandbox upstreams.
public struct SandboxConfiguration: Sendable {
    public var invitationsPerMonth = 10
    public var invitationsPerWeek = 5
    public var tokenLifetimeSeconds = 3600
    /// Invitations kept at most: past it, the oldest draft makes room for a new one.
    public var maxInvitations = 10_000

    public init() {}
}
