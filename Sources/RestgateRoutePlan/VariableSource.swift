import RestgateHTTP
import RestgateJSON

/// Where a GraphQL variable's value comes from in a REST request.
public indirect enum VariableSource: Sendable, Equatable, Codable {
    /// A path template parameter, checked against `format`.
    case path(String, format: ValueFormat)
    /// A query-string parameter (absent means the variable is left out).
    case query(String, format: ValueFormat)
    /// A request header's value.
    case header(String)
    /// The JSON body as an object, with `merge` members added from other sources
    /// (`PATCH /invitations/{id}`: the body plus `invitationId` from the path).
    case body(merge: [String: VariableSource])
    /// An object built from other sources (`{invitationId: <path id>}`).
    case object([String: VariableSource])
    /// A claim of the verified token, by dotted path (`sub`, `erp.customer`).
    case claim([String])

    /// Whether the source reads the request body, itself or in a member.
    package var readsBody: Bool {
        switch self {
        case .body: true
        case .object(let fields): fields.values.contains(where: \.readsBody)
        default: false
        }
    }

    /// Whether the source reads a claim of the verified token, itself or in a member.
    package var readsClaim: Bool {
        switch self {
        case .claim: true
        case .body(let merge): merge.values.contains(where: \.readsClaim)
        case .object(let fields): fields.values.contains(where: \.readsClaim)
        default: false
        }
    }

    /// The query parameters the source reads, with their formats.
    package var queryParameters: [(name: String, format: ValueFormat)] {
        switch self {
        case .query(let name, let format): [(name, format)]
        case .body(let merge): merge.values.flatMap(\.queryParameters)
        case .object(let fields): fields.values.flatMap(\.queryParameters)
        default: []
        }
    }

    /// The format of path parameter `name` when the source reads it.
    package func pathFormat(_ name: String) -> ValueFormat? {
        switch self {
        case .path(let parameter, let format): parameter == name ? format : nil
        case .body(let merge): merge.values.lazy.compactMap { $0.pathFormat(name) }.first
        case .object(let fields): fields.values.lazy.compactMap { $0.pathFormat(name) }.first
        default: nil
        }
    }
}
