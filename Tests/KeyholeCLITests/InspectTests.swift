import AccessModel
import Foundation
import SalesforceMetadata
import Testing

@testable import keyhole

@Suite("inspect")
struct InspectTests {
    /// The report for the example, with the project path as the README gives it.
    func exampleReport() -> InspectReport {
        var report = InspectReport(Acme.project)
        report.project = "Examples/acme"
        return report
    }

    @Test("the example's inspect JSON is pinned (stable keys, zero errors)")
    func json() throws {
        let report = exampleReport()
        #expect(report.errors.isEmpty)
        Golden.check(try Console.json(report), "inspect-acme.json")
    }

    @Test("the example's inspect text is pinned")
    func text() {
        Golden.check(exampleReport().text, "inspect-acme.txt")
    }

    @Test("the JSON carries every key of the contract")
    func contractKeys() throws {
        let json = try Acme.json(try Console.json(exampleReport()))
        for key in [
            "format", "files", "objects", "fields", "classifiedFields", "profiles", "permissionSets",
            "permissionSetGroups", "users", "sharingRules", "notes", "errors",
        ] {
            #expect(json[key] != nil, "missing key \(key)")
        }
        let files = try #require(json["files"] as? [String: Int])
        #expect(
            Set(files.keys) == [
                "object", "field", "profile", "permissionSet", "permissionSetGroup", "mutingPermissionSet",
                "sharingRules", "group", "role", "restrictionRule", "packageXml",
            ])
        #expect(json["sharingRules"] as? [String: Int] == ["criteria": 1, "owner": 0, "guest": 0])
    }
}
