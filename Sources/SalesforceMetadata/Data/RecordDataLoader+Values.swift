import AccessModel
import Foundation

/// Typing values against the org's fields and resolving owners and references.
extension RecordDataLoader {
    mutating func convert(_ i: Int) {
        let r = raw[i]
        let type = objectType(r.object)
        let objectName = type?.name ?? r.object
        if type == nil, reported.insert("\(r.file)|\(r.object)|").inserted {
            error(
                "KH-DATA-UNKNOWN-OBJECT", r.file, r.line,
                "\(r.locator): object `\(r.object)` is not in the project\(Suggestion.hint(for: r.object, in: org.objects.keys)); values are kept as read"
            )
        }
        var fields: [String: FieldValue] = [:]
        var owner: String?
        for (name, value) in r.values {
            if name == "OwnerId" {
                owner = resolveOwner(value, r)
                continue
            }
            var field: Field?
            if let type {
                field =
                    type.fields[name]
                    ?? type.fields.values.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
                if field == nil, reported.insert("\(r.file)|\(r.object)|\(name)").inserted {
                    error(
                        "KH-DATA-UNKNOWN-FIELD", r.file, r.line,
                        "\(r.locator), field `\(name)`: \(objectName) has no such field\(Suggestion.hint(for: name, in: type.fields.keys))"
                    )
                }
            }
            fields[field?.name ?? name] = typed(value, field: field, name: field?.name ?? name, r)
        }
        if let parent = r.parent {
            let parentObject = raw[parent.index].object
            let link = type?.sortedFields.first {
                $0.type?.isReference == true && $0.referenceTo.contains(parentObject)
            }
            if let link {
                fields[link.name] = .string(ids[parent.index])
            } else {
                let guess = parentObject + "Id"
                if type != nil {
                    error(
                        "KH-DATA-UNKNOWN-FIELD", r.file, r.line,
                        "\(r.locator): nested under a \(parentObject) record, but \(objectName) has no lookup to \(parentObject); `\(guess)` is set"
                    )
                }
                fields[guess] = .string(ids[parent.index])
            }
        }
        let record = Record(
            object: objectName, id: ids[i], referenceId: r.referenceId, ownerUsername: owner, fields: fields)
        if !records.insert(record) {
            error(
                "KH-DATA-DUPLICATE-ID", r.file, r.line,
                "\(r.locator): Id `\(ids[i])` is already used by another record; this one is not loaded")
        }
    }

    /// The org's object named `name` (any case), looked up once per name.
    mutating func objectType(_ name: String) -> SObjectType? {
        if let known = objectTypes[name] { return known }
        let type = org.object(named: name)
        objectTypes[name] = type
        return type
    }

    mutating func resolveOwner(_ value: JSONValue, _ r: RawRecord) -> String? {
        guard let text = value.text, !text.isEmpty else { return nil }
        if text.hasPrefix("@") {
            let ref = String(text.dropFirst())
            if let index = referenceToRaw[ref], raw[index].object == "User",
                let username = raw[index].values.first(where: { $0.field == "Username" })?.value.text,
                let known = canonicalUsername(username)
            {
                return known
            }
            error(
                "KH-DATA-UNKNOWN-OWNER", r.file, r.line,
                "\(r.locator), field `OwnerId`: `\(text)` is not a reference to a User record with a known Username"
            )
            return nil
        }
        if let known = canonicalUsername(text) { return known }
        if let id = RecordId.normalize(text), let known = usernameById[id] { return known }
        error(
            "KH-DATA-UNKNOWN-OWNER", r.file, r.line,
            "\(r.locator), field `OwnerId`: `\(text)` is not a user in keyhole.yaml\(Suggestion.hint(for: text, in: org.users.map(\.username)))"
        )
        return nil
    }

