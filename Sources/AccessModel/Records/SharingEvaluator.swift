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
    let userRole: [Int]
    let internalUsers: Bitset
    let externalUsers: Bitset

    // Roles.
    let roleNames: [String]
    private let roleTable: NameIndex
    let roleParent: [Int]
    let roleChildren: [[Int]]
    let usersInRole: [[Int]]
    /// Roles in an order where every child comes before its parent.
    let rolesBottomUp: [Int]

    // Groups: members after expanding nesting, roles and subordinates (`REC-8`), each group the first
    // time a rule or share names it (explaining one record expands only the groups its rules reach).
    private let groupLock = NSLock()
    private var expandedGroups: [String: Bitset] = [:]
    private var directGroupMembers: [String: (users: Bitset, nested: [String])] = [:]

    /// Problems with users and roles (unknown roles, role cycles), found while building.
    private let userNotes: [String]

    /// Problems found in the sharing setup (unknown group members, role cycles, nesting loops, …),
    /// reported as notes.
    public var notes: [String] { userNotes + groupNotes() }

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

        // Roles, sorted by name so indexes do not depend on load order.
        let names = org.roles.keys.sorted()
        roleNames = names
        let roles = NameIndex(count: names.count, ignoringCase: false) { names[$0] }
        roleTable = roles
        @Sendable func role(_ name: String) -> Int? { roles.index(of: name) { names[$0] } }
        var parents = names.map { org.roles[$0]?.parentRole.flatMap(role) ?? -1 }
        for (i, name) in names.enumerated() {
            if let parent = org.roles[name]?.parentRole, role(parent) == nil {
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

        // Users, in declared order, named through the org's `UserDirectory`. Roles and kinds are read in
        // one parallel pass (issue 4: reading 100,000 users is most of `explain --record`).
        let list = org.users
        users = list
        // Per user: the role's index (-1 without a role, -2 for one not in the project), and external.
        let pass = concurrentMap(count: list.count, slice: 8192) { i -> (role: Int, external: Bool) in
            (list[i].role.map { role($0) ?? -2 } ?? -1, list[i].isExternal)
        }
        var internalBits = Bitset(count: list.count)
        var externalBits = Bitset(count: list.count)
        var inRole = [[Int]](repeating: [], count: names.count)
        var roleOfUser = [Int](repeating: -1, count: list.count)
        for (i, user) in pass.enumerated() {
            if user.external { externalBits.insert(i) } else { internalBits.insert(i) }
            if user.role >= 0 {
                inRole[user.role].append(i)
                roleOfUser[i] = user.role
            } else if user.role == -2, let name = list[i].role {
                notes.append("user `\(list[i].username)` has role `\(name)`, which is not in the project")
            }
        }
        internalUsers = internalBits
        externalUsers = externalBits
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
        userNotes = notes
    }

    // MARK: Lookups

    /// The user named `username` (case-insensitively, as Salesforce usernames are).
    func userIndex(_ username: String) -> Int? { org.userIndex(named: username) }

    /// The role with developer name `name`.
    func roleIndex(_ name: String) -> Int? { roleTable.index(of: name) { roleNames[$0] } }

    /// Each user's 18-character Id (`User.id`, or one derived from the username), by user index; built
    /// the first time a rule or a formula needs one.
    var userIds: [String] {
        userIdsLock.lock()
        defer { userIdsLock.unlock() }
        if let cachedUserIds { return cachedUserIds }
        let ids = users.map(\.recordId)
        cachedUserIds = ids
        return ids
    }

    func user(_ u: Int) -> User { users[u] }

    /// Every user in group `name`: its direct members (users, roles, subordinates, all internal users)
    /// and those of every group it reaches through nesting, so a nesting loop merges its groups'
    /// members (Salesforce forbids loops; data may contain them).
    func members(ofGroup name: String) -> Bitset {
        groupLock.lock()
        defer { groupLock.unlock() }
        if let cached = expandedGroups[name] { return cached }
        var bits = Bitset(count: users.count)
        var seen: Set<String> = [name]
        var stack = [name]
        while let g = stack.popLast() {
            guard org.groups[g] != nil else { continue }
            let direct = directMembers(g)
            bits.formUnion(direct.users)
            for inner in direct.nested where seen.insert(inner).inserted { stack.append(inner) }
        }
        expandedGroups[name] = bits
        return bits
    }

    /// A group's members without nesting, and the groups nested in it. Called holding `groupLock`.
    private func directMembers(_ name: String) -> (users: Bitset, nested: [String]) {
        if let cached = directGroupMembers[name] { return cached }
        var bits = Bitset(count: users.count)
        var nested: [String] = []
        for member in org.groups[name]?.members ?? [] {
            switch member {
            case .user(let username):
                if let u = userIndex(username) { bits.insert(u) }
            case .group(let inner):
                if org.groups[inner] != nil { nested.append(inner) }
            case .role(let role):
                if let r = roleIndex(role) { for u in usersInRole[r] { bits.insert(u) } }
            case .roleAndSubordinates(let role):
                if let r = roleIndex(role) { bits.formUnion(subtreeUsers(r, internalOnly: false)) }
            case .roleAndInternalSubordinates(let role):
                if let r = roleIndex(role) { bits.formUnion(subtreeUsers(r, internalOnly: true)) }
            case .allInternalUsers:
                bits.formUnion(internalUsers)
            }
        }
        directGroupMembers[name] = (bits, nested)
        return (bits, nested)
    }

    /// Group members that name nothing in the project, and nesting loops.
    private func groupNotes() -> [String] {
        var notes: [String] = []
        let groupNames = org.groups.keys.sorted()
        for name in groupNames {
            for member in org.groups[name]!.members {
                switch member {
                case .user(let username) where userIndex(username) == nil:
                    notes.append("group `\(name)` lists user `\(username)`, who is not in the project")
                case .group(let inner) where org.groups[inner] == nil:
                    notes.append("group `\(name)` contains group `\(inner)`, which is not in the project")
                case .role(let role) where roleIndex(role) == nil,
                    .roleAndSubordinates(let role) where roleIndex(role) == nil,
                    .roleAndInternalSubordinates(let role) where roleIndex(role) == nil:
                    notes.append("group `\(name)` contains role `\(role)`, which is not in the project")
                default: break
                }
            }
        }
        var state: [String: Int] = [:]  // 1 = on the path, 2 = done
        func walk(_ name: String) {
            state[name] = 1
            for case .group(let g) in org.groups[name]?.members ?? [] where org.groups[g] != nil {
                if state[g] == 1 {
                    notes.append("group `\(g)` contains itself through nesting; members are merged")
                } else if state[g] == nil {
                    walk(g)
                }
            }
            state[name] = 2
        }
        for name in groupNames where state[name] == nil { walk(name) }
        return notes
    }

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
