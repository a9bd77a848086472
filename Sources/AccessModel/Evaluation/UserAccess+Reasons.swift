/// Decisions with reasons. Every reason is derived from the same compiled sources that produced the bits
/// in `EffectiveAccess`: a source is named as granting exactly when its bits are set.
extension UserAccess {
    /// One source's contribution: a profile, a direct permission set, or one member of a group.
    struct Contribution {
        let id: String
        let grants: CompiledGrants
        /// Set for a group member: the group, whose effective grants say what survives muting.
        let group: CompiledGroup?
        let isProfile: Bool

        func grants(_ permission: ObjectAccess, on o: Int) -> Bool {
            grants.access(o).contains(permission) && (group?.effective.access(o).contains(permission) ?? true)
        }
        func mutes(_ permission: ObjectAccess, on o: Int) -> Bool {
            group != nil && grants.access(o).contains(permission)
                && !group!.effective.access(o).contains(permission)
        }
        func readsField(_ o: Int, _ f: Int) -> Bool {
            grants.reads(object: o, field: f) && (group?.effective.reads(object: o, field: f) ?? true)
        }
        func editsField(_ o: Int, _ f: Int) -> Bool {
            grants.edits(object: o, field: f) && (group?.effective.edits(object: o, field: f) ?? true)
        }
        func mutesRead(_ o: Int, _ f: Int) -> Bool {
            group != nil && grants.reads(object: o, field: f) && !group!.effective.reads(object: o, field: f)
        }
        func mutesEdit(_ o: Int, _ f: Int) -> Bool {
            group != nil && grants.edits(object: o, field: f) && !group!.effective.edits(object: o, field: f)
        }
        func holds(_ permission: String) -> Bool {
            grants.userPermissions.contains(permission)
                && (group?.effective.userPermissions.contains(permission) ?? true)
        }
        func mutes(_ permission: String) -> Bool {
            group != nil && grants.userPermissions.contains(permission)
                && !group!.effective.userPermissions.contains(permission)
        }
        var mutedBy: String? { group.map { PermissionSource.mutedBy(group: $0.name) } }
        var mutingSet: String { group?.muting ?? "" }
    }

    static func contributions(of sources: [ResolvedSource], compiled: CompiledOrg) -> [Contribution] {
        var result: [Contribution] = []
        for source in sources {
            switch source {
            case .profile(let name):
                result.append(
                    Contribution(id: source.id, grants: compiled.profile(name)!, group: nil, isProfile: true)
                )
            case .permissionSet(let name):
                result.append(
                    Contribution(
                        id: source.id, grants: compiled.permissionSet(name)!, group: nil, isProfile: false))
            case .group(let name):
                let group = compiled.group(name)!
                for member in group.members {
                    result.append(
                        Contribution(
                            id: PermissionSource.member(group: name, permissionSet: member),
                            grants: compiled.permissionSet(member)!, group: group, isProfile: false))
                }
            }
        }
        return result
    }

    var contributions: [Contribution] { Self.contributions(of: effective.sources, compiled: compiled) }

    var licenseSource: String { PermissionSource.license(user.license) }

    // MARK: System permissions

    /// Every user permission the user holds, with its sources, sorted by name.
    public var systemPermissions: [SystemPermissionGrant] {
        effective.userPermissions.sorted().map { systemPermission($0)! }
    }

