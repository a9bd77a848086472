import AccessModel
import Foundation

/// The records as the sharing evaluator sees them (Id, owner, lookups, criteria fields), kept in step
/// with the database, and the `SharingEvaluator` over them: the one source of record visibility.
///
/// A write replaces the record here, in place; the evaluator is made again on the next question (it
/// caches per-object indexes of the records it was made with), over the same record set.
final class SharingMirror: @unchecked Sendable {
    /// The org without records (metadata, users, sharing configuration, manual shares).
    let org: Org
    let permissions: ObjectPermissionsView

    private let lock = NSLock()
    private var records = RecordSet()
    /// Parent Id → Ids of the records whose lookups point to it.
    private var children: [String: Set<String>] = [:]
    private var current: SharingEvaluator?
    private let usernamesById: [String: String]

    init(org: Org, permissions: ObjectPermissionsView, records: [Record]) {
        self.org = org
        self.permissions = permissions
        var names: [String: String] = [:]
        for user in org.users {
            let id = user.recordId
            if names[id] == nil { names[id] = user.username }
        }
        usernamesById = names
        for record in records { add(record) }
    }

    func username(ofUserId id: String) -> String? { usernamesById[id] }

    /// The evaluator over the records as they are now.
    func evaluator() -> SharingEvaluator {
        lock.lock()
        defer { lock.unlock() }
        if let current { return current }
        var withRecords = org
        withRecords.records = records
        let built = SharingEvaluator(org: withRecords, permissions: permissions)
        current = built
        return built
    }

    func record(_ id: String) -> Record? {
        lock.lock()
        defer { lock.unlock() }
        return records.record(id: id)
    }

    /// Adds or replaces a record (by Id); returns the previous version.
    @discardableResult
    func put(_ record: Record) -> Record? {
        lock.lock()
        defer { lock.unlock() }
        current = nil
        return add(record)
    }

    /// The Ids whose visibility may change when `record` changes from `previous`: the record itself,
    /// the records that point to it (children: `REC-12`, `REC-15`, `REC-16`), and the records it points
    /// to before and after (parents: `REC-14` implicit parent access).
    func affected(by record: Record, previous: Record?) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        var ids: [String] = [record.id]
        var seen: Set<String> = [record.id]
        for child in (children[record.id] ?? []).sorted() where seen.insert(child).inserted {
            ids.append(child)
        }
        for source in [previous, record].compactMap({ $0 }) {
            for parent in Self.references(source)
            where records.location(id: parent) != nil && seen.insert(parent).inserted {
                ids.append(parent)
            }
        }
        return ids
    }

    @discardableResult
    private func add(_ record: Record) -> Record? {
        let previous = records.upsert(record)
        if let previous {
            for parent in Self.references(previous) { children[parent]?.remove(record.id) }
        }
        for parent in Self.references(record) { children[parent, default: []].insert(record.id) }
        return previous
    }

    /// Ids held by a record's lookup fields.
    static func references(_ record: Record) -> [String] {
        record.fields.values.compactMap { value in
            if case .string(let text) = value, text.utf8.count == 18, RecordId.isValid(text) { return text }
            return nil
        }
    }
}
