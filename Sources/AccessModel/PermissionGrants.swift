/// What one profile, permission set or muting permission set says about objects, fields and user
/// permissions. A muting set uses the same shape: a `true` means "muted" (`PSG-2`).
public struct PermissionGrants: Hashable, Sendable {
    /// Object permissions by object API name.
    public var objects: [String: ObjectAccess]
    /// Field permissions by `Object.Field`. Entries for objects with no object permission are kept:
    /// on a profile they are latent, not void (`FLS-5`).
    public var fields: [String: FieldAccess]
    /// User (system) permissions by API name, `enabled` as written (`false` entries are kept so a write
    /// gives them back; they grant nothing).
    public var userPermissions: [String: Bool]

    public init(
        objects: [String: ObjectAccess] = [:], fields: [String: FieldAccess] = [:],
        userPermissions: [String: Bool] = [:]
    ) {
        self.objects = objects
        self.fields = fields
        self.userPermissions = userPermissions
    }

    public var enabledUserPermissions: Set<String> {
        Set(userPermissions.compactMap { $0.value ? $0.key : nil })
    }

    public func objectAccess(_ object: String) -> ObjectAccess { objects[object] ?? [] }

    public func fieldAccess(object: String, field: String) -> FieldAccess {
        fields[FieldPath.key(object: object, field: field)] ?? .none
    }

    /// Adds a field entry, merging a duplicate by union. Returns true when the key was already present
    /// (callers report `TRAP-11` duplicates as notes).
    @discardableResult
    public mutating func addField(_ key: String, _ access: FieldAccess) -> Bool {
        if let existing = fields[key] {
            fields[key] = existing.union(access)
            return true
        }
        fields[key] = access
        return false
    }

    /// Adds, for each entry on a compound field, the same access on its components that have no entry of
    /// their own (`FLS-8`). `components` maps `Object.Compound` to `Object.Component` keys.
    public func coveringCompoundComponents(_ components: [String: [String]]) -> PermissionGrants {
        guard !components.isEmpty else { return self }
        var result = self
        for (key, access) in fields {
            for component in components[key] ?? [] where result.fields[component] == nil {
                result.fields[component] = access
            }
        }
        return result
    }

    public var isEmpty: Bool { objects.isEmpty && fields.isEmpty && userPermissions.isEmpty }
}

/// `Object.Field` keys. API names may contain several `__`; split on the first `.` only (`TRAP-18`).
public enum FieldPath {
    public static func key(object: String, field: String) -> String { object + "." + field }

    public static func split(_ key: String) -> (object: String, field: String)? {
        guard let dot = key.firstIndex(of: ".") else { return nil }
        let object = String(key[..<dot])
        let field = String(key[key.index(after: dot)...])
        guard !object.isEmpty, !field.isEmpty else { return nil }
        return (object, field)
    }
}