    /// One held user permission with its sources and reasons; `nil` when not held.
    public func systemPermission(_ name: String) -> SystemPermissionGrant? {
        guard effective.userPermissions.contains(name) else { return nil }
        let contributions = self.contributions
        var sources: [String] = []
        var reasons: [Reason] = []
        for c in contributions where c.holds(name) {
            sources.append(c.id)
            reasons.append(
                Reason(.grantedBy, source: c.id, permission: name, message: "\(c.id) enables \(name)."))
        }
        if let license = effective.license, license.lockedUserPermissions.contains(name) {
            sources.append(licenseSource)
            reasons.append(
                Reason(
                    .lockedByLicense, source: licenseSource, permission: name, rule: "LIC-3",
                    message: "The user license \(license.name) turns \(name) on and locks it."))
        }
        if Licensing.integrationProfileLocked.contains(name),
            effective.sources.contains(.profile(user.profile)),
            compiled.org.profiles[user.profile]?.isIntegrationProfile == true
        {
            let id = PermissionSource.id(.profile, user.profile)
            if !sources.contains(id) { sources.append(id) }
            reasons.append(
                Reason(
                    .lockedByLicense, source: id, permission: name, rule: "LIC-3",
                    message:
                        "The integration profile \(user.profile) has \(name) on and it cannot be turned off.")
            )
        }
        if name == "ViewAllData", effective.userPermissions.contains("ModifyAllData") {
            for c in contributions where c.holds("ModifyAllData") {
                if !sources.contains(c.id) { sources.append(c.id) }
                reasons.append(
                    Reason(
                        .systemPermission, source: c.id, permission: name, rule: "OBJ-4",
                        message: "Modify All Data from \(c.id) implies View All Data."))
            }
        }
        for c in contributions where c.mutes(name) {
            reasons.append(
                Reason(
                    .mutedBy, source: c.mutedBy, permission: name, rule: "PSG-3",
                    message:
                        "Muting permission set \(c.mutingSet) mutes \(name) from \(c.id) within its group; it is still held from another source."
                ))
        }
        return SystemPermissionGrant(name: name, sources: sources, reasons: reasons)
    }

    /// Sources of View All Data / Modify All Data, for expansion reasons.
    private func sources(ofSystemPermission name: String, contributions: [Contribution]) -> [String] {
        var result = contributions.filter { $0.holds(name) }.map(\.id)
        if let license = effective.license, license.lockedUserPermissions.contains(name) {
            result.append(licenseSource)
        }
        return result
    }

    // MARK: Objects

    /// One object: its access, the sources granting it, and reasons (never empty). With `includeFields`,
    /// a decision for every field of the object.
    public func objectDecision(_ object: String, includeFields: Bool = true) -> ObjectDecision {
        guard let o = compiled.object(object) else {
            return ObjectDecision(
                object: object, access: [], sources: [],
                reasons: [
                    Reason(
                        .unknownObject,
                        message:
                            "\(object) is not an object of this org.\(Suggestion.hint(for: object, in: compiled.objectNames))"
                    )
                ])
        }
        let name = compiled.objectNames[o]
        let (sources, reasons) = objectReasons(o)
        var fields: [FieldDecision] = []
        if includeFields {
            let contributions = self.contributions
            fields = compiled.fields[o].indices.map { fieldDecision(o, $0, contributions: contributions) }
        }
        return ObjectDecision(
            object: name, access: effective.access[o], sources: sources, reasons: reasons, fields: fields)
    }

    /// Decisions for every object the user has access to, plus objects some source grants but the licence
    /// caps, muting removes, or an invalid assignment would have granted. Sorted by object name.
    public func objectDecisions(includeFields: Bool = true) -> [ObjectDecision] {
        var indices = Set(effective.readableObjectIndices)
        for c in contributions { for entry in c.grants.objects { indices.insert(Int(entry.object)) } }
        for (source, _) in effective.invalidSources {
            for entry in EffectiveAccess.grants(of: source, compiled: compiled).objects {
                indices.insert(Int(entry.object))
            }
        }
        return indices.sorted().map { objectDecision(compiled.objectNames[$0], includeFields: includeFields) }
    }

    static let permissionOrder: [ObjectAccess] = [
        .read, .create, .edit, .delete, .viewAllRecords, .modifyAllRecords, .viewAllFields,
    ]

    static func label(_ permission: ObjectAccess) -> String {
        ObjectAccess.named.first { $0.permission == permission }?.label ?? permission.description
    }

