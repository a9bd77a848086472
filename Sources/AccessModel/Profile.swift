/// A profile: the one permission source every user has. Stored by Salesforce as a permission set owned
/// by the profile (`§0.1`). Its field permissions are kept even for objects it cannot read (`FLS-5`).
public struct Profile: Hashable, Sendable {
    /// Metadata name: the decoded file name (`Admin`, `Minimum Access - API Only Integrations`).
    public var name: String
    /// `userLicense` as written; `nil` in partial deploy files (`TRAP-10`, `TRAP-20`).
    public var userLicense: String?
    public var isCustom: Bool?
    public var description: String?
    public var grants: PermissionGrants

    public init(
        name: String, userLicense: String? = nil, isCustom: Bool? = nil, description: String? = nil,
        grants: PermissionGrants = PermissionGrants()
    ) {
        self.name = name
        self.userLicense = userLicense
        self.isCustom = isCustom
        self.description = description
        self.grants = grants
    }

    /// The integration profile, under its current or deprecated name (`LIC-2`).
    public var isIntegrationProfile: Bool { Profile.integrationProfileNames.contains(name) }

    public static let integrationProfileNames: Set<String> = [
        "Minimum Access - API Only Integrations",
        "Minimum Access – API Only Integrations",
        "Salesforce API Only System Integrations",
    ]
}
