import AccessModel
import Foundation
import HTTPTypes
import Hummingbird
import RecordStore
import SOQL

extension SalesforceAPI {
    /// Bulk API 2.0 query jobs (`rest-api.md` §2.6): `POST /jobs/query`, `GET /jobs/query[/{id}]`,
    /// `GET /jobs/query/{id}/results`, `PATCH` (abort) and `DELETE /jobs/query/{id}`. SOQL errors are
    /// returned synchronously at creation, with the same codes and texts as `/query`.
    func bulkQuery(_ call: RESTCall) async throws -> Reply {
        let path = call.path
        let method = call.method
        switch path.count {
        case 2:
            switch method {
            case .post: return try await createBulkJob(call)
            case .get, .head:
                let jobs = await bulkJobs.all(of: call.user.username)
                return Reply.json(
                    .object([
                        ("done", .bool(true)),
                        ("records", .array(jobs.map { $0.json(detail: false) })),
                        ("nextRecordsUrl", .null),
                    ]))
            default: throw APIError.methodNotAllowed(method, allowed: ["GET", "HEAD", "POST"])
            }
        case 3:
            let id = path[2]
            switch method {
            case .get, .head:
                guard let job = await bulkJobs.job(id, of: call.user.username, poll: true) else {
                    throw APIError.notFound
                }
                return Reply.json(job.json(detail: true))
            case .patch:
                guard var job = await bulkJobs.job(id, of: call.user.username) else {
                    throw APIError.notFound
                }
                let body = try call.jsonBody()
                guard body["state"]?.stringValue == "Aborted" else {
                    throw APIError(
                        .badRequest, "INVALIDJOBSTATE",
                        "The only state a query job can be set to is Aborted")
                }
                job.state = .aborted
                await bulkJobs.update(job)
                return Reply.json(job.json(detail: false))
            case .delete:
                guard await bulkJobs.job(id, of: call.user.username) != nil else { throw APIError.notFound }
                await bulkJobs.remove(id)
                return Reply.noContent
            default:
                throw APIError.methodNotAllowed(method, allowed: ["GET", "HEAD", "PATCH", "DELETE"])
            }
        case 4 where path[3] == "results":
            guard method == .get || method == .head else {
                throw APIError.methodNotAllowed(method, allowed: ["GET", "HEAD"])
            }
            return try await bulkResults(call, id: path[2])
        default:
            throw APIError.notFound
        }
    }

    func createBulkJob(_ call: RESTCall) async throws -> Reply {
        let body = try call.jsonBody()
        let operation = body["operation"]?.stringValue ?? "query"
        guard operation == "query" || operation == "queryAll" else {
            throw APIError(
                .badRequest, "INVALIDJOB", "Invalid operation: \(operation); use query or queryAll")
        }
        guard let soql = body["query"]?.stringValue, !soql.isEmpty else {
            throw APIError(.badRequest, "INVALIDJOB", "A query is required")
        }
        if let type = body["contentType"]?.stringValue, type != "CSV" {
            throw APIError(.badRequest, "INVALIDJOB", "Invalid content type: \(type); only CSV is supported")
        }
        let delimiter = body["columnDelimiter"]?.stringValue ?? "COMMA"
        guard BulkQueryJob.delimiter(delimiter) != nil else {
            throw APIError(.badRequest, "INVALIDJOB", "Invalid column delimiter: \(delimiter)")
        }
        let lineEnding = body["lineEnding"]?.stringValue ?? "LF"
        guard lineEnding == "LF" || lineEnding == "CRLF" else {
            throw APIError(.badRequest, "INVALIDJOB", "Invalid line ending: \(lineEnding)")
        }
        let bound: BoundQuery
        do {
            bound = try Binder(org: served.org, access: call.access, relationships: served.relationships)
                .bind(soql)
        } catch {
            throw APIError.query(error)
        }
        for column in bound.columns {
            switch column {
            case .field(let field, _) where !field.components.isEmpty || field.field.isCompound:
                throw APIError(
                    .badRequest, "INVALIDJOB", "Selecting compound data not supported in Bulk Query")
            case .child:
                throw APIError(.badRequest, "INVALIDJOB", "Nested queries are not supported in Bulk Query")
            default: continue
            }
        }
        let first = try store.run(bound, access: call.access, includeDeleted: operation == "queryAll")
        await usage.countBulkQueryJob()
        let job = BulkQueryJob(
            id: Self.newJobId(), username: call.user.username, userId: call.session.userId,
            operation: operation, object: bound.object, query: bound, state: .uploadComplete,
            createdDate: Date(), apiVersion: call.version, lineEnding: lineEnding, columnDelimiter: delimiter,
            numberRecordsProcessed: first.totalSize, firstPage: first.records,
            locator: first.nextLocator.map { String($0[..<($0.lastIndex(of: "-") ?? $0.endIndex)]) })
        await bulkJobs.add(job)
        return Reply.json(job.json(detail: false))
    }

