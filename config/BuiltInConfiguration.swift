/// The route file and upstream schemas built into the binary: the files beside this one,
/// embedded at build time (SwiftPM `embedInCode`), so an operator starts from a real file
/// (`config/routes.yaml`, `config/schemas/<upstream>.graphql`) and the binary serves exactly it.
public enum BuiltInConfiguration {
    /// `config/routes.yaml`: what `restgate` serves without `--routes`.
    public static let routesYAML = String(decoding: PackageResources.routes_yaml, as: UTF8.self)

    /// `config/schemas/<name>.graphql` by upstream name: what routes are validated against
    /// unless replaced, and what the sandbox serves.
    public static let schemas: [String: String] = [
        "unioo": String(decoding: PackageResources.unioo_graphql, as: UTF8.self),
        "elements": String(decoding: PackageResources.elements_graphql, as: UTF8.self),
    ]
}
