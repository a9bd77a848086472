import AccessModel
import Foundation
import SalesforceMetadata
import Testing

/// read → write → read gives an equal value, for every kind, on every corpus file of that kind.
@Suite("Round trip on corpus files")
struct RoundTripTests {
    /// Every corpus file with its kind (as classified) and API name.
    static func corpusFiles(_ kind: MetadataKind) -> [(path: String, url: URL, meta: MetadataFile)] {
        Corpus.folders.flatMap { folder in
            Corpus.files(folder).compactMap { file -> (String, URL, MetadataFile)? in
                guard let meta = MetadataFile.classify(file.path), meta.kind == kind else { return nil }
                return ("\(folder)/\(file.path)", file.url, meta)
            }
        }
    }

    static func data(_ url: URL) -> Data { (try? Data(contentsOf: url)) ?? Data() }

    func check<T: Equatable>(
        _ kind: MetadataKind, expectedFiles: Int, read: (Data, MetadataFile, String) -> (T?, [Diagnostic]),
        write: (T) -> String
    ) {
        let files = Self.corpusFiles(kind)
        #expect(files.count == expectedFiles)
        for file in files {
            let (first, problems) = read(Self.data(file.url), file.meta, file.path)
            #expect(!problems.contains { $0.severity == .error }, "\(file.path): \(problems)")
            guard let first else {
                Issue.record("\(file.path) did not read")
                continue
            }
            let text = write(first)
            let (second, _) = read(Data(text.utf8), file.meta, file.path)
            #expect(second == first, "round trip changed \(file.path)")
            // Writing is deterministic: writing the re-read value gives the same text.
            if let second { #expect(write(second) == text) }
        }
    }

    @Test("profiles round trip (53 files)")
    func profiles() {
        check(
            .profile, expectedFiles: 53, read: { ProfileXML.read($0, name: $1.apiName, file: $2) },
            write: ProfileXML.text)
    }

    @Test("permission sets round trip (42 files)")
    func permissionSets() {
        check(
            .permissionSet, expectedFiles: 42,
            read: { PermissionSetXML.read($0, name: $1.apiName, file: $2) },
            write: PermissionSetXML.text)
    }

    @Test("permission set groups round trip (5 files)")
    func permissionSetGroups() {
        check(
            .permissionSetGroup, expectedFiles: 5,
            read: { PermissionSetGroupXML.read($0, name: $1.apiName, file: $2) },
            write: PermissionSetGroupXML.text)
    }

    @Test("objects round trip in both formats (230 files, embedded fields included)")
    func objects() {
        check(
            .object, expectedFiles: 230, read: { CustomObjectXML.read($0, name: $1.apiName, file: $2) },
            write: { CustomObjectXML.text($0, embedFields: true) })
    }

    @Test("fields round trip (1,879 SFDX files)")
    func fields() {
        check(
            .field, expectedFiles: 1879,
            read: { data, meta, path in
                let parts = FieldPath.split(meta.apiName)
                return CustomFieldXML.read(
                    data, object: parts?.object ?? "", name: parts?.field ?? "", file: path)
            }, write: CustomFieldXML.text)
    }

    @Test("sharing rules round trip (13 files)")
    func sharingRules() {
        func ordered(_ rules: [SharingRule]) -> [SharingRule] {
            rules.sorted { ($0.kind.element, $0.name) < ($1.kind.element, $1.name) }
        }
        check(
            .sharingRules, expectedFiles: 13,
            read: { data, meta, path in
                let (rules, problems) = SharingRulesXML.read(data, object: meta.apiName, file: path)
                return (ordered(rules), problems)
            }, write: SharingRulesXML.text)
    }

    @Test("groups and roles round trip (2 + 18 files)")
    func groupsAndRoles() {
        check(
            .group, expectedFiles: 2, read: { GroupXML.read($0, name: $1.apiName, file: $2) },
            write: GroupXML.text)
        check(
            .role, expectedFiles: 18, read: { RoleXML.read($0, name: $1.apiName, file: $2) },
            write: RoleXML.text)
    }

    @Test("package.xml round trip (43 files, TRAP-07 comments)")
    func packages() {
        check(.packageXml, expectedFiles: 43, read: { PackageXML.read($0, file: $2) }, write: PackageXML.text)
    }

    @Test("muting permission sets and restriction rules round trip (synthetic: none in the corpus)")
    func synthetic() throws {
        let muting = MutingPermissionSet(
            name: "Job_Apps_User_Muted", label: "Muted & more", description: "Synthetic",
            mutes: PermissionGrants(
                objects: ["Account": [.edit, .delete]], fields: ["Account.Phone": .edit],
                userPermissions: ["ExportReport": true]))
        let (mutingBack, mutingProblems) = MutingPermissionSetXML.read(
            Data(MetadataWriter.mutingPermissionSet(muting).utf8), name: muting.name, file: "m")
        #expect(mutingProblems.isEmpty)
        #expect(mutingBack == muting)
        let rule = RestrictionRule(
            name: "Only_HubSpot", masterLabel: "Only HubSpot", description: "d", active: true,
            enforcementType: "Restrict", targetEntity: "Contact",
            userCriteria: "$User.Department = 'Integration'",
            recordFilter: "Send_to_HubSpot__c = true", version: 1)
        let (ruleBack, ruleProblems) = RestrictionRuleXML.read(
            Data(MetadataWriter.restrictionRule(rule).utf8), name: rule.name, file: "r")
        #expect(ruleProblems.isEmpty)
        #expect(ruleBack == rule)
        let group = PermissionSetGroup(
            name: "G", label: "G", permissionSets: ["B", "A"], mutingPermissionSet: "Job_Apps_User_Muted",
            hasActivationRequired: true, status: "Updated")
        let (groupBack, _) = PermissionSetGroupXML.read(
            Data(MetadataWriter.permissionSetGroup(group).utf8), name: "G", file: "g")
        #expect(groupBack == group)
    }

    @Test("canonical order: profile entries sorted by key, object flags in the documented order")
    func canonicalOrder() {
        let profile = Profile(
            name: "P", userLicense: "Salesforce", isCustom: true,
            grants: PermissionGrants(
                objects: ["Contact": [.read], "Account": [.read, .edit, .viewAllFields]],
                fields: ["Contact.Email": .read, "Account.Phone": .edit],
                userPermissions: ["ApiEnabled": true]))
        #expect(
            MetadataWriter.profile(profile) == """
                <?xml version="1.0" encoding="UTF-8"?>
                <Profile xmlns="http://soap.sforce.com/2006/04/metadata">
                    <custom>true</custom>
                    <fieldPermissions>
                        <editable>true</editable>
                        <field>Account.Phone</field>
                        <readable>true</readable>
                    </fieldPermissions>
                    <fieldPermissions>
                        <editable>false</editable>
                        <field>Contact.Email</field>
                        <readable>true</readable>
                    </fieldPermissions>
                    <objectPermissions>
                        <allowCreate>false</allowCreate>
                        <allowDelete>false</allowDelete>
                        <allowEdit>true</allowEdit>
                        <allowRead>true</allowRead>
                        <modifyAllRecords>false</modifyAllRecords>
                        <object>Account</object>
                        <viewAllFields>true</viewAllFields>
                        <viewAllRecords>false</viewAllRecords>
                    </objectPermissions>
                    <objectPermissions>
                        <allowCreate>false</allowCreate>
                        <allowDelete>false</allowDelete>
                        <allowEdit>false</allowEdit>
                        <allowRead>true</allowRead>
                        <modifyAllRecords>false</modifyAllRecords>
                        <object>Contact</object>
                        <viewAllRecords>false</viewAllRecords>
                    </objectPermissions>
                    <userLicense>Salesforce</userLicense>
                    <userPermissions>
                        <enabled>true</enabled>
                        <name>ApiEnabled</name>
                    </userPermissions>
                </Profile>

                """)
    }

