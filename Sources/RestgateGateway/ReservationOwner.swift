import Synchronization

/// Who holds a reservation: a random number drawn once per process and a count, so no two
/// requests of any replica write the same running record, without a `getrandom` system call
/// per request.
enum ReservationOwner {
    private static let base: UInt64 = {
        var generator = SystemRandomNumberGenerator()
        return generator.next()
    }()
    private static let count = Atomic<UInt64>(0)

    static func next() -> UInt64 {
        base &+ count.wrappingAdd(1, ordering: .relaxed).newValue
    }
}
