import RestgateHTTP
import RestgateJSON

/// The OpenAPI document as served, both spellings rendered once.
public struct OpenAPIText: Sendable, Equatable {
    public let json: [UInt8]
    public let yaml: [UInt8]

    public init(json: [UInt8], yaml: [UInt8]) {
        self.json = json
        self.yaml = yaml
    }
}
