import AccessModel
import Foundation
import GRDB
import SOQL

/// One record by Id or external Id, and the writes (`rest-api.md` §2.5, `API-6`…`API-11`). Every write
/// is one transaction: the row, and the visibility rows recomputed for it, commit together or not at all.
extension RecordStore {
    // MARK: Read

    /// The record `id` of `object` with `fields` (default: every field the user can read), as the user of
    /// `access` sees it.
    ///
    /// - Throws: `NOT_FOUND` when the object is unknown or unreadable, or the record does not exist or is
    ///   not shared with the user (`API-11`); `ENTITY_IS_DELETED` for a deleted record; `MALFORMED_ID`;
    ///   `INVALID_FIELD` for a requested field that is unknown or unreadable.
    public func record(_ object: String, id: String, fields: [String]? = nil, access: UserAccess)
        throws(RecordStoreError) -> ResultRecord
    {
        let type = try readableObject(object, access)
        guard let id = RecordId.normalize(id) else { throw RecordStoreError.malformedId(id) }
        let selected = try selectedFields(type, fields, access: access)
        return try reading { db in
            guard let row = try self.row(db, type.name, id: id, columns: selected.flatMap(\.columns)) else {
                throw RecordStoreError.notFound()
            }
            guard try self.level(access, id) >= .read else { throw RecordStoreError.notFound() }
            if row.deleted { throw RecordStoreError.deleted() }
            return self.format(type, id: id, fields: selected, values: row.values, access: access)
        }
    }

    /// The one record of `object` whose external-Id field `field` equals `value`.
    ///
    /// - Throws: as `record(_:id:fields:access:)`; `NOT_FOUND` when `field` is not a readable external-Id
    ///   field or nothing visible matches; `MULTIPLE_CHOICES` (HTTP 300) with `matchingIds` when several
    ///   visible records match.
    public func record(
        _ object: String, externalIdField field: String, value: String, fields: [String]? = nil,
        access: UserAccess
    ) throws(RecordStoreError) -> ResultRecord {
        let type = try readableObject(object, access)
        let key = try externalIdField(type, field, access: access)
        let ids = try reading { db in try self.matches(db, type.name, key, value, access: access) }
        guard let only = ids.first else { throw RecordStoreError.notFound() }
        if ids.count > 1 { throw multipleChoices(ids) }
        return try record(type.name, id: only, fields: fields, access: access)
    }

    // MARK: Write

    /// Creates a record of `object` from `values` (field name → value, in request order) and returns its
    /// new Id (the object's key prefix, then a checksum: `RecordId`). The owner is the user unless
    /// `OwnerId` is given.
    ///
    /// - Throws: `NOT_FOUND` (unknown or unreadable object), `INSUFFICIENT_ACCESS_OR_READONLY` (no Create,
    ///   `API-9`), `INVALID_FIELD`, `INVALID_FIELD_FOR_INSERT_UPDATE`, value errors,
    ///   `REQUIRED_FIELD_MISSING`, `INVALID_CROSS_REFERENCE_KEY` / `INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY`
    ///   for lookups, `DUPLICATE_VALUE` for unique fields.
    public func insert(_ object: String, values: [(String, FieldValue)], access: UserAccess)
        throws(RecordStoreError) -> String
    {
        let type = try readableObject(object, access)
        guard access.objectAccess(type.name).contains(.create) else {
            throw RecordStoreError.insufficientAccess("")
        }
        let plan = try WritePlan.make(
            object: type, table: table(type.name), values: values, operation: .insert, access: access)
        return try writing { db in try self.insert(db, plan, access: access) }
    }

    /// Updates the record `id` of `object` with `values`.
    ///
    /// - Throws: as `insert`, plus `NOT_FOUND` for a record the user cannot see, `ENTITY_IS_DELETED`,
    ///   `INSUFFICIENT_ACCESS_OR_READONLY` without Edit on the object or the record (`API-8`), or when
    ///   changing the owner without full access to the record (assumed: transfer needs All).
    public func update(_ object: String, id: String, values: [(String, FieldValue)], access: UserAccess)
        throws(RecordStoreError)
    {
        let type = try readableObject(object, access)
        guard let id = RecordId.normalize(id) else { throw RecordStoreError.malformedId(id) }
        guard access.objectAccess(type.name).contains(.edit) else {
            throw RecordStoreError.insufficientAccess(id)
        }
        let plan = try WritePlan.make(
            object: type, table: table(type.name), values: values, operation: .update, access: access)
        try writing { db in try self.update(db, plan, id: id, access: access) }
    }

