import AccessModel
import Foundation
import GRDB
import SOQL

/// An org's records in SQLite, served to one user at a time exactly as the access model allows: the
/// only module that talks to the database (GRDB).
///
/// - Opening creates the file (WAL mode) and one table per object of the org (`StoreSchema`), and loads
///   the org's `RecordSet` on first start, with `reset`, or when the file was loaded from another
///   `source`; otherwise the records written before are kept (a `__meta` table remembers the source).
/// - Queries (`query`, `queryMore`) bind SOQL for the user (`SOQLError` for unknown or unreadable names),
///   generate SQL, and only ever read records the user can see: visibility comes from `SharingEvaluator`
///   (one source of truth), materialised per user and object on first use in `__visible`; users with
///   View All or View All Data on an object get no filter (`REC-18`).
/// - Writes (`insert`, `update`, `delete`, `upsert`) check object permission, record access, field
///   access and values, and run as one transaction each; afterwards the visibility of the changed records
///   (and of the records whose sharing depends on them) is recomputed for every user seen so far, so the
///   next request sees the change.
///
/// Thread-safe: any number of tasks may call it at once (reads run in parallel, writes one at a time).
public final class RecordStore: @unchecked Sendable {
    /// What opening did with the records.
    public enum Opening: Hashable, Sendable {
        /// A new database: the org's records were loaded.
        case created
        /// `reset`: the database was emptied and the org's records loaded again.
        case reset
        /// The database had been loaded from another source (or an older layout); reloaded.
        case reloaded(previousSource: String)
        /// The database was reopened with its records, writes included.
        case reopened
    }

    /// The org (metadata, users, sharing configuration); its `records` are what was loaded at open.
    public let org: Org
    /// The database file.
    public let path: String
    /// Where the records came from (a project path or any identifier the caller chooses).
    public let source: String
    public let opening: Opening
    /// Notes about the load: records of unknown objects, values of unknown fields.
    public let notes: [String]

    let pool: DatabasePool
    let schema: StoreSchema
    let relationships: RelationshipIndex
    let mirror: SharingMirror
    let visibility: VisibilityIndex
    let cursors: QueryCursors
    let clock: @Sendable () -> Date

    /// Opens (or creates) the database at `path` for `org`.
    ///
    /// - Parameters:
    ///   - org: the project's org; `org.records` are loaded when the database is new, when `reset` is
    ///     set, or when the database was loaded from a different `source`.
    ///   - source: identifies the records (the project path, say); remembered in the database.
    ///   - reset: drop every record and load `org.records` again.
    ///   - evaluator: the access evaluator of `org`, if the caller has one (it is built otherwise); its
    ///     object and system permissions cap record access (`OBJ-9`, `REC-18`).
    ///   - clock: "now", for audit fields and relative date literals.
    public init(
        path: String, org: Org, source: String, reset: Bool = false, evaluator: AccessEvaluator? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(RecordStoreError) {
        self.path = path
        self.source = source
        self.clock = clock
        let schema = StoreSchema(org: org)
        self.schema = schema
        relationships = RelationshipIndex(org: org)
        cursors = QueryCursors()
        do {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                try db.execute(sql: "PRAGMA cache_size = -65536")
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
            }
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw RecordStoreError.storage(error)
        }
        let evaluator = evaluator ?? AccessEvaluator(org: org)
        let permissions = evaluator.sharingEvaluator().permissions
        var loadNotes: [String] = []
        let opening: Opening
        do {
            opening = try pool.write { db -> Opening in
                try RecordLoader.open(
                    db, schema: schema, org: org, source: source, reset: reset, now: clock(),
                    notes: &loadNotes)
            }
            var metadataOrg = org
            metadataOrg.records = RecordSet()
            let records = try pool.read { db in try RecordLoader.sharingRecords(db, schema: schema, org: org)
            }
            mirror = SharingMirror(org: metadataOrg, permissions: permissions, records: records)
        } catch let error as RecordStoreError {
            throw error
        } catch {
            throw RecordStoreError.storage(error)
        }
        self.opening = opening
        self.org = org
        notes = loadNotes
        visibility = VisibilityIndex(mirror: mirror)
    }

    // MARK: Users

    /// The Id of a user (its `OwnerId` value and `User` row), `nil` for an unknown username.
    public func userId(_ username: String) -> String? { org.user(named: username)?.recordId }

    /// The org's Id (`00D…`), derived from `source`: stable for one project.
    public var organizationId: String {
        let body = RecordId.make(object: "Organization", referenceId: source)
        let fifteen = "00D" + body.dropFirst(3).prefix(12)
        return fifteen + RecordId.checksum(String(fifteen))
    }

    /// Closes the database; later calls fail with `STORAGE_ERROR`.
    public func close() throws(RecordStoreError) {
        do { try pool.close() } catch { throw RecordStoreError.storage(error) }
    }
}

/// A record of the org (GRDB has a `Record` class too; this module means AccessModel's).
typealias Record = AccessModel.Record
