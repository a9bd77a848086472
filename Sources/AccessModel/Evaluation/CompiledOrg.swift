import Foundation

/// The org indexed once for evaluation: every object and field gets a dense index and every licence an
/// object bit set; each profile, permission set, muting set and group is compiled to sparse bit sets when
/// first needed, so one question about one user costs only that user's sources. Shared freely between
/// tasks (the compiled sources sit behind a lock).
final class CompiledOrg: Sendable {
    let org: Org

    // MARK: Objects and fields

    /// Object names by index: every object in the org plus any object a grant names (so a grant on an
    /// object the catalog does not know still counts).
    let objectNames: [String]
    let objectIndex: [String: Int]
    let objectIndexFolded: [String: Int]
    let objectTypes: [SObjectType]
    /// Fields per object, in index order (`Id` first, then by name). Fields named only by grants are
    /// synthesised as plain `Field(name:)`.
    let fields: [[Field]]
    let fieldIndex: [[String: Int]]
    /// First word of each object's field bits in the flat per-org layout, and its word count.
    let wordOffset: [Int]
    let wordCount: [Int]
    let totalWords: Int
    /// Per-field constants, flat over `totalWords`.
    let allFieldsMask: [UInt64]
    let alwaysReadable: [UInt64]
    let writableType: [UInt64]
    let editableWithoutFLS: [UInt64]
    let classicEncrypted: [UInt64]

    // MARK: Licences

    /// Object bits per user licence and per permission set licence.
    let userLicenseObjects: [String: [UInt64]]
    let permissionSetLicenseObjects: [String: [UInt64]]
    /// Objects that require a permission set licence (`LIC-9`), per licence, and their union.
    let gatedObjectsByLicense: [String: [UInt64]]
    let gatedObjects: [UInt64]
    let objectWords: Int

