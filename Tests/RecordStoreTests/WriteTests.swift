import AccessModel
import Foundation
import SOQL
import Testing

@testable import RecordStore

@Suite("RecordStore writes")
struct WriteTests {
    @Test(
        "REC-11 API-10 an update flipping Send_to_HubSpot__c changes what the HubSpot user sees on the next query"
    )
    func criteriaFlip() throws {
        let (store, _) = try Acme.store()
        let hidden = try #require(
            Acme.org.records.records(of: "Account").first { $0["Send_to_HubSpot__c"] == .boolean(false) })
        let shown = try #require(
            Acme.org.records.records(of: "Account").first { $0["Send_to_HubSpot__c"] == .boolean(true) })
        func hubspotIds() throws -> Set<String> {
            Set(try store.all("SELECT Id FROM Account", as: Acme.hubspot).records.compactMap(\.id))
        }
        let before = try hubspotIds()  // materialises the HubSpot user's visibility
        #expect(!before.contains(hidden.id) && before.contains(shown.id))
        let admin = Acme.access(Acme.admin)
        try store.update(
            "Account", id: hidden.id, values: [("Send_to_HubSpot__c", .boolean(true))], access: admin)
        try store.update(
            "Account", id: shown.id, values: [("Send_to_HubSpot__c", .boolean(false))], access: admin)
        let after = try hubspotIds()
        #expect(after == before.subtracting([shown.id]).union([hidden.id]))
        // Contacts follow their account (REC-12 child access through the Account rule).
        let contacts = Set(try store.all("SELECT Id FROM Contact", as: Acme.hubspot).records.compactMap(\.id))
        let expected = Set(
            Acme.org.records.records(of: "Contact").filter { after.contains($0.reference("AccountId") ?? "") }
                .map(\.id))
        #expect(contacts == expected)
        // GET of one record agrees.
        #expect(try store.record("Account", id: hidden.id, access: Acme.access(Acme.hubspot)).id == hidden.id)
        #expect(
            storeError { _ = try store.record("Account", id: shown.id, access: Acme.access(Acme.hubspot)) }?
                .code == .notFound)
    }

    @Test("API-9 writes without the object permission are INSUFFICIENT_ACCESS_OR_READONLY")
    func objectPermissions() throws {
        let (store, _) = try Acme.store()
        let hubspot = Acme.access(Acme.hubspot)
        #expect(!hubspot.objectAccess("Account").contains(.create))
        let insert = storeError {
            _ = try store.insert("Account", values: [("Name", .string("x"))], access: hubspot)
        }
        #expect(insert?.code == .insufficientAccess && insert?.httpStatus == 400)
        let visible = try #require(Acme.visibleIds("Account", Acme.hubspot).first)
        #expect(
            storeError {
                try store.update("Account", id: visible, values: [("Name", .string("y"))], access: hubspot)
            }?.code == .insufficientAccess)
        #expect(
            storeError { try store.delete("Account", id: visible, access: hubspot) }?.code
                == .insufficientAccess)
        #expect(
            storeError { _ = try store.insert("Opportunity", values: [:], access: hubspot) }?.code
                == .notFound)
    }

    @Test(
        "API-6 API-7 field checks: unknown or unreadable → INVALID_FIELD, read-only → INVALID_FIELD_FOR_INSERT_UPDATE with fields"
    )
    func fieldChecks() throws {
        let (store, _) = try Acme.store()
        let access = Acme.access(Acme.rep)
        #expect(access.objectAccess("Account").contains(.create))
        let unknown = storeError {
            _ = try store.insert(
                "Account", values: [("Name", .string("a")), ("Bacon__c", .string("x"))], access: access)
        }
        #expect(unknown?.code == .invalidField)
        #expect(unknown?.message == "No such column 'Bacon__c' on sobject of type Account")
        let readOnly = storeError {
            _ = try store.insert(
                "Account",
                values: [
                    ("Name", .string("a")), ("CreatedDate", .string("2024-01-01T00:00:00Z")),
                    ("IsDeleted", .boolean(true)),
                ], access: access)
        }
        #expect(readOnly?.code == .invalidFieldForInsertUpdate)
        #expect(readOnly?.fields == ["CreatedDate", "IsDeleted"])
        #expect(
            readOnly?.message.hasPrefix(
                "Unable to create/update fields: CreatedDate, IsDeleted. Please check the security settings")
                == true)
        // Each field of Account the rep can read but not edit is refused, every unreadable one unknown.
        for field in Acme.org.objects["Account"]!.sortedFields where field.name != "Id" {
            let values: [(String, FieldValue)] = [("Name", .string("a")), (field.name, .null)]
            let error = storeError { _ = try store.insert("Account", values: values, access: access) }
            if !access.canRead(object: "Account", field: field.name) {
                #expect(error?.code == .invalidField, "\(field.name)")
            } else if !access.canEdit(object: "Account", field: field.name) || field.isCompound {
                #expect(error?.code == .invalidFieldForInsertUpdate, "\(field.name)")
            }
        }
    }

    @Test("required fields, value types and lookups")
    func valueChecks() throws {
        let (store, _) = try Acme.store()
        let access = Acme.access(Acme.rep)
        let missing = storeError {
            _ = try store.insert("Account", values: [("Industry", .string("Retail"))], access: access)
        }
        #expect(missing?.code == .requiredFieldMissing && missing?.fields == ["Name"])
        #expect(missing?.message == "Required fields are missing: [Name]")
        let id = try store.insert("Account", values: [("Name", .string("Typed"))], access: access)
        let cleared = storeError {
            try store.update("Account", id: id, values: [("Name", .null)], access: access)
        }
        #expect(cleared?.code == .requiredFieldMissing)
        if access.canEdit(object: "Account", field: "NumberOfEmployees") {
            let bad = storeError {
                try store.update(
                    "Account", id: id, values: [("NumberOfEmployees", .string("many"))], access: access)
            }
            #expect(bad?.code == .jsonParserError)
        }
        if access.canEdit(object: "Account", field: "ParentId") {
            let dangling = RecordId.make(object: "Account", referenceId: "nowhere")
            let error = storeError {
                try store.update("Account", id: id, values: [("ParentId", .string(dangling))], access: access)
            }
            #expect(error?.code == .invalidCrossReferenceKey)
        }
        #expect(
            storeError { _ = try store.record("Account", id: "nonsense", access: access) }?.code
                == .malformedId)
        let record = try store.record("Account", id: id, fields: ["Name", "OwnerId"], access: access)
        #expect(record["Name"] == .string("Typed"))
        #expect(record["OwnerId"] == .string(store.userId(Acme.rep)!))
        #expect(
            storeError { _ = try store.record("Account", id: id, fields: ["Nope__c"], access: access) }?.code
                == .invalidField)
    }

    @Test("API-8 update needs Edit and delete needs full access to the record")
    func recordAccess() throws {
        let (store, _) = try Acme.store()
        let sharing = Acme.sharing
        for username in [Acme.rep, Acme.manager] {
            let access = Acme.access(username)
            for record in Acme.org.records.records(of: "Account") {
                let level = sharing.decision(username: username, recordId: record.id)!.level
                let update = storeError {
                    try store.update("Account", id: record.id, values: [:], access: access)
                }
                let canEdit = access.objectAccess("Account").contains(.edit)
                if level < .read {
                    #expect(update?.code == (canEdit ? .notFound : .insufficientAccess))
                } else if level < .edit || !canEdit {
                    #expect(update?.code == .insufficientAccess)
                } else {
                    #expect(update == nil)
                }
            }
        }
        // Delete: the rep owns Northwind (All), not Globex.
        let rep = Acme.access(Acme.rep)
        guard rep.objectAccess("Account").contains(.delete) else { return }
        for record in Acme.org.records.records(of: "Account") {
            let level = sharing.decision(username: Acme.rep, recordId: record.id)!.level
            let error = storeError { try store.delete("Account", id: record.id, access: rep) }
            if level < .read {
                #expect(error?.code == .notFound)
            } else if level < .all {
                #expect(error?.code == .insufficientAccess)
            } else {
                #expect(error == nil)
                #expect(
                    storeError { try store.delete("Account", id: record.id, access: rep) }?.code
                        == .entityIsDeleted)
            }
        }
    }

    @Test("upsert by external Id: created, then updated; several matches are MULTIPLE_CHOICES (300)")
    func upsert() throws {
        var org = Acme.org
        org.objects["Account"]!.fields["Ext_Id__c"] = Field(
            name: "Ext_Id__c", type: .text, isExternalId: true, length: 40)
        org.profiles["Admin"]!.grants.fields[FieldPath.key(object: "Account", field: "Ext_Id__c")] = .edit
        let evaluator = AccessEvaluator(org: org)
        let store = try RecordStore(
            path: Acme.temporaryPath(), org: org, source: "upsert", evaluator: evaluator)
        let admin = evaluator.evaluate(org.user(named: Acme.admin)!)
        guard admin.canEdit(object: "Account", field: "Ext_Id__c") else {
            Issue.record("the admin cannot edit the test field")
            return
        }
        let first = try store.upsert(
            "Account", externalIdField: "Ext_Id__c", value: "E-1", values: [("Name", .string("One"))],
            access: admin)
        #expect(first.created)
        let second = try store.upsert(
            "Account", externalIdField: "ext_id__c", value: "E-1", values: [("Name", .string("Uno"))],
            access: admin)
        #expect(!second.created && second.id == first.id)
        #expect(
            try store.record("Account", id: first.id, fields: ["Name"], access: admin)["Name"]
                == .string("Uno"))
        #expect(
            try store.record("Account", externalIdField: "Ext_Id__c", value: "E-1", access: admin).id
                == first.id)
        let duplicate = storeError {
            _ = try store.insert(
                "Account", values: [("Name", .string("Dup")), ("Ext_Id__c", .string("E-1"))], access: admin)
        }
        #expect(duplicate?.code == .duplicateValue)
        #expect(
            storeError {
                _ = try store.upsert(
                    "Account", externalIdField: "Name", value: "x", values: [], access: admin)
            }?.code == .notFound)
    }

    @Test("writes persist across reopening; reset reloads the project's records")
    func persistence() throws {
        let (store, path) = try Acme.store()
        let admin = Acme.access(Acme.admin)
        let id = try store.insert("Account", values: [("Name", .string("Persisted"))], access: admin)
        let flagged = try #require(
            Acme.org.records.records(of: "Account").first { $0["Send_to_HubSpot__c"] == .boolean(false) })
        try store.update(
            "Account", id: flagged.id, values: [("Send_to_HubSpot__c", .boolean(true))], access: admin)
        #expect(store.opening == .created)
        try store.close()
        let reopened = try RecordStore(
            path: path, org: Acme.org, source: Acme.path, evaluator: Acme.evaluator)
        #expect(reopened.opening == .reopened)
        #expect(
            try reopened.record("Account", id: id, fields: ["Name"], access: admin)["Name"]
                == .string("Persisted"))
        // The reopened store's visibility is derived from the rows as written.
        let hubspot = Set(
            try reopened.all("SELECT Id FROM Account", as: Acme.hubspot).records.compactMap(\.id))
        #expect(hubspot.contains(flagged.id))
        try reopened.close()
        let reset = try RecordStore(
            path: path, org: Acme.org, source: Acme.path, reset: true, evaluator: Acme.evaluator)
        #expect(reset.opening == .reset)
        #expect(storeError { _ = try reset.record("Account", id: id, access: admin) }?.code == .notFound)
        let other = try RecordStore(path: path, org: Acme.org, source: "elsewhere", evaluator: Acme.evaluator)
        #expect(other.opening == .reloaded(previousSource: Acme.path))
        let counts = try other.recordCount(["Account", "Contact", "Nope"])
        #expect(
            counts == [
                RecordCount(name: "Account", count: Acme.org.records.records(of: "Account").count),
                RecordCount(name: "Contact", count: Acme.org.records.records(of: "Contact").count),
            ])
    }
}