    func objectReasons(_ o: Int) -> (sources: [String], reasons: [Reason]) {
        let name = compiled.objectNames[o]
        let access = effective.access[o]
        let contributions = self.contributions
        let allowed = effective.isAllowed(o)
        let mad = effective.userPermissions.contains("ModifyAllData")
        let vad = effective.userPermissions.contains("ViewAllData")
        let madSources = mad ? sources(ofSystemPermission: "ModifyAllData", contributions: contributions) : []
        let vadSources =
            vad ? sources(ofSystemPermission: "ViewAllData", contributions: contributions) + madSources : []
        var sources: [String] = []
        var reasons: [Reason] = []
        var cappedGrants: [String] = []
        var missing: [ObjectAccess] = []

        for permission in Self.permissionOrder {
            let label = Self.label(permission)
            let grantors = contributions.filter { $0.grants(permission, on: o) }
            var systemSources: [String] = []
            if mad, EffectiveAccess.modifyAllDataAccess.contains(permission) {
                systemSources = madSources
            } else if vad, permission == .read || permission == .viewAllRecords {
                systemSources = vadSources
            }
            if access.contains(permission) {
                for c in grantors {
                    if !sources.contains(c.id) { sources.append(c.id) }
                    reasons.append(
                        Reason(
                            .grantedBy, source: c.id, permission: label, rule: "OBJ-1",
                            message: "\(c.id) grants \(label) on \(name)."))
                }
                for s in systemSources {
                    if !sources.contains(s) { sources.append(s) }
                    let which = mad ? "Modify All Data" : "View All Data"
                    reasons.append(
                        Reason(
                            .systemPermission, source: s, permission: label, rule: mad ? "OBJ-4" : "OBJ-5",
                            message:
                                "\(which) from \(s) grants \(label) on every object the license allows, \(name) included."
                        ))
                }
            } else if !grantors.isEmpty || !systemSources.isEmpty {
                if !allowed { cappedGrants.append(label) }
            } else {
                missing.append(permission)
            }
            for c in contributions where c.mutes(permission, on: o) {
                let direct =
                    c.group.flatMap { compiled.mutingPermissionSet($0.muting ?? "") }?.access(o)
                    .contains(permission) ?? false
                let how =
                    direct
                    ? "mutes \(label) on \(name)"
                    : "removes \(label) on \(name) because a permission it depends on is muted (PSG-5, assumed)"
                let still =
                    access.contains(permission) ? "; it is still granted by another source (PSG-3)" : ""
                reasons.append(
                    Reason(
                        .mutedBy, source: c.mutedBy, permission: label, rule: direct ? "PSG-3" : "PSG-5",
                        message: "Muting permission set \(c.mutingSet) \(how), granted by \(c.id)\(still)."))
            }
        }
        if !cappedGrants.isEmpty {
            reasons.append(
                Reason(
                    .licenseCap, source: licenseSource, permission: cappedGrants.first, rule: "LIC-4",
                    message: capMessage(o, granted: cappedGrants)))
        }
        if !access.isEmpty, effective.license == nil {
            reasons.append(
                Reason(
                    .unknownLicense, source: licenseSource,
                    message:
                        "The user license \(user.license) is unknown to the org; it is treated as allowing \(name)."
                ))
        }
        // What is missing: only Read when nothing is readable; otherwise each missing permission.
        let explainMissing = access.contains(.read) ? missing : missing.filter { $0 == .read }
        for permission in explainMissing {
            let label = Self.label(permission)
            reasons.append(
                Reason(
                    .notGranted, permission: label, rule: "OBJ-1",
                    message: "No profile or permission set grants \(label) on \(name)."))
        }
        for (source, entry) in effective.invalidSources {
            let grants = EffectiveAccess.grants(of: source, compiled: compiled)
            let would = grants.access(o).subtracting(access)
            guard !would.isEmpty else { continue }
            reasons.append(
                Reason(
                    .invalidAssignment, source: source.id,
                    permission: Self.label(Self.permissionOrder.first { would.contains($0) }!),
                    rule: entry.rule,
                    message:
                        "\(source.id) would grant \(would) on \(name), but its assignment is invalid: \(entry.assignment(user: displayName).message)"
                ))
        }
        if reasons.isEmpty {
            reasons.append(
                Reason(
                    .notGranted, permission: "Read",
                    message: "No profile or permission set grants Read on \(name)."))
        }
        return (sources, reasons)
    }

