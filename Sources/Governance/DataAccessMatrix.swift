import AccessModel
import Dispatch
import Foundation

/// The data access matrix: one row per user × field of every object the user can read, plus every
/// classified field the user cannot read, each with the field's classification and tier, the user's
/// access, the sources that grant it, and the policy's verdict (`FieldPolicyStatus`).
///
/// Pure: it takes an org and a policy and returns values. Access comes from the evaluator only; the
/// policy only judges it (`CLS-6`: changing a classification changes `tier` and `status`, never `access`
/// or `grantedBy`). Rows are ordered by user, object, field (plain string order).
public struct DataAccessMatrix: Sendable {
    /// Which users the matrix covers.
    public enum Filter: Hashable, Sendable {
        /// Every user of the org.
        case all
        /// One user, by username (case-insensitive).
        case user(String)
        /// Integration users only (`Policy.isIntegrationUser`).
        case integrations
    }

    /// One user × field.
    public struct Row: Hashable, Sendable, Encodable {
        public var user: String
        public var object: String
        public var field: String
        /// `securityClassification`, when set.
        public var classification: String?
        /// Compliance groups, sorted.
        public var compliance: [String]
        public var tier: Int
        public var access: FieldAccessLevel
        /// Public source names granting Read or Edit, in reason order, without repeats: the granting
        /// profile or permission sets, a latent profile entry and the source that woke it (`FLS-5`), View
        /// All Fields holders (`OBJ-3`), and for always-readable or always-editable fields (`FLS-6`) the
        /// sources of the object permission they follow.
        public var grantedBy: [String]
        public var justification: String?
        public var approvedBy: String?
        public var status: FieldPolicyStatus.Status
        /// Readable only through a latent profile field permission woken by another source (`FLS-5`).
        public var latent: Bool
        /// Readable as the Classic encryption mask (`CLS-9`).
        public var masked: Bool

        public init(
            user: String, object: String, field: String, classification: String? = nil,
            compliance: [String] = [], tier: Int, access: FieldAccessLevel, grantedBy: [String] = [],
            justification: String? = nil, approvedBy: String? = nil, status: FieldPolicyStatus.Status = .ok,
            latent: Bool = false, masked: Bool = false
        ) {
            self.user = user
            self.object = object
            self.field = field
            self.classification = classification
            self.compliance = compliance
            self.tier = tier
            self.access = access
            self.grantedBy = grantedBy
            self.justification = justification
            self.approvedBy = approvedBy
            self.status = status
            self.latent = latent
            self.masked = masked
        }

        /// `Object.Field`.
        public var path: String { FieldPath.key(object: object, field: field) }

        enum CodingKeys: String, CodingKey {
            case user, object, field, classification, compliance, tier, access, grantedBy, justification,
                approvedBy, status, latent, masked
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(user, forKey: .user)
            try container.encode(object, forKey: .object)
            try container.encode(field, forKey: .field)
            try container.encode(classification, forKey: .classification)
            try container.encode(compliance, forKey: .compliance)
            try container.encode(tier, forKey: .tier)
            try container.encode(access, forKey: .access)
            try container.encode(grantedBy, forKey: .grantedBy)
            try container.encode(justification, forKey: .justification)
            try container.encode(approvedBy, forKey: .approvedBy)
            try container.encode(status, forKey: .status)
            try container.encode(latent, forKey: .latent)
            try container.encode(masked, forKey: .masked)
        }
    }

    /// What one user can reach, in numbers: readable fields per tier, editable fields, findings.
    public struct UserSummary: Hashable, Sendable, Encodable {
        public var user: String
        public var name: String?
        public var isIntegration: Bool
        /// Readable fields per tier (every tier present in the rows, 1…3 always).
        public var readableByTier: [Int: Int]
        public var readable: Int
        public var editable: Int
        /// Rows whose status is a finding.
        public var findings: Int
        /// Findings per rule ID.
        public var findingsByRule: [String: Int]

        enum CodingKeys: String, CodingKey {
            case user, name, isIntegration, readableByTier, readable, editable, findings, findingsByRule
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(user, forKey: .user)
            try container.encode(name, forKey: .name)
            try container.encode(isIntegration, forKey: .isIntegration)
            try container.encode(
                Dictionary(uniqueKeysWithValues: readableByTier.map { (String($0.key), $0.value) }),
                forKey: .readableByTier)
            try container.encode(readable, forKey: .readable)
            try container.encode(editable, forKey: .editable)
            try container.encode(findings, forKey: .findings)
            try container.encode(findingsByRule, forKey: .findingsByRule)
        }
    }

    /// Rows in (user, object, field) order.
    public var rows: [Row]
    /// One summary per user covered, in username order (also users with no row).
    public var summaries: [UserSummary]