    /// `GET /jobs/query/{id}/results[?locator=&maxRecords=]`: CSV with `Sforce-NumberOfRecords` and
    /// `Sforce-Locator` (the literal `null` on the last chunk).
    func bulkResults(_ call: RESTCall, id: String) async throws -> Reply {
        guard var job = await bulkJobs.job(id, of: call.user.username) else { throw APIError.notFound }
        guard job.state != .aborted else {
            throw APIError(.badRequest, "INVALIDJOBSTATE", "Job is aborted; its results are not available")
        }
        var offset = 0
        if let locator = call.query["locator"], !locator.isEmpty, locator != "null" {
            guard let value = Int(locator), value >= 0, value <= job.numberRecordsProcessed else {
                throw APIError(.badRequest, "INVALID_QUERY_LOCATOR", "invalid locator: \(locator)")
            }
            offset = value
        }
        var maxRecords = 100_000
        if let text = call.query["maxRecords"] {
            guard let value = Int(text), value > 0 else {
                throw APIError(.badRequest, "INVALIDJOB", "maxRecords must be a positive number, not \(text)")
            }
            maxRecords = value
        }
        let end = min(job.numberRecordsProcessed, offset + maxRecords)
        let newline = job.lineEnding == "CRLF" ? "\r\n" : "\n"
        var csv = job.headerLine() + newline
        var position = offset
        while position < end {
            let records = try bulkRows(&job, from: position, access: call)
            guard !records.isEmpty else { break }
            for record in records.prefix(end - position) { csv += job.csvLine(record) + newline }
            position += min(records.count, end - position)
        }
        await bulkJobs.update(job)
        var reply = Reply.text(csv, contentType: "text/csv")
        reply.headers[HTTPField.Name("Sforce-NumberOfRecords")!] = String(position - offset)
        reply.headers[HTTPField.Name("Sforce-Locator")!] =
            position < job.numberRecordsProcessed ? String(position) : "null"
        return reply
    }

    /// Result rows from `position` on (one page): from the first page, else through the store's locator,
    /// running the query again if the locator has expired.
    func bulkRows(_ job: inout BulkQueryJob, from position: Int, access call: RESTCall) throws
        -> [ResultRecord]
    {
        if position < job.firstPage.count { return Array(job.firstPage[position...]) }
        guard let locator = job.locator else { return [] }
        do {
            return try store.queryMore("\(locator)-\(position)", access: call.access).records
        } catch {
            guard error.code == .invalidQueryLocator else { throw error }
            let rerun = try store.run(job.query, access: call.access, includeDeleted: job.includeDeleted)
            guard let next = rerun.nextLocator, let dash = next.lastIndex(of: "-") else { return [] }
            job.locator = String(next[..<dash])
            return try store.queryMore("\(job.locator!)-\(position)", access: call.access).records
        }
    }

    /// `750` + 12 random characters + the case-safe suffix.
    static func newJobId() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        let body = String((0..<12).map { _ in alphabet[Int(generator.next() % 62)] })
        let fifteen = "750" + body
        return fifteen + RecordId.checksum(fifteen)
    }
}
