/// A user's access to one object, with its reasons (never empty) and, when asked, its fields.
public struct ObjectDecision: Hashable, Sendable {
    public var object: String
    /// Effective object permissions after closure, muting, View/Modify All Data and the licence cap.
    public var access: ObjectAccess
    /// Public names of the sources that grant any of `access` (including `license:` never; View All Data
    /// holders appear as the source holding the system permission).
    public var sources: [String]
    public var reasons: [Reason]
    /// Field decisions, in `SObjectType.sortedFields` order (empty unless requested).
    public var fields: [FieldDecision]

    public init(
        object: String, access: ObjectAccess, sources: [String], reasons: [Reason],
        fields: [FieldDecision] = []
    ) {
        self.object = object
        self.access = access
        self.sources = sources
        self.reasons = reasons
        self.fields = fields
    }

    public var canRead: Bool { access.contains(.read) }
    /// True when `access` holds every permission in `required`.
    public func allows(_ required: ObjectAccess) -> Bool { access.isSuperset(of: required) }
}
