// swift-tools-version: 6.2
import PackageDescription

// `RESTGATE_FUZZ=1` (scripts/fuzz, in its own --scratch-path) instruments our modules for
// libFuzzer and AddressSanitizer and adds the fuzz executable, whose main is libFuzzer's.
let fuzzing = Context.environment["RESTGATE_FUZZ"] == "1"
let fuzzFlags = ["-sanitize=fuzzer,address"]

// Warnings are errors in every target we own (SE-0480), so CI fails on a new warning.
let strictSettings: [SwiftSetting] =
    [
        .treatAllWarnings(as: .error),
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("InternalImportsByDefault"),
        .enableUpcomingFeature("MemberImportVisibility"),
        // An async function runs on its caller's executor unless it says otherwise: a request
        // passes through many async stages, and each nonisolated hop check took a lock.
        .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
        // Our modules call each other's small functions on every request (the codec, the
        // runtime, JSON): across module boundaries they are inlined and specialized only
        // with cross-module optimization.
        .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
        // Release builds do not check exclusive access at run time (debug builds and so every
        // test still do): the checks took 7k instructions a request, 2 % (bench/RESULTS.md).
        .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
    ] + (fuzzing ? [.unsafeFlags(fuzzFlags)] : [])

let package = Package(
    name: "Restgate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "restgate", targets: ["RestgateCLI"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/GraphQLSwift/GraphQL", from: "4.3.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The commit a build comes from, for `restgate_build_info`; "unknown" outside a git
        // checkout (a source tarball).
        .target(
            name: "CLinux",
            cSettings: Context.gitInformation.map { [.define("RESTGATE_COMMIT", to: "\"\($0.currentCommit.prefix(12))\"")] } ?? []
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "RestgateRuntime",
            dependencies: ["CLinux"],
            swiftSettings: strictSettings
        ),
        .target(name: "RestgateHTTP", swiftSettings: strictSettings),
        .target(name: "RestgateGzip", dependencies: ["CZlib"], swiftSettings: strictSettings),
        .target(name: "RestgateJSON", dependencies: ["RestgateHTTP"], swiftSettings: strictSettings),
        .target(
            name: "RestgateServer",
            dependencies: ["RestgateRuntime", "RestgateHTTP", "RestgateGzip", "RestgateJSON", "CLinux"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RestgateUpstream",
            dependencies: ["RestgateRuntime", "RestgateHTTP", "RestgateGzip", "RestgateJSON", "CLinux", "COpenSSL"],
            swiftSettings: strictSettings
        ),
        // The built-in route file and schemas are plain files that the binary embeds.
        .target(
            name: "RestgateConfiguration",
            path: "config",
            sources: ["BuiltInConfiguration.swift"],
            resources: [
                .embedInCode("routes.yaml"), .embedInCode("schemas/unioo.graphql"), .embedInCode("schemas/elements.graphql"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RestgateRoutePlan",
            dependencies: ["RestgateHTTP", "RestgateJSON"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RestgateRouteCompiler",
            dependencies: [
                "RestgateHTTP", "RestgateJSON", "RestgateRoutePlan", "RestgateConfiguration",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RestgateSandbox",
            dependencies: [
                "RestgateHTTP", "RestgateJSON", "RestgateServer", "RestgateConfiguration", "COpenSSL",
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RestgateMetrics",
            dependencies: [
                "RestgateRuntime", "RestgateHTTP", "RestgateServer", "RestgateUpstream",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RestgateStore",
            dependencies: ["RestgateRuntime"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RestgateRedis",
            dependencies: [
                "RestgateRuntime", "RestgateUpstream", "RestgateStore", "COpenSSL",
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RestgateTokens",
            dependencies: [
                "RestgateRuntime", "RestgateJSON", "RestgateUpstream", "COpenSSL",
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RestgateTracing",
            dependencies: ["RestgateRuntime", "RestgateHTTP", "RestgateGzip", "RestgateJSON", "RestgateServer", "RestgateUpstream"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RestgateGateway",
            dependencies: [
                "RestgateRuntime", "RestgateHTTP", "RestgateJSON", "RestgateServer", "RestgateUpstream", "RestgateRoutePlan",
                "RestgateMetrics", "RestgateStore", "RestgateTokens", "COpenSSL",
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "RestgateCLI",
            dependencies: [
                "RestgateGateway", "RestgateRouteCompiler", "RestgateRoutePlan", "RestgateConfiguration", "RestgateServer",
                "RestgateRuntime",
                "RestgateHTTP", "RestgateJSON", "RestgateUpstream", "RestgateSandbox", "RestgateMetrics", "RestgateTracing",
                "RestgateStore", "RestgateRedis", "RestgateTokens",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RestgateTestSupport",
            dependencies: ["CZlib", "RestgateHTTP", "RestgateJSON", "RestgateServer", "RestgateRuntime"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RestgateHTTPTests",
            dependencies: [
                "RestgateRuntime", "RestgateHTTP", "RestgateGzip", "RestgateJSON", "RestgateServer", "RestgateTestSupport", "CZlib",
                "CLinux",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RestgateUpstreamTests",
            dependencies: ["RestgateUpstream", "RestgateRuntime", "RestgateHTTP", "RestgateJSON", "RestgateServer", "RestgateTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RestgateSandboxTests",
            dependencies: ["RestgateSandbox", "RestgateHTTP", "RestgateJSON", "RestgateServer", "RestgateTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RestgateStoreTests",
            dependencies: ["RestgateRuntime", "RestgateStore", "RestgateRedis"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RestgateObservabilityTests",
            dependencies: ["RestgateHTTP", "RestgateMetrics", "RestgateTracing"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RestgateGatewayTests",
            dependencies: [
                "RestgateGateway", "RestgateRouteCompiler", "RestgateRoutePlan", "RestgateConfiguration", "RestgateServer",
                "RestgateRuntime",
                "RestgateHTTP",
                "RestgateJSON", "RestgateUpstream", "RestgateSandbox", "RestgateTestSupport", "RestgateTokens",
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)

if fuzzing {
    package.products.append(.executable(name: "restgate-fuzz", targets: ["RestgateFuzz"]))
    package.targets += [
        .target(name: "CFuzz", path: "Fuzz/CFuzz"),
        .executableTarget(
            name: "RestgateFuzz",
            dependencies: [
                "CFuzz", "RestgateGzip", "RestgateHTTP", "RestgateJSON", "RestgateServer", "RestgateUpstream", "RestgateRoutePlan",
                "RestgateRouteCompiler", "RestgateConfiguration", "RestgateGateway",
            ],
            path: "Fuzz/Targets",
            swiftSettings: strictSettings,
            linkerSettings: [.unsafeFlags(fuzzFlags + ["-use-ld=lld"])]
        ),
    ]
}
