import AccessModel
import Foundation
import Testing

@testable import SalesforceMetadata

/// `Project.load` on the example and on broken copies of it: every problem is reported with its file,
/// line and a hint, and loading never stops at the first one.
@Suite("Project loading")
struct ProjectLoadTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
    static let example = packageRoot.appendingPathComponent("Examples/acme")

    /// A throwaway copy of the example, with `edit` applied to it.
    func copyOfExample(_ edit: (URL) throws -> Void) throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kh-acme-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.example, to: copy)
        try edit(copy)
        return copy
    }

    func replace(_ old: String, with new: String, in file: URL) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains(old), "fixture text not found: \(old)")
        try text.replacingOccurrences(of: old, with: new).write(to: file, atomically: true, encoding: .utf8)
    }

    @Test("the example loads with zero errors: 5 users, records, the standard catalog merged")
    func exampleLoads() {
        let project = Project.load(path: Self.example.path)
        #expect(project.errors.isEmpty, "\(project.errors)")
        #expect(project.format == .sfdx)
        #expect(project.org.users.count == 5)
        #expect(project.org.records.count > 0)
        #expect(project.org.objects["Account"]?.sharingModel == .private)
        #expect(
            project.org.objects["Account"]?.fields["Annual_Revenue__c"]?.classification.securityClassification
                == "Confidential")
        #expect(
            project.org.objects["Account"]?.fields["Name"]?.isNameField == true,
            "catalog merged under the project")
        #expect(project.org.groups["HubSpot_Sync"]?.members == [.user("hubspot.integration@acme.example")])
        #expect(project.org.userLicenses["Salesforce Integration"]?.isIntegration == true)
    }

    @Test(
        "standard fields named by field permissions are not reported as unresolved once the catalog is merged"
    )
    func noFalseUnresolvedNotes() {
        let project = Project.load(path: Self.example.path)
        #expect(!project.notes.contains { $0.message.contains("Account.AccountNumber") }, "\(project.notes)")
    }

    @Test("an unknown profile and a misspelled permission set are errors with line and did-you-mean hint")
    func unknownNames() throws {
        let copy = try copyOfExample { root in
            let yaml = root.appendingPathComponent("keyhole.yaml")
            try replace("profile: Analytics Integration", with: "profile: Analytics Integraton", in: yaml)
            try replace(
                "permissionSets: [HubSpot_Integration_Access]",
                with: "permissionSets: [HubSpot_Integration_Acess]", in: yaml)
            try replace("role: Sales_Rep", with: "role: Sales_Reps", in: yaml)
        }
        defer { try? FileManager.default.removeItem(at: copy) }
        let project = Project.load(path: copy.path)
        let messages = project.errors.map(\.description)
        #expect(project.errors.count == 3, "\(messages)")
        #expect(
            messages.contains(
                "keyhole.yaml:15: error: user analytics.integration@acme.example names profile 'Analytics Integraton', which the project does not contain. Did you mean 'Analytics Integration'? Use the profile's metadata name (its file name, decoded), or add the profile to the project."
            ), "\(messages)")
        #expect(
            messages.contains(
                "keyhole.yaml:10: error: user hubspot.integration@acme.example names permission set 'HubSpot_Integration_Acess', which the project does not contain. Did you mean 'HubSpot_Integration_Access'? Use the permission set's API name (its file name)."
            ), "\(messages)")
        #expect(
            messages.contains {
                $0.hasPrefix("keyhole.yaml:22: error: user rita.rep@acme.example names role 'Sales_Reps'")
                    && $0.contains("Did you mean 'Sales_Rep'?")
            })
        #expect(project.errors.allSatisfy { $0.file == "keyhole.yaml" })
    }

    @Test("a truncated XML file is an error naming the file and line; the rest still loads")
    func truncatedXML() throws {
        let copy = try copyOfExample { root in
            let file = root.appendingPathComponent(
                "force-app/main/default/permissionsets/Sales_Reporting.permissionset-meta.xml")
            let text = try String(contentsOf: file, encoding: .utf8)
            try String(text.prefix(text.count / 2)).write(to: file, atomically: true, encoding: .utf8)
        }
        defer { try? FileManager.default.removeItem(at: copy) }
        let project = Project.load(path: copy.path)
        let xmlErrors = project.errors.filter { $0.code == "KH-XML-MALFORMED" }
        #expect(xmlErrors.count == 1)
        #expect(
            xmlErrors.first?.file
                == "force-app/main/default/permissionsets/Sales_Reporting.permissionset-meta.xml")
        #expect(xmlErrors.first?.line != nil)
        #expect(project.org.profiles.count == 4, "the other files still load")
        // The group that names the broken permission set is still loaded; users that name it are reported.
        #expect(project.org.permissionSetGroups["Sales_Operations"] != nil)
    }

    @Test("a folder that does not exist, and a file given as the project, are clear errors")
    func unreadableFolder() throws {
        let missing = Project.load(path: "/nonexistent/keyhole-project")
        #expect(missing.errors.map(\.code) == ["KH-IO-UNREADABLE"])
        #expect(missing.errors.first?.message.contains("no folder at '/nonexistent/keyhole-project'") == true)
        let file = Self.example.appendingPathComponent("keyhole.yaml").path
        let notAFolder = Project.load(path: file)
        #expect(notAFolder.errors.first?.message.contains("is a file; give the project folder") == true)
    }

    @Test("a group membership naming an unknown role, and a missing data folder, are reported together")
    func collectsAllProblems() throws {
        let copy = try copyOfExample { root in
            let yaml = root.appendingPathComponent("keyhole.yaml")
            try replace(
                "data: data/",
                with:
                    "data: records/\ngroups:\n  - name: HubSpot_Sync\n    members: [roleAndSubordinates:Sales_Manger]",
                in: yaml)
        }
        defer { try? FileManager.default.removeItem(at: copy) }
        let project = Project.load(path: copy.path)
        let codes = project.errors.map(\.code)
        #expect(codes.contains("KH-YAML-UNKNOWN-MEMBER"))
        #expect(codes.contains("KH-IO-UNREADABLE"))
        #expect(project.errors.contains { $0.message.contains("Did you mean 'Sales_Manager'?") })
    }
}

@Suite("Example round trip")
struct ExampleRoundTripTests {
    @Test("read → write → read of the example's metadata gives an equal org, for both formats")
    func roundTrip() throws {
        let load = MetadataLoader.load(projectRoot: ProjectLoadTests.example)
        #expect(load.errors.isEmpty)
        for format in ["sfdx", "mdapi"] {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "kh-rt-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            if format == "sfdx" {
                try MetadataWriter.writeSFDXProject(org: load.org, to: folder)
            } else {
                try MetadataWriter.writeMetadataAPIFolder(org: load.org, to: folder)
            }
            let again = MetadataLoader.load(projectRoot: folder)
            #expect(again.errors.isEmpty, "\(again.errors)")
            #expect(again.org.objects == load.org.objects, "\(format): objects")
            #expect(again.org.profiles == load.org.profiles, "\(format): profiles")
            #expect(again.org.permissionSets == load.org.permissionSets, "\(format): permission sets")
            #expect(again.org.permissionSetGroups == load.org.permissionSetGroups, "\(format): groups")
            #expect(again.org.mutingPermissionSets == load.org.mutingPermissionSets, "\(format): muting")
            #expect(again.org.roles == load.org.roles, "\(format): roles")
            #expect(again.org.groups == load.org.groups, "\(format): public groups")
            #expect(again.org.sharingRules == load.org.sharingRules, "\(format): sharing rules")
        }
    }
}
