import AccessModel
import Foundation
import SOQL

/// The SQLite layout of an org's records, as `SQLSchema` describes it: one table per object (named by
/// its API name), one column per stored field, `"Id"` as the primary key and `"IsDeleted"` 0/1 in every
/// table, no columns for address and location compounds (their components have them). Text columns
/// compare without case (`COLLATE NOCASE`, as SOQL does), so indexes on them serve SOQL filters.
///
/// Indexed: every lookup and master-detail field (not the audit lookups), unique and external-Id fields,
/// the fields that sharing criteria and restriction rules read, and `SystemModstamp` and
/// `LastModifiedDate` (the cursors of incremental syncs).
struct StoreSchema: Sendable {
    /// How a column stores its values: SOQL's `FieldKind`, so stored values and generated comparisons
    /// agree.
    typealias Kind = FieldKind

    /// One stored column.
    struct Column: Sendable {
        var field: Field
        var kind: Kind
        var name: String { field.name }
    }

    /// One object's table.
    struct Table: Sendable {
        var object: String
        /// Stored columns other than `Id` and `IsDeleted`, by field name order.
        var columns: [Column]
        var columnByName: [String: Int]
        /// Columns with an index.
        var indexed: [String]
        /// Fields the sharing evaluator reads (kept in the in-memory sharing copy): lookups and the
        /// fields named by sharing criteria and restriction rules.
        var sharingFields: Set<String>

        func column(_ name: String) -> Column? { columnByName[name].map { columns[$0] } }
    }

    let tables: [String: Table]
    let sql = SQLSchema()

    static let visibleTable = "__visible"
    static let metaTable = "__meta"
    /// Bumped when the layout changes incompatibly; a database with another version is reloaded.
    static let version = "1"

    init(org: Org) {
        var tables: [String: Table] = [:]
        for object in org.objects.values {
            tables[object.name] = Self.table(object, org: org)
        }
        self.tables = tables
    }

    func table(_ object: String) -> Table? { tables[object] }

    /// Whether a field has a column of its own.
    static func isStored(_ field: Field) -> Bool {
        if field.name == "Id" || field.name == "IsDeleted" { return false }
        return field.type != .address && field.type != .location
    }

    /// The fields sync clients filter and sort incremental reads by (`WHERE SystemModstamp >= …`).
    static let syncCursorFields: Set<String> = ["SystemModstamp", "LastModifiedDate"]

    static func table(_ object: SObjectType, org: Org) -> Table {
        let columns = object.sortedFields.filter(isStored).map { Column(field: $0, kind: Kind($0)) }
        var byName: [String: Int] = [:]
        for (i, c) in columns.enumerated() { byName[c.name] = i }
        // Fields named by sharing criteria and restriction rules.
        var criteria: Set<String> = []
        for rule in org.sharingRules where rule.object == object.name {
            switch rule.kind {
            case .criteria(let filter, _), .guest(let filter, _):
                for item in filter.items { criteria.insert(item.field) }
            default: break
            }
        }
        for rule in org.restrictionRules.values where rule.targetEntity == object.name {
            for name in identifiers(in: rule.recordFilter ?? "") { criteria.insert(name) }
        }
        let criteriaColumns = Set(
            criteria.compactMap { name in
                columns.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.name
            })
        var indexed: [String] = []
        var sharing: Set<String> = criteriaColumns
        for column in columns {
            let field = column.field
            let isLookup = column.kind == .id && !field.referenceTo.isEmpty && !field.isAudit
            if isLookup { sharing.insert(field.name) }
            if isLookup || field.isUnique || field.isExternalId || criteriaColumns.contains(field.name)
                || syncCursorFields.contains(field.name)
            {
                indexed.append(field.name)
            }
        }
        return Table(
            object: object.name, columns: columns, columnByName: byName, indexed: indexed,
            sharingFields: sharing)
    }

    /// Identifier-like words of a formula (`Send_to_HubSpot__c = true` → `Send_to_HubSpot__c`, `true`).
    static func identifiers(in text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for c in text {
            if c.isLetter || c.isNumber || c == "_" {
                current.append(c)
            } else {
                if !current.isEmpty { words.append(current) }
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    // MARK: DDL

    /// `CREATE TABLE` for an object.
    func createTable(_ table: Table) -> String {
        var parts = [
            "\(SQLSchema.quote("Id")) TEXT PRIMARY KEY NOT NULL",
            "\(SQLSchema.quote("IsDeleted")) INTEGER NOT NULL DEFAULT 0",
        ]
        for column in table.columns {
            parts.append(SQLSchema.quote(column.name) + " " + column.kind.declaration)
        }
        return
            "CREATE TABLE IF NOT EXISTS \(sql.table(table.object)) (\(parts.joined(separator: ", "))) WITHOUT ROWID"
    }

    /// `CREATE INDEX` statements for an object's indexed columns.
    func createIndexes(_ table: Table) -> [String] {
        table.indexed.map { column in
            let name = SQLSchema.quote("ix_\(table.object)_\(column)")
            return
                "CREATE INDEX IF NOT EXISTS \(name) ON \(sql.table(table.object)) (\(SQLSchema.quote(column)))"
        }
    }

    static let createMeta =
        "CREATE TABLE IF NOT EXISTS \"\(Self.metaTable)\" (\"key\" TEXT PRIMARY KEY NOT NULL, \"value\" TEXT NOT NULL)"

    /// The records each user can see, per user key (`VisibilityIndex`); rebuilt lazily, so emptied on open.
    static let createVisible =
        "CREATE TABLE IF NOT EXISTS \"\(Self.visibleTable)\" (\"user_key\" INTEGER NOT NULL, \"id\" TEXT NOT NULL, \"level\" INTEGER NOT NULL, PRIMARY KEY (\"user_key\", \"id\")) WITHOUT ROWID"
}

extension FieldKind {
    /// The SQLite column declaration for values of this kind.
    var declaration: String {
        switch self {
        case .id: "TEXT"
        case .text, .multipicklist: "TEXT COLLATE NOCASE"
        case .number: "NUMERIC"
        case .boolean: "INTEGER NOT NULL DEFAULT 0"
        case .date, .dateTime, .time: "TEXT"
        }
    }
}
