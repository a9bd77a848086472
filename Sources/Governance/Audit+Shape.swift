import AccessModel
import Foundation

/// The findings that depend only on a user's access shape, computed once per shape. `user` is left
/// empty; `Audit.run` stamps it.
struct ShapeCheck {
    let audit: Audit
    let index: AuditIndex
    let access: UserAccess
    var findings: [Finding] = []
    var tieredReads: [TieredRead] = []

    init(audit: Audit, index: AuditIndex, access: UserAccess) {
        self.audit = audit
        self.index = index
        self.access = access
    }

    var org: Org { audit.org }
    var policy: Policy { audit.policy }
    var locator: FindingLocator { audit.locator }
    var profileID: String { PermissionSource.id(.profile, access.profile) }

    mutating func run() {
        systemPermissionFindings()
        objectFindings()
        wouldWakeFindings()
        mutingFindings()
        profilePermissionFindings()
    }

    // MARK: Locations and fix texts

    func location(_ source: String?, _ entry: FindingLocator.Entry?, _ key: String?) -> MetadataLocation? {
        guard let source else { return nil }
        return locator.locate(FindingLocator.component(ofSource: source, org: org), entry, key)
    }

    /// How to stop `source` granting Read on a field: `<readable>false</readable>` on its entry.
    func removeFieldRead(_ source: String, _ key: String, _ location: MetadataLocation?) -> String {
        let profileNote =
            source.hasPrefix("profile:") ? "; deleting the entry does not remove access on deploy" : ""
        return
            "set <readable>false</readable> and <editable>false</editable> on \(key) in \(Audit.describe(source))\(Audit.at(location))\(profileNote)"
    }

    static func classificationText(_ classification: Classification) -> String {
        let groups = classification.complianceGroups.sorted()
        var text = classification.securityClassification ?? "unclassified"
        if !groups.isEmpty { text += "; " + groups.joined(separator: ", ") }
        return text
    }

    func tierText(_ tier: Int, _ classification: Classification) -> String {
        "\(Self.classificationText(classification)), tier \(tier)"
    }

    // MARK: View All Data / Modify All Data

    mutating func systemPermissionFindings() {
        for (name, rule, label) in [
            ("ViewAllData", FindingRuleID.viewAllData, "View All Data"),
            ("ModifyAllData", FindingRuleID.modifyAllData, "Modify All Data"),
        ] {
            guard let grant = access.systemPermission(name) else { continue }
            let direct = grant.reasons.filter { $0.kind == .grantedBy || $0.kind == .lockedByLicense }
                .compactMap(\.source)
            var seen: Set<String> = []
            for source in direct where seen.insert(source).inserted {
                let location = self.location(source, .userPermissions, name)
                let what =
                    name == "ViewAllData"
                    ? "reads every record of every object the licence allows, ignoring sharing (OBJ-5)"
                    : "reads, edits and deletes every record of every object, ignoring sharing, and also gets View All Data (OBJ-4)"
                findings.append(
                    Finding(
                        rule: rule, severity: .error, user: "", source: source,
                        message:
                            "\(Audit.describe(source)) gives \(label): the integration \(what). Integrations almost never need it; field permissions still apply (OBJ-7).",
                        fix:
                            "set <enabled>false</enabled> on \(name) in \(Audit.describe(source))\(Audit.at(location)) and grant Read (with View All only where a full extract is needed) on the objects the integration uses",
                        file: location?.file, line: location?.line))
            }
        }
    }

    // MARK: Readable objects: tiers, latent FLS, masking, records

    /// The profile grants no Read on `object` itself, so its field permissions there are latent (`FLS-5`).
    func profileIsLatent(on object: String) -> Bool {
        guard let profile = org.profiles[access.profile] else { return false }
        let users = profile.grants.enabledUserPermissions
        return !profile.grants.objectAccess(object).closedUnderDependencies.contains(.read)
            && !users.contains("ViewAllData") && !users.contains("ModifyAllData")
    }

    /// The profile's readable field entries, by object.
    var profileFieldsByObject: [String: [String]] {
        guard let profile = org.profiles[access.profile] else { return [:] }
        var result: [String: [String]] = [:]
        for (key, entry) in profile.grants.fields where entry.effective.readable {
            guard let (object, field) = FieldPath.split(key) else { continue }
            result[object, default: []].append(field)
        }
        return result
    }

