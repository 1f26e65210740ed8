import RestgateGzip
import RestgateHTTP
public import RestgateJSON
import RestgateRuntime

/// What a call wants back unparsed: the value at `path` under `data`, and where the `members`
/// of that value lie in it. The paths `JSONParser.locate` follows are built here, once per
/// route, not on every call.
public struct GraphQLSelection: Sendable {
    package let paths: [[JSONPathStep]]

    /// Nil when there are more members than one locate can follow (the call then parses).
    public init?(path: [JSONPathStep], members: [String] = []) {
        self.init(path: path, memberPaths: members.map { [.member($0)] })
    }

    /// Members as paths below the selected value (a list's `pageInfo.endCursor`).
    public init?(path: [JSONPathStep], memberPaths: [[JSONPathStep]]) {
        let selected = [JSONPathStep.member("data")] + path
        paths = [[.member("errors")], selected] + memberPaths.map { selected + $0 }
        guard paths.count <= JSONParser.maxPaths else { return nil }
    }
}
