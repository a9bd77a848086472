/// A refused token request, as Salesforce answers it: HTTP 400 with
/// `{"error":"invalid_grant","error_description":"authentication failure"}` (`rest-api.md` §2.1).
public struct OAuthError: Error, Hashable, Sendable, CustomStringConvertible {
    public var error: String
    public var description_: String

    public init(_ error: String, _ description: String) {
        self.error = error
        self.description_ = description
    }

    public var description: String { "\(error): \(description_)" }

    public var json: JSON {
        .object([("error", .string(error)), ("error_description", .string(description_))])
    }

    /// Wrong username or password, or an inactive user.
    public static let authenticationFailure = OAuthError("invalid_grant", "authentication failure")
    public static let unknownClient = OAuthError("invalid_client_id", "client identifier invalid")
    public static let badClientSecret = OAuthError("invalid_client", "invalid client credentials")
    public static let unsupportedGrant = OAuthError("unsupported_grant_type", "grant type not supported")
    /// An unknown refresh token (airbyte turns this text into "re-authenticate").
    public static let expiredToken = OAuthError("invalid_grant", "expired access/refresh token")
    /// A connected app without a `runAs` user asked for client credentials.
    public static let noClientCredentialsUser = OAuthError(
        "invalid_grant", "no client credentials user enabled")
    public static let invalidAssertion = OAuthError("invalid_grant", "invalid assertion")
    public static let invalidAudience = OAuthError("invalid_grant", "audience is invalid")
    public static let expiredAssertion = OAuthError("invalid_grant", "expired authorization code")
    /// The JWT's subject is not a user the app may log in as.
    public static let notApproved = OAuthError("invalid_grant", "user hasn't approved this consumer")
}
