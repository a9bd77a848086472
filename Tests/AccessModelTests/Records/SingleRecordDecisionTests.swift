import AccessModel
import Foundation
import SalesforceMetadata
import Testing

/// One record explained alone (`decision(username:recordId:)` on an evaluator that has indexed nothing)
/// must give exactly what the full computation gives: the same level as the bulk bitsets (`levels`) and
/// the same decision, reasons included, as the explanation taken from the object's index.
@Suite("One record decided alone agrees with the full computation")
struct SingleRecordDecisionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Scenario folders with record data.
    static var recordScenarios: [String] {
        let scenarios = root.appendingPathComponent("Tests/Scenarios")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: scenarios.path)) ?? []
        return names.filter {
            !Project.load(path: scenarios.appendingPathComponent($0).path).org.records.isEmpty
        }
        .sorted()
    }

    /// Compares, for every user and every record of the org, the decision made alone with the one from
    /// the full computation. Returns the number of pairs compared.
    @discardableResult
    static func expectSameDecisions(
        alone: SharingEvaluator, full: SharingEvaluator, _ context: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> Int {
        let org = full.org
        var compared = 0
        for user in org.users {
            for object in org.records.objectNames {
                let records = org.records.records(of: object)
                let levels = full.levels(object: object, username: user.username) ?? []
                let explained = full.decisions(username: user.username, object: object)
                for (i, record) in records.enumerated() {
                    let single = alone.decision(username: user.username, recordId: record.id)
                    #expect(
                        single == explained[i],
                        "\(context): \(user.username) on \(object) \(record.referenceId ?? record.id): alone \(String(describing: single)), full \(explained[i])",
                        sourceLocation: sourceLocation)
                    #expect(
                        single?.level == levels[i],
                        "\(context): \(user.username) on \(object) \(record.referenceId ?? record.id): alone \(String(describing: single?.level)), bulk \(levels[i])",
                        sourceLocation: sourceLocation)
                    compared += 1
                }
            }
        }
        #expect(alone.indexedObjects.isEmpty, "\(context): deciding alone indexed \(alone.indexedObjects)")
        return compared
    }

    @Test("the example org (Examples/acme): every user and record")
    func example() throws {
        let project = Project.load(path: Self.root.appendingPathComponent("Examples/acme").path)
        #expect(project.org.records.count > 10)
        let evaluator = AccessEvaluator(org: project.org)
        let compared = Self.expectSameDecisions(
            alone: evaluator.sharingEvaluator(), full: evaluator.sharingEvaluator(), "Examples/acme")
        #expect(compared == project.org.users.count * project.org.records.count)
    }

    @Test("the example org under USING SCOPE (REC-22)")
    func exampleUsingScope() throws {
        let project = Project.load(path: Self.root.appendingPathComponent("Examples/acme").path)
        let evaluator = AccessEvaluator(org: project.org)
        let options = SharingEvaluator.Options(usingScope: true)
        Self.expectSameDecisions(
            alone: evaluator.sharingEvaluator(options: options),
            full: evaluator.sharingEvaluator(options: options),
            "Examples/acme using scope")
    }

    @Test("the record scenario folders are found")
    func scenariosFound() {
        #expect(Self.recordScenarios.count >= 9, "\(Self.recordScenarios)")
    }

    @Test("a record scenario folder: every user and record", arguments: recordScenarios)
    func scenario(_ folder: String) throws {
        let project = Project.load(path: Self.root.appendingPathComponent("Tests/Scenarios/\(folder)").path)
        let evaluator = AccessEvaluator(org: project.org)
        for options in [SharingEvaluator.Options(), SharingEvaluator.Options(usingScope: true)] {
            let compared = Self.expectSameDecisions(
                alone: evaluator.sharingEvaluator(options: options),
                full: evaluator.sharingEvaluator(options: options), folder)
            #expect(compared == project.org.users.count * project.org.records.count)
        }
    }

    @Test(
        "random orgs (roles, nested groups, criteria and owner rules, Account family, manual shares, restriction rules)",
        arguments: 0..<60)
    func randomOrg(_ seed: Int) {
        let random = RandomSharingOrg(seed: UInt64(seed) &* 7919 &+ 17)
        Self.expectSameDecisions(alone: random.evaluator(), full: random.evaluator(), "seed \(seed)")
    }

    @Test("a decision after the object was indexed is the same as before")
    func afterIndexing() throws {
        let project = Project.load(path: Self.root.appendingPathComponent("Examples/acme").path)
        let sharing = AccessEvaluator(org: project.org).sharingEvaluator()
        let records = project.org.records.all
        let users = project.org.users.map(\.username)
        let before = users.map { u in records.map { sharing.decision(username: u, recordId: $0.id) } }
        #expect(sharing.indexedObjects.isEmpty)
        sharing.prepare(objects: project.org.records.objectNames)
        #expect(sharing.indexedObjects == project.org.records.objectNames)
        let after = users.map { u in records.map { sharing.decision(username: u, recordId: $0.id) } }
        #expect(before == after)
    }
}