    /// Deletes the record `id` of `object` (soft delete: `IsDeleted = 1`, so `queryAll` still returns
    /// it); the details of its master-detail children are deleted with it.
    ///
    /// - Throws: `NOT_FOUND`, `ENTITY_IS_DELETED`, `INSUFFICIENT_ACCESS_OR_READONLY` without Delete on the
    ///   object or full access (owner, above the owner, Modify All: All) to the record.
    public func delete(_ object: String, id: String, access: UserAccess) throws(RecordStoreError) {
        let type = try readableObject(object, access)
        guard let id = RecordId.normalize(id) else { throw RecordStoreError.malformedId(id) }
        guard access.objectAccess(type.name).contains(.delete) else {
            throw RecordStoreError.insufficientAccess(id)
        }
        try writing { db in
            guard let row = try self.row(db, type.name, id: id, columns: []) else {
                throw RecordStoreError.notFound()
            }
            let level = try self.level(access, id)
            guard level >= .read else { throw RecordStoreError.notFound() }
            if row.deleted { throw RecordStoreError.deleted() }
            guard level >= .all else { throw RecordStoreError.insufficientAccess(id) }
            let stamp = SQLGenerator.dateTimeString(self.clock())
            try self.softDelete(
                db, type.name, id: id, stamp: stamp, userId: self.userId(access.user.username))
        }
    }

    /// Inserts or updates the record of `object` whose external-Id field `field` equals `value`
    /// (`PATCH /sobjects/T/{field}/{value}`).
    ///
    /// - Throws: `NOT_FOUND` when `field` is not a readable external-Id field (or `Id`);
    ///   `MULTIPLE_CHOICES` (HTTP 300) with `matchingIds` when several records match; otherwise as
    ///   `insert` or `update`.
    public func upsert(
        _ object: String, externalIdField field: String, value: String, values: [(String, FieldValue)],
        access: UserAccess
    ) throws(RecordStoreError) -> UpsertResult {
        let type = try readableObject(object, access)
        let key = try externalIdField(type, field, access: access)
        let table = try table(type.name)
        return try writing { db in
            let ids = try self.matches(db, type.name, key, value, access: access)
            if ids.count > 1 { throw self.multipleChoices(ids) }
            if let id = ids.first {
                guard access.objectAccess(type.name).contains(.edit) else {
                    throw RecordStoreError.insufficientAccess(id)
                }
                let rest = values.filter { $0.0.caseInsensitiveCompare(key.name) != .orderedSame }
                let plan = try WritePlan.make(
                    object: type, table: table, values: rest, operation: .update, access: access)
                try self.update(db, plan, id: id, access: access)
                return UpsertResult(id: id, created: false)
            }
            guard access.objectAccess(type.name).contains(.create) else {
                throw RecordStoreError.insufficientAccess("")
            }
            var all = values.filter { $0.0.caseInsensitiveCompare(key.name) != .orderedSame }
            if key.name != "Id" { all.append((key.name, .string(value))) }
            let plan = try WritePlan.make(
                object: type, table: table, values: all, operation: .insert, access: access)
            return UpsertResult(id: try self.insert(db, plan, access: access), created: true)
        }
    }

    /// `values` from a dictionary, in name order.
    public func insert(_ object: String, values: [String: FieldValue], access: UserAccess)
        throws(RecordStoreError)
        -> String
    {
        try insert(
            object, values: values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, access: access)
    }

    /// `values` from a dictionary, in name order.
    public func update(_ object: String, id: String, values: [String: FieldValue], access: UserAccess)
        throws(RecordStoreError)
    {
        try update(
            object, id: id, values: values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            access: access)
    }

    // MARK: Internals

    func readableObject(_ name: String, _ access: UserAccess) throws(RecordStoreError) -> SObjectType {
        guard let type = org.object(named: name), access.objectAccess(type.name).contains(.read),
            schema.table(type.name) != nil
        else { throw RecordStoreError.notFound() }
        return type
    }

    func table(_ object: String) throws(RecordStoreError) -> StoreSchema.Table {
        guard let table = schema.table(object) else { throw RecordStoreError.notFound() }
        return table
    }

