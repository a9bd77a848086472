import Foundation

@testable import AccessModel

/// Deterministic pseudo-random numbers (SplitMix64), so property tests replay exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
    mutating func subset<T>(_ items: [T], _ p: Double) -> [T] { items.filter { _ in chance(p) } }
}

/// Small random orgs and users: a handful of objects, fields of every flavour, licences with caps,
/// gated objects, profiles with latent FLS, permission sets of every binding, groups with muting.
enum RandomOrg {
    static let userPermissions = [
        "ApiEnabled", "ViewAllData", "ModifyAllData", "ViewEncryptedData", "ManageUsers",
    ]
    static let objectNames = ["Account", "Contact", "Alpha__c", "Beta__c", "Gamma__c"]

    static func objectAccess(_ rng: inout SplitMix64) -> ObjectAccess {
        ObjectAccess(rawValue: UInt8.random(in: 0...127, using: &rng)).closedUnderDependencies
    }

    static func grants(_ rng: inout SplitMix64, objects: [SObjectType], density: Double) -> PermissionGrants {
        var result = PermissionGrants()
        for object in objects where rng.chance(density) { result.objects[object.name] = objectAccess(&rng) }
        for object in objects {
            for field in object.fields.keys where rng.chance(density) {
                let edit = rng.chance(0.4)
                result.fields["\(object.name).\(field)"] = FieldAccess(readable: true, editable: edit)
            }
        }
        for permission in userPermissions where rng.chance(density / 4) {
            result.userPermissions[permission] = true
        }
        return result
    }

    static func mute(_ rng: inout SplitMix64, objects: [SObjectType]) -> PermissionGrants {
        var result = PermissionGrants()
        for object in objects where rng.chance(0.3) {
            result.objects[object.name] = ObjectAccess(rawValue: UInt8.random(in: 1...127, using: &rng))
        }
        for object in objects {
            for field in object.fields.keys where rng.chance(0.15) {
                result.fields["\(object.name).\(field)"] = FieldAccess(
                    readable: rng.chance(0.5), editable: true)
            }
        }
        for permission in userPermissions where rng.chance(0.1) { result.userPermissions[permission] = true }
        return result
    }

