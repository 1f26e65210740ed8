import ArgumentParser

// `restgate sandbox …` is dispatched here rather than as an ArgumentParser subcommand: both
// commands take --host and --port, and a parent's options would shadow the subcommand's.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "sandbox" {
    SandboxCommand.main(Array(arguments.dropFirst()))
} else if arguments.first == "openapi" {
    OpenAPICommand.main(Array(arguments.dropFirst()))
} else {
    RestgateCommand.main(arguments)
}
