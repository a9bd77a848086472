import AccessModel
import Foundation
import Governance

/// The data access matrix as CSV, Markdown, JSON and HTML (`MatrixRendering+HTML.swift`). Rendering only:
/// every value comes from `DataAccessMatrix`.
struct MatrixRendering {
    /// Which users the matrix was asked for, for titles.
    enum Scope: Equatable {
        case all, integrations
        case user(String)

        var title: String {
            switch self {
            case .all: "all users"
            case .integrations: "integration users"
            case .user(let name): name
            }
        }

        var key: String {
            switch self {
            case .all: "all"
            case .integrations: "integrations"
            case .user: "user"
            }
        }
    }

    static let columns = [
        "user", "object", "field", "classification", "compliance", "tier", "access", "granted_by",
        "justification", "approved_by", "status",
    ]

    var matrix: DataAccessMatrix
    /// The project folder's name.
    var project: String
    var scope: Scope

    /// The row's cells in `columns` order (lists `;`-separated).
    static func cells(_ row: DataAccessMatrix.Row) -> [String] {
        [
            row.user, row.object, row.field, row.classification ?? "", row.compliance.joined(separator: ";"),
            String(row.tier), row.access.rawValue, row.grantedBy.joined(separator: ";"),
            row.justification ?? "", row.approvedBy ?? "", row.status.rawValue,
        ]
    }

    /// Tiers shown in summaries: 1…3 and any other the rows use.
    var tiers: [Int] {
        var tiers: Set<Int> = [1, 2, 3]
        for summary in matrix.summaries { tiers.formUnion(summary.readableByTier.keys) }
        return tiers.sorted()
    }

    // MARK: CSV

    /// RFC 4180: a header line, then one line per row; fields with a comma, quote or line break quoted.
    func csv() -> String { String(decoding: csvBytes(), as: UTF8.self) }

