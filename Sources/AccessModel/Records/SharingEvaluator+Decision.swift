/// One record explained: every grant, the overrides, the cap and the restriction filter.
extension SharingEvaluator {
    /// The access `username` has to the record with Id (or reference id) `recordId`; `nil` when either
    /// is unknown. Looks at that record and its relatives only (its owner, parents, account, children), so
    /// it answers without indexing the object, unless the object's index has been built already.
    public func decision(username: String, recordId: String) -> RecordDecision? {
        guard let u = userIndex(username),
            let location = org.records.location(id: recordId)
                ?? org.records.record(referenceId: recordId).flatMap({ org.records.location(id: $0.id) })
        else { return nil }
        let source: RecordView.Source = builtIndex(location.object) == nil ? .record : .index
        return decision(u, view(location.object, location.index, source), source)
    }

    /// Every record of `object` explained for `username` (slow path: one explanation per record).
    public func decisions(username: String, object: String) -> [RecordDecision] {
        guard let u = userIndex(username) else { return [] }
        let idx = index(object)
        return (0..<idx.count).map { decision(u, view(idx, $0), .index) }
    }

    func decision(_ u: Int, _ v: RecordView, _ source: RecordView.Source) -> RecordDecision {
        let record = v.record
        let object = v.object
        let perms = effective(u, object)
        var reasons = grants(u, v, source, forImplicitParent: false, depth: 0)
        var level = reasons.compactMap(\.level).max() ?? .none
        let grantedBySharing = level > .none

        // Overrides (REC-18).
        if perms.modifyAllData {
            reasons.append(
                RecordReason(
                    kind: .modifyAllData, source: "permission:ModifyAllData", level: .all,
                    message: "has Modify All Data, which gives full access to every record (REC-18)"))
        } else if perms.modifyAll {
            reasons.append(
                RecordReason(
                    kind: .modifyAll, source: "permission:\(object).ModifyAllRecords", level: .all,
                    message:
                        "has Modify All on \(object), which gives full access to every \(object) record (REC-18)"
                ))
        }
        if perms.viewAllData && !perms.modifyAllData {
            reasons.append(
                RecordReason(
                    kind: .viewAllData, source: "permission:ViewAllData", level: .read,
                    message: "has View All Data, which makes every record readable (REC-18)"))
        } else if perms.viewAll && !perms.modifyAll && !perms.modifyAllData {
            reasons.append(
                RecordReason(
                    kind: .viewAll, source: "permission:\(object).ViewAllRecords", level: .read,
                    message: "has View All on \(object), which makes every \(object) record readable (REC-18)"
                ))
        }
        level = max(level, perms.overrideLevel)
        if level == .none && !grantedBySharing {
            reasons.append(notShared(u, v))
        }

        // Object permissions cap (OBJ-9).
        let cap = perms.cap
        if cap == .none && level == .none {
            reasons.append(
                RecordReason(
                    kind: .objectPermissionCap, source: "permissions:\(object)", level: cap,
                    message:
                        "the user has no Read on \(object), so no \(object) record is visible whatever is shared (OBJ-9)"
                ))
        }
        if level > cap {
            let why: String =
                switch cap {
                case .none: "the user has no Read on \(object)"
                case .read: "the user has Read but not Edit on \(object)"
                default: "the user has Edit but not Delete on \(object)"
                }
            reasons.append(
                RecordReason(
                    kind: .objectPermissionCap, source: "permissions:\(object)", level: cap,
                    message: "capped at \(cap.metadataName): \(why) (OBJ-9)"))
            level = cap
        }

        // Restriction rules (REC-20, REC-21) and, under an explicit scope, scoping rules (REC-22).
        let bypass = perms.viewAll || perms.viewAllData || perms.modifyAll || perms.modifyAllData
        if level > .none {
            level = filter(u, v, level, v.restrictions, bypass: bypass, reasons: &reasons)
            if options.usingScope {
                level = filter(u, v, level, v.scopings, bypass: false, reasons: &reasons)
            }
        }
        return RecordDecision(
            recordId: record.id, referenceId: record.referenceId, name: record.name, level: level,
            reasons: reasons)
    }

