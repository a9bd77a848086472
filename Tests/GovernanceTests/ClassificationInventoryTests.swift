import AccessModel
import Foundation
import Governance
import SalesforceMetadata
import Testing

@Suite("Classification inventory")
struct ClassificationInventoryTests {
    @Test(
        "API names split at underscores, camel case and digits",
        arguments: [
            ("SSN__c", ["ssn"]), ("TaxId__c", ["tax", "id"]),
            ("Contact_SSNNumber2__c", ["contact", "ssn", "number", "2"]),
            ("ns__Date_of_Birth__c", ["date", "of", "birth"]), ("Birthdate", ["birthdate"]),
            ("IBAN__c", ["iban"]),
        ])
    func words(name: String, expected: [String]) {
        #expect(SensitiveName.words(apiName: name) == expected)
    }

    @Test(
        "sensitive-looking names and labels match on whole words",
        arguments: [
            ("SSN__c", nil, "SSN"), ("Social_Security_Number__c", nil, "SSN"), ("TaxId__c", nil, "tax id"),
            ("Tin__c", nil, "tax id"), ("Field1__c", "Tax ID", "tax id"), ("DOB__c", nil, "date of birth"),
            ("Birthdate", "Birthdate", "date of birth"), ("Born__c", "Date of Birth", "date of birth"),
            ("CC__c", "Credit Card Number", "credit card"), ("CreditScore__c", nil, "credit score"),
            ("Annual_Salary__c", nil, "salary"), ("Household_Income__c", nil, "income"),
            ("Bank_Account__c", nil, "bank account"), ("Iban__c", nil, "IBAN"),
            ("Passport_No__c", nil, "passport"),
            ("DL__c", "Driver's Licence", "driver's licence"), ("DriversLicense__c", nil, "driver's licence"),
            ("National_ID__c", nil, "national id"), ("Medical_Notes__c", nil, "health"),
            ("Health_Plan__c", nil, "health"), ("Password__c", nil, "password"),
            ("Passwords__c", nil, "password"),
        ] as [(String, String?, String)])
    func sensitive(name: String, label: String?, term: String) {
        #expect(SensitiveName.matches(name: name, label: label).contains(term), "\(name) / \(label ?? "")")
    }

    @Test(
        "words that merely contain a term do not match",
        arguments: [
            ("Setting__c", "Setting"), ("Destination__c", "Destination"), ("Adobe_Id__c", "Adobe ID"),
            ("Passage__c", "Passage"), ("Incoming_Call__c", "Incoming Call"), ("Stint__c", "Stint"),
            ("Account_Name__c", "Account Name"),
        ])
    func notSensitive(name: String, label: String) {
        #expect(SensitiveName.matches(name: name, label: label).isEmpty, "\(name)")
    }

    static func org() -> Org {
        func field(_ name: String, label: String? = nil, level: String? = nil, groups: Set<String> = [])
            -> Field
        {
            Field(
                name: name, label: label,
                classification: Classification(securityClassification: level, complianceGroups: groups))
        }
        let fields = [
            field("Id"), field("SSN__c", label: "SSN", level: "Restricted", groups: ["PII", "GLBA"]),
            field("Email__c", label: "Email", level: "Confidential", groups: ["PII"]),
            field("Notes__c", groups: ["HIPAA"]), field("Color__c", level: "Public"),
            field("Date_of_Birth__c", label: "Date of Birth"), field("Nickname__c", label: "Nickname"),
        ]
        return Org(objects: [
            "Person__c": SObjectType(
                name: "Person__c", fields: Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0) }))
        ])
    }

    @Test("classified fields by level (most sensitive first) and by compliance group")
    func byLevelAndGroup() throws {
        let policy = Policy(complianceTiers: ["HIPAA": 3, "PII": 2])
        let inventory = ClassificationInventory.make(org: Self.org(), policy: policy)
        #expect(inventory.fieldCount == 7)
        #expect(
            inventory.classified.map(\.path) == [
                "Person__c.Color__c", "Person__c.Email__c", "Person__c.Notes__c", "Person__c.SSN__c",
            ])
        #expect(
            inventory.byLevel.map(\.name) == [
                "Restricted", "Confidential", "Public", ClassificationInventory.noLevel,
            ])
        #expect(inventory.byLevel.map(\.tier) == [3, 2, 1, nil])
        #expect(inventory.byLevel.last?.fields == ["Person__c.Notes__c"])
        #expect(inventory.byComplianceGroup.map(\.name) == ["HIPAA", "PII", "GLBA"])
        #expect(
            inventory.byComplianceGroup.first { $0.name == "PII" }?.fields == [
                "Person__c.Email__c", "Person__c.SSN__c",
            ])
        let notes = try #require(inventory.classified.first { $0.field == "Notes__c" })
        #expect(notes.tier == 3)
        #expect(notes.classification == nil)
    }

    @Test("only unclassified fields are listed as looking sensitive")
    func suspects() {
        let inventory = ClassificationInventory.make(org: Self.org())
        #expect(inventory.unclassifiedSensitive.map(\.path) == ["Person__c.Date_of_Birth__c"])
        #expect(inventory.unclassifiedSensitive.first?.looksLike == ["date of birth"])
    }

    @Test("the example: eight classified fields; Contact.Birthdate looks sensitive but is not classified")
    func example() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/acme").path
        let project = Project.load(path: path)
        let inventory = ClassificationInventory.make(org: project.org, policy: project.policy)
        #expect(inventory.classified.count == 8)
        #expect(inventory.byLevel.first?.name == "Restricted")
        #expect(
            inventory.byLevel.first?.fields == [
                "Account.Internal_Notes__c", "Contact.Credit_Score__c", "Contact.SSN__c",
            ])
        #expect(
            inventory.byComplianceGroup.first { $0.name == "PII" }?.fields == [
                "Contact.Credit_Score__c", "Contact.SSN__c",
            ])
        #expect(inventory.unclassifiedSensitive.contains { $0.path == "Contact.Birthdate" })
        #expect(!inventory.unclassifiedSensitive.contains { $0.path == "Contact.SSN__c" })
    }
}