    mutating func objectFindings() {
        let profileFields = profileFieldsByObject
        for object in access.readableObjects {
            guard let type = org.objects[object] else { continue }
            let tiered = index.tiered[object] ?? []
            let latentCandidates =
                profileIsLatent(on: object)
                ? (profileFields[object] ?? []).filter { type.fields[$0] != nil } : []
            let encrypted = index.encrypted[object] ?? []
            recordFindings(object, type: type, tiered: tiered)
            let readTiered = tiered.filter { access.canRead(object: object, field: $0.field) }
            let readLatent = latentCandidates.filter { access.canRead(object: object, field: $0) }
            let readEncrypted = encrypted.filter { access.isMasked(object: object, field: $0) }
            guard !readTiered.isEmpty || !readLatent.isEmpty || !readEncrypted.isEmpty else { continue }
            // Reasons only for the fields a finding needs (one decision each, not the whole object).
            var decisions: [String: FieldDecision] = [:]
            for field in Set(readTiered.map(\.field)).union(readLatent).union(readEncrypted) {
                decisions[field] = access.fieldDecision(object: object, field: field)
            }
            for (field, tier) in readTiered {
                guard let decision = decisions[field] else { continue }
                tieredReads.append(tieredRead(decision, tier: tier))
            }
            for field in readLatent.sorted() {
                guard let decision = decisions[field],
                    let reason = decision.reasons.first(where: { $0.kind == .latentProfileFieldPermission })
                else { continue }
                latentFinding(decision, reason: reason)
            }
            for field in readEncrypted {
                guard let decision = decisions[field], decision.masked else { continue }
                let key = decision.path
                let target = Audit.grantTarget(access)
                let location = self.location(target, .userPermissions, "ViewEncryptedData")
                findings.append(
                    Finding(
                        rule: .encryptedMasked, severity: .warning, user: "", object: object, field: field,
                        source: target,
                        message:
                            "\(key) uses Classic Encryption and the integration lacks View Encrypted Data: it reads the mask, not the value, and may write the mask back (CLS-9).",
                        fix:
                            "stop syncing \(key), or enable ViewEncryptedData in \(target.map(Audit.describe) ?? "a permission set assigned to the user")\(Audit.at(location)) if the integration must have the plaintext",
                        file: location?.file, line: location?.line))
            }
        }
    }

    /// A readable tier 2/3 field: its grantors and the change that removes the read.
    func tieredRead(_ decision: FieldDecision, tier: Int) -> TieredRead {
        var grantors: [String] = []
        var primary: (source: String, entry: FindingLocator.Entry, key: String)?
        var always = false
        for reason in decision.reasons where reason.permission == "Read" {
            switch reason.kind {
            case .grantedBy, .latentProfileFieldPermission:
                guard let source = reason.source else { continue }
                grantors.append(source)
                if primary == nil { primary = (source, .fieldPermissions, decision.path) }
            case .viewAllFields:
                guard let source = reason.source else { continue }
                grantors.append("\(source) (View All Fields on \(decision.object))")
                if primary == nil { primary = (source, .objectPermissions, decision.object) }
            case .alwaysReadable:
                always = true
                grantors.append("the platform (the field is always readable, FLS-6)")
            default: continue
            }
        }
        let location = primary.flatMap { self.location($0.source, $0.entry, $0.key) }
        var removal: String
        if let primary {
            if primary.entry == .objectPermissions {
                removal =
                    "set <viewAllFields>false</viewAllFields> on \(decision.object) in \(Audit.describe(primary.source))\(Audit.at(location))"
            } else {
                removal = removeFieldRead(primary.source, decision.path, location)
            }
            let others = grantors.count - 1
            if others > 0 {
                removal += " (and remove the \(others) other grant\(others == 1 ? "" : "s") named above)"
            }
        } else if always {
            removal = "make \(decision.path) not required, or stop the integration reading \(decision.object)"
        } else {
            removal = "remove the grant of Read on \(decision.path)"
        }
        return TieredRead(
            object: decision.object, field: decision.field, tier: tier,
            classification: Self.classificationText(decision.classification), source: primary?.source,
            grantors: grantors.isEmpty ? "no listed source" : grantors.joined(separator: ", "),
            removal: removal,
            location: location)
    }

    mutating func latentFinding(_ decision: FieldDecision, reason: Reason) {
        let tier = policy.tier(of: decision.classification)
        let wokenBy = reason.wokenBy ?? "another source"
        let location = self.location(profileID, .fieldPermissions, decision.path)
        let move =
            tier >= 2
            ? ""
            : " If the integration needs \(decision.field), grant it in \(Audit.describe(wokenBy)) instead, where it is visible."
        findings.append(
            Finding(
                rule: .latentFLS, severity: tier >= 2 ? .error : .warning, user: "", object: decision.object,
                field: decision.field, source: profileID,
                message:
                    "\(Audit.describe(profileID)) grants \(reason.permission == "Edit" ? "Edit" : "Read") on \(decision.path) (\(tierText(tier, decision.classification))) but no Read on \(decision.object); the entry was dormant until \(wokenBy) granted \(decision.object) Read, and now the integration reads the field (FLS-5).\(move)",
                fix: removeFieldRead(profileID, decision.path, location),
                file: location?.file, line: location?.line))
    }

