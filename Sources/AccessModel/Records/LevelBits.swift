/// For many records at once, the access level of each as three bitsets (`read`, `edit`, `all`), each
/// allocated only when something is granted at that level; cumulative (`read` ⊇ `edit` ⊇ `all`) once
/// `normalize()` has run.
struct LevelBits: Sendable {
    let count: Int
    private var sets: [Bitset?] = [nil, nil, nil]

    init(count: Int) { self.count = count }

    private static func slot(_ level: AccessLevel) -> Int { level.rawValue - 1 }

    /// The records at exactly this set (after `normalize`, at least this level).
    func bits(_ level: AccessLevel) -> Bitset {
        guard level > .none else { return Bitset(count: count, all: true) }
        return sets[Self.slot(level)] ?? Bitset(count: count)
    }

    var read: Bitset { bits(.read) }
    var edit: Bitset { bits(.edit) }
    var all: Bitset { bits(.all) }

    mutating func grant(_ level: AccessLevel, _ bits: Bitset) {
        guard level > .none else { return }
        let k = Self.slot(level)
        if sets[k] == nil {
            sets[k] = bits
        } else {
            sets[k]!.formUnion(bits)
        }
    }

    mutating func grant(_ level: AccessLevel, _ i: Int) {
        guard level > .none else { return }
        let k = Self.slot(level)
        if sets[k] == nil { sets[k] = Bitset(count: count) }
        sets[k]!.insert(i)
    }

    mutating func grantEverything(_ level: AccessLevel) {
        guard level > .none else { return }
        sets[Self.slot(level)] = Bitset(count: count, all: true)
    }

    mutating func merge(_ other: LevelBits) {
        for k in 0..<3 { if let bits = other.sets[k] { grant(AccessLevel(rawValue: k + 1)!, bits) } }
    }

    /// Makes the sets cumulative: whatever has All has Edit, whatever has Edit has Read.
    mutating func normalize() {
        if let all = sets[2] { grant(.edit, all) }
        if let edit = sets[1] { grant(.read, edit) }
    }

    /// Caps every record at `level` (sets must be normalised).
    mutating func cap(_ level: AccessLevel) {
        for k in 0..<3 where k + 1 > level.rawValue { sets[k] = nil }
    }

    mutating func intersect(_ mask: Bitset) {
        for k in 0..<3 { sets[k]?.formIntersection(mask) }
    }

    func level(_ i: Int) -> AccessLevel {
        if sets[2]?.contains(i) == true { return .all }
        if sets[1]?.contains(i) == true { return .edit }
        if sets[0]?.contains(i) == true { return .read }
        return .none
    }
}

/// Records granted to their "owner" (the owner, or for implicit child access the account owner) and to
/// the users above them: per user the records, per role the records owned within its subtree.
struct OwnershipIndex: Sendable {
    var byUser: [[Int32]]
    var levelOf: [AccessLevel]
    /// Records whose owner's role is this role or below it, by level; `nil` when none.
    var subtree: [LevelBits?]

    init(owner: [Int32], level: [AccessLevel], evaluator e: SharingEvaluator, hierarchy: Bool) {
        let n = owner.count
        var byUser = [[Int32]](repeating: [], count: e.users.count)
        for (i, o) in owner.enumerated() where o >= 0 && level[i] > .none { byUser[Int(o)].append(Int32(i)) }
        self.byUser = byUser
        levelOf = level
        var subtree = [LevelBits?](repeating: nil, count: e.roleNames.count)
        if hierarchy {
            for r in e.rolesBottomUp {
                var bits: LevelBits?
                for u in e.usersInRole[r] where !byUser[u].isEmpty {
                    if bits == nil { bits = LevelBits(count: n) }
                    for i in byUser[u] { bits!.grant(level[Int(i)], Int(i)) }
                }
                for c in e.roleChildren[r] {
                    guard let child = subtree[c] else { continue }
                    if bits == nil { bits = LevelBits(count: n) }
                    bits!.merge(child)
                }
                subtree[r] = bits
            }
        }
        self.subtree = subtree
    }

    /// Grants to `u` what it owns and what users below it own.
    func apply(to bits: inout LevelBits, user u: Int, evaluator e: SharingEvaluator) {
        for i in byUser[u] { bits.grant(levelOf[Int(i)], Int(i)) }
        let r = e.userRole[u]
        guard r >= 0 else { return }
        for c in e.roleChildren[r] { if let s = subtree[c] { bits.merge(s) } }
    }
}
