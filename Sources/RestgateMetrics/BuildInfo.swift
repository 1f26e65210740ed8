/// What `restgate_build_info` reports.
public struct BuildInfo: Sendable {
    public var version: String
    public var commit: String

    public init(version: String, commit: String) {
        self.version = version
        self.commit = commit
    }
}
