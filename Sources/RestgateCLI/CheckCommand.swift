import ArgumentParser
import Foundation
import RestgateConfiguration
import RestgateRouteCompiler

/// `restgate check`: validates a route file against the upstream schemas offline, exactly as
/// the gateway does at start-up, and prints every problem with its line; exit status 1 on
/// any, for an operator's CI pipeline.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restgate check", abstract: "Validate a route file against the upstream schemas; exit 1 on any problem.")

    @Option(help: "The route file to check (default: the built-in one).")
    var routes: String?

    @Option(help: "An upstream schema as NAME=FILE (SDL) in place of the built-in copy. Repeatable.")
    var schema: [String] = []

    func run() throws {
        let name = routes ?? "built-in routes"
        let yaml = try routes.map { try Settings.read($0, option: "--routes") } ?? BuiltInConfiguration.routesYAML
        var overrides: [String: String] = [:]
        for entry in schema {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw ValidationError("--schema takes NAME=FILE, e.g. unioo=unioo.graphql; got '\(entry)'.") }
            overrides[parts[0].lowercased()] = try Settings.read(String(parts[1]), option: "--schema \(parts[0])")
        }
        let validator: RouteValidator
        do {
            validator = try RouteValidator(overrides: overrides)
        } catch {
            say("\(name): a schema does not parse: \(error)")
            throw ExitCode.failure
        }
        let problems = validator.problems(yaml: yaml)
        // Diagnostics go to stderr, as a compiler's do; the exit status is the verdict.
        for problem in problems {
            say("\(name):\(problem.line): \(problem.route.map { "route \($0): " } ?? "")\(problem.message)")
        }
        guard problems.isEmpty else {
            say("\(problems.count) problem\(problems.count == 1 ? "" : "s")")
            throw ExitCode.failure
        }
        say("\(name): ok")
    }

    private func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
