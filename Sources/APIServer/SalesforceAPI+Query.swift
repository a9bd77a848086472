import HTTPTypes
import Hummingbird
import RecordStore
import SOQL

extension SalesforceAPI {
    /// `GET /query?q=`, `GET /queryAll?q=` and their next pages `/query/{locator}-{offset}` (either
    /// resource name, any `q` sent along ignored), `rest-api.md` §2.4. Page size 2,000 unless
    /// `Sforce-Query-Options: batchSize=N` asks for another (200…2,000).
    func query(_ call: RESTCall, includeDeleted: Bool) async throws -> Reply {
        try call.require(.get)
        let batchSize = RecordStore.batchSize(
            queryOptions: call.headers[HTTPField.Name("Sforce-Query-Options")!])
        let resource = call.path[0]
        let result: QueryResult
        switch call.path.count {
        case 1:
            guard let soql = call.query["q"], !soql.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw APIError(.badRequest, "MALFORMED_QUERY", "A query string has to be specified")
            }
            do {
                result = try store.query(
                    soql, access: call.access, includeDeleted: includeDeleted, batchSize: batchSize)
            } catch let error as SOQLError {
                throw APIError.query(error)
            }
        case 2:
            result = try store.queryMore(call.path[1], access: call.access, batchSize: batchSize)
        default:
            throw APIError.notFound
        }
        let next = result.nextLocator.map { "\(call.base)/\(resource)/\($0)" }
        return Reply(
            status: .ok,
            body: .jsonBytes(result.jsonBytes(version: call.version.description, nextRecordsURL: next)))
    }
}
