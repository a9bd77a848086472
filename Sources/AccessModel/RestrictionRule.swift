/// A restriction or scoping rule (`REC-20`…`REC-22`), kept as written; the record filter and user
/// criteria are formula-like text that the record evaluator parses.
public struct RestrictionRule: Hashable, Sendable {
    public var name: String
    public var masterLabel: String?
    public var description: String?
    public var active: Bool
    /// `Restrict` or `Scoping`.
    public var enforcementType: String
    public var targetEntity: String
    /// e.g. `$User.ProfileId = '00e…'` or `$User.Department = 'Integration'`.
    public var userCriteria: String?
    /// e.g. `Send_to_HubSpot__c = true`.
    public var recordFilter: String?
    public var version: Int?

    public init(
        name: String, masterLabel: String? = nil, description: String? = nil, active: Bool = true,
        enforcementType: String = "Restrict", targetEntity: String, userCriteria: String? = nil,
        recordFilter: String? = nil, version: Int? = nil
    ) {
        self.name = name
        self.masterLabel = masterLabel
        self.description = description
        self.active = active
        self.enforcementType = enforcementType
        self.targetEntity = targetEntity
        self.userCriteria = userCriteria
        self.recordFilter = recordFilter
        self.version = version
    }

    public var isScoping: Bool { enforcementType.lowercased() == "scoping" }
}
