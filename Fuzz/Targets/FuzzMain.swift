import CFuzz

#if canImport(Glibc)
    import Glibc
#endif

/// One libFuzzer binary for every parser of outside bytes; `RESTGATE_FUZZ_TARGET` picks the
/// one a run feeds (scripts/fuzz runs each on its own corpus in `Fuzz/corpus/<name>`).
@main
enum FuzzMain {
    static let targets: [String: @Sendable (UnsafeBufferPointer<UInt8>) -> Void] = [
        "request-parser": fuzzRequestParser,
        "forwarded-headers": fuzzForwardedHeaders,
        "query-string": fuzzQueryString,
        "json": fuzzJSON,
        "input-check": fuzzInputCheck,
        "upstream-answer": fuzzUpstreamAnswer,
        "bearer-token": fuzzBearerToken,
        "route-file": fuzzRouteFile,
        "schema-file": fuzzSchemaFile,
    ]

    /// SwiftPM gives every executable its own main, so it runs libFuzzer's driver itself.
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
    }

    /// Chosen on the first input: libFuzzer calls back on one thread (no -fork or -jobs is
    /// used), so no access can race.
    nonisolated(unsafe) static var selected: (@Sendable (UnsafeBufferPointer<UInt8>) -> Void)?

    static func select() -> @Sendable (UnsafeBufferPointer<UInt8>) -> Void {
        if let selected { return selected }
        let name = getenv("RESTGATE_FUZZ_TARGET").map { String(cString: $0) } ?? ""
        guard let target = targets[name] else {
            print("RESTGATE_FUZZ_TARGET must be one of: \(targets.keys.sorted().joined(separator: ", "))")
            exit(2)
        }
        selected = target
        return target
    }
}

/// libFuzzer's entry point, also reached when its own main is the one linked.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzMain.select()(UnsafeBufferPointer(start: data, count: size))
    return 0
}
