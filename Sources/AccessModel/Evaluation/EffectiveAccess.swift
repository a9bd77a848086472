import Foundation

/// The effective access of one `SourceKey`: computed once, shared by every user with that key.
///
/// Object access is dense (one byte per object). Field grants are the profile's (shared, not copied) plus
/// the union of the other sources' grants, kept only for readable objects they touch; a question about one
/// field is a few bit tests, and the per-field constants (always readable, writable type, …) come from
/// `CompiledOrg`.
final class EffectiveAccess: Sendable {
    let key: SourceKey
    /// `nil` when the licence is unknown to the org (treated as unrestricted).
    let license: UserLicense?
    let sources: [ResolvedSource]
    let invalid: [InvalidEntry]
    /// Sources that exist but whose assignment is invalid: used only to explain what they would grant.
    let invalidSources: [(source: ResolvedSource, entry: InvalidEntry)]
    /// Effective permission set licences: assigned ones plus those a PSL-bound permission set brings (`LIC-8`).
    let permissionSetLicenses: [String]
    let notes: [String]
    /// Objects the licence ∪ permission set licences allow (`LIC-4`, `LIC-5`, `LIC-9`).
    let allowed: [UInt64]
    /// Final object access, by object index.
    let access: [ObjectAccess]
    /// Held user permissions, including licence-locked and implied ones (`OBJ-4`).
    let userPermissions: Set<String>
    let viewEncryptedData: Bool
    /// The valid profile's field grants (shared with every user of the profile, never copied).
    let profileFields: [FieldEntry]
    /// Readable objects some other source has field permissions on (sorted), where their words start, and
    /// the union of those sources' field grants (`FLS-3`): read (including edit, `FLS-2`) and edit.
    let storedObjects: [Int32]
    let fieldStart: [Int32]
    let grantRead: [UInt64]
    let grantEdit: [UInt64]
    /// Set when only one object was computed (reverse lookups); other objects read as empty.
    let only: Int?

