import AccessModel
import Foundation
import Governance
import Testing

typealias F = GovFixture

/// Each finding rule: a scenario that raises it and one that must not (no false positive).
@Suite("finding rules")
struct FindingRuleTests {
    static let contactRead = F.set("Contact_Read", ["Contact": .read])
    static let accountRead = F.set("Account_Read", ["Account": .read])

    // MARK: KH-TIER3-ACCESS

    @Test("KH-TIER3-ACCESS fires when the integration reads a tier-3 field without an approval")
    func tier3Fires() throws {
        let org = F.org(
            sets: [F.set("Sync", ["Contact": .read], fields: ["Contact.SSN__c": .read])], assign: ["Sync"])
        let report = F.audit(org)
        let finding = try #require(report.on(.tier3Access, "Contact.SSN__c"))
        #expect(finding.severity == .error)
        #expect(finding.user == F.iu)
        #expect(finding.source == "permissionSet:Sync")
        #expect(finding.file == "permissionSet:Sync.xml")
        #expect(finding.line == F.entryLine(.fieldPermissions, "Contact.SSN__c"))
        #expect(
            finding.fix.contains(
                "<readable>false</readable> and <editable>false</editable> on Contact.SSN__c"))
        #expect(finding.fix.contains("approvedBy"))
    }

    @Test("KH-TIER3-ACCESS: an approval with only a justification is not enough")
    func tier3NeedsApprover() {
        let org = F.org(
            sets: [F.set("Sync", ["Contact": .read], fields: ["Contact.SSN__c": .read])], assign: ["Sync"])
        let policy = Policy(approvals: [Approval(user: F.iu, field: "Contact.SSN__c", justification: "KYC")])
        #expect(F.audit(org, policy: policy).on(.tier3Access, "Contact.SSN__c") != nil)
    }

    @Test("KH-TIER3-ACCESS: no finding with an approval naming an approver, or without the read")
    func tier3Quiet() {
        let reads = F.org(
            sets: [F.set("Sync", ["Contact": .read], fields: ["Contact.SSN__c": .read])], assign: ["Sync"])
        let policy = Policy(approvals: [
            Approval(user: F.iu, field: "Contact.SSN__c", justification: "KYC", approvedBy: "ciso@x")
        ])
        #expect(F.audit(reads, policy: policy).with(.tier3Access).isEmpty)
        let noRead = F.org(sets: [Self.contactRead], assign: ["Contact_Read"])
        #expect(F.audit(noRead).with(.tier3Access).isEmpty)
    }

    @Test("KH-TIER3-ACCESS: a compliance group mapped to tier 3 makes an Internal field tier 3")
    func complianceTier() {
        var contact = F.contact()
        contact.fields["Email"]?.classification.complianceGroups = ["GLBA"]
        let org = F.org(
            sets: [F.set("Sync", ["Contact": .read], fields: ["Contact.Email": .read])], assign: ["Sync"],
            objects: [F.account(), contact])
        #expect(F.audit(org).on(.tier3Access, "Contact.Email") == nil)
        #expect(
            F.audit(org, policy: Policy(complianceTiers: ["GLBA": 3])).on(.tier3Access, "Contact.Email")
                != nil)
    }

    // MARK: KH-TIER2-UNJUSTIFIED

    @Test("KH-TIER2-UNJUSTIFIED fires when the integration reads a tier-2 field without a justification")
    func tier2Fires() throws {
        let org = F.org(
            sets: [F.set("Sync", ["Account": .read], fields: ["Account.Annual_Revenue__c": .read])],
            assign: ["Sync"])
        let finding = try #require(F.audit(org).on(.tier2Unjustified, "Account.Annual_Revenue__c"))
        #expect(finding.severity == .warning)
        #expect(finding.source == "permissionSet:Sync")
    }

    @Test("KH-TIER2-UNJUSTIFIED: no finding with a written justification")
    func tier2Quiet() {
        let org = F.org(
            sets: [F.set("Sync", ["Account": .read], fields: ["Account.Annual_Revenue__c": .read])],
            assign: ["Sync"])
        let policy = Policy(approvals: [
            Approval(user: F.iu, field: "Account.Annual_Revenue__c", justification: "Lead scoring")
        ])
        #expect(F.audit(org, policy: policy).with(.tier2Unjustified).isEmpty)
    }

    // MARK: KH-LATENT-FLS

    @Test("KH-LATENT-FLS fires when the profile's latent SSN__c entry is woken")
    func latentFires() throws {
        let org = F.org(
            profile: F.grants(fields: ["Contact.SSN__c": .read, "Contact.Phone": .read]),
            sets: [Self.contactRead],
            assign: ["Contact_Read"])
        let report = F.audit(org)
        let ssn = try #require(report.on(.latentFLS, "Contact.SSN__c"))
        #expect(ssn.severity == .error)
        #expect(ssn.source == "profile:\(F.integrationProfile)")
        #expect(ssn.message.contains("permissionSet:Contact_Read"))
        #expect(ssn.message.contains("FLS-5"))
        #expect(ssn.file == "profile:\(F.integrationProfile).xml")
        #expect(ssn.line == F.entryLine(.fieldPermissions, "Contact.SSN__c"))
        #expect(ssn.fix.contains("deleting the entry does not remove access on deploy"))
        // A tier-1 woken entry is a warning.
        #expect(report.on(.latentFLS, "Contact.Phone")?.severity == .warning)
        // And the woken SSN__c is also an unapproved tier-3 read, sourced at the profile.
        #expect(report.on(.tier3Access, "Contact.SSN__c")?.source == "profile:\(F.integrationProfile)")
    }

    @Test("KH-LATENT-FLS: no finding when the profile entry is false")
    func latentQuietWhenFalse() {
        let org = F.org(
            profile: F.grants(fields: ["Contact.SSN__c": .none]), sets: [Self.contactRead],
            assign: ["Contact_Read"])
        let report = F.audit(org)
        #expect(report.with(.latentFLS).isEmpty)
        #expect(report.with(.tier3Access).isEmpty)
    }

    @Test("KH-LATENT-FLS: no finding when the profile itself grants the object Read (not latent)")
    func latentQuietWhenProfileReads() {
        let org = F.org(profile: F.grants(["Contact": .read], fields: ["Contact.Phone": .read]))
        #expect(F.audit(org).with(.latentFLS).isEmpty)
    }

    @Test(
        "KH-LATENT-FLS: a dormant entry is reported once per field as waking if a permission set were assigned"
    )
    func latentWouldWake() throws {
        let org = F.org(
            profile: F.grants(fields: ["Contact.SSN__c": .read, "Contact.Phone": .read]),
            sets: [Self.contactRead, F.set("Contact_Edit", ["Contact": [.read, .edit]])])
        let report = F.audit(org)
        let ssn = report.with(.latentFLS).filter { $0.field == "SSN__c" }
        #expect(ssn.count == 1)
        let finding = try #require(ssn.first)
        #expect(finding.severity == .warning)
        #expect(finding.message.contains("would become effective if permission set 'Contact_Edit'"))
        #expect(finding.message.contains("1 other permission sets"))
        #expect(report.on(.latentFLS, "Contact.Phone")?.severity == .info)
        #expect(report.with(.tier3Access).isEmpty)
    }

    @Test("KH-LATENT-FLS: no would-wake finding when no permission set grants the object Read")
    func latentWouldWakeQuiet() {
        let org = F.org(profile: F.grants(fields: ["Contact.SSN__c": .read]), sets: [Self.accountRead])
        #expect(F.audit(org).with(.latentFLS).isEmpty)
    }

    // MARK: KH-MUTING-INEFFECTIVE

    static func mutingOrg(profile: PermissionGrants) -> Org {
        F.org(
            profile: profile,
            sets: [F.set("Steward", ["Contact": [.read, .edit]], fields: ["Contact.Email": .edit])],
            groups: [
                PermissionSetGroup(name: "Ops", permissionSets: ["Steward"], mutingPermissionSet: "Ops_Mute")
            ],
            mutes: [
                MutingPermissionSet(
                    name: "Ops_Mute", mutes: F.grants(["Contact": .edit], fields: ["Contact.Email": .read]))
            ],
            users: [F.user(groups: ["Ops"])])
    }

    @Test("KH-MUTING-INEFFECTIVE fires when the profile still grants what the group mutes (PSG-3)")
    func mutingFires() throws {
        let org = Self.mutingOrg(
            profile: F.grants(["Contact": [.read, .edit]], fields: ["Contact.Email": .read]))
        let report = F.audit(org)
        let email = try #require(report.on(.mutingIneffective, "Contact.Email"))
        #expect(email.severity == .warning)
        #expect(email.source == "mutedBy:permissionSetGroup:Ops")
        #expect(email.file == "mutingPermissionSet:Ops_Mute.xml")
        #expect(email.message.contains("profile:\(F.integrationProfile)"))
        #expect(email.fix.contains("profile '\(F.integrationProfile)'"))
        let edit = try #require(
            report.with(.mutingIneffective).first { $0.field == nil && $0.object == "Contact" })
        #expect(edit.message.contains("Edit on Contact"))
    }

    @Test("KH-MUTING-INEFFECTIVE: no finding when the muting removes what only the group grants")
    func mutingQuiet() {
        let org = Self.mutingOrg(profile: PermissionGrants())
        #expect(F.audit(org).with(.mutingIneffective).isEmpty)
    }

    // MARK: KH-VIEW-ALL-DATA / KH-MODIFY-ALL-DATA

    @Test("KH-VIEW-ALL-DATA fires for an integration with View All Data, naming the source and its line")
    func viewAllDataFires() throws {
        let org = F.org(sets: [F.set("Everything", permissions: ["ViewAllData"])], assign: ["Everything"])
        let finding = try #require(F.audit(org).with(.viewAllData).first)
        #expect(finding.severity == .error)
        #expect(finding.source == "permissionSet:Everything")
        #expect(finding.line == F.entryLine(.userPermissions, "ViewAllData"))
        #expect(F.audit(org).with(.modifyAllData).isEmpty)
    }

    @Test("KH-MODIFY-ALL-DATA fires for an integration with Modify All Data")
    func modifyAllDataFires() throws {
        let org = F.org(sets: [F.set("Admin_Like", permissions: ["ModifyAllData"])], assign: ["Admin_Like"])
        let report = F.audit(org)
        let finding = try #require(report.with(.modifyAllData).first)
        #expect(finding.severity == .error)
        #expect(finding.source == "permissionSet:Admin_Like")
        // View All Data is implied, not granted: one finding, on Modify All Data.
        #expect(report.with(.viewAllData).isEmpty)
    }

    @Test("KH-VIEW-ALL-DATA / KH-MODIFY-ALL-DATA: no finding without them, nor for non-integration users")
    func systemPermissionsQuiet() {
        let plain = F.org(sets: [Self.contactRead], assign: ["Contact_Read"])
        #expect(F.audit(plain).with(.viewAllData).isEmpty)
        #expect(F.audit(plain).with(.modifyAllData).isEmpty)
        let human = F.org(
            sets: [F.set("Everything", permissions: ["ModifyAllData"])],
            users: [F.user("ada@x", license: "Salesforce", profile: "Standard", sets: ["Everything"])])
        #expect(F.audit(human).findings.isEmpty)
        #expect(F.audit(human).users.isEmpty)
    }

    // MARK: KH-FLS-QUERY-WILL-FAIL

    @Test("KH-FLS-QUERY-WILL-FAIL fires when an approved field is not readable")
    func queryWillFailFires() throws {
        let org = F.org(sets: [Self.contactRead], assign: ["Contact_Read"])
        let policy = Policy(approvals: [
            Approval(user: F.iu, field: "Contact.SSN__c", approvedBy: "ciso@x", line: 7)
        ])
        let finding = try #require(F.audit(org, policy: policy).on(.flsQueryWillFail, "Contact.SSN__c"))
        #expect(finding.severity == .error)
        #expect(finding.message.contains("INVALID_FIELD"))
        #expect(finding.source == "permissionSet:Contact_Read")
        #expect(finding.fix.contains("keyhole.yaml:7"))
    }

    @Test("KH-FLS-QUERY-WILL-FAIL: no finding when the approved field is readable")
    func queryWillFailQuiet() {
        let org = F.org(
            sets: [F.set("Sync", ["Contact": .read], fields: ["Contact.SSN__c": .read])], assign: ["Sync"])
        let policy = Policy(approvals: [Approval(user: F.iu, field: "Contact.SSN__c", approvedBy: "ciso@x")])
        #expect(F.audit(org, policy: policy).with(.flsQueryWillFail).isEmpty)
    }

    // MARK: KH-INTEGRATION-LICENSE

    @Test("KH-INTEGRATION-LICENSE fires for a listed integration user on a full Salesforce licence")
    func licenseFires() throws {
        let org = F.org(users: [F.user("etl@x", license: "Salesforce", profile: "Standard")])
        let policy = Policy(integrationUsers: ["etl@x"])
        let finding = try #require(F.audit(org, policy: policy).with(.integrationLicense).first)
        #expect(finding.severity == .warning)
        #expect(finding.source == "license:Salesforce")
        #expect(finding.file == "keyhole.yaml")
    }

    @Test("KH-INTEGRATION-LICENSE fires for the users beyond the 5 free Integration licences (LIC-13)")
    func licenseAllocation() {
        let users = (1...7).map { F.user("iu\($0)@x") }
        let report = F.audit(F.org(users: users))
        #expect(report.with(.integrationLicense).map(\.user) == ["iu6@x", "iu7@x"])
        #expect(F.audit(F.org(users: Array(users.prefix(5)))).with(.integrationLicense).isEmpty)
    }

    @Test("KH-INTEGRATION-LICENSE: no finding for an integration user on the Integration licence")
    func licenseQuiet() {
        #expect(F.audit(F.org()).with(.integrationLicense).isEmpty)
    }

    // MARK: KH-INVALID-ASSIGNMENT

    @Test("KH-INVALID-ASSIGNMENT fires for a permission set bound to the Salesforce licence (LIC-6)")
    func invalidAssignmentFires() throws {
        let org = F.org(
            sets: [F.set("Bound", license: "Salesforce", ["Contact": .read])], assign: ["Bound"])
        let finding = try #require(F.audit(org).with(.invalidAssignment).first)
        #expect(finding.severity == .error)
        #expect(finding.source == "permissionSet:Bound")
        #expect(finding.message.contains("Can't assign permission set"))
        #expect(finding.file == "keyhole.yaml")
        #expect(finding.line == 3)
    }

    @Test("KH-INVALID-ASSIGNMENT: no finding for a licence-independent permission set")
    func invalidAssignmentQuiet() {
        let org = F.org(sets: [Self.contactRead], assign: ["Contact_Read"])
        #expect(F.audit(org).with(.invalidAssignment).isEmpty)
    }

    // MARK: KH-ENCRYPTED-MASKED

    @Test(
        "KH-ENCRYPTED-MASKED fires when the integration reads a Classic encrypted field without View Encrypted Data"
    )
    func maskedFires() throws {
        let org = F.org(
            sets: [F.set("Sync", ["Account": .read], fields: ["Account.Card__c": .read])], assign: ["Sync"])
        let finding = try #require(F.audit(org).on(.encryptedMasked, "Account.Card__c"))
        #expect(finding.severity == .warning)
        #expect(finding.message.contains("CLS-9"))
    }

    @Test("KH-ENCRYPTED-MASKED: no finding with View Encrypted Data")
    func maskedQuiet() {
        let org = F.org(
            sets: [
                F.set(
                    "Sync", ["Account": .read], fields: ["Account.Card__c": .read],
                    permissions: ["ViewEncryptedData"])
            ], assign: ["Sync"])
        #expect(F.audit(org).with(.encryptedMasked).isEmpty)
    }

    // MARK: KH-RECORDS-UNRESTRICTED

    @Test("KH-RECORDS-UNRESTRICTED fires for View All on an object with tier-3 fields")
    func recordsViewAll() throws {
        let org = F.org(sets: [F.set("Extract", ["Contact": [.read, .viewAllRecords]])], assign: ["Extract"])
        let finding = try #require(F.audit(org).with(.recordsUnrestricted).first)
        #expect(finding.object == "Contact")
        #expect(finding.source == "permissionSet:Extract")
        #expect(finding.line == F.entryLine(.objectPermissions, "Contact"))
    }

    @Test("KH-RECORDS-UNRESTRICTED fires for a public read org-wide default")
    func recordsPublicDefault() throws {
        let org = F.org(
            sets: [Self.contactRead], assign: ["Contact_Read"],
            objects: [F.account(), F.contact(sharing: .read)])
        let finding = try #require(F.audit(org).with(.recordsUnrestricted).first)
        #expect(finding.source == "object:Contact")
        #expect(finding.message.contains("Public Read Only"))
    }

    @Test("KH-RECORDS-UNRESTRICTED: no finding with a private default and no View All")
    func recordsQuiet() {
        let org = F.org(sets: [Self.contactRead], assign: ["Contact_Read"])
        #expect(F.audit(org).with(.recordsUnrestricted).isEmpty)
        // Nor for an object without tier-2/3 fields.
        let plain = F.object("Note__c", sharing: .readWrite, [F.field("Body__c")])
        let org2 = F.org(
            sets: [F.set("Notes", ["Note__c": .read])], assign: ["Notes"],
            objects: [F.account(), F.contact(), plain])
        #expect(F.audit(org2).with(.recordsUnrestricted).isEmpty)
    }

    // MARK: KH-APPROVAL-EXPIRED / KH-APPROVAL-UNUSED

    @Test("KH-APPROVAL-EXPIRED fires for an approval past its date, and it no longer covers the read")
    func expiredFires() throws {
        let org = F.org(
            sets: [F.set("Sync", ["Account": .read], fields: ["Account.Annual_Revenue__c": .read])],
            assign: ["Sync"])
        let policy = Policy(approvals: [
            Approval(
                user: F.iu, field: "Account.Annual_Revenue__c", justification: "x", expires: F.yesterday,
                line: 9)
        ])
        let report = F.audit(org, policy: policy)
        let finding = try #require(report.on(.approvalExpired, "Account.Annual_Revenue__c"))
        #expect(finding.line == 9)
        #expect(finding.file == "keyhole.yaml")
        #expect(report.on(.tier2Unjustified, "Account.Annual_Revenue__c") != nil)
    }

    @Test("KH-APPROVAL-EXPIRED: no finding for an approval that expires later")
    func expiredQuiet() {
        let org = F.org(
            sets: [F.set("Sync", ["Account": .read], fields: ["Account.Annual_Revenue__c": .read])],
            assign: ["Sync"])
        let policy = Policy(approvals: [
            Approval(user: F.iu, field: "Account.Annual_Revenue__c", justification: "x", expires: F.nextYear)
        ])
        let report = F.audit(org, policy: policy)
        #expect(report.with(.approvalExpired).isEmpty)
        #expect(report.with(.tier2Unjustified).isEmpty)
    }

    @Test("KH-APPROVAL-UNUSED fires for an edit approval on a field the user can only read")
    func unusedFires() throws {
        let org = F.org(
            sets: [F.set("Sync", ["Account": .read], fields: ["Account.Annual_Revenue__c": .read])],
            assign: ["Sync"])
        let policy = Policy(approvals: [
            Approval(user: F.iu, field: "Account.Annual_Revenue__c", access: .edit, justification: "x")
        ])
        let finding = try #require(
            F.audit(org, policy: policy).on(.approvalUnused, "Account.Annual_Revenue__c"))
        #expect(finding.severity == .warning)
        #expect(finding.fix.contains("access: read"))
    }

    @Test("KH-APPROVAL-UNUSED: no finding when the user has the approved access")
    func unusedQuiet() {
        let org = F.org(
            sets: [F.set("Sync", ["Account": [.read, .edit]], fields: ["Account.Annual_Revenue__c": .edit])],
            assign: ["Sync"])
        let policy = Policy(approvals: [
            Approval(user: F.iu, field: "Account.Annual_Revenue__c", access: .edit, justification: "x")
        ])
        #expect(F.audit(org, policy: policy).with(.approvalUnused).isEmpty)
    }

    // MARK: KH-PROFILE-PERMISSIONS

    @Test("KH-PROFILE-PERMISSIONS reports a profile carrying field permissions (EOL-1, EOL-2)")
    func profilePermissionsFires() throws {
        let org = F.org(profile: F.grants(fields: ["Contact.Phone": .read]))
        let finding = try #require(F.audit(org).with(.profilePermissions).first)
        #expect(finding.severity == .info)
        #expect(finding.source == "profile:\(F.integrationProfile)")
        #expect(finding.message.contains("1 field permission"))
    }

    @Test("KH-PROFILE-PERMISSIONS: no finding for a profile with only the locked API permissions")
    func profilePermissionsQuiet() {
        let org = F.org(profile: F.grants(permissions: ["ApiEnabled", "ApiUserOnly"]))
        #expect(F.audit(org).with(.profilePermissions).isEmpty)
    }
}
