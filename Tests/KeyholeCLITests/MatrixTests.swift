import AccessModel
import Foundation
import Governance
import SalesforceMetadata
import Testing

@testable import keyhole

/// `keyhole matrix` and `keyhole classification` on the example org.
@Suite("matrix and classification commands")
struct MatrixTests {
    let project = Acme.project
    /// A fixed instant, so approvals' expiry does not move the golden files.
    static let now = ISO8601DateFormatter().date(from: "2026-09-01T00:00:00Z")!

    func output(_ format: OutputFormat, user: String? = nil, integrations: Bool = true) throws -> String {
        try MatrixCommand.output(
            project: project, user: user, integrations: user == nil && integrations, format: format,
            now: Self.now)
    }

    @Test("golden: matrix --integrations as CSV and Markdown")
    func golden() throws {
        Golden.check(try output(.csv), "matrix-acme-integrations.csv")
        Golden.check(try output(.md), "matrix-acme-integrations.md")
    }

    @Test("CSV: the documented columns, one line per row, lists `;`-separated")
    func csvColumns() throws {
        let lines = try output(.csv).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            lines.first
                == "user,object,field,classification,compliance,tier,access,granted_by,justification,approved_by,status"
        )
        let ssn = lines.first { $0.hasPrefix("\(Acme.hubspot),Contact,SSN__c,") }
        #expect(
            ssn
                == "\(Acme.hubspot),Contact,SSN__c,Restricted,GLBA;PII,3,read,profile:\(Acme.integrationProfile);permissionSet:\(Acme.hubspotSet),,,KH-TIER3-ACCESS"
        )
        let matrix = try MatrixCommand.matrix(project: project, user: nil, integrations: true, now: Self.now)
        #expect(lines.count == matrix.rows.count + 2)  // header, rows, final newline
    }

    @Test("CSV quotes commas, quotes and line breaks (RFC 4180)")
    func csvQuoting() {
        let row = DataAccessMatrix.Row(
            user: "u", object: "O", field: "F", tier: 2, access: .read, grantedBy: ["permissionSet:A,B"],
            justification: "Say \"yes\",\nthen sync.", status: .justified)
        let rendering = MatrixRendering(
            matrix: DataAccessMatrix(rows: [row], summaries: []), project: "p", scope: .all)
        #expect(
            rendering.csv().split(separator: "\n", maxSplits: 1)[1]
                == "u,O,F,,,2,read,\"permissionSet:A,B\",\"Say \"\"yes\"\",\nthen sync.\",,justified\n")
    }

    @Test("Markdown: a title, the per-user summary, then the table; pipes escaped")
    func markdown() throws {
        let md = try output(.md)
        #expect(md.hasPrefix("# Data access matrix: acme (integration users)\n"))
        #expect(
            md.contains("## Summary\n\n| user | name | integration | readable | tier 1 | tier 2 | tier 3 |"))
        #expect(md.contains("## Fields\n\n| user | object | field | classification |"))
        #expect(md.contains("| **KH-TIER3-ACCESS** |"))
        #expect(MatrixRendering.md("a|b") == "a\\|b")
    }

    @Test("HTML: one self-contained page with the table, data attributes, filters and the counter")
    func html() throws {
        let html = try output(.html)
        let lower = html.lowercased()
        for external in ["http://", "https://", "src=", "href=", "<link", "@import", "url("] {
            #expect(!lower.contains(external), "the page refers to an external asset: \(external)")
        }
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<style>") && html.contains("<script>"))
        #expect(html.contains("<table id=\"matrix-table\">"))
        #expect(html.contains("<span id=\"row-count\">"))
        for id in ["filter-text", "filter-tier", "filter-status", "filter-user"] {
            #expect(html.contains("id=\"\(id)\""), "\(id)")
        }
        #expect(html.contains("location.hash"))
        let matrix = try MatrixCommand.matrix(project: project, user: nil, integrations: true, now: Self.now)
        let rows = html.components(separatedBy: "<tr data-user=").count - 1 - matrix.summaries.count
        #expect(rows == matrix.rows.count)
        #expect(
            html.contains(
                "data-field=\"SSN__c\" data-tier=\"3\" data-access=\"read\" data-status=\"KH-TIER3-ACCESS\""))
        #expect(html.contains("<span class=\"badge level-restricted\">Restricted</span>"))
        #expect(html.contains("data-tier=\"1\""))
    }

    @Test("HTML escapes what it shows")
    func htmlEscaping() {
        #expect(MatrixRendering.escape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;")
    }

    @Test("JSON: users and rows with the documented keys")
    func json() throws {
        let json = try Acme.json(try output(.json))
        #expect(json["scope"] as? String == "integrations")
        let rows = try #require(json["rows"] as? [[String: Any]])
        let keys = Set(try #require(rows.first).keys)
        #expect(
            keys == [
                "user", "object", "field", "classification", "compliance", "tier", "access", "grantedBy",
                "justification", "approvedBy", "status", "latent", "masked",
            ])
        let users = try #require(json["users"] as? [[String: Any]])
        #expect(users.contains { $0["user"] as? String == Acme.hubspot && ($0["findings"] as? Int ?? 0) > 0 })
    }

    @Test("--user picks one user; an unknown user is an input error")
    func oneUser() throws {
        let csv = try output(.csv, user: "RITA.REP@acme.example")
        #expect(csv.split(separator: "\n").dropFirst().allSatisfy { $0.hasPrefix("\(Acme.rep),") })
        #expect(throws: InputError.self) { try output(.csv, user: "nobody@acme.example") }
    }

    @Test("usage errors: a format matrix does not print, --user with --integrations")
    func usage() {
        #expect(throws: (any Error).self) { try MatrixCommand.parse([Paths.acme.path, "--format", "text"]) }
        #expect(throws: (any Error).self) {
            try MatrixCommand.parse([Paths.acme.path, "--user", Acme.hubspot, "--integrations"])
        }
        #expect((try? MatrixCommand.parse([Paths.acme.path]))?.format == .csv)
    }

    @Test("--output writes the file instead of standard output")
    func outputFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "keyhole-matrix-\(UUID()).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        var command = try MatrixCommand.parse([Paths.acme.path, "--integrations", "--output", url.path])
        try command.run()
        let written = try String(contentsOf: url, encoding: .utf8)
        #expect(written == (try MatrixCommand.output(project: project, integrations: true, format: .csv)))
    }

    @Test("classification: text, CSV and JSON on the example")
    func classification() throws {
        let text = try ClassificationCommand.output(project: project, format: .text)
        #expect(text.contains("Data classification: 8 of "))
        #expect(text.contains("Restricted (tier 3, 3 fields)"))
        #expect(text.contains("Contact.Birthdate"))
        let csv = try ClassificationCommand.output(project: project, format: .csv)
        #expect(csv.hasPrefix("object,field,label,classification,compliance,tier,looks_sensitive\n"))
        #expect(csv.contains("\nContact,SSN__c,Social Security Number,Restricted,GLBA;PII,3,\n"))
        #expect(csv.contains("\nContact,Birthdate,Birthdate,,,,date of birth\n"))
        let json = try Acme.json(try ClassificationCommand.output(project: project, format: .json))
        #expect((json["classified"] as? [Any])?.count == 8)
        #expect(
            (json["unclassifiedSensitive"] as? [[String: Any]])?.contains {
                $0["field"] as? String == "Birthdate"
            } == true)
        #expect(throws: (any Error).self) {
            try ClassificationCommand.parse([Paths.acme.path, "--format", "html"])
        }
    }
}
