import RestgateHTTP
import RestgateJSON

/// How a path or query value is read and checked before any upstream call.
public enum ValueFormat: String, Sendable, Equatable, Codable {
    case string
    case uuid
    case int
}
