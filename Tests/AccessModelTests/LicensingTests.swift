import Foundation
import Testing

@testable import AccessModel

@Suite("Licences and assignment validity")
struct LicensingTests {
    @Test("T07 LIC-6 a permission set bound to another user licence is refused")
    func t07() {
        let org = Fixture.org(permissionSets: [
            Fixture.permissionSet("PS_Sales", license: "Salesforce", objects: ["Custom__c": .read])
        ])
        let access = Fixture.evaluator(org).evaluate(Fixture.iu(permissionSets: ["PS_Sales"]))
        #expect(access.invalidAssignments.map(\.name) == ["PS_Sales"])
        #expect(access.invalidAssignments.first?.rule == "LIC-6")
        #expect(
            access.invalidAssignments.first?.message.hasPrefix(
                "Can't assign permission set PS_Sales to user IU.") == true)
        #expect(!access.sources.map(\.id).contains("permissionSet:PS_Sales"))
        #expect(access.objectAccess("Custom__c").isEmpty)
        let decision = access.objectDecision("Custom__c", includeFields: false)
        #expect(decision.reasons.has(.invalidAssignment, source: "permissionSet:PS_Sales"))
    }

    @Test("T07 LIC-6 even when the org does not declare the Salesforce licence")
    func t07WellKnown() {
        var org = Fixture.org(permissionSets: [Fixture.permissionSet("PS_Sales", license: "Salesforce")])
        org.userLicenses["Salesforce"] = nil
        let access = Fixture.evaluator(org).evaluate(Fixture.iu(permissionSets: ["PS_Sales"]))
        #expect(access.invalidAssignments.first?.rule == "LIC-6")
    }

    @Test("T08 LIC-7 missing PSL: the user license doesn't allow Read Accounts; with the PSL it succeeds")
    func t08() {
        let org = Fixture.org(permissionSets: [
            Fixture.permissionSet("PS_AcctRead", objects: ["Account": .read])
        ])
        let evaluator = Fixture.evaluator(org)
        let without = evaluator.evaluate(Fixture.iu(permissionSets: ["PS_AcctRead"], psls: []))
        #expect(
            without.invalidAssignments.map(\.message) == [
                "Can't assign permission set PS_AcctRead to user IU. The user license doesn't allow the permission: Read Accounts"
            ])
        #expect(without.objectAccess("Account").isEmpty)
        let name = without.fieldDecision(object: "Account", field: "Name")
        #expect(!name.read)
        #expect(name.reasons.has(.invalidAssignment, source: "permissionSet:PS_AcctRead"))
        let with = evaluator.evaluate(Fixture.iu(permissionSets: ["PS_AcctRead"]))
        #expect(with.invalidAssignments.isEmpty)
        #expect(with.objectAccess("Account") == .read)
        #expect(with.objectDecision("Account").reasons.has(.grantedBy, source: "permissionSet:PS_AcctRead"))
    }

    @Test("LIC-7 a user permission the licence does not allow is named in the message")
    func lic7UserPermission() {
        let org = Fixture.org(permissionSets: [Fixture.permissionSet("PS_VAD", permissions: ["ViewAllData"])])
        let access = Fixture.evaluator(org).evaluate(Fixture.iu(permissionSets: ["PS_VAD"], psls: []))
        #expect(
            access.invalidAssignments.first?.message
                == "Can't assign permission set PS_VAD to user IU. The user license doesn't allow the permission: ViewAllData"
        )
        #expect(!access.hasSystemPermission("ViewAllData"))
    }

    @Test("LIC-8 a PSL-bound permission set is valid and brings its PSL")
    func lic8() {
        let org = Fixture.org(permissionSets: [
            Fixture.permissionSet("PS_Api", license: Fixture.apiPSL, objects: ["Account": .read]),
            Fixture.permissionSet("PS_ContactRead", objects: ["Contact": .read]),
        ])
        let access = Fixture.evaluator(org).evaluate(
            Fixture.iu(permissionSets: ["PS_Api", "PS_ContactRead"], psls: []))
        #expect(access.invalidAssignments.isEmpty)
        #expect(access.permissionSetLicenses == [Fixture.apiPSL])
        #expect(access.objectAccess("Account") == .read)
        #expect(access.objectAccess("Contact") == .read)
    }

    @Test("T09 LIC-9 View All Data without the PSL a licensed object requires is refused")
    func t09() {
        let x = PermissionSetLicense(name: "X", objects: ObjectScope(objects: ["Licensed__c"]))
        let org = Fixture.org(
            permissionSets: [Fixture.permissionSet("PS_VAD", permissions: ["ViewAllData"])],
            extraObjects: [Fixture.licensed], extraPSLs: [x])
        let evaluator = Fixture.evaluator(org)
        let refused = evaluator.evaluate(Fixture.iu(permissionSets: ["PS_VAD"]))
        #expect(
            refused.invalidAssignments.map(\.message) == [
                "Can't assign permission set PS_VAD to user IU. The permission set contains an object that requires a license. Before continuing, assign the user to the related permission set license."
            ])
        #expect(refused.invalidAssignments.first?.rule == "LIC-9")
        let accepted = evaluator.evaluate(
            Fixture.iu(permissionSets: ["PS_VAD"], psls: [Fixture.apiPSL, "X"]))
        #expect(accepted.invalidAssignments.isEmpty)
        #expect(accepted.objectAccess("Licensed__c") == [.read, .viewAllRecords])
        #expect(accepted.objectAccess("Account") == [.read, .viewAllRecords])
    }

    @Test("LIC-9 a licence-gated object is capped without its PSL, whatever the profile says")
    func gatedObjectCapped() {
        let org = Fixture.org(
            profileGrants: Fixture.grants(objects: ["Licensed__c": .read]),
            extraObjects: [Fixture.licensed], extraPSLs: [PermissionSetLicense(name: "X")])
        let access = Fixture.evaluator(org).evaluate(Fixture.iu())
        #expect(access.objectAccess("Licensed__c").isEmpty)
        let decision = access.objectDecision("Licensed__c", includeFields: false)
        #expect(decision.reasons.has(.licenseCap, source: "license:Salesforce Integration"))
    }

    @Test("LIC-4 LIC-5 the licence caps the profile too")
    func licenceCapsProfile() {
        let org = Fixture.org(profileGrants: Fixture.grants(objects: ["Account": .read, "Custom__c": .read]))
        let access = Fixture.evaluator(org).evaluate(Fixture.iu(psls: []))
        #expect(access.objectAccess("Account").isEmpty)
        #expect(access.objectAccess("Custom__c") == .read)  // LIC-4: custom objects allowed
        let decision = access.objectDecision("Account", includeFields: false)
        #expect(decision.reasons.has(.licenseCap, permission: "Read"))
        #expect(!decision.reasons.has(.notGranted))
        #expect(access.objectDecisions(includeFields: false).map(\.object) == ["Account", "Custom__c"])
    }

    @Test("T25 PSG-7 a group needing a PSL the user lacks is refused; with the PSL it is accepted")
    func t25() {
        let x = PermissionSetLicense(name: "X", userLicenses: [], objects: ObjectScope(objects: ["Account"]))
        let org = Fixture.org(
            permissionSets: [Fixture.permissionSet("PS_X", license: "X", objects: ["Account": .read])],
            groups: [PermissionSetGroup(name: "G_X", permissionSets: ["PS_X"])], extraPSLs: [x])
        let evaluator = Fixture.evaluator(org)
        let refused = evaluator.evaluate(Fixture.iu(groups: ["G_X"], psls: []))
        #expect(refused.invalidAssignments.map(\.rule) == ["PSG-7"])
        #expect(
            refused.invalidAssignments.first?.message.hasPrefix(
                "Can't assign permission set group G_X to user IU.") == true)
        #expect(refused.objectAccess("Account").isEmpty)
        let accepted = evaluator.evaluate(Fixture.iu(groups: ["G_X"], psls: ["X"]))
        #expect(accepted.invalidAssignments.isEmpty)
        #expect(accepted.objectAccess("Account") == .read)
        #expect(
            accepted.objectDecision("Account").reasons.has(
                .grantedBy, source: "permissionSetGroup:G_X/permissionSet:PS_X"))
    }

    @Test("LIC-1 the integration profile is valid only with the Salesforce Integration licence")
    func integrationProfileNeedsIntegrationLicence() {
        let org = Fixture.org(profileGrants: Fixture.grants(objects: ["Custom__c": .read]))
        let access = Fixture.evaluator(org).evaluate(Fixture.iu(psls: [], license: "Salesforce"))
        #expect(access.invalidAssignments.map(\.kind) == [.profile])
        #expect(access.objectAccess("Custom__c").isEmpty)
    }

    @Test("An unknown licence is treated as unrestricted, with a note")
    func unknownLicence() {
        let org = Fixture.org(
            permissionSets: [Fixture.permissionSet("PS_Acct", objects: ["Account": .read])],
            extraProfiles: [Profile(name: "Standard")])
        let access = Fixture.evaluator(org).evaluate(
            Fixture.iu(permissionSets: ["PS_Acct"], psls: [], license: "Mystery", profile: "Standard"))
        #expect(!access.isLicenseKnown)
        #expect(access.invalidAssignments.isEmpty)
        #expect(access.objectAccess("Account") == .read)
        #expect(access.notes.contains { $0.contains("Mystery") })
        #expect(access.objectDecision("Account").reasons.has(.unknownLicense))
    }

    @Test("PSG-8 an expired assignment is not a source")
    func expired() {
        let org = Fixture.org(
            permissionSets: [Fixture.permissionSet("PS_Acct", objects: ["Account": .read])],
            groups: [PermissionSetGroup(name: "G", permissionSets: ["PS_Acct"])])
        var user = Fixture.iu()
        user.permissionSets = [Assignment(name: "PS_Acct", expirationDate: Fixture.now)]
        user.permissionSetGroups = [Assignment(name: "G", expirationDate: Fixture.now.addingTimeInterval(-1))]
        let access = Fixture.evaluator(org).evaluate(user)
        #expect(access.objectAccess("Account").isEmpty)
        #expect(access.sources.map(\.id) == ["profile:\(Fixture.integrationProfile)"])
        #expect(access.expiredAssignments == ["permissionSet:PS_Acct", "permissionSetGroup:G"])
        user.permissionSets = [
            Assignment(name: "PS_Acct", expirationDate: Fixture.now.addingTimeInterval(60))
        ]
        #expect(Fixture.evaluator(org).evaluate(user).objectAccess("Account") == .read)
    }
}
