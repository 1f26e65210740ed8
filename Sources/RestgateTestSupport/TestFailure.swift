import RestgateHTTP
import RestgateJSON
import RestgateRuntime
import RestgateServer

#if canImport(Glibc)
    import Glibc
#endif

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
