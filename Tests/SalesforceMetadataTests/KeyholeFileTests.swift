import AccessModel
import Foundation
import Governance
import Testing

@testable import SalesforceMetadata

@Suite("keyhole.yaml")
struct KeyholeFileTests {
    @Test("the documented shape parses: users, groups, policy, data")
    func documentedShape() {
        let text = """
            users:
              - username: hubspot.integration@acme.example
                name: HubSpot Integration
                license: Salesforce Integration
                profile: Minimum Access - API Only Integrations   # a comment
                role: Integration
                permissionSetLicenses: [SalesforceAPIIntegrationPsl]
                permissionSets: [HubSpot_Integration_Access, {name: Temp_Access, expires: 2026-01-31}]
                permissionSetGroups: []
                groups: [HubSpot_Sync]
                active: true
            groups:
              - name: HubSpot_Sync
                members: [group:Other_Group, role:Integration, roleAndSubordinates:Sales_VP, roleAndInternalSubordinates:Sales_VP]
            policy: {}
            data: data/
            """
        let (file, diagnostics) = KeyholeFile.parse(text, file: "keyhole.yaml")
        #expect(diagnostics.isEmpty)
        #expect(file.users.count == 1)
        let user = file.users[0].user
        #expect(user.username == "hubspot.integration@acme.example")
        #expect(user.license == "Salesforce Integration")
        #expect(user.profile == "Minimum Access - API Only Integrations")
        #expect(user.role == "Integration")
        #expect(user.permissionSetLicenses == ["SalesforceAPIIntegrationPsl"])
        #expect(user.permissionSets.map(\.name) == ["HubSpot_Integration_Access", "Temp_Access"])
        #expect(user.permissionSets[0].expirationDate == nil)
        #expect(user.permissionSets[1].expirationDate == KeyholeDate.parse("2026-01-31"))
        #expect(user.groups == ["HubSpot_Sync"])
        #expect(user.isActive)
        #expect(file.users[0].line == 2)
        #expect(
            file.groups.first?.members == [
                .group("Other_Group"), .role("Integration"), .roleAndSubordinates("Sales_VP"),
                .roleAndInternalSubordinates("Sales_VP"),
            ])
        #expect(file.dataFolder == "data/")
        #expect(file.hasPolicy)
    }

    @Test("a misspelled key is an error with its line and a did-you-mean hint")
    func misspelledKey() {
        let text = """
            users:
              - username: a@x.example
                license: Salesforce
                profile: Standard
                permisionSets: [A]
            """
        let (_, diagnostics) = KeyholeFile.parse(text, file: "keyhole.yaml")
        #expect(diagnostics.count == 1)
        let problem = diagnostics[0]
        #expect(problem.code == "KH-YAML-UNKNOWN-KEY")
        #expect(problem.file == "keyhole.yaml")
        #expect(problem.line == 5)
        #expect(
            problem.message
                == "unknown key 'permisionSets' in users[0] (a@x.example). Did you mean 'permissionSets'?")
    }

    @Test("missing required keys are each reported; all problems are collected")
    func missingKeys() {
        let text = """
            users:
              - username: a@x.example
              - name: Nobody
                license: Salesforce
                profile: Standard
            polcy: {}
            """
        let (file, diagnostics) = KeyholeFile.parse(text, file: "keyhole.yaml")
        #expect(file.users.isEmpty)
        let messages = diagnostics.map(\.message)
        #expect(messages.contains("unknown key 'polcy' in keyhole.yaml. Did you mean 'policy'?"))
        #expect(messages.contains { $0.contains("users[0] (a@x.example) has no 'license'") })
        #expect(messages.contains { $0.contains("users[0] (a@x.example) has no 'profile'") })
        #expect(messages.contains { $0.contains("users[1] has no 'username'") })
    }

    @Test("malformed YAML is an error naming the file and line")
    func malformedYAML() {
        let text = "users:\n  - username: a\n    license: [unclosed\n"
        let (_, diagnostics) = KeyholeFile.parse(text, file: "keyhole.yaml")
        #expect(diagnostics.count == 1)
        #expect(diagnostics[0].code == "KH-YAML-MALFORMED")
        #expect(diagnostics[0].file == "keyhole.yaml")
        #expect(diagnostics[0].message.hasPrefix("keyhole.yaml is not valid YAML"))
    }

    @Test("an unknown policy key is an error with its key path, line and hint")
    func policyKeys() {
        let (_, diagnostics) = KeyholeFile.parse("policy:\n  tierz: {}\n", file: "keyhole.yaml")
        #expect(diagnostics.map(\.code) == ["KH-YAML-UNKNOWN-KEY"])
        #expect(diagnostics.first?.line == 2)
        #expect(diagnostics.first?.message == "unknown key 'tierz' in policy. Did you mean 'tiers'?")
    }

    @Test("the documented policy parses; tiers keep their defaults where not overridden")
    func policy() {
        let text = """
            policy:
              integrationUsers: [hubspot.integration@acme.example]
              tiers:
                Confidential: 2
                Restricted: 3
              complianceTier:
                PII: 3
              approvals:
                - user: hubspot.integration@acme.example
                  field: Account.Annual_Revenue__c
                  access: read
                  justification: Required for revenue trend analysis and customer segmentation
                  approvedBy: security@acme.example
                  approvedOn: 2026-11-01
                  expires: 2027-11-01
              ignore: [KH-PROFILE-PERMISSIONS]
            """
        let (file, diagnostics) = KeyholeFile.parse(text, file: "keyhole.yaml")
        #expect(diagnostics.isEmpty)
        let policy = file.policy
        #expect(policy.integrationUsers == ["hubspot.integration@acme.example"])
        #expect(policy.tiers["Internal"] == 1)
        #expect(policy.tiers["Restricted"] == 3)
        #expect(policy.complianceTiers == ["PII": 3])
        #expect(policy.ignore == ["KH-PROFILE-PERMISSIONS"])
        let approval = policy.approvals.first
        #expect(approval?.field == "Account.Annual_Revenue__c")
        #expect(approval?.approvedBy == "security@acme.example")
        #expect(approval?.expires == KeyholeDate.parse("2027-11-01"))
        #expect(approval?.line == 9)
        #expect(
            policy.tier(of: Classification(securityClassification: "Internal", complianceGroups: ["PII"]))
                == 3)
    }

    @Test("malformed policy values name the key path: a tier of 4, an unknown rule, a bad date")
    func badPolicy() {
        let text = """
            policy:
              tiers: {Confidential: 4}
              ignore: [KH-PROFILE-PERMISION]
              approvals:
                - user: a@x.example
                  field: Annual_Revenue__c
                  access: write
                  expires: next year
            """
        let (_, diagnostics) = KeyholeFile.parse(text, file: "keyhole.yaml")
        let messages = diagnostics.map(\.message)
        #expect(messages.contains { $0.hasPrefix("policy.tiers.Confidential must be 1, 2 or 3") })
        #expect(
            messages.contains {
                $0.contains(
                    "'KH-PROFILE-PERMISION', which is not a rule ID. Did you mean 'KH-PROFILE-PERMISSIONS'?")
            })
        #expect(
            messages.contains {
                $0.hasPrefix("policy.approvals[0].field 'Annual_Revenue__c' must be Object.Field")
            })
        #expect(messages.contains("policy.approvals[0].access must be read or edit, not 'write'"))
        #expect(messages.contains { $0.hasPrefix("policy.approvals[0].expires 'next year' is not a date") })
        #expect(diagnostics.count == 5)
    }

    @Test("group members must be kind:name")
    func badMember() {
        let (_, diagnostics) = KeyholeFile.parse(
            "groups:\n  - name: G\n    members: [team:X]\n", file: "keyhole.yaml")
        #expect(diagnostics.map(\.code) == ["KH-YAML-BAD-VALUE"])
        #expect(diagnostics.first?.message.contains("member 'team:X' is not of the form kind:name") == true)
    }

    @Test("users may be a folder of org exports")
    func usersFolder() {
        let (file, diagnostics) = KeyholeFile.parse("users: users/\n", file: "keyhole.yaml")
        #expect(diagnostics.isEmpty)
        #expect(file.usersFolder == "users/")
    }
}

