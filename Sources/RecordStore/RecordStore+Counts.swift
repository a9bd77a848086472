import Foundation
import GRDB
import SOQL

/// One object's record count (`GET /limits/recordCount`).
public struct RecordCount: Hashable, Sendable {
    public var name: String
    public var count: Int

    public init(name: String, count: Int) {
        self.name = name
        self.count = count
    }
}

extension RecordStore {
    /// Undeleted records per object, whoever can see them (as Salesforce's `limits/recordCount`), for
    /// `objects` (names as the org spells them; unknown names are left out) or, without a list, every
    /// object that has records; sorted by name.
    public func recordCount(_ objects: [String]? = nil) throws(RecordStoreError) -> [RecordCount] {
        let names: [String]
        if let objects {
            names = objects.compactMap { org.object(named: $0.trimmingCharacters(in: .whitespaces))?.name }
                .filter { schema.table($0) != nil }
        } else {
            names = schema.tables.keys.sorted()
        }
        return try reading { db in
            var counts: [RecordCount] = []
            for name in Set(names).sorted() {
                let count =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM \(self.schema.sql.table(name)) WHERE \"IsDeleted\" = 0"
                    ) ?? 0
                if objects != nil || count > 0 { counts.append(RecordCount(name: name, count: count)) }
            }
            return counts
        }
    }
}
