import APIServer
import AccessModel
import Crypto
import Foundation
import Hummingbird
import SalesforceMetadata
import Testing
import X509

/// Logging in (`rest-api.md` §2.1, §5.3): every grant of the token endpoint, SOAP login and userinfo,
/// with Salesforce's error bodies for bad credentials.
@Suite("login")
struct LoginTests {
    typealias Acme = ServedAcme

    @Test("password grant: a token for the user, instance_url is the server, id names org and user")
    func passwordGrant() async throws {
        try await ServedAcme().run { client in
            let reply = try await client.token([
                ("grant_type", "password"), ("client_id", "hubspot-connector"),
                ("client_secret", "example-secret"),
                ("username", Acme.hubspot), ("password", "example-password"),
            ])
            #expect(reply.status == .ok)
            let json = try #require(reply.json)
            let token = try #require(json["access_token"]?.stringValue)
            #expect(token.count > 40 && token.contains("!"))
            #expect(json["instance_url"]?.stringValue == "http://127.0.0.1:8080")
            #expect(json["token_type"]?.stringValue == "Bearer")
            let id = try #require(json["id"]?.stringValue)
            #expect(id.hasPrefix("https://login.salesforce.com/id/00D"))
            #expect(id.hasSuffix("/" + RecordIdOf.user(Acme.hubspot)))
            #expect(Int64(json["issued_at"]?.stringValue ?? "") != nil)
            #expect(json["signature"]?.stringValue?.isEmpty == false)
            #expect(json["refresh_token"] == nil)
            // The token works, and is the HubSpot user's.
            let info = try await client.get("/services/oauth2/userinfo", token: token)
            #expect(info.json?["preferred_username"]?.stringValue == Acme.hubspot)
        }
    }

    @Test("two logins give two different random tokens")
    func tokensAreRandom() async throws {
        try await ServedAcme().run { client in
            let a = try await client.login(Acme.hubspot)
            let b = try await client.login(Acme.hubspot)
            #expect(a != b)
        }
    }

    @Test("bad credentials are Salesforce's OAuth errors (HTTP 400)")
    func passwordGrantFailures() async throws {
        let app = ("client_id", "hubspot-connector")
        let secret = ("client_secret", "example-secret")
        let cases: [([(String, String)], String, String)] = [
            (
                [app, secret, ("username", Acme.hubspot), ("password", "wrong")], "invalid_grant",
                "authentication failure"
            ),
            (
                [app, secret, ("username", "nobody@acme.example"), ("password", "example-password")],
                "invalid_grant",
                "authentication failure"
            ),
            (
                [
                    ("client_id", "no-such-app"), ("client_secret", "x"), ("username", Acme.hubspot),
                    ("password", "example-password"),
                ],
                "invalid_client_id", "client identifier invalid"
            ),
            (
                [
                    app, ("client_secret", "wrong"), ("username", Acme.hubspot),
                    ("password", "example-password"),
                ],
                "invalid_client", "invalid client credentials"
            ),
        ]
        try await ServedAcme().run { client in
            for (form, error, description) in cases {
                let reply = try await client.token([("grant_type", "password")] + form)
                #expect(reply.status == .badRequest)
                #expect(reply.json?["error"]?.stringValue == error, "\(form)")
                #expect(reply.json?["error_description"]?.stringValue == description, "\(form)")
            }
        }
    }

