import Foundation
import Testing

@testable import AccessModel

/// `OrgChange`: parsing the command-line spelling, applying changes in memory, and typed errors with
/// stable codes and did-you-mean hints. `AccessDiff` on the result.
@Suite("OrgChange and AccessDiff")
struct OrgChangeTests {
    let ssn = "Contact.SSN__c"

    /// The integration user with a permission set giving Read on Contact, a profile entry for SSN__c
    /// (latent until then, FLS-5), and a group `G` around a second set that also grants SSN__c.
    func org() -> Org {
        var contact = Fixture.contact
        contact.fields["SSN__c"] = Field(
            name: "SSN__c", type: .text,
            classification: Classification(securityClassification: "Restricted", complianceGroups: ["PII"]))
        var org = Fixture.org(
            profileGrants: PermissionGrants(fields: [ssn: .read], userPermissions: ["ApiEnabled": true]),
            permissionSets: [
                Fixture.permissionSet("Contact_Read", objects: ["Contact": [.read]]),
                Fixture.permissionSet("Contact_SSN", objects: ["Contact": [.read]], fields: [ssn: .read]),
            ],
            groups: [PermissionSetGroup(name: "G", permissionSets: ["Contact_SSN"], status: "Updated")],
            extraObjects: [])
        org.objects["Contact"] = contact
        org.users = [Fixture.iu(permissionSets: ["Contact_Read"])]
        return org
    }

