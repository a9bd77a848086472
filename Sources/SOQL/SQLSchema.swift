import AccessModel
import Foundation

/// How records are laid out in SQLite, for the SQL generator (and for `RecordStore`, which creates the
/// tables):
///
/// - One table per object, named by the object's canonical API name (`"Account"`, `"Invoice__c"`),
///   optionally with `tablePrefix`; names are always double-quoted (embedded quotes doubled).
/// - One column per stored field, named by the field's canonical API name (`"AnnualRevenue"`). Compound
///   address and location fields (`BillingAddress`) have no column: their components do.
/// - `"Id"` is `TEXT PRIMARY KEY` holding the 18-character Id; reference columns (`"AccountId"`,
///   `"OwnerId"`) hold the 18-character Id of the parent. A parent path joins the parent's table on `"Id"`.
/// - `"IsDeleted"` is `INTEGER NOT NULL DEFAULT 0` in every table; `query` keeps rows with 0,
///   `queryAll` every row.
/// - Values: text, picklist, Id and reference as `TEXT`; multi-select picklists as `TEXT` with values
///   joined by `;`; numbers, currency and percent as `REAL` or `INTEGER`; checkboxes as `INTEGER` 0/1;
///   dates as `TEXT` `YYYY-MM-DD`; datetimes as `TEXT` `YYYY-MM-DDThh:mm:ss.sssZ` in UTC (fixed width,
///   so text order is time order); times as `TEXT` `hh:mm:ss.sssZ`.
/// - Text comparisons and sorting are case-insensitive (`COLLATE NOCASE`), as in SOQL.
/// - Record visibility comes from a `RecordVisibility` provider; the default layout it assumes is a table
///   `"__visible"("user_key" TEXT, "object" TEXT, "id" TEXT)` of the records each user can see.
public struct SQLSchema: Hashable, Sendable {
    public var tablePrefix: String
    public var deletedColumn: String
    public var idColumn: String

    public init(tablePrefix: String = "", deletedColumn: String = "IsDeleted", idColumn: String = "Id") {
        self.tablePrefix = tablePrefix
        self.deletedColumn = deletedColumn
        self.idColumn = idColumn
    }

    /// The quoted table name of `object`.
    public func table(_ object: String) -> String { Self.quote(tablePrefix + object) }

    /// The quoted column name of `field`.
    public func column(_ field: String) -> String { Self.quote(field) }

    /// `"alias"."Field"`.
    public func column(_ field: String, of alias: String) -> String {
        Self.quote(alias) + "." + column(field)
    }

    /// An SQL identifier in double quotes.
    public static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