    @Test("client credentials in the form and in HTTP Basic run as the connected app's runAs user")
    func clientCredentials() async throws {
        try await ServedAcme().run { client in
            let form = try await client.token([
                ("grant_type", "client_credentials"), ("client_id", "hubspot-connector"),
                ("client_secret", "example-secret"),
            ])
            let formToken = try #require(form.json?["access_token"]?.stringValue)
            let basic = try await client.token(
                [("grant_type", "client_credentials")],
                headers: [
                    "Authorization": "Basic "
                        + Data("analytics-warehouse:example-analytics-secret".utf8).base64EncodedString()
                ])
            let basicToken = try #require(basic.json?["access_token"]?.stringValue)
            let a = try await client.get("/services/oauth2/userinfo", token: formToken)
            let b = try await client.get("/services/oauth2/userinfo", token: basicToken)
            #expect(a.json?["preferred_username"]?.stringValue == Acme.hubspot)
            #expect(b.json?["preferred_username"]?.stringValue == Acme.analytics)
            let bad = try await client.token(
                [("grant_type", "client_credentials")],
                headers: [
                    "Authorization": "Basic " + Data("hubspot-connector:nope".utf8).base64EncodedString()
                ])
            #expect(bad.status == .badRequest)
            #expect(bad.json?["error"]?.stringValue == "invalid_client")
        }
    }

    @Test("a connected app without runAs refuses client credentials")
    func clientCredentialsWithoutRunAs() async throws {
        var logins = ServedAcme.testLogins
        logins.connectedApps.append(KeyholeFile.ConnectedApp(clientId: "password-only", clientSecret: "s"))
        try await ServedAcme(logins: logins).run { client in
            let reply = try await client.token([
                ("grant_type", "client_credentials"), ("client_id", "password-only"), ("client_secret", "s"),
            ])
            #expect(reply.status == .badRequest)
            #expect(reply.json?["error_description"]?.stringValue == "no client credentials user enabled")
        }
    }

    @Test("refresh token grant: the token's user; an unknown token is 'expired access/refresh token'")
    func refreshToken() async throws {
        try await ServedAcme().run { client in
            let good = try await client.token([
                ("grant_type", "refresh_token"), ("client_id", "hubspot-connector"),
                ("client_secret", "example-secret"),
                ("refresh_token", "example-refresh-token"),
            ])
            let token = try #require(good.json?["access_token"]?.stringValue)
            let info = try await client.get("/services/oauth2/userinfo", token: token)
            #expect(info.json?["preferred_username"]?.stringValue == Acme.hubspot)
            let bad = try await client.token([
                ("grant_type", "refresh_token"), ("client_id", "hubspot-connector"),
                ("client_secret", "example-secret"),
                ("refresh_token", "guessed"),
            ])
            #expect(bad.status == .badRequest)
            #expect(bad.json?["error"]?.stringValue == "invalid_grant")
            #expect(bad.json?["error_description"]?.stringValue == "expired access/refresh token")
        }
    }

    @Test("an unknown grant type is unsupported_grant_type")
    func unknownGrant() async throws {
        try await ServedAcme().run { client in
            let reply = try await client.token([("grant_type", "authorization_code"), ("code", "x")])
            #expect(reply.status == .badRequest)
            #expect(reply.json?["error"]?.stringValue == "unsupported_grant_type")
            #expect(reply.json?["error_description"]?.stringValue == "grant type not supported")
        }
    }

    // MARK: JWT bearer

