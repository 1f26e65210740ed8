/// What an epoll registration carries back with each event: the descriptor and the id of the
/// registration. A descriptor number is reused as soon as it is closed; an event already
/// fetched for the old registration then carries an id the new one does not have, and the
/// loop drops it instead of handing it to the wrong connection (swift-nio tags its
/// registrations the same way).
package struct RegistrationTag: Equatable, Sendable {
    package let descriptor: Int32
    package let id: UInt32

    package init(descriptor: Int32, id: UInt32) {
        self.descriptor = descriptor
        self.id = id
    }

    package init(rawValue: UInt64) {
        descriptor = Int32(bitPattern: UInt32(truncatingIfNeeded: rawValue))
        id = UInt32(truncatingIfNeeded: rawValue >> 32)
    }

    package var rawValue: UInt64 { UInt64(id) << 32 | UInt64(UInt32(bitPattern: descriptor)) }
}
