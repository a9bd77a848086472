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

/// A sharing rule compiled for one object: whom it reaches and which records it matches.
struct CompiledRule: Sendable {
    var rule: SharingRule
    var target: PrincipalReach
    var from: PrincipalReach?
    var matcher: CriteriaMatcher?
    /// Records of the rule's object it matches (criteria evaluated once per record).
    var matches: Bitset
    var problem: String?

    var level: AccessLevel { min(rule.accessLevel, .all) }

    var isCriteria: Bool {
        if case .criteria = rule.kind { return true }
        return false
    }
}

/// An Account rule's child level applied to a child object's records (`REC-12`).
struct ChildRule: Sendable {
    var rule: CompiledRule
    var level: AccessLevel
    /// Child records whose account the rule matches.
    var matches: Bitset
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

/// Everything the evaluator needs about one object, built once.
final class ObjectIndex: @unchecked Sendable {
    let object: String
    let type: SObjectType?
    let records: [Record]
    let idToIndex: [String: Int]
    let owner: [Int32]
    let hierarchy: Bool
    let owd: OrgWideDefault
    let parentLinks: ParentLinks?
    /// Per record, per parent field: where the parent is.
    let parents: [[RecordSet.Location?]]
    /// When every record has one parent field and all parents are of one object: that object, and per
    /// parent record its children here (so parent access maps to children without scanning every record).
    let singleParentObject: String?
    let childrenOfParent: [[Int32]]
    let rules: [CompiledRule]
    let childRules: [ChildRule]
    let manualByRecord: [Int: [ManualGrant]]
    let manualByUser: [[(record: Int32, level: AccessLevel)]]
    let restrictions: [RestrictionMatcher]
    let scopings: [RestrictionMatcher]
    /// Implicit child access (`REC-15`): per record the account owner and the level the owner's role gives.
    let implicitChildOwner: [Int32]
    let implicitChildLevel: [AccessLevel]
    let implicitChildEnabled: Bool
    /// Child objects whose access gives Read on this object's records (`REC-14`): Account only.
    let implicitParentChildren: [String]
    private(set) var notes: [String] = []

    private let lock = NSLock()
    private var ownershipCache: OwnershipIndex?
    private var implicitChildCache: OwnershipIndex?
    private var childrenCache: [String: [[Int32]]] = [:]
    private var parentIndexCache: [String: [Int32]] = [:]

    static let accountChildren = ["Contact", "Case", "Opportunity"]
    static let accountChildLinked: Set<String> = ["Contact", "Asset", "Order"]

    init(object: String, evaluator e: SharingEvaluator) {
        let org = e.org
        self.object = object
        let type = org.object(named: object)
        self.type = type
        let records = org.records.records(of: object)
        self.records = records
        var idToIndex: [String: Int] = [:]
        idToIndex.reserveCapacity(records.count)
        for (i, r) in records.enumerated() { idToIndex[r.id] = i }
        self.idToIndex = idToIndex
        var notes: [String] = []
        let owner: [Int32] = records.map { r in
            guard let name = r.ownerUsername else { return -1 }
            return Int32(e.userIndex(name) ?? -1)
        }
        self.owner = owner
        hierarchy = (type?.kind ?? .standard) == .standard || (type?.grantAccessUsingHierarchies ?? true)
        let owd = OrgWideDefault(type)
        self.owd = owd

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
        var singleParent: String?
        var childrenOfParent: [[Int32]] = []
        if let links {
            let parents = records.map { r in
                links.fields.map { f in r.reference(f).flatMap { org.records.location(id: $0) } }
            }
            self.parents = parents
            if links.fields.count == 1 {
                let objects = Set(parents.compactMap { $0[0]?.object })
                if objects.count == 1, let only = objects.first {
                    singleParent = only
                    childrenOfParent = [[Int32]](repeating: [], count: org.records.records(of: only).count)
                    for (i, p) in parents.enumerated() {
                        if let loc = p[0] { childrenOfParent[loc.index].append(Int32(i)) }
                    }
                }
            }
        } else {
            parents = []
        }
        singleParentObject = singleParent
        self.childrenOfParent = childrenOfParent

        // Sharing rules (REC-9…REC-12). Sorted so results never depend on load order.
        let hierarchy = self.hierarchy
        var compiled: [CompiledRule] = []
        let columns = CriteriaColumns(records: records, owner: owner, evaluator: e)
        let objectRules = org.sharingRules.filter { $0.object == object }
            .sorted { ($0.name, $0.kind.element) < ($1.name, $1.kind.element) }
        for rule in objectRules {
            if rule.isGuestRule { continue }  // never grants internal users
            var matches = Bitset(count: records.count)
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
            case .criteria(let filter, let includeAll):
                let m = CriteriaMatcher(filter, object: type)
                matcher = m
                if !m.problems.isEmpty {
                    problem = problem ?? "rule `\(rule.name)`: " + m.problems.joined(separator: "; ")
                }
                if problem == nil {
                    // Column-wise: each item is evaluated once per distinct value of its field, then the
                    // items' record sets are combined with the boolean filter.
                    matches = m.filter.evaluate(
                        bits: { n in columns.records(matching: m.items[n - 1]) }, count: records.count)
                    if includeAll == false {
                        for i in matches.members
                        where owner[i] >= 0 && e.users[Int(owner[i])].isExternal
                            && e.userRole[Int(owner[i])] < 0
                        {
                            matches.remove(i)
                        }
                    }
                }
            case .owner(let sharedFrom):
                let f = e.owners(sharedFrom)
                from = f
                if let p = f.problem { problem = problem ?? "rule `\(rule.name)` shares from \(p)" }
                if problem == nil {
                    for i in 0..<records.count where owner[i] >= 0 && f.members.contains(Int(owner[i])) {
                        matches.insert(i)
                    }
                }
            case .territory, .guest:
                problem = "rule `\(rule.name)` is a territory rule; territories are not modelled"
            }
            if let problem { notes.append(problem) }
            compiled.append(
                CompiledRule(
                    rule: rule, target: target, from: from, matcher: matcher,
                    matches: problem == nil ? matches : Bitset(count: records.count), problem: problem))
        }
        rules = compiled

