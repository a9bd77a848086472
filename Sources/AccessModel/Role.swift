/// A role in the hierarchy, with the access an account owner in this role gets to the account's children
/// (`REC-15`).
public struct Role: Hashable, Sendable {
    /// Developer name (file name).
    public var name: String
    /// `name` element: the label shown in Setup.
    public var label: String?
    public var parentRole: String?
    public var description: String?
    public var caseAccessLevel: AccessLevel?
    public var contactAccessLevel: AccessLevel?
    public var opportunityAccessLevel: AccessLevel?
    public var mayForecastManagerShare: Bool?

    public init(
        name: String, label: String? = nil, parentRole: String? = nil, description: String? = nil,
        caseAccessLevel: AccessLevel? = nil, contactAccessLevel: AccessLevel? = nil,
        opportunityAccessLevel: AccessLevel? = nil, mayForecastManagerShare: Bool? = nil
    ) {
        self.name = name
        self.label = label
        self.parentRole = parentRole
        self.description = description
        self.caseAccessLevel = caseAccessLevel
        self.contactAccessLevel = contactAccessLevel
        self.opportunityAccessLevel = opportunityAccessLevel
        self.mayForecastManagerShare = mayForecastManagerShare
    }
}
