import Foundation
import GraphQL
import OrderedCollections
import RestgateHTTP
import RestgateJSON
import RestgateServer
import Synchronization

/// What a resolver sees besides its arguments: who is calling, and a place for the errors a
/// real upstream reports "without throwing" (several at once beside a null field).
final class SandboxContext: Sendable {
    let subject: String?
    private let collected = Mutex<[(field: String, error: SandboxError)]>([])

    init(subject: String?) {
        self.subject = subject
    }

    /// Errors of the root field `field` that do not throw (its value becomes null).
    func report(_ errors: [SandboxError], field: String) {
        collected.withLock { $0.append(contentsOf: errors.map { (field, $0) }) }
    }

    var reported: [(field: String, error: SandboxError)] { collected.withLock { $0 } }
}