    /// Every record of an object with tier 2/3 fields, through View All / View All Data or a public default.
    mutating func recordFindings(_ object: String, type: SObjectType, tiered: [(field: String, tier: Int)]) {
        guard let top = tiered.map(\.tier).max() else { return }
        let fields = tiered.filter { $0.tier == top }.map(\.field).prefix(3).joined(separator: ", ")
        let holds =
            "\(object) holds tier-\(top) fields (\(fields)\(tiered.filter { $0.tier == top }.count > 3 ? ", …" : ""))"
        if access.objectAccess(object).contains(.viewAllRecords) {
            let decision = access.objectDecision(object, includeFields: false)
            guard
                let reason = decision.reasons.first(where: {
                    $0.permission == "View All" && ($0.kind == .grantedBy || $0.kind == .systemPermission)
                }), let source = reason.source
            else { return }
            let viaVAD = reason.kind == .systemPermission
            let location =
                viaVAD
                ? self.location(source, .userPermissions, "ViewAllData")
                    ?? self.location(source, .userPermissions, "ModifyAllData")
                : self.location(source, .objectPermissions, object)
            let how = viaVAD ? "View All Data" : "View All on \(object)"
            findings.append(
                Finding(
                    rule: .recordsUnrestricted, severity: .warning, user: "", object: object, source: source,
                    message:
                        "The integration sees every \(object) record through \(how) from \(source), ignoring sharing; \(holds).",
                    fix:
                        viaVAD
                        ? "remove View All Data from \(Audit.describe(source))\(Audit.at(location)) and share only the \(object) records the integration needs (a criteria-based sharing rule to its group or role)"
                        : "set <viewAllRecords>false</viewAllRecords> on \(object) in \(Audit.describe(source))\(Audit.at(location)) and share only the records the integration needs (a criteria-based sharing rule)",
                    file: location?.file, line: location?.line))
            return
        }
        let model = type.sharingModel ?? type.defaultSharingModel
        guard let model, let baseline = model.baselineAccess, baseline >= .read else { return }
        let source = "object:\(object)"
        let location = locator.component(source)
        findings.append(
            Finding(
                rule: .recordsUnrestricted, severity: .warning, user: "", object: object, source: source,
                message:
                    "The org-wide default of \(object) is \(model.label): the integration sees every record; \(holds).",
                fix:
                    "set <sharingModel>Private</sharingModel> in \(location?.file ?? "the \(object) object file") and share the records the integration needs with a criteria-based sharing rule",
                file: location?.file, line: location?.line))
    }

    // MARK: Latent entries that would wake

    /// Profile field permissions on objects the user cannot read, which a permission set in the org that
    /// grants Read on the object would wake if it were assigned (`FLS-5`). One finding per field.
    mutating func wouldWakeFindings() {
        let held = Set(
            access.sources.flatMap { source -> [String] in
                switch source.kind {
                case .permissionSet: [source.name]
                case .permissionSetGroup: org.permissionSetGroups[source.name]?.permissionSets ?? []
                case .profile: []
                }
            })
        for (object, fields) in profileFieldsByObject.sorted(by: { $0.key < $1.key }) {
            guard !access.objectAccess(object).contains(.read), profileIsLatent(on: object),
                let type = org.objects[object]
            else { continue }
            let grantors = (index.readGrantors[object] ?? []).filter { !held.contains($0) }
            guard let first = grantors.first else { continue }
            let others =
                grantors.count > 1
                ? " (or any of \(grantors.count - 1) other permission sets granting \(object) Read)" : ""
            for field in fields.sorted() {
                guard let definition = type.fields[field] else { continue }
                let tier = policy.tier(of: definition.classification)
                let key = FieldPath.key(object: object, field: field)
                let location = self.location(profileID, .fieldPermissions, key)
                findings.append(
                    Finding(
                        rule: .latentFLS, severity: tier >= 2 ? .warning : .info, user: "", object: object,
                        field: field, source: profileID,
                        message:
                            "\(Audit.describe(profileID)) holds a dormant Read on \(key) (\(tierText(tier, definition.classification))); it would become effective if permission set '\(first)'\(others) were assigned, since it grants \(object) Read (FLS-5).",
                        fix: removeFieldRead(profileID, key, location),
                        file: location?.file, line: location?.line))
            }
        }
    }

    // MARK: Muting

