import AccessModel
import Foundation
import SalesforceMetadata
import Testing

@testable import keyhole

/// `explain` on the example org: the rules an admin most needs explained, through the command's report.
@Suite("explain")
struct ExplainTests {
    /// The SSN field decision of the HubSpot user, as `explain --field` reports it.
    func ssn(_ project: Project) throws -> ExplainReport.FieldEntry {
        let report = try ExplainReport.make(
            project: project, username: Acme.hubspot, object: "Contact", field: "SSN__c")
        return try #require(report.objects.first?.fields.first)
    }

    @Test(
        "FLS-5 the HubSpot user reads Contact.SSN__c through the latent profile entry woken by its permission set"
    )
    func latentProfileEntryWoken() throws {
        let field = try ssn(Acme.project)
        #expect(field.read)
        #expect(!field.edit)
        #expect(field.classification == "Restricted")
        #expect(field.compliance == ["GLBA", "PII"])
        let latent = try #require(field.reasons.first { $0.kind == .latentProfileFieldPermission })
        #expect(latent.source == "profile:\(Acme.integrationProfile)")
        #expect(latent.wokenBy == "permissionSet:\(Acme.hubspotSet)")
        #expect(latent.rule == "FLS-5")

        // The same, as the JSON contract spells it.
        let json = try Acme.json(
            try ExplainCommand.output(
                project: Acme.project, user: Acme.hubspot, field: "Contact.SSN__c", format: .json))
        let object = try #require((json["objects"] as? [[String: Any]])?.first)
        #expect(object["name"] as? String == "Contact")
        #expect(object["read"] as? Bool == true)
        #expect(object["sources"] as? [String] == ["permissionSet:\(Acme.hubspotSet)"])
        let jsonField = try #require((object["fields"] as? [[String: Any]])?.first)
        #expect(jsonField["name"] as? String == "SSN__c")
        #expect(jsonField["classification"] as? String == "Restricted")
        let reason = try #require((jsonField["reasons"] as? [[String: Any]])?.first)
        #expect(reason["kind"] as? String == "latentProfileFieldPermission")
        #expect(reason["source"] as? String == "profile:\(Acme.integrationProfile)")
        #expect(reason["wokenBy"] as? String == "permissionSet:\(Acme.hubspotSet)")
        #expect(json["license"] as? String == "Salesforce Integration")
        #expect(json["profile"] as? String == Acme.integrationProfile)
    }

    @Test(
        "PSG-3 muting SSN__c in a group around the HubSpot permission set does not remove it: the profile is outside the group"
    )
    func mutingCannotRemoveProfileEntry() throws {
        let project = Acme.changed { org in
            org.mutingPermissionSets["HubSpot_Muting"] = MutingPermissionSet(
                name: "HubSpot_Muting", mutes: PermissionGrants(fields: ["Contact.SSN__c": .read]))
            org.permissionSetGroups["HubSpot_Group"] = PermissionSetGroup(
                name: "HubSpot_Group", permissionSets: [Acme.hubspotSet],
                mutingPermissionSet: "HubSpot_Muting",
                status: "Updated")
            let i = org.users.firstIndex { $0.username == Acme.hubspot }!
            org.users[i].permissionSets = []
            org.users[i].permissionSetGroups = [Assignment(name: "HubSpot_Group")]
        }
        let field = try ssn(project)
        #expect(field.read)
        let latent = try #require(field.reasons.first { $0.kind == .latentProfileFieldPermission })
        #expect(latent.wokenBy == "permissionSetGroup:HubSpot_Group/permissionSet:\(Acme.hubspotSet)")
        let muted = try #require(field.reasons.first { $0.kind == .mutedBy })
        #expect(muted.source == "mutedBy:permissionSetGroup:HubSpot_Group")
        #expect(muted.rule == "PSG-3")
    }

    @Test("FLS-5 setting the profile entry for Contact.SSN__c to readable=false removes it")
    func profileFalseRemovesField() throws {
        let project = Acme.changed { org in
            org.profiles[Acme.integrationProfile]!.grants.fields["Contact.SSN__c"] = FieldAccess(
                readable: false, editable: false)
        }
        let field = try ssn(project)
        #expect(!field.read)
        #expect(field.reasons.contains { $0.kind == .notGranted && $0.rule == "FLS-1" })
        // Other latent entries still work.
        let email = try ExplainReport.make(
            project: project, username: Acme.hubspot, object: "Contact", field: "Email")
        #expect(email.objects.first?.fields.first?.read == true)
    }

