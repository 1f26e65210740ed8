import COpenSSL
import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime

/// How an https upstream is trusted. Verification of the chain and of the host name is on by
/// default and cannot be turned off by configuration.
public struct TLSConfiguration: Sendable, Equatable {
    /// A PEM file of trusted CA certificates; nil means the system's store.
    public var caFile: String?

    public init(caFile: String? = nil) {
        self.caFile = caFile
    }
}
