import CLinux

/// Which Restgate this is: the release version and the commit it was built from.
public enum BuildStamp {
    public static let version = "0.13.0"
    public static var commit: String { String(cString: restgate_build_commit()) }
}
