import AccessModel
import Foundation
import GRDB
import SOQL

/// Turns rows of a generated statement into API records: fields in SELECT order, parent paths nested
/// under their relationship names (`null` when the parent is empty or hidden), compound fields as
/// objects, encrypted fields masked (`CLS-9`), aggregates under their aliases or `exprN`.
struct RowFormatter: Sendable {
    /// One parent hop: the relationship key, the column with the parent's Id (`NULL` when hidden).
    struct Hop: Sendable {
        var relationshipName: String
        var idColumn: Int
        var object: String
        /// Polymorphic targets by Id key prefix.
        var targets: [(prefix: String, object: String)]

        func type(of id: String) -> String {
            let prefix = id.prefix(3)
            return targets.first { $0.prefix == prefix }?.object ?? object
        }
    }

    enum Item: Sendable {
        /// A class, so the per-row loop copies one reference, not five fields and a `Field`.
        case field(FieldColumn)
        case compound(
            name: String, hops: [Hop], components: [(key: String, column: Int, format: ResultValue.Format)])
        case child(name: String)
    }

    /// One plain (or aggregate) column of the result and how to present it.
    final class FieldColumn: Sendable {
        let name: String
        let hops: [Hop]
        let column: Int
        let format: ResultValue.Format
        /// The Classic encrypted field whose mask applies, when the user may not see it in clear.
        let mask: Field?

        init(name: String, hops: [Hop], column: Int, format: ResultValue.Format, mask: Field?) {
            self.name = name
            self.hops = hops
            self.column = column
            self.format = format
            self.mask = mask
        }
    }

    let object: String
    let isAggregate: Bool
    let items: [Item]
    /// The row's own `Id` column (plain queries).
    let idColumn: Int?
    /// The parent's Id column (child subquery rows).
    let parentColumn: Int?

    init(_ query: BoundQuery, columns: [ResultColumn]) {
        object = query.object
        isAggregate = query.isAggregate
        var itemColumn: [Int: Int] = [:]
        var componentColumn: [String: Int] = [:]
        var parentIds: [String: Int] = [:]
        var id: Int?
        var parent: Int?
        for (i, column) in columns.enumerated() {
            switch column.meaning {
            case .item(let item, let component):
                if let component { componentColumn["\(item).\(component)"] = i } else { itemColumn[item] = i }
            case .parentId(let key): parentIds[key] = i
            case .recordId: id = i
            case .parentKey: parent = i
            }
        }
        idColumn = id
        parentColumn = parent
        let aggregate = query.isAggregate
        var items: [Item] = []
        for (index, column) in query.columns.enumerated() {
            switch column {
            case .field(let bound, let outputName):
                let hops: [Hop] =
                    aggregate
                    ? []
                    : bound.hops.compactMap { hop in
                        guard let c = parentIds[hop.key] else { return nil }
                        return Hop(
                            relationshipName: hop.relationshipName, idColumn: c, object: hop.toObject,
                            targets: hop.targets.map { (RecordId.keyPrefix(for: $0.object), $0.object) })
                    }
                if bound.components.isEmpty {
                    items.append(
                        .field(
                            FieldColumn(
                                name: aggregate ? outputName : bound.name, hops: hops,
                                column: itemColumn[index] ?? 0,
                                format: ResultValue.Format(bound.field),
                                mask: bound.isMasked ? bound.field : nil)
                        ))
                } else {
                    items.append(
                        .compound(
                            name: bound.name, hops: hops,
                            components: bound.components.map { component in
                                (
                                    Self.componentKey(component.name, of: bound.name),
                                    componentColumn["\(index).\(component.name)"] ?? 0,
                                    ResultValue.Format(component)
                                )
                            }))
                }
            case .aggregate(let function, let field, let outputName):
                let format: ResultValue.Format
                switch function {
                case .count, .countDistinct: format = .integer
                case .sum, .avg: format = .double
                case .max, .min: format = field.map { ResultValue.Format($0.field) } ?? .integer
                }
                items.append(
                    .field(
                        FieldColumn(
                            name: outputName, hops: [], column: itemColumn[index] ?? 0, format: format,
                            mask: nil)
                    ))
            case .child(let child):
                items.append(.child(name: child.childLink?.name ?? child.object))
            }
        }
        self.items = items
    }

    /// The API key of a compound component: `BillingCity` of `BillingAddress` → `city`,
    /// `Loc__Latitude__s` of `Loc__c` → `latitude`.
    static func componentKey(_ component: String, of compound: String) -> String {
        var base = compound
        if base.hasSuffix("Address") { base = String(base.dropLast("Address".count)) }
        if base.hasSuffix("__c") { base = String(base.dropLast(3)) + "__" }
        var key = component
        if key.hasPrefix(base) { key = String(key.dropFirst(base.count)) }
        if key.hasSuffix("__s") { key = String(key.dropLast(3)) }
        guard let first = key.first else { return component }
        return first.lowercased() + key.dropFirst()
    }

    /// The row's Id.
    func id(_ row: Row) -> String? {
        guard let idColumn else { return nil }
        return row[idColumn] as String?
    }

    /// The API record of a row; child subquery items are `null` until filled in.
    func record(_ row: Row) -> ResultRecord {
        var record = ResultRecord(
            type: isAggregate ? "AggregateResult" : object, id: isAggregate ? nil : id(row))
        record.fields.reserveCapacity(items.count)
        for item in items {
            switch item {
            case .field(let item):
                var value = ResultValue(stored: row[item.column] as DatabaseValue, format: item.format)
                if let mask = item.mask { value = ResultValue.masked(value, field: mask) }
                if item.hops.isEmpty {
                    record.fields.append(ResultField(name: item.name, value: value))
                } else {
                    Self.insert(value, name: item.name, hops: item.hops[...], row: row, into: &record.fields)
                }
            case .compound(let name, let hops, let components):
                var parts: [ResultField] = []
                var empty = true
                for component in components {
                    let value = ResultValue(
                        stored: row[component.column] as DatabaseValue, format: component.format)
                    if !value.isNull { empty = false }
                    parts.append(ResultField(name: component.key, value: value))
                }
                let value: ResultValue = empty ? .null : .compound(parts)
                if hops.isEmpty {
                    record.fields.append(ResultField(name: name, value: value))
                } else {
                    Self.insert(value, name: name, hops: hops[...], row: row, into: &record.fields)
                }
            case .child(let name):
                record.fields.append(ResultField(name: name, value: .null))
            }
        }
        return record
    }

    /// Puts `value` under the nested parents of `hops`, creating each parent record on first use; a
    /// parent whose Id is `NULL` (none, or hidden) is `null` and swallows the value.
    static func insert(
        _ value: ResultValue, name: String, hops: ArraySlice<Hop>, row: Row, into fields: inout [ResultField]
    ) {
        guard let hop = hops.first else {
            fields.append(ResultField(name: name, value: value))
            return
        }
        if let i = fields.firstIndex(where: { $0.name == hop.relationshipName }) {
            guard case .record(var nested) = fields[i].value else { return }
            fields[i].value = .null
            insert(value, name: name, hops: hops.dropFirst(), row: row, into: &nested.fields)
            fields[i].value = .record(nested)
            return
        }
        guard let parentId = row[hop.idColumn] as String? else {
            fields.append(ResultField(name: hop.relationshipName, value: .null))
            return
        }
        var nested = ResultRecord(type: hop.type(of: parentId), id: parentId)
        insert(value, name: name, hops: hops.dropFirst(), row: row, into: &nested.fields)
        fields.append(ResultField(name: hop.relationshipName, value: .record(nested)))
    }
}