    /// `csv()` as UTF-8, written straight into bytes: a matrix can have millions of rows.
    func csvBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + matrix.rows.count * 120)
        out += Self.columns.joined(separator: ",").utf8
        out.append(Self.newline)
        for row in matrix.rows {
            Self.appendCSV(row.user, to: &out)
            out.append(Self.comma)
            Self.appendCSV(row.object, to: &out)
            out.append(Self.comma)
            Self.appendCSV(row.field, to: &out)
            out.append(Self.comma)
            Self.appendCSV(row.classification ?? "", to: &out)
            out.append(Self.comma)
            Self.appendCSV(row.compliance, to: &out)
            out.append(Self.comma)
            Self.appendInteger(row.tier, to: &out)
            out.append(Self.comma)
            out += row.access.rawValue.utf8
            out.append(Self.comma)
            Self.appendCSV(row.grantedBy, to: &out)
            out.append(Self.comma)
            Self.appendCSV(row.justification ?? "", to: &out)
            out.append(Self.comma)
            Self.appendCSV(row.approvedBy ?? "", to: &out)
            out.append(Self.comma)
            out += row.status.rawValue.utf8
            out.append(Self.newline)
        }
        return out
    }

    static let comma = UInt8(ascii: ",")
    static let newline = UInt8(ascii: "\n")
    static let quote = UInt8(ascii: "\"")

    /// Appends one CSV field, quoted only when it holds a comma, quote or line break.
    static func appendCSV(_ field: String, to out: inout [UInt8]) {
        let utf8 = field.utf8
        if utf8.contains(where: { $0 == comma || $0 == quote || $0 == 0x0A || $0 == 0x0D }) {
            out.append(quote)
            for byte in utf8 {
                if byte == quote { out.append(quote) }
                out.append(byte)
            }
            out.append(quote)
        } else {
            out += utf8
        }
    }

    /// Appends a list as one CSV field, its items `;`-separated.
    static func appendCSV(_ items: [String], to out: inout [UInt8]) {
        switch items.count {
        case 0: return
        case 1: appendCSV(items[0], to: &out)
        default: appendCSV(items.joined(separator: ";"), to: &out)
        }
    }

    static func appendInteger(_ value: Int, to out: inout [UInt8]) {
        if (0...9).contains(value) {
            out.append(UInt8(ascii: "0") + UInt8(value))
        } else {
            out += String(value).utf8
        }
    }

    // MARK: Markdown

    /// A report section: a title, what it covers, a per-user summary, then the table.
    func markdown() -> String {
        var lines: [String] = []
        lines.append("# Data access matrix: \(Self.md(project)) (\(Self.md(scope.title)))")
        lines.append("")
        let users = matrix.summaries.count
        let readable = matrix.rows.filter { $0.access >= .read }.count
        let findings = matrix.summaries.reduce(0) { $0 + $1.findings }
        lines.append(
            "\(users) user\(users == 1 ? "" : "s"), \(matrix.rows.count) row\(matrix.rows.count == 1 ? "" : "s") "
                + "(\(readable) readable field\(readable == 1 ? "" : "s")), \(findings) finding\(findings == 1 ? "" : "s"). "
                + "Rows cover every field of the objects each user can read and every classified field they cannot. "
                + "Tier 1 is open, tier 2 needs a justification, tier 3 an approval by security; "
                + "classification never changes access (CLS-6).")
        lines.append("")
        lines.append("## Summary")
        lines.append("")
        let tiers = self.tiers
        lines.append(
            "| user | name | integration | readable | "
                + tiers.map { "tier \($0)" }.joined(separator: " | ") + " | editable | findings |")
        lines.append("|---|---|---|---:|" + tiers.map { _ in "---:" }.joined(separator: "|") + "|---:|---:|")
        for s in matrix.summaries {
            let perTier = tiers.map { String(s.readableByTier[$0] ?? 0) }.joined(separator: " | ")
            let byRule = s.findingsByRule.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            let findingText = byRule.isEmpty ? "0" : "\(s.findings) (\(byRule.joined(separator: ", ")))"
            lines.append(
                "| \(Self.md(s.user)) | \(Self.md(s.name ?? "")) | \(s.isIntegration ? "yes" : "no") | \(s.readable) | "
                    + "\(perTier) | \(s.editable) | \(findingText) |")
        }
        lines.append("")
        lines.append("## Fields")
        lines.append("")
        lines.append(
            "| " + Self.columns.map { $0.replacingOccurrences(of: "_", with: " ") }.joined(separator: " | ")
                + " |")
        lines.append("|" + Self.columns.map { $0 == "tier" ? "---:" : "---" }.joined(separator: "|") + "|")
        for row in matrix.rows {
            var cells = Self.cells(row).map(Self.md)
            cells[4] = row.compliance.map(Self.md).joined(separator: ", ")
            cells[7] = row.grantedBy.map(Self.md).joined(separator: "<br>")
            if row.status.isFinding { cells[10] = "**\(cells[10])**" }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Markdown table cell: pipes, backslashes, `*` and backticks escaped, `<` as an entity, line breaks as
    /// spaces. Underscores stay (`Annual_Revenue__c` is read as is inside words).
    static func md(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "|": out += "\\|"
            case "\\": out += "\\\\"
            case "\n", "\r": out += " "
            case "<": out += "&lt;"
            case "*", "`": out += "\\\(c)"
            default: out.append(c)
            }
        }
        return out
    }

    // MARK: JSON

    /// `{"project", "scope", "users": [summary], "rows": [row]}` with sorted keys, as `Console.json` prints.
    func json() throws -> String { String(decoding: try jsonBytes(), as: UTF8.self) }

    /// `json()` as UTF-8. The document without its rows goes through `JSONEncoder` (`Console.json`); the rows,
    /// nearly all of a large matrix, are written straight into bytes in the same form: `JSONEncoder` takes
    /// minutes and gigabytes for a million rows.
    func jsonBytes() throws -> [UInt8] {
        struct Document: Encodable {
            var project: String
            var scope: String
            var users: [DataAccessMatrix.UserSummary]
            var rows: [DataAccessMatrix.Row]
        }
        let head = try Console.json(
            Document(project: project, scope: scope.key, users: matrix.summaries, rows: []))
        var out: [UInt8] = []
        out.reserveCapacity(head.utf8.count + matrix.rows.count * 400)
        let emptyRows = "\n  \"rows\" : [\n\n  ]"
        guard !matrix.rows.isEmpty, let range = head.range(of: emptyRows) else {
            out += head.utf8
            return out
        }
        out += head[..<range.lowerBound].utf8
        out += "\n  \"rows\" : [\n".utf8
        for (index, row) in matrix.rows.enumerated() {
            if index > 0 { out += ",\n".utf8 }
            Self.appendJSON(row, to: &out)
        }
        out += "\n  ]".utf8
        out += head[range.upperBound...].utf8
        return out
    }

    /// One row as `JSONEncoder` prints it inside the document (pretty, sorted keys, slashes unescaped).
    static func appendJSON(_ row: DataAccessMatrix.Row, to out: inout [UInt8]) {
        out += "    {\n      \"access\" : ".utf8
        appendJSONString(row.access.rawValue, to: &out)
        out += ",\n      \"approvedBy\" : ".utf8
        appendJSONString(row.approvedBy, to: &out)
        out += ",\n      \"classification\" : ".utf8
        appendJSONString(row.classification, to: &out)
        out += ",\n      \"compliance\" : ".utf8
        appendJSONArray(row.compliance, to: &out)
        out += ",\n      \"field\" : ".utf8
        appendJSONString(row.field, to: &out)
        out += ",\n      \"grantedBy\" : ".utf8
        appendJSONArray(row.grantedBy, to: &out)
        out += ",\n      \"justification\" : ".utf8
        appendJSONString(row.justification, to: &out)
        out += ",\n      \"latent\" : ".utf8
        out += (row.latent ? "true" : "false").utf8
        out += ",\n      \"masked\" : ".utf8
        out += (row.masked ? "true" : "false").utf8
        out += ",\n      \"object\" : ".utf8
        appendJSONString(row.object, to: &out)
        out += ",\n      \"status\" : ".utf8
        appendJSONString(row.status.rawValue, to: &out)
        out += ",\n      \"tier\" : ".utf8
        appendInteger(row.tier, to: &out)
        out += ",\n      \"user\" : ".utf8
        appendJSONString(row.user, to: &out)
        out += "\n    }".utf8
    }

    /// A list of strings at the rows' nesting level (an empty one as `[`, a blank line, `]`).
    static func appendJSONArray(_ items: [String], to out: inout [UInt8]) {
        out += "[\n".utf8
        if items.isEmpty {
            out += "\n      ]".utf8
            return
        }
        for (index, item) in items.enumerated() {
            if index > 0 { out += ",\n".utf8 }
            out += "        ".utf8
            appendJSONString(item, to: &out)
        }
        out += "\n      ]".utf8
    }

    static func appendJSONString(_ text: String?, to out: inout [UInt8]) {
        guard let text else {
            out += "null".utf8
            return
        }
        out.append(quote)
        for byte in text.utf8 {
            switch byte {
            case quote: out += "\\\"".utf8
            case UInt8(ascii: "\\"): out += "\\\\".utf8
            case 0x0A: out += "\\n".utf8
            case 0x0D: out += "\\r".utf8
            case 0x09: out += "\\t".utf8
            case 0x08: out += "\\b".utf8
            case 0x0C: out += "\\f".utf8
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += "\\u00".utf8
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(quote)
    }
}
