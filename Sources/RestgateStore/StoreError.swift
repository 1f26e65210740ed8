/// The store could not answer: unreachable, timed out, or answered something unexpected.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
