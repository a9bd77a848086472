import AccessModel
import Foundation
import SalesforceMetadata
import Testing

@Suite("Metadata loader on the corpus")
struct CorpusLoadTests {
    /// Kind of a corpus file by suffix and folder, written independently of `MetadataFile.classify`.
    static func expectedKind(_ path: String) -> MetadataKind? {
        let name = (path as NSString).lastPathComponent
        let parent = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
        if name == "package.xml" { return .packageXml }
        let suffixes: [(String, MetadataKind)] = [
            (".object-meta.xml", .object), (".object", .object),
            (".profile-meta.xml", .profile), (".profile", .profile),
            (".permissionset-meta.xml", .permissionSet), (".permissionset", .permissionSet),
            (".permissionsetgroup-meta.xml", .permissionSetGroup),
            (".permissionsetgroup", .permissionSetGroup),
            (".mutingpermissionset-meta.xml", .mutingPermissionSet),
            (".mutingpermissionset", .mutingPermissionSet),
            (".sharingRules-meta.xml", .sharingRules), (".sharingRules", .sharingRules),
            (".group-meta.xml", .group), (".group", .group), (".role-meta.xml", .role), (".role", .role),
        ]
        if name.hasSuffix(".field-meta.xml") && parent == "fields" { return .field }
        if name.hasSuffix(".rule-meta.xml") && parent == "restrictionRules" { return .restrictionRule }
        return suffixes.first { name.hasSuffix($0.0) }?.1
    }

    @Test(
        "every corpus folder loads in scan mode with no errors and reads every file",
        arguments: Corpus.folders)
    func folderLoads(_ folder: String) {
        let load = Corpus.load(folder)
        #expect(load.format == .scan)
        #expect(load.errors.isEmpty, "errors: \(load.errors.map(\.description))")
        var expected: [MetadataKind: Int] = [:]
        for file in Corpus.files(folder) {
            if let kind = Self.expectedKind(file.path) { expected[kind, default: 0] += 1 }
        }
        #expect(load.filesRead == expected)
    }

    @Test("loading all nine corpus folders (timed)")
    func allFolders() {
        let start = Date()
        let startCPU = clock()
        var files = 0
        var fields = 0
        var embedded = 0
        for folder in Corpus.folders {
            let load = MetadataLoader.load(projectRoot: Corpus.url(folder), forceScan: true)
            files += load.fileCount
            embedded += load.embeddedFields
            fields += load.filesRead[.field] ?? 0
            #expect(load.errors.isEmpty)
        }
        let seconds = Date().timeIntervalSince(start)
        let cpu = Double(clock() - startCPU) / Double(CLOCKS_PER_SEC)
        print(
            "keyhole-bench: loaded 9 corpus folders, \(files) metadata files, in \(String(format: "%.3f", seconds)) s wall, \(String(format: "%.3f", cpu)) s CPU (process-wide; tests running alongside count too)"
        )
        #expect(fields == 1879)
        #expect(embedded == 708)
    }
}

@Suite("Known facts of the corpus (metadata-formats.md)")
struct CorpusFactTests {
    @Test("NebulaLogger: 753 classified fields, all Confidential, compliance groups split on ';' (TRAP-12)")
    func nebulaClassification() throws {
        let load = Corpus.load("jongpie__NebulaLogger")
        let fields = load.org.objects.values.flatMap { $0.fields.values }
        let classified = fields.filter {
            !$0.classification.isEmpty && $0.classification.securityClassification != nil
        }
        #expect(classified.count == 753)
        #expect(Set(classified.compactMap(\.classification.securityClassification)) == ["Confidential"])
        #expect(!classified.contains { $0.classification.complianceGroups.contains("None") })
        let groups = Set(classified.flatMap(\.classification.complianceGroups))
        #expect(groups.isSubset(of: ["PII", "GDPR", "CCPA", "HIPAA", "PCI", "COPPA", "GLBA"]))
        #expect(groups.count > 1)
        #expect(load.namespace == nil)  // the root sfdx-project.json has "namespace": ""
    }

