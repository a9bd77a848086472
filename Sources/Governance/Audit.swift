import AccessModel
import Foundation

/// Checks what integration users can reach against the policy and returns findings with stable rule IDs
/// (`docs/rules.md`). Pure: takes the evaluator's answers and the policy, returns values.
///
/// Work is done once per *access shape* (profile, licence, valid sources, permission set licences): every
/// finding that does not depend on who the user is (latent FLS, View All Data, muting, masking, records,
/// profile permissions) is computed once and stamped on each user of that shape; only the approval checks
/// run per user.
public struct Audit: Sendable {
    public let evaluator: AccessEvaluator
    public let policy: Policy
    public let locator: FindingLocator
    /// Approvals expire against this instant.
    public let now: Date
    public var org: Org { evaluator.org }
    /// Lowercased `policy.integrationUsers`.
    private let listed: Set<String>

    /// Free Salesforce Integration licences in Enterprise, Unlimited and Performance editions (`LIC-13`).
    public static let freeIntegrationLicenses = 5

    public init(evaluator: AccessEvaluator, policy: Policy, locator: FindingLocator = .none, now: Date? = nil)
    {
        self.evaluator = evaluator
        self.policy = policy
        self.locator = locator
        self.now = now ?? evaluator.now
        listed = Set(policy.integrationUsers.map { $0.lowercased() })
    }

    /// The users an audit looks at: integration users (`Policy.isIntegrationUser`), or only `username`
    /// when given (audited whatever their licence). Inactive users are skipped unless named.
    public func auditedUsers(only username: String? = nil) -> [User] {
        if let username {
            return org.users.filter { $0.username.caseInsensitiveCompare(username) == .orderedSame }
        }
        return org.users.filter { $0.isActive && isIntegrationUser($0) }
    }

    /// `Policy.isIntegrationUser`, with the listed usernames looked up in a set (large orgs).
    func isIntegrationUser(_ user: User) -> Bool {
        listed.contains(user.username.lowercased()) || Self.isIntegrationLicense(user.license, org: org)
            || Profile.integrationProfileNames.contains(user.profile)
    }

    /// Every finding for the audited users, honouring `policy.ignore`, in a deterministic order.
    public func run(user username: String? = nil) -> AuditReport {
        let users = auditedUsers(only: username)
        let accesses = evaluator.evaluate(users)
        let index = AuditIndex(org: org, policy: policy)
        var shapes: [AccessShape: [Finding]] = [:]
        var reads: [AccessShape: [TieredRead]] = [:]
        var findings: [Finding] = []
        for access in accesses {
            let shape = AccessShape(access)
            if shapes[shape] == nil {
                var checker = ShapeCheck(audit: self, index: index, access: access)
                checker.run()
                shapes[shape] = checker.findings
                reads[shape] = checker.tieredReads
            }
            let name = access.user.username
            findings += shapes[shape]!.map { finding in
                var finding = finding
                finding.user = name
                return finding
            }
            findings += userFindings(access, tieredReads: reads[shape]!, index: index)
        }
        findings += licenseAllocationFindings(audited: users)
        findings = findings.filter { !policy.ignore.contains($0.rule.rawValue) }
        let order = Dictionary(
            org.users.enumerated().map { ($1.username, $0) }, uniquingKeysWith: { a, _ in a })
        let ruleOrder = Dictionary(uniqueKeysWithValues: FindingRuleID.allCases.enumerated().map { ($1, $0) })
        findings.sort { a, b in
            let ua = order[a.user] ?? Int.max
            let ub = order[b.user] ?? Int.max
            if ua != ub { return ua < ub }
            if a.severity != b.severity { return a.severity > b.severity }
            if a.rule != b.rule { return ruleOrder[a.rule]! < ruleOrder[b.rule]! }
            if (a.object ?? "") != (b.object ?? "") { return (a.object ?? "") < (b.object ?? "") }
            if (a.field ?? "") != (b.field ?? "") { return (a.field ?? "") < (b.field ?? "") }
            if (a.source ?? "") != (b.source ?? "") { return (a.source ?? "") < (b.source ?? "") }
            return a.message < b.message
        }
        return AuditReport(findings: findings, users: users.map(\.username))
    }

