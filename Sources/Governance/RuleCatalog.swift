/// The finding rules described: a short name, a one-line summary, why it matters, the default severity
/// and the spec rules it rests on. `docs/rules.md` is the long form; SARIF output carries these texts.
public enum RuleCatalog {
    public struct Entry: Hashable, Sendable {
        public var id: FindingRuleID
        /// PascalCase name (SARIF `name`).
        public var name: String
        public var summary: String
        public var detail: String
        /// The highest severity the rule reports.
        public var severity: FindingSeverity
        /// Spec rule IDs (`FLS-5`).
        public var specRules: [String]
    }

    public static func entry(_ id: FindingRuleID) -> Entry {
        switch id {
        case .tier3Access:
            Entry(
                id: id, name: "Tier3Access",
                summary:
                    "An integration user can read a tier-3 field without an approval naming an approver.",
                detail:
                    "Tier 3 fields (by default Restricted and MissionCritical, and any compliance group mapped to 3) may only be read by an integration with an approval in policy.approvals that names who in security approved it (approvedBy). Remove the read from the source that grants it, or record the approval.",
                severity: .error, specRules: ["CLS-6", "FLS-3"])
        case .tier2Unjustified:
            Entry(
                id: id, name: "Tier2Unjustified",
                summary: "An integration user can read a tier-2 field without a written justification.",
                detail:
                    "Tier 2 fields (by default Confidential) need a business justification in policy.approvals for each integration that reads them. Add the justification or remove the read.",
                severity: .warning, specRules: ["CLS-6", "FLS-3"])
        case .latentFLS:
            Entry(
                id: id, name: "LatentProfileFieldPermission",
                summary:
                    "A dormant profile field permission becomes effective through another source's object Read.",
                detail:
                    "A profile can hold field permissions on objects it cannot read. They are inert until a permission set or group grants Read on the object, and then the integration reads every such field, although the permission set grants no field access. Set <readable>false</readable> on the profile entry; deleting the entry does not remove access on deploy. Also reported, at lower severity, for entries a permission set in the org would wake if it were assigned.",
                severity: .error, specRules: ["FLS-5", "FLS-3", "FLS-4", "LIC-3"])
        case .mutingIneffective:
            Entry(
                id: id, name: "MutingIneffective",
                summary:
                    "A muting permission set mutes a permission the user still gets from another source.",
                detail:
                    "Muting only removes what its own permission set group grants. If the profile, a direct permission set or another group grants the same permission, the user keeps it. Remove the permission at the other source.",
                severity: .warning, specRules: ["PSG-3", "PSG-4"])
        case .viewAllData:
            Entry(
                id: id, name: "ViewAllData",
                summary: "An integration user has View All Data.",
                detail:
                    "View All Data reads every record of every object and ignores sharing. Integrations almost never need it; grant Read (and View All on the objects that need a full extract) instead. Field permissions still apply.",
                severity: .error, specRules: ["OBJ-5", "OBJ-7"])
        case .modifyAllData:
            Entry(
                id: id, name: "ModifyAllData",
                summary: "An integration user has Modify All Data.",
                detail:
                    "Modify All Data reads, edits and deletes every record of every object, ignores sharing and implies View All Data. Grant the object permissions the integration needs instead.",
                severity: .error, specRules: ["OBJ-4", "OBJ-7"])
        case .flsQueryWillFail:
            Entry(
                id: id, name: "FLSQueryWillFail",
                summary: "A field the policy expects the integration to read is not readable.",
                detail:
                    "An approval says the integration reads the field, but field-level security hides it: the API treats the field as non-existent, so every query naming it fails with INVALID_FIELD. Grant Read on the field (and its object) or remove the approval and the field from the integration's queries.",
                severity: .error, specRules: ["FLS-1", "FLS-4", "API-1"])
        case .integrationLicense:
            Entry(
                id: id, name: "IntegrationLicense",
                summary:
                    "An integration user is not on the Salesforce Integration licence, or the org exceeds the free allocation.",
                detail:
                    "Integration users belong on the Salesforce Integration licence with the Minimum Access - API Only Integrations profile: API-only, cheaper, and permission-set driven. Enterprise, Unlimited and Performance orgs include 5 such licences; more integration users than that suggests users shared or left over.",
                severity: .warning, specRules: ["LIC-1", "LIC-3", "LIC-13"])
        case .invalidAssignment:
            Entry(
                id: id, name: "InvalidAssignment",
                summary: "An assignment Salesforce would refuse.",
                detail:
                    "Salesforce refuses a permission set or group assignment that the user's licence or permission set licences do not allow; the access it was meant to give does not exist. The message is Salesforce's own.",
                severity: .error, specRules: ["LIC-6", "LIC-7", "LIC-8", "LIC-9", "PSG-7"])
        case .encryptedMasked:
            Entry(
                id: id, name: "EncryptedMasked",
                summary: "An integration reads a Classic encrypted field without View Encrypted Data.",
                detail:
                    "Without View Encrypted Data the API returns the mask, not the value; an integration that syncs the field copies the mask and may write it back.",
                severity: .warning, specRules: ["CLS-9", "OBJ-10"])
        case .recordsUnrestricted:
            Entry(
                id: id, name: "RecordsUnrestricted",
                summary: "An integration user sees every record of an object that holds tier-2/3 fields.",
                detail:
                    "View All, View All Data or a public org-wide default give the integration every record of an object whose fields are classified tier 2 or 3. Share only the records the integration needs.",
                severity: .warning, specRules: ["REC-2", "OBJ-5", "OBJ-6"])
        case .approvalExpired:
            Entry(
                id: id, name: "ApprovalExpired",
                summary: "An approval is past its expiry date.",
                detail:
                    "An expired approval justifies nothing: renew it or remove it together with the access it covered.",
                severity: .warning, specRules: ["CLS-6"])
        case .approvalUnused:
            Entry(
                id: id, name: "ApprovalUnused",
                summary: "An approval covers access the user no longer has.",
                detail:
                    "The approval grants edit where the user can only read, or names an inactive user. Narrow or remove it so the policy says what is true.",
                severity: .warning, specRules: ["CLS-6"])
        case .profilePermissions:
            Entry(
                id: id, name: "ProfilePermissions",
                summary: "An integration user's profile carries object, field or user permissions.",
                detail:
                    "Salesforce announced the end of permissions on profiles (postponed) and recommends a permission-set-led model. Permissions on a profile are also where latent field permissions hide.",
                severity: .info, specRules: ["EOL-1", "EOL-2"])
        }
    }

    public static var all: [Entry] { FindingRuleID.allCases.map(entry) }
}