    private func capMessage(_ o: Int, granted: [String]) -> String {
        let name = compiled.objectNames[o]
        let psls = effective.permissionSetLicenses
        let held = psls.isEmpty ? "" : " or the permission set licenses \(psls.joined(separator: ", "))"
        if let required = compiled.objectTypes[o].requiredPermissionSetLicense, !psls.contains(required) {
            return
                "\(name) requires the permission set license \(required), which the user doesn't have; \(granted.joined(separator: ", ")) granted on it has no effect (LIC-9)."
        }
        return
            "The user license \(user.license)\(held) doesn't allow \(name); \(granted.joined(separator: ", ")) granted on it has no effect (LIC-4, LIC-5)."
    }

    // MARK: Fields

    /// One field with its whole reason tree: read, edit and masking.
    public func fieldDecision(object: String, field: String) -> FieldDecision {
        guard let o = compiled.object(object) else {
            return FieldDecision(
                object: object, field: field, read: false, edit: false, masked: false,
                reasons: [
                    Reason(
                        .unknownObject,
                        message:
                            "\(object) is not an object of this org.\(Suggestion.hint(for: object, in: compiled.objectNames))"
                    )
                ])
        }
        guard let f = compiled.field(o, field) else {
            let name = compiled.objectNames[o]
            return FieldDecision(
                object: name, field: field, read: false, edit: false, masked: false,
                reasons: [
                    Reason(
                        .unknownField,
                        message:
                            "\(name) has no field \(field).\(Suggestion.hint(for: field, in: compiled.fields[o].map(\.name)))"
                    )
                ])
        }
        return fieldDecision(o, f, contributions: contributions)
    }

