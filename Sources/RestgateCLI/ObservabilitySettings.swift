import ArgumentParser
import RestgateRuntime
import RestgateTracing
import RestgateUpstream

/// Metrics, the admin listener and trace export, from the options, `RESTGATE_*` and the
/// OpenTelemetry variables (read as the OpenTelemetry specification says: a signal-specific
/// variable over the general one, percent-decoded `key=value` lists).
struct ObservabilitySettings {
    var metrics = true
    var adminHost: String?
    var adminPort: UInt16?
    var tracing: TracingConfiguration?

    init(options: ObservabilityOptions, environment: Environment, host: String) throws {
        let values = environment.values
        if let flag = options.metrics {
            metrics = flag
        } else if let text = values["RESTGATE_METRICS"] {
            guard let flag = Self.boolean(text) else { throw ValidationError("RESTGATE_METRICS='\(text)' is not 1, 0, true or false.") }
            metrics = flag
        }
        if let port = options.adminPort ?? values["RESTGATE_ADMIN_PORT"].flatMap({ Int($0) }) {
            guard (0...65535).contains(port) else { throw ValidationError("--admin-port must be between 0 and 65535; got \(port).") }
            adminPort = UInt16(port)
            adminHost = options.adminHost ?? values["RESTGATE_ADMIN_HOST"] ?? host
        } else if values["RESTGATE_ADMIN_PORT"] != nil {
            throw ValidationError("RESTGATE_ADMIN_PORT='\(values["RESTGATE_ADMIN_PORT"]!)' is not a port.")
        }
        tracing = try Self.tracing(options: options, values: values)
    }

    private static func tracing(options: ObservabilityOptions, values: [String: String]) throws -> TracingConfiguration? {
        if values["OTEL_SDK_DISABLED"].flatMap(boolean) == true || values["OTEL_TRACES_EXPORTER"]?.lowercased() == "none" { return nil }
        let url: String
        if let base = options.otlpEndpoint ?? values["RESTGATE_OTLP_ENDPOINT"] {
            url = tracesURL(base: base)
        } else if let signal = values["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"], !signal.isEmpty {
            url = signal
        } else if let base = values["OTEL_EXPORTER_OTLP_ENDPOINT"], !base.isEmpty {
            url = tracesURL(base: base)
        } else {
            return nil
        }
        guard let endpoint = UpstreamURL(url) else {
            throw ValidationError("The OTLP endpoint '\(url)' is not an http:// or https:// URL.")
        }
        var resource = attributes(values["OTEL_RESOURCE_ATTRIBUTES"] ?? "")
        let service =
            values["OTEL_SERVICE_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? resource.first { $0.key == "service.name" }?.value
            ?? "restgate"
        resource.removeAll { $0.key == "service.name" }
        resource.insert(("service.name", service), at: 0)
        if !resource.contains(where: { $0.key == "service.version" }) { resource.append(("service.version", BuildStamp.version)) }
        resource += [
            ("telemetry.sdk.name", "restgate"), ("telemetry.sdk.language", "swift"), ("telemetry.sdk.version", BuildStamp.version),
        ]
        var configuration = TracingConfiguration(endpoint: endpoint, resource: resource, version: BuildStamp.version)
        let encoding =
            options.otlpProtocol ?? values["RESTGATE_OTLP_PROTOCOL"] ?? values["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"]
            ?? values["OTEL_EXPORTER_OTLP_PROTOCOL"] ?? "http/protobuf"
        guard let parsed = OTLPEncoding(rawValue: encoding) else {
            throw ValidationError("The OTLP protocol must be http/protobuf or http/json (gRPC is not supported); got '\(encoding)'.")
        }
        configuration.encoding = parsed
        configuration.headers = attributes(values["OTEL_EXPORTER_OTLP_TRACES_HEADERS"] ?? values["OTEL_EXPORTER_OTLP_HEADERS"] ?? "")
            .map { (name: $0.key, value: $0.value) }
        // With an endpoint and no sampler named, every trace is recorded unless the caller
        // decided otherwise.
        let samplerName = values["OTEL_TRACES_SAMPLER"] ?? "parentbased_traceidratio"
        guard let sampler = Sampler(name: samplerName, argument: values["OTEL_TRACES_SAMPLER_ARG"]) else {
            throw ValidationError(
                "OTEL_TRACES_SAMPLER='\(samplerName)' with OTEL_TRACES_SAMPLER_ARG='\(values["OTEL_TRACES_SAMPLER_ARG"] ?? "")' is not a sampler Restgate knows."
            )
        }
        configuration.sampler = sampler
        // The batch span processor's variables (milliseconds and counts).
        func number(_ name: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let text = values[name] else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw ValidationError("\(name)='\(text)' must be a whole number from \(range.lowerBound) to \(range.upperBound).")
            }
            return value
        }
        if let delay = try number("OTEL_BSP_SCHEDULE_DELAY", 1...3_600_000) { configuration.interval = .milliseconds(delay) }
        if let timeout = try number("OTEL_BSP_EXPORT_TIMEOUT", 1...3_600_000) { configuration.exportTimeout = .milliseconds(timeout) }
        if let size = try number("OTEL_BSP_MAX_QUEUE_SIZE", 1...1_000_000) { configuration.queueLimit = size }
        if let size = try number("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", 1...1_000_000) {
            configuration.batchSize = min(size, configuration.queueLimit)
        }
        return configuration
    }

    /// `OTEL_EXPORTER_OTLP_ENDPOINT` is a base: the traces path is appended to it.
    static func tracesURL(base: String) -> String {
        base.hasSuffix("/") ? base + "v1/traces" : base + "/v1/traces"
    }

    /// `key=value,key=value`, each side percent-decoded, blanks trimmed, bad entries skipped.
    static func attributes(_ text: String) -> [(key: String, value: String)] {
        text.split(separator: ",").compactMap { entry in
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            let key = percentDecoded(parts[0].trimmingBlanks())
            guard !key.isEmpty else { return nil }
            return (key, percentDecoded(parts[1].trimmingBlanks()))
        }
    }

    private static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), let high = utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex), high != utf8.endIndex,
                let low = utf8.index(high, offsetBy: 1, limitedBy: utf8.endIndex), low != utf8.endIndex,
                let value = UInt8(String(decoding: [utf8[high], utf8[low]], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index = utf8.index(after: low)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "true", "yes", "on": true
        case "0", "false", "no", "off": false
        default: nil
        }
    }
}

extension Substring {
    fileprivate func trimmingBlanks() -> String {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return String(text)
    }
}
