import AccessModel
import Foundation

/// What a user can do with a field, for the policy: nothing, read, or read and edit.
public enum FieldAccessLevel: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case none, read, edit

    public static func < (a: FieldAccessLevel, b: FieldAccessLevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    public init(read: Bool, edit: Bool) {
        self = edit ? .edit : read ? .read : .none
    }
}

/// The policy's verdict on one user × field: the field's tier, the user's access, the approval that
/// covers it, and a status — `ok`, `justified`, `approved`, or the ID of the finding the cell raises.
///
/// The data access matrix shows `status` in its status column; `keyhole audit` raises the same findings
/// (`docs/rules.md`). Classification never changes access (`CLS-6`): this only judges it.
public struct FieldPolicyStatus: Hashable, Sendable, Codable {
    /// `ok`, `justified`, `approved`, or a finding rule ID.
    public enum Status: Hashable, Sendable, Codable, CustomStringConvertible {
        case ok
        /// Tier 2 read with a written justification.
        case justified
        /// Read covered by an approval naming an approver.
        case approved
        case finding(FindingRuleID)

        /// `ok`, `justified`, `approved`, `KH-TIER3-ACCESS`, …
        public var rawValue: String {
            switch self {
            case .ok: "ok"
            case .justified: "justified"
            case .approved: "approved"
            case .finding(let id): id.rawValue
            }
        }

        public init?(rawValue: String) {
            switch rawValue {
            case "ok": self = .ok
            case "justified": self = .justified
            case "approved": self = .approved
            default:
                guard let id = FindingRuleID(rawValue: rawValue) else { return nil }
                self = .finding(id)
            }
        }

        public var description: String { rawValue }
        public var isFinding: Bool { if case .finding = self { true } else { false } }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }

        public init(from decoder: Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let value = Status(rawValue: text) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: "unknown status \(text)"))
            }
            self = value
        }
    }

    /// 1 open, 2 needs a justification, 3 needs an approval (`Policy.tier(of:)`).
    public var tier: Int
    public var access: FieldAccessLevel
    /// Of the approval in effect (not expired), when there is one.
    public var justification: String?
    public var approvedBy: String?
    public var status: Status

    public init(
        tier: Int, access: FieldAccessLevel, justification: String? = nil, approvedBy: String? = nil,
        status: Status
    ) {
        self.tier = tier
        self.access = access
        self.justification = justification
        self.approvedBy = approvedBy
        self.status = status
    }
}

extension Policy {
    /// The verdict for one user × field, from plain values (no evaluation here).
    ///
    /// - `isIntegration`: only integration users are judged; for others a readable field is `ok`
    ///   (or `approved`/`justified` when an approval names them).
    /// - `latent`: the read comes from a latent profile field permission woken by another source (`FLS-5`).
    /// - `masked`: a Classic encrypted field read without View Encrypted Data (`CLS-9`).
    ///
    /// Order of precedence: an unapproved tier-3 read (`KH-TIER3-ACCESS`), an unjustified tier-2 read
    /// (`KH-TIER2-UNJUSTIFIED`), a latent read (`KH-LATENT-FLS`), a masked read (`KH-ENCRYPTED-MASKED`),
    /// an approved field the user cannot read (`KH-FLS-QUERY-WILL-FAIL`), an expired approval
    /// (`KH-APPROVAL-EXPIRED`); then `approved`, `justified`, `ok`. Rules in `ignore` are skipped.
    public func fieldStatus(
        user: String, object: String, field: String, classification: Classification,
        access: FieldAccessLevel, isIntegration: Bool, latent: Bool = false, masked: Bool = false,
        now: Date
    ) -> FieldPolicyStatus {
        let tier = self.tier(of: classification)
        let all = approvals(user: user, field: FieldPath.key(object: object, field: field))
        let current = all.filter { !$0.isExpired(at: now) }
        let approver = current.first { !($0.approvedBy ?? "").isEmpty }
        let justified = current.first { !($0.justification ?? "").isEmpty }
        let chosen = approver ?? justified ?? current.first
        var result = FieldPolicyStatus(
            tier: tier, access: access, justification: (justified ?? chosen)?.justification,
            approvedBy: approver?.approvedBy, status: .ok)
        func active(_ id: FindingRuleID) -> Bool { !ignore.contains(id.rawValue) }

        if isIntegration {
            if access >= .read {
                if tier >= 3, approver == nil, active(.tier3Access) {
                    result.status = .finding(.tier3Access)
                    return result
                }
                if tier == 2, approver == nil, justified == nil, active(.tier2Unjustified) {
                    result.status = .finding(.tier2Unjustified)
                    return result
                }
                if latent, active(.latentFLS) {
                    result.status = .finding(.latentFLS)
                    return result
                }
                if masked, active(.encryptedMasked) {
                    result.status = .finding(.encryptedMasked)
                    return result
                }
            } else if !all.isEmpty, active(.flsQueryWillFail) {
                result.status = .finding(.flsQueryWillFail)
                return result
            }
            if current.count < all.count, active(.approvalExpired) {
                result.status = .finding(.approvalExpired)
                return result
            }
        }
        if access >= .read {
            if approver != nil {
                result.status = .approved
            } else if justified != nil {
                result.status = .justified
            }
        }
        return result
    }

    /// The verdict for one user × field from the user's evaluated access. `latent` is looked up in the
    /// field's reasons only when the field is readable and the profile has an entry for it.
    public func fieldStatus(
        _ access: UserAccess, object: String, field: String, org: Org, now: Date
    ) -> FieldPolicyStatus {
        let classification = org.object(named: object)?.fields[field]?.classification ?? Classification()
        let read = access.canRead(object: object, field: field)
        let edit = read && access.canEdit(object: object, field: field)
        let masked = read && access.isMasked(object: object, field: field)
        var latent = false
        if read, let profile = org.profiles[access.profile],
            profile.grants.fields[FieldPath.key(object: object, field: field)]?.effective.readable == true,
            !profile.grants.objectAccess(object).contains(.read)
        {
            latent = access.fieldDecision(object: object, field: field).reasons.contains {
                $0.kind == .latentProfileFieldPermission
            }
        }
        return fieldStatus(
            user: access.user.username, object: object, field: field, classification: classification,
            access: FieldAccessLevel(read: read, edit: edit),
            isIntegration: isIntegrationUser(access.user, in: org),
            latent: latent, masked: masked, now: now)
    }
}
