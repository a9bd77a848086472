import AccessModel
import Foundation

/// Resolves a parsed query against the org and one user's access (`API-3`, `API-4`, `REC-19`).
///
/// An object the user cannot read is reported exactly like one that does not exist (`INVALID_TYPE`), a
/// field without FLS read exactly like a missing one (`INVALID_FIELD`, "No such column"), in every clause;
/// a relationship whose lookup field or target object is hidden is "Didn't understand relationship".
public struct Binder: Sendable {
    public let org: Org
    public let access: UserAccess
    public let relationships: RelationshipIndex

    public init(org: Org, access: UserAccess, relationships: RelationshipIndex? = nil) {
        self.org = org
        self.access = access
        self.relationships = relationships ?? RelationshipIndex(org: org)
    }

    /// Parses and binds `text`.
    public func bind(_ text: String) throws(SOQLError) -> BoundQuery {
        let query = try Query.parse(text)
        return try bind(query, text: text)
    }

    /// Binds a parsed query; `text` is the query as sent, echoed in error messages.
    public func bind(_ query: Query, text: String) throws(SOQLError) -> BoundQuery {
        var state = State(text: text)
        guard let object = readableObject(query.from.name) else {
            throw SOQLError.unsupportedType(query.from.name, at: query.from.position, query: text)
        }
        return try bind(query, object: object, alias: "t0", childLink: nil, state: &state)
    }

    // MARK: Internals

    struct State {
        let text: String
        var nextAlias = 1
        mutating func alias(_ prefix: String) -> String {
            defer { nextAlias += 1 }
            return "\(prefix)\(nextAlias)"
        }
    }

    /// Where a field is used: decides which extra checks apply.
    enum Clause { case select, filter, sort, group, aggregate }

    func readableObject(_ name: String) -> SObjectType? {
        guard let object = org.object(named: name), access.objectAccess(object.name).contains(.read) else {
            return nil
        }
        return object
    }

    func field(_ name: String, of object: SObjectType) -> Field? {
        if let exact = object.fields[name] { return exact }
        if let found = object.fields.values.first(where: {
            $0.name.caseInsensitiveCompare(name) == .orderedSame
        }) {
            return found
        }
        if name.caseInsensitiveCompare("Id") == .orderedSame {
            return Field(name: "Id", type: .id, isFLSControllable: false)
        }
        return nil
    }

    func canRead(_ object: SObjectType, _ field: Field) -> Bool {
        if field.name == "Id" { return true }
        return access.canRead(object: object.name, field: field.name)
    }