    /// Computes the access of `key`; with `only`, just that object (for reverse lookups).
    init(key: SourceKey, compiled org: CompiledOrg, only: Int? = nil) {
        self.only = only
        self.key = key
        var notes: [String] = []
        let license = org.org.userLicenses[key.license]
        self.license = license
        if license == nil {
            notes.append(
                "The user license \(key.license) is unknown to the org; it is treated as unrestricted.")
        }

        var sources: [ResolvedSource] = []
        var invalid: [InvalidEntry] = []
        var invalidSources: [(ResolvedSource, InvalidEntry)] = []

        // The profile (LIC-1: the integration profile needs the Salesforce Integration licence).
        if let profile = org.org.profiles[key.profile] {
            let isIntegrationLicense = license?.isIntegration ?? (key.license == "Salesforce Integration")
            var problem: InvalidEntry?
            if profile.isIntegrationProfile && !isIntegrationLicense {
                problem = InvalidEntry(
                    kind: .profile, name: key.profile, rule: "LIC-1",
                    detail:
                        "The profile \(key.profile) requires the Salesforce Integration user license; the user has \(key.license)."
                )
            } else if let license, !license.profiles.isEmpty,
                !license.profiles.contains(key.profile),
                !(profile.isIntegrationProfile
                    && !license.profiles.isDisjoint(with: Profile.integrationProfileNames))
            {
                problem = InvalidEntry(
                    kind: .profile, name: key.profile, rule: "LIC-1",
                    detail: "The user license \(key.license) doesn't allow the profile \(key.profile).")
            }
            if let problem {
                invalid.append(problem)
                invalidSources.append((.profile(key.profile), problem))
            } else {
                sources.append(.profile(key.profile))
                if let declared = profile.userLicense, declared != key.license {
                    notes.append(
                        "The profile \(key.profile) is declared for the user license \(declared), but the user has \(key.license)."
                    )
                }
            }
        } else {
            notes.append("The profile \(key.profile) is not in the org; it grants nothing.")
        }

        // Permission set licences the user holds, and those PSL-bound permission sets bring (LIC-8).
        var held = Set(key.permissionSetLicenses)
        for psl in key.permissionSetLicenses where org.org.permissionSetLicenses[psl] == nil {
            notes.append(
                "The permission set license \(psl) is unknown to the org; it is treated as unrestricted.")
        }
        var pending: [String] = []
        for name in key.permissionSets {
            guard let set = org.org.permissionSets[name] else {
                notes.append("The permission set \(name) is not in the org; it grants nothing.")
                continue
            }
            switch Licensing.binding(of: set, userLicense: key.license, org: org.org) {
            case .independent, .userLicense:
                pending.append(name)
            case .otherUserLicense(let bound):
                let entry = InvalidEntry(
                    kind: .permissionSet, name: name, rule: "LIC-6",
                    detail:
                        "The permission set is bound to the user license \(bound), but the user has \(key.license)."
                )
                invalid.append(entry)
                invalidSources.append((.permissionSet(name), entry))
            case .permissionSetLicense(let psl):
                if let detail = Licensing.pslUnavailable(psl, userLicense: key.license, org: org.org) {
                    let entry = InvalidEntry(kind: .permissionSet, name: name, rule: "LIC-8", detail: detail)
                    invalid.append(entry)
                    invalidSources.append((.permissionSet(name), entry))
                } else {
                    held.insert(psl)
                    pending.append(name)
                }
            case .unknown(let bound):
                notes.append(
                    "The license \(bound) of permission set \(name) is unknown to the org; it is treated as unrestricted."
                )
                pending.append(name)
            }
        }

        let ceiling = Licensing(license: license, held: held, compiled: org)
        for name in pending {
            let set = org.org.permissionSets[name]!
            if let (rule, detail) = ceiling.refusal(of: set, compiled: org.permissionSet(name)!, org: org) {
                let entry = InvalidEntry(kind: .permissionSet, name: name, rule: rule, detail: detail)
                invalid.append(entry)
                invalidSources.append((.permissionSet(name), entry))
                if case .permissionSetLicense(let psl) = Licensing.binding(
                    of: set, userLicense: key.license, org: org.org),
                    !key.permissionSetLicenses.contains(psl)
                {
                    held.remove(psl)
                }
            } else {
                sources.append(.permissionSet(name))
            }
        }

        // Groups: every member must be assignable with the PSLs the user already holds (PSG-7).
        for name in key.groups {
            guard let group = org.group(name) else {
                notes.append("The permission set group \(name) is not in the org; it grants nothing.")
                continue
            }
            for member in group.missingMembers {
                notes.append(
                    "The permission set \(member) of group \(name) is not in the org; it grants nothing.")
            }
            if group.mutingMissing, let muting = group.muting {
                notes.append(
                    "The muting permission set \(muting) of group \(name) is not in the org; nothing is muted."
                )
            }
            var problem: InvalidEntry?
            for member in group.members {
                let set = org.org.permissionSets[member]!
                switch Licensing.binding(of: set, userLicense: key.license, org: org.org) {
                case .independent, .userLicense:
                    if let (_, detail) = ceiling.refusal(
                        of: set, compiled: org.permissionSet(member)!, org: org)
                    {
                        problem = InvalidEntry(
                            kind: .permissionSetGroup, name: name, rule: "PSG-7",
                            detail: "Its permission set \(member) can't be assigned: \(detail)")
                    }
                case .otherUserLicense(let bound):
                    problem = InvalidEntry(
                        kind: .permissionSetGroup, name: name, rule: "LIC-6",
                        detail:
                            "Its permission set \(member) is bound to the user license \(bound), but the user has \(key.license)."
                    )
                case .permissionSetLicense(let psl):
                    if !held.contains(psl) {
                        problem = InvalidEntry(
                            kind: .permissionSetGroup, name: name, rule: "PSG-7",
                            detail:
                                "Its permission set \(member) requires the permission set license \(psl). Before continuing, assign the user to the related permission set license."
                        )
                    } else if let (_, detail) = ceiling.refusal(
                        of: set, compiled: org.permissionSet(member)!, org: org)
                    {
                        problem = InvalidEntry(
                            kind: .permissionSetGroup, name: name, rule: "PSG-7",
                            detail: "Its permission set \(member) can't be assigned: \(detail)")
                    }
                case .unknown(let bound):
                    notes.append(
                        "The license \(bound) of permission set \(member) is unknown to the org; it is treated as unrestricted."
                    )
                }
                if problem != nil { break }
            }
            if let problem {
                invalid.append(problem)
                invalidSources.append((.group(name), problem))
            } else {
                sources.append(.group(name))
            }
        }

        self.sources = sources
        self.invalid = invalid
        self.invalidSources = invalidSources
        self.permissionSetLicenses = held.sorted()
        self.notes = notes
        let allowed = Licensing(license: license, held: held, compiled: org).allowed
        self.allowed = allowed

        // Union over sources (FLS-3, PSG-4).
        let n = org.objectNames.count
        var dense = [ObjectAccess](repeating: [], count: n)
        var userPermissions: Set<String> = []
        let wordOffset = org.wordOffset
        var fieldRead: [UInt64] = []
        var fieldEdit: [UInt64] = []
        var touched: [Bool] = []
        if only == nil {
            fieldRead = [UInt64](repeating: 0, count: org.totalWords)
            fieldEdit = fieldRead
            touched = [Bool](repeating: false, count: n)
        }
        var onlyRead: [UInt64] = []
        var onlyEdit: [UInt64] = []
        if let only {
            onlyRead = [UInt64](repeating: 0, count: org.wordCount[only])
            onlyEdit = onlyRead
        }
        var profileFields: CompiledGrants?
        for source in sources {
            let grants = EffectiveAccess.grants(of: source, compiled: org)
            userPermissions.formUnion(grants.userPermissions)
            // The profile's field grants are not copied: every user of the profile shares them.
            let isProfile: Bool
            if case .profile = source {
                isProfile = true
                profileFields = grants
            } else {
                isProfile = false
            }
            if let only {
                dense[only].formUnion(grants.access(only))
                if !isProfile, let entry = grants.fieldEntry(only) {
                    for w in entry.read.indices {
                        onlyRead[w] |= entry.read[w]
                        onlyEdit[w] |= entry.edit[w]
                    }
                }
                continue
            }
            for entry in grants.objects { dense[Int(entry.object)].formUnion(entry.access) }
            if isProfile { continue }
            for entry in grants.fields {
                let o = Int(entry.object)
                touched[o] = true
                let base = wordOffset[o]
                let read = entry.read
                let edit = entry.edit
                for w in read.indices {
                    fieldRead[base + w] |= read[w]
                    fieldEdit[base + w] |= edit[w]
                }
            }
        }
        if let license { userPermissions.formUnion(license.lockedUserPermissions) }
        if sources.contains(.profile(key.profile)),
            org.org.profiles[key.profile]?.isIntegrationProfile == true
        {
            userPermissions.formUnion(Licensing.integrationProfileLocked)
        }
        let mad = userPermissions.contains("ModifyAllData")
        if mad { userPermissions.insert("ViewAllData") }
        let vad = userPermissions.contains("ViewAllData")
        self.userPermissions = userPermissions
        viewEncryptedData = userPermissions.contains("ViewEncryptedData")

        // OBJ-4, OBJ-5 expansion, then the licence cap (LIC-4, LIC-5). Field grants are kept only for
        // readable objects some source has field permissions on; the rest follows from per-field constants.
        var expansion: ObjectAccess = []
        if mad {
            // OBJ-4: all CRUD, View All and Modify All; not View All Fields (OBJ-7: no FLS bypass).
            expansion = EffectiveAccess.modifyAllDataAccess
        } else if vad {
            expansion = [.read, .viewAllRecords]
        }
        var stored: [Int32] = []
        var starts: [Int32] = []
        var readWords: [UInt64] = []
        var editWords: [UInt64] = []
        if let only {
            dense[only] = EffectiveAccess.capped(dense[only], expansion, allowed, only)
            if dense[only].contains(.read) {
                stored = [Int32(only)]
                starts = [0]
                readWords = onlyRead
                editWords = onlyEdit
            }
        } else {
            let wordCount = org.wordCount
            for o in 0..<n {
                let a = EffectiveAccess.capped(dense[o], expansion, allowed, o)
                dense[o] = a
                guard touched[o], a.contains(.read) else { continue }
                stored.append(Int32(o))
                starts.append(Int32(readWords.count))
                let base = wordOffset[o]
                for w in 0..<wordCount[o] {
                    readWords.append(fieldRead[base + w])
                    editWords.append(fieldEdit[base + w])
                }
            }
        }
        access = dense
        self.profileFields = profileFields?.fields ?? []
        storedObjects = stored
        fieldStart = starts
        grantRead = readWords
        grantEdit = editWords
    }

