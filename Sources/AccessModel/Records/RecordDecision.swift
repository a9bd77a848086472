/// Why a user has (or lacks) some access to a record. Produced by the same code that decides.
public struct RecordReason: Hashable, Sendable, Encodable {
    public enum Kind: String, Hashable, Sendable, Encodable, CaseIterable {
        case owner, orgWideDefault, controlledByParent, roleHierarchy, sharingRule, implicitParent,
            implicitChild, manualShare, viewAll, viewAllData, modifyAll, modifyAllData, restrictionRule,
            scopingRule, objectPermissionCap, notShared, note
    }

    public var kind: Kind
    /// What grants or limits: `owner`, `sharingModel:Account`, `sharingRule:Account.Send_to_HubSpot`,
    /// `role:Sales_Manager`, `manualShare:001…`, `restrictionRule:Invoice_Filter`, `permissions:Account`.
    public var source: String
    /// How it reaches the user: `group:HubSpot_Sync`, `role:Sales_Manager`, `Contact:003…`; `nil` when direct.
    public var via: String?
    /// The level this reason grants (for grants) or caps to (for limits); `nil` for notes.
    public var level: AccessLevel?
    /// A sentence for people.
    public var message: String

    public init(kind: Kind, source: String, via: String? = nil, level: AccessLevel? = nil, message: String) {
        self.kind = kind
        self.source = source
        self.via = via
        self.level = level
        self.message = message
    }

    enum CodingKeys: String, CodingKey { case kind, source, via, message }
}

/// The access one user has to one record, with every reason.
public struct RecordDecision: Hashable, Sendable, Encodable {
    public var recordId: String
    public var referenceId: String?
    public var name: String?
    public var level: AccessLevel
    public var reasons: [RecordReason]

    public init(
        recordId: String, referenceId: String? = nil, name: String? = nil, level: AccessLevel,
        reasons: [RecordReason]
    ) {
        self.recordId = recordId
        self.referenceId = referenceId
        self.name = name
        self.level = level
        self.reasons = reasons
    }

    public var isVisible: Bool { level >= .read }

    /// JSON keys (public contract): `id`, `referenceId`, `name`, `access` (`none|read|edit|all`),
    /// `reasons` (`kind`, `source`, `via`, `message`).
    enum CodingKeys: String, CodingKey { case id, referenceId, name, access, reasons }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(recordId, forKey: .id)
        try c.encode(referenceId, forKey: .referenceId)
        try c.encode(name, forKey: .name)
        try c.encode(level.description, forKey: .access)
        try c.encode(reasons, forKey: .reasons)
    }
}