    /// The restriction (or scoping) rule that applies to `u`: the first by name whose user criteria match;
    /// rules that cannot be evaluated are not applied, and say so.
    func applicable(_ u: Int, _ rules: [RestrictionMatcher]) -> (
        rule: RestrictionMatcher?, notes: [RecordReason]
    ) {
        var chosen: RestrictionMatcher?
        var notes: [RecordReason] = []
        for m in rules {
            switch m.applies(to: u, self) {
            case .yes:
                if let first = chosen {
                    notes.append(
                        RecordReason(
                            kind: m.rule.isScoping ? .scopingRule : .restrictionRule, source: m.source,
                            message:
                                "also applies to the user, but only one rule per user and object is observed; `\(first.rule.name)` is used (REC-20)"
                        ))
                } else {
                    chosen = m
                }
            case .no: break
            case .unknown(let why):
                notes.append(
                    RecordReason(
                        kind: m.rule.isScoping ? .scopingRule : .restrictionRule, source: m.source,
                        message: why))
            }
        }
        return (chosen, notes)
    }

    private func filter(
        _ u: Int, _ v: RecordView, _ level: AccessLevel, _ rules: [RestrictionMatcher],
        bypass: Bool, reasons: inout [RecordReason]
    ) -> AccessLevel {
        let (chosen, notes) = applicable(u, rules)
        reasons += notes
        guard let m = chosen else { return level }
        let kind: RecordReason.Kind = m.rule.isScoping ? .scopingRule : .restrictionRule
        let filterText = m.rule.recordFilter ?? "true"
        if bypass {
            reasons.append(
                RecordReason(
                    kind: kind, source: m.source,
                    message:
                        "restriction rule `\(m.rule.name)` does not apply: View All / View All Data supersedes it (REC-21)"
                ))
            return level
        }
        if m.lets(v.position, record: v.record, user: u, self) {
            reasons.append(
                RecordReason(
                    kind: kind, source: m.source,
                    message:
                        "passes \(m.rule.isScoping ? "scoping" : "restriction") rule `\(m.rule.name)` (`\(filterText)`)"
                ))
            return level
        }
        reasons.append(
            RecordReason(
                kind: kind, source: m.source, level: AccessLevel.none,
                message:
                    "hidden by \(m.rule.isScoping ? "scoping rule (USING SCOPE, REC-22)" : "restriction rule (REC-20)") `\(m.rule.name)`: the record does not match `\(filterText)`"
            ))
        return .none
    }

    // MARK: Grants

