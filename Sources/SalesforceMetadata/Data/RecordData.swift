import AccessModel
import Foundation

/// Record data for record access: `sf data tree` JSON files (with an optional `*-plan.json`), CSV files
/// named after their object (`Account.csv`), and manual shares (`shares.json`, `*Share.csv`). Pure: the
/// caller reads the files and passes their contents.
///
/// **Tree JSON**: `{"records":[{"attributes":{"type":"Account","referenceId":"AccountRef1"},"Name":"…"}]}`.
/// Lookups may hold `@AccountRef1`, a reference to a record in any file, or an Id. Nested child records
/// (`"Contacts":{"records":[…]}`) are read too, their lookup to the parent set from the relationship. A plan
/// (`[{"sobject":"Account","files":["Account.json"]}]`) gives the order of its files; files it does not list
/// are read after them, by name. An `sf data query --json` export (`{"result":{"records":[…]}}`) is read the
/// same way; its `Id`s are kept and `Owner.Username` stands for a missing `OwnerId`.
///
/// **CSV**: `Account.csv`, RFC 4180, a header of field API names. Optional columns: `Id` (a Salesforce Id
/// kept as the record's Id, anything else is taken as a reference id) and `referenceId`. Rows without a
/// reference id get `Account_<row>` (the data row number, from 1). Lookups hold `@Ref`, a bare reference
/// id, or an Id.
///
/// **Owners**: `OwnerId` holds a username, a user Id (from `keyhole.yaml` or derived from the username with
/// `RecordId.make(object: "User", referenceId: username)`), or `@ref` to a User record.
///
/// **Manual shares** (`REC-17`): `shares.json` — `{"shares":[{"record":"@AccountRef1","user":"iu@acme.com",
/// "accessLevel":"Read"}]}` (or `"group":"HubSpot_Sync"`, `"role":…`, `"roleAndSubordinates":…`; a top-level
/// array works too) — or `<Object>Share.csv` with columns `ParentId` (or `<Object>Id`, or `RecordId`),
/// `UserOrGroupId` (a username, a user Id, a group name, or `group:`/`role:`/`user:` prefixed) and
/// `AccessLevel` (or `<Object>AccessLevel`): `Read` or `Edit`.
///
/// Values are checked against the org's field types; every problem is an error diagnostic naming the file,
/// the record (reference id or row) and the field. No record is dropped: a bad value is kept as `null`, an
/// unknown field as read.
public enum RecordData {
    public static func load(files: [(path: String, contents: Data)], org: Org)
        -> (records: RecordSet, manualShares: [ManualShare], diagnostics: [Diagnostic])
    {
        var loader = RecordDataLoader(org: org)
        loader.load(files)
        return (loader.records, loader.shares, loader.diagnostics)
    }

    /// Whether a file name is record data this reader understands.
    public static func isDataFile(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent.lowercased()
        return name.hasSuffix(".json") || name.hasSuffix(".csv")
    }
}

/// One record as read, before values are typed and references resolved.
struct RawRecord {
    var object: String
    var referenceId: String?
    var explicitId: String?
    var values: [(field: String, value: JSONValue)]
    var file: String
    var line: Int?
    /// Where the record is in its file, for messages (see `locator`).
    var place: Place
    /// Set for nested children: the lookup field to the parent and the parent's raw index.
    var parent: (field: String, index: Int)?

    enum Place {
        /// The position of a tree record among its siblings, from 1.
        case tree(position: Int)
        /// A CSV data row, from 1; `named` when the row gave its reference id.
        case row(Int, named: Bool)
    }

    /// `record `AccountRef1``, `record 3`, `record `A1` (row 2)` or `row 3`; built only for messages.
    var locator: String {
        switch place {
        case .tree(let position): referenceId.map { "record `\($0)`" } ?? "record \(position)"
        case .row(let row, let named):
            named ? "record `\(referenceId ?? "")` (row \(row))" : "row \(row)"
        }
    }
}

struct RawShare {
    var record: String
    var principal: String
    var kind: String?
    var level: String
    var file: String
    var line: Int?
    var locator: String
}
