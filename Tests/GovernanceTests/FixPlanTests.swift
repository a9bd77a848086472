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
        #expect(after.profiles[F.integrationProfile]?.grants.fields["Contact.Phone"] == .read)
        #expect(errors(after).isEmpty)
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
