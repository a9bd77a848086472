import Foundation

/// A lock-protected memo of compiled sources by name. Compiling is pure, so two tasks racing for the same
/// name compute equal values; the first one stored wins and both get it.
final class SourceMemo<Value: Sendable>: @unchecked Sendable {
    private var values: [String: Value] = [:]
    private let lock = NSLock()

    /// The memoised value for `name`, computing it (outside the lock) on first use; nil when `compute`
    /// has nothing for that name (nil is not memoised).
    func value(_ name: String, compute: () -> Value?) -> Value? {
        lock.lock()
        let known = values[name]
        lock.unlock()
        if let known { return known }
        guard let computed = compute() else { return nil }
        lock.lock()
        defer { lock.unlock() }
        if let raced = values[name] { return raced }
        values[name] = computed
        return computed
    }
}
