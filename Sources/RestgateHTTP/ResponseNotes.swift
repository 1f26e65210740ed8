/// What the stages learned while answering, for the stages outside them and the access log;
/// never sent to the client.
public struct ResponseNotes: Sendable {
    /// The template of the route that answered (`/invitations/{id}`); nil when none matched.
    public var route: String?
    /// The problem code of a problem answer (`INVALID_REQUEST`).
    public var problemCode: String?
    /// The trace and span of the request's SERVER span, when a trace is recorded.
    public var traceID: String?
    public var spanID: String?
    /// For a 304: the size and type of the body a 200 would have carried, so that the coding
    /// policy treats both alike (`Vary`, and the weak tag of a gzipped representation).
    public var notModifiedBody: (bytes: Int, contentType: String?)?

    public init() {}
}
