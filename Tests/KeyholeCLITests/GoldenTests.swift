import AccessModel
import Foundation
import SalesforceMetadata
import Testing

@testable import keyhole

/// What people read, pinned. Re-record with `KEYHOLE_RECORD_GOLDEN=1` after checking a change is intended.
@Suite("Golden output on the example org")
struct GoldenTests {
    let project = Acme.project

    @Test("the example loads without errors")
    func loads() {
        #expect(project.errors.isEmpty, "\(project.errors)")
    }

    @Test(
        "explain text and JSON for both integration users",
        arguments: [
            (Acme.hubspot, "hubspot"), (Acme.analytics, "analytics"),
        ])
    func explain(username: String, name: String) throws {
        Golden.check(
            try ExplainCommand.output(project: project, user: username, format: .text), "explain-\(name).txt")
        Golden.check(
            try ExplainCommand.output(project: project, user: username, format: .json), "explain-\(name).json"
        )
    }

    @Test("explain --field Contact.SSN__c for the HubSpot user (text and JSON)")
    func explainField() throws {
        Golden.check(
            try ExplainCommand.output(
                project: project, user: Acme.hubspot, field: "Contact.SSN__c", format: .text),
            "explain-hubspot-field-Contact.SSN__c.txt")
        Golden.check(
            try ExplainCommand.output(
                project: project, user: Acme.hubspot, field: "Contact.SSN__c", format: .json),
            "explain-hubspot-field-Contact.SSN__c.json")
    }

    @Test("explain --record for the HubSpot user on a shared and a hidden account")
    func explainRecord() throws {
        Golden.check(
            try ExplainCommand.output(
                project: project, user: Acme.hubspot, record: "Northwind", format: .text)
                + "\n\n"
                + ExplainCommand.output(
                    project: project, user: Acme.hubspot, record: "Initech", format: .text),
            "explain-hubspot-record.txt")
    }

    @Test("who-can --field Contact.SSN__c (text and JSON)")
    func whoCan() throws {
        Golden.check(
            try WhoCanCommand.output(project: project, field: "Contact.SSN__c", format: .text),
            "who-can-field-Contact.SSN__c.txt")
        Golden.check(
            try WhoCanCommand.output(project: project, field: "Contact.SSN__c", format: .json),
            "who-can-field-Contact.SSN__c.json")
    }

    @Test("records --user hubspot --object Account (JSON, text, CSV)")
    func records() throws {
        Golden.check(
            try RecordsCommand.output(project: project, user: Acme.hubspot, object: "Account", format: .json),
            "records-hubspot-Account.json")
        Golden.check(
            try RecordsCommand.output(project: project, user: Acme.hubspot, object: "Account", format: .text),
            "records-hubspot-Account.txt")
        Golden.check(
            try RecordsCommand.output(project: project, user: Acme.hubspot, object: "Account", format: .csv),
            "records-hubspot-Account.csv")
    }
}
