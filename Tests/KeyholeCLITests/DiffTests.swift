import AccessModel
import ArgumentParser
import Foundation
import SalesforceMetadata
import Testing

@testable import keyhole

/// `explain`'s what-if options and `diff`, on the example org.
@Suite("what-if and diff")
struct DiffTests {
    static let ssnChange = "profile:\(Acme.integrationProfile)/Contact.SSN__c=none"

    func whatIf(_ changes: [OrgChange], in project: Project = Acme.project, user: String = Acme.hubspot)
        throws
        -> WhatIfReport
    {
        try WhatIfReport.make(project: project, username: user, changes: changes)
    }

    @Test(
        "FLS-5 --set-fls on the integration profile: the HubSpot user loses Contact.SSN__c (tier 3), and no one else changes"
    )
    func setFLSRemovesSSN() throws {
        let report = try whatIf([try OrgChange.parseSetFLS(Self.ssnChange)])
        let change = try #require(report.diff.changes.first)
        #expect(report.diff.changes.count == 1)
        #expect(change.user == Acme.hubspot)
        #expect(change.kind == .field && change.target == "Contact.SSN__c")
        #expect(change.before == "read" && change.after == "none")
        #expect(change.isNarrowing && !change.isWidening)
        #expect(change.tier == 3)
        #expect(change.isIntegrationUser)

        let json = try Acme.json(
            try ExplainCommand.output(
                project: Acme.project, user: Acme.hubspot, format: .json,
                changes: [try OrgChange.parseSetFLS(Self.ssnChange)]))
        #expect(json["user"] as? String == Acme.hubspot)
        #expect(
            json["whatIf"] as? [String] == ["set profile:\(Acme.integrationProfile) Contact.SSN__c to none"])
        let entry = try #require((json["changes"] as? [[String: Any]])?.first)
        #expect(entry["kind"] as? String == "field")
        #expect(entry["object"] as? String == "Contact")
        #expect(entry["field"] as? String == "SSN__c")
        #expect(entry["before"] as? String == "read")
        #expect(entry["after"] as? String == "none")
        #expect(entry["classification"] as? String == "Restricted")
        #expect(entry["compliance"] as? [String] == ["GLBA", "PII"])
        #expect(entry["tier"] as? Int == 3)
        #expect(entry["widening"] as? Bool == false)
        #expect((json["summary"] as? [String: Any])?["narrowing"] as? Int == 1)

