/// What the record evaluator needs to know about a user's object and system permissions (`OBJ-9`,
/// `REC-18`). An input, so the record evaluator does not depend on how permissions are computed.
public struct ObjectPermissionsView: Sendable {
    /// Effective object permissions of a user on an object (already closed under `OBJ-2`).
    public var objectAccess: @Sendable (_ user: User, _ object: String) -> ObjectAccess
    public var viewAllData: @Sendable (_ user: User) -> Bool
    public var modifyAllData: @Sendable (_ user: User) -> Bool
    /// True when `objectAccess` already includes what View All Data and Modify All Data give, capped by
    /// the user's licence (`LIC-4`, `OBJ-5`), as the access evaluator computes it. Then VAD/MAD count
    /// only on objects where they took effect.
    public var systemPermissionsExpanded: Bool

    public init(
        objectAccess: @escaping @Sendable (_ user: User, _ object: String) -> ObjectAccess,
        viewAllData: @escaping @Sendable (_ user: User) -> Bool = { _ in false },
        modifyAllData: @escaping @Sendable (_ user: User) -> Bool = { _ in false },
        systemPermissionsExpanded: Bool = false
    ) {
        self.objectAccess = objectAccess
        self.viewAllData = viewAllData
        self.modifyAllData = modifyAllData
        self.systemPermissionsExpanded = systemPermissionsExpanded
    }

    /// From a table `username → object → access` (usernames compared case-insensitively); users and
    /// objects not in it get `defaultAccess`.
    public init(
        table: [String: [String: ObjectAccess]], defaultAccess: ObjectAccess = [],
        viewAllData: Set<String> = [], modifyAllData: Set<String> = []
    ) {
        let lowered = Dictionary(
            table.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        let vad = Set(viewAllData.map { $0.lowercased() })
        let mad = Set(modifyAllData.map { $0.lowercased() })
        self.init(
            objectAccess: { user, object in lowered[user.username.lowercased()]?[object] ?? defaultAccess },
            viewAllData: { vad.contains($0.username.lowercased()) },
            modifyAllData: { mad.contains($0.username.lowercased()) })
    }

    /// Everyone has Read, Create, Edit and Delete on every object, and nothing more: record access then
    /// shows sharing alone.
    public static let crud = ObjectPermissionsView(objectAccess: { _, _ in [.read, .create, .edit, .delete] })

    /// What a user can do on an object, with `VAD`/`MAD` expanded (`OBJ-4`, `OBJ-5`).
    public func effective(_ user: User, _ object: String) -> EffectiveObjectPermissions {
        var access = objectAccess(user, object).closedUnderDependencies
        var mad = modifyAllData(user)
        var vad = mad || viewAllData(user)
        if systemPermissionsExpanded {
            mad = mad && access.contains(.modifyAllRecords)
            vad = vad && access.contains(.viewAllRecords)
        }
        if vad { access.formUnion([.read, .viewAllRecords]) }
        if mad { access.formUnion([.read, .create, .edit, .delete, .viewAllRecords, .modifyAllRecords]) }
        return EffectiveObjectPermissions(access: access, viewAllData: vad, modifyAllData: mad)
    }
}

/// A user's permissions on one object, as the record evaluator uses them.
public struct EffectiveObjectPermissions: Hashable, Sendable {
    public var access: ObjectAccess
    public var viewAllData: Bool
    public var modifyAllData: Bool

    public var read: Bool { access.contains(.read) }
    public var edit: Bool { access.contains(.edit) }
    public var delete: Bool { access.contains(.delete) }
    public var viewAll: Bool { access.contains(.viewAllRecords) }
    public var modifyAll: Bool { access.contains(.modifyAllRecords) }

    /// The highest record access the object permissions allow (`OBJ-9`): no Read → None, Read → Read,
    /// Edit → Edit, Edit and Delete → All.
    public var cap: AccessLevel {
        if !read { return .none }
        if !edit { return .read }
        if !delete { return .edit }
        return .all
    }

    /// The level View All / Modify All (object or system-wide) give by themselves (`REC-18`).
    public var overrideLevel: AccessLevel {
        if modifyAll || modifyAllData { return .all }
        if viewAll || viewAllData { return .read }
        return .none
    }
}