@Suite("org export (sf data query --json)")
struct OrgExportTests {
    func write(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kh-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test("the four exports become users with assignments, licences and group membership")
    func fourQueries() throws {
        let folder = try write([
            "users.json": """
            {"status":0,"result":{"done":true,"totalSize":2,"records":[
              {"attributes":{"type":"User"},"Id":"005000000000001AAA","Username":"int@acme.example","Name":"Int","IsActive":true,
               "Profile":{"attributes":{"type":"Profile"},"Name":"Minimum Access - API Only Integrations","UserLicense":{"Name":"Salesforce Integration"}},
               "UserRole":null},
              {"attributes":{"type":"User"},"Id":"005000000000002AAA","Username":"rep@acme.example","Name":"Rep","IsActive":false,
               "Profile":{"Name":"Standard","UserLicense":{"Name":"Salesforce"}},"UserRole":{"DeveloperName":"Sales_Rep"}}]}}
            """,
            "psa.json": """
            {"status":0,"result":{"records":[
              {"attributes":{"type":"PermissionSetAssignment"},"AssigneeId":"005000000000001","PermissionSet":{"Name":"HubSpot_Access","IsOwnedByProfile":false},"PermissionSetGroup":null,"ExpirationDate":null},
              {"attributes":{"type":"PermissionSetAssignment"},"AssigneeId":"005000000000001AAA","PermissionSet":{"Name":"X00eProfile","IsOwnedByProfile":true},"PermissionSetGroup":null},
              {"attributes":{"type":"PermissionSetAssignment"},"AssigneeId":"005000000000002AAA","PermissionSet":{"Name":"SalesOps","IsOwnedByProfile":false},"PermissionSetGroup":{"DeveloperName":"Sales_Operations"},"ExpirationDate":"2027-01-01T00:00:00.000+0000"}]}}
            """,
            "psl.json": """
            {"status":0,"result":{"records":[{"attributes":{"type":"PermissionSetLicenseAssign"},"AssigneeId":"005000000000001AAA","PermissionSetLicense":{"DeveloperName":"SalesforceAPIIntegrationPsl"}}]}}
            """,
            "members.json": """
            {"status":0,"result":{"records":[
              {"attributes":{"type":"GroupMember"},"GroupId":"00G000000000001AAA","Group":{"DeveloperName":"HubSpot_Sync","Type":"Regular"},"UserOrGroupId":"005000000000001AAA"},
              {"attributes":{"type":"GroupMember"},"GroupId":"00G000000000001AAA","Group":{"DeveloperName":"HubSpot_Sync","Type":"Regular"},"UserOrGroupId":"00G000000000002AAA"},
              {"attributes":{"type":"GroupMember"},"GroupId":"00G000000000002AAA","Group":{"DeveloperName":"Sales_Rep","Type":"RoleAndSubordinates"},"UserOrGroupId":"005000000000002AAA"}]}}
            """,
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let (result, diagnostics) = OrgExport.read(folder: folder, displayPath: "users")
        #expect(diagnostics.isEmpty)
        #expect(result.users.map(\.username) == ["int@acme.example", "rep@acme.example"])
        let integration = result.users[0]
        #expect(integration.license == "Salesforce Integration")
        #expect(integration.profile == "Minimum Access - API Only Integrations")
        #expect(integration.role == nil)
        #expect(integration.permissionSets.map(\.name) == ["HubSpot_Access"])
        #expect(integration.permissionSetLicenses == ["SalesforceAPIIntegrationPsl"])
        #expect(integration.groups == ["HubSpot_Sync"])
        let rep = result.users[1]
        #expect(!rep.isActive)
        #expect(rep.role == "Sales_Rep")
        #expect(rep.permissionSetGroups.map(\.name) == ["Sales_Operations"])
        #expect(rep.permissionSetGroups[0].expirationDate != nil)
        #expect(result.groupMembers["HubSpot_Sync"] == [.roleAndSubordinates("Sales_Rep")])
    }

    @Test("a row naming an unknown user Id is an error naming the file")
    func unknownAssignee() throws {
        let folder = try write([
            "psa.json": """
            {"status":0,"result":{"records":[{"attributes":{"type":"PermissionSetAssignment"},"AssigneeId":"005000000000009AAA","PermissionSet":{"Name":"A","IsOwnedByProfile":false}}]}}
            """,
            "broken.json": "{not json",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, diagnostics) = OrgExport.read(folder: folder, displayPath: "users")
        #expect(diagnostics.map(\.code).sorted() == ["KH-EXPORT-MALFORMED", "KH-EXPORT-UNKNOWN-USER"])
        #expect(diagnostics.contains { $0.file == "users/broken.json" })
        #expect(
            diagnostics.contains { $0.file == "users/psa.json" && $0.message.contains("005000000000009AAA") })
    }
}

@Suite("keyhole.yaml writing")
struct KeyholeFileWritingTests {
    @Test("render then parse gives the same users and group members")
    func roundTrip() {
        var org = Org()
        org.groups["G"] = PublicGroup(
            name: "G", members: [.roleAndSubordinates("Sales: VP"), .user("a@x.example")])
        org.users = [
            User(
                username: "a@x.example", name: "O'Brien, Ann", license: "Salesforce",
                profile: "Minimum Access - API Only Integrations",
                role: "R",
                permissionSets: [
                    Assignment(name: "PS"),
                    Assignment(name: "Temp", expirationDate: KeyholeDate.parse("2027-01-31")),
                ],
                permissionSetGroups: [Assignment(name: "PSG")],
                permissionSetLicenses: ["SalesforceAPIIntegrationPsl"],
                groups: ["G"]),
            User(username: "b@x.example", license: "Salesforce", profile: "true", isActive: false),
        ]
        let text = KeyholeFile.render(org: org, dataFolder: "data/")
        let (file, diagnostics) = KeyholeFile.parse(text, file: "keyhole.yaml")
        #expect(diagnostics.isEmpty)
        #expect(file.users.map(\.user) == org.users)
        #expect(file.groups.map(\.name) == ["G"])
        #expect(file.groups.first?.members == [.roleAndSubordinates("Sales: VP")])
        #expect(file.dataFolder == "data/")
    }
}
