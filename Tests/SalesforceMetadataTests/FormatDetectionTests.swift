import AccessModel
import Foundation
import SalesforceMetadata
import Testing

@Suite("Project formats and what is read")
struct FormatDetectionTests {
    static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    static let ns = "xmlns=\"http://soap.sforce.com/2006/04/metadata\""

    static func profile(
        _ objects: [(String, String)], fields: [(String, Bool, Bool)] = [], license: String? = nil
    ) -> String {
        var text = header + "<Profile \(ns)>\n"
        for (field, readable, editable) in fields {
            text +=
                "    <fieldPermissions>\n        <editable>\(editable)</editable>\n        <field>\(field)</field>\n        <readable>\(readable)</readable>\n    </fieldPermissions>\n"
        }
        for (object, flags) in objects {
            text += "    <objectPermissions>\n"
            for flag in ["allowCreate", "allowDelete", "allowEdit", "allowRead"] {
                text += "        <\(flag)>\(flags.contains(flag))</\(flag)>\n"
            }
            text += "        <object>\(object)</object>\n    </objectPermissions>\n"
        }
        if let license { text += "    <userLicense>\(license)</userLicense>\n" }
        return text + "</Profile>\n"
    }

    @Test("sfdx: every package directory (./ paths), missing ones noted, files outside them not read")
    func sfdx() throws {
        let temp = TempFolder()
        defer { temp.remove() }
        temp.write(
            "sfdx-project.json",
            #"{"packageDirectories": [{"path": "./force-app", "default": true}, {"path": "extra"}, {"path": "missing"}], "namespace": "acme", "sourceApiVersion": "62.0"}"#
        )
        temp.write(
            "force-app/main/default/profiles/Admin.profile-meta.xml", Self.profile([("Account", "allowRead")])
        )
        temp.write(
            "force-app/main/default/objects/Invoice__c/Invoice__c.object-meta.xml",
            Self.header
                + "<CustomObject \(Self.ns)>\n    <label>Invoice</label>\n    <sharingModel>Private</sharingModel>\n</CustomObject>\n"
        )
        temp.write(
            "force-app/main/default/objects/Invoice__c/fields/Total__c.field-meta.xml",
            Self.header
                + "<CustomField \(Self.ns)>\n    <fullName>Total__c</fullName>\n    <complianceGroup>PII;GDPR</complianceGroup>\n    <securityClassification>Restricted</securityClassification>\n    <type>Currency</type>\n</CustomField>\n"
        )
        temp.write(
            "extra/roles/Boss.role-meta.xml", Self.header + "<Role \(Self.ns)><name>Boss</name></Role>\n")
        temp.write("config/profiles/Other.profile-meta.xml", Self.profile([]))
        let load = MetadataLoader.load(projectRoot: temp.url)
        #expect(load.format == .sfdx)
        #expect(load.errors.isEmpty)
        #expect(load.namespace == "acme")
        #expect(load.org.profiles.keys.sorted() == ["Admin"])
        #expect(load.org.roles["Boss"] != nil)
        let field = try #require(load.org.objects["Invoice__c"]?.fields["Total__c"])
        #expect(field.classification.complianceGroups == ["PII", "GDPR"])
        #expect(field.type == .currency)
        #expect(load.org.objects["Invoice__c"]?.sharingModel == .private)
        let missing = try #require(load.notes.first { $0.code == "KH-SFDX-MISSING-PACKAGE-DIR" })
        #expect(missing.file == "sfdx-project.json")
        #expect(missing.message.contains("'missing'"))
        #expect(load.filesRead == [.profile: 1, .object: 1, .field: 1, .role: 1])

        // forceScan reads every metadata file, whatever the project file says.
        let scan = MetadataLoader.load(projectRoot: temp.url, forceScan: true)
        #expect(scan.format == .scan)
        #expect(scan.org.profiles.keys.sorted() == ["Admin", "Other"])
        #expect(scan.namespace == "acme")
    }

