import Testing

@testable import APIServer
@testable import RecordStore

/// Query pages are written straight to bytes; the text must be exactly what the JSON tree gives.
@Suite("query pages as JSON text")
struct QueryJSONTextTests {
    static let page: QueryResult = {
        let owner = ResultRecord(
            type: "User", id: "005000000000001AAA",
            fields: [ResultField(name: "Name", value: .string("Rita \"Rep\" \\ Ünïcode\n\t\u{1}"))])
        let child = QueryResult(
            totalSize: 1, done: true,
            records: [
                ResultRecord(type: "Contact", id: nil, fields: [ResultField(name: "LastName", value: .null)])
            ])
        let account = ResultRecord(
            type: "Account", id: "001000000000001AAA",
            fields: [
                ResultField(name: "Name", value: .string("Northwind / Traders")),
                ResultField(name: "NumberOfEmployees", value: .integer(-240)),
                ResultField(name: "AnnualRevenue", value: .double(12_500_000.5)),
                ResultField(name: "Rating", value: .double(3)),
                ResultField(name: "Send_to_HubSpot__c", value: .boolean(true)),
                ResultField(name: "IsDeleted", value: .boolean(false)),
                ResultField(name: "Description", value: .null),
                ResultField(name: "Owner", value: .record(owner)),
                ResultField(
                    name: "BillingAddress",
                    value: .compound([
                        ResultField(name: "city", value: .string("Paris")),
                        ResultField(name: "latitude", value: .double(48.85)),
                    ])),
                ResultField(name: "Contacts", value: .subquery(child)),
            ])
        let aggregate = ResultRecord(
            type: "AggregateResult", id: nil, fields: [ResultField(name: "expr0", value: .integer(7))])
        return QueryResult(
            totalSize: 4_000, done: false, records: [account, aggregate], nextLocator: "01g-2000")
    }()

    @Test("every value kind, nested records, compounds, subqueries, escapes, with and without a next page")
    func sameAsTree() {
        for next in ["/services/data/v62.0/query/01g-2000", nil] as [String?] {
            let tree = Self.page.json(version: "62.0", nextRecordsURL: next).text
            #expect(
                String(decoding: Self.page.jsonBytes(version: "62.0", nextRecordsURL: next), as: UTF8.self)
                    == tree)
        }
        let empty = QueryResult(totalSize: 0, done: true, records: [])
        #expect(
            String(decoding: empty.jsonBytes(version: "20.0", nextRecordsURL: nil), as: UTF8.self)
                == empty.json(version: "20.0", nextRecordsURL: nil).text)
    }
}
