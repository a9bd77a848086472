import AccessModel
import Foundation
import Governance
import SalesforceMetadata
import Testing

/// The audit as a whole: ignore, order, the user filter, per-shape sharing, the field status the matrix
/// uses, and file/line on the example project.
@Suite("audit")
struct AuditBehaviourTests {
    static let readsSSN = F.set("Sync", ["Contact": .read], fields: ["Contact.SSN__c": .read])

    @Test("policy.ignore switches a rule off")
    func ignore() {
        let org = F.org(
            sets: [Self.readsSSN, F.set("All", permissions: ["ViewAllData"])], assign: ["Sync", "All"])
        let all = F.audit(org)
        #expect(!all.with(.tier3Access).isEmpty)
        #expect(!all.with(.viewAllData).isEmpty)
        let quiet = F.audit(org, policy: Policy(ignore: ["KH-VIEW-ALL-DATA"]))
        #expect(quiet.with(.viewAllData).isEmpty)
        #expect(quiet.with(.tier3Access).count == all.with(.tier3Access).count)
        #expect(quiet.summary.error == all.summary.error - all.with(.viewAllData).count)
    }

    @Test("findings are ordered by user, severity, rule, object, field; the summary counts them")
    func order() {
        let users = [F.user("b@x", sets: ["Sync", "All"]), F.user("a@x", sets: ["Sync"])]
        let org = F.org(
            profile: F.grants(fields: ["Contact.Phone": .read]),
            sets: [Self.readsSSN, F.set("All", permissions: ["ViewAllData"])], users: users)
        let report = F.audit(org)
        #expect(report.users == ["b@x", "a@x"])
        let firstA = report.findings.firstIndex { $0.user == "a@x" }!
        #expect(report.findings[..<firstA].allSatisfy { $0.user == "b@x" })
        for user in ["a@x", "b@x"] {
            let severities = report.findings(for: user).map(\.severity)
            #expect(severities == severities.sorted(by: >))
        }
        #expect(report.summary.total == report.findings.count)
        #expect(F.audit(org) == report)
    }

    @Test("users with the same access shape get the same shape findings, each under their own name")
    func sharedShape() {
        let users = [F.user("a@x", sets: ["Sync"]), F.user("b@x", sets: ["Sync"])]
        let report = F.audit(
            F.org(profile: F.grants(fields: ["Contact.Email": .read]), sets: [Self.readsSSN], users: users))
        let a = report.findings(for: "a@x").map { "\($0.rule) \($0.object ?? "") \($0.field ?? "")" }
        let b = report.findings(for: "b@x").map { "\($0.rule) \($0.object ?? "") \($0.field ?? "")" }
        #expect(!a.isEmpty)
        #expect(a == b)
    }

    @Test("--user audits one user, even one who is not an integration user")
    func userFilter() {
        let users = [
            F.user("a@x", sets: ["Sync"]),
            F.user("ada@x", license: "Salesforce", profile: "Standard", sets: ["All"]),
        ]
        let org = F.org(sets: [Self.readsSSN, F.set("All", permissions: ["ModifyAllData"])], users: users)
        #expect(F.audit(org).users == ["a@x"])
        let one = F.audit(org, user: "ADA@x")
        #expect(one.users == ["ada@x"])
        #expect(one.findings.allSatisfy { $0.user == "ada@x" })
        #expect(!one.with(.modifyAllData).isEmpty)
        #expect(one.with(.integrationLicense).isEmpty)
    }

    @Test("inactive integration users are not audited unless named")
    func inactive() {
        let org = F.org(sets: [Self.readsSSN], users: [F.user(sets: ["Sync"], active: false)])
        #expect(F.audit(org).users.isEmpty)
        #expect(!F.audit(org, user: F.iu).with(.tier3Access).isEmpty)
    }

    // MARK: Field status (the matrix status column)

