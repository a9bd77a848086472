import AccessModel
import Foundation
import SalesforceMetadata

@testable import keyhole

/// The example org, loaded once; tests that change it work on a copy (`Project` is a value).
enum Acme {
    static let hubspot = "hubspot.integration@acme.example"
    static let analytics = "analytics.integration@acme.example"
    static let rep = "rita.rep@acme.example"
    static let manager = "max.manager@acme.example"
    static let integrationProfile = "Minimum Access - API Only Integrations"
    static let hubspotSet = "HubSpot_Integration_Access"

    static let project: Project = Project.load(path: Paths.acme.path)

    /// A copy of the project whose org `change` has modified in memory.
    static func changed(_ change: (inout Org) -> Void) -> Project {
        var copy = project
        change(&copy.org)
        return copy
    }

    /// Sets `field` of the record with reference id `reference` (rebuilding the record set, whose lists are
    /// read-only).
    static func setField(_ org: inout Org, reference: String, field: String, to value: FieldValue) {
        org.records = RecordSet(
            org.records.all.map { record in
                var record = record
                if record.referenceId == reference { record.fields[field] = value }
                return record
            })
    }

    /// Reference ids of the records `username` can reach on `object`, through the `records` command's report.
    static func visible(
        _ project: Project, _ username: String, _ object: String, minimum: RecordsCommand.Minimum = .read
    )
        throws -> Set<String>
    {
        let report = try RecordsReport.make(
            project: project, username: username, object: object, minimum: minimum)
        return Set(report.records.compactMap(\.decision.referenceId))
    }

    /// Parses JSON output into a dictionary for contract checks.
    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }
}