        // Account rules' child levels (REC-12), unless the child is controlled by its parent.
        var childRules: [ChildRule] = []
        if Self.accountChildren.contains(object), !owd.isControlledByParent {
            let account = e.index("Account")
            let parentIndex = records.map { r in r.reference("AccountId").flatMap { account.idToIndex[$0] } }
            for rule in account.rules where rule.problem == nil {
                guard let settings = rule.rule.accountSettings else { continue }
                let level: AccessLevel =
                    switch object {
                    case "Contact": settings.contactAccessLevel
                    case "Case": settings.caseAccessLevel
                    default: settings.opportunityAccessLevel
                    }
                guard level > .none else { continue }
                var matches = Bitset(count: records.count)
                for (i, p) in parentIndex.enumerated() {
                    if let p, rule.matches.contains(p) { matches.insert(i) }
                }
                childRules.append(
                    ChildRule(rule: rule, level: min(level, .edit), matches: matches, field: "AccountId"))
            }
        }
        self.childRules = childRules

        // Manual shares (REC-17).
        var manualByRecord: [Int: [ManualGrant]] = [:]
        var reachCache: [ManualShare.Principal: PrincipalReach] = [:]
        var manualByUser = [[(record: Int32, level: AccessLevel)]](repeating: [], count: e.users.count)
        for share in org.manualShares.sorted(by: {
            ($0.recordId, $0.sharedWith.description) < ($1.recordId, $1.sharedWith.description)
        }) {
            guard
                let i = idToIndex[share.recordId]
                    ?? RecordId.normalize(share.recordId).flatMap({ idToIndex[$0] })
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
            for u in reach.reached.members { manualByUser[u].append((Int32(i), share.accessLevel)) }
        }
        self.manualByRecord = manualByRecord
        self.manualByUser = manualByUser

        // Restriction and scoping rules (REC-20…REC-22), sorted by name.
        let active = org.restrictionRules.values.filter { $0.active && $0.targetEntity == object }
            .sorted { $0.name < $1.name }
        restrictions = active.filter { !$0.isScoping }.map {
            RestrictionMatcher($0, object: type, records: records, evaluator: e)
        }
        scopings = active.filter(\.isScoping).map {
            RestrictionMatcher($0, object: type, records: records, evaluator: e)
        }
        for m in restrictions + scopings { if let p = m.problem { notes.append(p) } }

        // Implicit child access (REC-15).
        if Self.accountChildren.contains(object), !owd.isControlledByParent {
            implicitChildEnabled = true
            var accountOwner: [Int32] = []
            var level: [AccessLevel] = []
            for r in records {
                guard let accountId = r.reference("AccountId"),
                    let account = org.records.record(id: accountId),
                    account.object == "Account", let ownerName = account.ownerUsername,
                    let o = e.userIndex(ownerName)
                else {
                    accountOwner.append(-1)
                    level.append(.none)
                    continue
                }
                accountOwner.append(Int32(o))
                let role = e.roleName(ofUser: o).flatMap { org.roles[$0] }
                let l: AccessLevel? =
                    switch object {
                    case "Contact": role?.contactAccessLevel
                    case "Case": role?.caseAccessLevel
                    default: role?.opportunityAccessLevel
                    }
                level.append(min(l ?? .none, .edit))
            }
            implicitChildOwner = accountOwner
            implicitChildLevel = level
        } else {
            implicitChildEnabled = false
            implicitChildOwner = []
            implicitChildLevel = []
        }
        implicitParentChildren = object == "Account" ? Self.accountChildren : []
        self.notes = notes
    }

