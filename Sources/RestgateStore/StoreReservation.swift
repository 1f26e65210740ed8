/// What `reserve` found.
public enum StoreReservation: Sendable, Equatable {
    case reserved
    case existing([UInt8])
}
