import AccessModel
import Foundation
import GRDB
import SOQL

/// `query`, `queryAll` and their next pages (`rest-api.md` §2.4).
extension RecordStore {
    /// Records per page unless the client asks for another size.
    public static let defaultBatchSize = 2_000

    /// The page size a `Sforce-Query-Options` header asks for (`batchSize=500`), kept within 200…2,000;
    /// the default (2,000) without the header or the option.
    public static func batchSize(queryOptions header: String?) -> Int {
        guard let header else { return defaultBatchSize }
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if pair.count == 2, pair[0].caseInsensitiveCompare("batchSize") == .orderedSame,
                let n = Int(pair[1])
            {
                return clampedBatchSize(n)
            }
        }
        return defaultBatchSize
    }

    static func clampedBatchSize(_ n: Int) -> Int { min(2_000, max(200, n)) }

    /// Runs a SOQL query as the user of `access` and returns its first page.
    ///
    /// - Parameters:
    ///   - includeDeleted: `queryAll` (soft-deleted rows too).
    ///   - batchSize: records per page, kept within 200…2,000.
    /// - Throws: `SOQLError` for the query text (`MALFORMED_QUERY`, `INVALID_FIELD`, `INVALID_TYPE`, …),
    ///   `RecordStoreError` when the database fails.
    public func query(
        _ soql: String, access: UserAccess, includeDeleted: Bool = false, batchSize: Int = defaultBatchSize
    ) throws -> QueryResult {
        let bound = try Binder(org: org, access: access, relationships: relationships).bind(soql)
        return try run(bound, access: access, includeDeleted: includeDeleted, batchSize: batchSize)
    }

    /// Runs an already bound query (bound for the same user, e.g. to check a Bulk API job's SOQL before
    /// accepting it) and returns its first page.
    public func run(
        _ bound: BoundQuery, access: UserAccess, includeDeleted: Bool = false,
        batchSize: Int = defaultBatchSize
    ) throws(RecordStoreError) -> QueryResult {
        let batch = Self.clampedBatchSize(batchSize)
        let username = access.user.username
        let touched = TouchedObjects()
        let generator = SQLGenerator(
            schema: schema.sql, visibility: visibility.condition(for: access.user, touched: touched),
            now: clock(),
            includeDeleted: includeDeleted)
        let generated = generator.generate(bound)
        let objects = touched.all
        try prepareVisibility(username, objects)
        do {
            return try pool.read { db -> QueryResult in
                if bound.isCountOnly {
                    let statement = try db.cachedStatement(sql: generated.main.sql)
                    let count =
                        try Int.fetchOne(statement, arguments: Self.arguments(generated.main.parameters)) ?? 0
                    return QueryResult(totalSize: count, done: true, records: [])
                }
                let formatter = RowFormatter(bound, columns: generated.main.columns)
                let statement = try db.cachedStatement(sql: generated.main.sql)
                let rows = try Row.fetchCursor(
                    statement, arguments: Self.arguments(generated.main.parameters))
                var records: [ResultRecord] = []
                var ids = IdList()
                if bound.isAggregate {
                    while let row = try rows.next() { records.append(formatter.record(row)) }
                } else {
                    records.reserveCapacity(min(batch, 256))
                    while let row = try rows.next() {
                        if records.count < batch {
                            records.append(formatter.record(row))
                            ids.append(records[records.count - 1].id ?? "")
                        } else {
                            ids.append(row[formatter.idColumn!] as String)
                        }
                    }
                    try fillChildren(&records, bound: bound, generated: generated, db: db)
                }
                let total = bound.isAggregate ? records.count : ids.count
                guard total > batch else {
                    return QueryResult(totalSize: total, done: true, records: records)
                }
                let locator = QueryCursors.newLocator()
                let cursor = QueryCursor(
                    locator: locator, username: username, query: bound, generator: generator,
                    generated: generated,
                    ids: bound.isAggregate ? IdList() : ids, rows: bound.isAggregate ? records : [],
                    touched: objects, lastUsed: clock())
                cursors.add(cursor, now: clock())
                return QueryResult(
                    totalSize: total, done: false, records: Array(records.prefix(batch)),
                    nextLocator: "\(locator)-\(batch)")
            }
        } catch let error as RecordStoreError {
            throw error
        } catch {
            throw RecordStoreError.storage(error)
        }
    }

    /// The page of an open query at `locator` (`01g…-2000`, the last segment of `nextRecordsUrl`), as
    /// the same user; a `q` sent along is to be ignored by the caller. Pages can be read in any order
    /// and again until the locator expires.
    ///
    /// - Throws: `INVALID_QUERY_LOCATOR` for an unknown, expired or other user's locator, or an offset
    ///   past the end.
    public func queryMore(_ locator: String, access: UserAccess, batchSize: Int = defaultBatchSize)
        throws(RecordStoreError) -> QueryResult
    {
        let batch = Self.clampedBatchSize(batchSize)
        var id = Substring(locator)
        var offset = 0
        if let dash = locator.lastIndex(of: "-") {
            guard let n = Int(locator[locator.index(after: dash)...]), n >= 0 else {
                throw RecordStoreError.invalidLocator()
            }
            id = locator[..<dash]
            offset = n
        }
        guard let cursor = cursors.take(String(id), now: clock()),
            cursor.username.caseInsensitiveCompare(access.user.username) == .orderedSame,
            offset <= cursor.totalSize
        else { throw RecordStoreError.invalidLocator() }
        let end = min(cursor.totalSize, offset + batch)
        let done = end >= cursor.totalSize
        let next = done ? nil : "\(cursor.locator)-\(end)"
        if cursor.query.isAggregate {
            return QueryResult(
                totalSize: cursor.totalSize, done: done, records: Array(cursor.rows[offset..<end]),
                nextLocator: next)
        }
        try prepareVisibility(cursor.username, cursor.touched)
        let pageIds = cursor.ids.slice(offset..<end)
        let page = cursor.generator.rows(cursor.query, ids: pageIds)
        do {
            let records = try pool.read { db -> [ResultRecord] in
                let formatter = RowFormatter(cursor.query, columns: page.columns)
                let rows = try Row.fetchCursor(
                    try db.cachedStatement(sql: page.sql), arguments: Self.arguments(page.parameters))
                var byId: [String: ResultRecord] = [:]
                byId.reserveCapacity(pageIds.count)
                while let row = try rows.next() {
                    let record = formatter.record(row)
                    byId[record.id ?? ""] = record
                }
                var records = pageIds.compactMap { byId[$0] }
                try fillChildren(&records, bound: cursor.query, generated: cursor.generated, db: db)
                return records
            }
            return QueryResult(totalSize: cursor.totalSize, done: done, records: records, nextLocator: next)
        } catch let error as RecordStoreError {
            throw error
        } catch {
            throw RecordStoreError.storage(error)
        }
    }

    // MARK: Internals

    /// Makes sure `__visible` holds `username`'s rows for `objects`.
    func prepareVisibility(_ username: String, _ objects: Set<String>) throws(RecordStoreError) {
        guard !objects.isEmpty, !visibility.missing(username, objects).isEmpty else { return }
        do {
            try pool.write { db in
                try visibility.materialize(db, username: username, objects: Array(objects))
            }
        } catch {
            throw RecordStoreError.storage(error)
        }
    }

    /// Runs the child subqueries for the parents in `records` and puts each parent's children (or
    /// `null` when it has none) under the relationship name.
    func fillChildren(
        _ records: inout [ResultRecord], bound: BoundQuery, generated: GeneratedSQL, db: Database
    ) throws {
        guard !generated.children.isEmpty, !records.isEmpty else { return }
        let parentIds = records.compactMap(\.id)
        for statement in generated.children {
            guard case .child(let child) = bound.columns[statement.item] else { continue }
            var byParent: [String: [ResultRecord]] = [:]
            for start in stride(from: 0, to: parentIds.count, by: 2_000) {
                let chunk = Array(parentIds[start..<min(parentIds.count, start + 2_000)])
                let query = statement.query(parentIds: chunk)
                let formatter = RowFormatter(child, columns: query.columns)
                let rows = try Row.fetchCursor(
                    try db.cachedStatement(sql: query.sql), arguments: Self.arguments(query.parameters))
                while let row = try rows.next() {
                    guard let parent = formatter.parentColumn.flatMap({ row[$0] as String? }) else {
                        continue
                    }
                    byParent[parent, default: []].append(formatter.record(row))
                }
            }
            for i in records.indices {
                guard let id = records[i].id,
                    let slot = records[i].fields.firstIndex(where: { $0.name == statement.relationshipName })
                else { continue }
                if let children = byParent[id] {
                    records[i].fields[slot].value = .subquery(
                        QueryResult(totalSize: children.count, done: true, records: children))
                }
            }
        }
    }

    static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(
            values.map { value -> DatabaseValue in
                switch value {
                case .null: .null
                case .integer(let i): i.databaseValue
                case .real(let d): d.databaseValue
                case .text(let s): s.databaseValue
                }
            })
    }
}
