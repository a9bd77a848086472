import Foundation

@testable import AccessModel

/// Small org builders for evaluator tests: the `§10` cast (integration user `IU`, the integration
/// licence and PSL, Account / Contact / Lead / Custom__c) and helpers to add sources.
enum Fixture {
    static let integrationLicenseName = "Salesforce Integration"
    static let integrationProfile = "Minimum Access - API Only Integrations"
    static let apiPSL = "SalesforceAPIIntegrationPsl"
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// LIC-4: custom objects only without the PSL; API access locked on (LIC-3).
    static let integrationLicense = UserLicense(
        name: integrationLicenseName, objects: ObjectScope(customObjects: true),
        userPermissions: PermissionScope(permissions: ["ApiEnabled", "ApiUserOnly"]),
        isIntegration: true, lockedUserPermissions: ["ApiEnabled", "ApiUserOnly"])
    static let salesforceLicense = UserLicense(name: "Salesforce")
    /// LIC-5: raises the ceiling to (nearly) everything an admin could have.
    static let apiIntegrationPSL = PermissionSetLicense(
        name: apiPSL, label: "Salesforce API Integration", userLicenses: [integrationLicenseName],
        objects: ObjectScope(all: true), userPermissions: .everything)

    static func field(
        _ name: String, _ type: FieldType = .text, required: Bool = false, nameField: Bool = false,
        audit: Bool = false, formula: String? = nil, encryption: EncryptionScheme? = nil,
        classification: Classification = Classification()
    ) -> Field {
        Field(
            name: name, type: type, isRequired: required, formula: formula, encryptionScheme: encryption,
            classification: classification, isNameField: nameField, isAudit: audit,
            isFLSControllable: !(required || nameField || audit || name == "Id"))
    }

    static func object(_ name: String, plural: String, _ fields: [Field], requiredPSL: String? = nil)
        -> SObjectType
    {
        SObjectType(
            name: name, label: String(plural.dropLast()), pluralLabel: plural,
            fields: Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0) }),
            requiredPermissionSetLicense: requiredPSL)
    }

    static let standardFields: [Field] = [
        field("Id", .id), field("OwnerId", .lookup), field("CreatedDate", .dateTime, audit: true),
        field("CreatedById", .lookup, audit: true), field("LastModifiedDate", .dateTime, audit: true),
    ]

    static let account = object(
        "Account", plural: "Accounts",
        standardFields + [
            field("Name", .text, nameField: true), field("Annual_Revenue__c", .currency),
            field("Rating", .picklist),
            field(
                "Tax_Id__c", .text,
                classification: Classification(
                    securityClassification: "Restricted", complianceGroups: ["PII", "GDPR"])),
        ])
    static let contact = object(
        "Contact", plural: "Contacts",
        standardFields + [
            field("LastName", .text, required: true), field("Name", .name, nameField: true),
            field("Email", .email), field("Phone", .phone), field("Secret__c", .text),
            field("SSN__c", .text, encryption: .probabilistic), field("Card__c", .encryptedText),
        ])
    static let lead = object(
        "Lead", plural: "Leads",
        standardFields + [
            field("LastName", .text, required: true), field("Company", .text, required: true),
            field("Email", .email), field("Status", .picklist),
        ])
    static let custom = object(
        "Custom__c", plural: "Customs",
        standardFields + [
            field("Name", .text, nameField: true), field("Amount__c", .number),
            field("Score__c", .number, formula: "Amount__c * 2"),
        ])
    static let licensed = object(
        "Licensed__c", plural: "Licenseds", standardFields + [field("Name", .text, nameField: true)],
        requiredPSL: "X")

    static func grants(
        objects: [String: ObjectAccess] = [:], fields: [String: FieldAccess] = [:], permissions: [String] = []
    ) -> PermissionGrants {
        PermissionGrants(
            objects: objects, fields: fields,
            userPermissions: Dictionary(uniqueKeysWithValues: permissions.map { ($0, true) }))
    }

    static func permissionSet(
        _ name: String, license: String? = nil, objects: [String: ObjectAccess] = [:],
        fields: [String: FieldAccess] = [:], permissions: [String] = []
    ) -> PermissionSet {
        PermissionSet(
            name: name, license: license,
            grants: grants(objects: objects, fields: fields, permissions: permissions))
    }

    /// Every field of `object` at `access`, as `Object.Field` keys.
    static func allFields(of object: SObjectType, _ access: FieldAccess = .read, except: Set<String> = [])
        -> [String: FieldAccess]
    {
        var result: [String: FieldAccess] = [:]
        for name in object.fields.keys where !except.contains(name) {
            result["\(object.name).\(name)"] = access
        }
        return result
    }

    static func org(
        profileGrants: PermissionGrants = PermissionGrants(), permissionSets: [PermissionSet] = [],
        groups: [PermissionSetGroup] = [], mutes: [MutingPermissionSet] = [],
        extraObjects: [SObjectType] = [], extraPSLs: [PermissionSetLicense] = [],
        extraProfiles: [Profile] = []
    ) -> Org {
        let objects = [account, contact, lead, custom] + extraObjects
        var profiles = [
            integrationProfile: Profile(
                name: integrationProfile, userLicense: integrationLicenseName, grants: profileGrants)
        ]
        for profile in extraProfiles { profiles[profile.name] = profile }
        return Org(
            objects: Dictionary(uniqueKeysWithValues: objects.map { ($0.name, $0) }),
            profiles: profiles,
            permissionSets: Dictionary(uniqueKeysWithValues: permissionSets.map { ($0.name, $0) }),
            permissionSetGroups: Dictionary(uniqueKeysWithValues: groups.map { ($0.name, $0) }),
            mutingPermissionSets: Dictionary(uniqueKeysWithValues: mutes.map { ($0.name, $0) }),
            userLicenses: [
                integrationLicenseName: integrationLicense, "Salesforce": salesforceLicense,
            ],
            permissionSetLicenses: Dictionary(
                uniqueKeysWithValues: ([apiIntegrationPSL] + extraPSLs).map { ($0.name, $0) }))
    }

    /// The integration user `IU`.
    static func iu(
        permissionSets: [String] = [], groups: [String] = [], psls: [String] = [apiPSL],
        license: String = integrationLicenseName, profile: String = integrationProfile
    ) -> User {
        User(
            username: "iu@example.com", name: "IU", license: license, profile: profile,
            permissionSets: permissionSets.map { Assignment(name: $0) },
            permissionSetGroups: groups.map { Assignment(name: $0) }, permissionSetLicenses: psls)
    }

    static func evaluator(_ org: Org) -> AccessEvaluator { AccessEvaluator(org: org, now: now) }
}

extension Array where Element == Reason {
    func has(_ kind: Reason.Kind, source: String? = nil, permission: String? = nil) -> Bool {
        contains { r in
            r.kind == kind && (source == nil || r.source == source)
                && (permission == nil || r.permission == permission)
        }
    }
}
