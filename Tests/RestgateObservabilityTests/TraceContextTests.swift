import Testing

@testable import RestgateHTTP
@testable import RestgateTracing

@Suite struct TraceContextTests {
    @Test func readsAndWritesVersion00() throws {
        let text = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let context = try #require(TraceContext(traceparent: text, traceState: "a=b"))
        #expect(context.traceIDHex == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(context.spanIDHex == "00f067aa0ba902b7")
        #expect(context.sampled)
        #expect(context.traceparent == text)
        #expect(context.child(spanID: 1).traceparent == "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000001-01")
        #expect(context.child(spanID: 1).traceState == "a=b")
    }

    @Test(arguments: [
        "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",  // too short
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper case
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // zero span id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // forbidden version
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 is exactly 55
        "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
    ])
    func ignoresWhatTheSpecificationSaysToIgnore(text: String) {
        #expect(TraceContext(traceparent: text) == nil)
    }

    @Test func readsALaterVersionByItsVersion00Prefix() {
        let later = TraceContext(traceparent: "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-what-comes-next")
        #expect(later?.sampled == false)
        #expect(TraceContext(traceparent: "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00x") == nil)
    }

    @Test func parentBasedSamplersFollowTheCaller() {
        let sampled = TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        let unsampled = TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
        let sampler = Sampler.parentBasedTraceIDRatio(0)
        #expect(sampler.samples(traceIDLow: 1, parent: sampled))
        #expect(!sampler.samples(traceIDLow: 1, parent: unsampled))
        #expect(!sampler.samples(traceIDLow: 1, parent: nil))
        #expect(Sampler.parentBasedTraceIDRatio(1).samples(traceIDLow: .max, parent: nil))
        #expect(!Sampler.alwaysOff.samples(traceIDLow: 0, parent: sampled))
    }

    @Test func aRatioKeepsAboutThatShareAndTheSameDecisionForATrace() {
        let sampler = Sampler.traceIDRatio(0.25)
        var generator = SystemRandomNumberGenerator()
        let ids = (0..<20000).map { _ in generator.next() as UInt64 }
        let kept = ids.filter { sampler.samples(traceIDLow: $0, parent: nil) }.count
        #expect((4400...5600).contains(kept))
        #expect(ids.prefix(100).allSatisfy { sampler.samples(traceIDLow: $0, parent: nil) == sampler.samples(traceIDLow: $0, parent: nil) })
    }

    @Test func samplerNamesAreTheSpecificationsAndBadRatiosAreRefused() {
        #expect(Sampler(name: "parentbased_traceidratio", argument: "0.5") == .parentBasedTraceIDRatio(0.5))
        #expect(Sampler(name: "always_on", argument: nil) == .alwaysOn)
        #expect(Sampler(name: nil, argument: nil) == .parentBasedAlwaysOn)
        #expect(Sampler(name: "traceidratio", argument: "1.5") == nil)
        #expect(Sampler(name: "jaeger_remote", argument: nil) == nil)
    }
}
