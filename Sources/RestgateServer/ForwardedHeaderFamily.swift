import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime

/// Which forwarding headers a trusted proxy sets, and so the only ones believed: one family,
/// never both mixed, since a client could otherwise add the family its proxy does not touch.
public enum ForwardedHeaderFamily: String, Sendable, CaseIterable {
    /// `X-Forwarded-For`, `-Proto`, `-Host`: what nginx sets.
    case xForwarded = "x-forwarded"
    /// RFC 7239 `Forwarded`.
    case forwarded
}
