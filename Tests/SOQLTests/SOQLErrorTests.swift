import Testing

@testable import SOQL

@Suite("SOQL errors")
struct SOQLErrorTests {
    @Test("API-2 errors carry Salesforce's error codes")
    func codes() {
        let error = SOQLError(.invalidType, "sObject type 'Invoice__c' is not supported.")
        #expect(error.code.rawValue == "INVALID_TYPE")
        #expect(error.description == "INVALID_TYPE: sObject type 'Invoice__c' is not supported.")
        #expect(SOQLError.Code.malformedQuery.rawValue == "MALFORMED_QUERY")
        #expect(SOQLError.Code.invalidField.rawValue == "INVALID_FIELD")
    }
}
