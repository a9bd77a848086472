import Foundation
import Testing

@testable import AccessModel

@Suite("Object and system permissions, muting")
struct ObjectAccessTests {
    static func t10Org() -> Org {
        Fixture.org(
            permissionSets: [
                Fixture.permissionSet("PS1", objects: ["Account": [.read, .create, .edit, .delete]]),
                Fixture.permissionSet("PS2", objects: ["Account": [.read, .edit, .delete]]),
            ],
            groups: [PermissionSetGroup(name: "G", permissionSets: ["PS1"], mutingPermissionSet: "M")],
            mutes: [MutingPermissionSet(name: "M", mutes: Fixture.grants(objects: ["Account": .delete]))])
    }

    @Test("T10 PSG-3 muting is group-local: a direct permission set keeps Delete")
    func t10() {
        let evaluator = Fixture.evaluator(Self.t10Org())
        let both = evaluator.evaluate(Fixture.iu(permissionSets: ["PS2"], groups: ["G"]))
        #expect(both.objectAccess("Account") == [.read, .create, .edit, .delete])
        let decision = both.objectDecision("Account", includeFields: false)
        #expect(decision.reasons.has(.grantedBy, source: "permissionSet:PS2", permission: "Delete"))
        #expect(decision.reasons.has(.mutedBy, source: "mutedBy:permissionSetGroup:G", permission: "Delete"))
        let groupOnly = evaluator.evaluate(Fixture.iu(groups: ["G"]))
        #expect(groupOnly.objectAccess("Account") == [.read, .create, .edit])
        #expect(
            groupOnly.objectDecision("Account").reasons.has(
                .grantedBy, source: "permissionSetGroup:G/permissionSet:PS1", permission: "Edit"))
    }

    @Test("T11 PSG-5 muting Read removes Read and Edit within the group (assumed)")
    func t11() {
        let org = Fixture.org(
            permissionSets: [Fixture.permissionSet("PS1", objects: ["Custom__c": [.read, .edit]])],
            groups: [PermissionSetGroup(name: "G", permissionSets: ["PS1"], mutingPermissionSet: "M")],
            mutes: [MutingPermissionSet(name: "M", mutes: Fixture.grants(objects: ["Custom__c": .read]))])
        let access = Fixture.evaluator(org).evaluate(Fixture.iu(groups: ["G"]))
        #expect(access.objectAccess("Custom__c").isEmpty)
        let decision = access.objectDecision("Custom__c", includeFields: false)
        #expect(decision.reasons.has(.mutedBy, permission: "Read"))
        #expect(decision.reasons.has(.mutedBy, permission: "Edit"))
        #expect(!decision.reasons.isEmpty)
    }

    @Test("OBJ-2 object permissions are closed under their dependencies")
    func closure() {
        let org = Fixture.org(permissionSets: [
            Fixture.permissionSet("PS_MA", objects: ["Custom__c": .modifyAllRecords])
        ])
        let access = Fixture.evaluator(org).evaluate(Fixture.iu(permissionSets: ["PS_MA"]))
        #expect(
            access.objectAccess("Custom__c") == [.read, .edit, .delete, .viewAllRecords, .modifyAllRecords])
    }

    @Test("OBJ-4 OBJ-5 View All Data gives Read and View All; Modify All Data gives everything")
    func vadMad() {
        let org = Fixture.org(permissionSets: [
            Fixture.permissionSet("PS_VAD", permissions: ["ViewAllData"]),
            Fixture.permissionSet("PS_MAD", permissions: ["ModifyAllData"]),
        ])
        let evaluator = Fixture.evaluator(org)
        let vad = evaluator.evaluate(Fixture.iu(permissionSets: ["PS_VAD"]))
        #expect(vad.objectAccess("Lead") == [.read, .viewAllRecords])
        #expect(!vad.canRead(object: "Lead", field: "Email"))  // OBJ-7
        let mad = evaluator.evaluate(Fixture.iu(permissionSets: ["PS_MAD"]))
        #expect(
            mad.objectAccess("Lead") == [.read, .create, .edit, .delete, .viewAllRecords, .modifyAllRecords])
        #expect(!mad.canEdit(object: "Lead", field: "Email"))
        #expect(mad.canEdit(object: "Lead", field: "LastName"))
    }

    @Test("OBJ-5 View All Data only reaches objects the licence allows")
    func vadCapped() {
        let org = Fixture.org(
            profileGrants: Fixture.grants(permissions: ["ViewAllData"]))
        let access = Fixture.evaluator(org).evaluate(Fixture.iu(psls: []))
        #expect(access.objectAccess("Custom__c") == [.read, .viewAllRecords])
        #expect(access.objectAccess("Account").isEmpty)
        #expect(access.objectDecision("Account").reasons.has(.licenseCap))
    }

    @Test("OBJ-4 Modify All Data implies View All Data; system permissions carry their sources")
    func systemPermissions() {
        let org = Fixture.org(
            profileGrants: Fixture.grants(permissions: ["ApiEnabled"]),
            permissionSets: [
                Fixture.permissionSet("PS_MAD", permissions: ["ModifyAllData", "CustomizeApplication"])
            ])
        let access = Fixture.evaluator(org).evaluate(Fixture.iu(permissionSets: ["PS_MAD"]))
        let byName = Dictionary(uniqueKeysWithValues: access.systemPermissions.map { ($0.name, $0) })
        #expect(
            Set(byName.keys) == [
                "ApiEnabled", "ApiUserOnly", "ModifyAllData", "ViewAllData", "CustomizeApplication",
            ])
        #expect(byName["ViewAllData"]?.sources == ["permissionSet:PS_MAD"])
        #expect(byName["ViewAllData"]?.reasons.has(.systemPermission) == true)
        #expect(byName["ApiEnabled"]?.sources.contains("profile:\(Fixture.integrationProfile)") == true)
        #expect(byName["ApiEnabled"]?.sources.contains("license:Salesforce Integration") == true)
        #expect(
            byName["ApiUserOnly"]?.reasons.has(.lockedByLicense, source: "license:Salesforce Integration")
                == true)
        #expect(byName["CustomizeApplication"]?.sources == ["permissionSet:PS_MAD"])
    }

    @Test("PSG-2 a muting set mutes a user permission within its group only")
    func mutedUserPermission() {
        let org = Fixture.org(
            permissionSets: [
                Fixture.permissionSet("PS_VED", permissions: ["ViewEncryptedData"]),
                Fixture.permissionSet("PS_VED2", permissions: ["ViewEncryptedData"]),
            ],
            groups: [PermissionSetGroup(name: "G", permissionSets: ["PS_VED"], mutingPermissionSet: "M")],
            mutes: [MutingPermissionSet(name: "M", mutes: Fixture.grants(permissions: ["ViewEncryptedData"]))]
        )
        let evaluator = Fixture.evaluator(org)
        #expect(!evaluator.evaluate(Fixture.iu(groups: ["G"])).hasSystemPermission("ViewEncryptedData"))
        let both = evaluator.evaluate(Fixture.iu(permissionSets: ["PS_VED2"], groups: ["G"]))
        #expect(both.systemPermission("ViewEncryptedData")?.sources == ["permissionSet:PS_VED2"])
        #expect(both.systemPermission("ViewEncryptedData")?.reasons.has(.mutedBy) == true)
    }

    @Test("Who can: reverse lookups return the users and their decisions")
    func whoCan() {
        var org = Fixture.org(permissionSets: [
            Fixture.permissionSet(
                "PS_C", objects: ["Contact": [.read, .edit]], fields: ["Contact.Email": .edit])
        ])
        var other = Fixture.iu()
        other.username = "other@example.com"
        org.users = [Fixture.iu(permissionSets: ["PS_C"]), other]
        let evaluator = Fixture.evaluator(org)
        let editors = evaluator.usersWith(objectAccess: .edit, on: "Contact")
        #expect(editors.map(\.user.username) == ["iu@example.com"])
        #expect(editors.first?.decision.reasons.has(.grantedBy, source: "permissionSet:PS_C") == true)
        let readers = evaluator.usersWith(fieldAccess: .edit, object: "Contact", field: "Email")
        #expect(readers.map(\.user.username) == ["iu@example.com"])
        #expect(evaluator.usersWith(fieldAccess: .read, object: "Contact", field: "Secret__c").isEmpty)
    }

    @Test("Batch evaluation shares one computation per distinct set of sources")
    func batch() {
        let org = Fixture.org(permissionSets: [Fixture.permissionSet("PS_C", objects: ["Contact": .read])])
        var users: [User] = []
        for i in 0..<50 {
            var user = Fixture.iu(permissionSets: i % 2 == 0 ? ["PS_C"] : [])
            user.username = "u\(i)@example.com"
            users.append(user)
        }
        let all = Fixture.evaluator(org).evaluate(users)
        #expect(all.count == 50)
        #expect(all[0].effective === all[2].effective)
        #expect(all[0].effective !== all[1].effective)
        #expect(all[0].objectAccess("Contact") == .read && all[1].objectAccess("Contact").isEmpty)
    }

    @Test("Decisions encode to JSON with stable keys and lowerCamel reason kinds")
    func json() throws {
        let org = Fixture.org(
            profileGrants: Fixture.grants(fields: ["Account.Tax_Id__c": .read]),
            permissionSets: [Fixture.permissionSet("PS_A", objects: ["Account": [.read, .edit]])])
        let access = Fixture.evaluator(org).evaluate(Fixture.iu(permissionSets: ["PS_A"]))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let field = String(
            decoding: try encoder.encode(access.fieldDecision(object: "Account", field: "Tax_Id__c")),
            as: UTF8.self)
        #expect(field.contains(#""kind":"latentProfileFieldPermission""#))
        #expect(field.contains(#""wokenBy":"permissionSet:PS_A""#))
        #expect(field.contains(#""complianceGroups":["GDPR","PII"]"#))
        let object = String(
            decoding: try encoder.encode(access.objectDecision("Account", includeFields: false)),
            as: UTF8.self)
        #expect(object.contains(#""access":["Read","Edit"]"#))
        #expect(object.contains(#""sources":["permissionSet:PS_A"]"#))
    }
}
