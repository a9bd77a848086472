import AccessModel
import Foundation

/// Builds a large, realistic org deterministically from a seed, for benchmarks.
///
/// Users are drawn from personas (a profile plus a few permission sets and groups), as in real orgs
/// where thousands of users share a handful of access shapes; profiles carry latent field permissions
/// and groups carry muting, so the generated org exercises every path of the evaluator.
struct OrgGenerator {
    struct Size {
        var users = 1_000
        var objects = 50
        var fieldsPerObject = 20
        var profiles = 10
        var permissionSets = 50
        /// Permission set groups, each with a muting permission set.
        var permissionSetGroups = 10
        /// Public groups (some nested, some holding roles).
        var publicGroups = 20
        var roles = 50
        var roleDepth = 8
        var criteriaRules = 5
        var ownerRules = 5
        /// Records of the first object (`recordObject`), written as CSV by `ProjectGenerator`.
        var records = 0
        /// Distinct access shapes users are drawn from; 0 means `min(users, 2000)`.
        var personas = 0
    }

    /// The object that holds the records and the sharing rules: the first one, with a Private OWD, a
    /// checkbox field `F000__c` and a picklist field `F001__c` (values A, B, C) for the criteria rules.
    static let recordObject = "Obj0000__c"
    static let checkboxField = "F000__c"
    static let picklistField = "F001__c"
    static let picklistValues = ["A", "B", "C"]
    /// Standard Account fields the profiles that read Account may edit (`Name` needs no grant).
    static let accountFields = ["AnnualRevenue", "Industry", "Phone", "Type", "Website"]

    var size: Size
    var seed: UInt64

