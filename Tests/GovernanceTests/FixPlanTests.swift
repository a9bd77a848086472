import AccessModel
import Foundation
import Governance
import Testing

/// `FixPlan`: the least change that leaves an integration user with no error finding.
@Suite("fix plan")
struct FixPlanTests {
    func plan(_ org: Org, policy: Policy = Policy()) throws -> (FixPlan, Org) {
        let plan = try FixPlan.make(org: org, policy: policy, user: F.iu, now: F.now)
        return (plan, try plan.apply(to: org))
    }

    func errors(_ org: Org, policy: Policy = Policy()) -> [Finding] {
        F.audit(org, policy: policy, user: F.iu).findings.filter { $0.severity == .error }
    }

    /// `Object.Field` → `read`/`edit` for every field the user can read.
    func reads(_ org: Org, _ username: String = F.iu) throws -> [String: String] {
        let user = try #require(org.user(named: username))
        let access = AccessEvaluator(org: org, now: F.now).evaluate(user)
        var result: [String: String] = [:]
        for object in access.readableObjects {
            for field in access.readableFields(of: object) {
                result[FieldPath.key(object: object, field: field)] =
                    access.canEdit(object: object, field: field) ? "edit" : "read"
            }
        }
        return result
    }

    @Test("FLS-5 a latent profile entry for a tier-3 field is set to explicit false, never deleted")
    func latentProfileEntry() throws {
        let org = F.org(
            profile: F.grants(fields: ["Contact.SSN__c": .read, "Contact.Phone": .read]),
            sets: [F.set("Sync", ["Contact": .read])], assign: ["Sync"])
        #expect(!errors(org).isEmpty)
        let (plan, after) = try plan(org)
        #expect(
            plan.changes.contains(
                .setFLS(
                    source: "profile:\(F.integrationProfile)", field: "Contact.SSN__c", access: .none)))
        #expect(after.profiles[F.integrationProfile]?.grants.fields["Contact.SSN__c"] == FieldAccess.none)
        #expect(errors(after).isEmpty)
    }

    @Test(
        "FLS-5 a tier-1 field read through a latent profile entry moves to the user's own set and the profile entry is set to false"
    )
    func tier1MovesOffTheProfile() throws {
        // The profile is shared by every Integration-licence user, and a permission set can only grant
        // (LIC-10): left true, the entry would keep the field readable whatever the permission set says,
        // and wake for the next user whose set grants Contact (FLS-5). No one else reads it, so it goes.
        let org = F.org(
            profile: F.grants(fields: ["Contact.SSN__c": .read, "Contact.Phone": .read]),
            sets: [F.set("Sync", ["Contact": .read])], assign: ["Sync"])
        let (plan, after) = try plan(org)
        #expect(
            plan.changes.contains(
                .setFLS(source: "permissionSet:Sync", field: "Contact.Phone", access: .read)))
        #expect(
            plan.changes.contains(
                .setFLS(source: "profile:\(F.integrationProfile)", field: "Contact.Phone", access: .none)))
        #expect(after.profiles[F.integrationProfile]?.grants.fields["Contact.Phone"] == FieldAccess.none)
        #expect(after.permissionSets["Sync"]?.grants.fields["Contact.Phone"] == .read)
        var expected = try reads(org)
        expected["Contact.SSN__c"] = nil
        #expect(try reads(after) == expected, "tier 1 kept exactly, the tier-3 field gone")
        #expect(plan.notes.isEmpty, "\(plan.notes)")
    }

    @Test(
        "FLS-5 a tier-1 profile entry another user of the shared profile reads only through it is kept, with a note naming them"
    )
    func tier1EntryKeptForAnotherUser() throws {
        let org = F.org(
            profile: F.grants(fields: ["Contact.SSN__c": .read, "Contact.Phone": .read]),
            sets: [F.set("Sync", ["Contact": .read]), F.set("Other_Sync", ["Contact": .read])],
            users: [F.user(sets: ["Sync"]), F.user("other@x", sets: ["Other_Sync"])])
        let (plan, after) = try plan(org)
        let profile = after.profiles[F.integrationProfile]!.grants
        #expect(profile.fields["Contact.Phone"] == .read, "other@x still reads Phone only through it")
        #expect(profile.fields["Contact.SSN__c"] == FieldAccess.none, "tier 3 goes, for everyone (listed)")
        #expect(after.permissionSets["Sync"]?.grants.fields["Contact.Phone"] == .read)
        #expect(
            plan.notes.contains {
                $0.contains("Contact.Phone") && $0.contains("other@x") && $0.contains("FLS-5")
            })
        #expect(try reads(after, "other@x")["Contact.Phone"] == "read")
        #expect(errors(after).isEmpty)
    }

    @Test("after the fix the user reads exactly the tier-1 fields read before plus the approved ones")
    func exactlyTier1PlusApproved() throws {
        let org = F.org(
            profile: F.grants(fields: [
                "Contact.SSN__c": .read, "Contact.Phone": .read, "Contact.Email": .read,
                "Account.Annual_Revenue__c": .read, "Account.Industry": .read,
            ]),
            sets: [F.set("Sync", ["Contact": .read, "Account": .read])], assign: ["Sync"])
        let policy = Policy(approvals: [
            Approval(user: F.iu, field: "Account.Annual_Revenue__c", justification: "scoring")
        ])
        let (plan, after) = try plan(org, policy: policy)
        var expected = try reads(org)
        expected["Contact.SSN__c"] = nil
        #expect(try reads(after) == expected)
        #expect(after.profiles[F.integrationProfile]!.grants.fields.values.allSatisfy { $0.isNone })
        let sync = after.permissionSets["Sync"]!.grants.fields
        #expect(
            sync == [
                "Contact.Phone": .read, "Contact.Email": .read, "Account.Annual_Revenue__c": .read,
                "Account.Industry": .read,
            ])
        #expect(errors(after, policy: policy).isEmpty)
        #expect(plan.newPermissionSets.isEmpty)
    }

    @Test(
        "a tier-2 field a permission set grants without a justification is removed too (nothing tier-2/3 unapproved)"
    )
    func tier2UnjustifiedRemoved() throws {
        let org = F.org(
            sets: [
                F.set(
                    "Sync", ["Account": .read],
                    fields: ["Account.Annual_Revenue__c": .read, "Account.Industry": .read])
            ],
            assign: ["Sync"])
        let (plan, after) = try plan(org)
        #expect(
            plan.changes == [
                .setFLS(source: "permissionSet:Sync", field: "Account.Annual_Revenue__c", access: .none)
            ])
        #expect(try reads(after)["Account.Annual_Revenue__c"] == nil)
        #expect(try reads(after)["Account.Industry"] == "read")
    }

    @Test(
        "PSG-1 a tier-3 field granted only through a group's permission set only this user holds: that set is patched"
    )
    func groupMemberPatched() throws {
        let org = F.org(
            sets: [
                F.set(
                    "Contacts", ["Contact": .read], fields: ["Contact.SSN__c": .read, "Contact.Phone": .read])
            ],
            groups: [PermissionSetGroup(name: "Sync_Group", permissionSets: ["Contacts"], status: "Updated")],
            users: [F.user(groups: ["Sync_Group"])])
        let (plan, after) = try plan(org)
        #expect(
            plan.changes == [
                .setFLS(source: "permissionSet:Contacts", field: "Contact.SSN__c", access: .none)
            ])
        #expect(after.mutingPermissionSets.isEmpty)
        #expect(errors(after).isEmpty)
        #expect(try reads(after)["Contact.Phone"] == "read")
    }

    @Test(
        "PSG-2 PSG-3 when other users hold the group's permission set elsewhere, the field is muted in the group instead, creating its muting set"
    )
    func groupMemberMuted() throws {
        let org = F.org(
            sets: [
                F.set(
                    "Contacts", ["Contact": .read], fields: ["Contact.SSN__c": .read, "Contact.Phone": .read])
            ],
            groups: [PermissionSetGroup(name: "Sync_Group", permissionSets: ["Contacts"], status: "Updated")],
            users: [
                F.user(groups: ["Sync_Group"]),
                F.user("steward@x", license: "Salesforce", profile: "Standard", sets: ["Contacts"]),
            ])
        let (plan, after) = try plan(org)
        #expect(plan.changes == [.mute(group: "Sync_Group", field: "Contact.SSN__c", access: .read)])
        #expect(after.permissionSetGroups["Sync_Group"]?.mutingPermissionSet == "Sync_Group_Muting")
        #expect(plan.newMutingPermissionSets(in: org).map(\.mutingPermissionSet) == ["Sync_Group_Muting"])
        #expect(errors(after).isEmpty)
        #expect(try reads(after, "steward@x") == (try reads(org, "steward@x")), "the steward keeps SSN__c")
        #expect(try reads(after)["Contact.Phone"] == "read")
    }

    @Test(
        "LIC-8 a new permission set is bound to the permission set licence when the user's licence alone refuses it"
    )
    func newSetBoundToPSL() throws {
        var org = F.org(users: [])
        org.users = [
            User(username: F.iu, license: F.integrationLicense, profile: F.integrationProfile)
        ]
        let policy = Policy(approvals: [
            Approval(user: F.iu, field: "Account.Industry", justification: "segments")
        ])
        #expect(errors(org, policy: policy).contains { $0.rule == .flsQueryWillFail })
        let (plan, after) = try plan(org, policy: policy)
        #expect(plan.newPermissionSets.first?.license == F.psl)
        #expect(plan.notes.contains { $0.contains("LIC-8") })
        #expect(errors(after, policy: policy).isEmpty)
        #expect(try reads(after)["Account.Industry"] == "read")
    }

    @Test("an approved tier-2 field read only through a latent profile entry moves to the user's own set")
    func approvedFieldMoves() throws {
        let org = F.org(
            profile: F.grants(fields: ["Account.Annual_Revenue__c": .read]),
            sets: [F.set("Sync", ["Account": .read])], assign: ["Sync"])
        let policy = Policy(approvals: [
            Approval(user: F.iu, field: "Account.Annual_Revenue__c", justification: "scoring")
        ])
        let (plan, after) = try plan(org, policy: policy)
        #expect(
            plan.changes.contains(
                .setFLS(source: "permissionSet:Sync", field: "Account.Annual_Revenue__c", access: .read)))
        let user = try #require(after.user(named: F.iu))
        #expect(
            AccessEvaluator(org: after, now: F.now).fieldDecision(
                user, object: "Account", field: "Annual_Revenue__c"
            ).read)
        #expect(errors(after, policy: policy).isEmpty)
        #expect(plan.newPermissionSets.isEmpty)
    }

    @Test("with no permission set of their own, a new <Integration>_Access set is created and assigned")
    func newPermissionSet() throws {
        var org = F.org(
            profile: F.grants(fields: ["Account.Annual_Revenue__c": .read]),
            sets: [F.set("Shared", ["Account": .read])],
            users: [F.user(sets: ["Shared"]), F.user("other@x", sets: ["Shared"])])
        org.users[0].name = "Acme Sync"
        let policy = Policy(approvals: [
            Approval(user: F.iu, field: "Account.Annual_Revenue__c", justification: "scoring")
        ])
        let (plan, after) = try plan(org, policy: policy)
        #expect(plan.newPermissionSets.map(\.name) == ["Acme_Sync_Access"])
        #expect(plan.newPermissionSets.first?.license == nil, "LIC-7: licence-independent with the PSL")
        #expect(plan.changes.first == .assign(user: F.iu, permissionSet: "Acme_Sync_Access"))
        #expect(after.permissionSets["Acme_Sync_Access"]?.grants.fields["Account.Annual_Revenue__c"] == .read)
        #expect(after.permissionSets["Acme_Sync_Access"]?.grants.objects["Account"] == .read)
        #expect(errors(after, policy: policy).isEmpty)
    }

    @Test("OBJ-5 View All Data is switched off in a source only this user holds")
    func viewAllDataRemoved() throws {
        let org = F.org(
            sets: [F.set("Sync", ["Account": .read], permissions: ["ViewAllData"])], assign: ["Sync"])
        let (plan, after) = try plan(org)
        #expect(
            plan.changes == [.removeUserPermission(source: "permissionSet:Sync", permission: "ViewAllData")])
        #expect(after.permissionSets["Sync"]?.grants.userPermissions["ViewAllData"] == false)
        #expect(errors(after).isEmpty)
    }

    @Test("OBJ-5 View All Data on a shared source is left, with a note on what to do instead")
    func viewAllDataShared() throws {
        let org = F.org(
            sets: [F.set("Sync", ["Account": .read], permissions: ["ViewAllData"])],
            users: [
                F.user(sets: ["Sync"]),
                F.user("other@x", license: "Salesforce", profile: "Standard", sets: ["Sync"]),
            ])
        let (plan, _) = try plan(org)
        #expect(plan.changes.isEmpty)
        #expect(plan.notes.contains { $0.contains("other@x") && $0.contains("own") })
    }

    @Test("FLS-6 a required tier-3 field is not changed; the plan says why")
    func requiredFieldLeft() throws {
        let contact = F.object(
            "Contact",
            [
                F.field("LastName", required: true),
                F.field("Tax_Id__c", required: true, security: "Restricted"),
            ])
        let org = F.org(
            sets: [F.set("Sync", ["Contact": .read])], assign: ["Sync"], objects: [F.account(), contact])
        let (plan, _) = try plan(org)
        #expect(!plan.changes.contains { $0.summary.contains("Tax_Id__c") })
        #expect(plan.notes.contains { $0.contains("Contact.Tax_Id__c") && $0.contains("FLS-6") })
    }

    @Test("a clean user gets an empty plan")
    func cleanUser() throws {
        let org = F.org(
            sets: [F.set("Sync", ["Contact": .read], fields: ["Contact.Phone": .read])], assign: ["Sync"])
        let (plan, _) = try plan(org)
        #expect(plan.changes.isEmpty && plan.newPermissionSets.isEmpty)
    }

    @Test("an unknown user throws")
    func unknownUser() {
        #expect(throws: OrgChangeError.self) {
            _ = try FixPlan.make(org: F.org(), policy: Policy(), user: "nobody@x", now: F.now)
        }
    }
}
