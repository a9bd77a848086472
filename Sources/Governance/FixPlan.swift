import AccessModel
import Foundation

/// The least change to an org's access configuration that leaves an integration user with no error
/// finding under the policy: what `keyhole fix` plans, checks and writes. Pure: takes values, returns
/// values. `FixPlanner` builds it.
///
/// After the plan the user reads exactly the tier-1 fields they read before plus the tier-2/3 fields the
/// policy approves (tier 3: an unexpired approval naming an approver; tier 2: an unexpired approval with
/// an approver or a justification) — nothing tier-2/3 unapproved:
/// 1. flagged system permissions (View All Data, Modify All Data) are switched off (`enabled=false`) in
///    the source that grants them when only this user holds it; otherwise a note says what to do instead;
/// 2. every grant of an unapproved tier-2/3 field is removed with an explicit `false` (profile entries,
///    latent ones included, `FLS-5`, are never deleted: a missing entry does not revoke on deploy). A grant
///    from a permission set inside a group is removed in that permission set when no other user's access
///    changes, else by muting the field in the group (`PSG-2`, `PSG-3`);
/// 3. fields the user keeps that reach them through a latent profile entry (`FLS-5`) move to the user's
///    own permission set — one only they hold — or to a new `<Integration>_Access` set (licence per
///    `LIC-7`/`LIC-8`), which also gets Read on their objects; the profile entry is set to explicit
///    `false`, see `FixPlanner.moveFromProfile` for the one exception (another user depends on a tier-1
///    entry);
/// 4. approved fields the user cannot read are granted in that permission set (`KH-FLS-QUERY-WILL-FAIL`);
/// 5. fields Salesforce allows no field-level security on (`FLS-6`) are left alone, with a note.
public struct FixPlan: Sendable {
    /// The user the plan is for (canonical username).
    public var user: String
    /// The changes, in the order they apply. Permission sets in `newPermissionSets` must be added to the
    /// org before they apply (see `apply(to:)`).
    public var changes: [OrgChange]
    /// Permission sets the plan creates (written whole, not patched).
    public var newPermissionSets: [PermissionSet]
    /// Why something was left or done differently.
    public var notes: [String]

    public init(user: String, changes: [OrgChange], newPermissionSets: [PermissionSet], notes: [String]) {
        self.user = user
        self.changes = changes
        self.newPermissionSets = newPermissionSets
        self.notes = notes
    }

    /// The org with the plan applied.
    public func apply(to org: Org) throws(OrgChangeError) -> Org {
        var copy = org
        for set in newPermissionSets { copy.permissionSets[set.name] = set }
        try OrgChange.apply(changes, to: &copy)
        return copy
    }

    /// Muting permission sets the plan creates (a group that had none gets `<Group>_Muting`, `PSG-2`), as
    /// (muting set, group) pairs in name order. `org` is the org before the plan.
    public func newMutingPermissionSets(in org: Org) -> [(mutingPermissionSet: String, group: String)] {
        guard let after = try? apply(to: org) else { return [] }
        return after.permissionSetGroups.values.compactMap { group in
            guard let muting = group.mutingPermissionSet, org.mutingPermissionSets[muting] == nil,
                org.permissionSetGroups[group.name]?.mutingPermissionSet == nil
            else { return nil }
            return (muting, group.name)
        }.sorted { $0.mutingPermissionSet < $1.mutingPermissionSet }
    }

    /// Plans the fix for `username` (case-insensitive). Throws for an unknown user.
    public static func make(org: Org, policy: Policy, user username: String, now: Date = Date())
        throws(OrgChangeError) -> FixPlan
    {
        guard let user = org.user(named: username) else {
            throw OrgChangeError(.unknownUser, "no user '\(username)'")
        }
        var planner = FixPlanner(org: org, policy: policy, user: user, now: now)
        return planner.run()
    }
}