    var count: Int { records.count }

    /// Ownership with the hierarchy (`REC-5`, `REC-7`), built on first bulk use.
    func ownership(_ e: SharingEvaluator) -> OwnershipIndex {
        lock.lock()
        defer { lock.unlock() }
        if let cached = ownershipCache { return cached }
        let built = OwnershipIndex(
            owner: owner, level: [AccessLevel](repeating: .all, count: records.count), evaluator: e,
            hierarchy: hierarchy)
        ownershipCache = built
        return built
    }

    func implicitChild(_ e: SharingEvaluator) -> OwnershipIndex {
        lock.lock()
        defer { lock.unlock() }
        if let cached = implicitChildCache { return cached }
        // Users above the account owner get the same child access (REC-15); Account always uses hierarchies.
        let built = OwnershipIndex(
            owner: implicitChildOwner, level: implicitChildLevel, evaluator: e, hierarchy: true)
        implicitChildCache = built
        return built
    }

    /// For a child object, per child record the index of its account among this object's records (or -1).
    func parentIndexes(_ child: ObjectIndex) -> [Int32] {
        lock.lock()
        defer { lock.unlock() }
        if let cached = parentIndexCache[child.object] { return cached }
        let result = child.records.map { r in Int32(r.reference("AccountId").flatMap { idToIndex[$0] } ?? -1)
        }
        parentIndexCache[child.object] = result
        return result
    }

    /// For a child object, per record of this object the indexes of its children through `AccountId`.
    func children(_ child: ObjectIndex) -> [[Int32]] {
        lock.lock()
        defer { lock.unlock() }
        if let cached = childrenCache[child.object] { return cached }
        var result = [[Int32]](repeating: [], count: records.count)
        for (i, r) in child.records.enumerated() {
            if let p = r.reference("AccountId").flatMap({ idToIndex[$0] }) { result[p].append(Int32(i)) }
        }
        childrenCache[child.object] = result
        return result
    }
}

extension SharingEvaluator {
    /// A record's value for a criteria item: `OwnerId` is the owner's user Id.
    func criteriaValue(_ record: Record, _ field: String, owner: Int) -> FieldValue {
        if field == "OwnerId" {
            if owner >= 0 { return .string(userIds[owner]) }
            return record.ownerUsername.map { .string($0) } ?? .null
        }
        if field == "Id" { return .string(record.id) }
        return record[field]
    }
}

/// Distinct values per field of one object's records, so a criteria item is evaluated once per distinct
/// value instead of once per record; results are cached per item.
final class CriteriaColumns {
    struct Entry {
        var value: FieldValue
        /// For numbers, the value as a `Double`, to order without comparing `Decimal`s.
        var double: Double?
        var indexes: [Int32]
    }

    let records: [Record]
    let owner: [Int32]
    unowned let evaluator: SharingEvaluator
    private var columns: [String: [Entry]] = [:]
    private var cache: [String: Bitset] = [:]

    init(records: [Record], owner: [Int32], evaluator: SharingEvaluator) {
        self.records = records
        self.owner = owner
        self.evaluator = evaluator
    }

    func column(_ field: String) -> [Entry] {
        if let done = columns[field] { return done }
        var grouped: [FieldValue: [Int32]] = [:]
        for (i, record) in records.enumerated() {
            grouped[evaluator.criteriaValue(record, field, owner: Int(owner[i])), default: []].append(
                Int32(i))
        }
        let column = grouped.map { value, indexes in
            var double: Double?
            if case .number(let d) = value { double = NSDecimalNumber(decimal: d).doubleValue }
            return Entry(value: value, double: double, indexes: indexes)
        }
        columns[field] = column
        return column
    }

    func records(matching item: CriteriaMatcher.Item) -> Bitset {
        let key = item.field + "\u{1}" + item.operation + "\u{1}" + item.values.joined(separator: "\u{1}")
        if let done = cache[key] { return done }
        var bits = Bitset(count: records.count)
        for entry in column(item.field) {
            var hit: Bool
            if let x = entry.double, let fast = CriteriaMatcher.fastOrdering(item, x) {
                hit = fast
            } else {
                hit = CriteriaMatcher.matches(item, entry.value)
            }
            if hit { for i in entry.indexes { bits.insert(Int(i)) } }
        }
        cache[key] = bits
        return bits
    }
}
