import AccessModel
import Foundation
import SOQL
import Testing

@testable import RecordStore

@Suite("RecordStore queries")
struct QueryTests {
    @Test("API-10 REC-11 the HubSpot user sees exactly the accounts flagged Send_to_HubSpot__c")
    func hubspotAccounts() throws {
        let (store, _) = try Acme.store()
        let result = try store.all("SELECT Id, Name FROM Account", as: Acme.hubspot)
        let flagged = Set(
            Acme.org.records.records(of: "Account").filter { $0["Send_to_HubSpot__c"] == .boolean(true) }.map(
                \.id))
        #expect(!flagged.isEmpty)
        #expect(Set(result.records.compactMap(\.id)) == flagged)
        #expect(Set(result.records.compactMap(\.id)) == Acme.visibleIds("Account", Acme.hubspot))
        #expect(result.totalSize == flagged.count)
        let count = try store.query("SELECT COUNT() FROM Account", access: Acme.access(Acme.hubspot))
        #expect(count.totalSize == flagged.count && count.records.isEmpty && count.done)
    }

    @Test(
        "API-10 REC-1 under a Public Read Only default a query needs no visibility rows, and sees new records"
    )
    func publicReadOnlyNeedsNoFilter() throws {
        var org = Acme.org
        org.objects["Account"]!.sharingModel = .read
        let evaluator = AccessEvaluator(org: org)
        let store = try RecordStore(
            path: Acme.temporaryPath(), org: org, source: Acme.path, evaluator: evaluator)
        let hubspot = evaluator.evaluate(org.user(named: Acme.hubspot)!)
        let expected = Set(
            evaluator.sharingEvaluator().visibleRecords(object: "Account", username: Acme.hubspot).map(
                \.recordId))
        #expect(expected == Set(org.records.records(of: "Account").map(\.id)))
        let before = try store.all("SELECT Id FROM Account", access: hubspot)
        #expect(Set(before.records.compactMap(\.id)) == expected)
        #expect(store.visibility.missing(Acme.hubspot, ["Account"]) == ["Account"], "nothing materialised")

        let rep = evaluator.evaluate(org.user(named: Acme.rep)!)
        let created = try store.insert("Account", values: [("Name", .string("New Co"))], access: rep)
        let after = try store.all("SELECT Id FROM Account", access: hubspot)
        #expect(Set(after.records.compactMap(\.id)) == expected.union([created]))
    }

    @Test("API-3 a field the evaluator says is unreadable is INVALID_FIELD with Salesforce's message")
    func unreadableFields() throws {
        let (store, _) = try Acme.store()
        for (username, object, field) in [
            (Acme.hubspot, "Contact", "SSN__c"), (Acme.analytics, "Account", "Annual_Revenue__c"),
            (Acme.hubspot, "Account", "Internal_Notes__c"),
        ] {
            let readable = Acme.access(username).canRead(object: object, field: field)
            let error = soqlError {
                _ = try store.query("SELECT Id, \(field) FROM \(object)", access: Acme.access(username))
            }
            if readable {
                #expect(error == nil, "\(username) reads \(object).\(field) by the evaluator")
            } else {
                #expect(error?.code == .invalidField)
                #expect(error?.message.contains("No such column '\(field)' on entity '\(object)'") == true)
            }
        }
        // The analytics user's documented denial (rest-api CI scenario) holds in the example.
        #expect(!Acme.access(Acme.analytics).canRead(object: "Account", field: "Annual_Revenue__c"))
    }

    @Test("API-4 an object the user cannot read is INVALID_TYPE")
    func unreadableObject() throws {
        let (store, _) = try Acme.store()
        #expect(!Acme.access(Acme.hubspot).objectAccess("Opportunity").contains(.read))
        let error = soqlError {
            _ = try store.query("SELECT Id FROM Opportunity", access: Acme.access(Acme.hubspot))
        }
        #expect(error?.code == .invalidType)
    }

    @Test(
        "REC-18 the analytics user sees every account the evaluator says it sees, with no visibility filter")
    func analyticsSeesAll() throws {
        let (store, _) = try Acme.store()
        let result = try store.all("SELECT Id, Name, Industry FROM Account", as: Acme.analytics)
        #expect(Set(result.records.compactMap(\.id)) == Acme.visibleIds("Account", Acme.analytics))
        #expect(result.totalSize == Acme.org.records.records(of: "Account").count)
        let user = Acme.org.user(named: Acme.analytics)!
        #expect(store.visibility.seesAll(user, "Account"))
    }

