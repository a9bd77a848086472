import Foundation

/// Record access (`REC-1`…`REC-22`): for a user and a record, the level `None < Read < Edit < All` as the
/// maximum over every grant, with overrides, the object-permission cap (`OBJ-9`) and restriction rules.
///
/// Built once per org: users, roles and groups are turned into integer indexes and group and role
/// membership is expanded (transitive closure) here. Per object, what does not depend on its records
/// (`ObjectSharing`: OWD, compiled rules, manual shares, restriction rules) and, for bulk questions, the
/// record indexes (`ObjectIndex`: owners, the records each sharing rule matches — criteria evaluated once
/// per record, never per user —, ownership by role subtree) are built on first use and cached. `decision`
/// explains one record, looking at that record and its relatives only unless the object is already
/// indexed; `levels`/`visibleRecords` and `visibility` use bitsets for many records and users. Both use
/// the same grants, and tests check that they agree. Pure: no I/O.
public final class SharingEvaluator: @unchecked Sendable {
    public struct Options: Hashable, Sendable {
        /// Apply scoping rules, as a query with `USING SCOPE scopingRule` does (`REC-22`). Off by default.
        public var usingScope: Bool
        public init(usingScope: Bool = false) { self.usingScope = usingScope }
    }

    public let org: Org
    public let permissions: ObjectPermissionsView
    public let options: Options

    // Users.
    let users: [User]
    let userIndexByName: [String: Int]
    let userRole: [Int]
    let internalUsers: Bitset
    let externalUsers: Bitset

    // Roles.
    let roleNames: [String]
    let roleIndexByName: [String: Int]
    let roleParent: [Int]
    let roleChildren: [[Int]]
    let usersInRole: [[Int]]
    /// Roles in an order where every child comes before its parent.
    let rolesBottomUp: [Int]

    // Groups: members after expanding nesting, roles and subordinates (`REC-8`).
    private(set) var groupMembers: [String: Bitset]

    /// Problems found while building (unknown group members, role cycles, …), reported as notes.
    public private(set) var notes: [String] = []

    private let lock = NSLock()
    private let userIdsLock = NSLock()
    private var cachedUserIds: [String]?
    private var objectIndexes: [String: ObjectIndex] = [:]
    private var objectSharings: [String: ObjectSharing] = [:]
    private var permissionCache: [PermissionKey: EffectiveObjectPermissions] = [:]

    struct PermissionKey: Hashable {
        var user: Int
        var object: String
    }

