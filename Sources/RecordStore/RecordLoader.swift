import AccessModel
import Foundation
import GRDB
import SOQL

/// Creating the tables, loading an org's records into them, and reading back what the sharing
/// evaluator needs.
enum RecordLoader {
    /// Prepares the database for `org` inside one transaction and says what it did (see
    /// `RecordStore.Opening`).
    static func open(
        _ db: Database, schema: StoreSchema, org: Org, source: String, reset: Bool, now: Date,
        notes: inout [String]
    ) throws -> RecordStore.Opening {
        try db.execute(sql: StoreSchema.createMeta)
        var meta: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT \"key\", \"value\" FROM \"\(StoreSchema.metaTable)\"") {
            meta[row[0]] = row[1]
        }
        let opening: RecordStore.Opening
        if reset {
            opening = .reset
        } else if let previous = meta["source"] {
            opening =
                previous == source && meta["version"] == StoreSchema.version
                ? .reopened : .reloaded(previousSource: previous)
        } else {
            opening = .created
        }
        if opening == .reopened {
            try ensureTables(db, schema: schema)
        } else {
            let existing = try String.fetchAll(
                db,
                sql:
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '\(StoreSchema.metaTable)'"
            )
            for name in existing { try db.execute(sql: "DROP TABLE IF EXISTS \(SQLSchema.quote(name))") }
            // Indexes after the rows: building each once is faster than maintaining it per insert.
            try ensureTables(db, schema: schema, indexes: false)
            let count = try load(db, schema: schema, org: org, now: now, notes: &notes)
            try ensureTables(db, schema: schema)
            try db.execute(sql: "ANALYZE")
            let values: [(String, String)] = [
                ("source", source), ("version", StoreSchema.version),
                ("loadedAt", SQLGenerator.dateTimeString(now)), ("loadedRecords", String(count)),
            ]
            for (key, value) in values {
                try db.execute(
                    sql:
                        "INSERT OR REPLACE INTO \"\(StoreSchema.metaTable)\" (\"key\", \"value\") VALUES (?, ?)",
                    arguments: [key, value])
            }
        }
        // Visibility is derived data: recomputed lazily for the org as it is now.
        try db.execute(sql: "DELETE FROM \"\(StoreSchema.visibleTable)\"")
        return opening
    }

    /// Creates missing tables, columns (fields added to the metadata since) and, unless told not to,
    /// indexes.
    static func ensureTables(_ db: Database, schema: StoreSchema, indexes: Bool = true) throws {
        try db.execute(sql: StoreSchema.createVisible)
        for table in schema.tables.values.sorted(by: { $0.object < $1.object }) {
            if try db.tableExists(table.object) {
                let present = Set(try db.columns(in: table.object).map { $0.name.lowercased() })
                for column in table.columns where !present.contains(column.name.lowercased()) {
                    try db.execute(
                        sql:
                            "ALTER TABLE \(schema.sql.table(table.object)) ADD COLUMN \(SQLSchema.quote(column.name)) \(column.kind.declaration)"
                    )
                }
            } else {
                try db.execute(sql: schema.createTable(table))
            }
            guard indexes else { continue }
            for statement in schema.createIndexes(table) { try db.execute(sql: statement) }
        }
    }

    /// Inserts the org's users (as `User` rows) and records; returns how many rows were written.
    static func load(_ db: Database, schema: StoreSchema, org: Org, now: Date, notes: inout [String]) throws
        -> Int
    {
        let stamp = SQLGenerator.dateTimeString(now)
        var count = 0
        let userIds = org.users.map(\.recordId)
        if let table = schema.table("User") {
            let writer = try RowWriter(db, table: table, schema: schema)
            for (user, id) in zip(org.users, userIds) {
                let parts = (user.name ?? user.username).split(separator: " ", maxSplits: 1).map(String.init)
                var fields: [String: FieldValue] = [
                    "Username": .string(user.username), "Name": .string(user.name ?? user.username),
                    "LastName": .string(parts.count > 1 ? parts[1] : parts[0]),
                    "Email": .string(user.username), "IsActive": .boolean(user.isActive),
                    "Alias": .string(String(user.username.prefix { $0 != "@" }.prefix(8))),
                ]
                if parts.count > 1 { fields["FirstName"] = .string(parts[0]) }
                let record = Record(object: "User", id: id, fields: fields)
                count += try writer.insert(record, ownerId: nil, stamp: stamp, creatorId: nil) ? 1 : 0
            }
        }
        for object in org.records.objectNames {
            guard let table = schema.table(object) else {
                notes.append(
                    "\(org.records.records(of: object).count) record(s) of `\(object)`, which is not an object of the project, were not loaded"
                )
                continue
            }
            let writer = try RowWriter(db, table: table, schema: schema)
            var unknown: Set<String> = []
            for record in org.records.records(of: object) {
                for name in record.fields.keys
                where table.column(name) == nil && name != "Id" && name != "IsDeleted" {
                    unknown.insert(name)
                }
                let owner = record.ownerUsername.flatMap { org.userIndex(named: $0) }.map { userIds[$0] }
                count += try writer.insert(record, ownerId: owner, stamp: stamp, creatorId: owner) ? 1 : 0
            }
            for name in unknown.sorted() {
                notes.append(
                    "values of `\(object).\(name)` were not loaded: \(object) has no stored field `\(name)`")
            }
        }
        return count
    }

    /// The records as the sharing evaluator needs them: Id, owner and the fields sharing reads
    /// (`StoreSchema.Table.sharingFields`), for every object, deleted rows included (a soft delete does
    /// not change who can see a record in `queryAll`).
    static func sharingRecords(_ db: Database, schema: StoreSchema, org: Org) throws -> [Record] {
        var usernameById: [String: String] = [:]
        for user in org.users { usernameById[user.recordId] = user.username }
        var records: [Record] = []
        for table in schema.tables.values.sorted(by: { $0.object < $1.object }) {
            let columns = table.columns.filter { table.sharingFields.contains($0.name) }
            let hasOwner = table.column("OwnerId") != nil
            let names = ["Id", "IsDeleted"] + columns.map(\.name)
            let sql =
                "SELECT \(names.map(SQLSchema.quote).joined(separator: ", ")) FROM \(schema.sql.table(table.object))"
            let cursor = try Row.fetchCursor(db, sql: sql)
            while let row = try cursor.next() {
                var fields: [String: FieldValue] = [:]
                var owner: String?
                for (i, column) in columns.enumerated() {
                    let value = FieldValue(stored: row[i + 2] as DatabaseValue, kind: column.kind)
                    if hasOwner, column.name == "OwnerId" {
                        if case .string(let id) = value { owner = usernameById[id] }
                    }
                    if case .null = value { continue }
                    fields[column.name] = value
                }
                records.append(Record(object: table.object, id: row[0], ownerUsername: owner, fields: fields))
            }
        }
        return records
    }
}

