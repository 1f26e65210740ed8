package import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// A thin wrapper over one epoll instance (level-triggered: interest is changed explicitly
/// when a connection pauses reading or waits to write, which keeps the state easy to follow).
package struct Epoll: ~Copyable {
    package let descriptor: Int32

    package init() throws(SystemError) {
        let fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard fd >= 0 else { throw SystemError("epoll_create1") }
        descriptor = fd
    }

    deinit {
        close(descriptor)
    }

    package func add(_ fd: Int32, interest: IOInterest, tag: RegistrationTag) throws(SystemError) {
        try control(EPOLL_CTL_ADD, fd, interest, tag)
    }

    package func modify(_ fd: Int32, interest: IOInterest, tag: RegistrationTag) throws(SystemError) {
        try control(EPOLL_CTL_MOD, fd, interest, tag)
    }

    package func remove(_ fd: Int32) {
        var event = epoll_event()
        _ = epoll_ctl(descriptor, EPOLL_CTL_DEL, fd, &event)
    }

    private func control(_ operation: Int32, _ fd: Int32, _ interest: IOInterest, _ tag: RegistrationTag) throws(SystemError) {
        var event = epoll_event()
        event.events = interest.rawValue
        event.data.u64 = tag.rawValue
        guard epoll_ctl(descriptor, operation, fd, &event) == 0 else {
            throw SystemError("epoll_ctl")
        }
    }

    /// Waits for events; EINTR counts as "no events" so a signal never escapes as an error.
    package func wait(into events: UnsafeMutableBufferPointer<epoll_event>, timeoutMilliseconds: Int32) -> Int {
        let count = epoll_wait(descriptor, events.baseAddress, Int32(events.count), timeoutMilliseconds)
        return count < 0 ? 0 : Int(count)
    }
}