        let text = try ExplainCommand.output(
            project: Acme.project, user: Acme.hubspot, format: .text,
            changes: [try OrgChange.parseSetFLS(Self.ssnChange)])
        #expect(text.contains("Contact.SSN__c  read → none  Restricted (GLBA, PII)  tier 3"))
        #expect(text.contains("no other user's access changes"))
    }

    @Test("PSG-3 --mute in a group around the HubSpot permission set does not remove the profile's SSN__c")
    func muteCannotRemoveProfileFLS() throws {
        let project = Acme.changed { org in
            org.permissionSetGroups["HubSpot_Group"] = PermissionSetGroup(
                name: "HubSpot_Group", permissionSets: [Acme.hubspotSet], status: "Updated")
            let i = org.users.firstIndex { $0.username == Acme.hubspot }!
            org.users[i].permissionSets = []
            org.users[i].permissionSetGroups = [Assignment(name: "HubSpot_Group")]
        }
        let report = try whatIf(
            [try OrgChange.parseMute("permissionSetGroup:HubSpot_Group/Contact.SSN__c")], in: project)
        #expect(report.diff.changes(for: Acme.hubspot).isEmpty)
        #expect(report.diff.changes.isEmpty)
        let text = report.text(style: .plain)
        #expect(text.contains("no change in what \(Acme.hubspot) can reach"))
    }

    @Test(
        "--unassign permissionSet:HubSpot_Integration_Access removes Account and Contact, their fields and records"
    )
    func unassignRemovesObjects() throws {
        let report = try whatIf([
            try OrgChange.parseUnassign("permissionSet:\(Acme.hubspotSet)", user: Acme.hubspot)
        ])
        let own = report.diff.changes(for: Acme.hubspot)
        let objects = own.filter { $0.kind == .object }
        #expect(objects.map(\.target) == ["Account", "Contact"])
        #expect(objects.allSatisfy { $0.before == "read" && $0.after == "none" && $0.isNarrowing })
        #expect(own.contains { $0.kind == .field && $0.target == "Contact.SSN__c" && $0.after == "none" })
        let records = own.filter { $0.kind == .records }
        #expect(records.map(\.target) == ["Account", "Contact"])
        #expect(records.allSatisfy { $0.after.hasPrefix("0 of") && !$0.records.isEmpty })
        #expect(report.sourcesAfter == ["profile:\(Acme.integrationProfile)"])
        #expect(report.diff.users == [Acme.hubspot])
        // --object narrows the list to one object.
        let narrowed = try WhatIfReport.make(
            project: Acme.project, username: Acme.hubspot,
            changes: [.unassign(user: Acme.hubspot, source: "permissionSet:\(Acme.hubspotSet)")],
            object: "contact")
        #expect(narrowed.diff.changes.allSatisfy { $0.object == "Contact" })
    }

    @Test("a change to a shared profile lists the other users who hold it")
    func sharedProfile() throws {
        let report = try whatIf(
            [try OrgChange.parseSetFLS("profile:Standard/Account.Phone=none")], user: Acme.rep)
        #expect(report.diff.users == [Acme.rep, Acme.manager])
        let text = report.text(style: .plain)
        #expect(text.contains("other users whose access changes (1)"))
        #expect(text.contains(Acme.manager))
    }

    @Test("unknown names in what-if options fail with a did-you-mean hint (exit 1)")
    func unknownNames() throws {
        #expect {
            try self.whatIf([
                try OrgChange.parseAssign("permissionSet:HubSpot_Integration_Acess", user: Acme.hubspot)
            ])
        } throws: { error in
            (error as? InputError)?.message.contains("Did you mean 'HubSpot_Integration_Access'?") == true
        }
        #expect(throws: (any Error).self) {
            try ExplainCommand.parse([
                Acme.project.path, "--user", Acme.hubspot, "--set-fls", "profile:P/Contact.SSN__c",
            ])
        }
    }

    /// A copy of the example in a temporary folder where the integration profile also reads a new
    /// Restricted field, `Contact.Tax_Id__c` (the profile patched with `MetadataPatch`).
    static func copyWithTier3Field() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "keyhole-diff-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Paths.acme, to: folder)
        let base = folder.appendingPathComponent("force-app/main/default")
        let fields = base.appendingPathComponent("objects/Contact/fields")
        let ssn = try String(
            contentsOf: fields.appendingPathComponent("SSN__c.field-meta.xml"), encoding: .utf8)
        try ssn.replacingOccurrences(of: "SSN__c", with: "Tax_Id__c")
            .replacingOccurrences(of: "Social Security Number", with: "Tax Id")
            .write(
                to: fields.appendingPathComponent("Tax_Id__c.field-meta.xml"), atomically: true,
                encoding: .utf8)
        let profile = base.appendingPathComponent("profiles/\(Acme.integrationProfile).profile-meta.xml")
        let patched = try MetadataPatch.apply(
            [.fieldPermission(field: "Contact.Tax_Id__c", access: .read)],
            to: try String(contentsOf: profile, encoding: .utf8))
        try patched.write(to: profile, atomically: true, encoding: .utf8)
        return folder
    }

    @Test(
        "diff: a tier-3 field granted to an integration user is a widening; --fail-on-widening exits 2, without it 0"
    )
    func diffFailsOnWidening() throws {
        let copy = try Self.copyWithTier3Field()
        defer { try? FileManager.default.removeItem(at: copy) }
        let (text, widening) = try DiffCommand.output(
            before: Paths.acme.path, after: copy.path, base: nil, format: .text)
        #expect(widening)
        #expect(text.contains("+  field  Contact.Tax_Id__c  none → read  Restricted (GLBA, PII)  tier 3"))
        #expect(text.contains("\(Acme.hubspot) (integration user)"))

        let json = try Acme.json(
            try DiffCommand.output(before: Paths.acme.path, after: copy.path, base: nil, format: .json).text)
        let changes = try #require(json["changes"] as? [[String: Any]])
        #expect(changes.count == 1)
        #expect(changes.first?["user"] as? String == Acme.hubspot)
        #expect(changes.first?["widening"] as? Bool == true)
        #expect(changes.first?["integrationUser"] as? Bool == true)
        #expect(changes.first?["tier"] as? Int == 3)
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["integrationWidening"] as? Int == 1)
        #expect(summary["widening"] as? Int == 1)
        #expect(summary["users"] as? Int == 1)

        var failing = try DiffCommand.parse([
            Paths.acme.path, copy.path, "--fail-on-widening", "--format", "json",
        ])
        #expect(throws: ExitCode(2)) { try failing.run() }
        var passing = try DiffCommand.parse([Paths.acme.path, copy.path, "--format", "json"])
        #expect(throws: Never.self) { try passing.run() }
        // The other way round the field is lost: a narrowing, which never fails.
        var reverse = try DiffCommand.parse([
            copy.path, Paths.acme.path, "--fail-on-widening", "--format", "json",
        ])
        #expect(throws: Never.self) { try reverse.run() }
        // --user narrows to one user.
        let other = try DiffCommand.output(
            before: Paths.acme.path, after: copy.path, base: nil, user: Acme.rep, format: .text)
        #expect(!other.integrationWidening)
        #expect(other.text.contains("no change in what any user can reach"))
    }

    @Test(
        "diff --base REV reads the revision with git archive into a temporary folder and leaves nothing behind"
    )
    func diffBase() throws {
        func leftovers() -> Set<String> {
            Set(
                (try? FileManager.default.contentsOfDirectory(
                    atPath: FileManager.default.temporaryDirectory.path))?
                    .filter { $0.hasPrefix("keyhole-base-") } ?? [])
        }
        let before = leftovers()
        let (text, _) = try DiffCommand.output(
            before: Paths.acme.path, after: nil, base: "HEAD", format: .text)
        #expect(text.hasPrefix("HEAD → working tree"))
        #expect(leftovers() == before)
        #expect {
            try DiffCommand.output(
                before: Paths.acme.path, after: nil, base: "no-such-revision-xyz", format: .text)
        } throws: { error in
            (error as? InputError)?.message.contains("no-such-revision-xyz") == true
        }
        #expect(leftovers() == before)
        #expect(throws: (any Error).self) { try DiffCommand.parse([Paths.acme.path]) }
        #expect(throws: (any Error).self) {
            try DiffCommand.parse([Paths.acme.path, Paths.acme.path, "--base", "HEAD"])
        }
    }
}
