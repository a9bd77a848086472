import Foundation

/// Which records of an object the user can see (`API-10`, `REC-19`): a condition on a table alias, or
/// `nil` when every record is visible (View All, View All Data).
public struct RecordVisibility: Sendable {
    public let condition: @Sendable (_ object: String, _ alias: String) -> SQLFragment?

    public init(condition: @escaping @Sendable (_ object: String, _ alias: String) -> SQLFragment?) {
        self.condition = condition
    }

    /// No restriction (tests, admin views).
    public static let unrestricted = RecordVisibility { _, _ in nil }

    /// `"alias"."Id" IN (SELECT "id" FROM "__visible" WHERE "user_key" = ? AND "object" = ?)`, except for
    /// objects in `unrestricted` (View All).
    public static func visibleTable(
        userKey: String, table: String = "__visible", unrestricted: Set<String> = []
    ) -> RecordVisibility {
        RecordVisibility { object, alias in
            if unrestricted.contains(object) { return nil }
            return SQLFragment(
                "\(SQLSchema.quote(alias)).\"Id\" IN (SELECT \"id\" FROM \(SQLSchema.quote(table)) WHERE \"user_key\" = ? AND \"object\" = ?)",
                [.text(userKey), .text(object)])
        }
    }
}
