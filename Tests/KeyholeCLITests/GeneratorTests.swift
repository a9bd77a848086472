import AccessModel
import Foundation
import SalesforceMetadata
import Testing

@testable import keyhole

/// `keyhole generate`: a real project that loads cleanly, the same bytes for the same seed.
@Suite struct GeneratorTests {
    static func tinySize() -> OrgGenerator.Size {
        var size = OrgGenerator.Size()
        size.users = 40
        size.objects = 4
        size.fieldsPerObject = 6
        size.profiles = 3
        size.permissionSets = 8
        size.permissionSetGroups = 3
        size.publicGroups = 6
        size.roles = 12
        size.roleDepth = 4
        size.criteriaRules = 3
        size.ownerRules = 2
        size.records = 200
        return size
    }

    static func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("kh-gen-test-\(UUID().uuidString)")
    }

    /// Every regular file below `root`, by relative path, with its bytes.
    static func contents(of root: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let base = root.standardizedFileURL.path + "/"
        let enumerator = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            let path = url.standardizedFileURL.path
            files[path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path] = try Data(
                contentsOf: url)
        }
        return files
    }

    @Test func generatedProjectLoadsCleanlyWithTheRequestedSizes() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let size = Self.tinySize()
        let summary = try ProjectGenerator(generator: OrgGenerator(size: size, seed: 7)).write(to: folder)

        #expect(
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("sfdx-project.json").path))
        #expect(
            FileManager.default.fileExists(
                atPath: folder.appendingPathComponent(
                    "force-app/main/default/objects/Obj0000__c/fields/F000__c.field-meta.xml"
                ).path))
        #expect(
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("data/Obj0000__c.csv").path))

        let project = Project.load(path: folder.path)
        #expect(project.errors.isEmpty, "\(project.errors.prefix(5).map(\.description))")
        #expect(project.format == .sfdx)
        #expect(project.org.users.count == size.users)
        #expect(project.metadata.org.objects.count == size.objects)
        #expect(project.metadata.org.fieldCount == size.objects * size.fieldsPerObject)
        #expect(project.org.profiles.count == size.profiles)
        #expect(project.org.permissionSets.count == size.permissionSets)
        #expect(project.org.permissionSetGroups.count == size.permissionSetGroups)
        #expect(project.org.mutingPermissionSets.count == size.permissionSetGroups)
        #expect(project.org.roles.count == size.roles)
        #expect(project.org.groups.count == size.publicGroups)
        #expect(project.org.sharingRules.count == size.criteriaRules + size.ownerRules)
        #expect(project.org.records.records(of: OrgGenerator.recordObject).count == size.records)
        #expect(project.org.objects[OrgGenerator.recordObject]?.sharingModel == .private)
        #expect(summary.users == size.users && summary.records == size.records)

        // The role hierarchy reaches the requested depth and no deeper.
        func depth(_ role: String) -> Int {
            var d = 1
            var current = project.org.roles[role]?.parentRole
            while let parent = current {
                d += 1
                current = project.org.roles[parent]?.parentRole
            }
            return d
        }
        #expect(project.org.roles.keys.map(depth).max() == size.roleDepth)

        // The generated org evaluates, and its records are visible to someone.
        let evaluator = AccessEvaluator(org: project.org)
        let accesses = evaluator.evaluateAll()
        #expect(accesses.count == size.users)

        // Some users read Account, and its benchmark fields, without View All (store-bench queries as one).
        let accountReaders = accesses.filter {
            $0.objectAccess("Account").contains(.read)
                && !$0.objectAccess("Account").contains(.viewAllRecords)
        }
        #expect(!accountReaders.isEmpty)
        for field in OrgGenerator.accountFields {
            #expect(accountReaders.allSatisfy { $0.canRead(object: "Account", field: field) }, "\(field)")
        }
        let sharing = evaluator.sharingEvaluator()
        let visible = sharing.visibility(object: OrgGenerator.recordObject).reduce(0) { $0 + $1.readable }
        #expect(visible > 0)
    }

    @Test func sameSeedGivesIdenticalFiles() throws {
        let first = Self.temporaryFolder()
        let second = Self.temporaryFolder()
        let other = Self.temporaryFolder()
        defer {
            for folder in [first, second, other] { try? FileManager.default.removeItem(at: folder) }
        }
        try ProjectGenerator(generator: OrgGenerator(size: Self.tinySize(), seed: 42)).write(to: first)
        try ProjectGenerator(generator: OrgGenerator(size: Self.tinySize(), seed: 42)).write(to: second)
        try ProjectGenerator(generator: OrgGenerator(size: Self.tinySize(), seed: 43)).write(to: other)
        let a = try Self.contents(of: first)
        let b = try Self.contents(of: second)
        #expect(a.count > 40)
        #expect(a.keys.sorted() == b.keys.sorted())
        for (path, data) in a { #expect(b[path] == data, "\(path) differs") }
        #expect(try Self.contents(of: other) != a)
    }

    @Test func commandRefusesANonEmptyFolderAndWritesANewOne() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let command = try GenerateCommand.parse([
            folder.path, "--users", "5", "--objects", "2", "--fields-per-object", "3", "--profiles", "2",
            "--permission-sets", "3", "--groups", "1", "--roles", "4", "--role-depth", "2", "--public-groups",
            "2", "--criteria-rules", "1", "--owner-rules", "1", "--records", "10", "--seed", "3",
        ])
        try command.run()
        let project = Project.load(path: folder.path)
        #expect(project.errors.isEmpty)
        #expect(project.org.users.count == 5)
        #expect(project.org.records.count == 10)
        #expect(throws: (any Error).self) { try command.run() }
    }
}