    func fieldDecision(_ o: Int, _ f: Int, contributions: [Contribution]) -> FieldDecision {
        let objectName = compiled.objectNames[o]
        let field = compiled.fields[o][f]
        let path = FieldPath.key(object: objectName, field: field.name)
        let access = effective.access[o]
        let read = effective.canRead(o, f, compiled: compiled)
        let edit = effective.canEdit(o, f, compiled: compiled)
        let masked = effective.isMasked(o, f, compiled: compiled)
        let vad = effective.userPermissions.contains("ViewAllData")
        let profileContribution = contributions.first { $0.isProfile }
        let profileLatent = profileContribution.map { profileIsLatent(on: o, $0) } ?? false
        var reasons: [Reason] = []

        if !access.contains(.read) {
            let readers = contributions.filter { $0.readsField(o, f) }
            let ineffective = readers.filter { !($0.isProfile && profileLatent) }.map(\.id)
            let note =
                ineffective.isEmpty
                ? ""
                : " The field permission from \(ineffective.joined(separator: ", ")) has no effect without it."
            reasons.append(
                Reason(
                    .noObjectRead, permission: "Read", rule: "FLS-4",
                    message: "\(objectName) is not readable, so none of its fields are.\(note)"))
            reasons += objectReasons(o).reasons.filter { $0.permission == "Read" && $0.kind != .grantedBy }
            if readers.isEmpty {
                reasons.append(
                    Reason(
                        .notGranted, permission: "Read", rule: "FLS-1",
                        message: "No profile or permission set grants Read on \(path)."))
            }
            if let p = profileContribution, profileLatent, p.readsField(o, f) {
                reasons.append(
                    Reason(
                        .latentNotWoken, source: p.id, permission: "Read", rule: "FLS-5",
                        message:
                            "\(p.id) has a field permission on \(path), but it is latent: the profile grants no Read on \(objectName) and nothing else does."
                    ))
            }
            return FieldDecision(
                object: objectName, field: field.name, read: false, edit: false, masked: false,
                classification: field.classification, reasons: reasons)
        }

        // Read.
        let wokenBy = readSources(o, contributions: contributions, excludingProfile: true)
        for c in contributions where c.readsField(o, f) {
            if c.isProfile && profileLatent {
                reasons.append(
                    latentReason(c, path: path, objectName: objectName, permission: "Read", wokenBy: wokenBy))
            } else {
                reasons.append(
                    Reason(
                        .grantedBy, source: c.id, permission: "Read", rule: "FLS-3",
                        message: "\(c.id) grants Read on \(path)."))
            }
        }
        if access.contains(.viewAllFields) {
            for s in contributions.filter({ $0.grants(.viewAllFields, on: o) }).map(\.id) {
                reasons.append(
                    Reason(
                        .viewAllFields, source: s, permission: "Read", rule: "OBJ-3",
                        message: "\(s) grants View All Fields on \(objectName): every field is readable."))
            }
        }
        if field.isAlwaysReadable {
            reasons.append(
                Reason(
                    .alwaysReadable, permission: "Read", rule: "FLS-6",
                    message:
                        "\(path) is \(alwaysReadableWhy(field)); it is readable whenever \(objectName) is."))
        }
        for c in contributions where c.mutesRead(o, f) {
            let still = read ? "; it is still readable through another source (PSG-3)" : ""
            reasons.append(
                Reason(
                    .mutedBy, source: c.mutedBy, permission: "Read", rule: "PSG-3",
                    message:
                        "Muting permission set \(c.mutingSet) mutes Read on \(path) granted by \(c.id)\(still)."
                ))
        }
        if read {
            // PSG-3 (T02c): a group's muting set that mutes this field but has nothing of its own group to
            // remove cannot touch what the profile or other sources grant.
            for source in effective.sources {
                guard case .group(let name) = source, let group = compiled.group(name),
                    let muting = group.muting, let mute = compiled.mutingPermissionSet(muting),
                    mute.reads(object: o, field: f),
                    !group.members.contains(where: {
                        compiled.permissionSet($0)?.reads(object: o, field: f) ?? false
                    })
                else { continue }
                reasons.append(
                    Reason(
                        .mutedBy, source: PermissionSource.mutedBy(group: name), permission: "Read",
                        rule: "PSG-3",
                        message:
                            "Muting permission set \(muting) of group \(name) mutes Read on \(path), but muting only removes what its own group grants; the field stays readable through another source (PSG-3)."
                    ))
            }
        }
        if !read {
            let vadNote = vad ? " View All Data does not grant field access." : ""
            reasons.append(
                Reason(
                    .notGranted, permission: "Read", rule: "FLS-1",
                    message: "No profile or permission set grants Read on \(path).\(vadNote)"))
            if vad {
                reasons.append(
                    Reason(
                        .viewAllDataIgnoresFLS, permission: "Read", rule: "OBJ-7",
                        message: "View All Data and Modify All Data do not bypass field-level security."))
            }
            for (source, entry) in effective.invalidSources
            where EffectiveAccess.grants(of: source, compiled: compiled).reads(object: o, field: f) {
                reasons.append(
                    Reason(
                        .invalidAssignment, source: source.id, permission: "Read", rule: entry.rule,
                        message:
                            "\(source.id) would grant Read on \(path), but its assignment is invalid: \(entry.assignment(user: displayName).message)"
                    ))
            }
            return FieldDecision(
                object: objectName, field: field.name, read: false, edit: false, masked: false,
                classification: field.classification, reasons: reasons)
        }

        // Edit.
        if !field.isWritableType {
            reasons.append(
                Reason(
                    .notWritableType, permission: "Edit", rule: "FLS-7",
                    message: "\(path) is \(notWritableWhy(field)); no one can write it."))
        } else if access.isDisjoint(with: [.create, .edit]) {
            reasons.append(
                Reason(
                    .noObjectCreateOrEdit, permission: "Edit", rule: "FLS-4",
                    message: "Nothing grants Create or Edit on \(objectName), so \(path) is not editable."))
        } else {
            for c in contributions where c.editsField(o, f) {
                if c.isProfile && profileLatent {
                    reasons.append(
                        latentReason(
                            c, path: path, objectName: objectName, permission: "Edit", wokenBy: wokenBy))
                } else {
                    reasons.append(
                        Reason(
                            .grantedBy, source: c.id, permission: "Edit", rule: "FLS-3",
                            message: "\(c.id) grants Edit on \(path)."))
                }
            }
            if field.isEditableWithoutFLS {
                reasons.append(
                    Reason(
                        .alwaysEditable, permission: "Edit", rule: "FLS-6",
                        message:
                            "\(path) is required; it is editable whenever \(objectName) can be created or edited."
                    ))
            }
            for c in contributions where c.mutesEdit(o, f) {
                let still = edit ? "; it is still editable through another source (PSG-3)" : ""
                reasons.append(
                    Reason(
                        .mutedBy, source: c.mutedBy, permission: "Edit", rule: "PSG-3",
                        message:
                            "Muting permission set \(c.mutingSet) mutes Edit on \(path) granted by \(c.id)\(still)."
                    ))
            }
            if !edit {
                let vaf = access.contains(.viewAllFields) ? " View All Fields grants read only (OBJ-3)." : ""
                reasons.append(
                    Reason(
                        .notGranted, permission: "Edit", rule: "FLS-2",
                        message: "No profile or permission set grants Edit on \(path).\(vaf)"))
            }
        }

        // Encryption.
        if field.isClassicEncrypted {
            if masked {
                reasons.append(
                    Reason(
                        .maskedClassicEncryption, permission: "ViewEncryptedData", rule: "CLS-9",
                        message:
                            "\(path) uses Classic Encryption and the user lacks View Encrypted Data: the value is masked."
                    ))
            } else {
                let s = systemPermission("ViewEncryptedData")?.sources.joined(separator: ", ") ?? ""
                reasons.append(
                    Reason(
                        .viewEncryptedData, source: s.isEmpty ? nil : s, permission: "ViewEncryptedData",
                        rule: "CLS-9",
                        message:
                            "\(path) uses Classic Encryption; View Encrypted Data (from \(s)) shows it in plaintext."
                    ))
            }
        }
        if let scheme = field.encryptionScheme, scheme != .none {
            reasons.append(
                Reason(
                    .shieldEncryption, rule: "CLS-7",
                    message:
                        "\(path) uses Shield Platform Encryption (\(scheme)); it does not hide a readable field."
                ))
        }
        return FieldDecision(
            object: objectName, field: field.name, read: read, edit: edit, masked: masked,
            classification: field.classification, reasons: reasons)
    }

