import Crypto
import Foundation
import X509

/// The assertion of the JWT bearer grant (`urn:ietf:params:oauth:grant-type:jwt-bearer`): a compact JWS
/// whose claims name the connected app (`iss`), the user (`sub`), the login server (`aud`) and an
/// expiry (`exp`).
///
/// Position: Salesforce verifies the RS256 signature with the certificate uploaded to the connected app.
/// Keyhole does the same when the app's `certificate:` key names one (RS256, and ES256 for tests);
/// without it only the claims are checked, which is enough to exercise a client's JWT code locally but is
/// no proof of who signed.
public struct JWTAssertion: Sendable {
    public var algorithm: String
    public var issuer: String?
    public var subject: String?
    public var audience: [String]
    public var expiry: Date?
    /// `header.payload`, the signed bytes.
    let signingInput: String
    let signature: Data

    /// Splits and decodes the assertion; `invalidAssertion` when it is not a JWS with a JSON payload.
    public init(_ text: String) throws(OAuthError) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Self.base64URL(parts[0]),
            let payloadData = Self.base64URL(parts[1]), let signature = Self.base64URL(parts[2]),
            let header = try? JSON.parse(headerData), let payload = try? JSON.parse(payloadData)
        else { throw OAuthError.invalidAssertion }
        algorithm = header["alg"]?.stringValue ?? ""
        issuer = payload["iss"]?.stringValue
        subject = payload["sub"]?.stringValue
        switch payload["aud"] {
        case .string(let one)?: audience = [one]
        case .array(let many)?: audience = many.compactMap(\.stringValue)
        default: audience = []
        }
        if case .number(let text)? = payload["exp"], let seconds = Double(text) {
            expiry = Date(timeIntervalSince1970: seconds)
        }
        signingInput = parts[0] + "." + parts[1]
        self.signature = signature
    }

    /// True when the signature was made by the key of `certificate` (RS256 or ES256).
    public func isSigned(by certificate: Certificate) -> Bool {
        let input = Data(signingInput.utf8)
        switch algorithm {
        case "RS256":
            return certificate.publicKey.isValidSignature(
                signature, for: input, signatureAlgorithm: .sha256WithRSAEncryption)
        case "ES256":
            guard let key = P256.Signing.PublicKey(certificate.publicKey),
                let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
            else { return false }
            return key.isValidSignature(ecdsa, for: input)
        default:
            return false
        }
    }

    static func base64URL(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
