/// Who a sharing principal reaches: its members, and the users above them when the hierarchy extends it.
struct PrincipalReach: Sendable {
    /// Users the principal contains.
    var members: Bitset
    /// Users strictly above a member in the role hierarchy who are not members themselves; they get the
    /// grant when the object uses hierarchies and the principal passes grants upward (roles, users, and
    /// groups with `doesIncludeBosses`, `REC-7`, `REC-8`).
    var bosses: Bitset
    /// `members ∪ bosses` as applied (bosses only when they count).
    var reached: Bitset
    /// `group:HubSpot_Sync`, `role:Sales`, `user:iu@acme.com`.
    var label: String
    /// Why the principal reaches nobody, when it cannot be modelled.
    var problem: String?

    func phrase(for u: Int, subject: String = "the user") -> String {
        if members.contains(u) { return "which contains \(subject)" }
        return "and \(subject) is above a member in the role hierarchy"
    }
}

extension SharingEvaluator {
    /// The users a sharing-rule target or manual-share principal reaches. `hierarchy` is the object's
    /// Grant Access Using Hierarchies setting.
    func reach(_ principal: SharingPrincipal, hierarchy: Bool) -> PrincipalReach {
        let empty = Bitset(count: users.count)
        var members = empty
        var passesUp = true
        var problem: String?
        let name = principal.name
        switch principal.kind {
        case "group", "queue":
            if org.groups[name] != nil {
                members = self.members(ofGroup: name)
                passesUp = org.groups[name]?.doesIncludeBosses ?? false
            } else {
                problem = "\(principal.kind) `\(name)` is not in the project"
            }
        case "role", "roleAndSubordinates", "roleAndSubordinatesInternal", "roleAndInternalSubordinates":
            if let r = roleIndex(name) {
                if principal.kind == "role" {
                    for u in usersInRole[r] { members.insert(u) }
                } else {
                    members = subtreeUsers(r, internalOnly: principal.kind != "roleAndSubordinates")
                }
            } else {
                problem = "role `\(name)` is not in the project"
            }
        case "allInternalUsers":
            members = internalUsers
            passesUp = false
        case "allPartnerUsers", "allCustomerPortalUsers":
            members = externalUsers
            passesUp = false
        case "user":
            if let u = userIndex(name) {
                members.insert(u)
            } else {
                problem = "user `\(name)` is not in the project"
            }
        default:
            problem = "principal kind `\(principal.kind)` is not modelled; it grants nothing here"
        }
        var bosses = empty
        if hierarchy && passesUp && !members.isEmpty {
            bosses = usersAbove(members)
            bosses = subtract(bosses, members)
        }
        var reached = members
        reached.formUnion(bosses)
        return PrincipalReach(
            members: members, bosses: bosses, reached: reached, label: principal.description, problem: problem
        )
    }

    func reach(_ principal: ManualShare.Principal, hierarchy: Bool) -> PrincipalReach {
        switch principal {
        case .user(let n): reach(SharingPrincipal(kind: "user", name: n), hierarchy: hierarchy)
        case .group(let n): reach(SharingPrincipal(kind: "group", name: n), hierarchy: hierarchy)
        case .role(let n): reach(SharingPrincipal(kind: "role", name: n), hierarchy: hierarchy)
        case .roleAndSubordinates(let n):
            reach(SharingPrincipal(kind: "roleAndSubordinates", name: n), hierarchy: hierarchy)
        }
    }

    /// Owners a `sharedFrom` principal covers (`REC-10`): members only, never bosses.
    func owners(_ principal: SharingPrincipal) -> PrincipalReach {
        reach(principal, hierarchy: false)
    }

    func subtract(_ a: Bitset, _ b: Bitset) -> Bitset {
        var result = Bitset(count: a.count)
        for i in a.members where !b.contains(i) { result.insert(i) }
        return result
    }
}
