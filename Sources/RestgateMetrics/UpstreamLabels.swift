/// The labels of one upstream-call series: upstream, operation and outcome, all from the
/// route table or a fixed set.
struct UpstreamLabels: Hashable, Sendable {
    var upstream: String
    var operation: String
    var outcome: String

    var pairs: [(String, String)] { [("upstream", upstream), ("graphql_operation", operation), ("outcome", outcome)] }
}
