import RestgateGzip
import RestgateHTTP
public import RestgateJSON
import RestgateRuntime

/// A GraphQL answer: `data` and `errors` as the upstream sent them (both may be present).
public struct GraphQLResponse: Sendable {
    public var status: Int
    public var data: JSONValue?
    public var errors: [JSONValue]
    /// The value at the path the call selected, as the upstream wrote it, when the answer has
    /// one that is not null and carries no `errors`; `data` is then left unparsed (nil).
    public var selected: [UInt8]?
    /// Where each of the selection's `members` lies in `selected`, if present.
    public var selectedMembers: [Range<Int>?]

    public init(status: Int, data: JSONValue?, errors: [JSONValue], selected: [UInt8]? = nil, selectedMembers: [Range<Int>?] = []) {
        self.status = status
        self.data = data
        self.errors = errors
        self.selected = selected
        self.selectedMembers = selectedMembers
    }
}
