import Dispatch
import Foundation

/// Decides and explains what users can reach: object permissions, field-level security and system
/// permissions (`§0` steps 1–4 of `access-semantics.md`). Pure: no I/O.
///
/// Built once per org (it indexes every object, field and permission source in `init`), then safe to use
/// from many tasks at once. Access is computed once per distinct set of sources (profile, licence, active
/// valid assignments, permission set licences) and shared by every user with that set.
public struct AccessEvaluator: Sendable {
    public let org: Org
    /// Assignments expiring at or before this instant are not sources (`PSG-8`).
    public let now: Date
    let compiled: CompiledOrg
    private let cache: EffectiveAccessCache

    /// With a narrowed `scope`, only the scope's questions are answered exactly (see `EvaluationScope`).
    public init(org: Org, now: Date = Date(), scope: EvaluationScope = .all) {
        self.org = org
        self.now = now
        compiled = CompiledOrg(org, scope: scope)
        cache = EffectiveAccessCache(limit: 4096)
    }

    /// The user's effective access. Cheap to ask further questions of (object access and field bits are
    /// precomputed); reasons are built only when a decision is requested.
    public func evaluate(_ user: User) -> UserAccess {
        UserAccess(user: user, effective: effective(SourceKey(user: user, now: now)), compiled: compiled)
    }

    /// Every user's access, computing once per distinct set of sources (in parallel); results in the
    /// order given. Users with the same sources share one computed value.
    public func evaluate(_ users: [User]) -> [UserAccess] {
        let keys = users.map { SourceKey(user: $0, now: now) }
        var slotOf: [SourceKey: Int] = [:]
        var unique: [SourceKey] = []
        for key in keys where slotOf[key] == nil {
            slotOf[key] = unique.count
            unique.append(key)
        }
        let compiled = self.compiled
        let keyList = unique
        let computed = concurrentMap(count: keyList.count, slice: 256) {
            EffectiveAccess(key: keyList[$0], compiled: compiled)
        }
        return zip(users, keys).map { user, key in
            UserAccess(user: user, effective: computed[slotOf[key]!], compiled: compiled)
        }
    }

    /// Every user of the org (`org.users`), in declared order.
    public func evaluateAll() -> [UserAccess] { evaluate(org.users) }

    /// One object for one user, with reasons and its field decisions.
    public func objectDecision(_ user: User, object: String) -> ObjectDecision {
        evaluate(user).objectDecision(object)
    }

    /// One field for one user, with its whole reason tree.
    public func fieldDecision(_ user: User, object: String, field: String) -> FieldDecision {
        evaluate(user).fieldDecision(object: object, field: field)
    }

    /// Who can: the org's users holding every permission in `objectAccess` on `object`, with their
    /// decisions (reasons, no fields), in `org.users` order. Computes only that object per set of sources.
    public func usersWith(objectAccess: ObjectAccess, on object: String) -> [(
        user: User, decision: ObjectDecision
    )] {
        guard let o = compiled.object(object) else { return [] }
        let name = compiled.objectNames[o]
        return matching(object: o) { $0.access[o].isSuperset(of: objectAccess) }.map {
            ($0.user, $0.objectDecision(name, includeFields: false))
        }
    }

    /// Who can read (or edit) a field, with their decisions, in `org.users` order.
    public func usersWith(fieldAccess: FieldAccessKind, object: String, field: String)
        -> [(user: User, decision: FieldDecision)]
    {
        guard let o = compiled.object(object), let f = compiled.field(o, field) else { return [] }
        let compiled = self.compiled
        return matching(object: o) { effective in
            fieldAccess == .read
                ? effective.canRead(o, f, compiled: compiled) : effective.canEdit(o, f, compiled: compiled)
        }.map {
            ($0.user, $0.fieldDecision(object: compiled.objectNames[o], field: compiled.fields[o][f].name))
        }
    }

    /// Users whose access to object `o` (computed for that object only) satisfies `test`.
    private func matching(object o: Int, _ test: (EffectiveAccess) -> Bool) -> [UserAccess] {
        var memo: [SourceKey: (EffectiveAccess, Bool)] = [:]
        var result: [UserAccess] = []
        for user in org.users {
            let key = SourceKey(user: user, now: now)
            let entry: (EffectiveAccess, Bool)
            if let known = memo[key] {
                entry = known
            } else {
                let effective = EffectiveAccess(key: key, compiled: compiled, only: o)
                entry = (effective, test(effective))
                if memo.count >= 4096 { memo.removeAll(keepingCapacity: true) }
                memo[key] = entry
            }
            if entry.1 { result.append(UserAccess(user: user, effective: entry.0, compiled: compiled)) }
        }
        return result
    }

    func effective(_ key: SourceKey) -> EffectiveAccess {
        if let known = cache.get(key) { return known }
        let computed = EffectiveAccess(key: key, compiled: compiled)
        cache.put(key, computed)
        return computed
    }
}
