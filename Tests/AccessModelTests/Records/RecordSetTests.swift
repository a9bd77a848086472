import AccessModel
import Testing

/// `RecordSet.upsert`, which the record store uses to keep its sharing mirror in step with writes: the
/// set after any sequence of upserts answers exactly as a set built from scratch from the final records.
@Suite("Record set upserts")
struct RecordSetTests {
    static let accounts = ["A1", "A2", "A3"].map { Record(object: "Account", referenceId: $0) }

    static func contact(_ ref: String, account: Int?, name: String = "c") -> Record {
        var fields: [String: FieldValue] = ["LastName": .string(name)]
        if let account { fields["AccountId"] = .string(accounts[account].id) }
        return Record(object: "Contact", referenceId: ref, fields: fields)
    }

    /// Every question a set answers, for comparing two sets.
    static func answers(_ set: RecordSet) -> [String] {
        var out: [String] = []
        for object in set.objectNames {
            for (i, record) in set.records(of: object).enumerated() {
                out.append("\(object)[\(i)] \(record.id) \(record.fields.keys.sorted()) \(record.name ?? "")")
                out.append("at \(String(describing: set.location(id: record.id)))")
                if let ref = record.referenceId {
                    out.append("ref \(ref) \(set.record(referenceId: ref)?.id ?? "-")")
                }
            }
        }
        for account in accounts {
            out.append(
                "children \(account.id) \(set.children(of: account.id, object: "Contact", field: "AccountId").map(\.id))"
            )
        }
        return out
    }

    @Test("replacing a record keeps its position and re-indexes its lookup; a new Id is appended")
    func upserts() {
        var set = RecordSet(Self.accounts + [Self.contact("C1", account: 0), Self.contact("C2", account: 0)])
        let moved = Self.contact("C1", account: 1, name: "moved")
        #expect(set.upsert(moved)?.fields["AccountId"] == .string(Self.accounts[0].id))
        #expect(set.location(id: moved.id)?.index == 0)
        #expect(
            set.children(of: Self.accounts[0].id, object: "Contact", field: "AccountId").map(\.referenceId)
                == ["C2"])
        #expect(
            set.children(of: Self.accounts[1].id, object: "Contact", field: "AccountId").map(\.name) == [
                "moved"
            ])
        #expect(set.upsert(Self.contact("C3", account: nil)) == nil)
        #expect(set.count == 6)
    }

    @Test("any sequence of upserts answers as the set built from the final records", arguments: 1...20)
    func matchesRebuilt(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var set = RecordSet(Self.accounts)
        var latest: [String: Record] = [:]
        var order: [String] = []
        for step in 0..<40 {
            let ref = "C\(random.next() % 6)"
            let account = random.next() % 4
            let record = Self.contact(ref, account: account == 3 ? nil : Int(account), name: "v\(step)")
            set.upsert(record)
            if latest[ref] == nil { order.append(ref) }
            latest[ref] = record
        }
        let rebuilt = RecordSet(Self.accounts + order.map { latest[$0]! })
        #expect(Self.answers(set) == Self.answers(rebuilt))
        #expect(set == rebuilt)
    }
}
