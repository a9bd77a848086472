import AccessModel
import Foundation

/// Reads record data files into records, manual shares and diagnostics (see `RecordData`).
struct RecordDataLoader {
    let org: Org
    var records = RecordSet()
    var shares: [ManualShare] = []
    var diagnostics: [Diagnostic] = []
    var raw: [RawRecord] = []
    var rawShares: [RawShare] = []
    var ids: [String] = []
    var referenceToId: [String: String] = [:]
    var referenceToRaw: [String: Int] = [:]
    /// Object types by the name the data uses (`nil` when the project has no such object).
    var objectTypes: [String: SObjectType?] = [:]
    /// `file|object|field` already reported, so a bad column is one error, not one per row.
    var reported: Set<String> = []
    let usernameById: [String: String]

    init(org: Org) {
        self.org = org
        var byId: [String: String] = [:]
        for user in org.users {
            byId[RecordId.make(object: "User", referenceId: user.username)] = user.username
            if let id = user.id.flatMap(RecordId.normalize) { byId[id] = user.username }
        }
        usernameById = byId
    }

    /// The username as `keyhole.yaml` spells it, for a name in any case.
    func canonicalUsername(_ name: String) -> String? {
        org.userIndex(named: name).map { org.users[$0].username }
    }

    static func fileName(_ path: String) -> String { (path as NSString).lastPathComponent }

    mutating func error(_ code: String, _ file: String, _ line: Int?, _ message: String) {
        diagnostics.append(.error(code, file: file, line: line, message))
    }

    // MARK: Files

    mutating func load(_ files: [(path: String, contents: Data)]) {
        let plans = files.filter { Self.fileName($0.path).hasSuffix("-plan.json") }.sorted {
            $0.path < $1.path
        }
        var ordered: [(path: String, contents: Data)] = []
        var used: Set<String> = []
        for plan in plans {
            used.insert(plan.path)
            guard let entries = (try? JSONValue.parse(plan.contents))?.arrayValue else {
                error(
                    "KH-DATA-MALFORMED", plan.path, nil,
                    "the plan is not a JSON array of {sobject, files} entries")
                continue
            }
            let directory = (plan.path as NSString).deletingLastPathComponent
            for entry in entries {
                for name in entry.objectValue?["files"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                    let wanted = directory.isEmpty ? name : directory + "/" + name
                    guard
                        let file = files.first(where: {
                            $0.path == wanted || $0.path == name || $0.path.hasSuffix("/" + name)
                        })
                    else {
                        error(
                            "KH-DATA-PLAN-MISSING-FILE", plan.path, nil,
                            "the plan lists `\(name)`, which is not in the data folder")
                        continue
                    }
                    if used.insert(file.path).inserted { ordered.append(file) }
                }
            }
        }
        ordered += files.filter { !used.contains($0.path) }.sorted { $0.path < $1.path }
        for file in ordered {
            let name = Self.fileName(file.path)
            let lower = name.lowercased()
            if lower == "shares.json" {
                readSharesJSON(file.path, file.contents)
            } else if lower.hasSuffix("share.csv") {
                readSharesCSV(file.path, file.contents, object: String(name.dropLast("Share.csv".count)))
            } else if lower.hasSuffix(".json") {
                readTree(file.path, file.contents)
            } else if lower.hasSuffix(".csv") {
                readCSV(file.path, file.contents, object: String(name.dropLast(4)))
            } else {
                diagnostics.append(
                    .note("KH-DATA-IGNORED", file: file.path, "not a .json or .csv data file; ignored"))
            }
        }
        assignIds()
        for i in raw.indices { convert(i) }
        for share in rawShares { convert(share) }
    }

    mutating func readTree(_ path: String, _ data: Data) {
        guard let root = try? JSONValue.parse(data) else {
            error("KH-DATA-MALFORMED", path, nil, "not valid JSON")
            return
        }
        // `sf data tree export` writes {"records": [...]}; `sf data query --json` writes
        // {"status": 0, "result": {"records": [...]}}.
        guard
            let list = root.objectValue?["records"]?.arrayValue
                ?? root.objectValue?["result"]?.objectValue?["records"]?.arrayValue
        else {
            error(
                "KH-DATA-MALFORMED", path, nil,
                "expected {\"records\": [...]} (sf data tree format) or an `sf data query --json` export")
            return
        }
        for (n, item) in list.enumerated() { readTreeRecord(path, item, position: n + 1, parent: nil) }
    }

