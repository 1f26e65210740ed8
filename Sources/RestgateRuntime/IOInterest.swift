import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// The interest a file descriptor is registered with.
package struct IOInterest: OptionSet, Sendable {
    package let rawValue: UInt32

    package init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    package static let read = IOInterest(rawValue: EPOLLIN.rawValue | EPOLLRDHUP.rawValue)
    package static let write = IOInterest(rawValue: EPOLLOUT.rawValue)
    package static let readWrite = IOInterest(rawValue: read.rawValue | write.rawValue)
    package static let none: IOInterest = []
}
