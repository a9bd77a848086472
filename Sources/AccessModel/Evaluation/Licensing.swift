/// What a user's licence and permission set licences allow, and the assignment checks that follow
/// from it (`LIC-4`…`LIC-9`, `PSG-7`).
struct Licensing {
    /// How a permission set is bound to a licence (`PermissionSet.license`).
    enum Binding: Equatable {
        /// `--None--` (`LIC-7`).
        case independent
        /// The user's own licence (`LIC-6`, allowed).
        case userLicense
        /// Another user licence (`LIC-6`, refused).
        case otherUserLicense(String)
        /// A permission set licence (`LIC-8`).
        case permissionSetLicense(String)
        /// A licence name the org does not know.
        case unknown(String)
    }

    /// User licence names recognised even when the org does not declare them, so a permission set bound to
    /// one of them is refused for users of another (`LIC-6`, `T07`).
    static let wellKnownUserLicenses: Set<String> = [
        "Salesforce", "Salesforce Platform", "Salesforce Integration", "Force.com - App Subscription",
        "Force.com - One App", "Chatter Free", "Chatter External", "Identity", "Customer Community",
        "Customer Community Plus", "Partner Community", "Customer Community Login",
        "Customer Community Plus Login", "Partner Community Login", "External Identity", "Guest User License",
        "Salesforce Limited Access - Free", "Analytics Cloud Integration User",
    ]

    /// The API-only access of the integration profile is locked on (`LIC-3`, `LIC-12`).
    static let integrationProfileLocked: Set<String> = ["ApiEnabled", "ApiUserOnly"]

    static func binding(of set: PermissionSet, userLicense: String, org: Org) -> Binding {
        guard let bound = set.license, !bound.isEmpty, bound != "--None--" else { return .independent }
        if bound == userLicense { return .userLicense }
        // Metadata writes a permission set licence by its label ("Salesforce API Integration") or by its
        // developer name; keyhole.yaml uses the developer name.
        if org.permissionSetLicenses[bound] != nil { return .permissionSetLicense(bound) }
        if let psl = org.permissionSetLicenses.values.first(where: {
            $0.label?.caseInsensitiveCompare(bound) == .orderedSame
        }) {
            return .permissionSetLicense(psl.name)
        }
        if org.userLicenses[bound] != nil || wellKnownUserLicenses.contains(bound) {
            return .otherUserLicense(bound)
        }
        return .unknown(bound)
    }

    /// Why a permission set licence cannot go with the user's licence, if it cannot (`LIC-8`).
    static func pslUnavailable(_ psl: String, userLicense: String, org: Org) -> String? {
        guard let license = org.permissionSetLicenses[psl], !license.userLicenses.isEmpty,
            !license.userLicenses.contains(userLicense)
        else { return nil }
        return "The permission set license \(psl) isn't available for the user license \(userLicense)."
    }

    let license: UserLicense?
    let permissionSetLicenses: [PermissionSetLicense]
    /// True when some held permission set licence is unknown to the org (treated as unrestricted).
    let hasUnknownPermissionSetLicense: Bool
    /// Objects allowed: licence ∪ PSLs, minus licence-gated objects whose PSL is not held.
    let allowed: [UInt64]
    /// Licence-gated objects whose PSL is not held (`LIC-9`).
    let missingGated: [UInt64]

    init(license: UserLicense?, held: Set<String>, compiled: CompiledOrg) {
        self.license = license
        var known: [PermissionSetLicense] = []
        var unknown = false
        for name in held.sorted() {
            if let psl = compiled.org.permissionSetLicenses[name] {
                known.append(psl)
            } else {
                unknown = true
            }
        }
        permissionSetLicenses = known
        hasUnknownPermissionSetLicense = unknown
        let words = compiled.objectWords
        var allowed: [UInt64]
        if license == nil || unknown {
            allowed = [UInt64](repeating: ~0, count: words)
        } else {
            allowed = compiled.userLicenseObjects[license!.name] ?? [UInt64](repeating: ~0, count: words)
            for psl in known {
                guard let bits = compiled.permissionSetLicenseObjects[psl.name] else { continue }
                for w in 0..<words { allowed[w] |= bits[w] }
            }
        }
        var missing = compiled.gatedObjects
        for name in held {
            guard let bits = compiled.gatedObjectsByLicense[name] else { continue }
            for w in 0..<words { missing[w] &= ~bits[w] }
        }
        for w in 0..<words { allowed[w] &= ~missing[w] }
        self.allowed = allowed
        missingGated = missing
    }

    func allowsObject(_ object: Int) -> Bool { allowed[object >> 6] & (1 << UInt64(object & 63)) != 0 }

    func allowsUserPermission(_ name: String) -> Bool {
        if license == nil || hasUnknownPermissionSetLicense { return true }
        if license!.userPermissions.allows(name) { return true }
        return permissionSetLicenses.contains { $0.userPermissions.allows(name) }
    }

    /// Why assigning `set` would be refused, as `(rule, detail)`, or `nil`: `LIC-9` for View/Modify All
    /// Data without a required PSL, then `LIC-7` for a licence-independent set enabling something the
    /// licence ∪ PSLs do not allow.
    func refusal(of set: PermissionSet, compiled grants: CompiledGrants, org: CompiledOrg) -> (
        String, String
    )? {
        let enabled = grants.userPermissions
        if enabled.contains("ViewAllData") || enabled.contains("ModifyAllData"),
            missingGated.contains(where: { $0 != 0 })
        {
            return (
                "LIC-9",
                "The permission set contains an object that requires a license. Before continuing, assign the user to the related permission set license."
            )
        }
        guard set.license == nil || set.license == "" || set.license == "--None--" else { return nil }
        let order: [ObjectAccess] = [
            .read, .create, .edit, .delete, .viewAllRecords, .modifyAllRecords, .viewAllFields,
        ]
        for entry in grants.objects where !allowsObject(Int(entry.object)) {
            for permission in order where entry.access.contains(permission) {
                let label = ObjectAccess.named.first { $0.permission == permission }!.label
                return (
                    "LIC-7",
                    "The user license doesn't allow the permission: \(label) \(org.pluralLabel(Int(entry.object)))"
                )
            }
        }
        for name in enabled.sorted() where !allowsUserPermission(name) {
            return ("LIC-7", "The user license doesn't allow the permission: \(name)")
        }
        return nil
    }
}
