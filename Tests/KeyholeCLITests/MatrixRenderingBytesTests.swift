import AccessModel
import Foundation
import SalesforceMetadata
import Testing

@testable import Governance
@testable import keyhole

/// The matrix's CSV and JSON are written straight into bytes; they must be exactly what `JSONEncoder`
/// (`Console.json`) and a plain RFC 4180 writer give.
@Suite("matrix rendering as bytes")
struct MatrixRenderingBytesTests {
    /// Rows with every kind of text JSON and CSV escape: quotes, backslashes, slashes, control characters,
    /// line breaks, commas, semicolons, non-ASCII, empty and missing values.
    static let rows: [DataAccessMatrix.Row] = {
        let texts = [
            "plain", "with \"quotes\"", "back\\slash", "a/b", "tab\there", "line\nbreak", "cr\r\n",
            "bell\u{7}",
            "nul\u{0}", "esc\u{1B}", "\u{1F}", "del\u{7F}", "é ü 名前 🐞", "\u{2028}\u{2029}", "a,b", "a;b", "",
            " padded ",
        ]
        var rows: [DataAccessMatrix.Row] = []
        let statuses: [FieldPolicyStatus.Status] = [
            .ok, .justified, .approved, .finding(.tier3Access), .finding(.latentFLS),
        ]
        for (index, text) in texts.enumerated() {
            rows.append(
                DataAccessMatrix.Row(
                    user: "user\(index)@x.example/\(text)", object: "Obj\(index)", field: text,
                    classification: index % 3 == 0 ? nil : text,
                    compliance: index % 2 == 0 ? [] : [text, "PII"],
                    tier: index % 4, access: [.none, .read, .edit][index % 3],
                    grantedBy: index % 5 == 0 ? [] : ["profile:\(text)", "permissionSet:P"],
                    justification: index % 2 == 0 ? text : nil, approvedBy: index % 3 == 1 ? text : nil,
                    status: statuses[index % statuses.count], latent: index % 2 == 1, masked: index % 7 == 0))
        }
        rows.append(DataAccessMatrix.Row(user: "u", object: "O", field: "F", tier: 12, access: .read))
        rows.append(DataAccessMatrix.Row(user: "u", object: "O", field: "G", tier: -1, access: .edit))
        return rows
    }()

    static let summaries = [
        DataAccessMatrix.UserSummary(
            user: "user1@x.example", name: "One \"1\"", isIntegration: true,
            readableByTier: [1: 3, 2: 0, 3: 1, 10: 2],
            readable: 4, editable: 1, findings: 2, findingsByRule: ["KH-TIER3-ACCESS": 1, "KH-LATENT-FLS": 1]),
        DataAccessMatrix.UserSummary(
            user: "user2@x.example", name: nil, isIntegration: false, readableByTier: [1: 0, 2: 0, 3: 0],
            readable: 0, editable: 0, findings: 0, findingsByRule: [:]),
    ]

    struct Document: Encodable {
        var project: String
        var scope: String
        var users: [DataAccessMatrix.UserSummary]
        var rows: [DataAccessMatrix.Row]
    }

    @Test("JSON is byte for byte what JSONEncoder prints", arguments: [0, 1, 2, 20])
    func json(rowCount: Int) throws {
        let rows = Array((Self.rows + Self.rows).prefix(rowCount))
        let matrix = DataAccessMatrix(rows: rows, summaries: Self.summaries)
        for scope in [MatrixRendering.Scope.all, .integrations, .user("user1@x.example")] {
            let rendering = MatrixRendering(matrix: matrix, project: "p \"rows\" : [", scope: scope)
            let expected = try Console.json(
                Document(project: "p \"rows\" : [", scope: scope.key, users: Self.summaries, rows: rows))
            #expect(try rendering.json() == expected)
        }
    }

    @Test("JSON of every awkward row is what JSONEncoder prints")
    func jsonAllRows() throws {
        let matrix = DataAccessMatrix(rows: Self.rows, summaries: [])
        let rendering = MatrixRendering(matrix: matrix, project: "p", scope: .all)
        let expected = try Console.json(Document(project: "p", scope: "all", users: [], rows: Self.rows))
        #expect(try rendering.json() == expected)
    }

    @Test("CSV is what a plain RFC 4180 writer gives")
    func csv() {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var expected = MatrixRendering.columns.joined(separator: ",") + "\n"
        for row in Self.rows {
            expected +=
                [
                    field(row.user), field(row.object), field(row.field), field(row.classification ?? ""),
                    field(row.compliance.joined(separator: ";")), String(row.tier), row.access.rawValue,
                    field(row.grantedBy.joined(separator: ";")), field(row.justification ?? ""),
                    field(row.approvedBy ?? ""), row.status.rawValue,
                ].joined(separator: ",") + "\n"
        }
        let rendering = MatrixRendering(
            matrix: DataAccessMatrix(rows: Self.rows, summaries: []), project: "p", scope: .all)
        #expect(rendering.csv() == expected)
    }
}
