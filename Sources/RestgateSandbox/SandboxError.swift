import RestgateHTTP
import RestgateJSON
import RestgateServer

/// An error a sandbox resolver throws: its message as a real upstream words it, and the
/// `extensions.code` it carries (nil where the real API sends none, as for quota errors).
struct SandboxError: Error, CustomStringConvertible, Sendable {
    let message: String
    let code: String?

    init(_ message: String, code: String? = nil) {
        self.message = message
        self.code = code
    }

    var description: String { message }

    static func notFound(_ thing: String, _ id: String) -> SandboxError {
        SandboxError("\(thing) with id (\(id)) not found", code: "NOT_FOUND")
    }
}
