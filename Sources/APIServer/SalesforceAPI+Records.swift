import AccessModel
import Foundation
import Hummingbird
import RecordStore

extension SalesforceAPI {
    /// `POST /sobjects/{T}` → 201 `{"id","success":true,"errors":[]}`.
    func create(_ call: RESTCall, object: String) throws -> Reply {
        let values = try Self.fieldValues(try call.jsonBody())
        let id = try store.insert(object, values: values, access: call.access)
        return Reply.json(Self.saveResult(id: id), status: .created)
    }

    /// `GET|PATCH|DELETE /sobjects/{T}/{id}` (`?fields=a,b` on GET).
    func record(_ call: RESTCall, object: String, id: String) throws -> Reply {
        try call.require(.get, .patch, .delete)
        switch call.method {
        case .patch:
            let values = try Self.fieldValues(try call.jsonBody())
            try store.update(object, id: id, values: values, access: call.access)
            return Reply.noContent
        case .delete:
            try store.delete(object, id: id, access: call.access)
            return Reply.noContent
        default:
            let record = try store.record(object, id: id, fields: Self.fieldList(call), access: call.access)
            return Reply.json(record.json(version: call.version.description))
        }
    }

    /// `GET|PATCH|DELETE /sobjects/{T}/{field}/{value}`: read, upsert or delete by external Id. Upsert
    /// answers 201 `{…,"created":true}` on insert, 200 `{…,"created":false}` on update (204 before
    /// v46.0); several matches are 300 with the matching records' URLs.
    func recordByExternalId(_ call: RESTCall, object: String, field: String, value: String) throws -> Reply {
        try call.require(.get, .patch, .delete)
        do {
            switch call.method {
            case .patch:
                let values = try Self.fieldValues(try call.jsonBody())
                let result = try store.upsert(
                    object, externalIdField: field, value: value, values: values, access: call.access)
                if !result.created, call.version.major < 46 { return Reply.noContent }
                var body = Self.saveResult(id: result.id)
                if case .object(var pairs) = body {
                    pairs.append(("created", .bool(result.created)))
                    body = .object(pairs)
                }
                return Reply.json(body, status: result.created ? .created : .ok)
            case .delete:
                let record = try store.record(
                    object, externalIdField: field, value: value, fields: ["Id"], access: call.access)
                try store.delete(object, id: record.id ?? "", access: call.access)
                return Reply.noContent
            default:
                let record = try store.record(
                    object, externalIdField: field, value: value, fields: Self.fieldList(call),
                    access: call.access)
                return Reply.json(record.json(version: call.version.description))
            }
        } catch let error as RecordStoreError where error.code == .multipleChoices {
            let name = served.org.object(named: object)?.name ?? object
            let urls = error.matchingIds.map { JSON.string("\(call.base)/sobjects/\(name)/\($0)") }
            return Reply.json(.array(urls), status: .multipleChoices)
        }
    }

    /// `{"id","success":true,"errors":[]}`.
    static func saveResult(id: String) -> JSON {
        .object([("id", .string(id)), ("success", .bool(true)), ("errors", .array([]))])
    }

    /// `?fields=a,b` → `["a","b"]`; `nil` without the parameter.
    static func fieldList(_ call: RESTCall) -> [String]? {
        guard let text = call.query["fields"] else { return nil }
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        return names.isEmpty ? nil : names
    }

    /// A record body (`{"Name":"Acme","attributes":{…}}`) as field values in request order; `attributes`
    /// is ignored. Nested objects and arrays are not field values: `JSON_PARSER_ERROR`.
    static func fieldValues(_ body: JSON) throws(APIError) -> [(String, FieldValue)] {
        guard case .object(let pairs) = body else {
            throw APIError.jsonParser("Cannot deserialize instance of the record from a non-object value")
        }
        var values: [(String, FieldValue)] = []
        for (name, value) in pairs where name != "attributes" {
            switch value {
            case .null: values.append((name, .null))
            case .bool(let flag): values.append((name, .boolean(flag)))
            case .string(let text): values.append((name, .string(text)))
            case .number(let text):
                guard let number = Decimal(string: text) else {
                    throw APIError.jsonParser("Cannot deserialize the number \(text) for field \(name)")
                }
                values.append((name, .number(number)))
            case .array, .object:
                throw APIError.jsonParser(
                    "Cannot deserialize instance of \(name) from \(value.arrayValue != nil ? "START_ARRAY" : "START_OBJECT") value"
                )
            }
        }
        return values
    }
}
