import APIServer
import AccessModel
import Foundation
import Testing

/// `query` and `queryAll` over HTTP (`rest-api.md` §2.4, §3): access errors with Salesforce's exact
/// messages, sharing-filtered results, pagination through `nextRecordsUrl`.
@Suite("query")
struct QueryTests {
    typealias Acme = ServedAcme

    static func names(_ reply: ServedAcme.Reply) -> [String] {
        reply.json?["records"]?.arrayValue?.compactMap { $0["Name"]?.stringValue } ?? []
    }

    @Test(
        "API-3 a query naming SSN__c, which the user cannot read, is 400 INVALID_FIELD with the caret message"
    )
    func invalidFieldSSN() async throws {
        try await ServedAcme(change: DescribeTests.hubspotFixed).run { client in
            let token = try await client.login(Acme.hubspot)
            let reply = try await client.query("SELECT Id, SSN__c FROM Contact", token: token)
            #expect(reply.status == .badRequest)
            #expect(reply.error?.code == "INVALID_FIELD")
            #expect(
                reply.error?.message
                    == "\nSELECT Id, SSN__c FROM Contact\n           ^\nERROR at Row:1:Column:12\nNo such column 'SSN__c' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."
            )
        }
    }

    @Test("API-3 the analytics user gets INVALID_FIELD for Annual_Revenue__c, in SELECT and in WHERE")
    func invalidFieldAnalytics() async throws {
        try await ServedAcme().run { client in
            let token = try await client.login(Acme.analytics)
            let select = try await client.query("SELECT Name, Annual_Revenue__c FROM Account", token: token)
            #expect(select.status == .badRequest)
            #expect(select.error?.code == "INVALID_FIELD")
            #expect(
                select.error?.message.hasPrefix(
                    "\nSELECT Name, Annual_Revenue__c FROM Account\n             ^\nERROR at Row:1:Column:14\nNo such column 'Annual_Revenue__c' on entity 'Account'."
                ) == true)
            let filter = try await client.query(
                "SELECT Name FROM Account WHERE Annual_Revenue__c > 5", token: token)
            #expect(filter.error?.code == "INVALID_FIELD")
            // The message names the field as airbyte's regex expects.
            #expect(filter.error?.message.contains("No such column 'Annual_Revenue__c' on entity") == true)
        }
    }

    @Test(
        "API-4 an unreadable object is INVALID_TYPE; a syntax error is MALFORMED_QUERY; no q is MALFORMED_QUERY"
    )
    func otherQueryErrors() async throws {
        try await ServedAcme().run { client in
            let token = try await client.login(Acme.hubspot)
            let type = try await client.query("SELECT Id FROM Opportunity", token: token)
            #expect(type.status == .badRequest)
            #expect(type.error?.code == "INVALID_TYPE")
            #expect(type.error?.message.contains("sObject type 'Opportunity' is not supported.") == true)
            let syntax = try await client.query("SELECT Id FROM", token: token)
            #expect(syntax.error?.code == "MALFORMED_QUERY")
            let missing = try await client.get("/services/data/v62.0/query", token: token)
            #expect(missing.status == .badRequest)
            #expect(missing.error?.code == "MALFORMED_QUERY")
        }
    }

    @Test("REC-9 the HubSpot user gets only the accounts flagged Send_to_HubSpot__c, with attributes")
    func onlyFlaggedAccounts() async throws {
        try await ServedAcme().run { client in
            let token = try await client.login(Acme.hubspot)
            let reply = try await client.query(
                "SELECT Id, Name, Send_to_HubSpot__c FROM Account ORDER BY Name", token: token)
            #expect(reply.status == .ok)
            #expect(Self.names(reply) == ["Globex Corporation", "Northwind Traders", "Stark Logistics"])
            #expect(reply.json?["totalSize"]?.intValue == 3)
            #expect(reply.json?["done"]?.boolValue == true)
            #expect(reply.json?["nextRecordsUrl"] == nil)
            for record in reply.json?["records"]?.arrayValue ?? [] {
                #expect(record["Send_to_HubSpot__c"]?.boolValue == true)
                #expect(record["attributes"]?["type"]?.stringValue == "Account")
                let id = record["Id"]?.stringValue ?? ""
                #expect(
                    record["attributes"]?["url"]?.stringValue == "/services/data/v62.0/sobjects/Account/\(id)"
                )
                // Keys in SELECT order after attributes.
                #expect(
                    record.objectValue?.map { $0.0 } == ["attributes", "Id", "Name", "Send_to_HubSpot__c"])
            }
            let count = try await client.query("SELECT COUNT() FROM Account", token: token)
            #expect(count.json?["totalSize"]?.intValue == 3)
            #expect(count.json?["records"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test(
        "pagination: nextRecordsUrl paths of the same resource, batchSize from Sforce-Query-Options, q ignored on next pages"
    )
    func pagination() async throws {
        try await ServedAcme(change: { ExtraRecords.flaggedAccounts(450, in: &$0) }).run { client in
            let token = try await client.login(Acme.hubspot)
            var reply = try await client.query(
                "SELECT Id, Name FROM Account ORDER BY Name", token: token, all: true,
                headers: ["Sforce-Query-Options": "batchSize=200"])
            #expect(reply.json?["totalSize"]?.intValue == 453)
            var names = Self.names(reply)
            var pages = 1
            while let next = reply.json?["nextRecordsUrl"]?.stringValue {
                #expect(next.hasPrefix("/services/data/v62.0/queryAll/"))
                #expect(reply.json?["done"]?.boolValue == false)
                // tap-salesforce sends the query again with the next page: it must be ignored.
                reply = try await client.get(
                    next + "?q=SELECT+Id+FROM+Contact", token: token,
                    headers: ["Sforce-Query-Options": "batchSize=200"])
                #expect(reply.status == .ok)
                names += Self.names(reply)
                pages += 1
            }
            #expect(pages == 3)
            #expect(reply.json?["done"]?.boolValue == true)
            #expect(names.count == 453)
            #expect(names == names.sorted { $0.lowercased() < $1.lowercased() })
            #expect(Set(names).count == 453)
            // The default page is 2,000: one page.
            let whole = try await client.query("SELECT Id FROM Account", token: token)
            #expect(whole.json?["records"]?.arrayValue?.count == 453)
            #expect(whole.json?["done"]?.boolValue == true)
        }
    }

    @Test("an unknown query locator is 400 INVALID_QUERY_LOCATOR; another user's locator too")
    func badLocator() async throws {
        try await ServedAcme(change: { ExtraRecords.flaggedAccounts(300, in: &$0) }).run { client in
            let hubspot = try await client.login(Acme.hubspot)
            let unknown = try await client.get(
                "/services/data/v62.0/query/01gXXXXXXXXXXXXXXX-2000", token: hubspot)
            #expect(unknown.status == .badRequest)
            #expect(unknown.error?.code == "INVALID_QUERY_LOCATOR")
            let first = try await client.query(
                "SELECT Id FROM Account", token: hubspot, headers: ["Sforce-Query-Options": "batchSize=200"])
            let next = try #require(first.json?["nextRecordsUrl"]?.stringValue)
            let admin = try await client.login(Acme.admin)
            let stolen = try await client.get(next, token: admin)
            #expect(stolen.error?.code == "INVALID_QUERY_LOCATOR")
        }
    }

    @Test("REC-19 parent paths: a hidden parent is null; queryAll returns deleted rows, query does not")
    func parentsAndDeleted() async throws {
        try await ServedAcme().run { client in
            let hubspot = try await client.login(Acme.hubspot)
            let contacts = try await client.query(
                "SELECT LastName, Account.Name FROM Contact ORDER BY LastName", token: hubspot)
            let rows = contacts.json?["records"]?.arrayValue ?? []
            #expect(rows.compactMap { $0["LastName"]?.stringValue } == ["Davolio", "Fuller", "Scorpio"])
            #expect(rows.first?["Account"]?["Name"]?.stringValue == "Northwind Traders")
            #expect(rows.first?["Account"]?["attributes"]?["type"]?.stringValue == "Account")

            let admin = try await client.login(Acme.admin)
            let initech = try await client.query(
                "SELECT Id FROM Account WHERE Name = 'Initech'", token: admin)
            let id = try #require(initech.json?["records"]?.arrayValue?.first?["Id"]?.stringValue)
            // Its opportunity and contact first: deleting the account needs nothing else.
            let delete = try await client.send(
                .delete, "/services/data/v62.0/sobjects/Account/\(id)", token: admin)
            #expect(delete.status == .noContent, "\(delete.text)")
            let live = try await client.query("SELECT Id FROM Account WHERE Name = 'Initech'", token: admin)
            #expect(live.json?["totalSize"]?.intValue == 0)
            let all = try await client.query(
                "SELECT Id, IsDeleted FROM Account WHERE Name = 'Initech'", token: admin, all: true)
            #expect(all.json?["totalSize"]?.intValue == 1)
            #expect(all.json?["records"]?.arrayValue?.first?["IsDeleted"]?.boolValue == true)
        }
    }
}
