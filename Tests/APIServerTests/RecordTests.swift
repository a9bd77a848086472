import APIServer
import AccessModel
import Foundation
import Testing

/// Record GET/POST/PATCH/DELETE, upsert and collections (`rest-api.md` §2.5, §3): every write is checked
/// against object permission, record access and field editability; denials are 4xx.
@Suite("records and DML")
struct RecordTests {
    typealias Acme = ServedAcme
    static let base = "/services/data/v62.0"

    static func accountId(_ name: String, _ client: ServedAcme.Client) async throws -> String {
        let admin = try await client.login(Acme.admin)
        let reply = try await client.query("SELECT Id FROM Account WHERE Name = '\(name)'", token: admin)
        return try #require(reply.json?["records"]?.arrayValue?.first?["Id"]?.stringValue)
    }

    @Test("API-11 GET a record: the user's readable fields; ?fields=; a record not shared is 404 NOT_FOUND")
    func getRecord() async throws {
        try await ServedAcme().run { client in
            let northwind = try await Self.accountId("Northwind Traders", client)
            let initech = try await Self.accountId("Initech", client)
            let hubspot = try await client.login(Acme.hubspot)
            let record = try await client.get("\(Self.base)/sobjects/Account/\(northwind)", token: hubspot)
            #expect(record.status == .ok)
            #expect(record.json?["Name"]?.stringValue == "Northwind Traders")
            #expect(
                record.json?["attributes"]?["url"]?.stringValue
                    == "\(Self.base)/sobjects/Account/\(northwind)")
            #expect(record.json?["AnnualRevenue"] == nil, "not readable by HubSpot")
            let some = try await client.get(
                "\(Self.base)/sobjects/Account/\(northwind)?fields=Name,Industry", token: hubspot)
            #expect(some.json?.objectValue?.map { $0.0 } == ["attributes", "Name", "Industry"])
            let hidden = try await client.get("\(Self.base)/sobjects/Account/\(initech)", token: hubspot)
            #expect(hidden.status == .notFound)
            #expect(hidden.error?.code == "NOT_FOUND")
            let malformed = try await client.get("\(Self.base)/sobjects/Account/abc", token: hubspot)
            #expect(malformed.status == .badRequest)
            #expect(malformed.error?.code == "MALFORMED_ID")
        }
    }

    @Test("REC-9 a write flipping Send_to_HubSpot__c changes what the HubSpot user sees on the next request")
    func flipChangesVisibility() async throws {
        try await ServedAcme().run { client in
            let initech = try await Self.accountId("Initech", client)
            let hubspot = try await client.login(Acme.hubspot)
            let rep = try await client.login(Acme.rep)
            let before = try await client.query("SELECT Name FROM Account", token: hubspot)
            #expect(!QueryTests.names(before).contains("Initech"))
            #expect(
                try await client.get("\(Self.base)/sobjects/Account/\(initech)", token: hubspot).status
                    == .notFound)

            let flag = try await client.send(
                .patch, "\(Self.base)/sobjects/Account/\(initech)", token: rep,
                body: #"{"Send_to_HubSpot__c": true}"#)
            #expect(flag.status == .noContent, "\(flag.text)")
            let after = try await client.query("SELECT Name FROM Account", token: hubspot)
            #expect(QueryTests.names(after).contains("Initech"))
            #expect(after.json?["totalSize"]?.intValue == 4)
            // The account's contacts come with it (contactAccessLevel Read).
            let contacts = try await client.query("SELECT LastName FROM Contact", token: hubspot)
            #expect(
                contacts.json?["records"]?.arrayValue?.contains { $0["LastName"]?.stringValue == "Gibbons" }
                    == true)

            let unflag = try await client.send(
                .patch, "\(Self.base)/sobjects/Account/\(initech)", token: rep,
                body: #"{"Send_to_HubSpot__c": false}"#)
            #expect(unflag.status == .noContent)
            let again = try await client.query("SELECT Name FROM Account", token: hubspot)
            #expect(!QueryTests.names(again).contains("Initech"))
        }
    }

    @Test(
        "API-9 the HubSpot user (Read only) cannot create, update or delete: INSUFFICIENT_ACCESS_OR_READONLY")
    func readOnlyUserDenied() async throws {
        try await ServedAcme().run { client in
            let northwind = try await Self.accountId("Northwind Traders", client)
            let hubspot = try await client.login(Acme.hubspot)
            let create = try await client.send(
                .post, "\(Self.base)/sobjects/Account", token: hubspot, body: #"{"Name":"X"}"#)
            let update = try await client.send(
                .patch, "\(Self.base)/sobjects/Account/\(northwind)", token: hubspot, body: #"{"Phone":"1"}"#)
            let delete = try await client.send(
                .delete, "\(Self.base)/sobjects/Account/\(northwind)", token: hubspot)
            for reply in [create, update, delete] {
                #expect((400..<500).contains(reply.status.code))
                #expect(reply.error?.code == "INSUFFICIENT_ACCESS_OR_READONLY", "\(reply.text)")
            }
            let still = try await client.get("\(Self.base)/sobjects/Account/\(northwind)", token: hubspot)
            #expect(still.status == .ok)
        }
    }

    @Test(
        "API-6 API-7 field checks on writes: unreadable → INVALID_FIELD, read-only → INVALID_FIELD_FOR_INSERT_UPDATE, missing Name → REQUIRED_FIELD_MISSING"
    )
    func fieldDenials() async throws {
        try await ServedAcme().run { client in
            let analytics = try await client.login(Acme.analytics)
            let hidden = try await client.send(
                .post, "\(Self.base)/sobjects/Account", token: analytics,
                body: #"{"Name":"Analytics Co","Annual_Revenue__c":5}"#)
            #expect(hidden.status == .badRequest)
            #expect(hidden.error?.code == "INVALID_FIELD")
            #expect(hidden.error?.message == "No such column 'Annual_Revenue__c' on sobject of type Account")
            let readOnly = try await client.send(
                .post, "\(Self.base)/sobjects/Account", token: analytics,
                body: #"{"Name":"Analytics Co","Customer_Tier__c":"Gold"}"#)
            #expect(readOnly.status == .badRequest)
            #expect(readOnly.error?.code == "INVALID_FIELD_FOR_INSERT_UPDATE")
            #expect(readOnly.json?.arrayValue?.first?["fields"] == .array([.string("Customer_Tier__c")]))
            let missing = try await client.send(
                .post, "\(Self.base)/sobjects/Account", token: analytics, body: #"{}"#)
            #expect(missing.error?.code == "REQUIRED_FIELD_MISSING")
            #expect(missing.error?.message == "Required fields are missing: [Name]")
            let notJSON = try await client.send(
                .post, "\(Self.base)/sobjects/Account", token: analytics, body: "{nope")
            #expect(notJSON.status == .badRequest)
            #expect(notJSON.error?.code == "JSON_PARSER_ERROR")
        }
    }

    @Test("create, read back, update and delete as a user who may: 201, 204, 204, then 404 ENTITY_IS_DELETED")
    func crudRoundTrip() async throws {
        try await ServedAcme().run { client in
            let analytics = try await client.login(Acme.analytics)
            let created = try await client.send(
                .post, "\(Self.base)/sobjects/Account/", token: analytics,
                body: #"{"Name":"Keyhole Test Co"}"#)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json?["success"]?.boolValue == true)
            #expect(created.json?["errors"] == .array([]))
            let id = try #require(created.json?["id"]?.stringValue)
            #expect(id.hasPrefix("001") && id.count == 18)
            let read = try await client.get("\(Self.base)/sobjects/Account/\(id)", token: analytics)
            #expect(read.json?["Name"]?.stringValue == "Keyhole Test Co")
            let update = try await client.send(
                .patch, "\(Self.base)/sobjects/Account/\(id)", token: analytics,
                body: #"{"Name":"Keyhole Renamed"}"#)
            #expect(update.status == .noContent)
            let renamed = try await client.get(
                "\(Self.base)/sobjects/Account/\(id)?fields=Name", token: analytics)
            #expect(renamed.json?["Name"]?.stringValue == "Keyhole Renamed")
            let delete = try await client.send(
                .delete, "\(Self.base)/sobjects/Account/\(id)", token: analytics)
            #expect(delete.status == .noContent)
            let again = try await client.send(
                .delete, "\(Self.base)/sobjects/Account/\(id)", token: analytics)
            #expect(again.status == .notFound)
            #expect(again.error?.code == "ENTITY_IS_DELETED")
        }
    }

    @Test("upsert by Id: 201 created, 200 updated (v46.0+), 204 before v46.0; unknown key field is 404")
    func upsert() async throws {
        try await ServedAcme().run { client in
            let northwind = try await Self.accountId("Northwind Traders", client)
            let admin = try await client.login(Acme.admin)
            let update = try await client.send(
                .patch, "\(Self.base)/sobjects/Account/Id/\(northwind)", token: admin,
                body: #"{"Phone":"+1 555"}"#)
            #expect(update.status == .ok, "\(update.text)")
            #expect(update.json?["created"]?.boolValue == false)
            #expect(update.json?["id"]?.stringValue == northwind)
            let old = try await client.send(
                .patch, "/services/data/v40.0/sobjects/Account/Id/\(northwind)", token: admin,
                body: #"{"Phone":"+1 556"}"#)
            #expect(old.status == .noContent)
            let unknownField = try await client.send(
                .patch, "\(Self.base)/sobjects/Account/NoSuchField__c/1", token: admin, body: #"{"Name":"X"}"#
            )
            #expect((400..<500).contains(unknownField.status.code))
        }
    }

    @Test(
        "composite/sobjects: per-record results, failures with statusCode; GET ?ids= returns null for unseen records"
    )
    func collections() async throws {
        try await ServedAcme().run { client in
            let northwind = try await Self.accountId("Northwind Traders", client)
            let initech = try await Self.accountId("Initech", client)
            let analytics = try await client.login(Acme.analytics)
            let created = try await client.send(
                .post, "\(Self.base)/composite/sobjects", token: analytics,
                body:
                    #"{"allOrNone":false,"records":[{"attributes":{"type":"Account"},"Name":"One"},{"attributes":{"type":"Account"},"Name":"Two","Annual_Revenue__c":1}]}"#
            )
            let results = try #require(created.json?.arrayValue)
            #expect(results.count == 2)
            #expect(results[0]["success"]?.boolValue == true)
            #expect(results[1]["success"]?.boolValue == false)
            #expect(results[1]["errors"]?.arrayValue?.first?["statusCode"]?.stringValue == "INVALID_FIELD")
            let hubspot = try await client.login(Acme.hubspot)
            let read = try await client.get(
                "\(Self.base)/composite/sobjects/Account?ids=\(northwind),\(initech)&fields=Id,Name",
                token: hubspot)
            let records = try #require(read.json?.arrayValue)
            #expect(records.count == 2)
            #expect(records[0]["Name"]?.stringValue == "Northwind Traders")
            #expect(records[1] == .null)
            let newId = try #require(results[0]["id"]?.stringValue)
            let deleted = try await client.send(
                .delete, "\(Self.base)/composite/sobjects?ids=\(newId),\(northwind)&allOrNone=false",
                token: hubspot)
            let outcomes = try #require(deleted.json?.arrayValue)
            #expect(outcomes.allSatisfy { $0["success"]?.boolValue == false })
            let allOrNone = try await client.send(
                .post, "\(Self.base)/composite/sobjects", token: analytics,
                body: #"{"allOrNone":true,"records":[{"attributes":{"type":"Account"},"Name":"Three"}]}"#)
            #expect(allOrNone.status == .badRequest)
        }
    }

    @Test("composite: subrequests in order with @{ref.id} references; batch: independent results")
    func composite() async throws {
        try await ServedAcme().run { client in
            let analytics = try await client.login(Acme.analytics)
            let reply = try await client.send(
                .post, "\(Self.base)/composite", token: analytics,
                body: """
                    {"compositeRequest":[
                      {"method":"POST","url":"/services/data/v62.0/sobjects/Account","referenceId":"acct","body":{"Name":"Composite Co"}},
                      {"method":"GET","url":"/services/data/v62.0/sobjects/Account/@{acct.id}?fields=Name","referenceId":"read"},
                      {"method":"GET","url":"/services/data/v62.0/query?q=SELECT+Annual_Revenue__c+FROM+Account","referenceId":"bad"}
                    ]}
                    """)
            let responses = try #require(reply.json?["compositeResponse"]?.arrayValue)
            #expect(responses.count == 3)
            #expect(responses[0]["httpStatusCode"]?.intValue == 201)
            #expect(responses[1]["httpStatusCode"]?.intValue == 200)
            #expect(responses[1]["body"]?["Name"]?.stringValue == "Composite Co")
            #expect(responses[2]["httpStatusCode"]?.intValue == 400)
            #expect(responses[2]["body"]?.arrayValue?.first?["errorCode"]?.stringValue == "INVALID_FIELD")
            let batch = try await client.send(
                .post, "\(Self.base)/composite/batch", token: analytics,
                body:
                    #"{"batchRequests":[{"method":"GET","url":"v62.0/limits"},{"method":"GET","url":"v62.0/sobjects/Account/describe"}]}"#
            )
            #expect(batch.json?["hasErrors"]?.boolValue == false)
            #expect(batch.json?["results"]?.arrayValue?.map { $0["statusCode"]?.intValue } == [200, 200])
        }
    }
}
