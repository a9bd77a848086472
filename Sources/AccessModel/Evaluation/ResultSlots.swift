import Foundation

/// Write-once result slots for `concurrentPerform`; each index is written by exactly one iteration.
public final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    public init(count: Int) { slots = Array(repeating: nil, count: count) }
    public func set(_ i: Int, _ value: T) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }
    public func get(_ i: Int) -> T {
        lock.lock()
        defer { lock.unlock() }
        return slots[i]!
    }
}

/// `transform` applied to every index of `0..<count`, in parallel slices of `slice` indexes; the results
/// in index order.
public func concurrentMap<T>(count: Int, slice: Int, _ transform: @Sendable (Int) -> T) -> [T] {
    let slices = (count + slice - 1) / slice
    let results = ResultSlots<[T]>(count: slices)
    DispatchQueue.concurrentPerform(iterations: slices) { c in
        results.set(c, (c * slice..<min(count, (c + 1) * slice)).map(transform))
    }
    var all: [T] = []
    all.reserveCapacity(count)
    for c in 0..<slices { all += results.get(c) }
    return all
}
