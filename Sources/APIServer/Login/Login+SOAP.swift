import AccessModel
import Foundation
import SalesforceMetadata

extension Login {
    /// The outcome of SOAP `login`: HTTP status and the `text/xml` envelope.
    public struct SOAPReply: Sendable {
        public var status: Int
        public var xml: String
    }

    /// `POST /services/Soap/u/{version}` with a `login` call (simple-salesforce's default, aiosalesforce's
    /// `SoapLogin`). Success is the partner `loginResponse` (`sessionId`, `serverUrl`, `userId`,
    /// `userInfo`…); bad credentials are the `INVALID_LOGIN` fault with HTTP 500, as Salesforce sends.
    public func soapLogin(body: Data, version: String) async -> SOAPReply {
        guard case .success(let envelope) = XMLTreeParser.parse(body),
            let call = envelope.child("Body")?.child("login")
        else {
            return SOAPReply(
                status: 500,
                xml: Self.fault(
                    code: "INVALID_LOGIN",
                    message: "Invalid username, password, security token; or user locked out."))
        }
        let username = call.child("username")?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let password = call.child("password")?.text ?? ""
        guard let stored = served.api.password(of: username), stored == password,
            let user = activeUser(username)
        else {
            return SOAPReply(
                status: 500,
                xml: Self.fault(
                    code: "INVALID_LOGIN",
                    message: "Invalid username, password, security token; or user locked out."))
        }
        let userId = user.recordId
        let session = await sessions.issue(username: user.username, userId: userId, clientId: nil)
        return SOAPReply(status: 200, xml: loginResponse(session, user: user, version: version))
    }

    func loginResponse(_ session: Session, user: User, version: String) -> String {
        let orgId = served.organizationId
        let serverURL = "\(instanceURL)/services/Soap/u/\(version)/\(orgId.prefix(15))"
        let metadataURL = "\(instanceURL)/services/Soap/m/\(version)/\(orgId.prefix(15))"
        let profileId = "00e" + String(orgId.dropFirst(3).prefix(12))
        func element(_ name: String, _ value: String) -> String { "<\(name)>\(Self.escape(value))</\(name)>" }
        let userInfo = [
            element("accessibilityMode", "false"),
            element("chatterExternal", "false"),
            element("currencySymbol", "$"),
            element("orgAttachmentFileSizeLimit", "5242880"),
            element("orgDefaultCurrencyIsoCode", "USD"),
            element("orgDefaultCurrencyLocale", "en_US"),
            element("orgDisallowHtmlAttachments", "false"),
            element("orgHasPersonAccounts", "false"),
            element("organizationId", orgId),
            element("organizationMultiCurrency", "false"),
            element("organizationName", served.organizationName),
            element("profileId", profileId + RecordId.checksum(profileId)),
            "<roleId xsi:nil=\"true\"/>",
            element("sessionSecondsValid", String(session.secondsValid)),
            element("userDefaultCurrencyIsoCode", "USD"),
            element("userEmail", user.username),
            element("userFullName", user.name ?? user.username),
            element("userId", session.userId),
            element("userLanguage", "en_US"),
            element("userLocale", "en_US"),
            element("userName", user.username),
            element("userTimeZone", "GMT"),
            element("userType", "Standard"),
            element("userUiSkin", "Theme3"),
        ].joined()
        return """
            <?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" \
            xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>\
            <loginResponse><result>\
            \(element("metadataServerUrl", metadataURL))\
            \(element("passwordExpired", "false"))\
            \(element("sandbox", "false"))\
            \(element("serverUrl", serverURL))\
            \(element("sessionId", session.token))\
            \(element("userId", session.userId))\
            <userInfo>\(userInfo)</userInfo>\
            </result></loginResponse></soapenv:Body></soapenv:Envelope>
            """
    }

    /// A SOAP fault with Salesforce's `sf:` exception code and message.
    static func fault(code: String, message: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" \
        xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
        <soapenv:Body><soapenv:Fault><faultcode>sf:\(code)</faultcode>\
        <faultstring>\(code): \(escape(message))</faultstring><detail>\
        <sf:LoginFault xsi:type="sf:LoginFault"><sf:exceptionCode>\(code)</sf:exceptionCode>\
        <sf:exceptionMessage>\(escape(message))</sf:exceptionMessage></sf:LoginFault></detail>\
        </soapenv:Fault></soapenv:Body></soapenv:Envelope>
        """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
