/// One record as a decision sees it: its owner and parents, which sharing rules and Account rules match it,
/// its manual shares, the restriction rules of its object and its implicit child grant. Looked up in the
/// object's `ObjectIndex` (bulk) or computed from the record alone (one record explained); both give the
/// same view, so both paths decide with the same code.
struct RecordView {
    enum Source {
        /// Look the facts up in the objects' indexes, building them when needed.
        case index
        /// Compute them from the record and its relatives (parents, children, account), without indexing
        /// any object.
        case record
    }

    let sharing: ObjectSharing
    /// Position in `org.records.records(of: object)`.
    let position: Int
    let record: Record
    /// Index of the owner among the evaluator's users; -1 when none or unknown.
    let owner: Int
    /// Per field of `sharing.parentLinks`, where the parent is; empty when the object has no parent links.
    let parents: [RecordSet.Location?]
    /// Per rule of `sharing.rules`, whether it matches the record.
    let matchedRules: [Bool]
    /// Per rule of `sharing.childRules`, whether it matches the record's account.
    let matchedChildRules: [Bool]
    let manual: [ManualGrant]
    let restrictions: [RestrictionMatcher]
    let scopings: [RestrictionMatcher]
    /// Implicit child access (`REC-15`): the account owner (-1 when none) and the level the owner's role gives.
    let implicitChildOwner: Int
    let implicitChildLevel: AccessLevel

    var object: String { sharing.object }
}

extension SharingEvaluator {
    func view(_ object: String, _ i: Int, _ source: RecordView.Source) -> RecordView {
        switch source {
        case .index: view(index(object), i)
        case .record: computedView(object, i)
        }
    }

    /// The view of record `i` from the object's index.
    func view(_ idx: ObjectIndex, _ i: Int) -> RecordView {
        let s = idx.sharing
        return RecordView(
            sharing: s, position: i, record: idx.records[i], owner: Int(idx.owner[i]),
            parents: idx.parents.isEmpty ? [] : idx.parents[i],
            matchedRules: idx.ruleMatches.map { $0.contains(i) },
            matchedChildRules: idx.childRuleMatches.map { $0.contains(i) },
            manual: s.manualByRecord[i] ?? [], restrictions: idx.restrictions, scopings: idx.scopings,
            implicitChildOwner: s.implicitChildEnabled ? Int(idx.implicitChildOwner[i]) : -1,
            implicitChildLevel: s.implicitChildEnabled ? idx.implicitChildLevel[i] : .none)
    }

    /// The view of record `i` of `object` computed from the record, its parents and its account only.
    func computedView(_ object: String, _ i: Int) -> RecordView {
        let s = sharing(object)
        let record = org.records.byObject[object]![i]
        let owner = record.ownerUsername.flatMap { userIndex($0) } ?? -1
        let parents =
            s.parentLinks.map { links in
                links.fields.map { f in record.reference(f).flatMap { org.records.location(id: $0) } }
            } ?? []
        var matchedChildRules: [Bool] = []
        if !s.childRules.isEmpty {
            let account = record.reference("AccountId").flatMap { position(ofId: $0, in: "Account") }
                .map { org.records.byObject["Account"]![$0] }
            let accountOwner = account?.ownerUsername.flatMap { userIndex($0) } ?? -1
            matchedChildRules = s.childRules.map { child in
                account.map { matches(child.rule, $0, owner: accountOwner) } ?? false
            }
        }
        let implicit = s.implicitChildEnabled ? implicitChildGrant(record, object: object) : (-1, .none)
        return RecordView(
            sharing: s, position: i, record: record, owner: owner, parents: parents,
            matchedRules: s.rules.map { matches($0, record, owner: owner) },
            matchedChildRules: matchedChildRules, manual: s.manualByRecord[i] ?? [],
            restrictions: s.restrictions, scopings: s.scopings, implicitChildOwner: implicit.owner,
            implicitChildLevel: implicit.level)
    }

    /// Positions of the records of `childObject` whose `AccountId` holds the record's Id (`REC-14`).
    func childPositions(_ parent: RecordView, _ childObject: String, _ source: RecordView.Source) -> [Int] {
        switch source {
        case .index:
            return index(parent.object).children(index(childObject))[parent.position].map { Int($0) }
        case .record:
            let id = parent.record.id
            if id.utf8.count == 18, RecordId.isValid(id) {
                return org.records.positions(ofChildrenOf: id, object: childObject, field: "AccountId")
            }
            let children = org.records.byObject[childObject] ?? []
            return children.indices.filter { children[$0].reference("AccountId") == id }
        }
    }
}
