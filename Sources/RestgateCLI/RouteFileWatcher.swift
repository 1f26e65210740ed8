import Foundation
import RestgateRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// `--watch-routes`: looks at the route file and the schema files once a second and, when one
/// changed (its modification time, inode or size: a Kubernetes ConfigMap update swaps a
/// symlink), sends this process SIGHUP, so that every reload runs the same way, on the main
/// thread.
enum RouteFileWatcher {
    static func start(paths: [String]) {
        guard !paths.isEmpty else { return }
        _ = EventLoop.spawnThread(name: "restgate-watch") {
            var last = paths.map(stamp)
            while true {
                sleep(1)
                let now = paths.map(stamp)
                if now != last {
                    last = now
                    kill(getpid(), SIGHUP)
                }
            }
        }
    }

    /// What changes when a file is rewritten or replaced; nil while it cannot be read.
    private static func stamp(_ path: String) -> [Int]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec), Int(info.st_ino), Int(info.st_size)]
    }
}