    /// The typed value, or `.null` after an error.
    mutating func typed(_ value: JSONValue, field: Field?, name: String, _ r: RawRecord) -> FieldValue {
        func bad(_ code: String, _ message: String) -> FieldValue {
            error(code, r.file, r.line, "\(r.locator), field `\(name)`: \(message)")
            return .null
        }
        if case .null = value { return .null }
        if case .string(let s) = value, s.isEmpty { return .null }
        if case .array = value { return bad("KH-DATA-BAD-VALUE", "a list is not a field value") }
        if case .object = value { return bad("KH-DATA-BAD-VALUE", "an object is not a field value") }
        let text = value.text ?? ""
        guard let type = field?.type else {
            // Unknown type: keep the JSON kind; resolve `@references`.
            switch value {
            case .bool(let b): return .boolean(b)
            case .number(let d, _): return .number(d)
            default:
                if text.hasPrefix("@") { return reference(text, field: field, name: name, r) }
                return .string(text)
            }
        }
        switch type {
        case .checkbox:
            if case .bool(let b) = value { return .boolean(b) }
            if let b = FieldValue.parseBoolean(text) { return .boolean(b) }
            return bad("KH-DATA-BAD-VALUE", "`\(text)` is not a checkbox value (true or false)")
        case .number, .currency, .percent:
            if case .number(let d, _) = value { return .number(d) }
            if let d = FieldValue.parseNumber(text) { return .number(d) }
            return bad("KH-DATA-BAD-VALUE", "`\(text)` is not a number")
        case .date:
            if let d = FieldValue.parseDate(text) { return d }
            return bad("KH-DATA-BAD-VALUE", "`\(text)` is not a date (YYYY-MM-DD)")
        case .dateTime:
            if let d = FieldValue.parseDateTime(text) { return d }
            return bad(
                "KH-DATA-BAD-VALUE", "`\(text)` is not a date-time (ISO 8601, e.g. 2024-01-31T10:00:00Z)")
        case .picklist:
            if let f = field, !f.picklistValues.isEmpty, !f.picklistValues.contains(text) {
                return bad(
                    "KH-DATA-BAD-PICKLIST",
                    "`\(text)` is not a value of the picklist (\(f.picklistValues.joined(separator: ", ")))\(Suggestion.hint(for: text, in: f.picklistValues))"
                )
            }
            return .string(text)
        case .multiselectPicklist:
            if let f = field, !f.picklistValues.isEmpty {
                for part in text.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
                where !f.picklistValues.contains(part) {
                    return bad(
                        "KH-DATA-BAD-PICKLIST",
                        "`\(part)` is not a value of the picklist (\(f.picklistValues.joined(separator: ", ")))\(Suggestion.hint(for: part, in: f.picklistValues))"
                    )
                }
            }
            return .string(text)
        case .lookup, .masterDetail, .hierarchy:
            return reference(text, field: field, name: name, r)
        default:
            return .string(text)
        }
    }

    /// A lookup value: `@ref`, an Id, or for user lookups a username.
    mutating func reference(_ text: String, field: Field?, name: String, _ r: RawRecord) -> FieldValue {
        if text.hasPrefix("@") {
            let ref = String(text.dropFirst())
            if let id = referenceToId[ref] { return .string(id) }
            error(
                "KH-DATA-DANGLING-REF", r.file, r.line,
                "\(r.locator), field `\(name)`: `\(text)` refers to no record\(Suggestion.hint(for: ref, in: referenceToId.keys))"
            )
            return .null
        }
        if let id = RecordId.normalize(text) { return .string(id) }
        if let id = referenceToId[text] { return .string(id) }  // a bare reference id (CSV)
        if field?.referenceTo.contains("User") == true, let known = canonicalUsername(text) {
            return .string(RecordId.make(object: "User", referenceId: known))
        }
        error(
            "KH-DATA-BAD-VALUE", r.file, r.line,
            "\(r.locator), field `\(name)`: `\(text)` is neither a record Id nor an `@reference`")
        return .null
    }
}
