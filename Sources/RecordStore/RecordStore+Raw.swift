import Foundation
import GRDB
import SOQL

/// Entry points for benchmarks and tools, outside the access model.
extension RecordStore {
    /// The `source` a database file was loaded from, without opening it as a store; `nil` when the file
    /// does not exist or holds no Keyhole records.
    public static func storedSource(path: String) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                guard try db.tableExists(StoreSchema.metaTable) else { return nil }
                return try String.fetchOne(
                    db, sql: "SELECT \"value\" FROM \"\(StoreSchema.metaTable)\" WHERE \"key\" = 'source'")
            }
        } catch {
            return nil
        }
    }

    /// Runs hand-written SQL **without any access check** and reads every value of every row (the
    /// baseline of the store benchmark); returns the number of rows. Never call it on a user's behalf.
    public func executeUnchecked(sql: String, parameters: [SQLValue] = []) throws(RecordStoreError) -> Int {
        try reading { db in
            let rows = try Row.fetchCursor(
                try db.cachedStatement(sql: sql), arguments: Self.arguments(parameters))
            var count = 0
            while let row = try rows.next() {
                for i in 0..<row.count { _ = row[i] as DatabaseValue }
                count += 1
            }
            return count
        }
    }
}