    @Test(
        "whole corpus folders round trip through an SFDX tree and a Metadata API folder",
        arguments: Corpus.folders)
    func wholeOrg(_ folder: String) throws {
        let load = Corpus.load(folder)
        for format in [MetadataWriter.Format.sfdx, .mdapi] {
            let temp = TempFolder()
            defer { temp.remove() }
            switch format {
            case .sfdx:
                try MetadataWriter.writeSFDXProject(org: load.org, to: temp.url, namespace: load.namespace)
            case .mdapi: try MetadataWriter.writeMetadataAPIFolder(org: load.org, to: temp.url)
            }
            let back = MetadataLoader.load(projectRoot: temp.url)
            #expect(back.format == (format == .sfdx ? .sfdx : .mdapi))
            #expect(back.errors.isEmpty, "\(back.errors)")
            #expect(back.namespace == (format == .sfdx ? load.namespace : nil))
            #expect(back.org.objects == load.org.objects)
            #expect(back.org.profiles == load.org.profiles)
            #expect(back.org.permissionSets == load.org.permissionSets)
            #expect(back.org.permissionSetGroups == load.org.permissionSetGroups)
            #expect(back.org.sharingRules == load.org.sharingRules)
            #expect(back.org == load.org)
            #expect(!back.notes.contains { $0.code == "KH-META-MERGED" })
        }
    }
}
