import AccessModel
import Foundation
import GRDB
import SOQL

/// Which records each user can see, per object, as rows of `__visible` (`user_key`, `id`, `level`) that
/// the generated SQL probes (`API-10`, `REC-19`). Computed from the `SharingEvaluator` the first time a
/// user's query touches an object, then kept current by `refresh` after every write.
///
/// Objects on which a user has View All or View All Data (object or system permission, `REC-18`), or
/// whose org-wide default lets the user read every record with no restriction rule in the way
/// (`SharingEvaluator.seesEveryRecord`), are never materialised: queries on them carry no visibility
/// filter at all.
final class VisibilityIndex: @unchecked Sendable {
    /// The records and evaluator visibility is computed from.
    let mirror: SharingMirror
    var permissions: ObjectPermissionsView { mirror.permissions }
    private let lock = NSLock()
    private var keys: [String: Int64] = [:]
    private var usernames: [Int64: String] = [:]
    /// Per user key, the objects whose visible rows are in `__visible`.
    private var materialized: [Int64: Set<String>] = [:]

    init(mirror: SharingMirror) { self.mirror = mirror }

    /// The key of a user's rows in `__visible`.
    func key(_ username: String) -> Int64 {
        let name = username.lowercased()
        lock.lock()
        defer { lock.unlock() }
        if let key = keys[name] { return key }
        let key = Int64(keys.count + 1)
        keys[name] = key
        usernames[key] = name
        return key
    }

    /// Whether `user` sees every record of `object` (View All, View All Data, Modify All…: `REC-18`).
    func seesAll(_ user: User, _ object: String) -> Bool {
        permissions.effective(user, object).overrideLevel >= .read
    }

    /// Whether sharing hides none of `object`'s records from `user` (Public Read Only or Read/Write and
    /// no restriction rule for the user): decided without looking at records, so never stale after a
    /// write.
    func sharingHidesNothing(_ user: User, _ object: String) -> Bool {
        mirror.evaluator().seesEveryRecord(username: user.username, object: object)
    }

    /// The SQL condition for `user`'s visible records, as `RecordVisibility` for the SQL generator;
    /// `touched` collects the objects that need materialising.
    func condition(for user: User, touched: TouchedObjects) -> RecordVisibility {
        let key = self.key(user.username)
        return RecordVisibility { [self] object, alias in
            if seesAll(user, object) || sharingHidesNothing(user, object) { return nil }
            touched.insert(object)
            return SQLFragment(
                "EXISTS (SELECT 1 FROM \"\(StoreSchema.visibleTable)\" AS \"v\" WHERE \"v\".\"user_key\" = ? AND \"v\".\"id\" = \(SQLSchema.quote(alias)).\"Id\")",
                [.integer(key)])
        }
    }

    /// The objects of `objects` not yet materialised for `username`.
    func missing(_ username: String, _ objects: Set<String>) -> [String] {
        let key = self.key(username)
        lock.lock()
        defer { lock.unlock() }
        let done = materialized[key] ?? []
        return objects.subtracting(done).sorted()
    }

    /// Writes the visible rows of `objects` for `username` (inside the writer's transaction).
    func materialize(_ db: Database, username: String, objects: [String]) throws {
        let key = self.key(username)
        let todo = missing(username, Set(objects))
        guard !todo.isEmpty else { return }
        let evaluator = mirror.evaluator()
        let insert = try db.cachedStatement(
            sql:
                "INSERT OR REPLACE INTO \"\(StoreSchema.visibleTable)\" (\"user_key\", \"id\", \"level\") VALUES (?, ?, ?)"
        )
        for object in todo {
            for access in evaluator.visibleRecords(object: object, username: username, minimum: .read) {
                try insert.execute(arguments: [key, access.recordId, access.level.rawValue])
            }
        }
        lock.lock()
        materialized[key, default: []].formUnion(todo)
        lock.unlock()
    }

    /// Recomputes the rows of the records `ids` (of any objects) for every user who has their object
    /// materialised, with the single-record decision (inside the writer's transaction).
    func refresh(_ db: Database, ids: [String]) throws {
        lock.lock()
        let snapshot = materialized
        let names = usernames
        lock.unlock()
        guard !snapshot.isEmpty else { return }
        let targets: [(id: String, object: String)] = ids.compactMap { id in
            mirror.record(id).map { (id, $0.object) }
        }
        guard targets.contains(where: { target in snapshot.values.contains { $0.contains(target.object) } })
        else { return }
        let evaluator = mirror.evaluator()
        let upsert = try db.cachedStatement(
            sql:
                "INSERT OR REPLACE INTO \"\(StoreSchema.visibleTable)\" (\"user_key\", \"id\", \"level\") VALUES (?, ?, ?)"
        )
        let remove = try db.cachedStatement(
            sql: "DELETE FROM \"\(StoreSchema.visibleTable)\" WHERE \"user_key\" = ? AND \"id\" = ?")
        for (key, objects) in snapshot.sorted(by: { $0.key < $1.key }) {
            guard let username = names[key] else { continue }
            for target in targets where objects.contains(target.object) {
                let level = evaluator.decision(username: username, recordId: target.id)?.level ?? .none
                if level >= .read {
                    try upsert.execute(arguments: [key, target.id, level.rawValue])
                } else {
                    try remove.execute(arguments: [key, target.id])
                }
            }
        }
    }
}

/// The objects a generated statement reads under a visibility filter (collected while generating).
final class TouchedObjects: @unchecked Sendable {
    private let lock = NSLock()
    private var objects: Set<String> = []

    func insert(_ object: String) {
        lock.lock()
        objects.insert(object)
        lock.unlock()
    }

    var all: Set<String> {
        lock.lock()
        defer { lock.unlock() }
        return objects
    }
}
