import AccessModel
import Foundation
import Hummingbird
import RecordStore

extension SalesforceAPI {
    /// `/composite/sobjects` (POST, PATCH, DELETE `?ids=`, GET `/{T}?ids=`), `/composite` and
    /// `/composite/batch`.
    func composite(_ call: RESTCall) async throws -> Reply {
        let path = call.path
        switch path.count {
        case 1:
            try call.require(.post)
            return try await compositeRequest(call)
        case 2 where path[1] == "batch":
            try call.require(.post)
            return try await compositeBatch(call)
        case 2 where path[1] == "sobjects":
            try call.require(.get, .post, .patch, .delete)
            switch call.method {
            case .post: return try saveCollection(call, update: false)
            case .patch: return try saveCollection(call, update: true)
            case .delete: return deleteCollection(call)
            default: throw APIError.notFound
            }
        case 3 where path[1] == "sobjects":
            try call.require(.get, .post)
            return try retrieveCollection(call, object: path[2])
        default:
            throw APIError.notFound
        }
    }

    // MARK: sObject collections

    /// The collection limit of Salesforce: 200 records per call.
    static let collectionLimit = 200

    /// One collection entry's failure: `{"success":false,"errors":[{"statusCode","message","fields"}]}`
    /// (collections say `statusCode` where REST errors say `errorCode`).
    static func failure(_ error: any Error, id: String?) -> JSON {
        let api: APIError =
            switch error {
            case let error as APIError: error
            case let error as RecordStoreError: APIError(error)
            default: APIError(.internalServerError, "UNKNOWN_EXCEPTION", "\(error)")
            }
        var pairs: [(String, JSON)] = []
        if let id { pairs.append(("id", .string(id))) }
        pairs.append(("success", .bool(false)))
        pairs.append(
            (
                "errors",
                .array([
                    .object([
                        ("statusCode", .string(api.errorCode)),
                        ("message", .string(api.message)),
                        ("fields", .array((api.fields ?? []).map { .string($0) })),
                    ])
                ])
            ))
        return .object(pairs)
    }

    /// `POST` (create) or `PATCH` (update) `/composite/sobjects` with `{"allOrNone","records":[…]}`; each
    /// record names its type in `attributes.type`. Each record is saved in its own transaction, so
    /// `allOrNone: true` is refused rather than half-honoured.
    func saveCollection(_ call: RESTCall, update: Bool) throws -> Reply {
        let body = try call.jsonBody()
        guard let records = body["records"]?.arrayValue else {
            throw APIError.jsonParser("The request body needs a 'records' array")
        }
        guard records.count <= Self.collectionLimit else {
            throw APIError(
                .badRequest, "EXCEEDED_ID_LIMIT",
                "record limit reached. cannot submit more than 200 records into this call")
        }
        try Self.refuseAllOrNone(body)
        let results = records.map { record -> JSON in
            let id = record.value(caseInsensitive: "Id")?.stringValue
            do {
                guard
                    let type = record["attributes"]?["type"]?.stringValue
                        ?? id.flatMap(served.object(ofRecordId:))
                else {
                    throw APIError(
                        .badRequest, "INVALID_TYPE", "sObject type is missing: set attributes.type")
                }
                var values = try Self.fieldValues(record)
                if update {
                    guard let id else {
                        throw APIError(.badRequest, "MISSING_ARGUMENT", "Id not specified in an update call")
                    }
                    values.removeAll { $0.0.caseInsensitiveCompare("Id") == .orderedSame }
                    try store.update(type, id: id, values: values, access: call.access)
                    return Self.saveResult(id: RecordId.normalize(id) ?? id)
                }
                return Self.saveResult(id: try store.insert(type, values: values, access: call.access))
            } catch {
                return Self.failure(error, id: update ? id : nil)
            }
        }
        return Reply.json(.array(results))
    }