    /// Every sharing grant user `u` has on record `i`: owner, hierarchy, OWD, parent, rules, manual
    /// shares, implicit access. `forImplicitParent` keeps only what creates implicit parent access
    /// (`REC-14`: ownership, hierarchy, rules, manual shares; not OWD, parent or implicit access).
    func grants(
        _ u: Int, _ v: RecordView, _ source: RecordView.Source, forImplicitParent: Bool, depth: Int
    ) -> [RecordReason] {
        var out: [RecordReason] = []
        let s = v.sharing
        let object = v.object
        let o = v.owner
        if o == u {
            out.append(
                RecordReason(kind: .owner, source: "owner", level: .all, message: "owns the record (REC-5)"))
        } else if o >= 0, s.hierarchy, isAbove(u, o) {
            let mine = roleName(ofUser: u) ?? ""
            out.append(
                RecordReason(
                    kind: .roleHierarchy, source: "owner:\(users[o].username)", via: "role:\(mine)",
                    level: .all,
                    message:
                        "above the owner `\(users[o].username)` (role `\(roleName(ofUser: o) ?? "")`) in the role hierarchy, via role `\(mine)` (REC-7)"
                ))
        }
        if !forImplicitParent {
            if let base = s.owd.baseline(external: users[u].isExternal) {
                if base > .none || s.owd.origin != .project {
                    out.append(
                        RecordReason(
                            kind: .orgWideDefault, source: "sharingModel:\(object)", level: base,
                            message: s.owd.describe(object)
                                + (base > .none
                                    ? ", which gives \(base.metadataName) to every internal user (REC-1)"
                                    : "")))
                }
            } else if let links = s.parentLinks, depth < 6 {
                if let reason = parentGrant(u, v, links, source, depth: depth) {
                    out.append(reason)
                }
            }
        }
        let record = v.record
        for (k, rule) in s.rules.enumerated() where v.matchedRules[k] && rule.target.reached.contains(u) {
            let what: String
            if case .owner(let from) = rule.rule.kind {
                what =
                    "shared by owner rule `\(rule.rule.name)` (records owned by \(describe(from)), and `\(record.ownerUsername ?? "")` is one)"
            } else {
                what = "shared by rule `\(rule.rule.name)`"
            }
            out.append(
                RecordReason(
                    kind: .sharingRule, source: rule.rule.sourceName, via: rule.target.label,
                    level: rule.level,
                    message:
                        "\(what) to \(describe(rule.rule.sharedTo)), \(rule.target.phrase(for: u)) (REC-9)"))
        }
        for (k, child) in s.childRules.enumerated()
        where v.matchedChildRules[k] && child.rule.target.reached.contains(u) {
            let accountId = record.reference(child.field) ?? ""
            out.append(
                RecordReason(
                    kind: .sharingRule, source: child.rule.rule.sourceName, via: child.rule.target.label,
                    level: child.level,
                    message:
                        "its account `\(accountId)` is shared by rule `\(child.rule.rule.name)` to \(describe(child.rule.rule.sharedTo)), \(child.rule.target.phrase(for: u)), with \(object) access \(child.level.metadataName) (REC-12)"
                ))
        }
        for grant in v.manual where grant.reach.reached.contains(u) {
            out.append(
                RecordReason(
                    kind: .manualShare, source: "manualShare:\(record.id)", via: grant.reach.label,
                    level: grant.share.accessLevel,
                    message:
                        "shared manually with \(grant.reach.label), \(grant.reach.members.contains(u) && grant.share.sharedWith.isUserShare ? "who is the user" : grant.reach.phrase(for: u)), at \(grant.share.accessLevel.metadataName) (REC-17)"
                ))
        }
        if !forImplicitParent, s.implicitChildEnabled {
            let a = v.implicitChildOwner
            let level = v.implicitChildLevel
            if a >= 0, level > .none, a == u || isAbove(u, a) {
                let role = roleName(ofUser: a) ?? ""
                let accountId = record.reference("AccountId") ?? ""
                let who =
                    a == u
                    ? "owns its account"
                    : "is above the account owner `\(users[a].username)` in the role hierarchy"
                out.append(
                    RecordReason(
                        kind: .implicitChild, source: "role:\(role)", via: "Account:\(accountId)",
                        level: level,
                        message:
                            "\(who); the owner's role `\(role)` gives \(object) access \(level.metadataName) on the account's \(object) records (REC-15)"
                    ))
            }
        }
        if !forImplicitParent, !s.implicitParentChildren.isEmpty, depth < 6 {
            search: for childObject in s.implicitParentChildren {
                guard org.records.byObject[childObject]?.isEmpty == false, effective(u, childObject).read
                else { continue }
                for c in childPositions(v, childObject, source) {
                    let cv = view(childObject, c, source)
                    let childGrants = grants(u, cv, source, forImplicitParent: true, depth: depth + 1)
                    guard let best = childGrants.max(by: { ($0.level ?? .none) < ($1.level ?? .none) }),
                        (best.level ?? .none) >= .read
                    else { continue }
                    let child = cv.record
                    out.append(
                        RecordReason(
                            kind: .implicitParent, source: "implicitParent",
                            via: "\(childObject):\(child.id)", level: .read,
                            message:
                                "can see its \(childObject) `\(child.name ?? child.id)` (\(best.message)), which gives Read on the account (REC-14)"
                        ))
                    break search
                }
            }
        }
        return out
    }

