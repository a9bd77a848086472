import AccessModel
import Foundation
import Testing

@Suite("Record Ids")
struct RecordIdTests {
    @Test("standard key prefixes")
    func prefixes() {
        let expected = [
            "Account": "001", "Contact": "003", "Lead": "00Q", "Opportunity": "006", "Case": "500",
            "User": "005",
            "Task": "00T", "Event": "00U", "Campaign": "701", "Contract": "800", "Product2": "01t",
            "Pricebook2": "01s", "Order": "801", "Asset": "02i",
        ]
        for (object, prefix) in expected {
            #expect(RecordId.keyPrefix(for: object) == prefix)
            #expect(RecordId.make(object: object, referenceId: "X").hasPrefix(prefix))
        }
    }

    @Test("custom objects get a deterministic a-prefix that is not a standard one")
    func customPrefix() {
        let p = RecordId.keyPrefix(for: "Invoice__c")
        #expect(p.count == 3 && p.hasPrefix("a"))
        #expect(p == RecordId.keyPrefix(for: "Invoice__c"))
        #expect(p != RecordId.keyPrefix(for: "Payment__c"))
        #expect(!RecordId.standardPrefixes.values.contains(p))
    }

    @Test("the 15 → 18 checksum matches Salesforce's algorithm")
    func checksum() {
        #expect(RecordId.checksum("0015000000Gv7qJ") == "AAR")
        #expect(RecordId.normalize("0015000000Gv7qJ") == "0015000000Gv7qJAAR")
        #expect(RecordId.normalize("0015000000Gv7qJAAR") == "0015000000Gv7qJAAR")
        #expect(RecordId.normalize("0015000000Gv7qJaar") == "0015000000Gv7qJAAR")
        #expect(RecordId.normalize("0015000000Gv7qJAAA") == nil)
        #expect(RecordId.normalize("001-too-short") == nil)
    }

    @Test("Ids are 18 characters, valid, deterministic, and differ by reference id")
    func determinism() {
        let a = RecordId.make(object: "Account", referenceId: "AccountRef1")
        #expect(a.count == 18)
        #expect(RecordId.isValid(a))
        #expect(RecordId.normalize(String(a.prefix(15))) == a)
        #expect(a == RecordId.make(object: "Account", referenceId: "AccountRef1"))
        #expect(a != RecordId.make(object: "Account", referenceId: "AccountRef2"))
        var seen = Set<String>()
        for i in 0..<20_000 { seen.insert(RecordId.make(object: "Account", referenceId: "R\(i)")) }
        #expect(seen.count == 20_000)
    }

    @Test("FieldValue text forms are stable")
    func fieldValueText() {
        #expect(FieldValue.string("O'Brien").soqlText == "'O\\'Brien'")
        #expect(FieldValue.number(12.5).soqlText == "12.5")
        #expect(FieldValue.boolean(true).soqlText == "true")
        #expect(FieldValue.null.soqlText == "null")
        #expect(FieldValue.parseNumber("1-2") == nil)
        #expect(FieldValue.parseNumber("12abc") == nil)
        #expect(FieldValue.parseNumber("-3.5") == Decimal(string: "-3.5"))
        #expect(FieldValue.parseNumber("1e3") == 1000)
        #expect(FieldValue.parseDate("2024-02-30") == nil)
        #expect(FieldValue.parseDate("2024-02-29") == .date("2024-02-29"))
        #expect(FieldValue.parseDateTime("2024-01-31T10:00:00Z") == .dateTime("2024-01-31T10:00:00.000Z"))
        #expect(
            FieldValue.parseDateTime("2024-01-31T11:00:00.000+0100") == .dateTime("2024-01-31T10:00:00.000Z"))
    }
}