    public init(rows: [Row], summaries: [UserSummary]) {
        self.rows = rows
        self.summaries = summaries
    }

    /// The users a filter selects, in username order.
    public static func users(of org: Org, policy: Policy, filter: Filter) -> [User] {
        let selected: [User]
        switch filter {
        case .all: selected = org.users
        case .user(let name): selected = org.user(named: name).map { [$0] } ?? []
        case .integrations:
            let integration = IntegrationUserTest(policy: policy, org: org)
            selected = org.users.filter { integration.matches($0) }
        }
        return selected.sorted { $0.username < $1.username }
    }

    /// Builds the matrix. Access is computed once per distinct set of sources (users sharing a profile,
    /// licence and assignments share their cells); only the policy columns are per user.
    public static func build(
        org: Org, policy: Policy, filter: Filter = .all, now: Date = Date(), evaluator: AccessEvaluator? = nil
    ) -> DataAccessMatrix {
        let evaluator = evaluator ?? AccessEvaluator(org: org, now: now)
        let users = users(of: org, policy: policy, filter: filter)
        let schema = Schema(org: org, policy: policy)

        // Group users by what their access depends on; compute cells once per group, in parallel.
        var groupOf: [SourceKey: Int] = [:]
        var representatives: [User] = []
        var userGroups: [Int] = []
        userGroups.reserveCapacity(users.count)
        for user in users {
            let key = SourceKey(user: user, now: evaluator.now)
            if let known = groupOf[key] {
                userGroups.append(known)
            } else {
                groupOf[key] = representatives.count
                userGroups.append(representatives.count)
                representatives.append(user)
            }
        }
        let accesses = evaluator.evaluate(representatives)
        let cellsByGroup = ResultSlots<[Cell]>(count: accesses.count)
        DispatchQueue.concurrentPerform(iterations: accesses.count) { i in
            cellsByGroup.set(i, cells(for: accesses[i], schema: schema))
        }

        var rows: [Row] = []
        rows.reserveCapacity(userGroups.reduce(0) { $0 + cellsByGroup.get($1).count })
        var summaries: [UserSummary] = []
        summaries.reserveCapacity(users.count)
        let integration = IntegrationUserTest(policy: policy, org: org)
        // The policy without approvals judges every cell no approval names (`fieldStatus` only looks at
        // the approvals naming the user and the field), without scanning the approvals for each cell.
        var unapproved = policy
        unapproved.approvals = []
        for (user, group) in zip(users, userGroups) {
            let isIntegration = integration.matches(user)
            let approvedFields = ApprovedFields(policy: policy, user: user.username)
            var summary = UserSummary(
                user: user.username, name: user.name, isIntegration: isIntegration,
                readableByTier: [1: 0, 2: 0, 3: 0], readable: 0, editable: 0, findings: 0, findingsByRule: [:]
            )
            let cells = cellsByGroup.get(group)
            for cell in cells {
                let info = cell.field
                let verdict: FieldPolicyStatus
                let approved = approvedFields.names(object: info.object, field: info.name)
                if !approved && (!isIntegration || cell.access == .none) {
                    // `Policy.fieldStatus` judges reads by integration users and approvals; with neither
                    // (no approval names this user and field, and no integration read) the verdict is `ok`.
                    verdict = FieldPolicyStatus(tier: info.tier, access: cell.access, status: .ok)
                } else {
                    verdict = (approved ? policy : unapproved).fieldStatus(
                        user: user.username, object: info.object, field: info.name,
                        classification: info.classification, access: cell.access,
                        isIntegration: isIntegration,
                        latent: cell.latent, masked: cell.masked, now: now)
                }
                rows.append(
                    Row(
                        user: user.username, object: info.object, field: info.name,
                        classification: info.level,
                        compliance: info.compliance, tier: verdict.tier, access: cell.access,
                        grantedBy: cell.grantedBy, justification: verdict.justification,
                        approvedBy: verdict.approvedBy, status: verdict.status, latent: cell.latent,
                        masked: cell.masked))
                if cell.access != .none {
                    summary.readable += 1
                    summary.readableByTier[verdict.tier, default: 0] += 1
                }
                if cell.access == .edit { summary.editable += 1 }
                if case .finding(let id) = verdict.status {
                    summary.findings += 1
                    summary.findingsByRule[id.rawValue, default: 0] += 1
                }
            }
            summaries.append(summary)
        }
        return DataAccessMatrix(rows: rows, summaries: summaries)
    }

    // MARK: Cells (per set of sources)

    /// What the matrix needs of one field, computed once per build.
    final class FieldInfo: Sendable {
        let object: String
        let name: String
        let classification: Classification
        let level: String?
        let compliance: [String]
        let tier: Int
        let isClassified: Bool

