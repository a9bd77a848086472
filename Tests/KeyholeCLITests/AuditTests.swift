import AccessModel
import Foundation
import Governance
import SalesforceMetadata
import Testing

@testable import keyhole

/// `keyhole audit` on the example: golden text, JSON and SARIF, the JSON contract, and exit codes from the
/// built binary.
@Suite("audit")
struct AuditTests {
    /// Fixed so the expired approval in the example stays expired and the goldens stay stable.
    static let asOf = "2026-11-22"
    static let now = AuditRun.date(asOf)!

    static func output(_ format: OutputFormat, user: String? = nil) throws -> String {
        let report = try AuditRun.make(project: Acme.project, user: user, now: now)
        return try AuditRendering.render(report, project: Acme.project, format: format)
    }

    @Test("golden: audit of the example as text, JSON and SARIF")
    func golden() throws {
        Golden.check(try Self.output(.text), "audit-acme.txt")
        Golden.check(try Self.output(.json), "audit-acme.json")
        Golden.check(try Self.output(.sarif), "audit-acme.sarif")
    }

    @Test(
        "the example's audit shows the latent field permissions, View All Data, the tier-3 fields and their fixes"
    )
    func exampleContent() throws {
        let text = try Self.output(.text)
        #expect(text.contains("KH-LATENT-FLS  Contact.SSN__c"))
        #expect(text.contains("KH-VIEW-ALL-DATA"))
        #expect(text.contains("KH-TIER3-ACCESS  Contact.SSN__c"))
        #expect(text.contains("KH-FLS-QUERY-WILL-FAIL  Account.Annual_Revenue__c"))
        #expect(
            text.contains(
                "set <readable>false</readable> and <editable>false</editable> on Contact.SSN__c in profile 'Minimum Access - API Only Integrations' (force-app/main/default/profiles/Minimum Access - API Only Integrations.profile-meta.xml:"
            ))
        #expect(text.contains("deleting the entry does not remove access on deploy"))
        #expect(text.contains("Summary:"))
    }

    @Test(
        "JSON contract: findings with rule, severity, user, object, field, source, message, fix, file, line; summary counts"
    )
    func jsonContract() throws {
        let json = try Acme.json(try Self.output(.json))
        let findings = try #require(json["findings"] as? [[String: Any]])
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary["error"] == findings.filter { $0["severity"] as? String == "error" }.count)
        #expect(summary["warning"] == findings.filter { $0["severity"] as? String == "warning" }.count)
        #expect(summary["info"] == findings.filter { $0["severity"] as? String == "info" }.count)
        let ssn = try #require(
            findings.first { $0["rule"] as? String == "KH-LATENT-FLS" && $0["field"] as? String == "SSN__c" })
        #expect(ssn["severity"] as? String == "error")
        #expect(ssn["user"] as? String == Acme.hubspot)
        #expect(ssn["object"] as? String == "Contact")
        #expect(ssn["source"] as? String == "profile:\(Acme.integrationProfile)")
        #expect((ssn["file"] as? String)?.hasPrefix("force-app/") == true)
        #expect(ssn["line"] as? Int != nil)
        #expect(ssn["message"] as? String != nil)
        #expect(ssn["fix"] as? String != nil)
        let ids = Set(findings.compactMap { $0["rule"] as? String })
        #expect(ids.isSubset(of: Set(FindingRuleID.allCases.map(\.rawValue))))
    }

    @Test("SARIF 2.1.0 shape: schema, version, the Keyhole driver with every rule, results with locations")
    func sarifShape() throws {
        let sarif = try Acme.json(try Self.output(.sarif))
        #expect(sarif["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        #expect(sarif["version"] as? String == "2.1.0")
        let run = try #require((sarif["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "Keyhole")
        #expect(driver["version"] as? String != nil)
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == FindingRuleID.allCases.map(\.rawValue))
        for rule in rules {
            let help = rule["help"] as? [String: Any]
            #expect((help?["text"] as? String)?.contains("docs/rules.md#kh-") == true)
            #expect((help?["markdown"] as? String)?.contains("](docs/rules.md#kh-") == true)
            #expect((rule["shortDescription"] as? [String: Any])?["text"] as? String != nil)
            #expect((rule["fullDescription"] as? [String: Any])?["text"] as? String != nil)
            let level = (rule["defaultConfiguration"] as? [String: Any])?["level"] as? String
            #expect(["error", "warning", "note"].contains(level ?? ""))
        }
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(!results.isEmpty)
        let located = try #require(
            results.first {
                ($0["message"] as? [String: Any])?["text"] as? String != nil
                    && $0["ruleId"] as? String == "KH-LATENT-FLS"
            })
        let physical = try #require(
            ((located["locations"] as? [[String: Any]])?.first)?["physicalLocation"] as? [String: Any])
        let uri = try #require((physical["artifactLocation"] as? [String: Any])?["uri"] as? String)
        #expect(uri.hasPrefix("force-app/"))
        #expect(uri.contains("Minimum%20Access"))
        #expect((physical["region"] as? [String: Any])?["startLine"] as? Int != nil)
    }

    @Test("--user narrows the audit to one user")
    func userFilter() throws {
        let json = try Acme.json(try Self.output(.json, user: Acme.analytics))
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(!findings.isEmpty)
        #expect(findings.allSatisfy { $0["user"] as? String == Acme.analytics })
    }

    // MARK: End to end

    @Test("exit 2 with findings at or above --fail-on (default error); 0 with --fail-on never")
    func exitCodes() throws {
        let failing = try EndToEndTests.run(["audit", "Examples/acme", "--as-of", Self.asOf])
        #expect(failing.status == 2)
        #expect(failing.stdout.contains("KH-LATENT-FLS"))
        let never = try EndToEndTests.run([
            "audit", "Examples/acme", "--fail-on", "never", "--format", "json",
        ])
        #expect(never.status == 0)
        #expect(try Acme.json(never.stdout)["summary"] != nil)
    }

    @Test("exit 0 when no finding reaches --fail-on; 2 when a warning does and --fail-on is warning")
    func exitCodeThresholds() throws {
        // Rita is not an integration user; audited by name she has warnings and info, no errors.
        let rita = try EndToEndTests.run(["audit", "Examples/acme", "--user", Acme.rep, "--as-of", Self.asOf])
        #expect(rita.status == 0)
        let warning = try EndToEndTests.run([
            "audit", "Examples/acme", "--fail-on", "warning", "--format", "sarif", "--as-of", Self.asOf,
        ])
        #expect(warning.status == 2)
        #expect(try Acme.json(warning.stdout)["version"] as? String == "2.1.0")
    }

    @Test("exit 1 for an unknown user or a missing project; 64 for a bad option")
    func exitCodeErrors() throws {
        let unknown = try EndToEndTests.run(["audit", "Examples/acme", "--user", "nobody@acme.example"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("nobody@acme.example"))
        #expect(unknown.stdout.isEmpty)
        #expect(try EndToEndTests.run(["audit", "Examples/does-not-exist"]).status == 1)
        #expect(try EndToEndTests.run(["audit", "Examples/acme", "--format", "csv"]).status == 64)
        #expect(try EndToEndTests.run(["audit", "Examples/acme", "--fail-on", "sometimes"]).status == 64)
        #expect(try EndToEndTests.run(["audit", "Examples/acme", "--as-of", "22/11/2026"]).status == 64)
    }
}