    /// Access through the parent of a Controlled-by-Parent record (`REC-16`).
    private func parentGrant(
        _ u: Int, _ v: RecordView, _ links: ParentLinks, _ source: RecordView.Source, depth: Int
    ) -> RecordReason? {
        var levels: [(AccessLevel, String, String)] = []
        for (f, field) in links.fields.enumerated() {
            guard let loc = v.parents[f] else {
                levels.append((.none, field, "no parent"))
                continue
            }
            let (level, summary) = parentAccess(u, loc, source, depth: depth + 1)
            levels.append((level, field, "\(loc.object) `\(summary.name)`: \(summary.message)"))
        }
        let level: AccessLevel =
            links.mode == .all ? (levels.map(\.0).min() ?? .none) : (levels.map(\.0).max() ?? .none)
        guard level > .none else { return nil }
        let best = levels.first { $0.0 == level } ?? levels[0]
        let via = v.parents[links.fields.firstIndex(of: best.1) ?? 0].map {
            "\($0.object):\(org.records.byObject[$0.object]![$0.index].id)"
        }
        return RecordReason(
            kind: .controlledByParent, source: "controlledByParent:\(v.object).\(best.1)", via: via,
            level: level,
            message:
                "\(v.object) is controlled by its parent (REC-16): the user has \(level.metadataName) on \(best.2)"
        )
    }

    /// The level `u` has on a parent record, from sharing and the parent object's View All / Modify All,
    /// uncapped and unrestricted (restrictions do not reach children, `REC-20`).
    func parentAccess(_ u: Int, _ loc: RecordSet.Location, _ source: RecordView.Source, depth: Int) -> (
        AccessLevel, (name: String, message: String)
    ) {
        let pv = view(loc.object, loc.index, source)
        let g = grants(u, pv, source, forImplicitParent: false, depth: depth)
        let override = effective(u, loc.object).overrideLevel
        let best = g.max { ($0.level ?? .none) < ($1.level ?? .none) }
        let level = max(best?.level ?? .none, override)
        let message =
            override >= (best?.level ?? .none) && override > .none
            ? "View All / Modify All on \(loc.object)" : (best?.message ?? "no access")
        return (level, (pv.record.name ?? pv.record.id, message))
    }

    /// Why nothing grants access.
    func notShared(_ u: Int, _ v: RecordView) -> RecordReason {
        let object = v.object
        let record = v.record
        if v.sharing.parentLinks != nil {
            return RecordReason(
                kind: .notShared, source: "sharingModel:\(object)",
                message:
                    "\(object) is controlled by its parent (REC-16) and the user has no access to the parent")
        }
        let reaching = v.sharing.rules.filter { $0.problem == nil && $0.target.reached.contains(u) }
        var why: [String] = []
        for rule in reaching {
            if let matcher = rule.matcher {
                let failures = matcher.failures { criteriaValue(record, $0, owner: v.owner) }
                why.append("rule `\(rule.rule.name)`: " + failures.joined(separator: ", "))
            } else if case .owner(let from) = rule.rule.kind {
                why.append(
                    "rule `\(rule.rule.name)`: owner `\(record.ownerUsername ?? "none")` is not in \(describe(from))"
                )
            }
        }
        let base = v.sharing.owd.describe(object)
        let message: String
        if reaching.isEmpty {
            message = "\(base) and no sharing rule on \(object) shares with the user"
        } else if why.count == 1, let only = why.first, let colon = only.range(of: ": ") {
            message = "\(base) and no rule matches: " + only[colon.upperBound...]
        } else {
            message = "\(base) and no rule matches: " + why.joined(separator: "; ")
        }
        return RecordReason(
            kind: .notShared, source: "sharingModel:\(object)", level: AccessLevel.none, message: message)
    }

    func describe(_ p: SharingPrincipal) -> String {
        switch p.kind {
        case "group": "group `\(p.name)`"
        case "role": "role `\(p.name)`"
        case "roleAndSubordinates": "role `\(p.name)` and subordinates"
        case "roleAndSubordinatesInternal", "roleAndInternalSubordinates":
            "role `\(p.name)` and internal subordinates"
        case "allInternalUsers": "all internal users"
        default: p.name.isEmpty ? p.kind : "\(p.kind) `\(p.name)`"
        }
    }
}

extension ManualShare.Principal {
    var isUserShare: Bool {
        if case .user = self { return true }
        return false
    }
}
