/// A sharing rule: which records, shared with whom, at which level (`REC-9`…`REC-12`).
public struct SharingRule: Hashable, Sendable {
    /// The object whose records it shares (the sharingRules file name).
    public var object: String
    /// `fullName`.
    public var name: String
    public var label: String?
    public var description: String?
    public var kind: Kind
    public var sharedTo: SharingPrincipal
    /// `accessLevel` (for Account rules, the account level; `REC-12`).
    public var accessLevel: AccessLevel
    /// Child levels of an Account rule (`REC-12`).
    public var accountSettings: AccountSharingSettings?

    public enum Kind: Hashable, Sendable {
        /// Records whose fields match (`REC-11`).
        case criteria(CriteriaFilter, includeRecordsOwnedByAll: Bool?)
        /// Records owned by members of `sharedFrom` (`REC-10`).
        case owner(sharedFrom: SharingPrincipal)
        /// Guest-user rules: kept and reported, never grant internal users anything.
        case guest(CriteriaFilter, includeHVUOwnedRecords: Bool?)
        /// Territory rules, kept as read.
        case territory(sharedFrom: SharingPrincipal)

        /// The metadata element holding rules of this kind.
        public var element: String {
            switch self {
            case .criteria: "sharingCriteriaRules"
            case .owner: "sharingOwnerRules"
            case .guest: "sharingGuestRules"
            case .territory: "sharingTerritoryRules"
            }
        }
    }

    public init(
        object: String, name: String, label: String? = nil, description: String? = nil, kind: Kind,
        sharedTo: SharingPrincipal, accessLevel: AccessLevel, accountSettings: AccountSharingSettings? = nil
    ) {
        self.object = object
        self.name = name
        self.label = label
        self.description = description
        self.kind = kind
        self.sharedTo = sharedTo
        self.accessLevel = accessLevel
        self.accountSettings = accountSettings
    }

    public var isGuestRule: Bool {
        if case .guest = kind { return true }
        return false
    }

    /// `sharingRule:Object.Name`, the source name used in reasons.
    public var sourceName: String { "sharingRule:\(object).\(name)" }
}

/// Who a rule shares with or from: `group`, `role`, `roleAndSubordinates`, `roleAndSubordinatesInternal`,
/// `allInternalUsers`, `guestUser`, `territory`, … (`REC-9`). `name` is empty for `allInternalUsers`.
public struct SharingPrincipal: Hashable, Sendable, CustomStringConvertible {
    public var kind: String
    public var name: String
    public init(kind: String, name: String) {
        self.kind = kind
        self.name = name
    }
    public var description: String { name.isEmpty ? kind : "\(kind):\(name)" }

    /// Individual users are never valid targets (`REC-9`, `T06`).
    public var isUser: Bool { kind == "user" }
}

/// A rule's record filter: items combined by AND, or by `booleanFilter` (`1 AND (2 OR 3)`).
public struct CriteriaFilter: Hashable, Sendable {
    public var items: [CriteriaItem]
    public var booleanFilter: String?
    public init(items: [CriteriaItem] = [], booleanFilter: String? = nil) {
        self.items = items
        self.booleanFilter = booleanFilter
    }
}

/// One `criteriaItems` entry. `value` may be empty (`<value/>`, `TRAP-03`); commas mean "any of" (`REC-11`).
public struct CriteriaItem: Hashable, Sendable {
    public var field: String
    public var operation: String
    public var value: String
    public init(field: String, operation: String, value: String) {
        self.field = field
        self.operation = operation
        self.value = value
    }
}

/// `accountSettings` of an Account sharing rule (`REC-12`).
public struct AccountSharingSettings: Hashable, Sendable {
    public var caseAccessLevel: AccessLevel
    public var contactAccessLevel: AccessLevel
    public var opportunityAccessLevel: AccessLevel
    public init(
        caseAccessLevel: AccessLevel, contactAccessLevel: AccessLevel, opportunityAccessLevel: AccessLevel
    ) {
        self.caseAccessLevel = caseAccessLevel
        self.contactAccessLevel = contactAccessLevel
        self.opportunityAccessLevel = opportunityAccessLevel
    }
}
