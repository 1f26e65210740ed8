import RestgateHTTP

/// One entry of a problem's `errors` list.
public struct ProblemError: Sendable, Equatable {
    public var message: String
    /// A JSON pointer into the request body.
    public var field: String?
    /// A path into the upstream's answer.
    public var path: String?
    public var code: String

    public init(message: String, field: String? = nil, path: String? = nil, code: String) {
        self.message = message
        self.field = field
        self.path = path
        self.code = code
    }
}