    @Test("mdapi: package.xml at the root, .object with embedded fields, URL-encoded names (TRAP-15)")
    func mdapi() throws {
        let temp = TempFolder()
        defer { temp.remove() }
        temp.write(
            "package.xml",
            Self.header
                + "<Package \(Self.ns)>\n    <types>\n        <members>*</members>\n        <name>CustomObject</name>\n    </types>\n    <version>62.0</version>\n</Package>\n"
        )
        temp.write(
            "objects/Account.object",
            Self.header
                + "<CustomObject \(Self.ns)>\n    <fields>\n        <fullName>Tier__c</fullName>\n        <type>Picklist</type>\n        <valueSet>\n            <valueSetDefinition>\n                <value>\n                    <fullName>Gold</fullName>\n                    <default>false</default>\n                </value>\n            </valueSetDefinition>\n        </valueSet>\n    </fields>\n    <sharingModel>Read</sharingModel>\n</CustomObject>\n"
        )
        temp.write(
            "profiles/Force%2Ecom - App Subscription User.profile",
            Self.profile([], license: "Force.com - App Subscription"))
        let load = MetadataLoader.load(projectRoot: temp.url)
        #expect(load.format == .mdapi)
        #expect(load.errors.isEmpty)
        #expect(load.embeddedFields == 1)
        #expect(load.filesRead == [.packageXml: 1, .object: 1, .profile: 1])
        #expect(load.org.objects["Account"]?.fields["Tier__c"]?.picklistValues == ["Gold"])
        #expect(load.org.objects["Account"]?.sharingModel == .read)
        #expect(
            load.org.profiles["Force.com - App Subscription User"]?.userLicense
                == "Force.com - App Subscription")
        #expect(load.packageManifests["package.xml"]?.types["CustomObject"] == ["*"])
        #expect(
            load.sourceMap.location(of: "field:Account.Tier__c")
                == SourceLocation(file: "objects/Account.object", line: 3))
    }

    @Test(
        "scan: any folder; both formats; tool folders are skipped; TRAP-20 main package first, later override per key"
    )
    func scanAndMerge() throws {
        let temp = TempFolder()
        defer { temp.remove() }
        temp.write("sfdx-project.json", #"{"packageDirectories": [{"path": "force-app", "default": true}]}"#)
        // Sorted by path `aaa/` comes before `force-app/`, but the main package is applied first.
        temp.write(
            "aaa/profiles/Admin.profile",
            Self.profile([("Account", "allowRead allowEdit")], fields: [("Account.Phone", true, true)]))
        temp.write(
            "force-app/main/default/profiles/Admin.profile-meta.xml",
            Self.profile(
                [("Account", "allowRead"), ("Contact", "allowRead")],
                fields: [("Account.Phone", true, false), ("Contact.Email", true, false)],
                license: "Salesforce"))
        temp.write("zzz/config/profiles/Admin.profile", Self.profile([("Contact", "")]))
        for skipped in [".git", ".sfdx", ".sf", "node_modules", ".build-x", ".keyhole"] {
            temp.write("\(skipped)/profiles/Hidden.profile-meta.xml", Self.profile([]))
        }
        let load = MetadataLoader.load(projectRoot: temp.url, forceScan: true)
        #expect(load.format == .scan)
        #expect(load.errors.isEmpty)
        #expect(load.org.profiles.keys.sorted() == ["Admin"])
        let admin = try #require(load.org.profiles["Admin"])
        #expect(admin.userLicense == "Salesforce")  // absent in the partial files: kept
        #expect(admin.grants.objects["Account"] == [.read, .edit])  // aaa/ applied after force-app
        #expect(admin.grants.objects["Contact"] == [])  // zzz/ last
        #expect(admin.grants.fields["Account.Phone"] == .edit)
        #expect(admin.grants.fields["Contact.Email"] == .read)
        let merged = try #require(load.notes.first { $0.code == "KH-META-MERGED" })
        #expect(
            merged.message.hasSuffix(
                "force-app/main/default/profiles/Admin.profile-meta.xml, aaa/profiles/Admin.profile, zzz/config/profiles/Admin.profile"
            ))
        #expect(
            load.sourceMap.location(of: "profile:Admin")?.file
                == "force-app/main/default/profiles/Admin.profile-meta.xml")
        #expect(
            load.sourceMap.entry(in: "profile:Admin", .objectPermissions, "Contact")?.file
                == "zzz/config/profiles/Admin.profile")
        #expect(
            load.sourceMap.entry(in: "profile:Admin", .fieldPermissions, "Contact.Email")
                == SourceLocation(file: "force-app/main/default/profiles/Admin.profile-meta.xml", line: 8))
        #expect(load.filesRead[.profile] == 3)
    }

    @Test("muting sets (either folder spelling), PSG muting, restriction rules and single-rule sharing files")
    func otherKinds() throws {
        let temp = TempFolder()
        defer { temp.remove() }
        temp.write(
            "force-app/main/default/mutingPermissionSets/Muted.mutingpermissionset-meta.xml",
            Self.header
                + "<MutingPermissionSet \(Self.ns)>\n    <label>Muted</label>\n    <objectPermissions>\n        <allowDelete>true</allowDelete>\n        <object>Account</object>\n    </objectPermissions>\n</MutingPermissionSet>\n"
        )
        temp.write(
            "force-app/main/default/permissionsetgroups/G.permissionsetgroup-meta.xml",
            Self.header
                + "<PermissionSetGroup \(Self.ns)>\n    <label>G</label>\n    <mutingPermissionSets>Muted</mutingPermissionSets>\n    <permissionSets>Nowhere</permissionSets>\n</PermissionSetGroup>\n"
        )
        temp.write(
            "force-app/main/default/restrictionRules/Only_Mine.rule-meta.xml",
            Self.header
                + "<RestrictionRule \(Self.ns)>\n    <active>true</active>\n    <enforcementType>Restrict</enforcementType>\n    <masterLabel>Only mine</masterLabel>\n    <recordFilter>OwnerId = $User.Id</recordFilter>\n    <targetEntity>Contact</targetEntity>\n    <userCriteria>$User.IsActive = true</userCriteria>\n    <version>1</version>\n</RestrictionRule>\n"
        )
        temp.write(
            "force-app/main/default/sharingRules/Account/R1.sharingOwnerRule-meta.xml",
            Self.header
                + "<SharingOwnerRule \(Self.ns)>\n    <fullName>R1</fullName>\n    <accessLevel>Read</accessLevel>\n    <sharedTo>\n        <allInternalUsers></allInternalUsers>\n    </sharedTo>\n    <sharedFrom>\n        <group>Sales</group>\n    </sharedFrom>\n</SharingOwnerRule>\n"
        )
        let load = MetadataLoader.load(projectRoot: temp.url)
        #expect(load.errors.isEmpty, "\(load.errors)")
        #expect(load.org.mutingPermissionSets["Muted"]?.mutes.objects["Account"] == [.delete])
        #expect(load.org.permissionSetGroups["G"]?.mutingPermissionSet == "Muted")
        let rule = try #require(load.org.restrictionRules["Only_Mine"])
        #expect(rule.targetEntity == "Contact" && rule.active && rule.version == 1)
        #expect(rule.recordFilter == "OwnerId = $User.Id")
        let sharing = try #require(load.org.sharingRules.first)
        #expect(sharing.object == "Account" && sharing.name == "R1")
        #expect(sharing.sharedTo == SharingPrincipal(kind: "allInternalUsers", name: ""))
        #expect(
            load.filesRead == [
                .mutingPermissionSet: 1, .permissionSetGroup: 1, .restrictionRule: 1, .sharingRules: 1,
            ])
        // Unresolved references are notes (TRAP-22 style).
        #expect(
            load.notes.contains {
                $0.code == "KH-META-UNRESOLVED-REFERENCE" && $0.message.contains("Nowhere")
            })
        #expect(
            load.notes.contains {
                $0.code == "KH-META-UNRESOLVED-REFERENCE" && $0.message.contains("group Sales")
            })
    }
}