    // MARK: Per user

    /// Findings that depend on the user: refused assignments, the licence, and everything approvals decide.
    func userFindings(_ access: UserAccess, tieredReads: [TieredRead], index: AuditIndex) -> [Finding] {
        let user = access.user
        let name = user.username
        var result: [Finding] = []
        let userLocation = locator.user(name)

        for invalid in access.invalidAssignments {
            let what = invalid.kind == .permissionSetGroup ? "permission set group" : "permission set"
            result.append(
                Finding(
                    rule: .invalidAssignment, severity: .error, user: name, source: invalid.source,
                    message:
                        "Salesforce would refuse the assignment of \(what) '\(invalid.name)' (\(invalid.rule)): \(invalid.message)",
                    fix:
                        "remove \(invalid.name) from the user's \(invalid.kind == .permissionSetGroup ? "permissionSetGroups" : "permissionSets") in keyhole.yaml\(Self.at(userLocation)), or give the user the licence or permission set licence it needs (\(invalid.rule))",
                    file: userLocation?.file, line: userLocation?.line))
        }

        if isIntegrationUser(user), !Self.isIntegrationLicense(user.license, org: org) {
            result.append(
                Finding(
                    rule: .integrationLicense, severity: .warning, user: name,
                    source: PermissionSource.license(user.license),
                    message:
                        "\(name) is an integration user on the '\(user.license)' licence, not Salesforce Integration: it costs a full licence and is not limited to API access by its licence (LIC-1, LIC-3).",
                    fix:
                        "move the integration to its own user on the Salesforce Integration licence with the 'Minimum Access - API Only Integrations' profile and a permission set for its access; set license in keyhole.yaml\(Self.at(userLocation)) once done",
                    file: userLocation?.file, line: userLocation?.line))
        }

        let approvals = index.approvals[name.lowercased()] ?? [:]
        let policyFile = locator.policyFile

        // Tier 2 and 3 reads against the approvals.
        for read in tieredReads {
            let covering = (approvals[read.key.lowercased()] ?? []).filter { !$0.isExpired(at: now) }
            let approver = covering.first { !($0.approvedBy ?? "").isEmpty }
            let justified = covering.first { !($0.justification ?? "").isEmpty }
            if read.tier >= 3, approver == nil {
                result.append(
                    Finding(
                        rule: .tier3Access, severity: .error, user: name, object: read.object,
                        field: read.field,
                        source: read.source,
                        message:
                            "\(name) can read \(read.key) (\(read.classification), tier 3) with no approval naming an approver\(covering.isEmpty ? "" : " (the approval has no approvedBy)"); read granted by \(read.grantors).",
                        fix:
                            "\(read.removal); or, if the integration must read it, add policy.approvals {user: \(name), field: \(read.key), approvedBy: <security approver>, justification: …} to keyhole.yaml",
                        file: read.location?.file, line: read.location?.line))
            } else if read.tier == 2, approver == nil, justified == nil {
                result.append(
                    Finding(
                        rule: .tier2Unjustified, severity: .warning, user: name, object: read.object,
                        field: read.field, source: read.source,
                        message:
                            "\(name) can read \(read.key) (\(read.classification), tier 2) without a written justification; read granted by \(read.grantors).",
                        fix:
                            "add policy.approvals {user: \(name), field: \(read.key), justification: <why the integration needs it>} to keyhole.yaml; or \(read.removal)",
                        file: read.location?.file, line: read.location?.line))
            }
        }

        // The approvals themselves.
        for approval in index.approvalList[name.lowercased()] ?? [] {
            guard let (object, field) = FieldPath.split(approval.field) else { continue }
            let where_ = policyFile.map { MetadataLocation(file: $0, line: approval.line) }
            if approval.isExpired(at: now) {
                let date = approval.expires.map(Self.day) ?? ""
                result.append(
                    Finding(
                        rule: .approvalExpired, severity: .warning, user: name, object: object, field: field,
                        source: "policy",
                        message:
                            "The approval for \(name) to \(approval.access.rawValue) \(approval.field) expired on \(date); it no longer justifies any access.",
                        fix:
                            "renew the approval (a new expires date, re-approved) in keyhole.yaml\(Self.at(where_)), or remove it and the access it covered",
                        file: where_?.file, line: where_?.line))
                continue
            }
            let canRead = access.canRead(object: object, field: field)
            if !canRead {
                let why =
                    access.fieldDecision(object: object, field: field).reasons.first {
                        $0.kind != .grantedBy
                    }?.message ?? ""
                let target = Self.grantTarget(access)
                let objectRead = access.objectAccess(object).contains(.read)
                let grant =
                    objectRead
                    ? "grant Read on \(approval.field) (a fieldPermissions entry with <readable>true</readable>)"
                    : "grant Read on \(object) and on \(approval.field)"
                let location = locator.locate(
                    target.map { FindingLocator.component(ofSource: $0, org: org) } ?? nil, nil, nil)
                result.append(
                    Finding(
                        rule: .flsQueryWillFail, severity: .error, user: name, object: object, field: field,
                        source: target,
                        message:
                            "The policy approves \(name) reading \(approval.field), but the user cannot read it: queries that name it fail with INVALID_FIELD (API-1, FLS-1). \(why)",
                        fix:
                            "\(grant) in \(target.map(Self.describe) ?? "a permission set assigned to the user")\(Self.at(location)); or remove the approval from keyhole.yaml\(Self.at(where_)) and the field from the integration's queries",
                        file: location?.file, line: location?.line))
            } else if approval.access == .edit, !access.canEdit(object: object, field: field) {
                result.append(
                    Finding(
                        rule: .approvalUnused, severity: .warning, user: name, object: object, field: field,
                        source: "policy",
                        message:
                            "The approval lets \(name) edit \(approval.field), but the user can only read it; the edit part of the approval is unused.",
                        fix: "narrow the approval to access: read in keyhole.yaml\(Self.at(where_))",
                        file: where_?.file, line: where_?.line))
            }
        }
        if !user.isActive {
            for approval in index.approvalList[name.lowercased()] ?? [] {
                let where_ = policyFile.map { MetadataLocation(file: $0, line: approval.line) }
                let split = FieldPath.split(approval.field)
                result.append(
                    Finding(
                        rule: .approvalUnused, severity: .warning, user: name, object: split?.object,
                        field: split?.field, source: "policy",
                        message:
                            "The approval for \(approval.field) names \(name), who is inactive; it covers no access.",
                        fix: "remove the approval from keyhole.yaml\(Self.at(where_))",
                        file: where_?.file, line: where_?.line))
            }
        }
        return result
    }

