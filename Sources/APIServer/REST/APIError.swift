import Hummingbird
import RecordStore
import SOQL

/// A REST error with Salesforce's status, `errorCode` and message text (`rest-api.md` §3). The body is
/// always a JSON array: `[{"message":…,"errorCode":…[,"fields":[…]]}]`. Every access-model denial is
/// a 4xx, never a 5xx (clients retry 5xx).
public struct APIError: Error, Hashable, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var errorCode: String
    public var message: String
    public var fields: [String]?

    public init(
        _ status: HTTPResponse.Status, _ errorCode: String, _ message: String, fields: [String]? = nil
    ) {
        self.status = status
        self.errorCode = errorCode
        self.message = message
        self.fields = fields
    }

    public var description: String { "\(status.code) \(errorCode): \(message)" }

    /// `{"message","errorCode"[,"fields"]}` — one element of the error array.
    public var json: JSON {
        var pairs: [(String, JSON)] = [("message", .string(message)), ("errorCode", .string(errorCode))]
        if let fields { pairs.append(("fields", .array(fields.map { .string($0) }))) }
        return .object(pairs)
    }

    /// The whole body: a one-element array.
    public var body: JSON { .array([json]) }

    // MARK: Salesforce's errors

    /// Missing, unknown or expired token.
    public static let invalidSession = APIError(
        .unauthorized, "INVALID_SESSION_ID", "Session expired or invalid")

    /// An unknown or unreadable object, record, or an unknown path.
    public static let notFound = APIError(
        .notFound, "NOT_FOUND", "The requested resource does not exist")

    /// A query the binder refused (`INVALID_FIELD`, `INVALID_TYPE`, `MALFORMED_QUERY`, …), as 400.
    public static func query(_ error: SOQLError) -> APIError {
        APIError(.badRequest, error.errorCode, error.message)
    }

    public static func malformedId(_ id: String) -> APIError {
        APIError(.badRequest, "MALFORMED_ID", "malformed id \(id)")
    }

    /// An object or record the user may not change. The status (400 or 403) is unverified (§8); 403 is used.
    public static let insufficientAccess = APIError(
        .forbidden, "INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object id")

    public static let entityIsDeleted = APIError(.notFound, "ENTITY_IS_DELETED", "entity is deleted")

    public static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [String]) -> APIError {
        APIError(
            .methodNotAllowed, "METHOD_NOT_ALLOWED",
            "HTTP Method '\(method.rawValue)' not allowed. Allowed are \(allowed.joined(separator: ","))")
    }

    /// A body that is not JSON, or not the JSON the resource expects.
    public static func jsonParser(_ detail: String) -> APIError {
        APIError(.badRequest, "JSON_PARSER_ERROR", detail)
    }

    public static let invalidQueryLocator = APIError(
        .badRequest, "INVALID_QUERY_LOCATOR", "invalid query locator")

    public static let apiDisabled = APIError(
        .forbidden, "API_DISABLED_FOR_ORG", "API is not enabled for this Organization or Partner")
}

extension APIError {
    /// A store refusal, unchanged: its status, code, message and fields.
    init(_ error: RecordStoreError) {
        self.init(
            HTTPResponse.Status(code: error.httpStatus), error.errorCode, error.message,
            fields: error.fields.isEmpty ? nil : error.fields)
    }
}
