import AccessModel
import Foundation
import SOQL

/// What a query locator remembers between pages: the bound query and its SQL generator (so every page
/// reads the same columns under the same visibility and "now"), and the Ids of every matching row in
/// order, listed once by the first page. A later page reads only its own rows by Id, so paging through
/// n rows costs O(n) in all.
struct QueryCursor: Sendable {
    let locator: String
    let username: String
    let query: BoundQuery
    let generator: SQLGenerator
    let generated: GeneratedSQL
    /// Row Ids in query order (plain queries).
    let ids: IdList
    /// Already built rows (aggregate queries, which have no Ids).
    let rows: [ResultRecord]
    let touched: Set<String>
    var lastUsed: Date

    var totalSize: Int { query.isAggregate ? rows.count : ids.count }
}

/// Open query locators, expiring after `lifetime` without use (Salesforce: 15 minutes).
final class QueryCursors: @unchecked Sendable {
    private let lock = NSLock()
    private var cursors: [String: QueryCursor] = [:]
    /// How long an unused locator lives.
    let lifetime: TimeInterval = 15 * 60
    /// At most this many open locators; the least recently used go first.
    let capacity = 2_000

    /// A new locator Id (`01g…`, 18 characters).
    static func newLocator() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        let body = String((0..<12).map { _ in alphabet[Int(generator.next(upperBound: UInt64(62)))] })
        let fifteen = "01g" + body
        return fifteen + RecordId.checksum(fifteen)
    }

    func add(_ cursor: QueryCursor, now: Date) {
        lock.lock()
        defer { lock.unlock() }
        expire(now)
        if cursors.count >= capacity,
            let oldest = cursors.values.min(by: { $0.lastUsed < $1.lastUsed })
        {
            cursors[oldest.locator] = nil
        }
        cursors[cursor.locator] = cursor
    }

    /// The cursor of `locator` if it is alive; marks it used.
    func take(_ locator: String, now: Date) -> QueryCursor? {
        lock.lock()
        defer { lock.unlock() }
        expire(now)
        guard var cursor = cursors[locator] else { return nil }
        cursor.lastUsed = now
        cursors[locator] = cursor
        return cursor
    }

    func remove(_ locator: String) {
        lock.lock()
        cursors[locator] = nil
        lock.unlock()
    }

    private func expire(_ now: Date) {
        let limit = now.addingTimeInterval(-lifetime)
        for (key, cursor) in cursors where cursor.lastUsed < limit { cursors[key] = nil }
    }
}
