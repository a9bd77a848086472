import AccessModel
import Foundation
import HTTPTypes
import Hummingbird
import RecordStore

/// The Salesforce-compatible HTTP API of `keyhole serve`: login endpoints, the REST surface of
/// `rest-api.md` §1 (P0 and P1), Bulk 2.0 query jobs and limits, for the org and records in `served`. Every answer about objects and fields comes from the evaluator (`UserAccess`), every
/// answer about records from the store, which asks the evaluator too.
///
/// Routes on the path only (never on `Host`), accepts trailing slashes and any version from 20.0 to the
/// current one; errors are JSON arrays with Salesforce's codes and texts; every response carries
/// `Sforce-Limit-Info`.
public struct SalesforceAPI: HTTPResponder {
    public typealias Context = BasicRequestContext

    public let served: ServedOrg
    public let sessions: SessionStore
    public let login: Login
    public let usage: APIUsage
    let bulkJobs: BulkQueryJobs
    /// Largest request body accepted.
    let maxBodySize = 64 << 20

    /// - Parameters:
    ///   - instanceURL: the server's own URL, returned as `instance_url` and in SOAP `serverUrl`
    ///     (`http://127.0.0.1:8080`, §0.2).
    ///   - sessionLifetime: seconds a token stays valid.
    public init(
        served: ServedOrg, instanceURL: String, sessionLifetime: TimeInterval = 7200,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.served = served
        sessions = SessionStore(orgId: served.organizationId, lifetime: sessionLifetime, clock: now)
        login = Login(served: served, sessions: sessions, instanceURL: instanceURL, now: now)
        usage = APIUsage()
        bulkJobs = BulkQueryJobs(now: now)
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let limitInfo = await usage.count()
        var reply: Reply
        do {
            reply = try await route(request)
        } catch {
            reply = Self.reply(for: error)
        }
        reply.headers[Self.limitInfoHeader] = limitInfo
        return reply.response
    }

    static let limitInfoHeader = HTTPField.Name("Sforce-Limit-Info")!

    /// A thrown error as Salesforce would answer it. Access-model denials are `APIError` or
    /// `RecordStoreError` (4xx); anything else is a failure of the server itself.
    static func reply(for error: any Error) -> Reply {
        switch error {
        case let error as APIError: return .error(error)
        case let error as RecordStoreError: return .error(APIError(error))
        default:
            return .error(
                APIError(.internalServerError, "UNKNOWN_EXCEPTION", "An unexpected error occurred: \(error)"))
        }
    }

    // MARK: Routing

    func route(_ request: Request) async throws -> Reply {
        let path = request.uri.path
        var segments = path.split(separator: "/", omittingEmptySubsequences: true).map {
            FormFields.decodePathSegment($0)
        }
        guard segments.first == "services", segments.count >= 2 else { throw APIError.notFound }
        segments.removeFirst()
        switch segments[0].lowercased() {
        case "oauth2":
            return try await oauth(request, Array(segments.dropFirst()))
        case "soap":
            guard segments.count >= 3, segments[1] == "u", let version = APIVersion(segments[2][...]) else {
                throw APIError.notFound
            }
            return try await soapLogin(request, version: version)
        case "data":
            if segments.count == 1 {
                guard request.method == .get || request.method == .head else {
                    throw APIError.methodNotAllowed(request.method, allowed: ["GET", "HEAD"])
                }
                return Reply.json(versions())
            }
            guard let version = APIVersion(segments[1][...]) else { throw APIError.notFound }
            let session = try await authenticate(request)
            let body = request.method == .get || request.method == .head ? Data() : try await body(request)
            let call = try RESTCall(
                method: request.method, headers: request.headers, query: request.uri.query, body: body,
                version: version, path: Array(segments.dropFirst(2)), session: session, served: served)
            return try await rest(call)
        default:
            throw APIError.notFound
        }
    }

    /// `GET /services/data`: every version, oldest first.
    func versions() -> JSON {
        .array(
            APIVersion.all.map { version in
                .object([
                    ("label", .string(version.label)),
                    ("url", .string("/services/data/v\(version)")),
                    ("version", .string(version.description)),
                ])
            })
    }

    /// The session of `Authorization: Bearer …` (or `OAuth …`), else `INVALID_SESSION_ID`.
    func authenticate(_ request: Request) async throws(APIError) -> Session {
        guard let token = Self.bearerToken(request), let session = await sessions.session(for: token) else {
            throw APIError.invalidSession
        }
        return session
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        for scheme in ["Bearer ", "OAuth "] where header.count > scheme.count {
            if header.prefix(scheme.count).lowercased() == scheme.lowercased() {
                return header.dropFirst(scheme.count).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// The REST resources under `/services/data/vNN.0`.
    func rest(_ call: RESTCall) async throws -> Reply {
        let path = call.path
        guard let first = path.first else {
            try call.require(.get)
            return Reply.json(resources(call))
        }
        switch first {
        case "sobjects": return try await sobjects(call)
        case "query", "queryAll": return try await query(call, includeDeleted: first == "queryAll")
        case "composite": return try await composite(call)
        case "jobs":
            guard path.count >= 2, path[1] == "query" else { throw APIError.notFound }
            return try await bulkQuery(call)
        case "limits":
            try call.require(.get)
            if path.count == 1 { return Reply.json(await usage.limits()) }
            guard path.count == 2, path[1] == "recordCount" else { throw APIError.notFound }
            return try recordCount(call)
        default:
            throw APIError.notFound
        }
    }

    /// `GET /services/data/vNN.0`: the resources this server offers.
    func resources(_ call: RESTCall) -> JSON {
        .object(
            ["sobjects", "query", "queryAll", "composite", "jobs", "limits"].map {
                ($0, .string("\(call.base)/\($0)"))
            })
    }

    // MARK: Bodies

    /// Reads the whole request body.
    func body(_ request: Request) async throws -> Data {
        var request = request
        let buffer = try await request.collectBody(upTo: maxBodySize)
        return Data(buffer.readableBytesView)
    }
}

extension SalesforceAPI {
    var store: RecordStore { served.store }
}
