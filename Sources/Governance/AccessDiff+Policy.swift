import AccessModel

/// The policy's view of an `AccessDiff`: the tier of what each change reaches and whether its user is an
/// integration user — what `diff --fail-on-widening` and `explain`'s what-if options report.
extension AccessDiff {
    /// The diff with `tier` and `isIntegrationUser` set on every change.
    ///
    /// A field change has its field's tier (`Policy.tier(of:)`). An object or records change has the
    /// highest tier of the fields the user can read on that object on the wider side (tier 1 when none is
    /// classified): more records, or more operations on them, expose those fields. A system-permission
    /// change has no tier; what it opens shows up as object and field changes. Users are looked up in
    /// `after`, then in `before`.
    public func judged(by policy: Policy, before: Org, after: Org) -> AccessDiff {
        var cache: [String: Bool] = [:]
        func isIntegration(_ username: String) -> Bool {
            if let known = cache[username] { return known }
            let result: Bool
            if let user = after.user(named: username) {
                result = policy.isIntegrationUser(user, in: after)
            } else if let user = before.user(named: username) {
                result = policy.isIntegrationUser(user, in: before)
            } else {
                result = false
            }
            cache[username] = result
            return result
        }
        var judged = self
        for i in judged.changes.indices {
            let change = judged.changes[i]
            judged.changes[i].isIntegrationUser = isIntegration(change.user)
            switch change.kind {
            case .field:
                judged.changes[i].tier = policy.tier(of: change.classification ?? Classification())
            case .object, .records:
                judged.changes[i].tier =
                    change.exposedClassifications.map { policy.tier(of: $0) }.max()
                    ?? policy.tier(of: Classification())
            case .systemPermission:
                judged.changes[i].tier = nil
            }
        }
        return judged
    }

    /// Widening changes that give an integration user tier-2 or tier-3 access: what
    /// `diff --fail-on-widening` fails on. Needs a judged diff.
    public var integrationWidenings: [AccessChange] {
        changes.filter { $0.isWidening && $0.isIntegrationUser && ($0.tier ?? 0) >= 2 }
    }
}
