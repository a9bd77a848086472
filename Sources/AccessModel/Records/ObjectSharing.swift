import Foundation

/// The org-wide default that applies to an object, and how sure we are of it (`REC-2`…`REC-4`).
struct OrgWideDefault: Sendable {
    var model: SharingModel
    var external: SharingModel
    /// How the value was found, for messages.
    var origin: Origin

    enum Origin: Sendable { case project, assumedDefault, unknown }

    init(_ type: SObjectType?) {
        if let model = type?.sharingModel {
            self.model = model
            origin = .project
        } else if let model = type?.defaultSharingModel {
            self.model = model
            origin = .assumedDefault
        } else {
            model = .private
            origin = .unknown
        }
        external = type?.externalSharingModel ?? .private
    }

    var isControlledByParent: Bool { Self.level(model) == nil }

    /// `SharingModel.baselineAccess`, except that `Private` is `AccessLevel.none` here: written as `.none`
    /// in an optional context, `baselineAccess` returns `nil` (Optional.none) for Private.
    static func level(_ model: SharingModel) -> AccessLevel? {
        model == .private ? AccessLevel.none : model.baselineAccess
    }

    /// What a user who does not own the record gets from the default alone (`REC-3`: external users get
    /// the external default, never more than the internal one); `nil` when a parent decides.
    func baseline(external isExternal: Bool) -> AccessLevel? {
        guard let internalLevel = Self.level(model) else { return nil }
        guard isExternal else { return internalLevel }
        return min(internalLevel, Self.level(external) ?? AccessLevel.none)
    }

    func describe(_ object: String) -> String {
        switch origin {
        case .project: "\(object) OWD is \(model.label)"
        case .assumedDefault:
            "\(object) OWD is \(model.label), assumed Spring '20 default (REC-4); the project does not set it"
        case .unknown:
            "\(object) OWD is unknown (the project does not set it and it has no default); treated as Private"
        }
    }
}

/// A sharing rule compiled for one object: whom it reaches and how it picks records. Which records it
/// matches is `SharingEvaluator.matches` for one record and `ObjectIndex.ruleMatches` for all of them.
struct CompiledRule: Sendable {
    var rule: SharingRule
    var target: PrincipalReach
    /// For owner rules, the owners the rule shares from (`REC-10`).
    var from: PrincipalReach?
    var matcher: CriteriaMatcher?
    /// Why the rule matches no record (it cannot be modelled); `nil` when it is usable.
    var problem: String?

    var level: AccessLevel { min(rule.accessLevel, .all) }
}

/// An Account rule's child level applied to a child object's records (`REC-12`): a child record matches
/// when its account matches `rule`.
struct ChildRule: Sendable {
    var rule: CompiledRule
    /// Position of `rule` in Account's `ObjectSharing.rules`.
    var accountRule: Int
    var level: AccessLevel
    var field: String
}

struct ManualGrant: Sendable {
    var share: ManualShare
    var reach: PrincipalReach
}

/// How a Controlled-by-Parent object finds its parent (`REC-16`).
struct ParentLinks: Sendable {
    enum Mode: Sendable {
        /// Access to any parent (Contact via Account; activities via What or Who).
        case any
        /// Access to every master (junction objects).
        case all
    }
    var fields: [String]
    var mode: Mode
}

/// What the evaluator knows about one object apart from its records: the org-wide default, hierarchy
/// setting, parent links, sharing rules compiled (targets expanded, criteria parsed), Account rules' child
/// levels, manual shares by record, restriction and scoping rules. Its cost does not grow with the number
/// of records, so one record can be explained without indexing the whole object; `ObjectIndex` adds the
/// per-record indexes the bulk path needs.
final class ObjectSharing: @unchecked Sendable {
    let object: String
    let type: SObjectType?
    let hierarchy: Bool
    let owd: OrgWideDefault
    let parentLinks: ParentLinks?
    /// Sorted by name and kind, so results never depend on load order.
    let rules: [CompiledRule]
    let childRules: [ChildRule]
    /// Manual shares by position of the shared record in `org.records.records(of: object)`.
    let manualByRecord: [Int: [ManualGrant]]
    /// Restriction and scoping rules, sorted by name; filters evaluated per record.
    let restrictions: [RestrictionMatcher]
    let scopings: [RestrictionMatcher]
    /// Implicit child access (`REC-15`) applies: Contact, Case and Opportunity not controlled by parent.
    let implicitChildEnabled: Bool
    /// Child objects whose access gives Read on this object's records (`REC-14`): Account only.
    let implicitParentChildren: [String]
    /// Problems with the object's rules (unparseable filters, principals not modelled).
    let notes: [String]

    static let accountChildren = ["Contact", "Case", "Opportunity"]
    static let accountChildLinked: Set<String> = ["Contact", "Asset", "Order"]