    func externalIdField(_ type: SObjectType, _ name: String, access: UserAccess) throws(RecordStoreError)
        -> Field
    {
        guard let field = WritePlan.field(name, of: type),
            field.name == "Id" || (field.isExternalId && access.canRead(object: type.name, field: field.name))
        else {
            throw RecordStoreError(
                .notFound, "Provided external ID field does not exist or is not accessible: \(name)")
        }
        return field
    }

    func multipleChoices(_ ids: [String]) -> RecordStoreError {
        RecordStoreError(
            .multipleChoices, "More than one record found for external id field", matchingIds: ids)
    }

    /// One field of a record read: its columns (components for a compound field).
    struct SelectedField {
        var field: Field
        var columns: [String]
        var components: [Field]
    }

    func selectedFields(_ type: SObjectType, _ names: [String]?, access: UserAccess) throws(RecordStoreError)
        -> [SelectedField]
    {
        let fields: [Field]
        if let names {
            var list: [Field] = []
            for name in names {
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard let field = WritePlan.field(trimmed, of: type),
                    field.name == "Id" || access.canRead(object: type.name, field: field.name)
                else { throw RecordStoreError.noSuchColumnOnEntity(trimmed, object: type.name) }
                list.append(field)
            }
            fields = list
        } else {
            fields = access.readableFields(of: type.name).compactMap { type.fields[$0] }
        }
        return fields.map { field in
            if field.type == .address || field.type == .location {
                let components = type.sortedFields.filter { $0.compoundParent == field.name }
                return SelectedField(field: field, columns: components.map(\.name), components: components)
            }
            return SelectedField(field: field, columns: [field.name], components: [])
        }
    }

    /// A row's values by column name, and whether it is deleted; `nil` when there is no such row.
    func row(_ db: Database, _ object: String, id: String, columns: [String]) throws -> (
        deleted: Bool, values: [String: DatabaseValue]
    )? {
        let names = ["IsDeleted"] + columns
        let sql =
            "SELECT \(names.map(SQLSchema.quote).joined(separator: ", ")) FROM \(schema.sql.table(object)) WHERE \"Id\" = ?"
        guard let row = try Row.fetchOne(db, sql: sql, arguments: [id]) else { return nil }
        var values: [String: DatabaseValue] = [:]
        for (i, name) in names.enumerated() { values[name] = row[i] as DatabaseValue }
        let deleted: Int64 = row[0] ?? 0
        return (deleted != 0, values)
    }

    /// The user's access level to a record, from the sharing evaluator (`REC-1`…`REC-21`).
    func level(_ access: UserAccess, _ id: String) throws -> AccessLevel {
        mirror.evaluator().decision(username: access.user.username, recordId: id)?.level ?? .none
    }

    func format(
        _ type: SObjectType, id: String, fields: [SelectedField], values: [String: DatabaseValue],
        access: UserAccess
    )
        -> ResultRecord
    {
        var record = ResultRecord(type: type.name, id: id)
        for selected in fields {
            let field = selected.field
            if selected.components.isEmpty {
                let stored = field.name == "Id" ? id.databaseValue : (values[field.name] ?? .null)
                var value = ResultValue(stored: stored, format: ResultValue.Format(field))
                if access.isMasked(object: type.name, field: field.name) {
                    value = ResultValue.masked(value, field: field)
                }
                record.fields.append(ResultField(name: field.name, value: value))
            } else {
                let parts = selected.components.map { component in
                    ResultField(
                        name: RowFormatter.componentKey(component.name, of: field.name),
                        value: ResultValue(
                            stored: values[component.name] ?? .null, format: ResultValue.Format(component)))
                }
                record.fields.append(
                    ResultField(
                        name: field.name,
                        value: parts.allSatisfy { $0.value.isNull } ? .null : .compound(parts)))
            }
        }
        return record
    }

    /// Non-deleted records whose `field` equals `value`, visible to the user.
    func matches(_ db: Database, _ object: String, _ field: Field, _ value: String, access: UserAccess) throws
        -> [String]
    {
        let kind = StoreSchema.Kind(field)
        let stored: DatabaseValue =
            kind == .id
            ? (RecordId.normalize(value) ?? value).databaseValue
            : FieldValue.string(value).databaseValue(kind)
        let ids = try String.fetchAll(
            db,
            sql:
                "SELECT \"Id\" FROM \(schema.sql.table(object)) WHERE \(SQLSchema.quote(field.name)) = ? AND \"IsDeleted\" = 0 ORDER BY \"Id\"",
            arguments: [stored])
        return try ids.filter { try level(access, $0) >= .read }
    }

