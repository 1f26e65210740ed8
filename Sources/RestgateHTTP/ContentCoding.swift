/// Response content-coding negotiation from `Accept-Encoding` (RFC 9110 §12.5.3).
public enum ContentCoding: Equatable, Sendable {
    case identity
    case gzip

    /// What the client accepts: gzip's weight and identity's, with `*` standing for any
    /// coding not named, and identity acceptable unless excluded.
    public struct Preferences: Equatable, Sendable {
        public var gzip: Double
        public var identity: Double

        public static let identityOnly = Preferences(gzip: 0, identity: 1)
        package static let implicitIdentityWeight = 0.001

        public init(gzip: Double, identity: Double) {
            self.gzip = gzip
            self.identity = identity
        }

        public init(acceptEncoding values: [String]) {
            guard !values.isEmpty else {
                self = .identityOnly
                return
            }
            if values.count == 1, let plain = Self.plainList(values[0]) {
                self = plain
                return
            }
            var gzip: Double?
            var identity: Double?
            var wildcard: Double?
            for value in values {
                for element in value.split(separator: ",") {
                    let parts = element.split(separator: ";")
                    guard let coding = parts.first?.trimmingWhitespace().lowercased(), !coding.isEmpty else { continue }
                    var weight = 1.0
                    for parameter in parts.dropFirst() {
                        let pair = parameter.trimmingWhitespace().split(separator: "=", maxSplits: 1)
                        if pair.count == 2, pair[0].lowercased() == "q" {
                            weight = Self.qualityValue(pair[1].trimmingWhitespace()) ?? 0
                        }
                    }
                    switch coding {
                    case "gzip", "x-gzip": gzip = max(gzip ?? 0, weight)
                    case "identity": identity = weight
                    case "*": wildcard = weight
                    default: break
                    }
                }
            }
            self.gzip = gzip ?? wildcard ?? 0
            // Identity not named is acceptable but preferred to nothing named (RFC 9110 §12.5.3).
            self.identity = identity ?? wildcard ?? Self.implicitIdentityWeight
        }

        /// What nearly every client sends (`gzip`, `gzip, deflate, br`): codings without
        /// weights, `identity` or `*`, read from the bytes; nil for anything else, which the
        /// full parse reads. The result is the full parse's.
        private static func plainList(_ value: String) -> Preferences? {
            var gzip = false
            // One coding's bytes, lowercased; 16 is longer than any coding worth naming.
            var token = (0 as UInt64, 0 as UInt64)
            var length = 0
            var ended = false
            func finish() -> Bool {
                defer { (token, length, ended) = ((0, 0), 0, false) }
                switch (token, length) {
                case ((0x7069_7a67, 0), 4), ((0x7069_7a67_2d78, 0), 6): gzip = true  // "gzip", "x-gzip"
                case ((0x7974_6974_6e65_6469, 0), 8), ((0x2a, 0), 1): return false  // "identity", "*"
                default: break
                }
                return true
            }
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: ";"): return nil
                case UInt8(ascii: ","):
                    guard finish() else { return nil }
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    ended = length > 0
                default:
                    // A space inside a coding, or a coding longer than 16 bytes: the full parse.
                    guard !ended, length < 16 else { return nil }
                    let lower = UInt64(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                    if length < 8 { token.0 |= lower << (8 * UInt64(length)) } else { token.1 |= lower << (8 * UInt64(length - 8)) }
                    length += 1
                }
            }
            guard finish() else { return nil }
            return Preferences(gzip: gzip ? 1 : 0, identity: implicitIdentityWeight)
        }

        /// A qvalue is 0 to 1 with up to three decimals (RFC 9110 §12.4.2); anything else is
        /// treated as 0 so a malformed weight never enables a coding.
        private static func qualityValue(_ text: Substring) -> Double? {
            guard let value = Double(text), value >= 0, value <= 1, text.count <= 5 else { return nil }
            return value
        }
    }

    /// The coding to use for a body of `size` bytes when gzip pays off from `threshold` bytes:
    /// gzip when the client prefers it or will not take identity, identity otherwise.
    public static func choose(_ preferences: Preferences, size: Int, threshold: Int) -> ContentCoding {
        guard preferences.gzip > 0 else { return .identity }
        if preferences.identity <= 0 { return .gzip }
        return size >= threshold && preferences.gzip >= preferences.identity ? .gzip : .identity
    }
}