    public init(org: Org, permissions: ObjectPermissionsView = .crud, options: Options = Options()) {
        self.org = org
        self.permissions = permissions
        self.options = options
        var notes: [String] = []

        // Users, in declared order. One pass, reading fields in place (100,000 users: copying each
        // `User` and growing the table cost more than the single decision `explain --record` makes).
        users = org.users
        var byName: [String: Int] = [:]
        byName.reserveCapacity(users.count)
        var internalBits = Bitset(count: users.count)
        var externalBits = Bitset(count: users.count)
        for i in users.indices {
            let key = Self.folded(users[i].username)
            if byName[key] == nil { byName[key] = i }
            if users[i].isExternal { externalBits.insert(i) } else { internalBits.insert(i) }
        }
        userIndexByName = byName
        internalUsers = internalBits
        externalUsers = externalBits

        // Roles, sorted by name so indexes do not depend on load order.
        let names = org.roles.keys.sorted()
        roleNames = names
        let roleIndex = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        roleIndexByName = roleIndex
        var parents = names.map { org.roles[$0]?.parentRole.flatMap { roleIndex[$0] } ?? -1 }
        for (i, name) in names.enumerated() {
            if let parent = org.roles[name]?.parentRole, roleIndex[parent] == nil {
                notes.append("role `\(name)` has parent `\(parent)`, which is not in the project")
            }
            // Break cycles: a role that reaches itself going up loses its parent.
            var seen: Set<Int> = [i]
            var p = parents[i]
            while p >= 0 {
                if seen.contains(p) {
                    notes.append("role `\(name)` is in a parent cycle; treated as a top role")
                    parents[i] = -1
                    break
                }
                seen.insert(p)
                p = parents[p]
            }
        }
        roleParent = parents
        var children = [[Int]](repeating: [], count: names.count)
        for (i, p) in parents.enumerated() where p >= 0 { children[p].append(i) }
        roleChildren = children
        var inRole = [[Int]](repeating: [], count: names.count)
        var roleOfUser: [Int] = []
        roleOfUser.reserveCapacity(users.count)
        for i in users.indices {
            if let role = users[i].role, let r = roleIndex[role] {
                inRole[r].append(i)
                roleOfUser.append(r)
            } else {
                if let role = users[i].role {
                    notes.append(
                        "user `\(users[i].username)` has role `\(role)`, which is not in the project")
                }
                roleOfUser.append(-1)
            }
        }
        usersInRole = inRole
        userRole = roleOfUser
        var order: [Int] = []
        var visited = [Bool](repeating: false, count: names.count)
        func visit(_ r: Int) {
            if visited[r] { return }
            visited[r] = true
            for c in children[r] { visit(c) }
            order.append(r)
        }
        for r in 0..<names.count where parents[r] < 0 { visit(r) }
        for r in 0..<names.count { visit(r) }
        rolesBottomUp = order
        groupMembers = [:]
        self.notes = notes

        // Groups last: expansion uses the role tables above. Direct members first, then nested groups
        // to a fixed point (handles nesting loops, which Salesforce forbids but data may contain).
        let groupNames = org.groups.keys.sorted()
        var expanded: [String: Bitset] = [:]
        var nested: [String: [String]] = [:]
        for name in groupNames {
            var bits = Bitset(count: users.count)
            for member in org.groups[name]!.members {
                switch member {
                case .user(let username):
                    if let u = userIndex(username) {
                        bits.insert(u)
                    } else {
                        self.notes.append(
                            "group `\(name)` lists user `\(username)`, who is not in the project")
                    }
                case .group(let inner):
                    if org.groups[inner] == nil {
                        self.notes.append(
                            "group `\(name)` contains group `\(inner)`, which is not in the project")
                    } else {
                        nested[name, default: []].append(inner)
                    }
                case .role(let role):
                    if let r = roleIndexByName[role] {
                        for u in usersInRole[r] { bits.insert(u) }
                    } else {
                        self.notes.append(
                            "group `\(name)` contains role `\(role)`, which is not in the project")
                    }
                case .roleAndSubordinates(let role), .roleAndInternalSubordinates(let role):
                    if let r = roleIndexByName[role] {
                        var internalOnly = false
                        if case .roleAndInternalSubordinates = member { internalOnly = true }
                        bits.formUnion(subtreeUsers(r, internalOnly: internalOnly))
                    } else {
                        self.notes.append(
                            "group `\(name)` contains role `\(role)`, which is not in the project")
                    }
                case .allInternalUsers:
                    bits.formUnion(internalUsers)
                }
            }
            expanded[name] = bits
        }
        var changed = true
        while changed {
            changed = false
            for name in groupNames {
                guard let inner = nested[name] else { continue }
                var bits = expanded[name]!
                let before = bits.cardinality
                for g in inner { bits.formUnion(expanded[g]!) }
                if bits.cardinality != before {
                    expanded[name] = bits
                    changed = true
                }
            }
        }
        // Report loops.
        var state: [String: Int] = [:]  // 1 = on the path, 2 = done
        func walk(_ name: String) {
            state[name] = 1
            for g in nested[name] ?? [] {
                if state[g] == 1 {
                    self.notes.append("group `\(g)` contains itself through nesting; members are merged")
                } else if state[g] == nil {
                    walk(g)
                }
            }
            state[name] = 2
        }
        for name in groupNames where state[name] == nil { walk(name) }
        groupMembers = expanded
    }

    // MARK: Lookups

    func userIndex(_ username: String) -> Int? { userIndexByName[Self.folded(username)] }

    /// A username as the name table keys it: lowercased, skipping the work for names already in
    /// lowercase ASCII (almost all of them).
    static func folded(_ username: String) -> String {
        for byte in username.utf8 where byte >= 0x80 || (byte >= 0x41 && byte <= 0x5A) {
            return username.lowercased()
        }
        return username
    }

