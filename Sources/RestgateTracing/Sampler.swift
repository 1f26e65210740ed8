public import RestgateHTTP

/// Which traces are recorded, as `OTEL_TRACES_SAMPLER` names them. The parent-based ones follow
/// a caller's sampled flag and apply their root rule to new traces.
public enum Sampler: Sendable, Equatable {
    case alwaysOn
    case alwaysOff
    case traceIDRatio(Double)
    case parentBasedAlwaysOn
    case parentBasedAlwaysOff
    case parentBasedTraceIDRatio(Double)

    /// Reads `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`; nil for an unknown sampler
    /// name or a ratio outside 0...1. The specification's default is parent-based, always on.
    public init?(name: String?, argument: String?) {
        let ratio: Double
        if let argument, !argument.isEmpty {
            guard let value = Double(argument), (0...1).contains(value) else { return nil }
            ratio = value
        } else {
            ratio = 1
        }
        switch name?.lowercased() ?? "parentbased_always_on" {
        case "always_on": self = .alwaysOn
        case "always_off": self = .alwaysOff
        case "traceidratio": self = .traceIDRatio(ratio)
        case "parentbased_always_on", "": self = .parentBasedAlwaysOn
        case "parentbased_always_off": self = .parentBasedAlwaysOff
        case "parentbased_traceidratio": self = .parentBasedTraceIDRatio(ratio)
        default: return nil
        }
    }

    /// Whether a trace with this id, continuing `parent` (if any), is recorded.
    public func samples(traceIDLow: UInt64, parent: TraceContext?) -> Bool {
        switch self {
        case .alwaysOn: return true
        case .alwaysOff: return false
        case .traceIDRatio(let ratio): return Self.below(ratio, traceIDLow)
        case .parentBasedAlwaysOn: return parent?.sampled ?? true
        case .parentBasedAlwaysOff: return parent?.sampled ?? false
        case .parentBasedTraceIDRatio(let ratio): return parent?.sampled ?? Self.below(ratio, traceIDLow)
        }
    }

    /// The same trace id always gets the same decision: its low 63 bits against the ratio.
    private static func below(_ ratio: Double, _ low: UInt64) -> Bool {
        if ratio >= 1 { return true }
        if ratio <= 0 { return false }
        return Double(low & (UInt64.max >> 1)) < ratio * Double(UInt64.max >> 1)
    }
}