    func insert(_ db: Database, _ plan: WritePlan, access: UserAccess) throws -> String {
        let table = try table(plan.object)
        try checkReferences(db, plan, access: access)
        var id = RecordId.make(object: plan.object, referenceId: UUID().uuidString)
        while try row(db, plan.object, id: id, columns: []) != nil {
            id = RecordId.make(object: plan.object, referenceId: UUID().uuidString)
        }
        try checkDuplicates(db, plan, table: table, excluding: id)
        let userId = self.userId(access.user.username)
        var fields: [String: FieldValue] = [:]
        for assignment in plan.assignments { fields[assignment.name] = assignment.value }
        if table.column("OwnerId") != nil, fields["OwnerId"] == nil || fields["OwnerId"]!.isNull {
            fields["OwnerId"] = userId.map { .string($0) } ?? .null
        }
        for column in table.columns where fields[column.name] == nil {
            if column.kind == .boolean, let text = column.field.defaultValue,
                let value = FieldValue.parseBoolean(text)
            {
                fields[column.name] = .boolean(value)
            }
        }
        let record = Record(object: plan.object, id: id, fields: fields)
        let stamp = SQLGenerator.dateTimeString(clock())
        _ = try RowWriter(db, table: table, schema: schema).insert(
            record, ownerId: nil, stamp: stamp, creatorId: userId)
        try reshare(db, id: id, table: table, fields: fields)
        return id
    }

    func update(_ db: Database, _ plan: WritePlan, id: String, access: UserAccess) throws {
        let table = try table(plan.object)
        guard let row = try row(db, plan.object, id: id, columns: []) else {
            throw RecordStoreError.notFound()
        }
        let level = try self.level(access, id)
        guard level >= .read else { throw RecordStoreError.notFound() }
        if row.deleted { throw RecordStoreError.deleted() }
        guard level >= .edit else { throw RecordStoreError.insufficientAccess(id) }
        if let owner = plan.value("OwnerId"), let current = mirror.record(id) {
            let currentOwner = current.fields["OwnerId"] ?? .null
            if owner != currentOwner, level < .all { throw RecordStoreError.insufficientAccess(id) }
            if owner.isNull { throw RecordStoreError.requiredMissing(["OwnerId"]) }
        }
        try checkReferences(db, plan, access: access)
        try checkDuplicates(db, plan, table: table, excluding: id)
        guard !plan.assignments.isEmpty else { return }
        var sets: [String] = []
        var arguments: [DatabaseValue] = []
        for assignment in plan.assignments {
            sets.append(SQLSchema.quote(assignment.name) + " = ?")
            arguments.append(assignment.value.databaseValue(assignment.column.kind))
        }
        let stamp = SQLGenerator.dateTimeString(clock())
        for (name, value) in [
            ("LastModifiedDate", stamp.databaseValue), ("SystemModstamp", stamp.databaseValue),
            ("LastModifiedById", userId(access.user.username)?.databaseValue ?? .null),
        ] where table.column(name) != nil {
            sets.append(SQLSchema.quote(name) + " = ?")
            arguments.append(value)
        }
        arguments.append(id.databaseValue)
        try db.execute(
            sql:
                "UPDATE \(schema.sql.table(plan.object)) SET \(sets.joined(separator: ", ")) WHERE \"Id\" = ?",
            arguments: StatementArguments(arguments))
        if plan.value("FirstName") != nil || plan.value("LastName") != nil,
            let name = table.column("Name"), name.field.type == .name
        {
            try db.execute(
                sql:
                    "UPDATE \(schema.sql.table(plan.object)) SET \"Name\" = TRIM(COALESCE(\"FirstName\", '') || ' ' || COALESCE(\"LastName\", '')) WHERE \"Id\" = ?",
                arguments: [id])
        }
        var fields = mirror.record(id)?.fields ?? [:]
        for assignment in plan.assignments where table.sharingFields.contains(assignment.name) {
            fields[assignment.name] = assignment.value.isNull ? nil : assignment.value
        }
        try reshare(db, id: id, table: table, fields: fields)
    }

