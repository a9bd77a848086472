import AccessModel
import Testing

/// Small in-code orgs for record-access tests.
enum RecordFixtures {
    static let iu = "iu@acme.com"
    static let owner = "owner@acme.com"
    static let integrationProfile = "Minimum Access - API Only Integrations"

    static func user(
        _ username: String, role: String? = nil, profile: String = "Standard User", external: Bool = false
    )
        -> User
    {
        User(username: username, license: "Salesforce", profile: profile, role: role, isExternal: external)
    }

    static func integrationUser(role: String? = "Integration") -> User {
        User(username: iu, license: "Salesforce Integration", profile: integrationProfile, role: role)
    }

    static func object(
        _ name: String, sharing: SharingModel?, hierarchy: Bool = true, fields: [Field] = [],
        defaultSharing: SharingModel? = nil
    ) -> SObjectType {
        var all: [String: Field] = ["Name": Field(name: "Name", type: .text, isNameField: true)]
        for f in fields { all[f.name] = f }
        return SObjectType(
            name: name, sharingModel: sharing, defaultSharingModel: defaultSharing,
            grantAccessUsingHierarchies: hierarchy, fields: all)
    }

    static func checkbox(_ name: String) -> Field { Field(name: name, type: .checkbox) }
    static func text(_ name: String) -> Field { Field(name: name, type: .text) }
    static func lookup(_ name: String, to target: String) -> Field {
        Field(name: name, type: .lookup, referenceTo: [target])
    }

    static func record(
        _ object: String, _ ref: String, owner: String? = RecordFixtures.owner,
        _ fields: [String: FieldValue] = [:]
    ) -> Record {
        var values = fields
        if values["Name"] == nil { values["Name"] = .string(ref) }
        return Record(object: object, referenceId: ref, ownerUsername: owner, fields: values)
    }

    static func id(_ object: String, _ ref: String) -> String {
        RecordId.make(object: object, referenceId: ref)
    }

    static func criteriaRule(
        _ object: String, _ name: String, to principal: SharingPrincipal, level: AccessLevel = .read,
        _ items: [CriteriaItem], booleanFilter: String? = nil, account: AccountSharingSettings? = nil
    ) -> SharingRule {
        SharingRule(
            object: object, name: name,
            kind: .criteria(
                CriteriaFilter(items: items, booleanFilter: booleanFilter), includeRecordsOwnedByAll: nil),
            sharedTo: principal, accessLevel: level, accountSettings: account)
    }

    static func ownerRule(
        _ object: String, _ name: String, from: SharingPrincipal, to principal: SharingPrincipal,
        level: AccessLevel = .read, account: AccountSharingSettings? = nil
    ) -> SharingRule {
        SharingRule(
            object: object, name: name, kind: .owner(sharedFrom: from), sharedTo: principal,
            accessLevel: level,
            accountSettings: account)
    }

    static func group(_ name: String) -> SharingPrincipal { SharingPrincipal(kind: "group", name: name) }
    static func role(_ name: String) -> SharingPrincipal { SharingPrincipal(kind: "role", name: name) }

    /// `T03`: Account OWD Private, checkbox `Send_to_Hubspot__c`, group `HubSpot_Sync` containing IU, a
    /// criteria rule `Send_to_Hubspot__c equals True` → `HubSpot_Sync` Read; A1, A2 flagged, A3 not.
    static func t03(a1Flag: Bool = true, ruleTarget: SharingPrincipal = group("HubSpot_Sync")) -> Org {
        let account = object("Account", sharing: .private, fields: [checkbox("Send_to_Hubspot__c")])
        let rule = criteriaRule(
            "Account", "Send_to_HubSpot", to: ruleTarget,
            [CriteriaItem(field: "Send_to_Hubspot__c", operation: "equals", value: "True")])
        let records = RecordSet([
            record("Account", "A1", ["Send_to_Hubspot__c": .boolean(a1Flag)]),
            record("Account", "A2", ["Send_to_Hubspot__c": .boolean(true)]),
            record("Account", "A3", ["Send_to_Hubspot__c": .boolean(false)]),
        ])
        return Org(
            objects: ["Account": account],
            roles: ["Integration": Role(name: "Integration")],
            groups: ["HubSpot_Sync": PublicGroup(name: "HubSpot_Sync", members: [.user(iu)])],
            sharingRules: [rule],
            users: [integrationUser(), user(owner)],
            records: records)
    }

    static func permissions(
        _ table: [String: ObjectAccess], for username: String = iu, viewAllData: Bool = false
    )
        -> ObjectPermissionsView
    {
        ObjectPermissionsView(
            table: [username: table], defaultAccess: [.read, .create, .edit, .delete],
            viewAllData: viewAllData ? [username] : [])
    }

    /// The bulk path and the explain path must give the same level for every record and user.
    static func expectConsistent(
        _ e: SharingEvaluator, object: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for user in e.org.users {
            let bulk = e.levels(object: object, username: user.username) ?? []
            let explained = e.decisions(username: user.username, object: object).map(\.level)
            #expect(
                bulk == explained, "bulk and explain differ for \(user.username) on \(object)",
                sourceLocation: sourceLocation)
        }
    }

    static func visibleRefs(_ e: SharingEvaluator, _ object: String, _ username: String = iu) -> Set<String> {
        let records = e.org.records.records(of: object)
        return Set(
            e.visibleRecords(object: object, username: username).map { records[$0.index].referenceId ?? "" })
    }
}