    @Test("parses the command-line spellings")
    func parsing() throws {
        let parsed: [(OrgChange, OrgChange)] = [
            (
                try OrgChange.parseAssign("permissionSet:HubSpot", user: "u"),
                .assign(user: "u", permissionSet: "HubSpot")
            ),
            (
                try OrgChange.parseAssign("permissionSetGroup:G", user: "u"),
                .assignGroup(user: "u", group: "G")
            ),
            (
                try OrgChange.parseUnassign("permissionSet:HubSpot", user: "u"),
                .unassign(user: "u", source: "permissionSet:HubSpot")
            ),
            (try OrgChange.parseMute("permissionSetGroup:G/Contact.SSN__c"), .mute(group: "G", field: ssn)),
            (
                try OrgChange.parseMute("permissionSetGroup:G/Contact.SSN__c=edit"),
                .mute(group: "G", field: ssn, access: .edit)
            ),
            (
                try OrgChange.parseSetFLS(
                    "profile:Minimum Access - API Only Integrations/Contact.SSN__c=none"),
                .setFLS(source: "profile:Minimum Access - API Only Integrations", field: ssn, access: .none)
            ),
            (
                try OrgChange.parseSetFLS("permissionSet:S/Account.Name=EDIT"),
                .setFLS(source: "permissionSet:S", field: "Account.Name", access: .edit)
            ),
        ]
        for (actual, expected) in parsed { #expect(actual == expected) }
    }

    @Test(
        "syntax errors say what the option takes (KH-CHANGE-SYNTAX)",
        arguments: [
            "profile:P/Contact.SSN__c", "profile:P/Contact.SSN__c=maybe",
            "permissionSetGroup:G/Contact.SSN__c=read",
            "Contact.SSN__c=read", "profile:P/SSN__c=read",
        ])
    func setFLSSyntax(_ text: String) {
        let error = syntaxError { () throws(OrgChangeError) in _ = try OrgChange.parseSetFLS(text) }
        #expect(error?.code == .syntax)
        #expect(error?.message.contains("--set-fls takes") == true)
    }

    @Test("a profile cannot be assigned or unassigned; --mute needs a group and a field")
    func otherSyntax() {
        #expect(
            syntaxError { () throws(OrgChangeError) in
                _ = try OrgChange.parseAssign("profile:Admin", user: "u")
            } != nil)
        #expect(
            syntaxError { () throws(OrgChangeError) in _ = try OrgChange.parseUnassign("HubSpot", user: "u") }
                != nil)
        #expect(
            syntaxError { () throws(OrgChangeError) in
                _ = try OrgChange.parseMute("permissionSet:S/Contact.SSN__c")
            } != nil)
        #expect(
            syntaxError { () throws(OrgChangeError) in _ = try OrgChange.parseMute("permissionSetGroup:G") }
                != nil)
    }

    @Test("unknown names fail with a stable code and a did-you-mean hint; the org is left unchanged")
    func unknownNames() throws {
        let original = org()
        func failure(_ change: OrgChange) -> OrgChangeError? {
            var copy = original
            do throws(OrgChangeError) {
                try OrgChange.apply(
                    [
                        .setFLS(source: "profile:\(Fixture.integrationProfile)", field: ssn, access: .none),
                        change,
                    ], to: &copy)
                return nil
            } catch {
                #expect(copy == original)
                return error
            }
        }
        let user = failure(.assign(user: "iu@exampel.com", permissionSet: "Contact_SSN"))
        #expect(user?.code == .unknownUser)
        #expect(user?.suggestion == "iu@example.com")
        #expect(user?.description.hasSuffix("Did you mean 'iu@example.com'?") == true)

        let set = failure(.assign(user: "iu@example.com", permissionSet: "Contact_SNN"))
        #expect(set?.code == .unknownSource)
        #expect(set?.suggestion == "Contact_SSN")

        let field = failure(
            .setFLS(source: "profile:\(Fixture.integrationProfile)", field: "Contact.SNN__c", access: .read))
        #expect(field?.code == .unknownField)
        #expect(field?.suggestion == ssn)

        let object = failure(.mute(group: "G", field: "Contcat.SSN__c"))
        #expect(object?.code == .unknownObject)
        #expect(object?.suggestion == "Contact")

        let profile = failure(
            .setFLS(source: "profile:Minimum Access - API Only Integration", field: ssn, access: .read))
        #expect(profile?.code == .unknownSource)
        #expect(profile?.suggestion == Fixture.integrationProfile)

        let group = failure(.setFLS(source: "permissionSetGroup:G", field: ssn, access: .read))
        #expect(group?.code == .syntax)

        let notAssigned = failure(.unassign(user: "iu@example.com", source: "permissionSet:Contact_Rea"))
        #expect(notAssigned?.code == .notAssigned)
        #expect(notAssigned?.suggestion == "permissionSet:Contact_Read")

        let twice = failure(.assign(user: "iu@example.com", permissionSet: "Contact_Read"))
        #expect(twice?.code == .alreadyAssigned)

        let permission = failure(
            .removeUserPermission(source: "profile:\(Fixture.integrationProfile)", permission: "ApiEnable"))
        #expect(permission?.code == .notGranted)
        #expect(permission?.suggestion == "ApiEnabled")

        let dependency = failure(
            .setObjectAccess(source: "permissionSet:Contact_Read", object: "Contact", access: [.edit]))
        #expect(dependency?.code == .objectDependency)

        let idField = failure(
            .setFLS(source: "permissionSet:Contact_Read", field: "Contact.Id", access: .none))
        #expect(idField?.code == .fieldNotControllable)
    }

    @Test(
        "FLS-5 setFLS writes an explicit false entry (never deletes it), and the profile entry then removes the field"
    )
    func setFLSNone() throws {
        var org = org()
        let before = Fixture.evaluator(org).evaluate(org.users[0])
        #expect(before.canRead(object: "Contact", field: "SSN__c"))
        try OrgChange.setFLS(source: "profile:\(Fixture.integrationProfile)", field: ssn, access: .none)
            .apply(to: &org)
        #expect(org.profiles[Fixture.integrationProfile]?.grants.fields[ssn] == FieldAccess.none)
        let after = Fixture.evaluator(org).evaluate(org.users[0])
        #expect(!after.canRead(object: "Contact", field: "SSN__c"))
    }

    @Test("assign and unassign change the user's sources; removeUserPermission keeps an enabled=false entry")
    func assignments() throws {
        var org = org()
        try OrgChange.apply(
            [
                .unassign(user: "IU@example.com", source: "permissionSet:Contact_Read"),
                .assignGroup(user: "iu@example.com", group: "g"),
                .removeUserPermission(
                    source: "profile:\(Fixture.integrationProfile)", permission: "ApiEnabled"),
            ], to: &org)
        #expect(org.users[0].permissionSets.isEmpty)
        #expect(org.users[0].permissionSetGroups.map(\.name) == ["G"])
        #expect(org.profiles[Fixture.integrationProfile]?.grants.userPermissions["ApiEnabled"] == false)
    }

    @Test("PSG-2 mute creates the group's muting set when it has none, and adds to it when it has one")
    func muteCreatesMutingSet() throws {
        var org = org()
        try OrgChange.mute(group: "G", field: ssn).apply(to: &org)
        let name = try #require(org.permissionSetGroups["G"]?.mutingPermissionSet)
        #expect(name == "G_Muting")
        #expect(org.mutingPermissionSets[name]?.mutes.fields[ssn] == .read)
        try OrgChange.muteObject(group: "G", object: "Contact", access: [.edit]).apply(to: &org)
        #expect(org.mutingPermissionSets[name]?.mutes.objects["Contact"] == [.edit])
        #expect(org.mutingPermissionSets.count == 1)
    }

    @Test(
        "PSG-3 muting a field in a group does not remove what the profile gives; the diff shows nothing for SSN__c"
    )
    func mutingCannotRemoveProfileFLS() throws {
        var before = org()
        before.users[0].permissionSets = []
        before.users[0].permissionSetGroups = [Assignment(name: "G")]
        var after = before
        try OrgChange.mute(group: "G", field: ssn).apply(to: &after)
        let diff = AccessDiff.compare(before: before, after: after, now: Fixture.now)
        #expect(diff.changes.isEmpty)
        #expect(Fixture.evaluator(after).evaluate(after.users[0]).canRead(object: "Contact", field: "SSN__c"))
    }

    @Test(
        "PSG-4 muting removes what only the group gives: the diff lists the field as narrowed, with its classification"
    )
    func mutingRemovesGroupOnlyField() throws {
        var before = org()
        before.profiles[Fixture.integrationProfile]?.grants.fields = [:]
        before.users[0].permissionSets = []
        before.users[0].permissionSetGroups = [Assignment(name: "G")]
        var after = before
        try OrgChange.mute(group: "G", field: ssn).apply(to: &after)
        let diff = AccessDiff.compare(before: before, after: after, now: Fixture.now)
        let change = try #require(diff.changes.first)
        #expect(diff.changes.count == 1)
        #expect(change.kind == .field)
        #expect(change.target == ssn)
        #expect(change.before == "read" && change.after == "none")
        #expect(change.isNarrowing && !change.isWidening)
        #expect(change.classification?.securityClassification == "Restricted")
        #expect(change.user == "iu@example.com")
    }

    @Test("AccessDiff lists object and field changes in both directions, and users on one side only")
    func diffDirections() throws {
        let before = org()
        var after = before
        try OrgChange.unassign(user: "iu@example.com", source: "permissionSet:Contact_Read").apply(to: &after)
        let narrowed = AccessDiff.compare(before: before, after: after, now: Fixture.now)
        let object = try #require(narrowed.changes.first { $0.kind == .object })
        #expect(object.object == "Contact" && object.before == "read" && object.after == "none")
        #expect(narrowed.changes.contains { $0.kind == .field && $0.field == "SSN__c" && $0.isNarrowing })
        let widened = AccessDiff.compare(before: after, after: before, now: Fixture.now)
        #expect(widened.changes.count == narrowed.changes.count)
        #expect(widened.changes.allSatisfy { $0.isWidening })

        var added = before
        added.users.append(Fixture.iu(permissionSets: ["Contact_Read"]).renamed("new@example.com"))
        let newcomer = AccessDiff.compare(before: before, after: added, now: Fixture.now)
        #expect(newcomer.users == ["new@example.com"])
        #expect(newcomer.changes.allSatisfy { $0.isWidening })
        #expect(
            AccessDiff.compare(before: before, after: added, users: ["iu@example.com"], now: Fixture.now)
                .isEmpty)
    }
}

/// The error `body` throws, if any.
private func syntaxError(_ body: () throws(OrgChangeError) -> Void) -> OrgChangeError? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}

extension User {
    fileprivate func renamed(_ username: String) -> User {
        var copy = self
        copy.username = username
        return copy
    }
}

@Suite("OrgChange spelling")
struct OrgChangeSpellingTests {
    @Test("commandLine parses back to the same change")
    func roundTrip() throws {
        let changes: [OrgChange] = [
            .setFLS(source: "profile:P Q", field: "Contact.SSN__c", access: .read),
            .mute(group: "G", field: "Contact.SSN__c", access: .edit),
        ]
        for change in changes {
            let line = try #require(change.commandLine)
            let value = String(line.split(separator: " ", maxSplits: 1)[1])
            let parsed =
                line.hasPrefix("--set-fls")
                ? try OrgChange.parseSetFLS(value) : try OrgChange.parseMute(value)
            #expect(parsed == change)
        }
        #expect(
            OrgChange.removeUserPermission(source: "profile:P", permission: "ViewSetup").commandLine == nil)
    }
}