    /// Each user's 18-character Id (`User.id`, or one derived from the username), by user index; built
    /// the first time a rule or a formula needs one.
    var userIds: [String] {
        userIdsLock.lock()
        defer { userIdsLock.unlock() }
        if let cachedUserIds { return cachedUserIds }
        let ids = users.map { user in
            user.id.flatMap(RecordId.normalize) ?? RecordId.make(object: "User", referenceId: user.username)
        }
        cachedUserIds = ids
        return ids
    }

    func user(_ u: Int) -> User { users[u] }

    func members(ofGroup name: String) -> Bitset { groupMembers[name] ?? Bitset(count: users.count) }

    /// Users in role `r` and every role below it.
    func subtreeUsers(_ r: Int, internalOnly: Bool) -> Bitset {
        var bits = Bitset(count: users.count)
        var stack = [r]
        while let x = stack.popLast() {
            for u in usersInRole[x] where !internalOnly || !users[u].isExternal { bits.insert(u) }
            stack.append(contentsOf: roleChildren[x])
        }
        return bits
    }

    /// Users whose role is strictly above the role of some member (`REC-7`, `REC-8`).
    func usersAbove(_ members: Bitset) -> Bitset {
        var marked = [Bool](repeating: false, count: roleNames.count)
        for u in members.members {
            var p = userRole[u] >= 0 ? roleParent[userRole[u]] : -1
            while p >= 0, !marked[p] {
                marked[p] = true
                p = roleParent[p]
            }
        }
        var bits = Bitset(count: users.count)
        for r in 0..<roleNames.count where marked[r] { for u in usersInRole[r] { bits.insert(u) } }
        return bits
    }

    /// Whether user `u`'s role is strictly above user `o`'s role.
    func isAbove(_ u: Int, _ o: Int) -> Bool {
        let mine = userRole[u]
        guard mine >= 0, userRole[o] >= 0 else { return false }
        var p = roleParent[userRole[o]]
        while p >= 0 {
            if p == mine { return true }
            p = roleParent[p]
        }
        return false
    }

    func roleName(ofUser u: Int) -> String? { userRole[u] >= 0 ? roleNames[userRole[u]] : nil }

    func effective(_ u: Int, _ object: String) -> EffectiveObjectPermissions {
        let key = PermissionKey(user: u, object: object)
        lock.lock()
        if let cached = permissionCache[key] {
            lock.unlock()
            return cached
        }
        lock.unlock()
        let value = permissions.effective(users[u], object)
        lock.lock()
        permissionCache[key] = value
        lock.unlock()
        return value
    }

    func index(_ object: String) -> ObjectIndex {
        lock.lock()
        if let cached = objectIndexes[object] {
            lock.unlock()
            return cached
        }
        lock.unlock()
        let built = ObjectIndex(object: object, evaluator: self)
        lock.lock()
        defer { lock.unlock() }
        if let raced = objectIndexes[object] { return raced }
        objectIndexes[object] = built
        return built
    }

    /// The object's index when it has been built already (by a bulk question or `prepare`).
    func builtIndex(_ object: String) -> ObjectIndex? {
        lock.lock()
        defer { lock.unlock() }
        return objectIndexes[object]
    }

    /// Objects whose record index has been built (by a bulk question or `prepare`), sorted. Explaining one
    /// record builds none.
    public var indexedObjects: [String] {
        lock.lock()
        defer { lock.unlock() }
        return objectIndexes.keys.sorted()
    }

    func sharing(_ object: String) -> ObjectSharing {
        lock.lock()
        if let cached = objectSharings[object] {
            lock.unlock()
            return cached
        }
        lock.unlock()
        let built = ObjectSharing(object: object, evaluator: self)
        lock.lock()
        defer { lock.unlock() }
        if let raced = objectSharings[object] { return raced }
        objectSharings[object] = built
        return built
    }

    /// Problems with rules on an object (unparseable filters, principals not modelled), as notes.
    public func notes(for object: String) -> [String] { sharing(object).notes }
}