    init(_ org: Org, scope: EvaluationScope = .all) {
        self.org = org

        // Universe of objects and fields: the schema plus whatever a grant names; with a narrowed scope,
        // only the scope's objects get fields and only the scope's users' sources are looked through.
        let indexed = scope.objects.map { Set($0.map { $0.lowercased() }) }
        func hasFields(_ object: String) -> Bool { indexed?.contains(object.lowercased()) ?? true }
        var fieldNamesByObject: [String: Set<String>] = [:]
        var schemaKeys: Set<String> = []
        for (name, object) in org.objects {
            guard hasFields(name) else {
                fieldNamesByObject[name] = []
                continue
            }
            fieldNamesByObject[name, default: []].formUnion(object.fields.keys)
            for field in object.fields.keys { schemaKeys.insert(FieldPath.key(object: name, field: field)) }
        }
        func collect(_ grants: PermissionGrants) {
            for object in grants.objects.keys where fieldNamesByObject[object] == nil {
                fieldNamesByObject[object] = []
            }
            for key in grants.fields.keys where !schemaKeys.contains(key) {
                guard let (object, field) = FieldPath.split(key) else { continue }
                guard hasFields(object) else {
                    if fieldNamesByObject[object] == nil { fieldNamesByObject[object] = [] }
                    continue
                }
                fieldNamesByObject[object, default: []].insert(field)
                schemaKeys.insert(key)
            }
        }
        if let users = scope.users {
            for source in Self.sourceNames(of: users, in: org) {
                switch source {
                case .profile(let name): org.profiles[name].map { collect($0.grants) }
                case .permissionSet(let name): org.permissionSets[name].map { collect($0.grants) }
                case .mutingPermissionSet(let name): org.mutingPermissionSets[name].map { collect($0.mutes) }
                }
            }
        } else {
            for profile in org.profiles.values { collect(profile.grants) }
            for set in org.permissionSets.values { collect(set.grants) }
            for set in org.mutingPermissionSets.values { collect(set.mutes) }
        }

        let names = fieldNamesByObject.keys.sorted()
        objectNames = names
        var index: [String: Int] = [:]
        var folded: [String: Int] = [:]
        index.reserveCapacity(names.count)
        for (i, name) in names.enumerated() {
            index[name] = i
            let lower = name.lowercased()
            if folded[lower] == nil { folded[lower] = i }
        }
        objectIndex = index
        objectIndexFolded = folded

        var types: [SObjectType] = []
        var allFields: [[Field]] = []
        var fieldIndexes: [[String: Int]] = []
        var offsets: [Int] = []
        var counts: [Int] = []
        var total = 0
        types.reserveCapacity(names.count)
        for name in names {
            let type = org.objects[name] ?? SObjectType(name: name)
            types.append(type)
            let fieldNames = fieldNamesByObject[name] ?? []
            let ordered = fieldNames.sorted { a, b in
                if a == "Id" { return b != "Id" }
                if b == "Id" { return false }
                return a < b
            }
            let objectFields = ordered.map { type.fields[$0] ?? Field(name: $0) }
            allFields.append(objectFields)
            var fi: [String: Int] = [:]
            fi.reserveCapacity(ordered.count)
            for (i, f) in ordered.enumerated() { fi[f] = i }
            fieldIndexes.append(fi)
            offsets.append(total)
            let words = (ordered.count + 63) / 64
            counts.append(words)
            total += words
        }
        objectTypes = types
        fields = allFields
        fieldIndex = fieldIndexes
        wordOffset = offsets
        wordCount = counts
        totalWords = total

        var mask = [UInt64](repeating: 0, count: total)
        var readable = mask
        var writable = mask
        var editable = mask
        var encrypted = mask
        for (o, objectFields) in allFields.enumerated() {
            for (f, field) in objectFields.enumerated() {
                let w = offsets[o] + f >> 6
                let bit: UInt64 = 1 << UInt64(f & 63)
                mask[w] |= bit
                if field.isAlwaysReadable { readable[w] |= bit }
                if field.isWritableType { writable[w] |= bit }
                if field.isEditableWithoutFLS { editable[w] |= bit }
                if field.isClassicEncrypted { encrypted[w] |= bit }
            }
        }
        allFieldsMask = mask
        alwaysReadable = readable
        writableType = writable
        editableWithoutFLS = editable
        classicEncrypted = encrypted

        // Licences.
        let ow = (names.count + 63) / 64
        objectWords = ow
        // Names and kinds read once: each licence asks about every object, and reading a whole
        // `SObjectType` per question copied its fields (12 ms of `explain --field` at 2,000 objects).
        let typeNames = types.map(\.name)
        let typeIsCustom = types.map(\.isCustom)
        func bits(_ scope: ObjectScope) -> [UInt64] {
            var result = [UInt64](repeating: 0, count: ow)
            for o in typeNames.indices
            where scope.allows(objectNamed: typeNames[o], isCustom: typeIsCustom[o]) {
                result[o >> 6] |= 1 << UInt64(o & 63)
            }
            return result
        }
        userLicenseObjects = org.userLicenses.mapValues { bits($0.objects) }
        permissionSetLicenseObjects = org.permissionSetLicenses.mapValues { bits($0.objects) }
        var gatedBy: [String: [UInt64]] = [:]
        var gated = [UInt64](repeating: 0, count: ow)
        for (o, type) in types.enumerated() {
            guard let psl = type.requiredPermissionSetLicense else { continue }
            gatedBy[psl, default: [UInt64](repeating: 0, count: ow)][o >> 6] |= 1 << UInt64(o & 63)
            gated[o >> 6] |= 1 << UInt64(o & 63)
        }
        gatedObjectsByLicense = gatedBy
        gatedObjects = gated

        // Sources are compiled on first use (see `profile(_:)`).
        var fieldKeys: [String: (Int32, Int32)] = [:]
        fieldKeys.reserveCapacity(allFields.reduce(0) { $0 + $1.count })
        for (o, objectFields) in allFields.enumerated() {
            for (f, field) in objectFields.enumerated() {
                fieldKeys[FieldPath.key(object: names[o], field: field.name)] = (Int32(o), Int32(f))
            }
        }
        layout = FieldLayout(
            objectIndex: index, fieldKeys: fieldKeys, wordOffset: offsets, wordCount: counts,
            totalWords: total)
        // Field permissions on a compound field (`Account.BillingAddress`) cover its components, which
        // carry no entries of their own in real metadata (`FLS-8`).
        var componentsByCompound: [String: [String]] = [:]
        for (name, type) in zip(names, types) where hasFields(name) {
            for field in type.fields.values {
                guard let parent = field.compoundParent else { continue }
                componentsByCompound[FieldPath.key(object: name, field: parent), default: []].append(
                    FieldPath.key(object: name, field: field.name))
            }
        }
        self.componentsByCompound = componentsByCompound
    }