    @Test("fieldStatus: tier-3 read without approval, approved, justified, query will fail, ok")
    func fieldStatus() {
        let ssn = Classification(securityClassification: "Restricted")
        let revenue = Classification(securityClassification: "Confidential")
        let policy = Policy(approvals: [
            Approval(user: "a@x", field: "Contact.SSN__c", justification: "KYC", approvedBy: "ciso@x"),
            Approval(user: "a@x", field: "Account.Annual_Revenue__c", justification: "Scoring"),
            Approval(user: "a@x", field: "Account.Old__c", justification: "x", expires: F.yesterday),
        ])
        func status(
            _ user: String, _ object: String, _ field: String, _ c: Classification, _ access: FieldAccessLevel
        )
            -> String
        {
            policy.fieldStatus(
                user: user, object: object, field: field, classification: c, access: access,
                isIntegration: true,
                now: F.now
            ).status.rawValue
        }
        #expect(status("b@x", "Contact", "SSN__c", ssn, .read) == "KH-TIER3-ACCESS")
        #expect(status("a@x", "Contact", "SSN__c", ssn, .edit) == "approved")
        #expect(status("a@x", "Account", "Annual_Revenue__c", revenue, .read) == "justified")
        #expect(status("b@x", "Account", "Annual_Revenue__c", revenue, .read) == "KH-TIER2-UNJUSTIFIED")
        #expect(status("a@x", "Contact", "SSN__c", ssn, .none) == "KH-FLS-QUERY-WILL-FAIL")
        #expect(status("a@x", "Account", "Old__c", Classification(), .read) == "KH-APPROVAL-EXPIRED")
        #expect(status("b@x", "Contact", "Phone", Classification(), .read) == "ok")
        #expect(status("b@x", "Contact", "SSN__c", ssn, .none) == "ok")
        let verdict = policy.fieldStatus(
            user: "a@x", object: "Contact", field: "SSN__c", classification: ssn, access: .read,
            isIntegration: true, now: F.now)
        #expect(verdict.tier == 3)
        #expect(verdict.approvedBy == "ciso@x")
        #expect(verdict.justification == "KYC")
        #expect(FieldPolicyStatus.Status(rawValue: "KH-LATENT-FLS") == .finding(.latentFLS))
    }

    @Test("fieldStatus from evaluated access marks a woken latent profile field")
    func fieldStatusFromAccess() {
        let org = F.org(
            profile: F.grants(fields: ["Contact.Phone": .read]),
            sets: [F.set("Contact_Read", ["Contact": .read])],
            assign: ["Contact_Read"])
        let access = AccessEvaluator(org: org, now: F.now).evaluate(org.users[0])
        let status = Policy().fieldStatus(access, object: "Contact", field: "Phone", org: org, now: F.now)
        #expect(status.status == .finding(.latentFLS))
        #expect(status.access == .read)
        let email = Policy().fieldStatus(access, object: "Contact", field: "Email", org: org, now: F.now)
        #expect(email.status == .ok)
        #expect(email.access == .none)
    }

    // MARK: The example project

    static let acmeRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples/acme")

    @Test("the example: the woken SSN__c entry is located at its line in the integration profile")
    func acmeLocations() throws {
        let project = Project.load(path: Self.acmeRoot.path)
        #expect(project.errors.isEmpty)
        let map = project.metadata.sourceMap
        let locator = FindingLocator(
            component: { map.location(of: $0).map { MetadataLocation(file: $0.file, line: $0.line) } },
            entry: { c, e, k in
                map.entry(in: c, SourceMap.Entry(rawValue: e.rawValue)!, k).map {
                    MetadataLocation(file: $0.file, line: $0.line)
                }
            })
        let now = ISO8601DateFormatter().date(from: "2026-11-22T00:00:00Z")!
        let report = Audit(
            evaluator: AccessEvaluator(org: project.org, now: now), policy: project.policy, locator: locator,
            now: now
        ).run()
        let ssn = try #require(report.on(.latentFLS, "Contact.SSN__c"))
        let expected = try #require(
            map.entry(
                in: SourceMap.key(.profile, "Minimum Access - API Only Integrations"), .fieldPermissions,
                "Contact.SSN__c"))
        #expect(ssn.file == expected.file)
        #expect(ssn.line == expected.line)
        #expect(ssn.file?.hasSuffix("Minimum Access - API Only Integrations.profile-meta.xml") == true)
        #expect(report.users == ["hubspot.integration@acme.example", "analytics.integration@acme.example"])
        #expect(
            report.findings.contains {
                $0.rule == .viewAllData && $0.user == "analytics.integration@acme.example"
            })
        #expect(
            report.on(.flsQueryWillFail, "Account.Annual_Revenue__c")?.user
                == "analytics.integration@acme.example")
        #expect(report.on(.tier2Unjustified, "Account.Annual_Revenue__c") == nil)
    }
}
