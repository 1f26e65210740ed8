/// An extra top-level member that problems of one code carry (`quotaPeriod`), with the JSON
/// Schema the OpenAPI document gives it.
public struct ProblemMember: Sendable, Codable, Equatable {
    public let name: String
    public let schema: JSONValue

    public init(name: String, schema: JSONValue) {
        self.name = name
        self.schema = schema
    }
}