    @Test("pagination with a small batch returns every visible record once, in query order")
    func pagination() throws {
        let (store, _) = try Acme.store()
        // Enough rows for several pages of 200: the admin's contacts, repeated via a bigger object set.
        let access = Acme.access(Acme.admin)
        var inserted: [String] = []
        for n in 0..<450 {
            inserted.append(
                try store.insert(
                    "Account",
                    values: [("Name", .string("Bulk \(n)")), ("Send_to_HubSpot__c", .boolean(n % 3 == 0))],
                    access: access))
        }
        let all = try store.all("SELECT Id, Name FROM Account ORDER BY Name", as: Acme.admin, batchSize: 200)
        let visible = Acme.visibleIds("Account", Acme.admin).union(inserted)
        #expect(all.pages == 3)
        #expect(all.records.count == visible.count)
        #expect(Set(all.records.compactMap(\.id)) == visible)
        let names = all.records.compactMap { record -> String? in
            if case .string(let s)? = record["Name"] { return s }
            return nil
        }
        #expect(names == names.sorted { $0.lowercased() < $1.lowercased() })
        // The HubSpot user pages over its own (smaller) set; locators are per user.
        let hubspot = try store.all("SELECT Id FROM Account", as: Acme.hubspot, batchSize: 200)
        #expect(hubspot.records.count == hubspot.totalSize)
        #expect(Set(hubspot.records.compactMap(\.id)).count == hubspot.totalSize)
        #expect(hubspot.totalSize == Acme.visibleIds("Account", Acme.hubspot).count + inserted.count / 3)
        let first = try store.query("SELECT Id FROM Account", access: Acme.access(Acme.admin), batchSize: 200)
        let locator = try #require(first.nextLocator)
        #expect(locator.hasPrefix("01g") && locator.hasSuffix("-200"))
        #expect(
            storeError { _ = try store.queryMore(locator, access: Acme.access(Acme.hubspot)) }?.code
                == .invalidQueryLocator)
        #expect(
            storeError { _ = try store.queryMore("01gXXXXXXXXXXXXXXX-200", access: access) }?.code
                == .invalidQueryLocator)
        // Pages can be read again, in any order.
        let again = try store.queryMore(locator, access: access, batchSize: 200)
        let twice = try store.queryMore(locator, access: access, batchSize: 200)
        #expect(again == twice)
        #expect(again.records.first?.id != first.records.first?.id)
    }

    @Test("Sforce-Query-Options batchSize is kept within 200…2,000")
    func batchSizes() {
        #expect(RecordStore.batchSize(queryOptions: nil) == 2_000)
        #expect(RecordStore.batchSize(queryOptions: "batchSize=500") == 500)
        #expect(RecordStore.batchSize(queryOptions: "batchSize = 50") == 200)
        #expect(RecordStore.batchSize(queryOptions: "batchSize=9000") == 2_000)
        #expect(RecordStore.batchSize(queryOptions: "other=1") == 2_000)
    }

    @Test("§4.2 output formatting: datetimes with +0000, booleans, numbers, nulls, parents, children")
    func formatting() throws {
        let (store, _) = try Acme.store()
        let result = try store.query(
            "SELECT Name, Send_to_HubSpot__c, Annual_Revenue__c, CreatedDate, Owner.Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Name = 'Northwind Traders'",
            access: Acme.access(Acme.admin))
        let record = try #require(result.records.first)
        #expect(record.type == "Account")
        #expect(
            record.fields.map(\.name) == [
                "Name", "Send_to_HubSpot__c", "Annual_Revenue__c", "CreatedDate", "Owner", "Contacts",
            ])
        #expect(record["Send_to_HubSpot__c"] == .boolean(true))
        #expect(record["Annual_Revenue__c"] == .double(12_500_000))
        guard case .string(let created)? = record["CreatedDate"] else {
            Issue.record("CreatedDate is not text")
            return
        }
        #expect(
            created.hasSuffix(".000+0000")
                || created.range(of: #"\.\d{3}\+0000$"#, options: .regularExpression) != nil)
        guard case .record(let owner)? = record["Owner"] else {
            Issue.record("Owner is not a nested record")
            return
        }
        #expect(owner.type == "User" && owner["Name"] == .string("Rita Rep"))
        #expect(owner.id == store.userId(Acme.rep))
        // An empty lookup is a null relationship, not an object of nulls.
        let orphan = try store.insert(
            "Contact", values: [("LastName", .string("Orphan"))], access: Acme.access(Acme.admin))
        let contact = try store.query(
            "SELECT LastName, Account.Name FROM Contact WHERE Id = '\(orphan)'",
            access: Acme.access(Acme.admin))
        #expect(
            contact.records.first?.fields == [
                ResultField(name: "LastName", value: .string("Orphan")),
                ResultField(name: "Account", value: .null),
            ])
        guard case .subquery(let contacts)? = record["Contacts"] else {
            Issue.record("Contacts is not a subquery result")
            return
        }
        #expect(contacts.done && contacts.totalSize == contacts.records.count && contacts.totalSize >= 1)
        #expect(contacts.records.allSatisfy { $0.type == "Contact" && $0.fields.map(\.name) == ["LastName"] })
    }

    @Test("COUNT(), aggregates and expr0 naming")
    func aggregates() throws {
        let (store, _) = try Acme.store()
        let access = Acme.access(Acme.admin)
        let grouped = try store.query(
            "SELECT Industry, COUNT(Id), MAX(Name) top FROM Account GROUP BY Industry ORDER BY Industry",
            access: access)
        #expect(grouped.records.allSatisfy { $0.type == "AggregateResult" && $0.id == nil })
        #expect(grouped.records.first?.fields.map(\.name) == ["Industry", "expr0", "top"])
        let total = grouped.records.reduce(0) { sum, record in
            if case .integer(let n)? = record["expr0"] { return sum + Int(n) }
            return sum
        }
        #expect(total == Acme.visibleIds("Account", Acme.admin).count)
        // Counts only see visible rows (API-10).
        let hubspot = try store.query("SELECT COUNT(Id) n FROM Account", access: Acme.access(Acme.hubspot))
        #expect(
            hubspot.records.first?["n"] == .integer(Int64(Acme.visibleIds("Account", Acme.hubspot).count)))
    }

    @Test("REC-19 a parent the user cannot see is null; children outside sharing are absent")
    func hiddenParents() throws {
        let (store, _) = try Acme.store()
        let access = Acme.access(Acme.hubspot)
        guard access.canRead(object: "Contact", field: "AccountId") else { return }
        let result = try store.all("SELECT Id, Account.Name FROM Contact", as: Acme.hubspot)
        let visibleAccounts = Acme.visibleIds("Account", Acme.hubspot)
        for record in result.records {
            let contact = Acme.org.records.record(id: record.id!)!
            if let account = contact.reference("AccountId"), visibleAccounts.contains(account) {
                guard case .record(let parent)? = record["Account"] else {
                    Issue.record("visible parent missing")
                    continue
                }
                #expect(parent.id == account)
            } else {
                #expect(record["Account"] == .null)
            }
        }
        #expect(Set(result.records.compactMap(\.id)) == Acme.visibleIds("Contact", Acme.hubspot))
    }

    @Test("queryAll returns soft-deleted rows; query does not")
    func queryAll() throws {
        let (store, _) = try Acme.store()
        let admin = Acme.access(Acme.admin)
        let id = try store.insert("Account", values: [("Name", .string("Short-lived"))], access: admin)
        try store.delete("Account", id: id, access: admin)
        let live = try store.all("SELECT Id, IsDeleted FROM Account", as: Acme.admin)
        let all = try store.all("SELECT Id, IsDeleted FROM Account", as: Acme.admin, includeDeleted: true)
        #expect(!live.records.contains { $0.id == id })
        let deleted = try #require(all.records.first { $0.id == id })
        #expect(deleted["IsDeleted"] == .boolean(true))
        #expect(all.totalSize == live.totalSize + 1)
    }

    @Test("CLS-9 classic encrypted values are masked without View Encrypted Data")
    func masking() {
        var field = Field(name: "Card__c", type: .encryptedText)
        field.maskType = "creditCard"
        field.maskChar = "X"
        #expect(
            ResultValue.masked(.string("4111111111111234"), field: field) == .string("XXXX-XXXX-XXXX-1234"))
        field.maskType = "lastFour"
        field.maskChar = "asterisk"
        #expect(ResultValue.masked(.string("abcdef"), field: field) == .string("**cdef"))
        field.maskType = nil
        #expect(ResultValue.masked(.string("abc"), field: field) == .string("***"))
        #expect(ResultValue.masked(.null, field: field) == .null)
    }
}
