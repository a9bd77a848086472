import AccessModel
import Foundation
import SalesforceMetadata
import Testing

@testable import SOQL

/// The example org (`Examples/acme`), loaded once, and its users' access.
enum Acme {
    static let hubspot = "hubspot.integration@acme.example"
    static let analytics = "analytics.integration@acme.example"
    static let rep = "rita.rep@acme.example"
    static let admin = "ada.admin@acme.example"

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let project: Project = Project.load(path: root.appendingPathComponent("Examples/acme").path)
    static let org: Org = project.org
    static let evaluator = AccessEvaluator(org: org)
    static let relationships = RelationshipIndex(org: org)

    static func access(_ username: String) -> UserAccess {
        evaluator.evaluate(org.user(named: username)!)
    }

    static func binder(_ username: String) -> Binder {
        Binder(org: org, access: access(username), relationships: relationships)
    }

    /// Binds `soql` as `username`, expecting an error; returns it.
    static func bindError(_ soql: String, as username: String) -> SOQLError? {
        do {
            _ = try binder(username).bind(soql)
            return nil
        } catch {
            return error
        }
    }
}

/// Parses, expecting an error.
func parseError(_ soql: String) -> SOQLError? {
    do {
        _ = try Query.parse(soql)
        return nil
    } catch {
        return error
    }
}

extension Acme {
    /// A copy of the org changed in memory, with its relationship index.
    static func changed(_ change: (inout Org) -> Void) -> Org {
        var copy = org
        change(&copy)
        return copy
    }

    /// The org where the HubSpot set also reads `Contact.AccountId` and the `User` object, so parent
    /// paths and child subqueries between Account and Contact can be followed.
    /// The example with the integration profile's `Contact.AccountId` entry set to false: the HubSpot
    /// user can then neither follow Contact → Account nor reach Contacts from Account.
    static let unlinked: Org = changed { org in
        org.profiles["Minimum Access - API Only Integrations"]!.grants.fields["Contact.AccountId"] =
            FieldAccess.none
    }

    static let linked: Org = changed { org in
        org.permissionSets[hubspotSet]!.grants.fields[
            AccessModel.FieldPath.key(object: "Contact", field: "AccountId")] =
            FieldAccess(readable: true, editable: false)
        org.permissionSets[hubspotSet]!.grants.objects["User"] = .read
    }

    static let hubspotSet = "HubSpot_Integration_Access"

    static func binder(_ username: String, in org: Org) -> Binder {
        Binder(org: org, access: AccessEvaluator(org: org).evaluate(org.user(named: username)!))
    }
}

/// Binds, expecting an error.
func bindError(_ binder: Binder, _ soql: String) -> SOQLError? {
    do {
        _ = try binder.bind(soql)
        return nil
    } catch {
        return error
    }
}
