/// Told of every GraphQL call when it ends (metrics, tracing). Called on the call's event
/// loop, on the request's path: it must be quick and must not block.
public protocol GraphQLCallObserver: Sendable {
    func observe(_ record: GraphQLCallRecord)
}