    /// The generated org, users included (records are written separately, see `recordsCSV`).
    func generate() -> Org {
        var random = SplitMix64(seed: seed)
        var org = Org()
        let fieldTypes: [FieldType] = [
            .text, .number, .checkbox, .date, .picklist, .currency, .email, .phone,
        ]
        let classifications: [String?] = [nil, nil, nil, "Public", "Internal", "Confidential", "Restricted"]
        var objectNames: [String] = []
        for o in 0..<size.objects {
            let name = String(format: "Obj%04d__c", o)
            objectNames.append(name)
            var object = SObjectType(
                name: name, label: "Object \(o)", pluralLabel: "Objects \(o)",
                sharingModel: o % 3 == 0 ? .private : (o % 3 == 1 ? .read : .readWrite),
                nameFieldLabel: "Name",
                nameFieldType: .text, deploymentStatus: "Deployed")
            for f in 0..<size.fieldsPerObject {
                var type = fieldTypes[Int(random.next() % UInt64(fieldTypes.count))]
                // The record object always has the fields its criteria rules test.
                if o == 0 && f == 0 { type = .checkbox }
                if o == 0 && f == 1 { type = .picklist }
                var field = Field(name: String(format: "F%03d__c", f), label: "Field \(f)", type: type)
                if type == .text || type == .email || type == .phone { field.length = 80 }
                if type == .number || type == .currency {
                    field.precision = 18
                    field.scale = 2
                }
                if type == .picklist { field.picklistValues = Self.picklistValues }
                field.classification.securityClassification =
                    classifications[Int(random.next() % UInt64(classifications.count))]
                if field.classification.securityClassification == "Restricted" {
                    field.classification.complianceGroups = ["PII"]
                }
                object.fields[field.name] = field
            }
            org.objects[name] = object
        }
        let fieldsByObject = objectNames.map { Array(org.objects[$0]!.fields.keys).sorted() }

        /// Grants on `count` random objects: object access plus field permissions on a share of the fields.
        func grants(objects count: Int, access: ObjectAccess, fieldShare: Double, latent: Int)
            -> PermissionGrants
        {
            var grants = PermissionGrants()
            for _ in 0..<count {
                let o = Int(random.next() % UInt64(objectNames.count))
                grants.objects[objectNames[o]] = access
                for field in fieldsByObject[o] where Double(random.next() % 1000) / 1000 < fieldShare {
                    let edit = random.next() % 2 == 0
                    grants.fields[objectNames[o] + "." + field] = edit ? .edit : .read
                }
            }
            // Latent entries: field permissions on objects the source grants no access to (FLS-5).
            for _ in 0..<latent {
                let o = Int(random.next() % UInt64(objectNames.count))
                guard grants.objects[objectNames[o]] == nil else { continue }
                for field in fieldsByObject[o] { grants.fields[objectNames[o] + "." + field] = .read }
            }
            return grants
        }

        for p in 0..<size.profiles {
            var profileGrants = grants(
                objects: 20, access: [.read, .create, .edit], fieldShare: 0.6, latent: 5)
            profileGrants.userPermissions = ["ApiEnabled": true]
            if p == 0 { profileGrants.userPermissions["ViewAllData"] = true }
            // Account, the object integrations read most, on every third profile, so the record store's
            // benchmarks have users who read it without View All (draws nothing from `random`).
            if p % 3 == 1 {
                profileGrants.objects["Account"] = [.read, .create, .edit]
                for field in Self.accountFields { profileGrants.fields["Account." + field] = .edit }
            }
            let name = String(format: "Profile %03d", p)
            org.profiles[name] = Profile(
                name: name, userLicense: "Salesforce", isCustom: true, grants: profileGrants)
        }
        var permissionSetNames: [String] = []
        for s in 0..<size.permissionSets {
            let name = String(format: "PS_%04d", s)
            permissionSetNames.append(name)
            var setGrants = grants(objects: 5, access: [.read, .edit], fieldShare: 0.5, latent: 0)
            if s % 50 == 0 { setGrants.userPermissions["ViewAllData"] = true }
            org.permissionSets[name] = PermissionSet(
                name: name, label: "Permission Set \(s)", grants: setGrants)
        }
        var groupNames: [String] = []
        for g in 0..<size.permissionSetGroups {
            let name = String(format: "PSG_%03d", g)
            groupNames.append(name)
            let memberCount = 3 + Int(random.next() % 6)
            let members = (0..<memberCount).map { _ in
                permissionSetNames[Int(random.next() % UInt64(permissionSetNames.count))]
            }
            let members_ = Array(Set(members)).sorted()
            // Mute a few fields and one object permission of the first member.
            var mutes = PermissionGrants()
            if let first = members_.first, let grants = org.permissionSets[first]?.grants {
                for key in grants.fields.keys.sorted().prefix(5) { mutes.fields[key] = .read }
                if let object = grants.objects.keys.sorted().first { mutes.objects[object] = .edit }
            }
            let muting = name + "_Muting"
            org.mutingPermissionSets[muting] = MutingPermissionSet(name: muting, label: muting, mutes: mutes)
            org.permissionSetGroups[name] = PermissionSetGroup(
                name: name, label: "Group \(g)", permissionSets: members_, mutingPermissionSet: muting,
                status: "Updated")
        }

        // Roles: a tree of the requested depth.
        var roleNames: [String] = []
        var roleDepths: [Int] = []
        for r in 0..<size.roles {
            let name = String(format: "Role_%04d", r)
            var parent: String?
            var depth = 0
            if r > 0 && r < size.roleDepth {
                // A chain first, so the hierarchy reaches the requested depth.
                parent = roleNames[r - 1]
                depth = r
            } else if r > 0 && size.roleDepth > 1 {
                var candidate = Int(random.next() % UInt64(r))
                while roleDepths[candidate] >= size.roleDepth - 1 {
                    candidate = Int(random.next() % UInt64(r))
                }
                parent = roleNames[candidate]
                depth = roleDepths[candidate] + 1
            }
            roleNames.append(name)
            roleDepths.append(depth)
            org.roles[name] = Role(
                name: name, label: "Role \(r)", parentRole: parent, caseAccessLevel: AccessLevel.none,
                contactAccessLevel: .read,
                opportunityAccessLevel: .read, mayForecastManagerShare: false)
        }
        // Public groups, some nested in earlier ones, some holding roles.
        var publicGroupNames: [String] = []
        for g in 0..<size.publicGroups {
            let name = String(format: "Group_%04d", g)
            var members: [GroupMember] = []
            if g > 0 && random.next() % 3 == 0 {
                members.append(.group(publicGroupNames[Int(random.next() % UInt64(g))]))
            }
            if !roleNames.isEmpty && random.next() % 2 == 0 {
                let role = roleNames[Int(random.next() % UInt64(roleNames.count))]
                members.append(random.next() % 2 == 0 ? .role(role) : .roleAndSubordinates(role))
            }
            publicGroupNames.append(name)
            org.groups[name] = PublicGroup(
                name: name, label: "Group \(g)", doesIncludeBosses: g % 4 == 0, members: members)
        }
        // Sharing rules on the first object (Private OWD): criteria rules on its checkbox and picklist
        // fields, owner rules from roles to groups.
        if let target = objectNames.first, let object = org.objects[target], !publicGroupNames.isEmpty {
            let checkbox = object.sortedFields.first { $0.type == .checkbox }?.name
            let picklist = object.sortedFields.first { $0.type == .picklist }?.name
            for r in 0..<size.criteriaRules {
                let to = SharingPrincipal(
                    kind: "group", name: publicGroupNames[Int(random.next() % UInt64(publicGroupNames.count))]
                )
                var items: [CriteriaItem] = []
                if let checkbox {
                    items.append(CriteriaItem(field: checkbox, operation: "equals", value: "True"))
                }
                if let picklist, r % 2 == 0 {
                    items.append(
                        CriteriaItem(field: picklist, operation: "equals", value: Self.picklistValues[r % 3]))
                }
                org.sharingRules.append(
                    SharingRule(
                        object: target, name: String(format: "Criteria_%03d", r), label: "Criteria \(r)",
                        kind: .criteria(CriteriaFilter(items: items), includeRecordsOwnedByAll: true),
                        sharedTo: to,
                        accessLevel: r % 2 == 0 ? .read : .edit))
            }
            for r in 0..<size.ownerRules where !roleNames.isEmpty {
                let from = SharingPrincipal(
                    kind: "roleAndSubordinatesInternal",
                    name: roleNames[Int(random.next() % UInt64(roleNames.count))])
                let to = SharingPrincipal(
                    kind: "group", name: publicGroupNames[Int(random.next() % UInt64(publicGroupNames.count))]
                )
                org.sharingRules.append(
                    SharingRule(
                        object: target, name: String(format: "Owner_%03d", r), label: "Owner \(r)",
                        kind: .owner(sharedFrom: from), sharedTo: to, accessLevel: .read))
            }
        }

        // Personas: the shapes of access users actually share.
        let personaCount = size.personas > 0 ? size.personas : max(1, min(size.users, 2_000))
        let profileNames = org.profiles.keys.sorted()
        struct Persona {
            var profile: String
            var permissionSets: [String]
            var groups: [String]
        }
        var personas: [Persona] = []
        for _ in 0..<personaCount {
            let profile = profileNames[random.skewed(profileNames.count)]
            let setCount = permissionSetNames.isEmpty ? 0 : Int(random.next() % 4)
            let sets = Set(
                (0..<setCount).map { _ in
                    permissionSetNames[Int(random.next() % UInt64(permissionSetNames.count))]
                })
            let groupCount = groupNames.isEmpty ? 0 : Int(random.next() % 3)
            let groups = Set(
                (0..<groupCount).map { _ in groupNames[Int(random.next() % UInt64(groupNames.count))] })
            personas.append(Persona(profile: profile, permissionSets: sets.sorted(), groups: groups.sorted()))
        }
        for u in 0..<size.users {
            let persona = personas[random.skewed(personas.count)]
            var user = User(
                username: String(format: "user%06d@bench.example", u), name: "User \(u)",
                license: "Salesforce",
                profile: persona.profile,
                role: roleNames.isEmpty ? nil : roleNames[Int(random.next() % UInt64(roleNames.count))],
                permissionSets: persona.permissionSets.map { Assignment(name: $0) },
                permissionSetGroups: persona.groups.map { Assignment(name: $0) })
            if !publicGroupNames.isEmpty && random.next() % 4 == 0 {
                user.groups = [publicGroupNames[Int(random.next() % UInt64(publicGroupNames.count))]]
            }
            org.users.append(user)
        }
        return org
    }