    /// Where grants come from, for scanning a scope's sources.
    private enum SourceName: Hashable {
        case profile(String)
        case permissionSet(String)
        case mutingPermissionSet(String)
    }

    /// Every profile, permission set and muting set the users' assignments name, expired ones included.
    private static func sourceNames(of users: [User], in org: Org) -> Set<SourceName> {
        var names: Set<SourceName> = []
        for user in users {
            names.insert(.profile(user.profile))
            for assignment in user.permissionSets { names.insert(.permissionSet(assignment.name)) }
            for assignment in user.permissionSetGroups {
                guard let group = org.permissionSetGroups[assignment.name] else { continue }
                for member in group.permissionSets { names.insert(.permissionSet(member)) }
                if let muting = group.mutingPermissionSet { names.insert(.mutingPermissionSet(muting)) }
            }
        }
        return names
    }

    // MARK: Sources, compiled on first use

    private let layout: FieldLayout
    private let componentsByCompound: [String: [String]]
    private let compiledProfiles = SourceMemo<CompiledGrants>()
    private let compiledPermissionSets = SourceMemo<CompiledGrants>()
    private let compiledMutingPermissionSets = SourceMemo<CompiledGrants>()
    private let compiledGroups = SourceMemo<CompiledGroup>()

    /// The profile compiled, or nil when the org has no such profile.
    func profile(_ name: String) -> CompiledGrants? {
        compiledProfiles.value(name) {
            org.profiles[name].map { compile($0.grants, isMuting: false) }
        }
    }

    /// The permission set compiled, or nil when the org has no such permission set.
    func permissionSet(_ name: String) -> CompiledGrants? {
        compiledPermissionSets.value(name) {
            org.permissionSets[name].map { compile($0.grants, isMuting: false) }
        }
    }

    /// The muting permission set compiled (what it mutes, as written), or nil when undefined.
    func mutingPermissionSet(_ name: String) -> CompiledGrants? {
        compiledMutingPermissionSets.value(name) {
            org.mutingPermissionSets[name].map { compile($0.mutes, isMuting: true) }
        }
    }

    /// The permission set group with its effective grants, or nil when the org has no such group.
    func group(_ name: String) -> CompiledGroup? {
        compiledGroups.value(name) {
            org.permissionSetGroups[name].map {
                CompiledGroup($0, permissionSet: permissionSet, mutingPermissionSet: mutingPermissionSet)
            }
        }
    }

    private func compile(_ grants: PermissionGrants, isMuting: Bool) -> CompiledGrants {
        CompiledGrants(
            grants.coveringCompoundComponents(componentsByCompound), layout: layout, isMuting: isMuting)
    }

    // MARK: Lookups

    func object(_ name: String) -> Int? { objectIndex[name] ?? objectIndexFolded[name.lowercased()] }

    func field(_ object: Int, _ name: String) -> Int? {
        if let f = fieldIndex[object][name] { return f }
        let lower = name.lowercased()
        return fields[object].firstIndex { $0.name.lowercased() == lower }
    }

    func bit(_ words: [UInt64], object: Int, field: Int) -> Bool {
        words[wordOffset[object] + field >> 6] & (1 << UInt64(field & 63)) != 0
    }

    /// `Read Accounts`-style plural label of an object, for `LIC-7` messages.
    func pluralLabel(_ object: Int) -> String {
        let type = objectTypes[object]
        if let plural = type.pluralLabel, !plural.isEmpty { return plural }
        if let label = type.label, !label.isEmpty { return label + "s" }
        return type.name + "s"
    }
}