    /// Marks a record deleted, and the master-detail children pointing to it.
    func softDelete(_ db: Database, _ object: String, id: String, stamp: String, userId: String?) throws {
        try db.execute(
            sql:
                "UPDATE \(schema.sql.table(object)) SET \"IsDeleted\" = 1\(schema.table(object)?.column("SystemModstamp") != nil ? ", \"SystemModstamp\" = ?" : "") WHERE \"Id\" = ?",
            arguments: schema.table(object)?.column("SystemModstamp") != nil ? [stamp, id] : [id])
        for child in schema.tables.values.sorted(by: { $0.object < $1.object }) {
            for column in child.columns
            where column.field.isMasterDetail && column.field.referenceTo.contains(object) {
                let ids = try String.fetchAll(
                    db,
                    sql:
                        "SELECT \"Id\" FROM \(schema.sql.table(child.object)) WHERE \(SQLSchema.quote(column.name)) = ? AND \"IsDeleted\" = 0",
                    arguments: [id])
                for childId in ids {
                    try softDelete(db, child.object, id: childId, stamp: stamp, userId: userId)
                }
            }
        }
    }

    /// Lookups must name existing, undeleted records of a target object the user can see.
    func checkReferences(_ db: Database, _ plan: WritePlan, access: UserAccess) throws {
        for assignment in plan.assignments where assignment.column.kind == .id {
            guard case .string(let id) = assignment.value else { continue }
            let targets = assignment.column.field.referenceTo
            var found: String?
            for target in targets where schema.table(target) != nil {
                if let row = try row(db, target, id: id, columns: []), !row.deleted {
                    found = target
                    break
                }
            }
            guard let object = found else {
                throw RecordStoreError(
                    .invalidCrossReferenceKey,
                    "\(assignment.column.field.label ?? assignment.name): id value of incorrect type: \(id)",
                    fields: [assignment.name])
            }
            if object != "User", try level(access, id) < .read {
                throw RecordStoreError(
                    .insufficientAccessOnCrossReference,
                    "insufficient access rights on cross-reference id: \(id)",
                    fields: [assignment.name])
            }
        }
    }

    /// Unique and external-Id fields must not repeat another record's value.
    func checkDuplicates(_ db: Database, _ plan: WritePlan, table: StoreSchema.Table, excluding id: String)
        throws
    {
        for assignment in plan.assignments
        where (assignment.column.field.isUnique || assignment.column.field.isExternalId)
            && !assignment.value.isNull
        {
            let other = try String.fetchOne(
                db,
                sql:
                    "SELECT \"Id\" FROM \(schema.sql.table(plan.object)) WHERE \(SQLSchema.quote(assignment.name)) = ? AND \"Id\" != ? AND \"IsDeleted\" = 0 LIMIT 1",
                arguments: [assignment.value.databaseValue(assignment.column.kind), id])
            if let other {
                throw RecordStoreError(
                    .duplicateValue,
                    "duplicate value found: \(assignment.name) duplicates value on record with id: \(other)",
                    fields: [assignment.name])
            }
        }
    }

    /// Puts the record's sharing view into the mirror and recomputes the visibility of it and of the
    /// records depending on it for every user seen so far; undoes the mirror change if that fails.
    func reshare(_ db: Database, id: String, table: StoreSchema.Table, fields: [String: FieldValue]) throws {
        var kept: [String: FieldValue] = [:]
        for (name, value) in fields where table.sharingFields.contains(name) && !value.isNull {
            kept[name] = value
        }
        var owner: String?
        if case .string(let ownerId)? = kept["OwnerId"] { owner = mirror.username(ofUserId: ownerId) }
        let record = Record(object: table.object, id: id, ownerUsername: owner, fields: kept)
        let previous = mirror.put(record)
        do {
            try visibility.refresh(db, ids: mirror.affected(by: record, previous: previous))
        } catch {
            if let previous { mirror.put(previous) }
            throw error
        }
    }

    /// Runs `body` in a read, mapping database failures to `STORAGE_ERROR`.
    func reading<T>(_ body: (Database) throws -> T) throws(RecordStoreError) -> T {
        do {
            return try pool.read(body)
        } catch let error as RecordStoreError {
            throw error
        } catch {
            throw RecordStoreError.storage(error)
        }
    }

    /// Runs `body` as one write transaction (rolled back when it throws).
    func writing<T>(_ body: (Database) throws -> T) throws(RecordStoreError) -> T {
        do {
            return try pool.write(body)
        } catch let error as RecordStoreError {
            throw error
        } catch {
            throw RecordStoreError.storage(error)
        }
    }
}
