import CZlib

public enum GzipError: Error, Equatable, Sendable {
    case corrupt
    case tooLarge
}
