import AccessModel
import Foundation
import Governance
import SalesforceMetadata
import Testing

/// A small org for the matrix: `Invoice__c` (readable through a permission set, with a latent profile
/// entry on `SSN__c`), `Payroll__c` (readable by nobody, one classified field), and two users sharing
/// the integration user's sources.
enum MatrixOrg {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let integration = "int@example.com"
    static let twin = "twin@example.com"
    static let clerk = "clerk@example.com"
    static let profile = "Integration Profile"
    static let readSet = "Invoice_Read"

    static func field(_ name: String, level: String? = nil, groups: Set<String> = [], nameField: Bool = false)
        -> Field
    {
        Field(
            name: name, type: name == "Id" ? .id : .text,
            classification: Classification(securityClassification: level, complianceGroups: groups),
            isNameField: nameField, isFLSControllable: !(nameField || name == "Id"))
    }

    static func object(_ name: String, _ fields: [Field]) -> SObjectType {
        SObjectType(name: name, fields: Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0) }))
    }

    static var org: Org {
        let invoice = object(
            "Invoice__c",
            [
                field("Id"), field("Name", nameField: true), field("Amount__c", level: "Confidential"),
                field("SSN__c", level: "Restricted", groups: ["PII"]), field("Notes__c"),
                field("Status__c", level: "Public"), field("Tax_Id__c", level: "Restricted"),
            ])
        let payroll = object(
            "Payroll__c", [field("Id"), field("Salary__c", level: "Restricted"), field("Memo__c")])
        let profile = Profile(
            name: Self.profile, userLicense: "Salesforce",
            grants: PermissionGrants(fields: ["Invoice__c.SSN__c": .read, "Invoice__c.Status__c": .edit]))
        let readSet = PermissionSet(
            name: Self.readSet,
            grants: PermissionGrants(
                objects: ["Invoice__c": [.read, .edit]],
                fields: [
                    "Invoice__c.Amount__c": .read, "Invoice__c.Status__c": .edit,
                    "Invoice__c.Tax_Id__c": .read,
                ]))
        return Org(
            objects: ["Invoice__c": invoice, "Payroll__c": payroll],
            profiles: [Self.profile: profile], permissionSets: [Self.readSet: readSet],
            userLicenses: ["Salesforce": UserLicense(name: "Salesforce")],
            users: [
                User(
                    username: integration, name: "Integration", license: "Salesforce", profile: Self.profile,
                    permissionSets: [Assignment(name: Self.readSet)]),
                User(username: clerk, license: "Salesforce", profile: Self.profile),
                User(
                    username: twin, license: "Salesforce", profile: Self.profile,
                    permissionSets: [Assignment(name: Self.readSet)]),
            ])
    }

    static let policy = Policy(integrationUsers: [integration])

    static func build(
        _ org: Org = org, policy: Policy = policy, filter: DataAccessMatrix.Filter = .all
    ) -> DataAccessMatrix {
        DataAccessMatrix.build(org: org, policy: policy, filter: filter, now: now)
    }
}

extension DataAccessMatrix {
    func row(_ user: String, _ object: String, _ field: String) -> Row? {
        rows.first { $0.user == user && $0.object == object && $0.field == field }
    }
}