    func bind(
        _ query: Query, object: SObjectType, alias: String, childLink: RelationshipIndex.Child?,
        state: inout State
    ) throws(SOQLError) -> BoundQuery {
        var scope = Scope(object: object, alias: alias, fromAlias: query.from.alias)
        let text = state.text
        var columns: [BoundColumn] = []
        var expressionIndex = 0
        let aggregate = query.isAggregate
        for item in query.select {
            switch item {
            case .field(let path, let alias):
                if alias != nil, !aggregate {
                    throw SOQLError.malformed(
                        "Only aggregate expressions use field aliasing", at: path.position, query: text)
                }
                let bound = try resolve(path, in: &scope, clause: .select, state: &state)
                if aggregate,
                    !query.groupBy.contains(where: {
                        $0.description.lowercased() == path.description.lowercased()
                    })
                {
                    throw SOQLError.malformed(
                        "Field must be grouped or aggregated: \(bound.name)", at: path.position, query: text)
                }
                columns.append(.field(bound, outputName: alias ?? bound.name))
            case .aggregate(let call, let alias):
                if call.argument == nil {
                    guard query.select.count == 1, childLink == nil else {
                        throw SOQLError.malformed(
                            "COUNT() must be the only element in the SELECT list", at: call.position,
                            query: text)
                    }
                    columns.append(.aggregate(.count, nil, outputName: alias ?? "expr0"))
                    continue
                }
                let bound = try aggregateArgument(call, in: &scope, state: &state)
                let name = alias ?? "expr\(expressionIndex)"
                if alias == nil { expressionIndex += 1 }
                columns.append(.aggregate(call.function, bound, outputName: name))
            case .subquery(let sub):
                guard childLink == nil, !aggregate else {
                    throw SOQLError.malformed(
                        "unexpected token: 'SELECT'", at: sub.from.position, query: text)
                }
                columns.append(.child(try bindChild(sub, parent: object, state: &state)))
            }
        }
        if query.isCountOnly, query.select.count != 1 {
            throw SOQLError.malformed(
                "COUNT() must be the only element in the SELECT list", at: nil, query: text)
        }
        let whereClause = try query.whereClause.map { (c) throws(SOQLError) in
            try condition(c, in: &scope, state: &state)
        }
        var groupBy: [BoundField] = []
        for path in query.groupBy {
            groupBy.append(try resolve(path, in: &scope, clause: .group, state: &state))
        }
        if query.having != nil, query.groupBy.isEmpty {
            throw SOQLError.malformed("HAVING requires a GROUP BY clause", at: nil, query: text)
        }
        let having = try query.having.map { (c) throws(SOQLError) in
            try condition(c, in: &scope, state: &state)
        }
        var orderBy: [BoundOrderItem] = []
        for item in query.orderBy {
            let operand: BoundOperand
            switch item.operand {
            case .field(let path):
                let bound = try resolve(path, in: &scope, clause: .sort, state: &state)
                if aggregate, !groupBy.contains(where: { $0.description == bound.description }) {
                    throw SOQLError.malformed(
                        "Ordered field must be grouped or aggregated: \(bound.name)", at: path.position,
                        query: text)
                }
                operand = .field(bound)
            case .aggregate(let call):
                guard aggregate else {
                    throw SOQLError.malformed(
                        "unexpected token: '\(call.function.rawValue)'", at: call.position, query: text)
                }
                operand = .aggregate(call.function, try aggregateArgument(call, in: &scope, state: &state))
            }
            orderBy.append(BoundOrderItem(operand: operand, direction: item.direction, nulls: item.nulls))
        }
        if let offset = query.offset, offset > 2000 {
            throw SOQLError(
                code: .malformedQuery, detail: "Maximum SOQL offset allowed is 2000", position: nil,
                query: text)
        }
        return BoundQuery(
            query: query, object: object.name, alias: alias, columns: columns, joins: scope.joins,
            whereClause: whereClause, groupBy: groupBy, having: having, orderBy: orderBy, limit: query.limit,
            offset: query.offset, childLink: childLink)
    }

    func aggregateArgument(_ call: AggregateCall, in scope: inout Scope, state: inout State)
        throws(SOQLError) -> BoundField?
    {
        guard let path = call.argument else { return nil }
        let bound = try resolve(path, in: &scope, clause: .aggregate, state: &state)
        let kind = FieldKind(bound.field)
        let ok: Bool =
            switch call.function {
            case .count, .countDistinct: true
            case .sum, .avg: kind == .number
            case .max, .min: kind != .boolean && kind != .multipicklist
            }
        guard ok else {
            throw SOQLError.invalidField(
                "field \(bound.name) does not support aggregate operator \(call.function.rawValue)",
                at: path.position, query: state.text)
        }
        return bound
    }

    private func bindChild(_ sub: Query, parent: SObjectType, state: inout State) throws(SOQLError)
        -> BoundQuery
    {
        let text = state.text
        guard let link = relationships.child(sub.from.name, of: parent.name),
            let child = readableObject(link.childObject),
            let lookup = field(link.field, of: child), canRead(child, lookup)
        else {
            throw SOQLError.unknownChildRelationship(sub.from.name, at: sub.from.position, query: text)
        }
        guard sub.groupBy.isEmpty, sub.having == nil, !sub.isAggregate, !sub.isCountOnly else {
            throw SOQLError.malformed(
                "Aggregate functions are not supported in a relationship subquery", at: sub.from.position,
                query: text)
        }
        // Not supported in child subqueries here: refused rather than ignored.
        if let clause = sub.offset != nil
            ? "OFFSET" : sub.scope != nil ? "USING" : sub.security != nil ? "WITH" : nil
        {
            throw SOQLError.malformed("unexpected token: '\(clause)'", at: sub.from.position, query: text)
        }
        return try bind(sub, object: child, alias: state.alias("c"), childLink: link, state: &state)
    }

    // MARK: Paths

    struct Scope {
        let object: SObjectType
        let alias: String
        let fromAlias: String?
        var joins: [ParentHop] = []

