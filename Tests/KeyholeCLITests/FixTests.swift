import AccessModel
import ArgumentParser
import Foundation
import Governance
import SalesforceMetadata
import Testing

@testable import keyhole

/// `keyhole fix`: plan, check and write the least change that leaves an integration user with no error
/// finding, on the example org and on every corpus folder.
@Suite("fix")
struct FixTests {
    /// A fixed day, after the HubSpot Employee_Count__c approval expired (2026-06-30).
    static let now = AuditRun.date("2026-11-01")!

    static func temporaryFolder(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "keyhole-fix-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A written fix copied over a temporary copy of a project; `remove()` deletes both folders (every
    /// caller defers it).
    struct Applied {
        var result: FixResult
        var project: Project
        var output: URL
        var folders: [URL]

        func remove() {
            for folder in folders { try? FileManager.default.removeItem(at: folder) }
        }
    }

    /// Writes the fix for `user`, copies it over a temporary copy of `source` (the example by default),
    /// and reloads it. The temporary folders are removed if anything fails.
    static func applied(_ user: String, source: URL = Paths.acme) throws -> Applied {
        let output = temporaryFolder("out")
        let copyFolder = temporaryFolder("project")
        let folders = [output, copyFolder]
        do {
            var result = try FixRun.make(project: Project.load(path: source.path), user: user, now: now)
            #expect(result.refusal == nil, "\(result.refusal ?? "")")
            result.written = try FixRun.write(result, to: output.path)
            let copy = copyFolder.appendingPathComponent("acme")
            try FileManager.default.copyItem(at: source, to: copy)
            for path in result.written where path != "package.xml" {
                let target = copy.appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                if FileManager.default.fileExists(atPath: target.path) {
                    try FileManager.default.removeItem(at: target)
                }
                try FileManager.default.copyItem(at: output.appendingPathComponent(path), to: target)
            }
            let project = Project.load(path: copy.path)
            #expect(project.errors.isEmpty, "\(project.errors)")
            return Applied(result: result, project: project, output: output, folders: folders)
        } catch {
            for folder in folders { try? FileManager.default.removeItem(at: folder) }
            throw error
        }
    }

    /// `Object.Field` → `read`/`edit` for every field `username` can read in `org`.
    static func reads(_ org: Org, _ username: String) throws -> [String: String] {
        let user = try #require(org.user(named: username))
        let access = AccessEvaluator(org: org, now: now).evaluate(user)
        var result: [String: String] = [:]
        for object in access.readableObjects {
            for field in access.readableFields(of: object) {
                result[FieldPath.key(object: object, field: field)] =
                    access.canEdit(object: object, field: field) ? "edit" : "read"
            }
        }
        return result
    }

    static func text(_ result: FixResult, _ path: String) -> String? {
        result.files.first { $0.path == path }?.text
    }

    static let profileFile =
        "force-app/main/default/profiles/Minimum Access - API Only Integrations.profile-meta.xml"
    static let hubspotSetFile =
        "force-app/main/default/permissionsets/HubSpot_Integration_Access.permissionset-meta.xml"
    static let analyticsSetFile =
        "force-app/main/default/permissionsets/Analytics_Full_Data.permissionset-meta.xml"

    @Test("fix for the HubSpot user: golden profile patch, extended own permission set and package.xml")
    func hubspotGolden() throws {
        let result = try FixRun.make(project: Acme.project, user: Acme.hubspot, now: Self.now)
        #expect(result.refusal == nil)
        #expect(
            result.plan.newPermissionSets.isEmpty, "the user's own HubSpot_Integration_Access is extended")
        #expect(result.files.map(\.path) == [Self.profileFile, Self.hubspotSetFile, "package.xml"])
        Golden.check(try #require(Self.text(result, Self.profileFile)), "fix-hubspot/profile.xml")
        Golden.check(try #require(Self.text(result, Self.hubspotSetFile)), "fix-hubspot/permissionset.xml")
        Golden.check(try #require(Self.text(result, "package.xml")), "fix-hubspot/package.xml")
        Golden.check(try FixRendering.render(result, format: .text, style: .plain), "fix-hubspot/fix.txt")
        #expect(result.commands.isEmpty, "the user already holds the permission set")
    }

    @Test("FLS-5 fix patches only the intended lines of the profile: readable true → false, nothing else")
    func profilePatchIsMinimal() throws {
        let result = try FixRun.make(project: Acme.project, user: Acme.hubspot, now: Self.now)
        let original = try String(
            contentsOf: Paths.acme.appendingPathComponent(Self.profileFile), encoding: .utf8)
        let patched = try #require(Self.text(result, Self.profileFile))
        let a = original.components(separatedBy: "\n")
        let b = patched.components(separatedBy: "\n")
        #expect(a.count == b.count, "no entry is added or deleted")
        let changed = zip(a, b).enumerated().filter { $0.element.0 != $0.element.1 }
        // Every Read the HubSpot user had through the latent profile: the four unapproved tier-2/3
        // fields, the approved Annual_Revenue__c and the 14 tier-1 fields (now in its permission set);
        // no one else holds the profile, so none has to stay.
        let profileChanges = result.plan.changes.filter { $0.source == "profile:\(Acme.integrationProfile)" }
        #expect(changed.count == profileChanges.count)
        #expect(changed.count == a.filter { $0.contains("<readable>true</readable>") }.count)
        for (_, pair) in changed {
            #expect(pair.0.trimmingCharacters(in: .whitespaces) == "<readable>true</readable>")
            #expect(pair.1.trimmingCharacters(in: .whitespaces) == "<readable>false</readable>")
        }
    }

    @Test("after applying the HubSpot fix: audit has no error, SSN unreadable, approved field readable")
    func hubspotApplied() throws {
        let applied = try Self.applied(Acme.hubspot)
        defer { applied.remove() }
        let project = applied.project
        let report = try AuditRun.make(project: project, user: Acme.hubspot, now: Self.now)
        #expect(report.findings.filter { $0.severity == .error }.isEmpty, "\(report.findings)")
        let user = try #require(project.org.user(named: Acme.hubspot))
        let evaluator = AccessEvaluator(org: project.org, now: Self.now)
        #expect(!evaluator.fieldDecision(user, object: "Contact", field: "SSN__c").read)
        #expect(evaluator.fieldDecision(user, object: "Account", field: "Annual_Revenue__c").read)
        let json = try Acme.json(
            try ExplainCommand.output(
                project: project, user: Acme.hubspot, field: "Contact.SSN__c", format: .json))
        let object = try #require((json["objects"] as? [[String: Any]])?.first)
        let field = try #require((object["fields"] as? [[String: Any]])?.first)
        #expect(field["read"] as? Bool == false)
    }

    @Test(
        "FLS-5 after the HubSpot fix it reads exactly its tier-1 fields and the approved one, all from its permission set"
    )
    func hubspotReadsExactly() throws {
        let applied = try Self.applied(Acme.hubspot)
        defer { applied.remove() }
        let policy = Acme.project.policy
        let org = Acme.project.org
        var expected = try Self.reads(org, Acme.hubspot).filter { key, _ in
            guard let (object, field) = FieldPath.split(key),
                let definition = org.objects[object]?.fields[field]
            else { return false }
            return policy.tier(of: definition.classification) <= 1
        }
        expected["Account.Annual_Revenue__c"] = "read"
        #expect(try Self.reads(applied.project.org, Acme.hubspot) == expected)
        // No Read is left on the shared integration profile: the permission set is the whole story.
        let profile = try #require(applied.project.org.profiles[Acme.integrationProfile])
        #expect(profile.grants.fields.values.allSatisfy { $0.isNone })
        let set = try #require(applied.project.org.permissionSets[Acme.hubspotSet])
        let user = try #require(applied.project.org.user(named: Acme.hubspot))
        let evaluator = AccessEvaluator(org: applied.project.org, now: Self.now)
        for key in expected.keys.sorted() {
            let (object, field) = FieldPath.split(key)!
            let decision = evaluator.fieldDecision(user, object: object, field: field)
            #expect(
                decision.reasons.contains {
                    $0.kind == .alwaysReadable || $0.source == "permissionSet:\(Acme.hubspotSet)"
                }, "\(key) is read through \(decision.reasons.compactMap(\.source))")
            #expect(!decision.reasons.contains { $0.kind == .latentProfileFieldPermission }, "\(key)")
        }
        #expect(set.grants.fields["Contact.SSN__c"] == nil)
    }

    @Test("OBJ-5 fix for the analytics user: View/Modify All Data switched off in its own set; audit clean")
    func analyticsApplied() throws {
        let applied = try Self.applied(Acme.analytics)
        defer { applied.remove() }
        let (result, project) = (applied.result, applied.project)
        #expect(
            result.plan.changes.contains(
                .removeUserPermission(source: "permissionSet:Analytics_Full_Data", permission: "ViewAllData"))
        )
        Golden.check(
            try #require(Self.text(result, Self.analyticsSetFile)), "fix-analytics/permissionset.xml")
        var dryRun = result
        dryRun.written = []
        Golden.check(try FixRendering.render(dryRun, format: .text, style: .plain), "fix-analytics/fix.txt")
        let report = try AuditRun.make(project: project, user: Acme.analytics, now: Self.now)
        #expect(report.findings.filter { $0.severity == .error }.isEmpty, "\(report.findings)")
        let user = try #require(project.org.user(named: Acme.analytics))
        let access = AccessEvaluator(org: project.org, now: Self.now).evaluate(user)
        #expect(!access.hasSystemPermission("ViewAllData"))
        #expect(access.canRead(object: "Account", field: "Annual_Revenue__c"))
    }

    @Test("View All Data on a source shared with another user is left, with a note saying what to do")
    func sharedSourceIsExplained() throws {
        let project = Acme.changed { org in
            let i = org.users.firstIndex { $0.username == Acme.rep }!
            org.users[i].permissionSets.append(Assignment(name: "Analytics_Full_Data"))
        }
        let result = try FixRun.make(project: project, user: Acme.analytics, now: Self.now)
        #expect(!result.plan.changes.contains { if case .removeUserPermission = $0 { true } else { false } })
        #expect(result.plan.notes.contains { $0.contains("ViewAllData") && $0.contains(Acme.rep) })
        #expect(result.refusal != nil, "an error finding remains, so the plan is refused")
    }

    @Test("diff between the example and the example with the HubSpot fix lists exactly the intended changes")
    func diffAfterFix() throws {
        let applied = try Self.applied(Acme.hubspot)
        defer { applied.remove() }
        let diff = AccessDiff.compare(before: Acme.project.org, after: applied.project.org, now: Self.now)
        let changed = diff.changes.map {
            "\($0.user) \($0.kind.rawValue) \($0.object ?? "").\($0.field ?? "") \($0.before)→\($0.after)"
        }
        // Only the HubSpot user changes, and only by losing the four fields the policy does not allow
        // (three tier 3, and Employee_Count__c, tier 2, whose approval expired). Moving its 14 tier-1
        // fields and the approved Annual_Revenue__c from the latent profile entries to its permission set
        // changes nothing it reaches (diff compares effective access), objects and records included; no
        // one else holds the profile.
        #expect(
            changed.sorted() == [
                "hubspot.integration@acme.example field Account.Employee_Count__c read→none",
                "hubspot.integration@acme.example field Account.Internal_Notes__c read→none",
                "hubspot.integration@acme.example field Contact.Credit_Score__c read→none",
                "hubspot.integration@acme.example field Contact.SSN__c read→none",
            ], "\(changed)")
        #expect(diff.changes.allSatisfy { $0.isNarrowing })
    }

    @Test(
        "PSG-2 PSG-3 through a group: a permission set only this user depends on is patched, else the field is muted in a new muting set the group's file names"
    )
    func groupFieldsFixed() throws {
        // A copy of the example where the HubSpot user also holds HubSpot_Extras, a group around
        // Sales_Data_Steward, which Max holds through Sales_Operations (whose muting set mutes SSN__c).
        // Setting Internal_Notes__c or Credit_Score__c to false in Sales_Data_Steward would take them from
        // Max, so they are muted in HubSpot_Extras, which has no muting set yet; SSN__c reaches no one else
        // through Sales_Data_Steward, so that set is patched.
        let folder = Self.temporaryFolder("group-source")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("acme")
        try FileManager.default.copyItem(at: Paths.acme, to: source)
        let groupPath =
            "force-app/main/default/permissionsetgroups/HubSpot_Extras.permissionsetgroup-meta.xml"
        let group = """
            <?xml version="1.0" encoding="UTF-8"?>
            <PermissionSetGroup xmlns="http://soap.sforce.com/2006/04/metadata">
                <description>Extra access for the HubSpot connector.</description>
                <hasActivationRequired>false</hasActivationRequired>
                <label>HubSpot Extras</label>
                <permissionSets>Sales_Data_Steward</permissionSets>
                <status>Updated</status>
            </PermissionSetGroup>

            """
        try group.write(to: source.appendingPathComponent(groupPath), atomically: true, encoding: .utf8)
        let yaml = source.appendingPathComponent("keyhole.yaml")
        let people = try String(contentsOf: yaml, encoding: .utf8)
        #expect(people.components(separatedBy: "    groups: [HubSpot_Sync]\n").count == 2)
        try people.replacingOccurrences(
            of: "    groups: [HubSpot_Sync]\n",
            with: "    groups: [HubSpot_Sync]\n    permissionSetGroups: [HubSpot_Extras]\n"
        ).write(to: yaml, atomically: true, encoding: .utf8)
        let before = Project.load(path: source.path)
        #expect(before.errors.isEmpty, "\(before.errors)")

        let applied = try Self.applied(Acme.hubspot, source: source)
        defer { applied.remove() }
        let result = applied.result
        #expect(
            result.plan.changes.contains(
                .setFLS(source: "permissionSet:Sales_Data_Steward", field: "Contact.SSN__c", access: .none)))
        #expect(
            result.plan.changes.contains(.mute(group: "HubSpot_Extras", field: "Contact.Credit_Score__c")))
        #expect(
            result.plan.changes.contains(.mute(group: "HubSpot_Extras", field: "Account.Internal_Notes__c")))
        let mutingPath =
            "force-app/main/default/mutingpermissionsets/HubSpot_Extras_Muting.mutingpermissionset-meta.xml"
        #expect(result.files.map(\.path).contains(mutingPath))
        // The group's file gains one line naming its new muting set; every other byte stays.
        let patchedGroup = try #require(Self.text(result, groupPath))
        #expect(
            patchedGroup
                == group.replacingOccurrences(
                    of: "    <permissionSets>",
                    with:
                        "    <mutingPermissionSets>HubSpot_Extras_Muting</mutingPermissionSets>\n    <permissionSets>"
                ))
        let manifest = try #require(Self.text(result, "package.xml"))
        #expect(manifest.contains("<members>HubSpot_Extras_Muting</members>"))
        #expect(manifest.contains("<members>HubSpot_Extras</members>"))
        #expect(result.otherUsers.isEmpty, "Max keeps what Sales_Operations gives him: \(result.otherUsers)")

        let fixed = applied.project
        #expect(
            fixed.org.permissionSetGroups["HubSpot_Extras"]?.mutingPermissionSet == "HubSpot_Extras_Muting")
        let report = try AuditRun.make(project: fixed, user: Acme.hubspot, now: Self.now)
        #expect(report.findings.filter { $0.severity == .error }.isEmpty, "\(report.findings)")
        let diff = AccessDiff.compare(before: before.org, after: fixed.org, records: false, now: Self.now)
        #expect(diff.users == [Acme.hubspot], "\(diff.users)")
        #expect(diff.changes.allSatisfy { $0.isNarrowing })
    }

    @Test("generated XML loads back through the loader")
    func generatedXMLLoads() throws {
        for user in [Acme.hubspot, Acme.analytics] {
            let result = try FixRun.make(project: Acme.project, user: user, now: Self.now)
            for file in result.files where file.path.hasSuffix(".xml") && file.path != "package.xml" {
                #expect(file.text.contains("<?xml"))
            }
            let applied = try Self.applied(user)
            defer { applied.remove() }
            #expect(applied.project.errors.isEmpty)
            let manifest = try String(
                contentsOf: applied.output.appendingPathComponent("package.xml"), encoding: .utf8)
            #expect(manifest.contains("<name>PermissionSet</name>"))
        }
    }

    @Test("a new <Integration>_Access permission set is created when the user has none of their own")
    func createsPermissionSet() throws {
        let project = Acme.changed { org in
            let i = org.users.firstIndex { $0.username == Acme.hubspot }!
            org.permissionSets["Shared_Read"] = PermissionSet(
                name: "Shared_Read", grants: PermissionGrants(objects: ["Account": .read, "Contact": .read]))
            org.permissionSets["HubSpot_Integration_Access"] = nil
            org.users[i].permissionSets = [Assignment(name: "Shared_Read")]
            org.users[i].permissionSetGroups = []
            let r = org.users.firstIndex { $0.username == Acme.rep }!
            org.users[r].permissionSets.append(Assignment(name: "Shared_Read"))
        }
        let result = try FixRun.make(project: project, user: Acme.hubspot, now: Self.now)
        #expect(result.refusal == nil, "\(result.refusal ?? "")")
        #expect(result.plan.newPermissionSets.map(\.name) == ["HubSpot_Integration_Access"])
        #expect(
            result.commands == [
                "sf org assign permset --name HubSpot_Integration_Access --on-behalf-of \(Acme.hubspot)"
            ])
        let path = Self.hubspotSetFile
        let text = try #require(Self.text(result, path))
        Golden.check(text, "fix-hubspot-new/permissionset.xml")
        Golden.check(try #require(Self.text(result, "package.xml")), "fix-hubspot-new/package.xml")

        // The generated file loads back through the loader with the planned grants.
        let folder = Self.temporaryFolder("new")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(
            at: Paths.acme.appendingPathComponent("sfdx-project.json"),
            to: folder.appendingPathComponent("sfdx-project.json"))
        let url = folder.appendingPathComponent(path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        let loaded = Project.load(path: folder.path)
        #expect(loaded.errors.isEmpty, "\(loaded.errors)")
        let set = try #require(loaded.org.permissionSets["HubSpot_Integration_Access"])
        #expect(set.license == nil, "LIC-7: the user holds the API integration PSL")
        #expect(set.grants.fields["Account.Annual_Revenue__c"] == .read)
        #expect(set.grants.objects["Contact"] == .read && set.grants.objects["Account"] == .read)
        #expect(set.grants.fields["Contact.Email"] == .read, "tier-1 reads move off the profile")
        #expect(set.grants.fields["Contact.SSN__c"] == nil)
    }

    @Test("fix --format json has the stable keys")
    func jsonKeys() throws {
        let result = try FixRun.make(project: Acme.project, user: Acme.hubspot, now: Self.now)
        let json = try Acme.json(try FixRendering.render(result, format: .json, style: .plain))
        for key in [
            "user", "changes", "before", "after", "access", "findingsBefore", "findingsAfter", "otherUsers",
            "files", "notes", "commands",
        ] {
            #expect(json[key] != nil, "missing \(key)")
        }
        let changes = try #require(json["changes"] as? [[String: Any]])
        #expect(changes.contains { $0["field"] as? String == "SSN__c" && $0["kind"] as? String == "setFLS" })
        #expect((json["findingsAfter"] as? [String: Any])?["error"] as? Int == 0)
        #expect((json["after"] as? [String: Any])?["Contact.SSN__c"] as? String == "none")
    }

    @Test("an unknown user is an input error")
    func unknownUser() {
        #expect(throws: InputError.self) {
            _ = try FixRun.make(project: Acme.project, user: "nobody@acme.example", now: Self.now)
        }
    }

    @Test(
        "every corpus folder: fix --dry-run for a generated integration user completes",
        arguments: CorpusTests.folders)
    func corpusDryRun(folder: String) throws {
        var project = Project.load(path: Paths.corpus.appendingPathComponent(folder).path, forceScan: true)
        let profile =
            project.org.profiles.keys.sorted().first { project.org.profiles[$0]!.isIntegrationProfile }
            ?? project.org.profiles.keys.sorted().first ?? "Minimum Access - API Only Integrations"
        project.org.users.append(
            User(
                username: "fix.integration@corpus.test", license: "Salesforce Integration", profile: profile,
                permissionSetLicenses: ["SalesforceAPIIntegrationPsl"]))
        let result = try FixRun.make(project: project, user: "fix.integration@corpus.test", now: Self.now)
        _ = try FixRendering.render(result, format: .json, style: .plain)
        _ = try FixRendering.render(result, format: .text, style: .plain)
    }
}
