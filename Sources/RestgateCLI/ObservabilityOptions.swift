import ArgumentParser

/// The command line's metrics, admin-listener and trace-export options.
struct ObservabilityOptions: ParsableArguments {
    @Flag(
        inversion: .prefixedNo,
        help: "Serve Prometheus metrics at /metrics (on the admin listener only, when there is one). (RESTGATE_METRICS, default on)")
    var metrics: Bool?

    @Option(
        help:
            "A second listener for /metrics, /healthz and /readyz only, on this port; /metrics leaves the public port. (RESTGATE_ADMIN_PORT)"
    )
    var adminPort: Int?

    @Option(help: "Address of the admin listener. (RESTGATE_ADMIN_HOST, default: --host)")
    var adminHost: String?

    @Option(
        help:
            "Export traces over OTLP/HTTP to this collector base URL (…/v1/traces is added). (RESTGATE_OTLP_ENDPOINT, or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT)"
    )
    var otlpEndpoint: String?

    @Option(
        help:
            "OTLP encoding: http/protobuf or http/json. (RESTGATE_OTLP_PROTOCOL, or OTEL_EXPORTER_OTLP_TRACES_PROTOCOL / OTEL_EXPORTER_OTLP_PROTOCOL)"
    )
    var otlpProtocol: String?
}
