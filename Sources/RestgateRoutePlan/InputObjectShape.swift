import RestgateHTTP
import RestgateJSON

/// One input object's fields in schema order, with their JSON-pointer spelling.
package struct InputObjectShape: Sendable, Codable, Equatable {
    package struct Field: Sendable, Codable, Equatable {
        package let name: String
        /// The name as a JSON pointer token (RFC 6901: `~` is `~0`, `/` is `~1`).
        package let pointerToken: String
        package let shape: InputShape
        package let hasDefault: Bool

        package init(name: String, shape: InputShape, hasDefault: Bool) {
            self.name = name
            self.pointerToken = InputChecker.escape(name)
            self.shape = shape
            self.hasDefault = hasDefault
        }

        /// The one rule for "required", shared by the body check and the OpenAPI document.
        package var isRequired: Bool { shape.isNonNull && !hasDefault }
    }

    package let name: String
    package let fields: [Field]
    package let index: [String: Int]

    package init(name: String, fields: [Field]) {
        self.name = name
        self.fields = fields
        self.index = Dictionary(fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
