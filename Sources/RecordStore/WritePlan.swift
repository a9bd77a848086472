import AccessModel
import Foundation

/// The field checks of one insert or update, decided from the user's access alone (`API-6`, `API-7`,
/// `FLS-6`…`FLS-8`): which names are fields the user can see, which of them the user can write, the
/// values typed for their columns, and the required fields. Pure: the store checks record access,
/// lookups and duplicates against the database afterwards.
struct WritePlan: Sendable {
    enum Operation: Sendable { case insert, update }

    /// One field to set.
    struct Assignment: Sendable {
        var column: StoreSchema.Column
        var value: FieldValue
        var name: String { column.name }
    }

    var object: String
    var assignments: [Assignment]

    /// The value set for `field`, if any.
    func value(_ field: String) -> FieldValue? { assignments.first { $0.name == field }?.value }

    /// Checks `values` (in request order) for a write of `operation` on `table` as the user of `access`.
    ///
    /// Order of checks, each reporting every offending field it finds: unknown or unreadable names
    /// (`INVALID_FIELD`, first one), fields the user cannot write (`INVALID_FIELD_FOR_INSERT_UPDATE`),
    /// values of the wrong type or too long, then required fields missing (insert) or cleared (update).
    static func make(
        object: SObjectType, table: StoreSchema.Table, values: [(String, FieldValue)], operation: Operation,
        access: UserAccess
    ) throws(RecordStoreError) -> WritePlan {
        var resolved: [(Field, FieldValue)] = []
        var seen: Set<String> = []
        for (name, value) in values where name != "attributes" {
            guard let field = Self.field(name, of: object),
                field.name == "Id" || access.canRead(object: object.name, field: field.name)
            else {
                throw RecordStoreError.noSuchColumn(name, object: object.name)
            }
            if seen.insert(field.name).inserted { resolved.append((field, value)) }
        }
        let readOnly = resolved.filter { field, _ in
            field.name == "Id" || table.column(field.name) == nil
                || !access.canEdit(object: object.name, field: field.name)
        }.map(\.0.name)
        if !readOnly.isEmpty { throw RecordStoreError.notWritable(readOnly) }
        var assignments: [Assignment] = []
        for (field, value) in resolved {
            let column = table.column(field.name)!
            assignments.append(Assignment(column: column, value: try typed(value, column: column)))
        }
        let plan = WritePlan(object: object.name, assignments: assignments)
        var missing: [String] = []
        switch operation {
        case .insert:
            for field in object.sortedFields where isRequiredOnInsert(field) {
                if plan.value(field.name).map(isEmpty) ?? true { missing.append(field.name) }
            }
        case .update:
            for assignment in assignments
            where isRequiredOnInsert(assignment.column.field) && isEmpty(assignment.value) {
                missing.append(assignment.name)
            }
        }
        if !missing.isEmpty { throw RecordStoreError.requiredMissing(missing) }
        return plan
    }

