import ArgumentParser

/// The command line's options for checking routes against the live upstreams' schemas.
struct SchemaSourceOptions: ParsableArguments {
    @Option(
        help:
            "Check upstream NAME's routes against the schema the live upstream reports: NAME=introspect; repeatable. (RESTGATE_SCHEMA_SOURCE_<NAME>=introspect)"
    )
    var schemaSource: [String] = []

    @Option(help: "A header the introspection of NAME needs, NAME=HEADER:VALUE; repeatable. (RESTGATE_INTROSPECTION_HEADER_<NAME>)")
    var introspectionHeader: [String] = []

    @Option(help: "Seconds between checks against the live schemas. (RESTGATE_SCHEMA_CHECK_INTERVAL, default 600)")
    var schemaCheckInterval: Double?

    @Flag(help: "Answer /readyz with 503 while a route does not fit its live schema. (RESTGATE_DRIFT_NOT_READY=1)")
    var driftNotReady = false
}
