import Foundation
import Hummingbird

extension SalesforceAPI {
    /// `/services/oauth2/token`, `/services/oauth2/userinfo`, `/services/oauth2/revoke`.
    func oauth(_ request: Request, _ path: [String]) async throws -> Reply {
        guard path.count == 1 else { throw APIError.notFound }
        switch path[0] {
        case "token":
            guard request.method == .post else {
                throw APIError.methodNotAllowed(request.method, allowed: ["POST"])
            }
            let text = String(decoding: try await body(request), as: UTF8.self)
            var form = FormFields(text)
            // Some clients put the grant in the URL's query instead of the body.
            if form.pairs.isEmpty, let query = request.uri.query { form = FormFields(query) }
            do {
                let token = try await login.token(
                    form: form, authorization: request.headers[.authorization])
                return Reply.json(token)
            } catch {
                return Reply.json(error.json, status: .badRequest)
            }
        case "userinfo":
            guard let token = Self.bearerToken(request), let session = await sessions.session(for: token)
            else {
                // Salesforce answers an invalid token here with 403 and this text (not a JSON array).
                return Reply.text(
                    "Bad_OAuth_Token", contentType: "text/plain;charset=UTF-8", status: .forbidden)
            }
            return Reply.json(login.userInfo(session))
        case "revoke":
            let text = String(decoding: try await body(request), as: UTF8.self)
            if let token = FormFields(text)["token"] ?? FormFields(request.uri.query ?? "")["token"] {
                await sessions.revoke(token)
            }
            return Reply(status: .ok, body: .empty)
        default:
            throw APIError.notFound
        }
    }

    /// `POST /services/Soap/u/{version}`: SOAP `login` (simple-salesforce's default mode).
    func soapLogin(_ request: Request, version: APIVersion) async throws -> Reply {
        guard request.method == .post else {
            throw APIError.methodNotAllowed(request.method, allowed: ["POST"])
        }
        let reply = await login.soapLogin(body: try await body(request), version: version.description)
        return Reply.text(
            reply.xml, contentType: "text/xml;charset=UTF-8", status: HTTPResponse.Status(code: reply.status))
    }
}