    /// The records of `recordObject` as an RFC 4180 CSV file: `referenceId,OwnerId,F000__c,F001__c`, owners
    /// (usernames) drawn uniformly from `usernames`, a third of the checkboxes true and the picklist values
    /// spread evenly. Deterministic for the seed; independent of the org's own random stream.
    func recordsCSV(usernames: [String], fieldsPerObject: Int) -> [UInt8] {
        guard size.records > 0, !usernames.isEmpty else { return [] }
        var random = SplitMix64(seed: seed ^ 0x5EC0_4D5A_7A11_0001)
        let owners = usernames.map { Array($0.utf8) }
        let hasCheckbox = fieldsPerObject >= 1
        let hasPicklist = fieldsPerObject >= 2
        var header = "referenceId,OwnerId"
        if hasCheckbox { header += "," + Self.checkboxField }
        if hasPicklist { header += "," + Self.picklistField }
        var out: [UInt8] = []
        out.reserveCapacity(size.records * (owners[0].count + 24) + header.utf8.count + 1)
        out += header.utf8
        out.append(UInt8(ascii: "\n"))
        let yes = Array("true".utf8)
        let no = Array("false".utf8)
        let values = Self.picklistValues.map { Array($0.utf8) }
        let width = max(7, String(size.records).count)
        var digits = [UInt8](repeating: 0, count: width)
        for r in 1...size.records {
            out.append(UInt8(ascii: "R"))
            var n = r
            for i in stride(from: width - 1, through: 0, by: -1) {
                digits[i] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
            }
            out += digits
            out.append(UInt8(ascii: ","))
            out += owners[Int(random.next() % UInt64(owners.count))]
            let draw = random.next()
            if hasCheckbox {
                out.append(UInt8(ascii: ","))
                out += draw % 3 == 0 ? yes : no
            }
            if hasPicklist {
                out.append(UInt8(ascii: ","))
                out += values[Int((draw >> 8) % UInt64(values.count))]
            }
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }
}
