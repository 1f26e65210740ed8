import RestgateGateway
import RestgateHTTP
import RestgateJSON
import RestgateRouteCompiler
import RestgateRoutePlan
import RestgateRuntime
import RestgateServer
import RestgateUpstream

#if canImport(Glibc)
    import Glibc
#endif

/// SIGTERM, SIGINT and SIGHUP, blocked in every thread and taken by `sigwait` on the main
/// thread, so a drain or a reload starts from ordinary code rather than from a signal handler.
struct Signals {
    private var set = sigset_t()

    /// Must run before any other thread starts: threads inherit the mask they are born with.
    static func blockTermination() -> Signals {
        var signals = Signals()
        sigemptyset(&signals.set)
        sigaddset(&signals.set, SIGTERM)
        sigaddset(&signals.set, SIGINT)
        sigaddset(&signals.set, SIGHUP)
        pthread_sigmask(SIG_BLOCK, &signals.set, nil)
        return signals
    }

    /// Blocks until SIGTERM or SIGINT arrives and returns its number; each SIGHUP before it
    /// runs `onHangUp`.
    func wait(onHangUp: () -> Void = {}) -> Int32 {
        var set = self.set
        while true {
            var received: Int32 = 0
            sigwait(&set, &received)
            guard received == SIGHUP else { return received }
            onHangUp()
        }
    }
}