    static func field(_ rng: inout SplitMix64, _ name: String) -> Field {
        var field = Field(name: name, type: rng.pick([.text, .number, .email, .encryptedText, .picklist]))
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: field.isRequired = true
        case 1: field.formula = "1"
        case 2: field.isAudit = true
        case 3: field.encryptionScheme = .probabilistic
        default: break
        }
        field.classification = classification(&rng)
        return field
    }

    static func classification(_ rng: inout SplitMix64) -> Classification {
        Classification(
            securityClassification: rng.chance(0.5)
                ? rng.pick(["Public", "Internal", "Restricted", "MissionCritical"]) : nil,
            complianceGroups: Set(rng.subset(["PII", "GDPR", "HIPAA", "PCI"], 0.3)),
            businessStatus: rng.chance(0.3) ? rng.pick(["Active", "Hidden"]) : nil)
    }

    static func org(seed: UInt64) -> Org {
        var rng = SplitMix64(seed: seed)
        var objects: [SObjectType] = []
        for name in objectNames {
            var fields: [String: Field] = [
                "Id": Field(name: "Id", type: .id), "Name": Field(name: "Name", isNameField: true),
            ]
            for i in 0..<Int.random(in: 3...8, using: &rng) { fields["F\(i)__c"] = field(&rng, "F\(i)__c") }
            objects.append(
                SObjectType(
                    name: name, pluralLabel: name + "s", fields: fields,
                    requiredPermissionSetLicense: name == "Gamma__c" && rng.chance(0.5) ? "PSL_B" : nil))
        }
        let licenses = [
            UserLicense(name: "Full"),
            UserLicense(
                name: "Limited", objects: ObjectScope(customObjects: true),
                userPermissions: PermissionScope(permissions: ["ApiEnabled"]), isIntegration: true,
                lockedUserPermissions: ["ApiEnabled"]),
        ]
        let psls = [
            PermissionSetLicense(
                name: "PSL_A", objects: ObjectScope(objects: ["Account", "Contact"]),
                userPermissions: PermissionScope(permissions: ["ViewAllData", "ViewEncryptedData"])),
            PermissionSetLicense(name: "PSL_B", objects: ObjectScope(objects: ["Gamma__c"])),
        ]
        var profiles: [String: Profile] = [:]
        for i in 0..<3 {
            profiles["P\(i)"] = Profile(name: "P\(i)", grants: grants(&rng, objects: objects, density: 0.3))
        }
        var sets: [String: PermissionSet] = [:]
        for i in 0..<8 {
            let license: String? = rng.pick([nil, nil, nil, "PSL_A", "PSL_B", "Full", "Limited"])
            sets["S\(i)"] = PermissionSet(
                name: "S\(i)", license: license, grants: grants(&rng, objects: objects, density: 0.25))
        }
        var groups: [String: PermissionSetGroup] = [:]
        var mutes: [String: MutingPermissionSet] = [:]
        for i in 0..<3 {
            let members = rng.subset(sets.keys.sorted(), 0.3)
            let muted = rng.chance(0.7) ? "M\(i)" : nil
            if let muted {
                mutes[muted] = MutingPermissionSet(name: muted, mutes: mute(&rng, objects: objects))
            }
            groups["G\(i)"] = PermissionSetGroup(
                name: "G\(i)", permissionSets: members, mutingPermissionSet: muted)
        }
        return Org(
            objects: Dictionary(uniqueKeysWithValues: objects.map { ($0.name, $0) }), profiles: profiles,
            permissionSets: sets, permissionSetGroups: groups, mutingPermissionSets: mutes,
            userLicenses: Dictionary(uniqueKeysWithValues: licenses.map { ($0.name, $0) }),
            permissionSetLicenses: Dictionary(uniqueKeysWithValues: psls.map { ($0.name, $0) }))
    }

    static func user(_ rng: inout SplitMix64, org: Org) -> User {
        User(
            username: "u\(rng.next() % 1000)@example.com", license: rng.pick(["Full", "Limited"]),
            profile: rng.pick(org.profiles.keys.sorted()),
            permissionSets: rng.subset(org.permissionSets.keys.sorted(), 0.25).map { Assignment(name: $0) },
            permissionSetGroups: rng.subset(org.permissionSetGroups.keys.sorted(), 0.3).map {
                Assignment(name: $0)
            },
            permissionSetLicenses: rng.subset(["PSL_A", "PSL_B"], 0.4))
    }

    /// Every object and field bit of a user, for comparisons.
    struct Snapshot: Equatable {
        var objects: [String: ObjectAccess] = [:]
        var read: Set<String> = []
        var edit: Set<String> = []
        var masked: Set<String> = []
        var permissions: Set<String> = []

        init(_ access: UserAccess, org: Org) {
            for object in org.objects.values {
                objects[object.name] = access.objectAccess(object.name)
                for field in object.fields.keys {
                    let key = "\(object.name).\(field)"
                    if access.canRead(object: object.name, field: field) { read.insert(key) }
                    if access.canEdit(object: object.name, field: field) { edit.insert(key) }
                    if access.isMasked(object: object.name, field: field) { masked.insert(key) }
                }
            }
            permissions = Set(access.systemPermissions.map(\.name))
        }

        /// Everything `self` grants, `other` grants too.
        func isCovered(by other: Snapshot) -> Bool {
            objects.allSatisfy { other.objects[$0.key, default: []].isSuperset(of: $0.value) }
                && read.isSubset(of: other.read) && edit.isSubset(of: other.edit)
                && permissions.isSubset(of: other.permissions)
        }
    }
}
