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
    ] + (fuzzing ? [.unsafeFlags(fuzzFlags)] : [])

let package = Package(
    name: "Restgate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "restgate", targets: ["RestgateCLI"]),
        .library(name: "RestgateHTTP", targets: ["RestgateHTTP"]),
        .library(name: "RestgateUpstream", targets: ["RestgateUpstream"]),
        .library(name: "RestgateGateway", targets: ["RestgateGateway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/GraphQLSwift/GraphQL", from: "4.3.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "CLinux"),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "RestgateHTTP",
            dependencies: ["CZlib", "CLinux"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RestgateUpstream",
            dependencies: ["RestgateHTTP", "CLinux", "COpenSSL"],
            swiftSettings: strictSettings
        ),
        .target(name: "RestgateSchemas", swiftSettings: strictSettings),
        .target(
            name: "RestgateSandbox",
            dependencies: [
                "RestgateHTTP", "RestgateSchemas", "COpenSSL",
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RestgateGateway",
            dependencies: [
                "RestgateHTTP",
                "RestgateUpstream",
                "RestgateSchemas",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "RestgateCLI",
            dependencies: [
                "RestgateGateway",
                "RestgateHTTP",
                "RestgateUpstream",
                "RestgateSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RestgateTestSupport",
            dependencies: ["CZlib", "RestgateHTTP"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RestgateHTTPTests",
            dependencies: ["RestgateHTTP", "RestgateTestSupport", "CZlib"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RestgateUpstreamTests",
            dependencies: ["RestgateUpstream", "RestgateHTTP", "RestgateTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RestgateSandboxTests",
            dependencies: ["RestgateSandbox", "RestgateHTTP", "RestgateTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RestgateGatewayTests",
            dependencies: ["RestgateGateway", "RestgateHTTP", "RestgateUpstream", "RestgateSandbox", "RestgateTestSupport"],
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
            dependencies: ["CFuzz", "RestgateHTTP", "RestgateUpstream", "RestgateGateway"],
            path: "Fuzz/Targets",
            swiftSettings: strictSettings,
            linkerSettings: [.unsafeFlags(fuzzFlags + ["-use-ld=lld"])]
        ),
    ]
}
