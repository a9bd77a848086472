/// A restriction or scoping rule compiled for one object (`REC-20`…`REC-22`): which users it applies to
/// and which records it lets through.
struct RestrictionMatcher: Sendable {
    var rule: RestrictionRule
    var filter: FilterExpression?
    var userCriteria: FilterExpression?
    /// Why the rule cannot be used; such a rule is not applied, and the reason says so.
    var problem: String?
    /// Records the filter lets through, when the filter does not depend on the user and the object's
    /// records were indexed (`indexed(records:_:)`); otherwise the filter is evaluated per record.
    var staticMatches: Bitset?

    var source: String { (rule.isScoping ? "scopingRule:" : "restrictionRule:") + rule.name }

    init(_ rule: RestrictionRule, object: SObjectType?, evaluator e: SharingEvaluator) {
        self.rule = rule
        let what = rule.isScoping ? "scoping rule" : "restriction rule"
        do {
            filter = try FilterExpression.parse(rule.recordFilter ?? "true")
        } catch {
            problem =
                "\(what) `\(rule.name)`: cannot read recordFilter: \(error.message); the rule is not applied"
        }
        if let text = rule.userCriteria, !text.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                userCriteria = e.resolvingNames(try FilterExpression.parse(text))
            } catch {
                problem =
                    problem
                    ?? "\(what) `\(rule.name)`: cannot read userCriteria: \(error.message); the rule is not applied"
            }
        }
        if let filter, problem == nil, let type = object {
            for name in filter.fieldNames
            where type.fields[name] == nil && !["Id", "OwnerId", "Name"].contains(name)
                && !name.contains(".")
            {
                problem =
                    "\(what) `\(rule.name)`: recordFilter uses `\(name)`, which is not a field of \(type.name)\(Suggestion.hint(for: name, in: type.fields.keys)); the rule is not applied"
                break
            }
        }
    }

    /// The same rule with the records its filter lets through computed once, when the filter does not
    /// depend on the user (the bulk path).
    func indexed(records: [Record], _ e: SharingEvaluator) -> RestrictionMatcher {
        guard let filter, problem == nil, !filter.refersToUser else { return self }
        var bits = Bitset(count: records.count)
        for (i, r) in records.enumerated()
        where (try? filter.evaluate({ e.restrictionValue(r, $0, user: nil) })) == true {
            bits.insert(i)
        }
        var copy = self
        copy.staticMatches = bits
        return copy
    }

    enum Applies { case yes, no, unknown(String) }

    /// Whether the rule applies to user `u` (its `userCriteria`).
    func applies(to u: Int, _ e: SharingEvaluator) -> Applies {
        guard problem == nil else { return .unknown(problem!) }
        guard let criteria = userCriteria else { return .yes }
        do {
            return try criteria.evaluate({ e.restrictionValue(nil, $0, user: u) }) ? .yes : .no
        } catch {
            return .unknown(
                "\(rule.isScoping ? "scoping" : "restriction") rule `\(rule.name)`: cannot evaluate userCriteria for the user: \(error.message); the rule is not applied"
            )
        }
    }

    /// Whether record `i` passes the filter for user `u`.
    func lets(_ i: Int, record: Record, user u: Int, _ e: SharingEvaluator) -> Bool {
        if let staticMatches { return staticMatches.contains(i) }
        guard let filter else { return true }
        return (try? filter.evaluate({ e.restrictionValue(record, $0, user: u) })) == true
    }

    /// The records that pass the filter for user `u`.
    func mask(records: [Record], user u: Int, _ e: SharingEvaluator) -> Bitset {
        if let staticMatches { return staticMatches }
        var bits = Bitset(count: records.count)
        for (i, r) in records.enumerated() where lets(i, record: r, user: u, e) { bits.insert(i) }
        return bits
    }
}

extension FilterExpression {
    /// Record field names the expression uses.
    var fieldNames: [String] {
        switch self {
        case .and(let xs), .or(let xs): xs.flatMap(\.fieldNames)
        case .not(let x): x.fieldNames
        case .compare(let a, _, let b): [a, b].compactMap { if case .field(let n) = $0 { n } else { nil } }
        case .value(let a): if case .field(let n) = a { [n] } else { [] }
        }
    }
}

extension SharingEvaluator {
    /// The value of a restriction-rule operand: a record field, or a `$User` value of user `u`.
    /// `ProfileId`, `UserRoleId` and `Id` compare equal to the names they stand for as well as to Keyhole's
    /// derived Ids (`RecordId.make(object: "Profile", referenceId: name)`).
    func restrictionValue(_ record: Record?, _ operand: FilterExpression.Operand, user u: Int?) -> FieldValue?
    {
        switch operand {
        case .literal(let v): return v
        case .field(let name):
            guard let record else { return nil }
            if name == "Id" { return .string(record.id) }
            if name == "OwnerId" {
                if let o = record.ownerUsername.flatMap({ userIndex($0) }) { return .string(userIds[o]) }
                return .null
            }
            if name.hasPrefix("Owner.") {
                guard let o = record.ownerUsername.flatMap({ userIndex($0) }) else { return .null }
                return userValue(o, String(name.dropFirst(6)))
            }
            return record[name]
        case .user(let name):
            guard let u else { return nil }
            return userValue(u, name)
        }
    }

    /// Rewrites `$User.ProfileId = 'Name'` (and `UserRoleId`, `Id` with a username) so a name compares
    /// equal to the derived Id it stands for.
    func resolvingNames(_ expression: FilterExpression) -> FilterExpression {
        func resolve(_ user: String, _ literal: FieldValue) -> FieldValue {
            guard case .string(let text) = literal, !RecordId.isValid(text) else { return literal }
            switch user.lowercased() {
            case "profileid": return .string(RecordId.make(object: "Profile", referenceId: text))
            case "userroleid": return .string(RecordId.make(object: "UserRole", referenceId: text))
            case "id": return userIndex(text).map { .string(userIds[$0]) } ?? literal
            default: return literal
            }
        }
        switch expression {
        case .and(let xs): return .and(xs.map(resolvingNames))
        case .or(let xs): return .or(xs.map(resolvingNames))
        case .not(let x): return .not(resolvingNames(x))
        case .compare(.user(let n), let op, .literal(let v)):
            return .compare(.user(n), op, .literal(resolve(n, v)))
        case .compare(.literal(let v), let op, .user(let n)):
            return .compare(.literal(resolve(n, v)), op, .user(n))
        default: return expression
        }
    }

    func userValue(_ u: Int, _ name: String) -> FieldValue? {
        let user = users[u]
        switch name.lowercased() {
        case "username": return .string(user.username)
        case "id": return .string(userIds[u])
        case "name": return user.name.map { .string($0) } ?? .null
        case "profileid": return .string(RecordId.make(object: "Profile", referenceId: user.profile))
        case "profile.name": return .string(user.profile)
        case "userroleid":
            return user.role.map { .string(RecordId.make(object: "UserRole", referenceId: $0)) } ?? .null
        case "userrole.name", "userrole.developername": return user.role.map { .string($0) } ?? .null
        case "isactive": return .boolean(user.isActive)
        case "usertype": return .string(user.isExternal ? "PowerPartner" : "Standard")
        default: return nil
        }
    }
}
