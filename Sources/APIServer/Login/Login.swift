import AccessModel
import Crypto
import Foundation
import SalesforceMetadata

/// Logging in (`rest-api.md` §2.1, §5.3): the OAuth token endpoint's four grants, SOAP `login`, and
/// `userinfo`. Credentials come from `keyhole.yaml`'s `api:` section; each success issues a session for
/// exactly one user of the org.
public struct Login: Sendable {
    public let served: ServedOrg
    public let sessions: SessionStore
    /// The server's own URL (`http://127.0.0.1:8080`), returned as `instance_url` (§0.2).
    public let instanceURL: String
    let now: @Sendable () -> Date

    public init(
        served: ServedOrg, sessions: SessionStore, instanceURL: String,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.served = served
        self.sessions = sessions
        self.instanceURL = instanceURL
        self.now = now
    }

    static let jwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"

    // MARK: OAuth token endpoint

    /// `POST /services/oauth2/token`: the token response, or the OAuth error to send with HTTP 400.
    public func token(form: FormFields, authorization: String?) async throws(OAuthError) -> JSON {
        let basic = Self.basicCredentials(authorization)
        let clientId = form["client_id"] ?? basic?.id
        let clientSecret = form["client_secret"] ?? basic?.secret
        switch form["grant_type"] {
        case "password":
            let app = try connectedApp(clientId)
            guard clientSecret == nil || clientSecret == app.clientSecret else {
                throw OAuthError.badClientSecret
            }
            guard let username = form["username"], let password = form["password"],
                let stored = served.api.password(of: username), stored == password,
                let user = activeUser(username)
            else { throw OAuthError.authenticationFailure }
            return await issue(user, app: app)
        case "client_credentials":
            let app = try connectedApp(clientId)
            guard clientSecret == app.clientSecret else { throw OAuthError.badClientSecret }
            guard let runAs = app.runAs, let user = activeUser(runAs) else {
                throw OAuthError.noClientCredentialsUser
            }
            return await issue(user, app: app)
        case "refresh_token":
            let app = try connectedApp(clientId)
            guard clientSecret == nil || clientSecret == app.clientSecret else {
                throw OAuthError.badClientSecret
            }
            guard let token = form["refresh_token"], let username = served.api.username(refreshToken: token),
                let user = activeUser(username)
            else { throw OAuthError.expiredToken }
            return await issue(user, app: app)
        case Self.jwtBearer:
            guard let text = form["assertion"] else { throw OAuthError.invalidAssertion }
            let assertion = try JWTAssertion(text)
            let app = try connectedApp(assertion.issuer)
            if let certificate = served.certificates[app.clientId], !assertion.isSigned(by: certificate) {
                throw OAuthError.invalidAssertion
            }
            guard assertion.audience.contains(where: isLoginAudience) else {
                throw OAuthError.invalidAudience
            }
            guard let expiry = assertion.expiry, expiry > now() else { throw OAuthError.expiredAssertion }
            guard let subject = assertion.subject, let user = activeUser(subject),
                served.apiUsers.contains(where: { $0.username == user.username })
            else { throw OAuthError.notApproved }
            return await issue(user, app: app)
        default:
            throw OAuthError.unsupportedGrant
        }
    }

    func connectedApp(_ clientId: String?) throws(OAuthError) -> KeyholeFile.ConnectedApp {
        guard let clientId, let app = served.api.connectedApp(clientId: clientId) else {
            throw OAuthError.unknownClient
        }
        return app
    }

    func activeUser(_ username: String) -> User? {
        guard let user = served.user(named: username), user.isActive else { return nil }
        return user
    }

    /// The login servers a JWT may name as its audience, and this server.
    func isLoginAudience(_ audience: String) -> Bool {
        let trimmed = audience.hasSuffix("/") ? String(audience.dropLast()) : audience
        return trimmed.hasSuffix(".salesforce.com") || trimmed == instanceURL
            || trimmed.hasPrefix("http://127.0.0.1") || trimmed.hasPrefix("http://localhost")
    }

    func issue(_ user: User, app: KeyholeFile.ConnectedApp) async -> JSON {
        let userId = user.recordId
        let session = await sessions.issue(username: user.username, userId: userId, clientId: app.clientId)
        let id = identityURL(userId: userId)
        let issuedAt = session.issuedAtMillis
        // Salesforce signs `id + issued_at` with the client secret (HMAC-SHA256, base64).
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data((id + issuedAt).utf8), using: SymmetricKey(data: Data(app.clientSecret.utf8)))
        return .object([
            ("access_token", .string(session.token)),
            ("instance_url", .string(instanceURL)),
            ("id", .string(id)),
            ("token_type", .string("Bearer")),
            ("issued_at", .string(issuedAt)),
            ("signature", .string(Data(mac).base64EncodedString())),
            ("scope", .string("api")),
        ])
    }

    /// `https://login.salesforce.com/id/{orgId}/{userId}`.
    public func identityURL(userId: String) -> String {
        "https://login.salesforce.com/id/\(served.organizationId)/\(userId)"
    }

    /// `Authorization: Basic base64(id:secret)` → (id, secret).
    static func basicCredentials(_ header: String?) -> (id: String, secret: String)? {
        guard let header, header.lowercased().hasPrefix("basic "),
            let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        return (FormFields.decode(text[..<colon]), FormFields.decode(text[text.index(after: colon)...]))
    }

    // MARK: userinfo

    /// `GET /services/oauth2/userinfo`: OpenID Connect claims of the session's user.
    public func userInfo(_ session: Session) -> JSON {
        let user = served.user(named: session.username)
        let name = user?.name ?? session.username
        let parts = name.split(separator: " ", maxSplits: 1).map(String.init)
        let base = "\(instanceURL)/services/data/v{version}/"
        return .object([
            ("sub", .string(identityURL(userId: session.userId))),
            ("user_id", .string(session.userId)),
            ("organization_id", .string(served.organizationId)),
            ("preferred_username", .string(session.username)),
            ("nickname", .string(session.username.split(separator: "@").first.map(String.init))),
            ("name", .string(name)),
            ("email", .string(session.username)),
            ("email_verified", .bool(true)),
            ("given_name", .string(parts.count > 1 ? parts[0] : nil)),
            ("family_name", .string(parts.last)),
            ("zoneinfo", .string("GMT")),
            ("active", .bool(user?.isActive ?? true)),
            ("user_type", .string("STANDARD")),
            ("language", .string("en_US")),
            ("locale", .string("en_US")),
            ("utcOffset", .number(0)),
            (
                "urls",
                .object([
                    ("rest", .string(base)),
                    ("sobjects", .string(base + "sobjects/")),
                    ("query", .string(base + "query/")),
                    ("limits", .string(base + "limits/")),
                    ("profile", .string("\(instanceURL)/\(session.userId)")),
                ])
            ),
        ])
    }
}
