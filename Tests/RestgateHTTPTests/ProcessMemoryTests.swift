import Foundation
import RestgateJSON
import RestgateRuntime
import Testing

/// Start-up's code is let go and comes back on its next use; data is never touched.
@Suite struct ProcessMemoryTests {
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

    /// Relocated data that a wrong release would turn back into the file's bytes.
    private static let table: [String: [Int]] = ["a": [1, 2, 3], "b": [4, 5]]

    @Test func startUpCodeIsLetGoAndRunsAgainWhenCalled() throws {
        let before = try Self.residentCodeKiB()
        #expect(before > 1024, "the test process has run code from its files: \(before) KiB")
        let released = ProcessMemory.releaseStartupCode()
        let after = try Self.residentCodeKiB()
        #expect((released ?? 0) > 0)
        #expect(after < before / 2, "resident code \(before) KiB before, \(after) KiB after")

        // Code and data still work: the pages come back from the file, data was left alone.
        #expect(Self.table["a"]?.reduce(0, +) == 6)
        let value = try JSONParser.parse(Array(#"{"id":"x","n":[1,2]}"#.utf8))
        #expect(value["id"] == .string("x"))
        #expect(try Self.residentCodeKiB() > after)
    }
}
