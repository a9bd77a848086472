/// A fixed-size set of small integers (record or user indexes), one bit each.
public struct Bitset: Hashable, Sendable {
    public private(set) var words: [UInt64]
    public let count: Int

    public init(count: Int) {
        self.count = count
        words = [UInt64](repeating: 0, count: (count + 63) >> 6)
    }

    public init(count: Int, all: Bool) {
        self.init(count: count)
        if all { setAll() }
    }

    @inline(__always) public func contains(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
    @inline(__always) public mutating func insert(_ i: Int) { words[i >> 6] |= 1 << UInt64(i & 63) }
    @inline(__always) public mutating func remove(_ i: Int) { words[i >> 6] &= ~(1 << UInt64(i & 63)) }

    public mutating func setAll() {
        for w in words.indices { words[w] = ~0 }
        let extra = words.count * 64 - count
        if extra > 0, !words.isEmpty { words[words.count - 1] >>= UInt64(extra) }
    }

    public mutating func formUnion(_ other: Bitset) {
        words.withUnsafeMutableBufferPointer { a in
            other.words.withUnsafeBufferPointer { b in
                for i in 0..<a.count { a[i] |= b[i] }
            }
        }
    }

    public mutating func formIntersection(_ other: Bitset) {
        words.withUnsafeMutableBufferPointer { a in
            other.words.withUnsafeBufferPointer { b in
                for i in 0..<a.count { a[i] &= b[i] }
            }
        }
    }

    /// Every index in `0..<count` not in the set.
    public func inverted() -> Bitset {
        var result = Bitset(count: count)
        for i in words.indices { result.words[i] = ~words[i] }
        let extra = words.count * 64 - count
        if extra > 0, !result.words.isEmpty { result.words[result.words.count - 1] &= ~0 >> UInt64(extra) }
        return result
    }

    public var cardinality: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }
    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// The members in increasing order.
    public var members: [Int] {
        var out: [Int] = []
        for (w, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                out.append(w << 6 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        return out
    }

    public func intersects(_ other: Bitset) -> Bool {
        for i in words.indices where words[i] & other.words[i] != 0 { return true }
        return false
    }
}