    /// A field by API name, case-insensitively.
    static func field(_ name: String, of object: SObjectType) -> Field? {
        if let exact = object.fields[name] { return exact }
        return object.fields.values.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// Required fields a new record must carry: required, writable, no default, not a checkbox (which
    /// defaults to false), not `OwnerId` (which defaults to the user).
    static func isRequiredOnInsert(_ field: Field) -> Bool {
        field.isRequired && field.isWritableType && field.type != .checkbox && field.defaultValue == nil
            && field.name != "OwnerId" && !field.isAudit
    }

    static func isEmpty(_ value: FieldValue) -> Bool { value.isNull }

    // MARK: Values

    /// The value typed for the column, or Salesforce's error for it.
    static func typed(_ value: FieldValue, column: StoreSchema.Column) throws(RecordStoreError) -> FieldValue
    {
        let field = column.field
        if case .null = value { return column.kind == .boolean ? .boolean(false) : .null }
        switch column.kind {
        case .id:
            guard case .string(let text) = value else { throw wrongType(value, "id", field) }
            if text.isEmpty { return .null }
            guard let id = RecordId.normalize(text) else {
                throw RecordStoreError(
                    .malformedId, "\(field.label ?? field.name): id value of incorrect type: \(text)",
                    fields: [field.name])
            }
            return .string(id)
        case .text, .multipicklist:
            let text: String
            switch value {
            case .string(let s): text = s
            case .number, .boolean: text = value.text ?? ""
            default: text = value.text ?? ""
            }
            if text.isEmpty { return .null }
            if let length = field.length, text.count > length {
                throw RecordStoreError(
                    .stringTooLong,
                    "\(field.label ?? field.name): data value too large: \(text) (max length=\(length))",
                    fields: [field.name])
            }
            if field.type == .email, !isEmail(text) {
                throw RecordStoreError(
                    .invalidEmailAddress,
                    "\(field.label ?? field.name): invalid email address: \(text)", fields: [field.name])
            }
            return .string(text)
        case .number:
            switch value {
            case .number: return value
            case .string(let s):
                if let d = FieldValue.parseNumber(s) { return .number(d) }
                throw wrongType(value, "double", field)
            default: throw wrongType(value, "double", field)
            }
        case .boolean:
            switch value {
            case .boolean: return value
            case .string(let s):
                if let b = FieldValue.parseBoolean(s), s.lowercased() == "true" || s.lowercased() == "false" {
                    return .boolean(b)
                }
                throw wrongType(value, "boolean", field)
            default: throw wrongType(value, "boolean", field)
            }
        case .date:
            switch value {
            case .date: return value
            case .dateTime(let s): return .date(String(s.prefix(10)))
            case .string(let s):
                if let d = FieldValue.parseDate(s) { return d }
                if case .dateTime(let t)? = FieldValue.parseDateTime(s) { return .date(String(t.prefix(10))) }
                throw wrongType(value, "date", field)
            default: throw wrongType(value, "date", field)
            }
        case .dateTime:
            switch value {
            case .dateTime: return value
            case .date(let s): return .dateTime(s + "T00:00:00.000Z")
            case .string(let s):
                if let t = FieldValue.parseDateTime(s) { return t }
                if case .date(let d)? = FieldValue.parseDate(s) { return .dateTime(d + "T00:00:00.000Z") }
                throw wrongType(value, "datetime", field)
            default: throw wrongType(value, "datetime", field)
            }
        case .time:
            guard case .string(let s) = value, let time = parseTime(s) else {
                throw wrongType(value, "time", field)
            }
            return .string(time)
        }
    }

    /// `hh:mm[:ss[.sss]][Z]` → `hh:mm:ss.sssZ`.
    static func parseTime(_ text: String) -> String? {
        var body = text
        if body.hasSuffix("Z") { body.removeLast() }
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts.count <= 3, let h = Int(parts[0]), let m = Int(parts[1]),
            (0..<24).contains(h),
            (0..<60).contains(m), parts[0].count == 2, parts[1].count == 2
        else { return nil }
        var seconds = "00.000"
        if parts.count == 3 {
            let s = parts[2].split(separator: ".", maxSplits: 1)
            guard let whole = s.first, whole.count == 2, let sec = Int(whole), (0..<60).contains(sec) else {
                return nil
            }
            var millis = s.count > 1 ? String(s[1].prefix(3)) : ""
            guard millis.allSatisfy(\.isNumber) else { return nil }
            while millis.count < 3 { millis += "0" }
            seconds = "\(whole).\(millis)"
        }
        return "\(parts[0]):\(parts[1]):\(seconds)Z"
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }

    /// Salesforce's deserialisation error for a value of the wrong JSON type.
    static func wrongType(_ value: FieldValue, _ type: String, _ field: Field) -> RecordStoreError {
        let token: String
        switch value {
        case .string: token = "VALUE_STRING"
        case .number(let d): token = d == d.rounded(0) ? "VALUE_NUMBER_INT" : "VALUE_NUMBER_FLOAT"
        case .boolean(let b): token = b ? "VALUE_TRUE" : "VALUE_FALSE"
        default: token = "VALUE_STRING"
        }
        return RecordStoreError(
            .jsonParserError,
            "Cannot deserialize instance of \(type) from \(token) value \(value.text ?? "") or request may be missing a required field",
            fields: [field.name])
    }
}
