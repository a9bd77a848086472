import Foundation

/// One record a user can reach, from the bulk path.
public struct RecordAccess: Hashable, Sendable {
    /// Position in `org.records.records(of: object)`.
    public var index: Int
    public var recordId: String
    public var level: AccessLevel
}

/// How many records of one object a user can read, edit, and fully control.
public struct UserVisibility: Hashable, Sendable {
    public var username: String
    public var readable: Int
    public var editable: Int
    public var full: Int
}

/// Many records and many users at once, with bitsets: the same grants as `decision`, without reasons.
extension SharingEvaluator {
    /// The level `username` has on every record of `object`, in `org.records.records(of:)` order; `nil`
    /// for an unknown user.
    public func levels(object: String, username: String) -> [AccessLevel]? {
        guard let u = userIndex(username) else { return nil }
        let idx = index(object)
        let bits = finalBits(u, idx)
        return (0..<idx.count).map { bits.level($0) }
    }

    /// The records of `object` `username` can reach at `minimum` or more.
    public func visibleRecords(object: String, username: String, minimum: AccessLevel = .read)
        -> [RecordAccess]
    {
        guard let u = userIndex(username) else { return [] }
        let idx = index(object)
        let bits = finalBits(u, idx)
        let set: Bitset =
            switch minimum {
            case .none, .read: bits.read
            case .edit: bits.edit
            case .all: bits.all
            }
        return set.members.map {
            RecordAccess(index: $0, recordId: idx.records[$0].id, level: bits.level($0))
        }
    }

    /// For every user (in `org.users` order), how many records of `object` they can read, edit and fully
    /// control. Users are processed in parallel.
    public func visibility(object: String) -> [UserVisibility] {
        let idx = index(object)
        _ = idx.ownership(self)
        if idx.implicitChildEnabled { _ = idx.implicitChild(self) }
        var counts = [(Int, Int, Int)](repeating: (0, 0, 0), count: users.count)
        counts.withUnsafeMutableBufferPointer { buffer in
            let out = UnsafeSendableBuffer(buffer)
            DispatchQueue.concurrentPerform(iterations: users.count) { u in
                let bits = finalBits(u, idx)
                out.base[u] = (bits.read.cardinality, bits.edit.cardinality, bits.all.cardinality)
            }
        }
        return users.indices.map { u in
            UserVisibility(
                username: users[u].username, readable: counts[u].0, editable: counts[u].1, full: counts[u].2)
        }
    }

    /// For every user (in `org.users` order), the set of record positions (in `org.records.records(of:)`
    /// order) of `object` they reach at `minimum` or more. Memory: one bit per record per user.
    public func visibleSets(object: String, minimum: AccessLevel = .read) -> [Bitset] {
        let idx = index(object)
        _ = idx.ownership(self)
        if idx.implicitChildEnabled { _ = idx.implicitChild(self) }
        var sets = [Bitset](repeating: Bitset(count: 0), count: users.count)
        sets.withUnsafeMutableBufferPointer { buffer in
            let out = UnsafeSendableBuffer(buffer)
            DispatchQueue.concurrentPerform(iterations: users.count) { u in
                let bits = finalBits(u, idx)
                out.base[u] =
                    switch minimum {
                    case .none, .read: bits.read
                    case .edit: bits.edit
                    case .all: bits.all
                    }
            }
        }
        return sets
    }

    /// Builds the per-object indexes now (criteria matches, ownership by role subtree), so that later
    /// calls — one record explained, one user's records — only look things up.
    public func prepare(objects: [String]) {
        for object in objects {
            let idx = index(object)
            _ = idx.ownership(self)
            if idx.implicitChildEnabled { _ = idx.implicitChild(self) }
        }
    }

    /// The final levels of `u` on every record of the object, normalised.
    func finalBits(_ u: Int, _ idx: ObjectIndex) -> LevelBits {
        let perms = effective(u, idx.object)
        var bits = sharingBits(u, idx, forImplicitParent: false, depth: 0)
        bits.grantEverything(perms.overrideLevel)
        bits.normalize()
        bits.cap(perms.cap)
        let bypass = perms.viewAll || perms.viewAllData || perms.modifyAll || perms.modifyAllData
        if !bypass, let m = applicable(u, idx.restrictions).rule {
            bits.intersect(m.mask(records: idx.records, user: u, self))
        }
        if options.usingScope, let m = applicable(u, idx.scopings).rule {
            bits.intersect(m.mask(records: idx.records, user: u, self))
        }
        return bits
    }

