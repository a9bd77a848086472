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
    func csv() -> String {
        var out = String()
        out.reserveCapacity(64 + matrix.rows.count * 160)
        out += Self.columns.joined(separator: ",")
        out += "\n"
        for row in matrix.rows {
            Self.appendCSV(row.user, to: &out)
            out += ","
            Self.appendCSV(row.object, to: &out)
            out += ","
            Self.appendCSV(row.field, to: &out)
            out += ","
            Self.appendCSV(row.classification ?? "", to: &out)
            out += ","
            Self.appendCSV(row.compliance.joined(separator: ";"), to: &out)
            out += ","
            out += String(row.tier)
            out += ","
            out += row.access.rawValue
            out += ","
            Self.appendCSV(row.grantedBy.joined(separator: ";"), to: &out)
            out += ","
            Self.appendCSV(row.justification ?? "", to: &out)
            out += ","
            Self.appendCSV(row.approvedBy ?? "", to: &out)
            out += ","
            out += row.status.rawValue
            out += "\n"
        }
        return out
    }

    /// Appends one CSV field, quoted only when it holds a comma, quote or line break (checked on UTF-8
    /// bytes: this runs once per cell of a matrix that may have millions of rows).
    static func appendCSV(_ field: String, to out: inout String) {
        if field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            out += "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        } else {
            out += field
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

    /// `{"project", "scope", "columns", "users": [summary], "rows": [row]}` with sorted keys.
    func json() throws -> String {
        struct Document: Encodable {
            var project: String
            var scope: String
            var users: [DataAccessMatrix.UserSummary]
            var rows: [DataAccessMatrix.Row]
        }
        return try Console.json(
            Document(project: project, scope: scope.key, users: matrix.summaries, rows: matrix.rows))
    }
}
