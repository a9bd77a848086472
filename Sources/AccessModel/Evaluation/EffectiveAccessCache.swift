import Foundation

/// A bounded, lock-protected memo of effective access per source key. Cleared when full, so memory stays
/// bounded whatever the number of distinct keys.
final class EffectiveAccessCache: @unchecked Sendable {
    private var entries: [SourceKey: EffectiveAccess] = [:]
    private let lock = NSLock()
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func get(_ key: SourceKey) -> EffectiveAccess? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    func put(_ key: SourceKey, _ value: EffectiveAccess) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
        entries[key] = value
    }
}
