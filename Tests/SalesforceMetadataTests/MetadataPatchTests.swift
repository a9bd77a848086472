import AccessModel
import Foundation
import Testing

@testable import SalesforceMetadata

/// `MetadataPatch`: edits touch only the changed elements, and the patched file loads back with the
/// intended value changed and everything else equal. On the example's files and on the corpus (read-only).
@Suite("MetadataPatch")
struct MetadataPatchTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let example = packageRoot.appendingPathComponent("Examples/acme/force-app/main/default")
    static let integrationProfile = example.appendingPathComponent(
        "profiles/Minimum Access - API Only Integrations.profile-meta.xml")
    static let hubspotSet = example.appendingPathComponent(
        "permissionsets/HubSpot_Integration_Access.permissionset-meta.xml")

    /// Lines with their endings, so CRLF survives the comparison.
    static func lines(_ text: String) -> [Substring] {
        let parts = Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false)
        return parts.enumerated().compactMap { i, part in
            let last = i == parts.count - 1
            if last && part.isEmpty { return nil }
            return Substring(String(decoding: part, as: UTF8.self) + (last ? "" : "\n"))
        }
    }

    /// The lines that differ: the original's and the patched text's, between the common prefix and suffix.
    static func changed(_ original: String, _ patched: String) -> (removed: [String], added: [String]) {
        let a = lines(original)
        let b = lines(patched)
        var prefix = 0
        while prefix < min(a.count, b.count) && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(a.count, b.count) - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        return (a[prefix..<a.count - suffix].map(String.init), b[prefix..<b.count - suffix].map(String.init))
    }

    /// The grants of a profile or permission set file's text, through the loader's readers.
    static func grants(_ text: String, path: String) -> PermissionGrants? {
        let data = Data(text.utf8)
        if path.contains(".profile") {
            return ProfileXML.read(data, name: "P", file: path).0?.grants
        }
        return PermissionSetXML.read(data, name: "S", file: path).0?.grants
    }

    static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    @Test(
        "setting one field permission changes exactly one line; the file loads back with only that value changed"
    )
    func exampleFieldPermission() throws {
        let original = try Self.text(Self.integrationProfile)
        let patched = try MetadataPatch.apply(
            [.fieldPermission(field: "Contact.SSN__c", access: .none)], to: original)
        let (removed, added) = Self.changed(original, patched)
        #expect(removed == ["        <readable>true</readable>\n"])
        #expect(added == ["        <readable>false</readable>\n"])
        var expected = try #require(Self.grants(original, path: "x.profile-meta.xml"))
        expected.fields["Contact.SSN__c"] = FieldAccess.none
        #expect(Self.grants(patched, path: "x.profile-meta.xml") == expected)
        // Setting what is already there changes nothing.
        #expect(
            try MetadataPatch.apply([.fieldPermission(field: "Contact.Phone", access: .read)], to: original)
                == original)
    }

    @Test("a missing field permission is added in sorted position, in the file's own indentation")
    func exampleAddFieldPermission() throws {
        let original = try Self.text(Self.integrationProfile)
        let patched = try MetadataPatch.apply(
            [.fieldPermission(field: "Contact.Department", access: .read)], to: original)
        let (removed, added) = Self.changed(original, patched)
        #expect(removed.isEmpty)
        // (The line diff may show the block rotated: its first and last lines repeat around it.)
        #expect(
            added.sorted()
                == [
                    "    <fieldPermissions>\n", "        <editable>false</editable>\n",
                    "        <field>Contact.Department</field>\n", "        <readable>true</readable>\n",
                    "    </fieldPermissions>\n",
                ].sorted())
        #expect(
            patched.contains(
                """
                        <field>Contact.Credit_Score__c</field>
                        <readable>true</readable>
                    </fieldPermissions>
                    <fieldPermissions>
                        <editable>false</editable>
                        <field>Contact.Department</field>
                        <readable>true</readable>
                    </fieldPermissions>
                    <fieldPermissions>
                        <editable>false</editable>
                        <field>Contact.Email</field>
                """))
        // Between Contact.Credit_Score__c and Contact.Email.
        let before = try #require(patched.range(of: "Contact.Credit_Score__c"))
        let new = try #require(patched.range(of: "Contact.Department"))
        let after = try #require(patched.range(of: "Contact.Email"))
        #expect(before.upperBound < new.lowerBound && new.upperBound < after.lowerBound)
        var expected = try #require(Self.grants(original, path: "x.profile-meta.xml"))
        expected.fields["Contact.Department"] = .read
        #expect(Self.grants(patched, path: "x.profile-meta.xml") == expected)
    }

    @Test("a user permission is switched off with enabled=false, not removed")
    func exampleUserPermission() throws {
        let original = try Self.text(Self.integrationProfile)
        let patched = try MetadataPatch.apply(
            [.userPermission(name: "ApiEnabled", enabled: false)], to: original)
        let (removed, added) = Self.changed(original, patched)
        #expect(removed == ["        <enabled>true</enabled>\n"])
        #expect(added == ["        <enabled>false</enabled>\n"])
        var expected = try #require(Self.grants(original, path: "x.profile-meta.xml"))
        expected.userPermissions["ApiEnabled"] = false
        #expect(Self.grants(patched, path: "x.profile-meta.xml") == expected)
    }

    @Test(
        "object permission flags: a changed flag is one line; a new entry goes before userLicense when none exists"
    )
    func exampleObjectPermissions() throws {
        let set = try Self.text(Self.hubspotSet)
        let patched = try MetadataPatch.apply(
            [.objectPermission(object: "Account", access: [.read, .edit])], to: set)
        let (removed, added) = Self.changed(set, patched)
        #expect(removed == ["        <allowEdit>false</allowEdit>\n"])
        #expect(added == ["        <allowEdit>true</allowEdit>\n"])
        var expected = try #require(Self.grants(set, path: "x.permissionset-meta.xml"))
        expected.objects["Account"] = [.read, .edit]
        #expect(Self.grants(patched, path: "x.permissionset-meta.xml") == expected)

        let profile = try Self.text(Self.integrationProfile)
        let withObject = try MetadataPatch.apply(
            [.objectPermission(object: "Contact", access: [.read])], to: profile)
        let change = Self.changed(profile, withObject)
        #expect(change.removed.isEmpty)
        #expect(change.added.contains("    <objectPermissions>\n"))
        #expect(change.added.count == 9)
        let objectAt = try #require(withObject.range(of: "<objectPermissions>"))
        let licenseAt = try #require(withObject.range(of: "<userLicense>"))
        #expect(objectAt.upperBound < licenseAt.lowerBound)
        var expectedProfile = try #require(Self.grants(profile, path: "x.profile-meta.xml"))
        expectedProfile.objects["Contact"] = [.read]
        #expect(Self.grants(withObject, path: "x.profile-meta.xml") == expectedProfile)
    }

    @Test("TRAP-06 CRLF line endings, tab indentation, comments and unknown elements survive byte for byte")
    func lineEndingsAndComments() throws {
        let crlf = try Self.text(Self.integrationProfile).replacingOccurrences(of: "\n", with: "\r\n")
            .replacingOccurrences(of: "    ", with: "\t")
            .replacingOccurrences(
                of: "<userLicense>",
                with: "<!-- keep me -->\r\n\t<loginHours><x>1</x></loginHours>\r\n\t<userLicense>")
        let patched = try MetadataPatch.apply(
            [
                .fieldPermission(field: "Contact.SSN__c", access: .none),
                .fieldPermission(field: "Contact.AssistantName", access: .edit),
                .userPermission(name: "ViewSetup", enabled: false),
            ], to: crlf)
        #expect(!patched.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(patched.contains("<!-- keep me -->\r\n\t<loginHours><x>1</x></loginHours>\r\n"))
        #expect(
            patched.contains(
                "\t<fieldPermissions>\r\n\t\t<editable>true</editable>\r\n\t\t<field>Contact.AssistantName</field>"
            ))
        #expect(
            patched.contains(
                "\t<userPermissions>\r\n\t\t<enabled>false</enabled>\r\n\t\t<name>ViewSetup</name>\r\n\t</userPermissions>\r\n</Profile>"
            ))
        var expected = try #require(Self.grants(crlf, path: "x.profile-meta.xml"))
        expected.fields["Contact.SSN__c"] = FieldAccess.none
        expected.fields["Contact.AssistantName"] = .edit
        expected.userPermissions["ViewSetup"] = false
        #expect(Self.grants(patched, path: "x.profile-meta.xml") == expected)
    }

    @Test("TRAP-09 a capitalised boolean keeps its spelling; TRAP-11 duplicate entries all get the value")
    func capitalisedAndDuplicates() throws {
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
                <fieldPermissions>
                    <editable>True</editable>
                    <field>A__c.B__c</field>
                    <readable>True</readable>
                </fieldPermissions>
                <fieldPermissions>
                    <editable>false</editable>
                    <field>A__c.B__c</field>
                    <readable>true</readable>
                </fieldPermissions>
            </PermissionSet>

            """
        let patched = try MetadataPatch.apply([.fieldPermission(field: "A__c.B__c", access: .read)], to: text)
        let (removed, added) = Self.changed(text, patched)
        #expect(removed == ["        <editable>True</editable>\n"])
        #expect(added == ["        <editable>False</editable>\n"])
        #expect(Self.grants(patched, path: "x.permissionset-meta.xml")?.fields["A__c.B__c"] == .read)
    }

    @Test(
        "an OrgChange becomes edits to the file the source map names; the patched file loads as the changed org"
    )
    func fromOrgChange() throws {
        let project = Project.load(path: Self.packageRoot.appendingPathComponent("Examples/acme").path)
        let profile = "Minimum Access - API Only Integrations"
        var after = project.org
        let changes: [OrgChange] = [
            .setFLS(source: "profile:\(profile)", field: "contact.ssn__c", access: .none),
            .removeUserPermission(source: "profile:\(profile)", permission: "ApiUserOnly"),
            .mute(group: "Sales_Operations", field: "Account.Internal_Notes__c"),
        ]
        try OrgChange.apply(changes, to: &after)
        #expect(MetadataPatch.edits(for: .assign(user: "u", permissionSet: "S"), in: after) == nil)
        var texts: [String: String] = [:]
        for change in changes {
            let (component, edits) = try #require(MetadataPatch.edits(for: change, in: after))
            let file = try #require(project.metadata.sourceMap.location(of: component)?.file)
            let url = project.root.appendingPathComponent(file)
            let text = try texts[file] ?? Self.text(url)
            texts[file] = try MetadataPatch.apply(edits, to: text)
        }
        #expect(texts.count == 2)
        let profileFile = try #require(project.metadata.sourceMap.location(of: "profile:\(profile)")?.file)
        #expect(
            Self.grants(try #require(texts[profileFile]), path: profileFile)
                == after.profiles[profile]?.grants)
        let mutingFile = try #require(
            project.metadata.sourceMap.location(of: "mutingPermissionSet:Sales_Operations_Muting")?.file)
        let data = Data(try #require(texts[mutingFile]).utf8)
        let muting = MutingPermissionSetXML.read(data, name: "Sales_Operations_Muting", file: mutingFile).0
        #expect(muting?.mutes == after.mutingPermissionSets["Sales_Operations_Muting"]?.mutes)
    }

    @Test(
        "PSG-2 a group's muting set is named with one added line in alphabetical position; an existing one is replaced in place"
    )
    func groupMutingReference() throws {
        let url = Self.example.appendingPathComponent(
            "permissionsetgroups/Sales_Operations.permissionsetgroup-meta.xml")
        let original = try Self.text(url)
        let without = original.replacingOccurrences(
            of: "    <mutingPermissionSets>Sales_Operations_Muting</mutingPermissionSets>\n", with: "")
        #expect(without != original)
        // Added back exactly where Salesforce writes it: after <label>, before <permissionSets>.
        let added = try MetadataPatch.apply(
            [.topLevel(element: "mutingPermissionSets", value: "Sales_Operations_Muting")], to: without)
        #expect(added == original)
        // Renamed: only the text changes; applying the same value twice changes nothing.
        let renamed = try MetadataPatch.apply(
            [.topLevel(element: "mutingPermissionSets", value: "Ops_Muting")], to: original)
        #expect(
            Self.changed(original, renamed).added == [
                "    <mutingPermissionSets>Ops_Muting</mutingPermissionSets>\n"
            ])
        #expect(
            try MetadataPatch.apply(
                [.topLevel(element: "mutingPermissionSets", value: "Ops_Muting")], to: renamed) == renamed)
        // CRLF and tabs are kept.
        let crlf = without.replacingOccurrences(of: "\n", with: "\r\n").replacingOccurrences(
            of: "    ", with: "\t")
        let patched = try MetadataPatch.apply(
            [.topLevel(element: "mutingPermissionSets", value: "M")], to: crlf)
        #expect(
            patched.contains(
                "</label>\r\n\t<mutingPermissionSets>M</mutingPermissionSets>\r\n\t<permissionSets>"))
    }

    @Test(
        "PSG-2 a mute that created the group's muting set also edits the group's file; other changes do not")
    func groupEditsForNewMutingSet() throws {
        let project = Project.load(path: Self.packageRoot.appendingPathComponent("Examples/acme").path)
        var before = project.org
        before.permissionSetGroups["Reporting_Only"] = PermissionSetGroup(
            name: "Reporting_Only", permissionSets: ["Sales_Reporting"], status: "Updated")
        var after = before
        let mute = OrgChange.mute(group: "Reporting_Only", field: "Account.Annual_Revenue__c")
        try mute.apply(to: &after)
        let (component, edits) = try #require(
            MetadataPatch.groupEdits(for: mute, before: before, after: after))
        #expect(component == "permissionSetGroup:Reporting_Only")
        #expect(edits == [.topLevel(element: "mutingPermissionSets", value: "Reporting_Only_Muting")])
        #expect(
            MetadataPatch.edits(for: mute, in: after)?.component
                == "mutingPermissionSet:Reporting_Only_Muting")
        // A group that already has a muting set keeps its file as it is.
        let existing = OrgChange.mute(group: "Sales_Operations", field: "Account.Internal_Notes__c")
        var afterExisting = before
        try existing.apply(to: &afterExisting)
        #expect(MetadataPatch.groupEdits(for: existing, before: before, after: afterExisting) == nil)
        #expect(
            MetadataPatch.groupEdits(
                for: .setFLS(
                    source: "permissionSet:Sales_Reporting", field: "Account.Annual_Revenue__c", access: .none
                ),
                before: before, after: after) == nil)
    }

    @Test("malformed text is refused with a line")
    func malformed() {
        #expect(throws: MetadataPatchError.self) {
            try MetadataPatch.apply(
                [.userPermission(name: "ApiEnabled", enabled: false)],
                to: "<Profile>\n<userPermissions>\n</Profile>")
        }
    }

    /// Every profile and permission set of the corpus with field permissions.
    static let corpusFiles: [(path: String, url: URL)] =
        Corpus.isAvailable
        ? Corpus.folders.flatMap { folder in
            Corpus.files(folder).filter { file in
                [".profile", ".profile-meta.xml", ".permissionset", ".permissionset-meta.xml"].contains {
                    file.path.hasSuffix($0)
                }
            }.map { ("\(folder)/\($0.path)", $0.url) }
        } : []

    @Test("corpus: flipping one field permission changes one line and only that value")
    func corpusFlip() throws {
        var patchedFiles = 0
        for (path, url) in Self.corpusFiles {
            let original = try Self.text(url)
            guard let before = Self.grants(original, path: path) else { continue }
            // The first entry whose key occurs once, read from the text as written.
            let keys = original.components(separatedBy: "<field>").dropFirst().compactMap {
                $0.components(separatedBy: "</field>").first
            }
            let counts = Dictionary(keys.map { ($0, 1) }, uniquingKeysWith: +)
            guard let key = keys.first(where: { counts[$0] == 1 }) else { continue }
            let current = MetadataPatchTests.access(of: key, in: original)
            let target =
                current.editable
                ? FieldAccess.read : FieldAccess(readable: !current.readable, editable: false)
            let patched = try MetadataPatch.apply(
                [.fieldPermission(field: key, access: target)], to: original)
            let (removed, added) = Self.changed(original, patched)
            #expect(removed.count == 1 && added.count == 1, "\(path): \(removed) → \(added)")
            let after = try #require(Self.grants(patched, path: path), "\(path) no longer loads")
            let changedKeys = Set(before.fields.keys).union(after.fields.keys).filter {
                before.fields[$0] != after.fields[$0]
            }
            #expect(changedKeys.count == 1, "\(path): \(changedKeys)")
            #expect(
                after.objects == before.objects && after.userPermissions == before.userPermissions, "\(path)")
            patchedFiles += 1
        }
        if Corpus.isAvailable { #expect(patchedFiles > 50) }
    }

    @Test(
        "corpus: adding a missing field permission inserts lines only, and loads back with just that entry added"
    )
    func corpusInsert() throws {
        var patchedFiles = 0
        for (path, url) in Self.corpusFiles {
            let original = try Self.text(url)
            guard let before = Self.grants(original, path: path), !before.fields.isEmpty else { continue }
            let patched = try MetadataPatch.apply(
                [.fieldPermission(field: "Keyhole_Test__c.Added__c", access: .read)], to: original)
            let (removed, added) = Self.changed(original, patched)
            #expect(removed.isEmpty, "\(path): \(removed)")
            #expect(added.count == 5, "\(path): \(added)")
            let after = try #require(Self.grants(patched, path: path), "\(path) no longer loads")
            var expected = before
            expected.fields["Keyhole_Test__c.Added__c"] = .read
            #expect(after == expected, "\(path)")
            patchedFiles += 1
        }
        if Corpus.isAvailable { #expect(patchedFiles > 50) }
    }

    /// The access of the first entry for `key`, read from the text.
    static func access(of key: String, in text: String) -> FieldAccess {
        guard let range = text.range(of: "<field>\(key)</field>"),
            let open = text[..<range.lowerBound].range(of: "<fieldPermissions>", options: .backwards),
            let close = text[range.upperBound...].range(of: "</fieldPermissions>")
        else { return .none }
        let entry = text[open.upperBound..<close.lowerBound].lowercased()
        return FieldAccess(
            readable: entry.contains("<readable>true</readable>"),
            editable: entry.contains("<editable>true</editable>"))
    }
}
