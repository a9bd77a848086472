import APIServer
import AccessModel
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RecordStore
import SalesforceMetadata
import Testing

/// The example org (`Examples/acme`) served in-process on a fresh temporary database per test, with
/// helpers to log in and call the API through Hummingbird's test client (no socket).
struct ServedAcme {
    static let hubspot = "hubspot.integration@acme.example"
    static let analytics = "analytics.integration@acme.example"
    static let rep = "rita.rep@acme.example"
    static let admin = "ada.admin@acme.example"

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let acmePath = packageRoot.appendingPathComponent("Examples/acme")
    static let project: Project = Project.load(path: acmePath.path)

    /// Logins for the tests: the example's `api:` section plus passwords for a sales rep and the admin,
    /// who can edit `Send_to_HubSpot__c`.
    static var testLogins: KeyholeFile.APISettings {
        var api = project.keyholeFile?.api ?? KeyholeFile.APISettings()
        api.passwords.append(KeyholeFile.Password(username: rep, password: "rep-password"))
        api.passwords.append(KeyholeFile.Password(username: admin, password: "admin-password"))
        return api
    }

    let api: SalesforceAPI
    let store: RecordStore
    let application: Application<SalesforceAPI>
    let directory: URL

    /// - Parameters:
    ///   - change: edits the org before it is served (an access change, extra records).
    ///   - logins: the `api:` settings (default: `testLogins`).
    init(
        logins: KeyholeFile.APISettings = ServedAcme.testLogins, sessionLifetime: TimeInterval = 7200,
        certificatesRoot: URL? = nil, change: (inout Org) throws -> Void = { _ in }
    ) throws {
        var org = Self.project.org
        try change(&org)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "keyhole-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let evaluator = AccessEvaluator(org: org)
        store = try RecordStore(
            path: directory.appendingPathComponent("records.sqlite").path, org: org, source: "acme",
            evaluator: evaluator)
        let served = try ServedOrg(
            org: org, store: store, api: logins, organizationName: "acme", root: certificatesRoot,
            evaluator: evaluator)
        api = SalesforceAPI(
            served: served, instanceURL: "http://127.0.0.1:8080", sessionLifetime: sessionLifetime)
        application = api.application(host: "127.0.0.1", port: 0)
    }

    /// Runs `body` with a test client, then removes the database.
    func run(_ body: @escaping @Sendable (Client) async throws -> Void) async throws {
        defer {
            try? store.close()
            try? FileManager.default.removeItem(at: directory)
        }
        try await application.test(.router) { client in try await body(Client(client: client)) }
    }

    /// A response: status, headers, raw body and the body as JSON when it is JSON.
    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var text: String
        var json: JSON? { try? JSON.parse(text) }

        subscript(header: String) -> String? { headers[HTTPField.Name(header)!] }

        /// The single error of a REST error array: (errorCode, message).
        var error: (code: String, message: String)? {
            guard let first = json?.arrayValue?.first, let code = first["errorCode"]?.stringValue,
                let message = first["message"]?.stringValue
            else { return nil }
            return (code, message)
        }
    }

    struct Client: Sendable {
        let client: any TestClientProtocol

        func send(
            _ method: HTTPRequest.Method, _ uri: String, token: String? = nil,
            headers: [String: String] = [:],
            body: String? = nil, contentType: String? = nil
        ) async throws -> Reply {
            var fields = HTTPFields()
            if let token { fields[.authorization] = "Bearer \(token)" }
            for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
            if let contentType { fields[.contentType] = contentType }
            if body != nil, contentType == nil { fields[.contentType] = "application/json" }
            return try await client.execute(
                uri: uri, method: method, headers: fields, body: body.map { ByteBuffer(string: $0) }
            ) { response in
                Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
            }
        }

        /// `POST /services/oauth2/token` with a form body.
        func token(_ form: [(String, String)], headers: [String: String] = [:]) async throws -> Reply {
            let body = form.map { "\(FormFields.encode($0.0))=\(FormFields.encode($0.1))" }.joined(
                separator: "&")
            return try await send(
                .post, "/services/oauth2/token", headers: headers, body: body,
                contentType: "application/x-www-form-urlencoded")
        }

        /// Logs in with the password grant and returns the access token.
        func login(_ username: String, password: String? = nil) async throws -> String {
            let password =
                password ?? ServedAcme.testLogins.password(of: username) ?? "no password for \(username)"
            let reply = try await token([
                ("grant_type", "password"), ("client_id", "hubspot-connector"),
                ("client_secret", "example-secret"),
                ("username", username), ("password", password),
            ])
            return try #require(reply.json?["access_token"]?.stringValue, "login failed: \(reply.text)")
        }

        func get(_ uri: String, token: String, headers: [String: String] = [:]) async throws -> Reply {
            try await send(.get, uri, token: token, headers: headers)
        }

        /// `GET /services/data/v62.0/query?q=…` (form-encoded).
        func query(_ soql: String, token: String, all: Bool = false, headers: [String: String] = [:])
            async throws -> Reply
        {
            try await get(
                "/services/data/v62.0/\(all ? "queryAll" : "query")?q=\(FormFields.encode(soql))",
                token: token,
                headers: headers)
        }
    }
}

/// Records to add to the example org: `count` accounts flagged for HubSpot, owned by the rep.
enum ExtraRecords {
    static func flaggedAccounts(_ count: Int, in org: inout Org) {
        let owner = RecordId.make(object: "User", referenceId: ServedAcme.rep)
        var records = org.records.all
        for n in 0..<count {
            records.append(
                Record(
                    object: "Account", referenceId: "Bulk\(n)", ownerUsername: ServedAcme.rep,
                    fields: [
                        "Name": .string(String(format: "Bulk Account %04d", n)), "OwnerId": .string(owner),
                        "Send_to_HubSpot__c": .boolean(true), "Industry": .string("Retail"),
                    ]))
        }
        org.records = RecordSet(records)
    }
}
