import APIServer
import AccessModel
import Foundation
import Testing

/// Bulk API 2.0 query jobs (`rest-api.md` §2.6) and limits (§2.7).
@Suite("bulk 2.0 and limits")
struct BulkAndLimitsTests {
    typealias Acme = ServedAcme
    static let base = "/services/data/v62.0"

    @Test(
        "Bulk 2.0: create (UploadComplete), poll (JobComplete), CSV results in chunks with Sforce-Locator, delete"
    )
    func bulkFlow() async throws {
        try await ServedAcme(change: { ExtraRecords.flaggedAccounts(250, in: &$0) }).run { client in
            let token = try await client.login(Acme.hubspot)
            let created = try await client.send(
                .post, "\(Self.base)/jobs/query", token: token,
                body:
                    #"{"operation":"queryAll","query":"SELECT Id, Name, Industry FROM Account ORDER BY Name","contentType":"CSV","columnDelimiter":"COMMA","lineEnding":"LF"}"#
            )
            #expect(created.status == .ok, "\(created.text)")
            let job = try #require(created.json)
            let id = try #require(job["id"]?.stringValue)
            #expect(id.hasPrefix("750") && id.count == 18)
            #expect(job["state"]?.stringValue == "UploadComplete")
            #expect(job["object"]?.stringValue == "Account")
            #expect(job["operation"]?.stringValue == "queryAll")
            #expect(job["apiVersion"] == .number("62.0"))

            let status = try await client.get("\(Self.base)/jobs/query/\(id)", token: token)
            #expect(status.json?["state"]?.stringValue == "JobComplete")
            #expect(status.json?["numberRecordsProcessed"]?.intValue == 253)
            #expect(status.json?["jobType"]?.stringValue == "V2Query")

            var lines: [String] = []
            var locator: String? = nil
            var chunks = 0
            repeat {
                let query = "maxRecords=100" + (locator.map { "&locator=\($0)" } ?? "")
                let chunk = try await client.get(
                    "\(Self.base)/jobs/query/\(id)/results?\(query)", token: token)
                #expect(chunk.status == .ok)
                #expect(chunk["Content-Type"] == "text/csv")
                let rows = chunk.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(
                    String.init)
                #expect(rows.first == #""Id","Name","Industry""#)
                #expect(Int(chunk["Sforce-NumberOfRecords"] ?? "") == rows.count - 1)
                lines += rows.dropFirst()
                locator = chunk["Sforce-Locator"]
                chunks += 1
            } while locator != nil && locator != "null"
            #expect(chunks == 3)
            #expect(lines.count == 253)
            #expect(lines.contains { $0.hasSuffix(#","Northwind Traders","Retail""#) })
            #expect(!lines.contains { $0.contains("Initech") })

            let deleted = try await client.send(.delete, "\(Self.base)/jobs/query/\(id)", token: token)
            #expect(deleted.status == .noContent)
            let gone = try await client.get("\(Self.base)/jobs/query/\(id)", token: token)
            #expect(gone.status == .notFound)
        }
    }

    @Test(
        "Bulk 2.0: SOQL errors are synchronous 400s; compound fields are refused with airbyte's message; jobs are per user"
    )
    func bulkErrors() async throws {
        try await ServedAcme().run { client in
            let analytics = try await client.login(Acme.analytics)
            let hidden = try await client.send(
                .post, "\(Self.base)/jobs/query", token: analytics,
                body: #"{"operation":"query","query":"SELECT Annual_Revenue__c FROM Account"}"#)
            #expect(hidden.status == .badRequest)
            #expect(hidden.error?.code == "INVALID_FIELD")
            let compound = try await client.send(
                .post, "\(Self.base)/jobs/query", token: analytics,
                body: #"{"operation":"query","query":"SELECT Id, BillingAddress FROM Account"}"#)
            #expect(compound.status == .badRequest)
            #expect(compound.error?.message == "Selecting compound data not supported in Bulk Query")
            let job = try await client.send(
                .post, "\(Self.base)/jobs/query", token: analytics,
                body: #"{"operation":"query","query":"SELECT Id FROM Account"}"#)
            let id = try #require(job.json?["id"]?.stringValue)
            let hubspot = try await client.login(Acme.hubspot)
            let foreign = try await client.get("\(Self.base)/jobs/query/\(id)/results", token: hubspot)
            #expect(foreign.status == .notFound)
            let aborted = try await client.send(
                .patch, "\(Self.base)/jobs/query/\(id)", token: analytics, body: #"{"state":"Aborted"}"#)
            #expect(aborted.json?["state"]?.stringValue == "Aborted")
        }
    }

    @Test("every response carries Sforce-Limit-Info api-usage=N/M, counting requests; errors too")
    func limitInfoHeader() async throws {
        try await ServedAcme().run { client in
            let versions = try await client.send(.get, "/services/data")
            let unauthorized = try await client.send(.get, "\(Self.base)/sobjects")
            let token = try await client.login(Acme.hubspot)
            let ok = try await client.get("\(Self.base)/sobjects", token: token)
            let notFound = try await client.get("\(Self.base)/nothing", token: token)
            var counts: [Int] = []
            for reply in [versions, unauthorized, ok, notFound] {
                let header = try #require(reply["Sforce-Limit-Info"])
                // tap-salesforce's pattern: ^api-usage=(\d+)/(\d+)$
                let parts = header.split(separator: "=")
                #expect(parts.first == "api-usage")
                let numbers = parts.last?.split(separator: "/").compactMap { Int($0) } ?? []
                #expect(numbers.count == 2)
                counts.append(numbers.first ?? 0)
                #expect(Double(numbers.first ?? 0) / Double(numbers.last ?? 1) < 0.8)
            }
            #expect(counts == counts.sorted() && Set(counts).count == counts.count)
        }
    }

    @Test("limits: Salesforce's keys with Max and Remaining; recordCount counts only visible records")
    func limits() async throws {
        try await ServedAcme().run { client in
            let token = try await client.login(Acme.hubspot)
            let limits = try await client.get("\(Self.base)/limits/", token: token)
            #expect(limits.json?["DailyApiRequests"]?["Max"]?.intValue != nil)
            #expect(limits.json?["DailyBulkV2QueryJobs"]?["Remaining"]?.intValue != nil)
            let counts = try await client.get(
                "\(Self.base)/limits/recordCount?sObjects=Account,Contact,Opportunity", token: token)
            let entries = try #require(counts.json?["sObjects"]?.arrayValue)
            #expect(entries.map { $0["name"]?.stringValue } == ["Account", "Contact"])
            #expect(entries.map { $0["count"]?.intValue } == [3, 3])
        }
    }
}
