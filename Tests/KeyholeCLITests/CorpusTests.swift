import AccessModel
import Foundation
import SalesforceMetadata
import Testing

@testable import keyhole

/// Real metadata (`../shared/corpus`, scan mode): a generated user per profile and per permission set is
/// evaluated and rendered as explain JSON without error.
@Suite("corpus")
struct CorpusTests {
    static let folders: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Paths.corpus.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(
                atPath: Paths.corpus.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }()

    /// One user per profile (licence: the profile's, else `Salesforce`), one per permission set (on a
    /// profile of the folder).
    static func users(for org: Org) -> [User] {
        let profiles = org.profiles.keys.sorted()
        var users = profiles.enumerated().map { i, name in
            User(
                username: "profile\(i)@corpus.test", license: org.profiles[name]?.userLicense ?? "Salesforce",
                profile: name)
        }
        let base = profiles.first
        for (i, set) in org.permissionSets.keys.sorted().enumerated() {
            users.append(
                User(
                    username: "permissionset\(i)@corpus.test",
                    license: base.flatMap { org.profiles[$0]?.userLicense } ?? "Salesforce",
                    profile: base ?? "Standard", permissionSets: [Assignment(name: set)]))
        }
        return users
    }

    @Test("corpus folders are found")
    func found() {
        #expect(!Self.folders.isEmpty, "no folders under \(Paths.corpus.path)")
    }

    @Test(
        "every corpus folder: evaluate and render explain JSON for a user per profile and permission set",
        arguments: folders)
    func explainEveryone(folder: String) throws {
        var project = Project.load(path: Paths.corpus.appendingPathComponent(folder).path, forceScan: true)
        let users = Self.users(for: project.org)
        project.org.users = users
        let evaluator = AccessEvaluator(org: project.org)
        let accesses = evaluator.evaluate(users)
        #expect(accesses.count == users.count)
        var sharing: SharingEvaluator?
        for user in users {
            let report = try ExplainReport.make(user: user, evaluator: evaluator) {
                if let sharing { return sharing }
                let made = evaluator.sharingEvaluator()
                sharing = made
                return made
            }
            let json = try Console.json(report)
            #expect(json.hasPrefix("{"))
            #expect(report.objects.allSatisfy { !$0.reasons.isEmpty }, "\(folder) \(user.profile)")
        }
    }
}