/// Inserts whole rows into one table with a prepared statement.
struct RowWriter {
    /// What a column holds when the record gives no value.
    enum Fill {
        case owner, stamp, creator, compoundName
    }

    let db: Database
    let statement: Statement
    /// Per stored column (after `Id` and `IsDeleted`): its kind; and where a record's field goes.
    private let kinds: [StoreSchema.Kind]
    private let columnByName: [String: Int]
    /// A row before the record's values: `Id`, `IsDeleted`, then each column's value for null.
    private let emptyRow: [DatabaseValue]
    private let fills: [(column: Int, name: String, fill: Fill)]

    init(_ db: Database, table: StoreSchema.Table, schema: StoreSchema, replace: Bool = false) throws {
        self.db = db
        let names = ["Id", "IsDeleted"] + table.columns.map(\.name)
        statement = try db.makeStatement(
            sql:
                "INSERT \(replace ? "OR REPLACE" : "OR IGNORE") INTO \(schema.sql.table(table.object)) (\(names.map(SQLSchema.quote).joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: names.count).joined(separator: ", ")))"
        )
        // Read each column once here: copying a `Column` (its whole `Field`) per row and looking every
        // column up in the record was most of loading a million records.
        kinds = table.columns.map(\.kind)
        columnByName = table.columnByName
        var fills: [(Int, String, Fill)] = []
        for (i, column) in table.columns.enumerated() {
            switch column.name {
            case "OwnerId": fills.append((i, column.name, .owner))
            case "CreatedDate", "LastModifiedDate", "SystemModstamp": fills.append((i, column.name, .stamp))
            case "CreatedById", "LastModifiedById": fills.append((i, column.name, .creator))
            default: if column.field.type == .name { fills.append((i, column.name, .compoundName)) }
            }
        }
        self.fills = fills
        emptyRow = [.null, .null] + kinds.map { FieldValue.null.databaseValue($0) }
    }

    /// Inserts `record`; audit fields default to `stamp` and `creatorId`, `OwnerId` to `ownerId`, a
    /// compound name (`Contact.Name`) to its parts. Returns false when the Id was already present.
    func insert(_ record: Record, ownerId: String?, stamp: String, creatorId: String?) throws -> Bool {
        var values = emptyRow
        values[0] = record.id.databaseValue
        values[1] = record["IsDeleted"].databaseValue(.boolean)
        for (name, value) in record.fields {
            guard let i = columnByName[name] else { continue }
            values[i + 2] = value.databaseValue(kinds[i])
        }
        for (i, name, fill) in fills {
            if let given = record.fields[name], given != .null { continue }
            let value: FieldValue =
                switch fill {
                case .owner: ownerId.map { .string($0) } ?? .null
                case .stamp: .dateTime(stamp)
                case .creator: creatorId.map { .string($0) } ?? .null
                case .compoundName: RowWriter.compoundName(record.fields)
                }
            values[i + 2] = value.databaseValue(kinds[i])
        }
        try statement.executeInsert(values, db)
        return db.changesCount > 0
    }

    /// `FirstName LastName` (the computed `Name` of contacts, leads and users).
    static func compoundName(_ fields: [String: FieldValue]) -> FieldValue {
        let parts = ["FirstName", "LastName"].compactMap { fields[$0]?.text }.filter { !$0.isEmpty }
        return parts.isEmpty ? .null : .string(parts.joined(separator: " "))
    }
}