@Suite("Data access matrix")
struct DataAccessMatrixTests {
    @Test("one row per field of each readable object, plus classified fields of unreadable objects")
    func rowsCoverReadableObjectsAndClassifiedFields() {
        let matrix = MatrixOrg.build(filter: .user(MatrixOrg.integration))
        let paths = matrix.rows.map(\.path)
        #expect(
            paths == [
                "Invoice__c.Amount__c", "Invoice__c.Id", "Invoice__c.Name", "Invoice__c.Notes__c",
                "Invoice__c.SSN__c", "Invoice__c.Status__c", "Invoice__c.Tax_Id__c", "Payroll__c.Salary__c",
            ])
        #expect(matrix.row(MatrixOrg.integration, "Invoice__c", "Notes__c")?.access == FieldAccessLevel.none)
        #expect(matrix.row(MatrixOrg.integration, "Payroll__c", "Salary__c")?.access == FieldAccessLevel.none)
        #expect(matrix.row(MatrixOrg.integration, "Payroll__c", "Memo__c") == nil)
    }

    @Test("a user who reads nothing still gets the classified fields, with access none")
    func unreadableUserGetsClassifiedRows() {
        let matrix = MatrixOrg.build(filter: .user(MatrixOrg.clerk))
        #expect(
            matrix.rows.map(\.path) == [
                "Invoice__c.Amount__c", "Invoice__c.SSN__c", "Invoice__c.Status__c", "Invoice__c.Tax_Id__c",
                "Payroll__c.Salary__c",
            ])
        #expect(matrix.rows.allSatisfy { $0.access == .none && $0.grantedBy.isEmpty && $0.status == .ok })
    }

    @Test("FLS-5 granted_by names the latent profile entry and the permission set that woke it")
    func latentGrantedBy() throws {
        let row = try #require(MatrixOrg.build().row(MatrixOrg.integration, "Invoice__c", "SSN__c"))
        #expect(row.access == .read)
        #expect(row.latent)
        #expect(row.grantedBy == ["profile:\(MatrixOrg.profile)", "permissionSet:\(MatrixOrg.readSet)"])
        #expect(row.classification == "Restricted")
        #expect(row.compliance == ["PII"])
        #expect(row.tier == 3)
        #expect(row.status == .finding(.tier3Access))
    }

    @Test("granted_by: every source granting Read or Edit; FLS-6 fields name the object Read source")
    func grantedBySources() throws {
        let matrix = MatrixOrg.build()
        let status = try #require(matrix.row(MatrixOrg.integration, "Invoice__c", "Status__c"))
        #expect(status.access == .edit)
        #expect(status.grantedBy == ["profile:\(MatrixOrg.profile)", "permissionSet:\(MatrixOrg.readSet)"])
        let id = try #require(matrix.row(MatrixOrg.integration, "Invoice__c", "Id"))
        #expect(id.access == .read)
        #expect(id.grantedBy == ["permissionSet:\(MatrixOrg.readSet)"])
        let amount = try #require(matrix.row(MatrixOrg.integration, "Invoice__c", "Amount__c"))
        #expect(amount.grantedBy == ["permissionSet:\(MatrixOrg.readSet)"])
        #expect(!amount.latent)
    }

    @Test("status: tier 2 unjustified, justified, approved; tier 3 unapproved and approved")
    func status() throws {
        var matrix = MatrixOrg.build()
        #expect(
            matrix.row(MatrixOrg.integration, "Invoice__c", "Amount__c")?.status
                == .finding(.tier2Unjustified))
        #expect(matrix.row(MatrixOrg.integration, "Invoice__c", "Notes__c")?.status == .ok)

        var policy = MatrixOrg.policy
        policy.approvals = [
            Approval(
                user: MatrixOrg.integration, field: "Invoice__c.Amount__c", justification: "Billing sync."),
            Approval(
                user: MatrixOrg.integration, field: "Invoice__c.Tax_Id__c", justification: "Tax reporting.",
                approvedBy: "security@example.com"),
            Approval(
                user: MatrixOrg.integration, field: "Invoice__c.SSN__c", justification: "Identity check.",
                approvedBy: "security@example.com"),
        ]
        matrix = MatrixOrg.build(policy: policy)
        let amount = try #require(matrix.row(MatrixOrg.integration, "Invoice__c", "Amount__c"))
        #expect(amount.status == .justified)
        #expect(amount.justification == "Billing sync.")
        let ssn = try #require(matrix.row(MatrixOrg.integration, "Invoice__c", "SSN__c"))
        #expect(ssn.approvedBy == "security@example.com")
        #expect(ssn.justification == "Identity check.")
        // Approved for tier 3, but read through a latent profile entry: still a finding.
        #expect(ssn.status == .finding(.latentFLS))
        let tax = try #require(matrix.row(MatrixOrg.integration, "Invoice__c", "Tax_Id__c"))
        #expect(tax.status == .approved)
        #expect(tax.approvedBy == "security@example.com")
    }

    @Test("non-integration users are shown but not judged: their status is ok")
    func nonIntegrationUsersAreOK() {
        let matrix = MatrixOrg.build()
        let twin = matrix.rows.filter { $0.user == MatrixOrg.twin }
        #expect(!twin.isEmpty)
        #expect(twin.allSatisfy { $0.status == .ok })
        #expect(twin.contains { $0.tier == 3 && $0.access == .read })
    }

    @Test("users with the same sources get the same access and granted_by")
    func sharedSources() {
        let matrix = MatrixOrg.build()
        let a = matrix.rows.filter { $0.user == MatrixOrg.integration }.map {
            [$0.path, $0.access.rawValue] + $0.grantedBy
        }
        let b = matrix.rows.filter { $0.user == MatrixOrg.twin }.map {
            [$0.path, $0.access.rawValue] + $0.grantedBy
        }
        #expect(a == b)
    }

    @Test("filters: one user (case-insensitive), integration users, unknown user")
    func filters() {
        #expect(
            Set(MatrixOrg.build().rows.map(\.user)) == [
                MatrixOrg.integration, MatrixOrg.twin, MatrixOrg.clerk,
            ])
        #expect(Set(MatrixOrg.build(filter: .integrations).rows.map(\.user)) == [MatrixOrg.integration])
        #expect(Set(MatrixOrg.build(filter: .user("TWIN@example.com")).rows.map(\.user)) == [MatrixOrg.twin])
        let unknown = MatrixOrg.build(filter: .user("nobody@example.com"))
        #expect(unknown.rows.isEmpty && unknown.summaries.isEmpty)
    }

    @Test("rows are in (user, object, field) order and the same on every build")
    func deterministicOrder() {
        let matrix = MatrixOrg.build()
        let keys = matrix.rows.map { [$0.user, $0.object, $0.field] }
        #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(MatrixOrg.build().rows == matrix.rows)
        #expect(matrix.summaries.map(\.user) == [MatrixOrg.clerk, MatrixOrg.integration, MatrixOrg.twin])
    }

    @Test("summary: readable fields per tier, editable fields, findings")
    func summary() throws {
        let matrix = MatrixOrg.build()
        let summary = try #require(matrix.summaries.first { $0.user == MatrixOrg.integration })
        #expect(summary.isIntegration)
        #expect(summary.readable == 6)
        #expect(summary.readableByTier == [1: 3, 2: 1, 3: 2])
        #expect(summary.editable == 1)
        let findings = matrix.rows.filter { $0.user == MatrixOrg.integration && $0.status.isFinding }.count
        #expect(summary.findings == findings)
        #expect(summary.findingsByRule["KH-TIER3-ACCESS"] == 2)
        #expect(summary.findingsByRule["KH-TIER2-UNJUSTIFIED"] == 1)
    }

    @Test("CLS-6 changing classification changes tier and status, never access or granted_by")
    func classificationNeverChangesAccess() {
        var org = MatrixOrg.org
        // Declassify the sensitive fields and classify the open ones.
        org.objects["Invoice__c"]!.fields["SSN__c"]!.classification = Classification()
        org.objects["Invoice__c"]!.fields["Amount__c"]!.classification = Classification(
            securityClassification: "Public")
        org.objects["Invoice__c"]!.fields["Notes__c"]!.classification = Classification(
            securityClassification: "MissionCritical", complianceGroups: ["HIPAA"])
        org.objects["Payroll__c"]!.fields["Memo__c"]!.classification = Classification(
            securityClassification: "Restricted")
        let before = MatrixOrg.build()
        let after = MatrixOrg.build(org)
        let old = Dictionary(uniqueKeysWithValues: before.rows.map { ("\($0.user) \($0.path)", $0) })
        let new = Dictionary(uniqueKeysWithValues: after.rows.map { ("\($0.user) \($0.path)", $0) })
        for (key, row) in new {
            if let was = old[key] {
                #expect(row.access == was.access, "\(key)")
                #expect(row.grantedBy == was.grantedBy, "\(key)")
                #expect(row.latent == was.latent && row.masked == was.masked, "\(key)")
            } else {
                // Only a newly classified field of an unreadable object can appear, and it is not readable.
                #expect(row.access == .none, "\(key)")
            }
        }
        for (key, row) in old where new[key] == nil { #expect(row.access == .none, "\(key)") }
        // …while tier and status follow the classification.
        #expect(after.row(MatrixOrg.integration, "Invoice__c", "SSN__c")?.tier == 1)
        #expect(after.row(MatrixOrg.integration, "Invoice__c", "Notes__c")?.tier == 3)
        #expect(
            after.row(MatrixOrg.integration, "Invoice__c", "Amount__c")?.status != .finding(.tier2Unjustified)
        )
        #expect(after.row(MatrixOrg.integration, "Payroll__c", "Memo__c")?.access == FieldAccessLevel.none)
    }

    @Test("the example: the HubSpot user reads Contact.SSN__c through a latent profile entry (FLS-5)")
    func example() throws {
        let project = Project.load(path: examplePath)
        #expect(project.errors.isEmpty)
        let matrix = DataAccessMatrix.build(
            org: project.org, policy: project.policy, filter: .integrations, now: MatrixOrg.now)
        let hubspot = "hubspot.integration@acme.example"
        #expect(matrix.summaries.contains { $0.user == hubspot })
        let ssn = try #require(matrix.row(hubspot, "Contact", "SSN__c"))
        #expect(ssn.access == .read)
        #expect(ssn.tier == 3)
        #expect(
            ssn.grantedBy == [
                "profile:Minimum Access - API Only Integrations", "permissionSet:HubSpot_Integration_Access",
            ])
        #expect(ssn.status == .finding(.tier3Access))
        // Every row of a readable object; classified fields the user cannot read are listed too.
        let accounts = matrix.rows.filter { $0.user == hubspot && $0.object == "Account" }
        #expect(accounts.count == project.org.objects["Account"]?.fields.count)
        #expect(
            matrix.rows.filter { $0.user == hubspot }.allSatisfy {
                $0.access != .edit || !$0.grantedBy.isEmpty
            })
    }

    var examplePath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/acme").path
    }
}