    /// OBJ-4 / OBJ-5 expansion, then the licence cap (LIC-4, LIC-5, LIC-9).
    @inline(__always)
    private static func capped(
        _ access: ObjectAccess, _ expansion: ObjectAccess, _ allowed: [UInt64], _ o: Int
    )
        -> ObjectAccess
    {
        allowed[o >> 6] & (1 << UInt64(o & 63)) == 0 ? [] : access.union(expansion)
    }

    static let modifyAllDataAccess: ObjectAccess = [
        .read, .create, .edit, .delete, .viewAllRecords, .modifyAllRecords,
    ]

    static func grants(of source: ResolvedSource, compiled org: CompiledOrg) -> CompiledGrants {
        switch source {
        case .profile(let name): org.profile(name)!
        case .permissionSet(let name): org.permissionSet(name)!
        case .group(let name): org.group(name)!.effective
        }
    }

    // MARK: Queries

    func isAllowed(_ object: Int) -> Bool { allowed[object >> 6] & (1 << UInt64(object & 63)) != 0 }

    private func profileEntry(_ object: Int) -> FieldEntry? {
        var low = 0
        var high = profileFields.count
        while low < high {
            let mid = (low + high) / 2
            let value = Int(profileFields[mid].object)
            if value == object { return profileFields[mid] }
            if value < object { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    /// Where the stored field grants of `object` start, if any source has field permissions on it.
    private func start(_ object: Int) -> Int? {
        var low = 0
        var high = storedObjects.count
        let target = Int32(object)
        while low < high {
            let mid = (low + high) / 2
            let value = storedObjects[mid]
            if value == target { return Int(fieldStart[mid]) }
            if value < target { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    /// Readable fields of `object` as words: `objRead ∧ (fieldRead ∨ ViewAllFields ∨ alwaysReadable)` (`§0.4`).
    func readable(_ object: Int, compiled org: CompiledOrg) -> [UInt64] {
        let a = access[object]
        let base = org.wordOffset[object]
        let count = org.wordCount[object]
        guard a.contains(.read) else { return [UInt64](repeating: 0, count: count) }
        if a.contains(.viewAllFields) { return Array(org.allFieldsMask[base..<base + count]) }
        var words = Array(org.alwaysReadable[base..<base + count])
        if let start = start(object) {
            for w in 0..<count { words[w] |= grantRead[start + w] }
        }
        if let entry = profileEntry(object) {
            for w in 0..<count { words[w] |= entry.read[w] }
        }
        return words
    }

    /// Editable fields of `object` as words: readable ∧ (fieldEdit ∨ editable without FLS) ∧ writable type
    /// ∧ (Create ∨ Edit) (`§0.4`).
    func editable(_ object: Int, compiled org: CompiledOrg) -> [UInt64] {
        var words = readable(object, compiled: org)
        let base = org.wordOffset[object]
        let canWrite = !access[object].isDisjoint(with: [.create, .edit])
        let start = start(object)
        let profile = profileEntry(object)
        for w in words.indices {
            let grant = (start.map { grantEdit[$0 + w] } ?? 0) | (profile?.edit[w] ?? 0)
            words[w] =
                canWrite
                ? words[w] & (grant | org.editableWithoutFLS[base + w]) & org.writableType[base + w] : 0
        }
        return words
    }

    func canRead(_ o: Int, _ f: Int, compiled org: CompiledOrg) -> Bool {
        let a = access[o]
        guard a.contains(.read) else { return false }
        if a.contains(.viewAllFields) || org.bit(org.alwaysReadable, object: o, field: f) { return true }
        if let entry = profileEntry(o), entry.reads(f) { return true }
        guard let start = start(o) else { return false }
        return grantRead[start + f >> 6] & (1 << UInt64(f & 63)) != 0
    }

    func canEdit(_ o: Int, _ f: Int, compiled org: CompiledOrg) -> Bool {
        guard canRead(o, f, compiled: org), !access[o].isDisjoint(with: [.create, .edit]),
            org.bit(org.writableType, object: o, field: f)
        else { return false }
        if org.bit(org.editableWithoutFLS, object: o, field: f) { return true }
        if let entry = profileEntry(o), entry.edits(f) { return true }
        guard let start = start(o) else { return false }
        return grantEdit[start + f >> 6] & (1 << UInt64(f & 63)) != 0
    }

    /// Readable, Classic encrypted, and no View Encrypted Data (`CLS-9`).
    func isMasked(_ o: Int, _ f: Int, compiled org: CompiledOrg) -> Bool {
        !viewEncryptedData && org.bit(org.classicEncrypted, object: o, field: f)
            && canRead(o, f, compiled: org)
    }

    /// Indices of the set bits of `words`.
    static func indices(_ words: [UInt64]) -> [Int] {
        var result: [Int] = []
        for (w, word) in words.enumerated() {
            var bits = word
            while bits != 0 {
                result.append(w * 64 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        return result
    }

    /// Objects with Read, by index.
    var readableObjectIndices: [Int] { access.indices.filter { access[$0].contains(.read) } }
}
