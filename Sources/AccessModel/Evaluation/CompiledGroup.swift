/// A permission set group: its members, its muting set, and its effective grants
/// `(∪ members) − mute`, pruned to dependencies (`PSG-1`…`PSG-5`). Computed once per org.
struct CompiledGroup: Sendable {
    let name: String
    /// Members that exist in the org, in declared order.
    let members: [String]
    /// Members the org does not define (reported as notes).
    let missingMembers: [String]
    let muting: String?
    /// True when the group names a muting set the org does not define.
    let mutingMissing: Bool
    let effective: CompiledGrants

    init(
        _ group: PermissionSetGroup, permissionSet: (String) -> CompiledGrants?,
        mutingPermissionSet: (String) -> CompiledGrants?
    ) {
        name = group.name
        var seen: Set<String> = []
        var memberGrants: [CompiledGrants] = []
        var members: [String] = []
        var missingMembers: [String] = []
        for member in group.permissionSets {
            if let grants = permissionSet(member) {
                if seen.insert(member).inserted {
                    members.append(member)
                    memberGrants.append(grants)
                }
            } else {
                missingMembers.append(member)
            }
        }
        self.members = members
        self.missingMembers = missingMembers
        muting = group.mutingPermissionSet
        let mute = group.mutingPermissionSet.flatMap(mutingPermissionSet)
        mutingMissing = group.mutingPermissionSet != nil && mute == nil

        var objects: [Int32: ObjectAccess] = [:]
        var fields: [Int32: FieldEntry] = [:]
        var userPermissions: Set<String> = []
        for grants in memberGrants {
            for entry in grants.objects { objects[entry.object, default: []].formUnion(entry.access) }
            for entry in grants.fields {
                if var existing = fields[entry.object] {
                    for w in existing.read.indices {
                        existing.read[w] |= entry.read[w]
                        existing.edit[w] |= entry.edit[w]
                    }
                    fields[entry.object] = existing
                } else {
                    fields[entry.object] = entry
                }
            }
            userPermissions.formUnion(grants.userPermissions)
        }
        if let mute {
            // PSG-5 (assumed): subtract the mute, then drop what lost its prerequisite.
            for (o, access) in objects {
                objects[o] = access.subtracting(mute.access(Int(o))).prunedToDependencies
            }
            for entry in mute.fields {
                guard var existing = fields[entry.object] else { continue }
                for w in existing.read.indices {
                    existing.read[w] &= ~entry.read[w]
                    existing.edit[w] &= ~(entry.read[w] | entry.edit[w])
                }
                fields[entry.object] = existing
            }
            userPermissions.subtract(mute.userPermissions)
        }
        effective = CompiledGrants(
            objects: objects.filter { !$0.value.isEmpty }.map {
                ObjectEntry(object: $0.key, access: $0.value)
            }
            .sorted { $0.object < $1.object },
            fields: fields.values.sorted { $0.object < $1.object },
            userPermissions: userPermissions)
    }
}
