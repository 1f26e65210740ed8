import CLinux
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Something the loop hands readiness events to: a listener, a connection, later an upstream
/// socket. Handlers live on one loop and are only ever called on its thread.
package protocol EventHandler: AnyObject {
    func handleEvents(_ events: UInt32)
}