    /// More users on the Salesforce Integration licence than the free allocation (`LIC-13`): one finding
    /// for each user beyond the fifth, in `org.users` order.
    func licenseAllocationFindings(audited: [User]) -> [Finding] {
        let onLicense = org.users.filter { $0.isActive && Self.isIntegrationLicense($0.license, org: org) }
        guard onLicense.count > Self.freeIntegrationLicenses else { return [] }
        let auditedNames = Set(audited.map(\.username))
        return onLicense.dropFirst(Self.freeIntegrationLicenses).filter { auditedNames.contains($0.username) }
            .map {
                user in
                let location = locator.user(user.username)
                return Finding(
                    rule: .integrationLicense, severity: .warning, user: user.username,
                    source: PermissionSource.license(user.license),
                    message:
                        "The org has \(onLicense.count) active users on the Salesforce Integration licence; Enterprise, Unlimited and Performance editions include \(Self.freeIntegrationLicenses) (Developer Edition 1) (LIC-13). \(user.username) is beyond the free allocation.",
                    fix:
                        "check that each integration needs its own user and retire unused ones, or buy additional Salesforce Integration licences",
                    file: location?.file, line: location?.line)
            }
    }

    // MARK: Text helpers

    static func isIntegrationLicense(_ license: String, org: Org) -> Bool {
        org.userLicenses[license]?.isIntegration == true || license == "Salesforce Integration"
    }