    static func jwt(
        iss: String = "hubspot-connector", sub: String = ServedAcme.hubspot,
        aud: String = "https://login.salesforce.com", exp: Date = Date().addingTimeInterval(300),
        key: P256.Signing.PrivateKey? = nil
    ) throws -> String {
        func base64URL(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        let header = base64URL(Data(#"{"alg":"\#(key == nil ? "RS256" : "ES256")","typ":"JWT"}"#.utf8))
        let payload = base64URL(
            Data(
                #"{"iss":"\#(iss)","sub":"\#(sub)","aud":"\#(aud)","exp":\#(Int(exp.timeIntervalSince1970))}"#
                    .utf8))
        let input = header + "." + payload
        let signature =
            try key.map { try $0.signature(for: Data(input.utf8)).rawRepresentation }
            ?? Data(repeating: 7, count: 64)
        return input + "." + base64URL(signature)
    }

    func jwtGrant(_ client: ServedAcme.Client, _ assertion: String) async throws -> ServedAcme.Reply {
        try await client.token([
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion),
        ])
    }

    @Test("JWT bearer without a certificate: iss, sub, aud and exp are checked; the signature is not")
    func jwtClaims() async throws {
        try await ServedAcme().run { client in
            let good = try await jwtGrant(client, try Self.jwt())
            let token = try #require(good.json?["access_token"]?.stringValue, "\(good.text)")
            let info = try await client.get("/services/oauth2/userinfo", token: token)
            #expect(info.json?["preferred_username"]?.stringValue == Acme.hubspot)
            let cases: [(String, String, String)] = [
                (try Self.jwt(iss: "unknown-app"), "invalid_client_id", "client identifier invalid"),
                (
                    try Self.jwt(sub: "nobody@acme.example"), "invalid_grant",
                    "user hasn't approved this consumer"
                ),
                (
                    try Self.jwt(sub: "max.manager@acme.example"), "invalid_grant",
                    "user hasn't approved this consumer"
                ),
                (try Self.jwt(aud: "https://evil.example"), "invalid_grant", "audience is invalid"),
                (
                    try Self.jwt(exp: Date().addingTimeInterval(-60)), "invalid_grant",
                    "expired authorization code"
                ),
                ("not.a-jwt", "invalid_grant", "invalid assertion"),
            ]
            for (assertion, error, description) in cases {
                let reply = try await jwtGrant(client, assertion)
                #expect(reply.status == .badRequest)
                #expect(reply.json?["error"]?.stringValue == error, "\(assertion)")
                #expect(reply.json?["error_description"]?.stringValue == description, "\(assertion)")
            }
        }
    }

    @Test("JWT bearer with a connected app certificate: only assertions signed by its key are accepted")
    func jwtSignature() async throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("hubspot-connector") }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-60), notValidAfter: Date().addingTimeInterval(3600),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions(),
            issuerPrivateKey: .init(key))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "keyhole-jwt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try certificate.serializeAsPEM().pemString.write(
            to: folder.appendingPathComponent("hubspot.crt"), atomically: true, encoding: .utf8)
        var logins = ServedAcme.testLogins
        logins.connectedApps[0].certificate = "hubspot.crt"
        try await ServedAcme(logins: logins, certificatesRoot: folder).run { client in
            let signed = try await jwtGrant(client, try Self.jwt(key: key))
            #expect(signed.status == .ok, "\(signed.text)")
            let forged = try await jwtGrant(client, try Self.jwt(key: P256.Signing.PrivateKey()))
            #expect(forged.json?["error_description"]?.stringValue == "invalid assertion")
            let unsigned = try await jwtGrant(client, try Self.jwt())
            #expect(unsigned.json?["error_description"]?.stringValue == "invalid assertion")
        }
    }

    @Test("a connected app certificate that cannot be read stops the server with the file and the fix")
    func unreadableCertificate() throws {
        var logins = ServedAcme.testLogins
        logins.connectedApps[0].certificate = "missing.crt"
        let error = #expect(throws: ServeError.self) {
            _ = try ServedAcme(logins: logins, certificatesRoot: FileManager.default.temporaryDirectory)
        }
        #expect(error?.code == .certificate)
        #expect(error?.message.contains("missing.crt") == true)
        #expect(error?.message.contains("give the path") == true)
    }

    // MARK: SOAP

    static func soapLogin(_ username: String, _ password: String) -> String {
        """
        <?xml version="1.0" encoding="utf-8" ?>
        <env:Envelope xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com">
          <env:Header><urn:CallOptions><urn:client>simple-salesforce</urn:client></urn:CallOptions></env:Header>
          <env:Body><n1:login xmlns:n1="urn:partner.soap.sforce.com"><n1:username>\(username)</n1:username><n1:password>\(password)</n1:password></n1:login></env:Body>
        </env:Envelope>
        """
    }

    @Test("SOAP login: sessionId and serverUrl (what simple-salesforce parses), userId, sessionSecondsValid")
    func soap() async throws {
        try await ServedAcme().run { client in
            let reply = try await client.send(
                .post, "/services/Soap/u/59.0", headers: ["SOAPAction": "login"],
                body: Self.soapLogin(Acme.hubspot, "example-password"), contentType: "text/xml")
            #expect(reply.status == .ok)
            #expect(reply["Content-Type"]?.hasPrefix("text/xml") == true)
            let sessionId = try #require(Self.element("sessionId", in: reply.text))
            let serverURL = try #require(Self.element("serverUrl", in: reply.text))
            #expect(serverURL.hasPrefix("http://127.0.0.1:8080/services/Soap/u/59.0/00D"))
            #expect(Self.element("userId", in: reply.text) == RecordIdOf.user(Acme.hubspot))
            #expect(Self.element("sessionSecondsValid", in: reply.text) == "7200")
            #expect(Self.element("userName", in: reply.text) == Acme.hubspot)
            let sobjects = try await client.get("/services/data/v59.0/sobjects", token: sessionId)
            #expect(sobjects.status == .ok)
        }
    }

    @Test("SOAP login with a bad password is the INVALID_LOGIN fault with HTTP 500")
    func soapFailure() async throws {
        try await ServedAcme().run { client in
            let reply = try await client.send(
                .post, "/services/Soap/u/59.0", body: Self.soapLogin(Acme.hubspot, "nope"),
                contentType: "text/xml")
            #expect(reply.status == .internalServerError)
            #expect(Self.element("sf:exceptionCode", in: reply.text) == "INVALID_LOGIN")
            #expect(
                Self.element("sf:exceptionMessage", in: reply.text)
                    == "Invalid username, password, security token; or user locked out.")
            #expect(Self.element("sessionId", in: reply.text) == nil)
        }
    }

    static func element(_ name: String, in xml: String) -> String? {
        guard let start = xml.range(of: "<\(name)>"),
            let end = xml.range(of: "</\(name)>", range: start.upperBound..<xml.endIndex)
        else { return nil }
        return String(xml[start.upperBound..<end.lowerBound])
    }

    // MARK: Sessions

    @Test(
        "every data request without a valid token is 401 INVALID_SESSION_ID",
        arguments: [nil, "00Dbogus!token"] as [String?])
    func invalidSession(token: String?) async throws {
        try await ServedAcme().run { client in
            for path in [
                "/services/data/v62.0/sobjects", "/services/data/v62.0/query?q=SELECT+Id+FROM+Account",
                "/services/data/v62.0/sobjects/Account/describe", "/services/data/v62.0/limits",
                "/services/data/v62.0/jobs/query", "/services/data/v62.0/",
            ] {
                let reply = try await client.send(.get, path, token: token)
                #expect(reply.status == .unauthorized, "\(path)")
                #expect(
                    reply.text
                        == #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#)
            }
        }
    }

    @Test("a token expires after the session lifetime")
    func expiry() async throws {
        try await ServedAcme(sessionLifetime: 3).run { client in
            let token = try await client.login(Acme.hubspot)
            #expect(try await client.get("/services/data/v62.0/sobjects", token: token).status == .ok)
            try await Task.sleep(for: .milliseconds(3500))
            let reply = try await client.get("/services/data/v62.0/sobjects", token: token)
            #expect(reply.status == .unauthorized)
            #expect(reply.error?.code == "INVALID_SESSION_ID")
        }
    }

    @Test("userinfo without a valid token is Salesforce's 403 Bad_OAuth_Token")
    func userInfoWithoutToken() async throws {
        try await ServedAcme().run { client in
            let reply = try await client.send(.get, "/services/oauth2/userinfo", token: "bogus")
            #expect(reply.status == .forbidden)
            #expect(reply.text == "Bad_OAuth_Token")
        }
    }
}

/// Ids the API shows for users: the same as the record data's `OwnerId`.
enum RecordIdOf {
    static func user(_ username: String) -> String {
        RecordId.make(object: "User", referenceId: username)
    }
}
