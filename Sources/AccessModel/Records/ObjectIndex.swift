import Foundation

/// The per-record indexes of one object, for many records and users at once (the bulk path): owners,
/// parents, the records each sharing rule matches (criteria evaluated once per record, never per user),
/// manual shares by user, implicit child owners, and ownership by role subtree. Built on `ObjectSharing`,
/// which holds what does not depend on the records.
final class ObjectIndex: @unchecked Sendable {
    let sharing: ObjectSharing
    let records: [Record]
    let idToIndex: [String: Int]
    let owner: [Int32]
    /// Per record, per parent field: where the parent is.
    let parents: [[RecordSet.Location?]]
    /// When every record has one parent field and all parents are of one object: that object, and per
    /// parent record its children here (so parent access maps to children without scanning every record).
    let singleParentObject: String?
    let childrenOfParent: [[Int32]]
    /// Per rule of `sharing.rules`, the records it matches (empty for a rule with a problem).
    let ruleMatches: [Bitset]
    /// Per rule of `sharing.childRules`, the child records whose account the rule matches.
    let childRuleMatches: [Bitset]
    let manualByUser: [[(record: Int32, level: AccessLevel)]]
    /// `sharing.restrictions` and `sharing.scopings` with user-independent filters evaluated once.
    let restrictions: [RestrictionMatcher]
    let scopings: [RestrictionMatcher]
    /// Implicit child access (`REC-15`): per record the account owner and the level the owner's role gives.
    let implicitChildOwner: [Int32]
    let implicitChildLevel: [AccessLevel]

    private let lock = NSLock()
    private var ownershipCache: OwnershipIndex?
    private var implicitChildCache: OwnershipIndex?
    private var childrenCache: [String: [[Int32]]] = [:]
    private var parentIndexCache: [String: [Int32]] = [:]

    var object: String { sharing.object }
    var hierarchy: Bool { sharing.hierarchy }
    var owd: OrgWideDefault { sharing.owd }
    var parentLinks: ParentLinks? { sharing.parentLinks }
    var implicitChildEnabled: Bool { sharing.implicitChildEnabled }
    var implicitParentChildren: [String] { sharing.implicitParentChildren }
    var notes: [String] { sharing.notes }

    init(object: String, evaluator e: SharingEvaluator) {
        let org = e.org
        let sharing = e.sharing(object)
        self.sharing = sharing
        let records = org.records.records(of: object)
        self.records = records
        var idToIndex: [String: Int] = [:]
        idToIndex.reserveCapacity(records.count)
        for (i, r) in records.enumerated() { idToIndex[r.id] = i }
        self.idToIndex = idToIndex
        let owner: [Int32] = records.map { r in
            guard let name = r.ownerUsername else { return -1 }
            return Int32(e.userIndex(name) ?? -1)
        }
        self.owner = owner

        // Controlled by Parent (REC-16).
        var singleParent: String?
        var childrenOfParent: [[Int32]] = []
        if let links = sharing.parentLinks {
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

        // Sharing rules (REC-9…REC-12): the records each matches.
        let columns = CriteriaColumns(records: records, owner: owner, evaluator: e)
        ruleMatches = sharing.rules.map { rule in
            var matches = Bitset(count: records.count)
            guard rule.problem == nil else { return matches }
            switch rule.rule.kind {
            case .criteria(_, let includeAll):
                guard let m = rule.matcher else { return matches }
                // Column-wise: each item is evaluated once per distinct value of its field, then the
                // items' record sets are combined with the boolean filter.
                matches = m.filter.evaluate(
                    bits: { n in columns.records(matching: m.items[n - 1]) }, count: records.count)
                if includeAll == false {
                    for i in matches.members
                    where owner[i] >= 0 && e.users[Int(owner[i])].isExternal && e.userRole[Int(owner[i])] < 0
                    {
                        matches.remove(i)
                    }
                }
            case .owner:
                guard let f = rule.from else { return matches }
                for i in 0..<records.count where owner[i] >= 0 && f.members.contains(Int(owner[i])) {
                    matches.insert(i)
                }
            case .territory, .guest:
                break
            }
            return matches
        }

        // Account rules' child levels (REC-12).
        if sharing.childRules.isEmpty {
            childRuleMatches = []
        } else {
            let account = e.index("Account")
            let parentIndex = records.map { r in r.reference("AccountId").flatMap { account.idToIndex[$0] } }
            childRuleMatches = sharing.childRules.map { child in
                let accountMatches = account.ruleMatches[child.accountRule]
                var matches = Bitset(count: records.count)
                for (i, p) in parentIndex.enumerated() {
                    if let p, accountMatches.contains(p) { matches.insert(i) }
                }
                return matches
            }
        }

        // Manual shares (REC-17) by user.
        var manualByUser = [[(record: Int32, level: AccessLevel)]](repeating: [], count: e.users.count)
        for i in sharing.manualByRecord.keys.sorted() {
            for grant in sharing.manualByRecord[i]! {
                for u in grant.reach.reached.members {
                    manualByUser[u].append((Int32(i), grant.share.accessLevel))
                }
            }
        }
        self.manualByUser = manualByUser

        // Restriction and scoping rules (REC-20…REC-22).
        restrictions = sharing.restrictions.map { $0.indexed(records: records, e) }
        scopings = sharing.scopings.map { $0.indexed(records: records, e) }

        // Implicit child access (REC-15).
        if sharing.implicitChildEnabled {
            var accountOwner: [Int32] = []
            var level: [AccessLevel] = []
            accountOwner.reserveCapacity(records.count)
            level.reserveCapacity(records.count)
            for r in records {
                let (o, l) = e.implicitChildGrant(r, object: object)
                accountOwner.append(Int32(o))
                level.append(l)
            }
            implicitChildOwner = accountOwner
            implicitChildLevel = level
        } else {
            implicitChildOwner = []
            implicitChildLevel = []
        }
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
    /// For a Contact, Case or Opportunity record, its account's owner and the level the owner's role gives
    /// on the account's records of `object` (`REC-15`); `(-1, .none)` when there is none.
    func implicitChildGrant(_ r: Record, object: String) -> (owner: Int, level: AccessLevel) {
        guard let accountId = r.reference("AccountId"),
            let account = org.records.record(id: accountId),
            account.object == "Account", let ownerName = account.ownerUsername,
            let o = userIndex(ownerName)
        else { return (-1, .none) }
        let role = roleName(ofUser: o).flatMap { org.roles[$0] }
        let l: AccessLevel? =
            switch object {
            case "Contact": role?.contactAccessLevel
            case "Case": role?.caseAccessLevel
            default: role?.opportunityAccessLevel
            }
        return (o, min(l ?? .none, .edit))
    }

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
