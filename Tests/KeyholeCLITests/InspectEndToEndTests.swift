import Foundation
import Testing

/// `keyhole inspect` run as a subprocess on good and broken projects: exit codes 0, 1 and 64, and every
/// error on stderr with its file and line.
@Suite("inspect end to end")
struct InspectEndToEndTests {
    @Test("the example: exit 0, the summary on stdout")
    func example() throws {
        let run = try EndToEndTests.run(["inspect", "Examples/acme"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("no errors"))
    }

    @Test("a folder that does not exist: exit 1 and a message naming it")
    func missingFolder() throws {
        let run = try EndToEndTests.run(["inspect", "/nonexistent/keyhole-project"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("no folder at '/nonexistent/keyhole-project'"))
    }

    @Test("a truncated XML file and an unknown profile: exit 1, both reported with file and line")
    func brokenProject() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kh-e2e-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Paths.acme, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let set = copy.appendingPathComponent(
            "force-app/main/default/permissionsets/Sales_Reporting.permissionset-meta.xml")
        let text = try String(contentsOf: set, encoding: .utf8)
        try String(text.prefix(text.count / 2)).write(to: set, atomically: true, encoding: .utf8)
        let yaml = copy.appendingPathComponent("keyhole.yaml")
        try (try String(contentsOf: yaml, encoding: .utf8))
            .replacingOccurrences(
                of: "profile: Standard\n    role: Sales_Rep", with: "profile: Standrd\n    role: Sales_Rep"
            )
            .write(to: yaml, atomically: true, encoding: .utf8)
        let run = try EndToEndTests.run(["inspect", copy.path])
        #expect(run.status == 1)
        #expect(
            run.stderr.contains(
                "force-app/main/default/permissionsets/Sales_Reporting.permissionset-meta.xml:"))
        #expect(
            run.stderr.contains("keyhole.yaml:21: error: user rita.rep@acme.example names profile 'Standrd'"))
        #expect(run.stderr.contains("Did you mean 'Standard'?"))
    }

    @Test("an unsupported format: usage error, exit 64")
    func badFormat() throws {
        let run = try EndToEndTests.run(["inspect", "Examples/acme", "--format", "sarif"])
        #expect(run.status == 64)
    }
}
