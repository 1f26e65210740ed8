import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan
import RestgateRuntime
import RestgateServer
import RestgateUpstream

/// Values taken from a path template's `{name}` segments.
public struct PathParameters: Sendable {
    var values: [String: String] = [:]

    public subscript(name: String) -> String? { values[name] }
}