    /// Permissions a group's muting set mutes which the user still holds from another source (`PSG-3`).
    mutating func mutingFindings() {
        for source in access.sources where source.kind == .permissionSetGroup {
            guard let muting = source.mutingPermissionSet, let mute = org.mutingPermissionSets[muting] else {
                continue
            }
            let mutedBy = PermissionSource.mutedBy(group: source.name)
            let component = "mutingPermissionSet:\(muting)"
            for (object, muted) in mute.mutes.objects.sorted(by: { $0.key < $1.key }) {
                let still = access.objectAccess(object).intersection(muted)
                guard !still.isEmpty else { continue }
                let labels = ObjectAccess.named.filter { still.contains($0.permission) }.map(\.label)
                let decision = access.objectDecision(object, includeFields: false)
                let grantors = unique(
                    decision.reasons.filter {
                        ($0.kind == .grantedBy || $0.kind == .systemPermission)
                            && labels.contains($0.permission ?? "")
                    }.compactMap(\.source))
                mutingFinding(
                    object: object, field: nil, what: "\(labels.joined(separator: ", ")) on \(object)",
                    grantors: grantors, muting: muting, group: source.name, mutedBy: mutedBy,
                    location: locator.locate(component, .objectPermissions, object),
                    change: { "remove \(labels.joined(separator: ", ")) on \(object) from \($0)" })
            }
            for (key, muted) in mute.mutes.fields.sorted(by: { $0.key < $1.key }) {
                guard let (object, field) = FieldPath.split(key) else { continue }
                let permission: String
                if muted.readable && access.canRead(object: object, field: field) {
                    permission = "Read"
                } else if muted.editable && access.canEdit(object: object, field: field) {
                    permission = "Edit"
                } else {
                    continue
                }
                let decision = access.fieldDecision(object: object, field: field)
                let grantors = unique(
                    decision.reasons.filter {
                        $0.permission == permission
                            && [.grantedBy, .latentProfileFieldPermission, .viewAllFields].contains($0.kind)
                    }.compactMap(\.source))
                mutingFinding(
                    object: object, field: field, what: "\(permission) on \(key)", grantors: grantors,
                    muting: muting, group: source.name, mutedBy: mutedBy,
                    location: locator.locate(component, .fieldPermissions, key),
                    change: { "set <readable>false</readable> on \(key) in \($0)" })
            }
            for (name, enabled) in mute.mutes.userPermissions.sorted(by: { $0.key < $1.key }) {
                guard enabled, let grant = access.systemPermission(name) else { continue }
                mutingFinding(
                    object: nil, field: nil, what: name, grantors: grant.sources, muting: muting,
                    group: source.name, mutedBy: mutedBy,
                    location: locator.locate(component, .userPermissions, name),
                    change: { "set <enabled>false</enabled> on \(name) in \($0)" })
            }
        }
    }

    mutating func mutingFinding(
        object: String?, field: String?, what: String, grantors: [String], muting: String, group: String,
        mutedBy: String, location: MetadataLocation?, change: (String) -> String
    ) {
        let others = grantors.filter { !$0.hasPrefix("permissionSetGroup:\(group)/") }
        let from = others.isEmpty ? "another source" : others.joined(separator: ", ")
        var fix: String
        if let first = others.first {
            let firstLocation = self.location(first, nil, nil)
            fix = change("\(Audit.describe(first))\(Audit.at(firstLocation))")
            if others.count > 1 { fix += " and from the other sources named" }
            fix += "; muting only removes what the group's own permission sets grant (PSG-3)"
        } else {
            fix =
                "remove the permission from the sources that grant it; muting only removes what its own group grants (PSG-3)"
        }
        findings.append(
            Finding(
                rule: .mutingIneffective, severity: .warning, user: "", object: object, field: field,
                source: mutedBy,
                message:
                    "Muting permission set '\(muting)' of group '\(group)' mutes \(what), but the user still has it from \(from) (PSG-3).",
                fix: fix, file: location?.file, line: location?.line))
    }

    func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }

    // MARK: Profile permissions (EOL)

    mutating func profilePermissionFindings() {
        guard let profile = org.profiles[access.profile] else { return }
        let grants = profile.grants
        let objects = grants.objects.values.filter { !$0.isEmpty }.count
        let fields = grants.fields.values.filter { !$0.effective.isNone }.count
        let locked: Set<String> = profile.isIntegrationProfile ? ["ApiEnabled", "ApiUserOnly"] : []
        let users = grants.enabledUserPermissions.subtracting(locked).count
        guard objects + fields + users > 0 else { return }
        let location = locator.component(profileID)
        findings.append(
            Finding(
                rule: .profilePermissions, severity: .info, user: "", source: profileID,
                message:
                    "\(Audit.describe(profileID)) carries \(objects) object permission\(objects == 1 ? "" : "s"), \(fields) field permission\(fields == 1 ? "" : "s") and \(users) user permission\(users == 1 ? "" : "s"). Salesforce announced the end of permissions on profiles (EOL-1), now postponed, and recommends a permission-set-led model (EOL-2).",
                fix:
                    "move the integration's permissions to a permission set and clear them on the profile\(Audit.at(location)) (set each to false; deleting entries does not remove access on deploy)",
                file: location?.file, line: location?.line))
    }
}