    /// ` (file:line)` or empty.
    static func at(_ location: MetadataLocation?) -> String { location.map { " (\($0))" } ?? "" }

    /// `profile 'X'`, `permission set 'P' (in group 'G')`, …
    static func describe(_ source: String) -> String {
        if let slash = source.range(of: "/permissionSet:") {
            let group = source[..<slash.lowerBound].replacingOccurrences(of: "permissionSetGroup:", with: "")
            return "permission set '\(source[slash.upperBound...])' (in group '\(group)')"
        }
        let pairs: [(String, String)] = [
            ("mutedBy:permissionSetGroup:", "the muting permission set of group"),
            ("profile:", "profile"), ("permissionSetGroup:", "permission set group"),
            ("permissionSet:", "permission set"), ("license:", "the user licence"), ("object:", "object"),
        ]
        for (prefix, words) in pairs where source.hasPrefix(prefix) {
            return "\(words) '\(source.dropFirst(prefix.count))'"
        }
        return source
    }

    /// Where new access for the user should go: the first directly assigned permission set, else the first
    /// group, else the profile.
    static func grantTarget(_ access: UserAccess) -> String? {
        let sources = access.sources
        return
            (sources.first { $0.kind == .permissionSet } ?? sources.first { $0.kind == .permissionSetGroup }
            ?? sources.first)?.id
    }

    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}

/// What makes two users' access the same, as far as user-independent findings go.
struct AccessShape: Hashable {
    var profile: String
    var license: String
    var sources: [String]
    var permissionSetLicenses: [String]

    init(_ access: UserAccess) {
        profile = access.profile
        license = access.license
        sources = access.sources.map(\.id)
        permissionSetLicenses = access.permissionSetLicenses
    }
}

/// A tier 2 or 3 field the shape can read, with who grants it and how to take it away.
struct TieredRead {
    var object: String
    var field: String
    var tier: Int
    /// `Restricted; PII, GLBA`.
    var classification: String
    /// The source to change (the first grantor).
    var source: String?
    /// Every grantor, for the message.
    var grantors: String
    var removal: String
    var location: MetadataLocation?
    var key: String { FieldPath.key(object: object, field: field) }
}

/// Org-wide lookups built once per audit.
struct AuditIndex {
    /// Per object: its tier 2 and 3 fields, sorted by name.
    var tiered: [String: [(field: String, tier: Int)]] = [:]
    /// Per object: its Classic encrypted fields.
    var encrypted: [String: [String]] = [:]
    /// Per object: permission sets granting Read on it, sorted.
    var readGrantors: [String: [String]] = [:]
    /// Per lowercased username: lowercased `Object.Field` → approvals.
    var approvals: [String: [String: [Approval]]] = [:]
    /// Per lowercased username: approvals in file order.
    var approvalList: [String: [Approval]] = [:]

    init(org: Org, policy: Policy) {
        for (name, type) in org.objects {
            var list: [(String, Int)] = []
            var classic: [String] = []
            for (fieldName, field) in type.fields {
                let tier = policy.tier(of: field.classification)
                if tier >= 2 { list.append((fieldName, tier)) }
                if field.isClassicEncrypted { classic.append(fieldName) }
            }
            if !list.isEmpty { tiered[name] = list.sorted { $0.0 < $1.0 } }
            if !classic.isEmpty { encrypted[name] = classic.sorted() }
        }
        for (name, set) in org.permissionSets {
            for (object, access) in set.grants.objects where access.closedUnderDependencies.contains(.read) {
                readGrantors[object, default: []].append(name)
            }
        }
        for key in readGrantors.keys { readGrantors[key]!.sort() }
        for approval in policy.approvals {
            let user = approval.user.lowercased()
            approvals[user, default: [:]][approval.field.lowercased(), default: []].append(approval)
            approvalList[user, default: []].append(approval)
        }
    }
}
