import AccessModel
import Foundation

/// The classification-driven policy of `keyhole.yaml` (`policy:`): which users are integrations, the
/// tier of each classification value, and the approvals and justifications that allow access.
///
/// Tier 1 is open, tier 2 is allowed with a written justification, tier 3 is denied unless approved by
/// security. Classification never changes access (`CLS-6`); the policy only judges it.
public struct Policy: Hashable, Sendable {
    /// Users treated as integrations in addition to the default ones (Salesforce Integration licence or
    /// an API-only integration profile).
    public var integrationUsers: [String]
    /// Classification value → tier. The key `unclassified` is the tier of fields with no classification,
    /// and of values the map does not name.
    public var tiers: [String: Int]
    /// Compliance group → tier; a field's tier is the highest of its classification and its groups.
    public var complianceTiers: [String: Int]
    public var approvals: [Approval]
    /// Finding rule IDs switched off.
    public var ignore: Set<String>

    public static let defaultTiers: [String: Int] = [
        "Public": 1, "Internal": 1, "Confidential": 2, "Restricted": 3, "MissionCritical": 3,
        "unclassified": 1,
    ]

    public init(
        integrationUsers: [String] = [], tiers: [String: Int] = Policy.defaultTiers,
        complianceTiers: [String: Int] = [:], approvals: [Approval] = [], ignore: Set<String> = []
    ) {
        self.integrationUsers = integrationUsers
        self.tiers = tiers
        self.complianceTiers = complianceTiers
        self.approvals = approvals
        self.ignore = ignore
    }

    /// The tier of a field: the highest of its classification's tier and its compliance groups' tiers.
    public func tier(of classification: Classification) -> Int {
        let unclassified = tiers["unclassified"] ?? 1
        var tier = classification.securityClassification.flatMap { tiers[$0] } ?? unclassified
        for group in classification.complianceGroups {
            if let groupTier = complianceTiers[group] { tier = max(tier, groupTier) }
        }
        return tier
    }

    /// Integration users: on the Salesforce Integration licence, on an API-only integration profile
    /// (`LIC-1`, `LIC-2`), or listed in `integrationUsers`.
    public func isIntegrationUser(_ user: User, in org: Org) -> Bool {
        if integrationUsers.contains(where: { $0.caseInsensitiveCompare(user.username) == .orderedSame }) {
            return true
        }
        if org.userLicenses[user.license]?.isIntegration == true || user.license == "Salesforce Integration" {
            return true
        }
        return Profile.integrationProfileNames.contains(user.profile)
    }

    /// Approvals naming this user and field (`Object.Field`), in file order.
    public func approvals(user: String, field: String) -> [Approval] {
        approvals.filter {
            $0.user.caseInsensitiveCompare(user) == .orderedSame
                && $0.field.caseInsensitiveCompare(field) == .orderedSame
        }
    }
}

/// One `policy.approvals` entry: access to a field for a user, with the business justification and,
/// for tier 3, who in security approved it.
public struct Approval: Hashable, Sendable {
    public var user: String
    /// `Object.Field`.
    public var field: String
    public var access: FieldAccessKind
    public var justification: String?
    public var approvedBy: String?
    public var approvedOn: Date?
    public var expires: Date?
    /// Line in keyhole.yaml, for findings about the approval itself.
    public var line: Int?

    public init(
        user: String, field: String, access: FieldAccessKind = .read, justification: String? = nil,
        approvedBy: String? = nil, approvedOn: Date? = nil, expires: Date? = nil, line: Int? = nil
    ) {
        self.user = user
        self.field = field
        self.access = access
        self.justification = justification
        self.approvedBy = approvedBy
        self.approvedOn = approvedOn
        self.expires = expires
        self.line = line
    }

    public func isExpired(at date: Date) -> Bool { expires.map { $0 <= date } ?? false }

    /// Covers the access asked for: an edit approval also covers read.
    public func covers(_ access: FieldAccessKind) -> Bool { self.access == .edit || access == .read }
}

/// The finding rules, with stable IDs (`docs/rules.md`).
public enum FindingRuleID: String, CaseIterable, Hashable, Sendable, Codable {
    case tier3Access = "KH-TIER3-ACCESS"
    case tier2Unjustified = "KH-TIER2-UNJUSTIFIED"
    case latentFLS = "KH-LATENT-FLS"
    case mutingIneffective = "KH-MUTING-INEFFECTIVE"
    case viewAllData = "KH-VIEW-ALL-DATA"
    case modifyAllData = "KH-MODIFY-ALL-DATA"
    case flsQueryWillFail = "KH-FLS-QUERY-WILL-FAIL"
    case integrationLicense = "KH-INTEGRATION-LICENSE"
    case invalidAssignment = "KH-INVALID-ASSIGNMENT"
    case encryptedMasked = "KH-ENCRYPTED-MASKED"
    case recordsUnrestricted = "KH-RECORDS-UNRESTRICTED"
    case approvalExpired = "KH-APPROVAL-EXPIRED"
    case approvalUnused = "KH-APPROVAL-UNUSED"
    case profilePermissions = "KH-PROFILE-PERMISSIONS"
}
