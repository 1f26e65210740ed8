import RestgateGzip
import RestgateHTTP
package import RestgateJSON
import RestgateRuntime

/// One GraphQL operation as a route sends it.
public struct GraphQLOperation: Sendable {
    public let document: String
    public let operationName: String?
    /// Mutations are never sent twice; queries may be retried on a fresh connection.
    public let isMutation: Bool
    /// The request body up to the variables' value, `{"query":"…","variables":`, escaped once
    /// here rather than on every call (a route's document is a kilobyte or more).
    package let bodyPrefix: [UInt8]

    public init(document: String, operationName: String? = nil, isMutation: Bool) {
        self.document = document
        self.operationName = operationName
        self.isMutation = isMutation
        var json = JSONWriter()
        json.beginObject()
        json.member("query", document)
        if let operationName { json.member("operationName", operationName) }
        json.key("variables")
        bodyPrefix = json.bytes
    }

    /// The whole request body for `variables`.
    package func body(variables: JSONValue) -> [UInt8] {
        var json = JSONWriter()
        variables.write(to: &json)
        var body = bodyPrefix
        body.reserveCapacity(bodyPrefix.count + json.bytes.count + 1)
        body.append(contentsOf: json.bytes)
        body.append(UInt8(ascii: "}"))
        return body
    }
}
