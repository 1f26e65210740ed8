import CLinux

/// Keeps a long-running server's resident memory close to what it uses.
public enum ProcessMemory {
    /// Turns transparent huge pages off for the process, so that a touched heap page costs
    /// 4 KiB rather than 2 MiB. Call it before any thread starts. Returns false when the kernel
    /// refused (the server works either way).
    @discardableResult
    public static func disableHugePages() -> Bool {
        restgate_disable_huge_pages() == 0
    }

    /// Maps every allocation of 1 MiB or more on its own, so that it goes back to the kernel
    /// when freed. glibc otherwise raises that threshold each time such a block is freed, up to
    /// 32 MiB, and large request bodies and their parse trees then stay in the heap: under 200
    /// clients pipelining 1 MiB bodies, peak RSS was 127 MiB without a fixed threshold and
    /// 87-98 MiB with one. At 256 KiB a 300 KB body's buffers were each a fresh mapping, faulted
    /// in page by page and unmapped again: a quarter of its CPU (bench/RESULTS.md).
    @discardableResult
    public static func mapLargeAllocationsApart() -> Bool {
        restgate_set_mmap_threshold(1 << 20) == 1
    }

    /// Returns the heap freed so far to the kernel. Call it once start-up's work is done:
    /// schemas, parse trees and the OpenAPI document's intermediate forms are 6 of the 10 MiB
    /// of heap a started gateway holds.
    public static func releaseFreeMemory() {
        restgate_release_free_memory()
    }

    /// Unmaps the code pages that start-up touched, so that the resident set holds the code the
    /// server runs rather than everything it ran once. The static executable's text is 35 MB;
    /// argument parsing, the configuration and the listeners leave about 19 MiB of it
    /// mapped (the kernel maps up to 64 KiB around each page fault), which is most of a started
    /// gateway's RSS. Only file-backed code is dropped, never data, nor a code mapping with a
    /// page written since it was mapped: the pages stay in the page cache and are mapped again
    /// on their next use. Call it after each step of start-up whose code serving does not run
    /// again, so that the peak is one step's code. Returns the bytes of the mappings treated,
    /// or nil when they could not be read.
    @discardableResult
    public static func releaseStartupCode() -> Int? {
        let released = restgate_release_mapped_code()
        return released < 0 ? nil : released
    }
}
