import Testing

@testable import RestgateMetrics

@Suite struct MetricsExpositionTests {
    @Test(arguments: [
        ("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5", true),
        ("application/openmetrics-text; version=1.0.0; charset=utf-8", true),
        ("application/openmetrics-text", true),
        ("application/openmetrics-text;version=0.0.1", false),
        ("application/openmetrics-text;q=0", false),
        ("text/plain;version=0.0.4", false),
        ("*/*", false),
    ])
    func negotiatesOpenMetricsOnlyWhenAskedFor(accept: String, wanted: Bool) {
        #expect(MetricsExposition.wantsOpenMetrics(accept) == wanted)
    }

    @Test func openMetricsNamesCounterAndInfoFamiliesWithoutTheirSuffix() {
        let text = """
            # HELP a_total Things.
            # TYPE a_total counter
            a_total{x="1"} 2
            # HELP b_info Build.
            # TYPE b_info gauge
            b_info{v="1"} 1.0
            # TYPE c_seconds histogram
            c_seconds_count 1

            """
        let converted = String(decoding: MetricsExposition.openMetrics(from: Array(text.utf8)), as: UTF8.self)
        #expect(
            converted == """
                # HELP a Things.
                # TYPE a counter
                a_total{x="1"} 2
                # HELP b Build.
                # TYPE b info
                b_info{v="1"} 1.0
                # TYPE c_seconds histogram
                c_seconds_count 1
                # EOF

                """)
    }

    @Test func upstreamErrorCodesAreBounded() {
        #expect(ErrorLabels.looksLikeCode("QUOTA_EXCEEDED"))
        #expect(!ErrorLabels.looksLikeCode("quota exceeded for tenant 42"))
        #expect(!ErrorLabels.looksLikeCode(String(repeating: "A", count: 65)))
        #expect(!ErrorLabels.looksLikeCode(""))
    }
}