        init(object: SObjectType, alias: String, fromAlias: String?) {
            self.object = object
            self.alias = alias
            self.fromAlias = fromAlias
        }
    }

    func resolve(_ path: FieldReference, in scope: inout Scope, clause: Clause, state: inout State)
        throws(SOQLError) -> BoundField
    {
        let text = state.text
        var names = path.components
        if names.count > 1, let fromAlias = scope.fromAlias,
            names[0].caseInsensitiveCompare(fromAlias) == .orderedSame
        {
            names.removeFirst()
        } else if names.count > 1, names[0].caseInsensitiveCompare(scope.object.name) == .orderedSame,
            RelationshipIndex.parentField(names[0], of: scope.object) == nil
        {
            names.removeFirst()
        }
        var object = scope.object
        var tableAlias = scope.alias
        var hops: [ParentHop] = []
        var key = ""
        for name in names.dropLast() {
            let targets =
                RelationshipIndex.parentField(name, of: object).map { lookup in
                    canRead(object, lookup) ? lookup.referenceTo.compactMap { readableObject($0) } : []
                } ?? []
            guard let lookup = RelationshipIndex.parentField(name, of: object), let target = targets.first
            else {
                throw SOQLError.unknownRelationship(name, at: path.position, query: text)
            }
            let relationshipName = RelationshipIndex.parentRelationshipName(of: lookup) ?? name
            key += (key.isEmpty ? "" : ".") + relationshipName.lowercased()
            let hop: ParentHop
            if let existing = scope.joins.first(where: { $0.key == key }) {
                hop = existing
            } else {
                var new = ParentHop(
                    relationshipName: relationshipName, field: lookup.name, fromObject: object.name,
                    toObject: target.name, fromAlias: tableAlias, alias: state.alias("p"), key: key)
                new.alternatives = targets.dropFirst().map {
                    PolymorphicTarget(object: $0.name, alias: state.alias("p"))
                }
                scope.joins.append(new)
                hop = new
            }
            hops.append(hop)
            object = target
            tableAlias = hop.alias
        }
        let last = names.last!
        var alternativeAliases: [String] = []
        if let hop = hops.last, !hop.alternatives.isEmpty {
            // Polymorphic: the field is read from whichever target the lookup points to.
            let holders = hop.targets.filter { target in
                guard let o = org.object(named: target.object), let f = field(last, of: o) else {
                    return false
                }
                return canRead(o, f)
            }
            guard let first = holders.first else {
                throw SOQLError.noSuchColumn(last, entity: "Name", at: path.position, query: text)
            }
            object = org.object(named: first.object)!
            tableAlias = first.alias
            alternativeAliases = holders.dropFirst().map(\.alias)
        }
        guard let field = field(last, of: object), canRead(object, field) else {
            throw SOQLError.noSuchColumn(last, entity: object.name, at: path.position, query: text)
        }
        try check(field, clause: clause, at: path.position, text: text)
        let components =
            (field.type == .address || field.type == .location)
            ? object.sortedFields.filter { $0.compoundParent == field.name } : []
        var bound = BoundField(
            path: path, object: object.name, field: field, hops: hops, tableAlias: tableAlias,
            isMasked: access.isMasked(object: object.name, field: field.name), components: components)
        bound.alternativeAliases = alternativeAliases
        return bound
    }

    /// Compound and encrypted fields cannot be filtered, sorted or grouped (`CLS-8`, assumed wording).
    private func check(_ field: Field, clause: Clause, at position: SourcePosition, text: String)
        throws(SOQLError)
    {
        let verb: String
        switch clause {
        case .select: return
        case .filter: verb = "filtered"
        case .sort: verb = "sorted"
        case .group: verb = "grouped"
        case .aggregate:
            guard field.isCompound && field.type != .name else { return }
            verb = "aggregated"
        }
        let probabilistic = field.encryptionScheme == .probabilistic
        let compound = field.type == .address || field.type == .location
        let deterministicSort =
            clause != .filter && field.encryptionScheme != nil
            && field.encryptionScheme != EncryptionScheme.none
        if probabilistic || compound || field.isClassicEncrypted || deterministicSort
            || (clause != .filter && field.type == .longTextArea)
        {
            throw SOQLError.invalidField(
                "field '\(field.name)' can not be \(verb) in a query call", at: position, query: text)
        }
    }
}
