/// Names → their position in a list, for big tables: the usernames of 100,000 users (`UserDirectory`,
/// looked up once per record owner and group member) and role names (once per user).
///
/// Open addressing over `Int32` positions with FNV-1a over the UTF-8 bytes: building it copies no string
/// and dropping it frees one array, which a `[String: Int]` of 100,000 keys did not (issue 4: building and
/// freeing that dictionary was most of `explain --record`). The names stay in the caller's list; lookups
/// read them back through the `name` closure, from a position. With `ignoringCase` names match as `lowercased()` would make them
/// equal (usernames, `REC-8`); otherwise exactly (role developer names). The first of equal names wins.
struct NameIndex: Sendable {
    private var slots: [Int32]
    /// The high half of each slot's hash, compared before reading a name back (most probes then touch
    /// no string).
    private var tags: [UInt32]
    private let mask: Int
    let ignoringCase: Bool

    init(count: Int, ignoringCase: Bool, name: (Int) -> String) {
        self.init(
            ignoringCase: ignoringCase,
            hashes: (0..<count).map { Self.hash(name($0), ignoringCase: ignoringCase) }, name: name)
    }

    /// With each name's `hash` computed already (in parallel, by the caller), one per position: only
    /// names whose hashes are equal are read back.
    init(ignoringCase: Bool, hashes: [UInt64], name: (Int) -> String) {
        self.ignoringCase = ignoringCase
        let count = hashes.count
        var capacity = 8
        while capacity < count * 2 { capacity <<= 1 }
        mask = capacity - 1
        slots = [Int32](repeating: -1, count: capacity)
        tags = [UInt32](repeating: 0, count: capacity)
        for i in 0..<count {
            let h = hashes[i]
            let tag = UInt32(truncatingIfNeeded: h >> 32)
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] >= 0 {
                if tags[slot] == tag,
                    Self.equal(name(Int(slots[slot])), name(i), ignoringCase: ignoringCase)
                {
                    break
                }
                slot = (slot + 1) & mask
            }
            if slots[slot] < 0 {
                slots[slot] = Int32(i)
                tags[slot] = tag
            }
        }
    }

    /// The position of `key` in the list, or `nil`.
    func index(of key: String, name: (Int) -> String) -> Int? {
        let h = Self.hash(key, ignoringCase: ignoringCase)
        let tag = UInt32(truncatingIfNeeded: h >> 32)
        var slot = Int(truncatingIfNeeded: h) & mask
        while slots[slot] >= 0 {
            let i = Int(slots[slot])
            if tags[slot] == tag, Self.equal(name(i), key, ignoringCase: ignoringCase) { return i }
            slot = (slot + 1) & mask
        }
        return nil
    }

    // MARK: Bytes

    /// FNV-1a over the bytes; when ignoring case, over ASCII-lowercased bytes, or the bytes of
    /// `lowercased()` for a name that is not ASCII (so equal names hash alike).
    static func hash(_ key: String, ignoringCase: Bool) -> UInt64 {
        var ascii = true
        let h = withBytes(key) { bytes -> UInt64 in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in bytes {
                ascii = ascii && b < 0x80
                h = (h ^ UInt64(ignoringCase ? lowerASCII(b) : b)) &* 0x0000_0100_0000_01b3
            }
            return h
        }
        if ignoringCase && !ascii { return hash(key.lowercased(), ignoringCase: false) }
        return mix(h)
    }

    /// FNV's low bits depend only on the low bits of every step; slots are taken from the low bits, so
    /// spread the high ones down (MurmurHash3's finalizer). Without it, usernames that differ in a
    /// counter cluster into long probe runs.
    @inline(__always) private static func mix(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }

    static func equal(_ a: String, _ b: String, ignoringCase: Bool) -> Bool {
        guard ignoringCase else { return a == b }
        let folded = withBytes(a) { x in
            withBytes(b) { y -> Bool? in
                guard x.count == y.count else {
                    return x.allSatisfy { $0 < 0x80 } && y.allSatisfy { $0 < 0x80 } ? false : nil
                }
                for k in 0..<x.count {
                    let (p, q) = (x[k], y[k])
                    if p >= 0x80 || q >= 0x80 { return nil }
                    if lowerASCII(p) != lowerASCII(q) { return false }
                }
                return true
            }
        }
        // Not ASCII: compare as `lowercased()` does (it can change a length: `\u{212A}` is `k`).
        return folded ?? (a.lowercased() == b.lowercased())
    }

    @inline(__always) private static func lowerASCII(_ b: UInt8) -> UInt8 {
        b &- 0x41 < 26 ? b | 0x20 : b
    }

    @inline(__always) private static func withBytes<R>(
        _ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R
    ) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
        return Array(s.utf8).withUnsafeBufferPointer(body)
    }
}
