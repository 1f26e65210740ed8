import RestgateRuntime
import Testing

@testable import RestgateStore

/// The table against the plainest model of the same rules: an array of entries, most recently
/// used first, searched from end to end.
@Suite struct RecencyTableTests {
    private struct Entry: Equatable {
        var key: StoreKey
        var value: [UInt8]
        var expires: Instant
    }

    private struct Model {
        var entries: [Entry] = []  // most recently used first

        var bytes: Int { entries.reduce(0) { $0 + $1.key.size + $1.value.count } }

        mutating func live(_ key: StoreKey, now: Instant) -> Int? {
            guard let position = entries.firstIndex(where: { $0.key == key }) else { return nil }
            let entry = entries.remove(at: position)
            guard entry.expires > now else { return nil }
            entries.insert(entry, at: 0)
            return 0
        }

        mutating func evict(maxEntries: Int, maxBytes: Int, now: Instant) {
            while entries.count > 1, entries.count > maxEntries || bytes > maxBytes { entries.removeLast() }
            var checked = 0
            while checked < 8, let last = entries.last, last.expires <= now {
                checked += 1
                entries.removeLast()
            }
        }
    }

    @Test func followsThePlainModelThroughRandomUse() {
        var generator = SplitMix(seed: 20261203)
        let keys = (0..<24).map { StoreKey(namespace: "test", digest: [UInt8($0)]) }
        var table = RecencyTable()
        var model = Model()
        var now = Instant(nanoseconds: 1_000_000_000)
        for step in 0..<20_000 {
            now = now + .milliseconds(Int64(generator.next() % 3))
            let key = keys[Int(generator.next() % UInt64(keys.count))]
            let value = [UInt8](repeating: UInt8(step & 0xFF), count: Int(generator.next() % 40))
            let expires = now + .milliseconds(Int64(generator.next() % 200))
            let found = table.live(key, now: now)
            let modelled = model.live(key, now: now)
            #expect((found == nil) == (modelled == nil), "step \(step): live")
            switch (found, generator.next() % 3) {
            case (nil, _):
                table.insert(key, value: value, expires: expires)
                model.entries.insert(Entry(key: key, value: value, expires: expires), at: 0)
            case (let slot?, 0):
                #expect(table.slots[Int(slot)].value == model.entries[0].value, "step \(step): value")
                table.remove(slot)
                model.entries.removeFirst()
            case (let slot?, _):
                table.update(slot, value: value, expires: expires)
                model.entries[0].value = value
                model.entries[0].expires = expires
            }
            table.evict(maxEntries: 10, maxBytes: 400, now: now)
            model.evict(maxEntries: 10, maxBytes: 400, now: now)
            #expect(table.count == model.entries.count, "step \(step): count")
            #expect(table.bytes == model.bytes, "step \(step): bytes")
        }
        // Every key the model holds, the table holds with the same value; slots were reused.
        for entry in model.entries {
            let slot = table.live(entry.key, now: now)
            #expect(slot.map { table.slots[Int($0)].value } == entry.value)
        }
        #expect(table.slots.count <= 11)
    }
}

/// A small seeded generator, so a failure repeats.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
