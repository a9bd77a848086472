import Foundation

/// Write-once result slots for `concurrentPerform`; each index is written by exactly one iteration.
final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }
    func get(_ i: Int) -> T {
        lock.lock()
        defer { lock.unlock() }
        return slots[i]!
    }
}