    /// The profile's field permissions on `o` are latent when the profile itself grants no Read on `o`
    /// (neither an object permission nor View/Modify All Data) (`FLS-5`).
    private func profileIsLatent(on o: Int, _ profile: Contribution) -> Bool {
        !profile.grants.access(o).contains(.read) && !profile.grants.userPermissions.contains("ViewAllData")
            && !profile.grants.userPermissions.contains("ModifyAllData")
    }

    /// Sources whose object Read (or View/Modify All Data) makes `o` readable.
    private func readSources(_ o: Int, contributions: [Contribution], excludingProfile: Bool) -> [String] {
        var result: [String] = []
        for c in contributions where !(excludingProfile && c.isProfile) {
            if c.grants(.read, on: o) || c.holds("ViewAllData") || c.holds("ModifyAllData") {
                result.append(c.id)
            }
        }
        if let license = effective.license,
            !license.lockedUserPermissions.isDisjoint(with: ["ViewAllData", "ModifyAllData"])
        {
            result.append(licenseSource)
        }
        return result
    }

    private func latentReason(
        _ c: Contribution, path: String, objectName: String, permission: String, wokenBy: [String]
    ) -> Reason {
        let by = wokenBy.isEmpty ? "another source" : wokenBy.joined(separator: ", ")
        return Reason(
            .latentProfileFieldPermission, source: c.id, wokenBy: wokenBy.first, permission: permission,
            rule: "FLS-5",
            message:
                "\(c.id) grants \(permission) on \(path); the profile grants no Read on \(objectName), so the entry was latent until \(by) granted \(objectName) Read."
        )
    }

    private func alwaysReadableWhy(_ field: Field) -> String {
        if field.name == "Id" { return "the record Id" }
        if field.isNameField { return "the record name field" }
        if field.isAudit { return "a system audit field" }
        if field.isMasterDetail { return "a master-detail field" }
        if field.isRequired { return "a required field" }
        if field.name == "OwnerId" { return "the owner field" }
        return "not controlled by field-level security"
    }

    private func notWritableWhy(_ field: Field) -> String {
        if field.isFormula { return "a formula field" }
        if field.isRollupSummary { return "a roll-up summary field" }
        if field.isAutoNumber { return "an auto-number field" }
        if field.isAudit { return "a system audit field" }
        if field.isCompound { return "a compound field (write its components)" }
        if field.name == "Id" { return "the record Id" }
        return "computed by the platform"
    }
}
