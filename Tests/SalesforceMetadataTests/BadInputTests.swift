import AccessModel
import Foundation
import SalesforceMetadata
import Testing

@Suite("Bad input is reported with file, line and a fix, never a crash")
struct BadInputTests {
    static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    static let ns = "xmlns=\"http://soap.sforce.com/2006/04/metadata\""

    @Test(
        "a truncated file is KH-XML-MALFORMED naming the file, the line and the unclosed element; loading continues"
    )
    func truncated() throws {
        let temp = TempFolder()
        defer { temp.remove() }
        temp.write(
            "profiles/Broken.profile-meta.xml",
            Self.header + "<Profile \(Self.ns)>\n    <fieldPermissions>\n        <editable>true</editable>\n")
        temp.write(
            "profiles/Good.profile-meta.xml",
            Self.header + "<Profile \(Self.ns)>\n    <custom>true</custom>\n</Profile>\n")
        let load = MetadataLoader.load(projectRoot: temp.url)
        #expect(load.format == .scan)
        let error = try #require(load.errors.first)
        #expect(load.errors.count == 1)
        #expect(error.code == "KH-XML-MALFORMED")
        #expect(error.file == "profiles/Broken.profile-meta.xml")
        #expect(error.line == 4)
        #expect(
            error.message
                == "the file ends before element <fieldPermissions> (opened on line 3) is closed; it looks truncated — fix the XML or remove the file"
        )
        #expect(load.org.profiles["Good"]?.isCustom == true)
        #expect(load.org.profiles["Broken"] == nil)
        #expect(load.filesRead[.profile] == 2)
    }

    @Test("a mismatched closing tag is KH-XML-MALFORMED at its line")
    func mismatched() throws {
        let temp = TempFolder()
        defer { temp.remove() }
        temp.write(
            "force-app/main/default/roles/R.role-meta.xml",
            Self.header + "<Role \(Self.ns)>\n    <name>R</nam>\n</Role>\n")
        let load = MetadataLoader.load(projectRoot: temp.url)
        let error = try #require(load.errors.first)
        #expect(error.code == "KH-XML-MALFORMED")
        #expect(error.file == "force-app/main/default/roles/R.role-meta.xml")
        #expect(error.line == 3)
        #expect(
            error.message
                == "closing tag </nam> does not match element <name> opened on line 3 — fix the XML or remove the file"
        )
        #expect(error.description.hasPrefix("force-app/main/default/roles/R.role-meta.xml:3: error: "))
    }

    @Test("a root element that does not match the file's kind is KH-XML-UNEXPECTED-ROOT")
    func wrongRoot() throws {
        let temp = TempFolder()
        defer { temp.remove() }
        temp.write(
            "permissionsets/P.permissionset-meta.xml",
            Self.header + "<Profile \(Self.ns)>\n    <custom>true</custom>\n</Profile>\n")
        let load = MetadataLoader.load(projectRoot: temp.url)
        let error = try #require(load.errors.first)
        #expect(error.code == "KH-XML-UNEXPECTED-ROOT")
        #expect(error.file == "permissionsets/P.permissionset-meta.xml")
        #expect(error.line == 2)
        #expect(
            error.message
                == "the root element is <Profile> but a PermissionSet file must have <PermissionSet> — rename the file to match its content or fix the root element"
        )
        #expect(load.org.permissionSets.isEmpty && load.org.profiles.isEmpty)
    }

    @Test("a project path that does not exist is KH-IO-UNREADABLE naming the path")
    func missingFolder() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "keyhole-missing-\(UUID().uuidString)")
        let load = MetadataLoader.load(projectRoot: path)
        let error = try #require(load.errors.first)
        #expect(error.code == "KH-IO-UNREADABLE")
        #expect(error.file == path.path)
        #expect(error.message.hasPrefix("no folder at \(path.path)"))
        #expect(load.fileCount == 0)
    }

    @Test("a file where a folder is expected is KH-IO-UNREADABLE (project root, and a package directory)")
    func fileInsteadOfFolder() throws {
        let temp = TempFolder()
        defer { temp.remove() }
        let file = temp.write("not-a-folder.txt", "x")
        let load = MetadataLoader.load(projectRoot: file)
        let error = try #require(load.errors.first)
        #expect(error.code == "KH-IO-UNREADABLE")
        #expect(error.message.contains("is a file, not a folder"))

        temp.write(
            "project/sfdx-project.json", #"{"packageDirectories": [{"path": "force-app", "default": true}]}"#)
        temp.write("project/force-app", "oops")
        let project = MetadataLoader.load(projectRoot: temp.url.appendingPathComponent("project"))
        let packageError = try #require(project.errors.first)
        #expect(packageError.code == "KH-IO-UNREADABLE")
        #expect(packageError.file == "force-app")
        #expect(packageError.message.contains("listed in sfdx-project.json is a file, not a folder"))
    }

    @Test("an unreadable metadata file (a dangling link) is skipped without a crash")
    func danglingLink() throws {
        let temp = TempFolder()
        defer { temp.remove() }
        try FileManager.default.createDirectory(
            at: temp.url.appendingPathComponent("profiles"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: temp.url.appendingPathComponent("profiles/Gone.profile-meta.xml").path,
            withDestinationPath: "/nonexistent/Gone.profile-meta.xml")
        let load = MetadataLoader.load(projectRoot: temp.url)
        #expect(load.errors.isEmpty)
        #expect(load.org.profiles.isEmpty)
    }

    @Test(
        "values that are not booleans or access levels are errors with the element's line (TRAP-09 accepts True)"
    )
    func invalidValues() throws {
        let temp = TempFolder()
        defer { temp.remove() }
        temp.write(
            "permissionsets/P.permissionset-meta.xml",
            Self.header
                + "<PermissionSet \(Self.ns)>\n    <fieldPermissions>\n        <editable>True</editable>\n        <field>Account.Phone</field>\n        <readable>yes</readable>\n    </fieldPermissions>\n    <label>P</label>\n</PermissionSet>\n"
        )
        temp.write(
            "roles/R.role-meta.xml",
            Self.header + "<Role \(Self.ns)>\n    <caseAccessLevel>Sometimes</caseAccessLevel>\n</Role>\n")
        let load = MetadataLoader.load(projectRoot: temp.url)
        #expect(
            load.org.permissionSets["P"]?.grants.fields["Account.Phone"]
                == FieldAccess(readable: false, editable: true))
        let boolError = try #require(
            load.errors.first { $0.file == "permissionsets/P.permissionset-meta.xml" })
        #expect(boolError.code == "KH-META-INVALID-VALUE")
        #expect(boolError.line == 6)
        #expect(boolError.message == "<readable> is 'yes', not a boolean; write true or false")
        let levelError = try #require(load.errors.first { $0.file == "roles/R.role-meta.xml" })
        #expect(levelError.line == 3)
        #expect(levelError.message.contains("'Sometimes', not an access level"))
    }

    @Test("an invalid sfdx-project.json is an error and the folder is scanned instead")
    func invalidProjectFile() throws {
        let temp = TempFolder()
        defer { temp.remove() }
        temp.write("sfdx-project.json", "{ not json")
        temp.write(
            "force-app/main/default/roles/R.role-meta.xml",
            Self.header + "<Role \(Self.ns)><name>R</name></Role>\n")
        let load = MetadataLoader.load(projectRoot: temp.url)
        #expect(load.format == .scan)
        let error = try #require(load.errors.first)
        #expect(error.code == "KH-SFDX-PROJECT-INVALID")
        #expect(error.file == "sfdx-project.json")
        #expect(load.org.roles["R"] != nil)
    }

    @Test("no input crashes the reader: every truncation and byte flip of a real profile and object")
    func fuzz() throws {
        let files = [
            "SFDC-Assets__access-control-demo/force-app/main/default/profiles/Relationship Manager.profile-meta.xml",
            "UKGovernmentBEIS__PRS-Exemptions-Register-Service-Public/force-app/main/default/sharingRules/Account.sharingRules-meta.xml",
        ]
        var generator = SystemRandomNumberGenerator()
        for path in files {
            let data = try Data(contentsOf: Corpus.root.appendingPathComponent(path))
            let step = max(1, data.count / 150)
            for cut in stride(from: 0, to: data.count, by: step) {
                let (profile, problems) = ProfileXML.read(data.prefix(cut), name: "P", file: "f")
                #expect(profile != nil || problems.contains { $0.severity == .error })
                _ = SharingRulesXML.read(data.prefix(cut), object: "Account", file: "f")
            }
            for _ in 0..<150 {
                var bytes = [UInt8](data)
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] =
                    [UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), 0, 0xFF, UInt8(ascii: "/")]
                    .randomElement(using: &generator) ?? 0
                _ = ProfileXML.read(Data(bytes), name: "P", file: "f")
                _ = SharingRulesXML.read(Data(bytes), object: "Account", file: "f")
            }
        }
    }
}
