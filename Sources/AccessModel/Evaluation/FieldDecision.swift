/// A user's access to one field, with its reasons (never empty).
public struct FieldDecision: Hashable, Sendable {
    public var object: String
    public var field: String
    public var read: Bool
    public var edit: Bool
    /// Readable, Classic encrypted, and no View Encrypted Data: the value is the mask (`CLS-9`).
    public var masked: Bool
    /// Carried for display only; never consulted (`CLS-6`).
    public var classification: Classification
    /// Reasons for read, then edit, then masking; `permission` is `Read` or `Edit` where it applies.
    public var reasons: [Reason]

    public init(
        object: String, field: String, read: Bool, edit: Bool, masked: Bool,
        classification: Classification = Classification(), reasons: [Reason]
    ) {
        self.object = object
        self.field = field
        self.read = read
        self.edit = edit
        self.masked = masked
        self.classification = classification
        self.reasons = reasons
    }

    /// `Object.Field`.
    public var path: String { FieldPath.key(object: object, field: field) }
}
