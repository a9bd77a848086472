import AccessModel
import Foundation
import Governance

/// Small orgs for finding rules, written as data: an integration user `iu@x` on the Salesforce Integration
/// licence and profile, Account and Contact with classified fields, and whatever sources a test adds.
enum GovFixture {
    static let iu = "iu@x"
    static let integrationLicense = "Salesforce Integration"
    static let integrationProfile = "Minimum Access - API Only Integrations"
    static let psl = "SalesforceAPIIntegrationPsl"
    /// 2027-01-15.
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let yesterday = now.addingTimeInterval(-86_400)
    static let nextYear = now.addingTimeInterval(365 * 86_400)

    static func field(
        _ name: String, _ type: FieldType = .text, required: Bool = false, nameField: Bool = false,
        security: String? = nil, compliance: Set<String> = []
    ) -> Field {
        Field(
            name: name, type: type, isRequired: required,
            classification: Classification(securityClassification: security, complianceGroups: compliance),
            isNameField: nameField, isFLSControllable: !(required || nameField || name == "Id"))
    }

    static func object(_ name: String, sharing: SharingModel = .private, _ fields: [Field]) -> SObjectType {
        SObjectType(
            name: name, sharingModel: sharing,
            fields: Dictionary(uniqueKeysWithValues: ([field("Id", .id)] + fields).map { ($0.name, $0) }))
    }

    /// Account: `Annual_Revenue__c` Confidential (tier 2), `Card__c` Classic encrypted, `Industry` open.
    static func account(sharing: SharingModel = .private) -> SObjectType {
        object(
            "Account", sharing: sharing,
            [
                field("Name", nameField: true), field("Industry", .picklist),
                field("Annual_Revenue__c", .currency, security: "Confidential"),
                field("Card__c", .encryptedText),
            ])
    }

    /// Contact: `SSN__c` Restricted with PII (tier 3), `Email` Internal, `Phone` unclassified.
    static func contact(sharing: SharingModel = .private) -> SObjectType {
        object(
            "Contact", sharing: sharing,
            [
                field("LastName", required: true), field("Email", .email, security: "Internal"),
                field("Phone", .phone), field("SSN__c", security: "Restricted", compliance: ["PII"]),
            ])
    }

    static func grants(
        _ objects: [String: ObjectAccess] = [:], fields: [String: FieldAccess] = [:],
        permissions: [String] = []
    ) -> PermissionGrants {
        PermissionGrants(
            objects: objects, fields: fields,
            userPermissions: Dictionary(uniqueKeysWithValues: permissions.map { ($0, true) }))
    }

    static func set(
        _ name: String, license: String? = nil, _ objects: [String: ObjectAccess] = [:],
        fields: [String: FieldAccess] = [:], permissions: [String] = []
    ) -> PermissionSet {
        PermissionSet(
            name: name, license: license, grants: grants(objects, fields: fields, permissions: permissions))
    }

    static func user(
        _ username: String = iu, license: String = integrationLicense, profile: String = integrationProfile,
        sets: [String] = [], groups: [String] = [], active: Bool = true
    ) -> User {
        User(
            username: username, license: license, profile: profile, isActive: active,
            permissionSets: sets.map { Assignment(name: $0) },
            permissionSetGroups: groups.map { Assignment(name: $0) },
            permissionSetLicenses: license == integrationLicense ? [psl] : [])
    }

    /// The org: the integration profile with `profile` grants, a `Standard` profile, the given sources and
    /// users (default: one integration user holding `sets`).
    static func org(
        profile: PermissionGrants = PermissionGrants(), sets: [PermissionSet] = [],
        groups: [PermissionSetGroup] = [], mutes: [MutingPermissionSet] = [], users: [User]? = nil,
        assign: [String] = [], objects: [SObjectType]? = nil
    ) -> Org {
        let objects = objects ?? [account(), contact()]
        return Org(
            objects: Dictionary(uniqueKeysWithValues: objects.map { ($0.name, $0) }),
            profiles: [
                integrationProfile: Profile(
                    name: integrationProfile, userLicense: integrationLicense, grants: profile),
                "Standard": Profile(name: "Standard", userLicense: "Salesforce"),
            ],
            permissionSets: Dictionary(uniqueKeysWithValues: sets.map { ($0.name, $0) }),
            permissionSetGroups: Dictionary(uniqueKeysWithValues: groups.map { ($0.name, $0) }),
            mutingPermissionSets: Dictionary(uniqueKeysWithValues: mutes.map { ($0.name, $0) }),
            userLicenses: [
                integrationLicense: UserLicense(
                    name: integrationLicense, objects: ObjectScope(customObjects: true),
                    userPermissions: PermissionScope(permissions: ["ApiEnabled", "ApiUserOnly"]),
                    isIntegration: true, lockedUserPermissions: ["ApiEnabled", "ApiUserOnly"]),
                "Salesforce": UserLicense(name: "Salesforce"),
            ],
            permissionSetLicenses: [
                psl: PermissionSetLicense(
                    name: psl, userLicenses: [integrationLicense], objects: ObjectScope(all: true),
                    userPermissions: .everything)
            ],
            users: users ?? [user(sets: assign)])
    }

    /// A locator that names files after components (`profile:P` → `P.xml`) and gives entry lines from a
    /// table, so tests can check where a change goes.
    static let locator = FindingLocator(
        component: { MetadataLocation(file: "\($0).xml", line: 2) },
        entry: { component, entry, key in
            MetadataLocation(file: "\(component).xml", line: entryLine(entry, key))
        },
        user: { _ in MetadataLocation(file: "keyhole.yaml", line: 3) })

    /// A stable fake line per entry.
    static func entryLine(_ entry: FindingLocator.Entry, _ key: String) -> Int {
        10 + key.unicodeScalars.reduce(0) { ($0 + Int($1.value)) % 500 }
    }

    static func audit(_ org: Org, policy: Policy = Policy(), user: String? = nil) -> AuditReport {
        Audit(evaluator: AccessEvaluator(org: org, now: now), policy: policy, locator: locator, now: now)
            .run(user: user)
    }
}

extension AuditReport {
    func with(_ rule: FindingRuleID) -> [Finding] { findings.filter { $0.rule == rule } }
    func on(_ rule: FindingRuleID, _ key: String) -> Finding? {
        findings.first { $0.rule == rule && "\($0.object ?? "").\($0.field ?? "")" == key }
    }
}
