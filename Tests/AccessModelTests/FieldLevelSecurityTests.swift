import Foundation
import Testing

@testable import AccessModel

@Suite("Field-level security")
struct FieldLevelSecurityTests {
    @Test("T01 OBJ-7 View All Data and Modify All Data cannot read an FLS-hidden field")
    func t01() {
        let org = Fixture.org(permissionSets: [
            Fixture.permissionSet("PS_Admin", permissions: ["ViewAllData", "ModifyAllData"])
        ])
        let access = Fixture.evaluator(org).evaluate(Fixture.iu(permissionSets: ["PS_Admin"]))
        #expect(access.invalidAssignments.isEmpty)
        #expect(
            access.objectAccess("Account") == [
                .read, .create, .edit, .delete, .viewAllRecords, .modifyAllRecords,
            ])  // OBJ-4
        #expect(access.canRead(object: "Account", field: "Name"))
        #expect(!access.canRead(object: "Account", field: "Annual_Revenue__c"))
        #expect(!access.canEdit(object: "Account", field: "Annual_Revenue__c"))
        let decision = access.fieldDecision(object: "Account", field: "Annual_Revenue__c")
        #expect(!decision.read)
        #expect(decision.reasons.has(.notGranted, permission: "Read"))
        #expect(decision.reasons.has(.viewAllDataIgnoresFLS))
        let object = access.objectDecision("Account", includeFields: false)
        #expect(object.reasons.has(.systemPermission, source: "permissionSet:PS_Admin", permission: "Read"))
        #expect(!access.readableFields(of: "Account").contains("Annual_Revenue__c"))
    }

    static func t02Org(profileExcept: Set<String> = [], inGroup: Bool = false, muteSecret: Bool = false)
        -> Org
    {
        let ps = Fixture.permissionSet("PS_ContactRead", objects: ["Contact": .read])
        let groups =
            inGroup
            ? [
                PermissionSetGroup(
                    name: "G_Contact", permissionSets: ["PS_ContactRead"], mutingPermissionSet: "M_Contact")
            ]
            : []
        let mutes =
            inGroup
            ? [
                MutingPermissionSet(
                    name: "M_Contact",
                    mutes: Fixture.grants(fields: muteSecret ? ["Contact.Secret__c": .read] : [:]))
            ] : []
        return Fixture.org(
            profileGrants: Fixture.grants(
                fields: Fixture.allFields(of: Fixture.contact, except: profileExcept)),
            permissionSets: [ps], groups: groups, mutes: mutes)
    }

    @Test("T02 FLS-5 latent profile field permissions wake on a permission set's object Read")
    func t02() {
        let evaluator = Fixture.evaluator(Self.t02Org())
        let access = evaluator.evaluate(Fixture.iu(permissionSets: ["PS_ContactRead"]))
        #expect(access.invalidAssignments.isEmpty)  // LIC-7 with the PSL
        for field in ["Id", "Email", "Phone", "Secret__c"] {
            #expect(access.canRead(object: "Contact", field: field))
            #expect(!access.canEdit(object: "Contact", field: field))  // no object Edit
        }
        let decision = access.fieldDecision(object: "Contact", field: "Secret__c")
        let latent = decision.reasons.first { $0.kind == .latentProfileFieldPermission }
        #expect(latent?.source == "profile:\(Fixture.integrationProfile)")
        #expect(latent?.wokenBy == "permissionSet:PS_ContactRead")
        #expect(latent?.message.contains("PS_ContactRead") == true)
        #expect(decision.reasons.has(.noObjectCreateOrEdit, permission: "Edit"))
    }

    @Test("FLS-5 latent profile field permission stays latent without object Read")
    func latentNotWoken() {
        let access = Fixture.evaluator(Self.t02Org()).evaluate(Fixture.iu())
        let decision = access.fieldDecision(object: "Contact", field: "Secret__c")
        #expect(!decision.read)
        #expect(decision.reasons.has(.noObjectRead))
        #expect(decision.reasons.has(.latentNotWoken, source: "profile:\(Fixture.integrationProfile)"))
        #expect(decision.reasons.has(.notGranted, permission: "Read"))
    }

    @Test("T02b FLS-5 removing the profile's field permission hides the field")
    func t02b() {
        let access = Fixture.evaluator(Self.t02Org(profileExcept: ["Secret__c"]))
            .evaluate(Fixture.iu(permissionSets: ["PS_ContactRead"]))
        #expect(!access.canRead(object: "Contact", field: "Secret__c"))
        #expect(access.canRead(object: "Contact", field: "Email"))
        let decision = access.fieldDecision(object: "Contact", field: "Secret__c")
        #expect(decision.reasons.has(.notGranted, permission: "Read"))
    }

    @Test("T02c PSG-3 muting in a group cannot remove profile-sourced FLS")
    func t02c() {
        let access = Fixture.evaluator(Self.t02Org(inGroup: true, muteSecret: true))
            .evaluate(Fixture.iu(groups: ["G_Contact"]))
        #expect(access.canRead(object: "Contact", field: "Secret__c"))
        let decision = access.fieldDecision(object: "Contact", field: "Secret__c")
        let latent = decision.reasons.first { $0.kind == .latentProfileFieldPermission }
        #expect(latent?.wokenBy == "permissionSetGroup:G_Contact/permissionSet:PS_ContactRead")
        #expect(
            decision.reasons.has(.mutedBy, source: "mutedBy:permissionSetGroup:G_Contact", permission: "Read")
        )
    }

    @Test("T02c PSG-3 muting removes a group member's own FLS")
    func mutingRemovesMemberFLS() {
        let ps = Fixture.permissionSet(
            "PS_Contact", objects: ["Contact": .read],
            fields: ["Contact.Secret__c": .edit, "Contact.Email": .read])
        let org = Fixture.org(
            permissionSets: [ps],
            groups: [PermissionSetGroup(name: "G", permissionSets: ["PS_Contact"], mutingPermissionSet: "M")],
            mutes: [
                MutingPermissionSet(name: "M", mutes: Fixture.grants(fields: ["Contact.Secret__c": .read]))
            ])
        let access = Fixture.evaluator(org).evaluate(Fixture.iu(groups: ["G"]))
        #expect(!access.canRead(object: "Contact", field: "Secret__c"))
        #expect(access.canRead(object: "Contact", field: "Email"))
        let decision = access.fieldDecision(object: "Contact", field: "Secret__c")
        #expect(decision.reasons.has(.mutedBy, source: "mutedBy:permissionSetGroup:G", permission: "Read"))
    }

    @Test("T13 FLS-7 formula field readable but never editable")
    func t13() {
        let org = Fixture.org(permissionSets: [
            Fixture.permissionSet(
                "PS_Custom", objects: ["Custom__c": [.read, .edit]],
                fields: ["Custom__c.Score__c": .edit, "Custom__c.Amount__c": .edit])
        ])
        let access = Fixture.evaluator(org).evaluate(Fixture.iu(permissionSets: ["PS_Custom"]))
        #expect(access.canRead(object: "Custom__c", field: "Score__c"))
        #expect(!access.canEdit(object: "Custom__c", field: "Score__c"))
        #expect(access.canEdit(object: "Custom__c", field: "Amount__c"))
        let decision = access.fieldDecision(object: "Custom__c", field: "Score__c")
        #expect(decision.reasons.has(.notWritableType, permission: "Edit"))
        #expect(decision.reasons.has(.grantedBy, source: "permissionSet:PS_Custom", permission: "Read"))
    }

    @Test("T15 FLS-6 always-visible fields with object Read and no field permissions")
    func t15() {
        let org = Fixture.org(permissionSets: [
            Fixture.permissionSet("PS_ContactRead", objects: ["Contact": .read])
        ])
        let access = Fixture.evaluator(org).evaluate(Fixture.iu(permissionSets: ["PS_ContactRead"]))
        for field in ["Id", "LastName", "Name", "CreatedDate", "OwnerId"] {
            #expect(access.canRead(object: "Contact", field: field), "\(field)")
        }
        #expect(!access.canRead(object: "Contact", field: "Email"))
        #expect(access.fieldDecision(object: "Contact", field: "CreatedDate").reasons.has(.alwaysReadable))
    }

    @Test("T16 OBJ-3 View All Fields grants read only; required fields still writable (FLS-6)")
    func t16() {
        let org = Fixture.org(permissionSets: [
            Fixture.permissionSet("PS_Lead", objects: ["Lead": [.read, .edit, .viewAllFields]])
        ])
        let access = Fixture.evaluator(org).evaluate(Fixture.iu(permissionSets: ["PS_Lead"]))
        for field in Fixture.lead.fields.keys {
            #expect(access.canRead(object: "Lead", field: field), "\(field)")
        }
        #expect(!access.canEdit(object: "Lead", field: "Email"))
        #expect(!access.canEdit(object: "Lead", field: "Status"))
        #expect(access.canEdit(object: "Lead", field: "LastName"))
        #expect(access.canEdit(object: "Lead", field: "Company"))
        let email = access.fieldDecision(object: "Lead", field: "Email")
        #expect(email.reasons.has(.viewAllFields, source: "permissionSet:PS_Lead"))
        #expect(email.reasons.has(.notGranted, permission: "Edit"))
        #expect(access.fieldDecision(object: "Lead", field: "Company").reasons.has(.alwaysEditable))
    }

    @Test("T17 CLS-6 classification never changes a decision")
    func t17() {
        let ps = Fixture.permissionSet(
            "PS_Acct", objects: ["Account": .read], fields: ["Account.Tax_Id__c": .read])
        var org = Fixture.org(permissionSets: [ps])
        let user = Fixture.iu(permissionSets: ["PS_Acct"])
        let before = Fixture.evaluator(org).fieldDecision(user, object: "Account", field: "Tax_Id__c")
        #expect(before.read)
        #expect(before.classification.securityClassification == "Restricted")
        org.objects["Account"]!.fields["Tax_Id__c"]!.classification = Classification(
            securityClassification: "MissionCritical")
        let after = Fixture.evaluator(org).fieldDecision(user, object: "Account", field: "Tax_Id__c")
        #expect(after.read == before.read && after.edit == before.edit && after.masked == before.masked)
        #expect(after.reasons == before.reasons)
    }

    @Test("T18 CLS-7 Shield encryption returns plaintext to a reader without View Encrypted Data")
    func t18() {
        let org = Fixture.org(permissionSets: [
            Fixture.permissionSet("PS_C", objects: ["Contact": .read], fields: ["Contact.SSN__c": .read])
        ])
        let decision = Fixture.evaluator(org).fieldDecision(
            Fixture.iu(permissionSets: ["PS_C"]), object: "Contact", field: "SSN__c")
        #expect(decision.read)
        #expect(!decision.masked)
        #expect(decision.reasons.has(.shieldEncryption))
    }

    @Test("T19 CLS-9 Classic encryption masked without View Encrypted Data, plaintext with it")
    func t19() {
        let org = Fixture.org(permissionSets: [
            Fixture.permissionSet("PS_C", objects: ["Contact": .read], fields: ["Contact.Card__c": .read]),
            Fixture.permissionSet("PS_VED", permissions: ["ViewEncryptedData"]),
        ])
        let evaluator = Fixture.evaluator(org)
        let masked = evaluator.fieldDecision(
            Fixture.iu(permissionSets: ["PS_C"]), object: "Contact", field: "Card__c")
        #expect(masked.read && masked.masked)
        #expect(masked.reasons.has(.maskedClassicEncryption))
        let plain = evaluator.fieldDecision(
            Fixture.iu(permissionSets: ["PS_C", "PS_VED"]), object: "Contact", field: "Card__c")
        #expect(plain.read && !plain.masked)
        #expect(plain.reasons.has(.viewEncryptedData))
    }

    @Test("FLS-4 field permission without object Read has no effect")
    func fieldWithoutObject() {
        let org = Fixture.org(permissionSets: [
            Fixture.permissionSet("PS_F", fields: ["Contact.Email": .edit])
        ])
        let decision = Fixture.evaluator(org).fieldDecision(
            Fixture.iu(permissionSets: ["PS_F"]), object: "Contact", field: "Email")
        #expect(!decision.read && !decision.edit)
        #expect(decision.reasons.has(.noObjectRead))
    }

    @Test("FLS-2 editable field permission implies readable; edit needs object Edit")
    func editImpliesRead() {
        let org = Fixture.org(permissionSets: [
            Fixture.permissionSet("PS_R", objects: ["Contact": .read], fields: ["Contact.Email": .edit]),
            Fixture.permissionSet("PS_E", objects: ["Contact": .edit]),
        ])
        let evaluator = Fixture.evaluator(org)
        let readOnly = evaluator.fieldDecision(
            Fixture.iu(permissionSets: ["PS_R"]), object: "Contact", field: "Email")
        #expect(readOnly.read && !readOnly.edit)
        let both = evaluator.fieldDecision(
            Fixture.iu(permissionSets: ["PS_R", "PS_E"]), object: "Contact", field: "Email")
        #expect(both.read && both.edit)
        #expect(both.reasons.has(.grantedBy, source: "permissionSet:PS_R", permission: "Edit"))
    }

    @Test("Unknown object and field give a denial with a reason")
    func unknownNames() {
        let access = Fixture.evaluator(Fixture.org()).evaluate(Fixture.iu())
        #expect(access.fieldDecision(object: "Nope__c", field: "X").reasons.has(.unknownObject))
        let field = access.fieldDecision(object: "Contact", field: "Emial")
        #expect(field.reasons.has(.unknownField))
        #expect(field.reasons.first?.message.contains("Email") == true)
    }
}
