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