    /// The sharing grants of `u` on every record (see `grants`), not normalised.
    func sharingBits(_ u: Int, _ idx: ObjectIndex, forImplicitParent: Bool, depth: Int) -> LevelBits {
        var bits = LevelBits(count: idx.count)
        idx.ownership(self).apply(to: &bits, user: u, evaluator: self)
        if !forImplicitParent {
            if let base = idx.owd.baseline(external: users[u].isExternal) {
                bits.grantEverything(base)
            } else if idx.parentLinks != nil, depth < 6, let parentObject = idx.singleParentObject {
                // One parent object: map the parent's levels to its children.
                var p = sharingBits(u, index(parentObject), forImplicitParent: false, depth: depth + 1)
                p.grantEverything(effective(u, parentObject).overrideLevel)
                p.normalize()
                for level in [AccessLevel.all, .edit, .read] {
                    for parent in p.bits(level).members {
                        for c in idx.childrenOfParent[parent] { bits.grant(level, Int(c)) }
                    }
                }
            } else if let links = idx.parentLinks, depth < 6 {
                var parentLevels: [String: LevelBits] = [:]
                for i in 0..<idx.count {
                    var combined: AccessLevel? = nil
                    for f in links.fields.indices {
                        var level = AccessLevel.none
                        if let loc = idx.parents[i][f] {
                            if parentLevels[loc.object] == nil {
                                let pidx = index(loc.object)
                                var p = sharingBits(u, pidx, forImplicitParent: false, depth: depth + 1)
                                p.grantEverything(effective(u, loc.object).overrideLevel)
                                p.normalize()
                                parentLevels[loc.object] = p
                            }
                            level = parentLevels[loc.object]!.level(loc.index)
                        }
                        if let c = combined {
                            combined = links.mode == .all ? min(c, level) : max(c, level)
                        } else {
                            combined = level
                        }
                    }
                    bits.grant(combined ?? .none, i)
                }
            }
        }
        for (k, rule) in idx.sharing.rules.enumerated()
        where rule.problem == nil && rule.target.reached.contains(u) {
            bits.grant(rule.level, idx.ruleMatches[k])
        }
        for (k, child) in idx.sharing.childRules.enumerated() where child.rule.target.reached.contains(u) {
            bits.grant(child.level, idx.childRuleMatches[k])
        }
        for (record, level) in idx.manualByUser[u] { bits.grant(level, Int(record)) }
        if !forImplicitParent, idx.implicitChildEnabled {
            idx.implicitChild(self).apply(to: &bits, user: u, evaluator: self)
        }
        if !forImplicitParent, depth < 6 {
            for childObject in idx.implicitParentChildren {
                let cidx = index(childObject)
                guard cidx.count > 0, effective(u, childObject).read else { continue }
                var childBits = sharingBits(u, cidx, forImplicitParent: true, depth: depth + 1)
                childBits.normalize()
                let parentOf = idx.parentIndexes(cidx)
                for c in childBits.read.members where parentOf[c] >= 0 { bits.grant(.read, Int(parentOf[c])) }
            }
        }
        return bits
    }
}

/// A buffer written from several threads at distinct indexes.
struct UnsafeSendableBuffer<T>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<T>
    init(_ base: UnsafeMutableBufferPointer<T>) { self.base = base }
}

extension SharingEvaluator {
    /// Whether sharing hides none of `object`'s records from `username`, whatever records it holds now
    /// or later: the org-wide default alone gives the user Read (`REC-1`, external users the external
    /// default, `REC-3`) and no restriction rule filters them (`REC-20`; one that cannot be evaluated
    /// is not applied, as in `decision`). Records and object permissions are not looked at: a query
    /// checks the object first, and then needs no per-record visibility filter.
    public func seesEveryRecord(username: String, object: String) -> Bool {
        guard let u = userIndex(username) else { return false }
        let s = sharing(object)
        guard let base = s.owd.baseline(external: users[u].isExternal), base >= .read else { return false }
        if options.usingScope && !s.scopings.isEmpty { return false }
        return applicable(u, s.restrictions).rule == nil
    }
}