    /// `DELETE /composite/sobjects?ids=a,b[&allOrNone=false]`.
    func deleteCollection(_ call: RESTCall) -> Reply {
        let ids = (call.query["ids"] ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        if call.query["allOrNone"]?.lowercased() == "true" {
            return .error(Self.allOrNoneUnsupported)
        }
        guard ids.count <= Self.collectionLimit else {
            return .error(
                APIError(
                    .badRequest, "EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than 200 records into this call"))
        }
        let results = ids.map { id -> JSON in
            do {
                guard let type = served.object(ofRecordId: id) else { throw APIError.malformedId(id) }
                try store.delete(type, id: id, access: call.access)
                return Self.saveResult(id: RecordId.normalize(id) ?? id)
            } catch {
                return Self.failure(error, id: id)
            }
        }
        return Reply.json(.array(results))
    }

    /// `GET /composite/sobjects/{T}?ids=a,b&fields=x,y` (or `POST` with `{"ids","fields"}`): the records
    /// in the order asked, `null` for one that does not exist or is not visible.
    func retrieveCollection(_ call: RESTCall, object: String) throws -> Reply {
        var ids: [String]
        var fields: [String]?
        if call.method == .post {
            let body = try call.jsonBody()
            ids = body["ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
            fields = body["fields"]?.arrayValue?.compactMap(\.stringValue)
        } else {
            ids = (call.query["ids"] ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            fields = Self.fieldList(call)
        }
        guard call.describer.readableObject(object) != nil else { throw APIError.notFound }
        guard ids.count <= 2000 else {
            throw APIError(.badRequest, "EXCEEDED_ID_LIMIT", "cannot retrieve more than 2000 records")
        }
        var results: [JSON] = []
        for id in ids {
            do {
                let record = try store.record(object, id: id, fields: fields, access: call.access)
                results.append(record.json(version: call.version.description))
            } catch {
                guard error.code == .notFound || error.code == .entityIsDeleted else { throw error }
                results.append(.null)
            }
        }
        return Reply.json(.array(results))
    }

    static let allOrNoneUnsupported = APIError(
        .badRequest, "INVALID_REQUEST",
        "allOrNone=true is not supported by this local server: each record is saved in its own transaction; send allOrNone=false"
    )

    static func refuseAllOrNone(_ body: JSON) throws(APIError) {
        if body["allOrNone"]?.boolValue == true { throw allOrNoneUnsupported }
    }

    // MARK: composite and batch

    /// `POST /composite`: up to 25 subrequests in order, each able to use earlier results through
    /// `@{referenceId.path}`. Each subrequest commits on its own, so `allOrNone: true` is refused.
    func compositeRequest(_ call: RESTCall) async throws -> Reply {
        let body = try call.jsonBody()
        guard let requests = body["compositeRequest"]?.arrayValue else {
            throw APIError.jsonParser("The request body needs a 'compositeRequest' array")
        }
        guard requests.count <= 25 else {
            throw APIError(
                .badRequest, "INVALID_REQUEST", "A composite request can have at most 25 subrequests")
        }
        try Self.refuseAllOrNone(body)
        var results: [(String, JSON)] = []
        var responses: [JSON] = []
        for item in requests {
            let referenceId = item["referenceId"]?.stringValue ?? ""
            var reply: Reply
            do {
                let url = try CompositeReference.substitute(item["url"]?.stringValue ?? "", results: results)
                var subBody = Data()
                if let value = item["body"] {
                    subBody = Data(try CompositeReference.substitute(value.text, results: results).utf8)
                }
                reply = try await subrequest(
                    call, method: item["method"]?.stringValue ?? "GET", url: url, body: subBody)
            } catch {
                reply = Self.reply(for: error)
            }
            let json = reply.json ?? .null
            results.append((referenceId, json))
            var headers: [(String, JSON)] = []
            if reply.status == .created, let id = json["id"]?.stringValue, let type = item["url"]?.stringValue
            {
                headers.append(("Location", .string(type.hasSuffix("/") ? type + id : type + "/" + id)))
            }
            responses.append(
                .object([
                    ("body", json),
                    ("httpHeaders", .object(headers)),
                    ("httpStatusCode", .number(reply.status.code)),
                    ("referenceId", .string(referenceId)),
                ]))
        }
        return Reply.json(.object([("compositeResponse", .array(responses))]))
    }

    /// `POST /composite/batch`: up to 25 independent subrequests (`{"batchRequests":[{"method","url",
    /// "richInput"}]}`) → `{"hasErrors","results":[{"statusCode","result"}]}`.
    func compositeBatch(_ call: RESTCall) async throws -> Reply {
        let body = try call.jsonBody()
        guard let requests = body["batchRequests"]?.arrayValue else {
            throw APIError.jsonParser("The request body needs a 'batchRequests' array")
        }
        guard requests.count <= 25 else {
            throw APIError(.badRequest, "INVALID_REQUEST", "A batch request can have at most 25 subrequests")
        }
        var hasErrors = false
        var results: [JSON] = []
        for item in requests {
            let reply: Reply
            do {
                let input = item["richInput"].map { Data($0.text.utf8) } ?? Data()
                reply = try await subrequest(
                    call, method: item["method"]?.stringValue ?? "GET", url: item["url"]?.stringValue ?? "",
                    body: input)
            } catch {
                reply = Self.reply(for: error)
            }
            if reply.status.code >= 400 { hasErrors = true }
            results.append(
                .object([("result", reply.json ?? .null), ("statusCode", .number(reply.status.code))]))
        }
        return Reply.json(.object([("hasErrors", .bool(hasErrors)), ("results", .array(results))]))
    }

    /// Runs one subrequest as the same user: `url` is `/services/data/vNN.0/…` or relative to the version
    /// (`v62.0/sobjects/…` in batch requests).
    func subrequest(_ call: RESTCall, method: String, url: String, body: Data) async throws -> Reply {
        var text = url
        var query: String?
        if let mark = text.firstIndex(of: "?") {
            query = String(text[text.index(after: mark)...])
            text = String(text[..<mark])
        }
        var segments = text.split(separator: "/").map { FormFields.decodePathSegment($0) }
        if segments.starts(with: ["services", "data"]) { segments.removeFirst(2) }
        guard let first = segments.first, let version = APIVersion(first[...]) else {
            throw APIError.notFound
        }
        guard segments.count > 1, segments[1] != "composite" else {
            throw APIError(
                .badRequest, "INVALID_REQUEST", "A composite subrequest cannot be another composite request")
        }
        let sub = call.subrequest(
            method: HTTPRequest.Method(method.uppercased()) ?? .get, path: Array(segments.dropFirst()),
            query: query, body: body, version: version)
        return try await rest(sub)
    }
}
