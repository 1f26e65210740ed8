import ArgumentParser
import RestgateGateway
import RestgateHTTP
import RestgateJSON
import RestgateRouteCompiler
import RestgateRoutePlan
import RestgateRuntime
import RestgateServer
import RestgateUpstream

#if canImport(Glibc)
    import Glibc
#endif

// `restgate sandbox …` is dispatched here rather than as an ArgumentParser subcommand: both
// commands take --host and --port, and a parent's options would shadow the subcommand's.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "sandbox" {
    SandboxCommand.main(Array(arguments.dropFirst()))
} else if arguments.first == RouteCompiler.subcommand {
    // Internal: the helper process that makes the route plan (RouteCompiler).
    exit(RouteCompiler.serveAsHelper())
} else if arguments.first == "openapi" {
    OpenAPICommand.main(Array(arguments.dropFirst()))
} else if arguments.first == "probe" {
    ProbeCommand.main(Array(arguments.dropFirst()))
} else if arguments.first == "check" {
    CheckCommand.main(Array(arguments.dropFirst()))
} else if arguments.first == "schema", arguments.dropFirst().first == "pull" {
    SchemaPullCommand.main(Array(arguments.dropFirst(2)))
} else {
    RestgateCommand.main(arguments)
}
