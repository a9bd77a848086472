import AccessModel
import Foundation

/// Manual shares (`REC-17`) from `shares.json` and `<Object>Share.csv`.
extension RecordDataLoader {
    mutating func readSharesJSON(_ path: String, _ data: Data) {
        guard let root = try? JSONValue.parse(data) else {
            error("KH-DATA-MALFORMED", path, nil, "not valid JSON")
            return
        }
        guard let list = root.arrayValue ?? root.objectValue?["shares"]?.arrayValue else {
            error("KH-DATA-MALFORMED", path, nil, "expected {\"shares\": [...]} or a JSON array of shares")
            return
        }
        for (n, item) in list.enumerated() {
            let o = item.objectValue ?? [:]
            let locator = "share \(n + 1)"
            let kinds = ["user", "group", "role", "roleAndSubordinates"].filter { o[$0] != nil }
            guard let record = o["record"]?.text ?? o["recordId"]?.text, kinds.count == 1,
                let principal = o[kinds[0]]?.text
            else {
                error(
                    "KH-DATA-BAD-SHARE", path, nil,
                    "\(locator): needs `record` and exactly one of `user`, `group`, `role`, `roleAndSubordinates`"
                )
                continue
            }
            rawShares.append(
                RawShare(
                    record: record, principal: principal, kind: kinds[0],
                    level: o["accessLevel"]?.text ?? "Read",
                    file: path, line: nil, locator: locator))
        }
    }

    mutating func readSharesCSV(_ path: String, _ data: Data, object: String) {
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
        let header = table.header.map { $0.lowercased() }
        func column(_ names: [String]) -> Int? {
            names.lazy.compactMap { header.firstIndex(of: $0.lowercased()) }.first
        }
        guard let recordColumn = column(["ParentId", "\(object)Id", "RecordId"]),
            let principalColumn = column(["UserOrGroupId"])
        else {
            error(
                "KH-DATA-MALFORMED", path, 1,
                "a share file needs columns `ParentId` (or `\(object)Id`) and `UserOrGroupId`")
            return
        }
        let levelColumn = column(["AccessLevel", "\(object)AccessLevel"])
        for (n, row) in table.rows.enumerated() {
            func cell(_ c: Int?) -> String { c.flatMap { $0 < row.cells.count ? row.cells[$0] : nil } ?? "" }
            rawShares.append(
                RawShare(
                    record: cell(recordColumn), principal: cell(principalColumn), kind: nil,
                    level: cell(levelColumn).isEmpty ? "Read" : cell(levelColumn), file: path, line: row.line,
                    locator: "row \(n + 1)"))
        }
    }

    mutating func convert(_ s: RawShare) {
        func bad(_ message: String) { error("KH-DATA-BAD-SHARE", s.file, s.line, "\(s.locator): \(message)") }
        var recordId: String?
        if s.record.hasPrefix("@") {
            recordId = referenceToId[String(s.record.dropFirst())]
        } else if let id = RecordId.normalize(s.record) {
            recordId = id
        } else {
            recordId = referenceToId[s.record]
        }
        guard let id = recordId, records.record(id: id) != nil else {
            error(
                "KH-DATA-DANGLING-REF", s.file, s.line,
                "\(s.locator): record `\(s.record)` is not in the data")
            return
        }
        guard let level = AccessLevel(metadataName: s.level), level == .read || level == .edit else {
            bad("access level `\(s.level)`: manual shares give Read or Edit (REC-17)")
            return
        }
        var kind = s.kind
        var name = s.principal
        if kind == nil, let colon = name.firstIndex(of: ":") {
            kind = String(name[..<colon])
            name = String(name[name.index(after: colon)...])
        }
        let principal: ManualShare.Principal
        let knownUser = canonicalUsername(name) ?? RecordId.normalize(name).flatMap { usernameById[$0] }
        if kind == "user" || (kind == nil && knownUser != nil) {
            guard let username = knownUser else {
                bad(
                    "user `\(name)` is not in keyhole.yaml\(Suggestion.hint(for: name, in: org.users.map(\.username)))"
                )
                return
            }
            principal = .user(username)
        } else if kind == "group" || kind == nil {
            guard org.groups[name] != nil else {
                bad(
                    "`\(name)` is neither a user nor a group\(Suggestion.hint(for: name, in: Array(org.groups.keys) + org.users.map(\.username)))"
                )
                return
            }
            principal = .group(name)
        } else if kind == "role" || kind == "roleAndSubordinates" {
            guard org.roles[name] != nil else {
                bad("role `\(name)` is not in the project\(Suggestion.hint(for: name, in: org.roles.keys))")
                return
            }
            principal = kind == "role" ? .role(name) : .roleAndSubordinates(name)
        } else {
            bad("unknown principal kind `\(kind ?? "")`; use user:, group:, role: or roleAndSubordinates:")
            return
        }
        shares.append(ManualShare(recordId: id, sharedWith: principal, accessLevel: level))
    }
}
