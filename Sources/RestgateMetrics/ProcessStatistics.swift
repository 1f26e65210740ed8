#if canImport(Glibc)
    import Glibc
#endif

/// The standard `process_*` figures, read from `/proc` when scraped.
struct ProcessStatistics {
    var residentBytes: Double = 0
    var cpuSeconds: Double = 0
    var openFileDescriptors: Double = 0
    var maxFileDescriptors: Double = 0
    var startTimeSeconds: Double = 0

    static func read() -> ProcessStatistics {
        var figures = ProcessStatistics()
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        // Fields after the command name, which may hold spaces and parentheses: state is 3.
        if let stat = text("/proc/self/stat"), let close = stat.lastIndex(of: ")") {
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 21 {
                figures.cpuSeconds = ((Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)) / ticks
                figures.residentBytes = (Double(fields[21]) ?? 0) * page
                let startTicks = Double(fields[19]) ?? 0
                figures.startTimeSeconds = bootTime + startTicks / ticks
            }
        }
        figures.openFileDescriptors = Double(countEntries("/proc/self/fd"))
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 { figures.maxFileDescriptors = Double(limit.rlim_cur) }
        return figures
    }

    /// When the machine booted (`btime`), read once: it does not change.
    private static let bootTime: Double = {
        guard let stat = text("/proc/stat") else { return 0 }
        for line in stat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingPrefix(" ")) ?? 0
        }
        return 0
    }()

    private static func countEntries(_ path: String) -> Int {
        guard let directory = opendir(path) else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name != [UInt8(ascii: ".")] && name != [UInt8(ascii: "."), UInt8(ascii: ".")] { count += 1 }
        }
        return count - 1  // the descriptor opendir holds
    }

    private static func text(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
