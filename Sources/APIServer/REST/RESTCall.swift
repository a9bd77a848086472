import AccessModel
import Foundation
import Hummingbird

/// One authenticated REST request: the version, the path below `/services/data/vNN.0`, the query
/// parameters, and the session's user with the evaluator's answer for them.
struct RESTCall: Sendable {
    let method: HTTPRequest.Method
    let headers: HTTPFields
    /// The request body (empty for `GET`).
    let body: Data
    let version: APIVersion
    /// Decoded path segments after the version (`["sobjects", "Account", "describe"]`).
    let path: [String]
    /// The URL's query parameters, form-decoded (`+` is a space).
    let query: FormFields
    let session: Session
    let user: User
    let access: UserAccess
    let describer: Describer

    /// Fails with `INVALID_SESSION_ID` when the session's user is gone from the org, and with
    /// `API_DISABLED_FOR_ORG` when the user has no API Enabled permission.
    init(
        method: HTTPRequest.Method, headers: HTTPFields, query: String?, body: Data, version: APIVersion,
        path: [String], session: Session, served: ServedOrg
    ) throws(APIError) {
        guard let user = served.user(named: session.username) else { throw APIError.invalidSession }
        let access = served.access(user)
        guard access.hasSystemPermission("ApiEnabled") else { throw APIError.apiDisabled }
        self.method = method
        self.headers = headers
        self.body = body
        self.version = version
        self.path = path
        self.query = FormFields(query ?? "")
        self.session = session
        self.user = user
        self.access = access
        describer = Describer(served: served, access: access, version: version.description)
    }

    /// `/services/data/v62.0`.
    var base: String { "/services/data/v\(version)" }

    /// The same user and version for another resource (a `composite` subrequest).
    func subrequest(
        method: HTTPRequest.Method, path: [String], query: String?, body: Data, version: APIVersion
    ) -> RESTCall {
        RESTCall(
            method: method, headers: headers, body: body, version: version, path: path,
            query: FormFields(query ?? ""),
            session: session, user: user, access: access,
            describer: Describer(served: describer.served, access: access, version: version.description))
    }

    private init(
        method: HTTPRequest.Method, headers: HTTPFields, body: Data, version: APIVersion, path: [String],
        query: FormFields, session: Session, user: User, access: UserAccess, describer: Describer
    ) {
        self.method = method
        self.headers = headers
        self.body = body
        self.version = version
        self.path = path
        self.query = query
        self.session = session
        self.user = user
        self.access = access
        self.describer = describer
    }

    /// The body as JSON, or `JSON_PARSER_ERROR`.
    func jsonBody() throws(APIError) -> JSON {
        do {
            return try JSON.parse(body)
        } catch {
            throw APIError.jsonParser(
                "Unexpected character at [line:1, column:\(error.offset + 1)]: \(error.message)")
        }
    }

    /// Refuses other methods with `METHOD_NOT_ALLOWED`.
    func require(_ allowed: HTTPRequest.Method...) throws(APIError) {
        let names = allowed.flatMap { $0 == .get ? ["GET", "HEAD"] : [$0.rawValue] }
        guard allowed.contains(method) || (method == .head && allowed.contains(.get)) else {
            throw APIError.methodNotAllowed(method, allowed: names)
        }
    }
}
