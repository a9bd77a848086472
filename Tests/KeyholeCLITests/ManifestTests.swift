import AccessModel
import Foundation
import SalesforceMetadata
import Testing

@testable import keyhole

/// `manifest`: the package.xml that retrieves a profile, permission set or a user's access whole.
@Suite("manifest")
struct ManifestTests {
    @Test(
        "the integration profile's manifest names the profile, every object and every custom field (golden)")
    func integrationProfile() throws {
        let manifest = try ManifestCommand.manifest(project: Acme.project, profile: Acme.integrationProfile)
        let org = Acme.project.org
        #expect(manifest.types["Profile"] == [Acme.integrationProfile])
        #expect(manifest.types["CustomObject"] == org.objects.keys.sorted())
        let customFields = org.objects.values.flatMap { object in
            object.fields.values.filter(\.isCustom).map { "\(object.name).\($0.name)" }
        }
        #expect(manifest.types["CustomField"] == customFields.sorted())
        #expect(manifest.types["CustomField"]?.contains("Contact.SSN__c") == true)
        #expect(manifest.types["CustomObject"]?.contains("Opportunity") == true)
        #expect(manifest.version == "62.0")
        Golden.check(PackageXML.text(manifest), "manifest-integration-profile.xml")
    }

    @Test("the manifest reads back as the same package.xml")
    func roundTrip() throws {
        let manifest = try ManifestCommand.manifest(project: Acme.project, permissionSet: Acme.hubspotSet)
        let (read, problems) = PackageXML.read(Data(PackageXML.text(manifest).utf8), file: "package.xml")
        #expect(problems.isEmpty)
        #expect(read == manifest)
        #expect(manifest.types["PermissionSet"] == [Acme.hubspotSet])
    }

    @Test("a user's manifest names everything their access depends on")
    func user() throws {
        let manifest = try ManifestCommand.manifest(project: Acme.project, user: Acme.manager)
        #expect(manifest.types["Profile"] == ["Standard"])
        #expect(manifest.types["PermissionSetGroup"] == ["Sales_Operations"])
        #expect(manifest.types["MutingPermissionSet"] == ["Sales_Operations_Muting"])
        #expect(manifest.types["PermissionSet"] == ["Sales_Data_Steward", "Sales_Reporting"])
        #expect(manifest.types["SharingRules"]?.contains("Account") == true)
        #expect(manifest.types["Role"]?.contains("Sales_Manager") == true)
        #expect(manifest.types["CustomField"]?.contains("Contact.SSN__c") == true)
        let hubspot = try ManifestCommand.manifest(project: Acme.project, user: Acme.hubspot)
        #expect(hubspot.types["Group"] == ["HubSpot_Sync"])
        #expect(hubspot.types["SharingRules"] == ["Account", "Contact"])
    }

    @Test("unknown names fail with a did-you-mean hint; exactly one of the three options is required")
    func errors() throws {
        #expect {
            try ManifestCommand.manifest(
                project: Acme.project, profile: "Minimum Access - API Only Integration")
        } throws: { error in
            (error as? InputError)?.message.contains("Did you mean '\(Acme.integrationProfile)'?") == true
        }
        #expect(throws: (any Error).self) { try ManifestCommand.parse([Acme.project.path]) }
        #expect(throws: (any Error).self) {
            try ManifestCommand.parse([Acme.project.path, "--profile", "Admin", "--user", Acme.hubspot])
        }
    }

    @Test("--output writes the file")
    func output() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "keyhole-manifest-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: file) }
        var command = try ManifestCommand.parse([
            Acme.project.path, "--profile", "Admin", "--output", file.path,
        ])
        try command.run()
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("<members>Admin</members>"))
    }
}
