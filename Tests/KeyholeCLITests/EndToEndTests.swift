import Foundation
import Testing

/// The built `keyhole` binary run as a subprocess: exit codes and where messages go.
@Suite("end to end")
struct EndToEndTests {
    /// The binary next to the test bundle (same build folder), else `.build/debug/keyhole`.
    static let binary: URL? = {
        var candidates: [URL] = []
        let testExecutable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testExecutable.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent("keyhole"))
            folder = folder.deletingLastPathComponent()
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("keyhole"))
        candidates.append(Paths.packageRoot.appendingPathComponent(".build/debug/keyhole"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String]) throws -> Run {
        let binary = try #require(
            binary, "no keyhole binary next to the tests or at .build/debug/keyhole; run `swift build` first")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = Paths.packageRoot
        // Files, not pipes: large outputs cannot block the child.
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent(
            "keyhole-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temp) }
        let out = temp.appendingPathComponent("out")
        let err = temp.appendingPathComponent("err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
            stderr: try String(contentsOf: err, encoding: .utf8))
    }

    @Test("unknown user: exit 1, the user named on stderr with a did-you-mean hint, nothing on stdout")
    func unknownUser() throws {
        let run = try Self.run(["explain", "Examples/acme", "--user", "hubspot.integraton@acme.example"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("hubspot.integraton@acme.example"))
        #expect(run.stderr.contains("Did you mean 'hubspot.integration@acme.example'?"))
        #expect(run.stdout.isEmpty)
    }

    @Test("--field without a dot: usage error, exit 64")
    func badField() throws {
        let run = try Self.run([
            "explain", "Examples/acme", "--user", "hubspot.integration@acme.example", "--field", "Contact",
        ])
        #expect(run.status == 64)
        #expect(run.stderr.contains("Object.Field"))
        #expect(try Self.run(["who-can", "Examples/acme", "--field", "Contact"]).status == 64)
    }

    @Test("good runs exit 0 with the answer on stdout")
    func goodRuns() throws {
        let explain = try Self.run(
            [
                "explain", "Examples/acme", "--user", "hubspot.integration@acme.example", "--field",
                "Contact.SSN__c",
            ])
        #expect(explain.status == 0)
        #expect(explain.stdout.contains("read: yes"))
        let json = try Self.run(
            ["explain", "Examples/acme", "--user", "hubspot.integration@acme.example", "--format", "json"])
        #expect(json.status == 0)
        #expect(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) is [String: Any])
        let records = try Self.run(
            [
                "records", "Examples/acme", "--user", "hubspot.integration@acme.example", "--object",
                "Opportunity",
            ])
        #expect(records.status == 0)
        #expect(records.stdout.contains("cannot read Opportunity at all"))
        let whoCan = try Self.run([
            "who-can", "Examples/acme", "--object", "Account", "--access", "modifyAll",
        ])
        #expect(whoCan.status == 0)
    }

    @Test("unknown record and unknown object: exit 1 with a hint")
    func unknownRecordAndObject() throws {
        let record = try Self.run(
            [
                "explain", "Examples/acme", "--user", "hubspot.integration@acme.example", "--record",
                "Northwnd",
            ])
        #expect(record.status == 1)
        #expect(record.stderr.contains("Did you mean 'Northwind'?"))
        let object = try Self.run(["who-can", "Examples/acme", "--object", "Acount"])
        #expect(object.status == 1)
        #expect(object.stderr.contains("Did you mean 'Account'?"))
    }
}
