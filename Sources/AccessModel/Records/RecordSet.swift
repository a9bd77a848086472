/// The records of an org, by object, by Id and by reference id, with an index of children by parent.
public struct RecordSet: Hashable, Sendable {
    /// Where a record lives: its object and its position in that object's list.
    public struct Location: Hashable, Sendable {
        public var object: String
        public var index: Int
    }

    struct ChildKey: Hashable, Sendable {
        var parentId: String
        var object: String
        var field: String
    }

    /// Records of each object, in the order they were inserted.
    public private(set) var byObject: [String: [Record]] = [:]
    private var idIndex: [String: Location] = [:]
    private var referenceIndex: [String: String] = [:]
    private var childIndex: [ChildKey: [Int]] = [:]

    public init() {}

    /// Builds a set; a record whose Id is already present is skipped (see `insert`).
    public init<S: Sequence>(_ records: S) where S.Element == Record {
        for record in records { insert(record) }
    }

    /// Adds a record. Returns false, and changes nothing, when a record with the same Id exists.
    @discardableResult
    public mutating func insert(_ record: Record) -> Bool {
        guard idIndex[record.id] == nil else { return false }
        let index = byObject[record.object, default: []].count
        byObject[record.object, default: []].append(record)
        idIndex[record.id] = Location(object: record.object, index: index)
        if let ref = record.referenceId, referenceIndex[ref] == nil { referenceIndex[ref] = record.id }
        for key in Self.childKeys(record) { childIndex[key, default: []].append(index) }
        return true
    }

    /// Adds a record, or replaces the record with its Id in place (same object, same position), its
    /// lookups re-indexed; returns the record replaced. Lets a store keep the set in step with writes
    /// without rebuilding it (a million records took seconds per write).
    @discardableResult
    public mutating func upsert(_ record: Record) -> Record? {
        guard let at = idIndex[record.id], at.object == record.object else {
            insert(record)
            return nil
        }
        let previous = byObject[at.object]![at.index]
        byObject[at.object]![at.index] = record
        for key in Self.childKeys(previous) { childIndex[key]?.removeAll { $0 == at.index } }
        for key in Self.childKeys(record) {
            var positions = childIndex[key, default: []]
            positions.insert(at.index, at: positions.firstIndex { $0 > at.index } ?? positions.count)
            childIndex[key] = positions
        }
        if let ref = record.referenceId, referenceIndex[ref] == nil { referenceIndex[ref] = record.id }
        return previous
    }

    /// The child-index keys of a record's lookups (18-character Id values).
    private static func childKeys(_ record: Record) -> [ChildKey] {
        record.fields.compactMap { field, value in
            guard case .string(let text) = value, text.utf8.count == 18, RecordId.isValid(text) else {
                return nil
            }
            return ChildKey(parentId: text, object: record.object, field: field)
        }
    }

    public var count: Int { idIndex.count }
    public var isEmpty: Bool { idIndex.isEmpty }
    /// Object names that have records, sorted.
    public var objectNames: [String] { byObject.keys.sorted() }

    public func records(of object: String) -> [Record] { byObject[object] ?? [] }

    public func location(id: String) -> Location? {
        if let found = idIndex[id] { return found }
        if id.count == 15, let long = RecordId.normalize(id) { return idIndex[long] }
        return nil
    }

    public func record(id: String) -> Record? {
        guard let location = location(id: id) else { return nil }
        return byObject[location.object]?[location.index]
    }

    public func record(referenceId: String) -> Record? {
        referenceIndex[referenceId].flatMap { record(id: $0) }
    }

    /// The records of `object` whose lookup `field` holds `parentId`, in insertion order.
    public func children(of parentId: String, object: String, field: String) -> [Record] {
        guard let indexes = childIndex[ChildKey(parentId: parentId, object: object, field: field)],
            let list = byObject[object]
        else { return [] }
        return indexes.map { list[$0] }
    }

    /// Positions in `records(of: object)` of the records whose lookup `field` holds `parentId` (an
    /// 18-character Id), in insertion order.
    func positions(ofChildrenOf parentId: String, object: String, field: String) -> [Int] {
        childIndex[ChildKey(parentId: parentId, object: object, field: field)] ?? []
    }

    /// Every record, by object name then insertion order.
    public var all: [Record] { objectNames.flatMap { byObject[$0]! } }

    public static func == (lhs: RecordSet, rhs: RecordSet) -> Bool { lhs.byObject == rhs.byObject }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for name in objectNames { hasher.combine(name) }
    }
}
