import Foundation
import RestgateJSON
import RestgateRuntime
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Start-up's code is let go and comes back on its next use; a code page written since it
/// was mapped, and data, are never dropped.
@Suite(.serialized) struct ProcessMemoryTests {
    /// Kilobytes resident in this process's file-backed code mappings, from /proc/self/smaps.
    private static func residentCodeKiB() throws -> Int {
        let text = try String(contentsOfFile: "/proc/self/smaps", encoding: .utf8)
        var total = 0
        var inCode = false
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = fields.first, range.contains("-"), fields.count >= 5, !range.hasSuffix(":") {
                inCode = fields[1] == "r-xp" && fields.count >= 6 && fields[5].hasPrefix("/")
            } else if inCode, fields.first == "Rss:", fields.count >= 2, let kib = Int(fields[1]) {
                total += kib
            }
        }
        return total
    }

    @Test func startUpCodeIsLetGoAndRunsAgainWhenCalled() throws {
        let before = try Self.residentCodeKiB()
        #expect(before > 1024, "the test process has run code from its files: \(before) KiB")
        let released = ProcessMemory.releaseStartupCode()
        let after = try Self.residentCodeKiB()
        #expect((released ?? 0) > 0)
        #expect(after < before / 2, "resident code \(before) KiB before, \(after) KiB after")
        // The code comes back from the file when it runs.
        let value = try JSONParser.parse(Array(#"{"id":"x","n":[1,2]}"#.utf8))
        #expect(value["id"] == .string("x"))
    }

    /// A private file mapping made executable after a write (as a breakpoint or a uprobe
    /// leaves a page of the executable's text) keeps what was written: dropping it would
    /// bring back the file's bytes.
    @Test func aCodePageWrittenSinceItWasMappedIsKept() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("restgate-code-\(getpid()).bin").path
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        try Data(repeating: 0xAA, count: page).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let descriptor = open(path, O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let mapped = mmap(nil, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, descriptor, 0)
        try #require(mapped != MAP_FAILED)
        guard let base = mapped else { return }
        defer { munmap(base, page) }
        base.storeBytes(of: 0x55, toByteOffset: 0, as: UInt8.self)
        try #require(mprotect(base, page, PROT_READ | PROT_EXEC) == 0, "the temporary directory allows no executable mapping")

        ProcessMemory.releaseStartupCode()
        #expect(base.load(fromByteOffset: 0, as: UInt8.self) == 0x55, "the written byte is the file's again")
        #expect(base.load(fromByteOffset: 1, as: UInt8.self) == 0xAA)
    }
}