    mutating func readTreeRecord(_ path: String, _ item: JSONValue, position: Int, parent: Int?) {
        guard let object = item.objectValue else {
            error("KH-DATA-MALFORMED", path, nil, "record \(position) is not a JSON object")
            return
        }
        let attributes = object["attributes"]?.objectValue
        let reference = attributes?["referenceId"]?.stringValue
        guard let type = attributes?["type"]?.stringValue, !type.isEmpty else {
            let locator = reference.map { "record `\($0)`" } ?? "record \(position)"
            error("KH-DATA-MALFORMED", path, nil, "\(locator) has no attributes.type; it is not loaded")
            return
        }
        var values: [(String, JSONValue)] = []
        var children: [JSONValue] = []
        var explicitId: String?
        for key in object.keys.sorted() where key != "attributes" {
            let value = object[key]!
            if let nested = value.objectValue?["records"]?.arrayValue {
                children += nested
            } else if let parent = value.objectValue, parent["attributes"] != nil {
                // A parent relationship from a query export (`"Owner": {"Username": …}`): only the
                // owner's username is used, when `OwnerId` is absent.
                if key == "Owner", object["OwnerId"] == nil, let username = parent["Username"] {
                    values.append(("OwnerId", username))
                }
            } else if key == "Id" {
                explicitId = value.text
            } else {
                values.append((key, value))
            }
        }
        let index = raw.count
        raw.append(
            RawRecord(
                object: type, referenceId: reference, explicitId: explicitId, values: values, file: path,
                line: nil, place: .tree(position: position), parent: parent.map { ("", $0) }))
        for (n, child) in children.enumerated() {
            readTreeRecord(path, child, position: n + 1, parent: index)
        }
    }

    mutating func readCSV(_ path: String, _ data: Data, object: String) {
        guard let text = String(data: data, encoding: .utf8) else {
            error("KH-DATA-MALFORMED", path, nil, "not UTF-8 text")
            return
        }
        let table: CSVTable
        do {
            table = try CSVTable.parse(text)
        } catch {
            self.error("KH-DATA-MALFORMED", path, error.line, "not valid CSV: \(error.message)")
            return
        }
        // What each column holds, decided once for the file.
        enum Column {
            case skipped, referenceId, id
            case value(String)
        }
        let columns: [Column] = table.header.map { column in
            if column.isEmpty { return .skipped }
            switch column.lowercased() {
            case "referenceid": return .referenceId
            case "id": return .id
            default: return .value(column)
            }
        }
        raw.reserveCapacity(raw.count + table.rows.count)
        for (n, row) in table.rows.enumerated() {
            if row.cells.count != table.header.count {
                error(
                    "KH-DATA-MALFORMED", path, row.line,
                    "row \(n + 1) has \(row.cells.count) cells but the header has \(table.header.count); missing cells are empty"
                )
            }
            var values: [(String, JSONValue)] = []
            values.reserveCapacity(columns.count)
            var reference: String?
            var explicitId: String?
            for (c, column) in columns.enumerated() {
                let cell = c < row.cells.count ? row.cells[c] : ""
                switch column {
                case .skipped: break
                case .referenceId: reference = cell.isEmpty ? nil : cell
                case .id:
                    if RecordId.isValid(cell) {
                        explicitId = cell
                    } else if !cell.isEmpty {
                        reference = reference ?? cell
                    }
                case .value(let name): values.append((name, cell.isEmpty ? .null : .string(cell)))
                }
            }
            raw.append(
                RawRecord(
                    object: object, referenceId: reference ?? "\(object)_\(n + 1)", explicitId: explicitId,
                    values: values, file: path, line: row.line, place: .row(n + 1, named: reference != nil),
                    parent: nil))
        }
    }

    // MARK: Ids

    mutating func assignIds() {
        var fileCounters: [String: Int] = [:]
        // Key prefixes and counter keys, computed once per object and per file and object.
        var prefixes: [String: String] = [:]
        var last: (file: String, object: String, key: String, prefix: String)?
        ids.reserveCapacity(raw.count)
        referenceToId.reserveCapacity(raw.count)
        referenceToRaw.reserveCapacity(raw.count)
        for (i, r) in raw.enumerated() {
            let id: String
            if let explicit = r.explicitId, let normal = RecordId.normalize(explicit) {
                id = normal
            } else {
                if let explicit = r.explicitId, !explicit.isEmpty {
                    error(
                        "KH-DATA-BAD-VALUE", r.file, r.line,
                        "\(r.locator), field `Id`: `\(explicit)` is not a 15- or 18-character Salesforce Id; an Id is derived from the reference id"
                    )
                }
                if last == nil || last!.file != r.file || last!.object != r.object {
                    let prefix = prefixes[r.object] ?? RecordId.keyPrefix(for: r.object)
                    prefixes[r.object] = prefix
                    last = (r.file, r.object, "\(r.file)#\(r.object)", prefix)
                }
                let key = last!.key
                fileCounters[key, default: 0] += 1
                id = RecordId.make(
                    object: r.object, keyPrefix: last!.prefix,
                    referenceId: r.referenceId ?? "\(Self.fileName(r.file))#\(fileCounters[key]!)")
            }
            ids.append(id)
            if let ref = r.referenceId {
                if referenceToId[ref] != nil {
                    error(
                        "KH-DATA-DUPLICATE-REF", r.file, r.line,
                        "\(r.locator): reference id `\(ref)` is used by another record; `@\(ref)` points to the first"
                    )
                } else {
                    referenceToId[ref] = id
                    referenceToRaw[ref] = i
                }
            }
        }
    }
}
