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
