/// A request the store refuses or cannot serve, with Salesforce's `errorCode`, message text and HTTP
/// status (`rest-api.md` §3, `API-6`…`API-11`), so the server renders it as
/// `[{"message", "errorCode", "fields"}]` unchanged. Query text errors are `SOQLError`, not this type.
public struct RecordStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// Unknown or invisible record, unknown object for a record URL (404).
        case notFound = "NOT_FOUND"
        /// The record is in the recycle bin (404).
        case entityIsDeleted = "ENTITY_IS_DELETED"
        /// A record Id in the URL that is not an Id of the object (400).
        case malformedId = "MALFORMED_ID"
        /// Unknown or unreadable field in a write, `?fields=` or an upsert key (400, `API-7`).
        case invalidField = "INVALID_FIELD"
        /// A readable field the user cannot write (400, `API-6`); `fields` lists them.
        case invalidFieldForInsertUpdate = "INVALID_FIELD_FOR_INSERT_UPDATE"
        /// No object Create/Edit/Delete permission, or not enough record access (400, `API-8`, `API-9`).
        case insufficientAccess = "INSUFFICIENT_ACCESS_OR_READONLY"
        /// A lookup to a record that does not exist, is of the wrong object, or that the user cannot
        /// see (400).
        case invalidCrossReferenceKey = "INVALID_CROSS_REFERENCE_KEY"
        /// A lookup to a record the user cannot see (400, `API-8`).
        case insufficientAccessOnCrossReference = "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY"
        /// An email field value that is not an address (400).
        case invalidEmailAddress = "INVALID_EMAIL_ADDRESS"
        /// Required fields missing on insert, or cleared on update (400); `fields` lists them.
        case requiredFieldMissing = "REQUIRED_FIELD_MISSING"
        /// A value of the wrong type for the field (400).
        case jsonParserError = "JSON_PARSER_ERROR"
        /// A text value longer than the field allows (400).
        case stringTooLong = "STRING_TOO_LONG"
        /// A picklist value outside a restricted picklist's values (400).
        case invalidRestrictedPicklist = "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
        /// A unique or external-Id field value another record already has (400).
        case duplicateValue = "DUPLICATE_VALUE"
        /// An upsert key matching several records (HTTP 300); `matchingIds` lists them.
        case multipleChoices = "MULTIPLE_CHOICES"
        /// Unknown or unreadable object in a write (400).
        case invalidType = "INVALID_TYPE"
        /// An expired or unknown query locator (400).
        case invalidQueryLocator = "INVALID_QUERY_LOCATOR"
        /// A `Sforce-Query-Options` header the store cannot use, or another malformed request (400).
        case invalidRequest = "INVALID_REQUEST"
        /// The database could not be opened, read or written (500: never an access decision).
        case storage = "STORAGE_ERROR"
    }

    public var code: Code
    public var message: String
    /// Field names the error is about (`INVALID_FIELD_FOR_INSERT_UPDATE`, `REQUIRED_FIELD_MISSING`, …).
    public var fields: [String]
    /// For `MULTIPLE_CHOICES`: the Ids of every matching record, for the 300 body.
    public var matchingIds: [String]

    public init(_ code: Code, _ message: String, fields: [String] = [], matchingIds: [String] = []) {
        self.code = code
        self.message = message
        self.fields = fields
        self.matchingIds = matchingIds
    }

    /// The REST `errorCode`.
    public var errorCode: String { code.rawValue }

    /// The HTTP status the REST API answers with.
    public var httpStatus: Int {
        switch code {
        case .notFound, .entityIsDeleted: 404
        case .multipleChoices: 300
        case .storage: 500
        default: 400
        }
    }

    public var description: String { "\(code.rawValue): \(message)" }

    // MARK: Salesforce's messages

    static let notFoundMessage = "The requested resource does not exist"

    static func notFound() -> RecordStoreError { RecordStoreError(.notFound, notFoundMessage) }

    static func deleted() -> RecordStoreError { RecordStoreError(.entityIsDeleted, "entity is deleted") }

    static func malformedId(_ id: String) -> RecordStoreError {
        RecordStoreError(.malformedId, "malformed id \(id)")
    }

    /// `API-7`: an unknown or unreadable field named in a write.
    static func noSuchColumn(_ field: String, object: String) -> RecordStoreError {
        RecordStoreError(
            .invalidField, "No such column '\(field)' on sobject of type \(object)", fields: [field])
    }

    /// `API-3` wording, for `?fields=` on a record GET.
    static func noSuchColumnOnEntity(_ field: String, object: String) -> RecordStoreError {
        RecordStoreError(
            .invalidField,
            "No such column '\(field)' on entity '\(object)'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
            fields: [field])
    }

    /// `API-6`.
    static func notWritable(_ fields: [String]) -> RecordStoreError {
        RecordStoreError(
            .invalidFieldForInsertUpdate,
            "Unable to create/update fields: \(fields.joined(separator: ", ")). Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
            fields: fields)
    }

    /// `API-8`, `API-9`; `id` is the record being saved (empty on insert).
    static func insufficientAccess(_ id: String) -> RecordStoreError {
        RecordStoreError(
            .insufficientAccess, "insufficient access rights on object id" + (id.isEmpty ? "" : " \(id)"))
    }

    static func requiredMissing(_ fields: [String]) -> RecordStoreError {
        RecordStoreError(
            .requiredFieldMissing, "Required fields are missing: [\(fields.joined(separator: ", "))]",
            fields: fields)
    }

    static func invalidType(_ object: String) -> RecordStoreError {
        RecordStoreError(
            .invalidType,
            "sObject type '\(object)' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."
        )
    }

    static func invalidLocator() -> RecordStoreError {
        RecordStoreError(.invalidQueryLocator, "invalid query locator")
    }

    static func storage(_ error: any Error) -> RecordStoreError {
        RecordStoreError(.storage, "the record database failed: \(error)")
    }
}