    @Test("OBJ-7 the analytics user cannot read Account.Annual_Revenue__c despite View All Data")
    func viewAllDataDoesNotGrantFields() throws {
        let report = try ExplainReport.make(
            project: Acme.project, username: Acme.analytics, object: "Account", field: "Annual_Revenue__c")
        #expect(report.systemPermissions.contains { $0.name == "ViewAllData" })
        let object = try #require(report.objects.first)
        #expect(object.read && object.viewAll)
        let field = try #require(object.fields.first)
        #expect(!field.read)
        #expect(field.reasons.contains { $0.kind == .viewAllDataIgnoresFLS && $0.rule == "OBJ-7" })
        // And the full listing lists it, unreadable, with the same reason.
        let full = try ExplainReport.make(project: Acme.project, username: Acme.analytics)
        let listed = try #require(
            full.objects.first { $0.name == "Account" }?.fields.first { $0.name == "Annual_Revenue__c" })
        #expect(!listed.read)
        #expect(listed.reasons.contains { $0.kind == .viewAllDataIgnoresFLS })
    }

    @Test("explain counts visible and editable records per object, only where the project has records")
    func recordCounts() throws {
        let report = try ExplainReport.make(project: Acme.project, username: Acme.hubspot)
        let account = try #require(report.objects.first { $0.name == "Account" })
        #expect(account.records?.visible == 3)
        #expect(account.records?.editable == 0)
        let contact = try #require(report.objects.first { $0.name == "Contact" })
        #expect(contact.records?.visible == 3)
        let analytics = try ExplainReport.make(project: Acme.project, username: Acme.analytics)
        #expect(analytics.objects.first { $0.name == "Account" }?.records?.visible == 5)
        // Objects without records in the project carry no count.
        #expect(analytics.objects.first { $0.name == "Lead" }?.records == nil)
    }

    @Test("unknown user, object and field are input errors with a did-you-mean hint")
    func unknownNames() {
        #expect(throws: InputError.self) {
            try ExplainCommand.output(
                project: Acme.project, user: "hubspot.integraton@acme.example", format: .text)
        }
        do {
            _ = try ExplainCommand.output(
                project: Acme.project, user: "hubspot.integraton@acme.example", format: .text)
        } catch let error as InputError {
            #expect(error.message.contains("'hubspot.integraton@acme.example'"))
            #expect(error.message.contains("Did you mean 'hubspot.integration@acme.example'?"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        do {
            _ = try ExplainCommand.output(
                project: Acme.project, user: Acme.hubspot, object: "Acount", format: .text)
            Issue.record("an unknown object must fail")
        } catch let error as InputError {
            #expect(error.message.contains("Did you mean 'Account'?"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        do {
            _ = try ExplainCommand.output(
                project: Acme.project, user: Acme.hubspot, field: "Contact.SSN_c", format: .text)
            Issue.record("an unknown field must fail")
        } catch let error as InputError {
            #expect(error.message.contains("Did you mean 'SSN__c'?"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        do {
            _ = try ExplainCommand.output(
                project: Acme.project, user: Acme.hubspot, record: "Northwnd", format: .text)
            Issue.record("an unknown record must fail")
        } catch let error as InputError {
            #expect(error.message.contains("Did you mean 'Northwind'?"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("--field without a dot is a usage error")
    func badFieldSyntax() {
        #expect(throws: (any Error).self) {
            _ = try ExplainCommand.parse(["Examples/acme", "--user", Acme.hubspot, "--field", "Contact"])
        }
        #expect(throws: (any Error).self) {
            _ = try WhoCanCommand.parse(["Examples/acme", "--field", "Contact"])
        }
        #expect(throws: (any Error).self) {
            _ = try WhoCanCommand.parse(["Examples/acme", "--object", "Contact", "--access", "masked"])
        }
    }

    @Test("who-can --object lists the sources of exactly that permission")
    func whoCanObject() throws {
        let report = try WhoCanReport.make(
            project: Acme.project, field: nil, object: "account", access: "viewAll")
        #expect(report.object == "Account")
        let analytics = try #require(report.users.first { $0.username == Acme.analytics })
        #expect(analytics.sources == ["permissionSet:Analytics_Full_Data"])
        #expect(!report.users.contains { $0.username == Acme.hubspot })
    }

    @Test("who-can --field Contact.SSN__c names the HubSpot user through the latent profile entry (FLS-5)")
    func whoCanField() throws {
        let report = try WhoCanReport.make(
            project: Acme.project, field: "Contact.SSN__c", object: nil, access: "read")
        let hubspot = try #require(report.users.first { $0.username == Acme.hubspot })
        #expect(hubspot.sources == ["profile:\(Acme.integrationProfile)"])
        #expect(hubspot.reasons.contains { $0.wokenBy == "permissionSet:\(Acme.hubspotSet)" })
        // PSG-3: the manager's group mutes it and nothing else grants it.
        #expect(!report.users.contains { $0.username == Acme.manager })
    }
}
