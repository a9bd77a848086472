import AccessModel
import Foundation
import SalesforceMetadata
import Testing

@testable import keyhole

/// `records` and `explain --record` on the example org's data (`Examples/acme/data`).
@Suite("records")
struct RecordsTests {
    @Test(
        "REC-11 REC-9 the HubSpot user sees exactly the flagged accounts, shared by the criteria rule to its group"
    )
    func flaggedAccounts() throws {
        let report = try RecordsReport.make(
            project: Acme.project, username: Acme.hubspot, object: "Account", minimum: .read)
        #expect(Set(report.records.compactMap(\.decision.referenceId)) == ["Northwind", "Globex", "Stark"])
        for entry in report.records {
            #expect(entry.decision.level == .read)
            let rule = try #require(entry.decision.reasons.first { $0.kind == .sharingRule })
            #expect(rule.source == "sharingRule:Account.Send_to_HubSpot")
            #expect(rule.via == "group:HubSpot_Sync")
        }
        #expect(try Acme.visible(Acme.project, Acme.hubspot, "Account", minimum: .edit).isEmpty)
    }

    @Test("REC-11 REC-13 flipping Send_to_HubSpot__c changes which accounts the HubSpot user sees")
    func flippingTheFlag() throws {
        let project = Acme.changed { org in
            Acme.setField(&org, reference: "Northwind", field: "Send_to_HubSpot__c", to: .boolean(false))
            Acme.setField(&org, reference: "Initech", field: "Send_to_HubSpot__c", to: .boolean(true))
        }
        #expect(try Acme.visible(project, Acme.hubspot, "Account") == ["Globex", "Initech", "Stark"])
        let output = try RecordsCommand.output(
            project: project, user: Acme.hubspot, object: "Account", whyNot: "Northwind", format: .json)
        let json = try Acme.json(output)
        #expect(json["access"] as? String == "none")
        #expect(json["referenceId"] as? String == "Northwind")
    }

    @Test(
        "REC-16 through Contact (Controlled by Parent) the HubSpot user sees the contacts of flagged accounts"
    )
    func contactsOfFlaggedAccounts() throws {
        #expect(
            try Acme.visible(Acme.project, Acme.hubspot, "Contact") == [
                "NorthwindBuyer", "NorthwindCFO", "GlobexOps",
            ])
        let report = try RecordsReport.make(
            project: Acme.project, username: Acme.hubspot, object: "Contact", minimum: .read)
        for entry in report.records {
            #expect(entry.decision.reasons.contains { $0.kind == .controlledByParent })
        }
        // The parent decides: unflag Northwind and its contacts disappear.
        let project = Acme.changed { org in
            Acme.setField(&org, reference: "Northwind", field: "Send_to_HubSpot__c", to: .boolean(false))
        }
        #expect(try Acme.visible(project, Acme.hubspot, "Contact") == ["GlobexOps"])
    }

    @Test("REC-18 the analytics user sees every record through View All Data / Modify All Data")
    func viewAllDataSeesEverything() throws {
        for object in ["Account", "Contact", "Opportunity", "Case"] {
            let report = try RecordsReport.make(
                project: Acme.project, username: Acme.analytics, object: object, minimum: .read)
            #expect(report.records.count == Acme.project.org.records.records(of: object).count)
            #expect(report.records.count > 0)
            for entry in report.records {
                #expect(
                    entry.decision.reasons.contains { $0.kind == .modifyAllData || $0.kind == .viewAllData },
                    "\(object) \(entry.decision.referenceId ?? "")")
            }
        }
    }

    @Test(
        "REC-7 the manager sees the rep's accounts through the role hierarchy; the rep does not see the manager's"
    )
    func roleHierarchy() throws {
        let report = try RecordsReport.make(
            project: Acme.project, username: Acme.manager, object: "Account", minimum: .read)
        let repOwned: Set<String> = ["Northwind", "Initech", "Stark"]
        for entry in report.records where repOwned.contains(entry.decision.referenceId ?? "") {
            let hierarchy = try #require(entry.decision.reasons.first { $0.kind == .roleHierarchy })
            #expect(hierarchy.via == "role:Sales_Manager")
        }
        #expect(repOwned.isSubset(of: try Acme.visible(Acme.project, Acme.manager, "Account")))
        #expect(try Acme.visible(Acme.project, Acme.rep, "Account") == repOwned)
    }

    @Test("a user who cannot read the object gets an empty list and the reason (exit 0)")
    func noObjectRead() throws {
        let report = try RecordsReport.make(
            project: Acme.project, username: Acme.hubspot, object: "Opportunity", minimum: .read)
        #expect(!report.objectReadable)
        #expect(report.records.isEmpty)
        #expect(report.objectReasons?.contains { $0.kind == .notGranted } == true)
        let text = report.text(style: .plain)
        #expect(text.contains("cannot read Opportunity at all"))
    }

    @Test("explain --record (narrow index, users evaluated on demand) decides as the whole-org evaluator")
    func explainRecordAgreesWithWholeOrg() throws {
        let org = Acme.project.org
        let sharing = AccessEvaluator(org: org).sharingEvaluator()
        var compared = 0
        for user in org.users {
            for record in org.records.all {
                let explained = try RecordExplanation.make(
                    project: Acme.project, username: user.username, record: record.id)
                #expect(explained.decision == sharing.decision(username: user.username, recordId: record.id))
                compared += 1
            }
        }
        #expect(compared > 50)
    }

    @Test("--why-not explains a hidden record and says when a record is visible")
    func whyNot() throws {
        let hidden = try RecordsCommand.output(
            project: Acme.project, user: Acme.hubspot, object: "Account", whyNot: "Initech", format: .text)
        #expect(hidden.contains("is hidden from \(Acme.hubspot)"))
        #expect(hidden.contains("Send_to_HubSpot__c"))
        let visible = try RecordsCommand.output(
            project: Acme.project, user: Acme.hubspot, object: "Account", whyNot: "Globex", format: .text)
        #expect(visible.contains("is visible to \(Acme.hubspot) (access: read)"))
    }

    @Test("OBJ-9 explain --record on an object the user cannot read says so, with the object's reasons")
    func recordOfUnreadableObject() throws {
        let output = try ExplainCommand.output(
            project: Acme.project, user: Acme.hubspot, record: "NorthwindRenewal", format: .json)
        let json = try Acme.json(output)
        #expect(json["access"] as? String == "none")
        #expect(json["object"] as? String == "Opportunity")
        #expect(json["objectReadable"] as? Bool == false)
        #expect((json["objectReasons"] as? [[String: Any]])?.first?["kind"] as? String == "notGranted")
        let readable = try Acme.json(
            try ExplainCommand.output(
                project: Acme.project, user: Acme.hubspot, record: "Globex", format: .json))
        #expect(readable["objectReadable"] as? Bool == true)
        #expect(readable["objectReasons"] == nil)
    }

    @Test("CSV quotes fields with commas and joins reasons with semicolons")
    func csv() throws {
        let csv = try RecordsCommand.output(
            project: Acme.project, user: Acme.manager, object: "Contact", format: .csv)
        let lines = csv.components(separatedBy: "\n")
        #expect(lines.first == "id,referenceId,name,access,reasons")
        #expect(lines.count == 6)
        #expect(CSV.escape("a, \"b\"") == "\"a, \"\"b\"\"\"")
    }
}
