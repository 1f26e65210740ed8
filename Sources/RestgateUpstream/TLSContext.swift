import COpenSSL
import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime

/// One `SSL_CTX` per upstream client, shared by its connections on every loop (OpenSSL makes
/// a context safe to share once it is set up), with client-side session caching on.
///
/// `@unchecked Sendable`: the context is configured in `init` and only read afterwards.
package final class TLSContext: @unchecked Sendable {
    package let context: OpaquePointer

    package init(configuration: TLSConfiguration) throws(UpstreamError) {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw .tls("SSL_CTX_new: \(TLSContext.lastError())") }
        // Owned by `self` (and freed by deinit) only once set up: freeing it here on failure
        // after assigning it would free it twice.
        _ = restgate_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION)
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        _ = restgate_SSL_CTX_set_session_cache_mode(context, Int(SSL_SESS_CACHE_CLIENT))
        // Partial writes of a buffer that may move between calls (Swift arrays can).
        _ = restgate_SSL_CTX_set_mode(context, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER))
        let loaded: Int32
        if let caFile = configuration.caFile {
            loaded = SSL_CTX_load_verify_locations(context, caFile, nil)
        } else {
            loaded = SSL_CTX_set_default_verify_paths(context)
        }
        guard loaded == 1 else {
            SSL_CTX_free(context)
            throw .tls("cannot load CA certificates\(configuration.caFile.map { " from \($0)" } ?? ""): \(TLSContext.lastError())")
        }
        self.context = context
    }

    deinit {
        SSL_CTX_free(context)
    }

    /// The oldest queued OpenSSL error as text (and the queue cleared), for error messages.
    package static func lastError() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "no detail" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
