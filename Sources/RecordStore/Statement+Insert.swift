import Foundation
import GRDB
import GRDBSQLite

extension Statement {
    /// Binds `values` in order and runs the statement once (an `INSERT`), through SQLite's own bind
    /// calls: building GRDB's `StatementArguments` went through its generic value conversion for every
    /// value, a third of loading a million records.
    ///
    /// - Throws: `DatabaseError` with SQLite's code and message when the step fails.
    func executeInsert(_ values: [DatabaseValue], _ db: Database) throws {
        let statement = sqliteStatement
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (i, value) in values.enumerated() {
            let index = CInt(i + 1)
            let code: CInt =
                switch value.storage {
                case .null: sqlite3_bind_null(statement, index)
                case .int64(let n): sqlite3_bind_int64(statement, index, n)
                case .double(let d): sqlite3_bind_double(statement, index, d)
                case .string(let text): sqlite3_bind_text(statement, index, text, -1, transient)
                case .blob(let data):
                    data.withUnsafeBytes {
                        sqlite3_bind_blob(statement, index, $0.baseAddress, CInt($0.count), transient)
                    }
                }
            guard code == SQLITE_OK else { throw Self.error(code, db) }
        }
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else { throw Self.error(code, db) }
    }

    private static func error(_ code: CInt, _ db: Database) -> DatabaseError {
        let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
    }
}