        init(object: String, field: Field, policy: Policy) {
            self.object = object
            name = field.name
            classification = field.classification
            level = field.classification.securityClassification
            compliance = field.classification.complianceGroups.sorted()
            tier = policy.tier(of: field.classification)
            isClassified = field.classification.isClassified
        }
    }

    /// The org's fields in matrix order: objects by name, fields by name.
    struct Schema: Sendable {
        let objects: [String]
        let fields: [String: [FieldInfo]]
        /// Objects with at least one classified field.
        let classifiedObjects: Set<String>

        init(org: Org, policy: Policy) {
            var fields: [String: [FieldInfo]] = [:]
            var classifiedObjects: Set<String> = []
            for (name, type) in org.objects {
                let list = type.fields.values.sorted { $0.name < $1.name }.map {
                    FieldInfo(object: name, field: $0, policy: policy)
                }
                if list.contains(where: \.isClassified) { classifiedObjects.insert(name) }
                fields[name] = list
            }
            self.fields = fields
            self.classifiedObjects = classifiedObjects
            objects = fields.keys.sorted()
        }
    }

    /// One field for one set of sources: everything in a row but the user and the policy columns.
    struct Cell {
        let field: FieldInfo
        let access: FieldAccessLevel
        let grantedBy: [String]
        let latent: Bool
        let masked: Bool

        static func none(_ field: FieldInfo) -> Cell {
            Cell(field: field, access: .none, grantedBy: [], latent: false, masked: false)
        }
    }

    /// Every field of the readable objects, and the classified fields of the others, in (object, field)
    /// order. Reasons are built only for readable fields (the bit tests say which); a field the user cannot
    /// read has no source to name.
    static func cells(for access: UserAccess, schema: Schema) -> [Cell] {
        let readable = Set(access.readableObjects)
        var cells: [Cell] = []
        for object in schema.objects {
            guard let fields = schema.fields[object] else { continue }
            guard readable.contains(object) else {
                if schema.classifiedObjects.contains(object) {
                    for field in fields where field.isClassified { cells.append(.none(field)) }
                }
                continue
            }
            let readableFields = Set(access.readableFields(of: object))
            // Object-level reasons, needed only for always-readable / always-editable fields (`FLS-6`).
            var objectDecision: ObjectDecision?
            for field in fields {
                guard readableFields.contains(field.name) else {
                    cells.append(.none(field))
                    continue
                }
                let decision = access.fieldDecision(object: object, field: field.name)
                if objectDecision == nil,
                    decision.reasons.contains(where: {
                        $0.kind == .alwaysReadable || $0.kind == .alwaysEditable
                    })
                {
                    objectDecision = access.objectDecision(object, includeFields: false)
                }
                cells.append(cell(field: field, decision: decision, objectDecision: objectDecision))
            }
        }
        return cells
    }

    static func cell(field: FieldInfo, decision: FieldDecision, objectDecision: ObjectDecision?) -> Cell {
        let level = FieldAccessLevel(read: decision.read, edit: decision.edit)
        var grantedBy: [String] = []
        var latent = false
        if level != .none {
            func add(_ source: String?) {
                if let source, !grantedBy.contains(source) { grantedBy.append(source) }
            }
            for reason in decision.reasons {
                guard reason.permission == "Read" || (level == .edit && reason.permission == "Edit") else {
                    continue
                }
                switch reason.kind {
                case .grantedBy, .viewAllFields:
                    add(reason.source)
                case .latentProfileFieldPermission:
                    if reason.permission == "Read" { latent = true }
                    add(reason.source)
                    add(reason.wokenBy)
                case .alwaysReadable:
                    if let objectDecision {
                        objectSources(objectDecision, permissions: ["Read"]).forEach { add($0) }
                    }
                case .alwaysEditable:
                    if let objectDecision {
                        objectSources(objectDecision, permissions: ["Create", "Edit"]).forEach { add($0) }
                    }
                default:
                    break
                }
            }
        }
        return Cell(
            field: field, access: level, grantedBy: grantedBy, latent: latent, masked: decision.masked)
    }

    /// Sources granting one of `permissions` on the object (directly, or through View/Modify All Data).
    static func objectSources(_ decision: ObjectDecision, permissions: Set<String>) -> [String] {
        var result: [String] = []
        for reason in decision.reasons
        where (reason.kind == .grantedBy || reason.kind == .systemPermission)
            && permissions.contains(reason.permission ?? "")
        {
            if let source = reason.source, !result.contains(source) { result.append(source) }
        }
        return result
    }
}

extension Classification {
    /// Carries a security classification or at least one compliance group.
    var isClassified: Bool { securityClassification != nil || !complianceGroups.isEmpty }
}
