import RestgateHTTP
import RestgateJSON

/// A GraphQL input type as plain data, built once by the route compiler: what request bodies
/// are checked against and what the OpenAPI request schemas are generated from, so both read
/// one shape and one rule for "required" (non-null without a default).
package indirect enum InputShape: Sendable, Codable, Equatable {
    case nonNull(InputShape)
    case list(InputShape)
    /// An input object, by name in `InputShapes` (input objects may refer to themselves).
    case object(String)
    case enumeration(name: String, values: [String])
    case scalar(String)

    package var isNonNull: Bool {
        if case .nonNull = self { return true }
        return false
    }
}