    @Test(
        "PRS: criteria rule with booleanFilter 1 AND (2 OR 3), accountSettings and includeRecordsOwnedByAll (TRAP-09)"
    )
    func prsCriteriaRule() throws {
        let load = Corpus.load("UKGovernmentBEIS__PRS-Exemptions-Register-Service-Public")
        let rule = try #require(load.org.sharingRules.first { $0.name == "Assisted_Digital_Caller_Handler" })
        #expect(rule.object == "Account")
        #expect(rule.accessLevel == .edit)
        #expect(rule.sharedTo == SharingPrincipal(kind: "role", name: "DESNZ_Assisted_Digital_Call_Handler"))
        #expect(
            rule.accountSettings
                == AccountSharingSettings(
                    caseAccessLevel: .none, contactAccessLevel: .edit, opportunityAccessLevel: .none))
        guard case .criteria(let filter, let includeAll) = rule.kind else {
            Issue.record("expected a criteria rule, got \(rule.kind)")
            return
        }
        #expect(filter.booleanFilter == "1 AND (2 OR 3)")
        #expect(filter.items.count == 3)
        #expect(
            filter.items.first == CriteriaItem(field: "IsPersonAccount", operation: "equals", value: "True"))
        #expect(includeAll == true)
        let location = try #require(
            load.sourceMap.location(of: "sharingRule:Account.Assisted_Digital_Caller_Handler"))
        #expect(location.file == "force-app/main/default/sharingRules/Account.sharingRules-meta.xml")
        #expect(location.line == 3)
        // Roles: 8, all top-level; two PSGs share one permission set.
        #expect(load.org.roles.count == 8)
        #expect(load.org.roles.values.allSatisfy { $0.parentRole == nil })
        let sharing = load.org.permissionSetGroups.values.filter {
            $0.permissionSets.contains("DESNZ_PRS_Admin_Access")
        }
        #expect(sharing.count == 2)
        #expect(load.org.permissionSetGroups.count == 4)
    }

    @Test("access-control-demo: role hierarchy of depth 4 (5 roles from CEO to Western_Sales_Team)")
    func roleHierarchy() throws {
        let load = Corpus.load("SFDC-Assets__access-control-demo")
        #expect(load.org.roles.count == 10)
        var chain: [String] = ["Western_Sales_Team"]
        while let parent = load.org.roles[chain[chain.count - 1]]?.parentRole, chain.count < 20 {
            chain.append(parent)
        }
        #expect(
            chain == [
                "Western_Sales_Team", "Director_Direct_Sales", "VP_North_American_Sales",
                "SVP_Sales_Marketing", "CEO",
            ])
        let rule = try #require(load.org.sharingRules.first)
        guard case .owner(let from) = rule.kind else {
            Issue.record("expected an owner rule")
            return
        }
        #expect(from == SharingPrincipal(kind: "role", name: "Western_Sales_Team"))
        #expect(rule.sharedTo == SharingPrincipal(kind: "role", name: "Eastern_Sales_Team"))
        #expect(rule.accountSettings?.contactAccessLevel == .read)
        #expect(load.org.objects["Loan_Application__c"]?.sharingModel == .private)
        #expect(load.org.profiles["Relationship Manager"] != nil)  // TRAP-14: a space in the file name
        #expect(load.org.roles["CEO"]?.label != nil)
    }

    @Test("TRAP-22 PMM: 9 owner rules from roleAndSubordinatesInternal CommunityOwner, unresolved role noted")
    func pmmOwnerRules() throws {
        let load = Corpus.load("SalesforceFoundation__PMM")
        let owner = load.org.sharingRules.filter {
            if case .owner(let from) = $0.kind {
                return from == SharingPrincipal(kind: "roleAndSubordinatesInternal", name: "CommunityOwner")
            }
            return false
        }
        #expect(owner.count == 9)
        #expect(
            owner.allSatisfy { $0.sharedTo == SharingPrincipal(kind: "group", name: "Community_Volunteers") })
        // TRAP-17: `___NAMESPACE___Program__c.sharingRules-meta.xml` is the project's own Program__c.
        #expect(owner.contains { $0.object == "Program__c" })
        #expect(!owner.contains { $0.object.contains("NAMESPACE") })
        let unresolved = load.notes.filter {
            $0.code == "KH-META-UNRESOLVED-REFERENCE" && $0.message.contains("CommunityOwner")
        }
        #expect(unresolved.count == 9)
        #expect(load.org.groups["Community_Volunteers"]?.doesIncludeBosses == true)
        #expect(load.org.groups["Community_Volunteers"]?.label == "Community Volunteers")
        #expect(load.namespace == "pmdm")
        // enabled=false user permissions are kept as written.
        let community = load.org.permissionSets.values.filter { $0.name.hasPrefix("PMDM_Community") }
        #expect(community.contains { $0.grants.userPermissions.values.contains(false) })
    }

    @Test("TRAP-11 duplicate field permission merges by union and is noted (NPSP conflict RE then R)")
    func duplicateFieldPermission() throws {
        let load = Corpus.load("SalesforceFoundation__NPSP")
        let set = try #require(load.org.permissionSets["Batch_Gift_Entry"])
        #expect(set.grants.fields["DataImportBatch__c.GiftBatch__c"] == .edit)
        let file = "unpackaged/config/trial_tso/permissionsets/Batch_Gift_Entry.permissionset"
        let duplicates = load.notes.filter { $0.code == "KH-META-DUPLICATE-ENTRY" && $0.file == file }
        #expect(duplicates.count == 11)
        let conflict = try #require(
            duplicates.first { $0.message.contains("DataImportBatch__c.GiftBatch__c") })
        #expect(conflict.message.contains("they differ"))
        #expect(conflict.line == 350)
        // The entry's line is the first occurrence.
        #expect(
            load.sourceMap.entry(
                in: "permissionSet:Batch_Gift_Entry", .fieldPermissions, "DataImportBatch__c.GiftBatch__c")
                == SourceLocation(file: file, line: 160))
        // PRS has one duplicate too.
        let prs = Corpus.load("UKGovernmentBEIS__PRS-Exemptions-Register-Service-Public")
        #expect(prs.notes.filter { $0.code == "KH-META-DUPLICATE-ENTRY" }.count == 1)
    }

    @Test("TRAP-20 partial deploy bundles merge like successive deploys, with a note naming the files")
    func partialBundles() throws {
        let load = Corpus.load("SalesforceFoundation__NPSP")
        let admin = try #require(load.org.profiles["Admin"])
        #expect(admin.userLicense == nil)
        let merged = try #require(
            load.notes.first { $0.code == "KH-META-MERGED" && $0.message.contains("profile Admin ") })
        #expect(merged.message.contains("unpackaged/config/dev/profiles/Admin.profile"))
        #expect(merged.message.contains("unpackaged/config/trial_tso/profiles/Admin.profile"))
        #expect(load.sourceMap.locations(of: "profile:Admin").count == 6)
        // The SFDX force-app (main package directory) comes first for Account.
        let account = try #require(
            load.notes.first { $0.code == "KH-META-MERGED" && $0.message.contains("object Account ") })
        #expect(account.message.contains(": force-app/main/default/objects/Account, unpackaged/"))
        // A partial file that only adds encryption keeps what the main package says (TRAP-20, encryptionScheme).
        let name = try #require(load.org.objects["Account"]?.fields["Name"])
        #expect(name.encryptionScheme == .probabilistic)
        #expect(name.type == nil)  // standard field without `type` (TRAP-10)
        #expect(load.org.objects["Account"]?.sharingModel == nil)  // org default unknown
    }

    @Test("TRAP-17 CumulusCI namespace tokens become the project's own unprefixed names, noted per folder")
    func namespaceTokens() throws {
        let load = Corpus.load("SalesforceFoundation__NPSP")
        #expect(load.org.objects["Address__c"] != nil)
        #expect(!load.org.objects.keys.contains { $0.contains("NAMESPACE") || $0.contains("%") })
        for set in load.org.permissionSets.values {
            #expect(!set.grants.fields.keys.contains { $0.contains("%%%") })
        }
        let notes = load.notes.filter { $0.code == "KH-META-NAMESPACE-TOKEN" }
        #expect(notes.contains { $0.file == "unpackaged/config/trial_tso/permissionsets" })
        #expect(Set(notes.compactMap(\.file)).count == notes.count)  // one per folder
        #expect(load.namespace == "npsp")
    }

    @Test("TRAP-15 TRAP-16 URL-encoded and internal profile names")
    func profileNames() {
        let load = Corpus.load("SalesforceFoundation__Volunteers-for-Salesforce@367e94c")
        #expect(load.org.profiles["Force.com - App Subscription User"] != nil)
        #expect(load.org.profiles["Work.com Only User"] != nil)
        #expect(load.org.profiles["ServiceCloud"] != nil)
        #expect(load.org.profiles.count == 23)
        #expect(Corpus.load("SalesforceFoundation__NPSP").org.profiles["Admin"] != nil)  // TRAP-16
        #expect(!load.org.profiles.keys.contains { $0.contains("%2E") })
    }

    @Test("TRAP-10 missing optional flags read as false; TRAP-13 legacy `hidden` is counted, not modelled")
    func missingFlags() throws {
        let load = Corpus.load("SalesforceFoundation__NPSP")
        let profile = try #require(load.org.profiles["NPSP_Standard_User"])
        #expect(
            !profile.grants.objects.values.contains {
                $0.contains(.viewAllRecords) || $0.contains(.modifyAllRecords)
            })
        #expect(profile.grants.objects.values.contains { $0.contains(.read) })
        #expect(load.ignoredElements["fieldPermissions/hidden"] == 3)
        #expect(load.ignoredElements["layoutAssignments"] != nil)
        // TRAP-18: object and field split on the first '.'
        let keys = load.org.permissionSets.values.flatMap(\.grants.fields.keys)
        #expect(keys.contains("npe01__OppPayment__c.npe01__Payment_Amount__c"))
        #expect(
            FieldPath.split("npe01__OppPayment__c.npe01__Payment_Amount__c")?.object == "npe01__OppPayment__c"
        )
    }

    @Test(
        "TRAP-19 the kind is decided per file: a permission set outside permissionsets/, an mdapi folder beside force-app"
    )
    func perFileKinds() {
        let npsp = Corpus.load("SalesforceFoundation__NPSP")
        #expect(npsp.org.permissionSets["NPSP_Gift_Entry_User_unmanaged"] != nil)
        let ebikes = Corpus.load("trailheadapps__ebikes-lwc")
        #expect(ebikes.org.profiles["E-Bikes Profile"] != nil)
        #expect(ebikes.org.sharingRules.filter(\.isGuestRule).count == 2)
        let guest = ebikes.org.sharingRules.first { $0.object == "Product__c" }
        if case .guest(let filter, let hvu) = guest?.kind {
            #expect(filter.items.first?.value == "")  // <value/> (TRAP-03)
            #expect(hvu == false)
        } else {
            Issue.record("expected a guest rule on Product__c")
        }
    }

    @Test("TRAP-03 empty roots: <CustomObject/> and a whitespace-only <Profile>")
    func emptyRoots() throws {
        let nebula = Corpus.load("jongpie__NebulaLogger")
        let admin = try #require(nebula.org.profiles["Admin"])
        #expect(admin.grants.isEmpty)
        let v4s = Corpus.load("SalesforceFoundation__Volunteers-for-Salesforce")
        #expect(v4s.errors.isEmpty)
        #expect(v4s.embeddedFields == 101)
    }

    @Test("PSGs: repeated permissionSets elements, and a group with no members (apex-recipes)")
    func permissionSetGroups() throws {
        let load = Corpus.load("trailheadapps__apex-recipes")
        let group = try #require(load.org.permissionSetGroups["Permission_Set_Group_for_testing"])
        #expect(group.permissionSets.isEmpty)
        #expect(group.status == "Updated")
        #expect(group.hasActivationRequired == false)
    }

    @Test("NebulaLogger viewAllFields and Delete-without-Edit on a big object are kept as written")
    func viewAllFields() {
        let load = Corpus.load("jongpie__NebulaLogger")
        let sets = load.org.permissionSets.values
        #expect(sets.contains { $0.grants.objects.values.contains { $0.contains(.viewAllFields) } })
        let archive = sets.compactMap { $0.grants.objects["LogEntryArchive__b"] }
        #expect(archive.contains { $0.contains(.delete) && !$0.contains(.edit) })
    }

    @Test("source map: entries carry the line of their element")
    func sourceMapLines() throws {
        let load = Corpus.load("SFDC-Assets__access-control-demo")
        let location = try #require(load.sourceMap.location(of: "profile:Relationship Manager"))
        #expect(location.file == "force-app/main/default/profiles/Relationship Manager.profile-meta.xml")
        #expect(location.line == 2)
        let text = try String(
            contentsOf: Corpus.url("SFDC-Assets__access-control-demo").appendingPathComponent(location.file),
            encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let profile = try #require(load.org.profiles["Relationship Manager"])
        for key in profile.grants.objects.keys {
            let entry = try #require(
                load.sourceMap.entry(in: "profile:Relationship Manager", .objectPermissions, key))
            let line = try #require(entry.line)
            #expect(lines[line - 1].contains("<objectPermissions>"))
        }
        for key in profile.grants.fields.keys {
            let entry = try #require(
                load.sourceMap.entry(in: "profile:Relationship Manager", .fieldPermissions, key))
            let line = try #require(entry.line)
            #expect(lines[line - 1].contains("<fieldPermissions>"))
            #expect(lines[line].contains(key) || lines[line + 1].contains(key))
        }
        let field = try #require(load.sourceMap.location(of: "field:Loan_Application__c.Loan_Amount__c"))
        #expect(field.file.hasSuffix("Loan_Application__c/fields/Loan_Amount__c.field-meta.xml"))
        #expect(
            load.sourceMap.location(of: "object:Loan_Application__c")
                == SourceLocation(
                    file:
                        "force-app/main/default/objects/Loan_Application__c/Loan_Application__c.object-meta.xml",
                    line: 2))
        // An object known only from field files is located at its folder.
        let npsp = Corpus.load("SalesforceFoundation__NPSP")
        #expect(
            npsp.sourceMap.location(of: "object:Account")
                == SourceLocation(file: "force-app/main/default/objects/Account", line: nil))
        #expect(load.sourceMap.location(of: "role:CEO")?.line == 2)
    }
}
