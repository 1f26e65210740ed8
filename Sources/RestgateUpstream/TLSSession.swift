import COpenSSL
import RestgateGzip
import RestgateHTTP
import RestgateJSON
import RestgateRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// The TLS state of one connection, over its non-blocking socket: OpenSSL reads and writes
/// the descriptor itself, and "want read" / "want write" become epoll interest.
package final class TLSSession {
    package enum Outcome {
        case done(Int)
        case wantRead
        case wantWrite
        /// The peer ended the session with close_notify (or, on plain TCP, closed).
        case closed
        /// The peer closed the connection without close_notify.
        case truncated
        case failed(String)
    }

    private let ssl: OpaquePointer

    package init(context: TLSContext, descriptor: Int32, host: String, resuming session: OpaquePointer?) throws(UpstreamError) {
        guard let ssl = SSL_new(context.context) else { throw .tls("SSL_new: \(TLSContext.lastError())") }
        self.ssl = ssl
        SSL_set_fd(ssl, descriptor)
        // SNI only for names, never for IP literals (RFC 6066 §3); verification covers both.
        let isAddress = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        if !isAddress { _ = restgate_SSL_set_tlsext_host_name(ssl, host) }
        guard SSL_set1_host(ssl, host) == 1 else { throw .tls("SSL_set1_host: \(TLSContext.lastError())") }
        if let session { SSL_set_session(ssl, session) }
    }

    deinit {
        SSL_free(ssl)
    }

    // OpenSSL's error queue is per thread and shared by every connection on the loop: it is
    // cleared before each call so one connection's leftover error never fails another's.
    package func handshake() -> Outcome {
        ERR_clear_error()
        return classify(SSL_connect(ssl)) { _ in 0 }
    }

    /// After a finished handshake: the chain and host-name check result, nil when trusted.
    package var verificationFailure: String? {
        let result = SSL_get_verify_result(ssl)
        guard result != X509_V_OK else { return nil }
        return String(cString: X509_verify_cert_error_string(result))
    }

    package var isResumed: Bool { SSL_session_reused(ssl) == 1 }

    /// A reference to the session for the next connection to resume (caller frees it).
    package func copySession() -> OpaquePointer? { SSL_get1_session(ssl) }

    package func write(_ buffer: UnsafeRawBufferPointer) -> Outcome {
        ERR_clear_error()
        return classify(SSL_write(ssl, buffer.baseAddress, Int32(buffer.count))) { $0 }
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer) -> Outcome {
        ERR_clear_error()
        return classify(SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))) { $0 }
    }

    /// Sends close_notify, best effort, once the handshake is done (during it OpenSSL only
    /// records an error); the socket is closed right after.
    package func shutdown() {
        if SSL_is_init_finished(ssl) == 1 { _ = SSL_shutdown(ssl) }
        ERR_clear_error()
    }

    private func classify(_ result: Int32, _ count: (Int) -> Int) -> Outcome {
        if result > 0 { return .done(count(Int(result))) }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed
        // A system error with nothing queued is either a plain EOF (errno 0) or a reset.
        case SSL_ERROR_SYSCALL where ERR_peek_error() == 0:
            let code = errno
            return code == 0 ? .truncated : .failed("connection error: errno \(code)")
        case SSL_ERROR_SSL where restgate_is_unexpected_eof() != 0:
            ERR_clear_error()
            return .truncated
        default:
            let detail = verificationFailure ?? TLSContext.lastError()
            ERR_clear_error()
            return .failed(detail)
        }
    }
}
