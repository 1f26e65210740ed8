import RestgateRuntime

/// One shard's entries: a table from key to slot, and the slots linked from the most to the
/// least recently used. A hit moves its slot to the front, the bounds take slots from the back,
/// and a slot's value is rewritten in place, so a write costs one lookup and no stale entries
/// pile up behind it. Freed slots are reused before the slot array grows.
struct RecencyTable {
    struct Slot {
        var key: StoreKey
        var value: [UInt8]
        var expires: Instant
        /// The key's and the value's bytes, as the byte bound counts them.
        var bytes: Int
        var newer: Int32 = -1
        var older: Int32 = -1
    }

    private var index: [StoreKey: Int32] = [:]
    private(set) var slots: [Slot] = []
    private var unused: [Int32] = []
    private var newest: Int32 = -1
    private var oldest: Int32 = -1
    private(set) var bytes = 0

    var count: Int { index.count }

    /// The slot of a live entry, moved to the front; an expired one is dropped when met.
    mutating func live(_ key: StoreKey, now: Instant) -> Int32? {
        guard let slot = index[key] else { return nil }
        guard slots[Int(slot)].expires > now else {
            remove(slot)
            return nil
        }
        unlink(slot)
        linkAsNewest(slot)
        return slot
    }

    /// A new entry at the front, for a key that `live` has just not found.
    mutating func insert(_ key: StoreKey, value: [UInt8], expires: Instant) {
        let bytes = key.size + value.count
        let slot: Int32
        if let reused = unused.popLast() {
            slot = reused
            slots[Int(slot)] = Slot(key: key, value: value, expires: expires, bytes: bytes)
        } else {
            slot = Int32(slots.count)
            slots.append(Slot(key: key, value: value, expires: expires, bytes: bytes))
        }
        index[key] = slot
        linkAsNewest(slot)
        self.bytes += bytes
    }

    /// A live entry's new value, in its slot.
    mutating func update(_ slot: Int32, value: [UInt8], expires: Instant) {
        let bytes = slots[Int(slot)].key.size + value.count
        self.bytes += bytes - slots[Int(slot)].bytes
        slots[Int(slot)].value = value
        slots[Int(slot)].expires = expires
        slots[Int(slot)].bytes = bytes
    }

    mutating func remove(_ slot: Int32) {
        index.removeValue(forKey: slots[Int(slot)].key)
        unlink(slot)
        bytes -= slots[Int(slot)].bytes
        slots[Int(slot)].value = []
        slots[Int(slot)].bytes = 0
        unused.append(slot)
    }

    /// Least recently used first, until both bounds hold (the newest entry always stays); then
    /// expired entries at the back, a few per write.
    mutating func evict(maxEntries: Int, maxBytes: Int, now: Instant) {
        while count > 1, count > maxEntries || bytes > maxBytes {
            remove(oldest)
        }
        var checked = 0
        while checked < 8, oldest >= 0, slots[Int(oldest)].expires <= now {
            checked += 1
            remove(oldest)
        }
    }

    private mutating func unlink(_ slot: Int32) {
        let newer = slots[Int(slot)].newer
        let older = slots[Int(slot)].older
        if newer >= 0 { slots[Int(newer)].older = older } else { newest = older }
        if older >= 0 { slots[Int(older)].newer = newer } else { oldest = newer }
        slots[Int(slot)].newer = -1
        slots[Int(slot)].older = -1
    }

    private mutating func linkAsNewest(_ slot: Int32) {
        slots[Int(slot)].older = newest
        slots[Int(slot)].newer = -1
        if newest >= 0 { slots[Int(newest)].newer = slot } else { oldest = slot }
        newest = slot
    }
}