    init(object: String, evaluator e: SharingEvaluator) {
        let org = e.org
        self.object = object
        let type = org.object(named: object)
        self.type = type
        let hierarchy = (type?.kind ?? .standard) == .standard || (type?.grantAccessUsingHierarchies ?? true)
        self.hierarchy = hierarchy
        let owd = OrgWideDefault(type)
        self.owd = owd
        var notes: [String] = []

        // Controlled by Parent (REC-16).
        var links: ParentLinks?
        if owd.isControlledByParent {
            let masters = type?.sortedFields.filter(\.isMasterDetail).map(\.name) ?? []
            if !masters.isEmpty {
                links = ParentLinks(fields: masters, mode: .all)
            } else if Self.accountChildLinked.contains(object) {
                links = ParentLinks(fields: ["AccountId"], mode: .any)
            } else if object == "Task" || object == "Event" {
                links = ParentLinks(fields: ["WhatId", "WhoId"], mode: .any)
            } else if owd.model == .controlledByCampaign {
                links = ParentLinks(fields: ["CampaignId"], mode: .any)
            } else if owd.model == .controlledByLeadOrContact {
                links = ParentLinks(fields: ["LeadId", "ContactId"], mode: .any)
            } else {
                notes.append(
                    "\(object) is \(owd.model.label) but has no master-detail field; no record is reachable through a parent"
                )
            }
        }
        parentLinks = links

        // Sharing rules (REC-9…REC-12).
        var compiled: [CompiledRule] = []
        let objectRules = org.sharingRules.filter { $0.object == object }
            .sorted { ($0.name, $0.kind.element) < ($1.name, $1.kind.element) }
        for rule in objectRules {
            if rule.isGuestRule { continue }  // never grants internal users
            var problem: String?
            let target = e.reach(rule.sharedTo, hierarchy: hierarchy)
            if rule.sharedTo.isUser {
                problem =
                    "rule `\(rule.name)` targets user `\(rule.sharedTo.name)`; sharing rules cannot target individual users (REC-9)"
            } else if let p = target.problem {
                problem = "rule `\(rule.name)`: \(p)"
            }
            var matcher: CriteriaMatcher?
            var from: PrincipalReach?
            switch rule.kind {
            case .criteria(let filter, _):
                let m = CriteriaMatcher(filter, object: type)
                matcher = m
                if !m.problems.isEmpty {
                    problem = problem ?? "rule `\(rule.name)`: " + m.problems.joined(separator: "; ")
                }
            case .owner(let sharedFrom):
                let f = e.owners(sharedFrom)
                from = f
                if let p = f.problem { problem = problem ?? "rule `\(rule.name)` shares from \(p)" }
            case .territory, .guest:
                problem = "rule `\(rule.name)` is a territory rule; territories are not modelled"
            }
            if let problem { notes.append(problem) }
            compiled.append(
                CompiledRule(rule: rule, target: target, from: from, matcher: matcher, problem: problem))
        }
        rules = compiled

        // Account rules' child levels (REC-12), unless the child is controlled by its parent.
        var childRules: [ChildRule] = []
        if Self.accountChildren.contains(object), !owd.isControlledByParent {
            for (k, rule) in e.sharing("Account").rules.enumerated() where rule.problem == nil {
                guard let settings = rule.rule.accountSettings else { continue }
                let level: AccessLevel =
                    switch object {
                    case "Contact": settings.contactAccessLevel
                    case "Case": settings.caseAccessLevel
                    default: settings.opportunityAccessLevel
                    }
                guard level > .none else { continue }
                childRules.append(
                    ChildRule(rule: rule, accountRule: k, level: min(level, .edit), field: "AccountId"))
            }
        }
        self.childRules = childRules

        // Manual shares (REC-17) of this object's records.
        var manualByRecord: [Int: [ManualGrant]] = [:]
        var reachCache: [ManualShare.Principal: PrincipalReach] = [:]
        for share in org.manualShares.sorted(by: {
            ($0.recordId, $0.sharedWith.description) < ($1.recordId, $1.sharedWith.description)
        }) {
            guard
                let i = e.position(ofId: share.recordId, in: object)
                    ?? RecordId.normalize(share.recordId).flatMap({ e.position(ofId: $0, in: object) })
            else { continue }
            let reach: PrincipalReach
            if let known = reachCache[share.sharedWith] {
                reach = known
            } else {
                reach = e.reach(share.sharedWith, hierarchy: hierarchy)
                reachCache[share.sharedWith] = reach
            }
            if let p = reach.problem { notes.append("manual share of `\(share.recordId)`: \(p)") }
            manualByRecord[i, default: []].append(ManualGrant(share: share, reach: reach))
        }
        self.manualByRecord = manualByRecord

        // Restriction and scoping rules (REC-20…REC-22), sorted by name.
        let active = org.restrictionRules.values.filter { $0.active && $0.targetEntity == object }
            .sorted { $0.name < $1.name }
        restrictions = active.filter { !$0.isScoping }.map {
            RestrictionMatcher($0, object: type, evaluator: e)
        }
        scopings = active.filter(\.isScoping).map { RestrictionMatcher($0, object: type, evaluator: e) }
        for m in restrictions + scopings { if let p = m.problem { notes.append(p) } }

        implicitChildEnabled = Self.accountChildren.contains(object) && !owd.isControlledByParent
        implicitParentChildren = object == "Account" ? Self.accountChildren : []
        self.notes = notes
    }
}

extension SharingEvaluator {
    /// Whether a usable rule matches one record (criteria evaluated on the record, owner rules on its
    /// owner); the same answer as the rule's row in `ObjectIndex.ruleMatches`.
    func matches(_ rule: CompiledRule, _ record: Record, owner: Int) -> Bool {
        guard rule.problem == nil else { return false }
        switch rule.rule.kind {
        case .criteria(_, let includeAll):
            guard let m = rule.matcher, m.matches({ criteriaValue(record, $0, owner: owner) }) else {
                return false
            }
            // Records owned by external users without a role are left out unless the rule includes them.
            if includeAll == false, owner >= 0, users[owner].isExternal, userRole[owner] < 0 { return false }
            return true
        case .owner:
            return owner >= 0 && rule.from?.members.contains(owner) == true
        case .territory, .guest:
            return false
        }
    }

    /// The position of the record whose Id is exactly `id` among the records of `object`.
    func position(ofId id: String, in object: String) -> Int? {
        guard let location = org.records.location(id: id), location.object == object,
            org.records.byObject[object]?[location.index].id == id
        else { return nil }
        return location.index
    }
}
