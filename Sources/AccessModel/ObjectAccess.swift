/// The object permissions one source grants (or a muting set mutes) on one object (`OBJ-1`).
public struct ObjectAccess: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let read = ObjectAccess(rawValue: 1 << 0)
    public static let create = ObjectAccess(rawValue: 1 << 1)
    public static let edit = ObjectAccess(rawValue: 1 << 2)
    public static let delete = ObjectAccess(rawValue: 1 << 3)
    public static let viewAllRecords = ObjectAccess(rawValue: 1 << 4)
    public static let modifyAllRecords = ObjectAccess(rawValue: 1 << 5)
    public static let viewAllFields = ObjectAccess(rawValue: 1 << 6)

    public static let everything: ObjectAccess = [
        .read, .create, .edit, .delete, .viewAllRecords, .modifyAllRecords, .viewAllFields,
    ]

    /// Each permission with its metadata element name and the label Salesforce uses in messages.
    public static let named: [(permission: ObjectAccess, element: String, label: String)] = [
        (.create, "allowCreate", "Create"),
        (.delete, "allowDelete", "Delete"),
        (.edit, "allowEdit", "Edit"),
        (.read, "allowRead", "Read"),
        (.modifyAllRecords, "modifyAllRecords", "Modify All"),
        (.viewAllFields, "viewAllFields", "View All Fields"),
        (.viewAllRecords, "viewAllRecords", "View All"),
    ]

    /// Adds what the granted permissions imply (`OBJ-2`): Create, Edit ⇒ Read; Delete ⇒ Read, Edit;
    /// View All Records, View All Fields ⇒ Read; Modify All ⇒ Read, Edit, Delete, View All.
    public var closedUnderDependencies: ObjectAccess {
        var result = self
        if result.contains(.modifyAllRecords) { result.formUnion([.read, .edit, .delete, .viewAllRecords]) }
        if result.contains(.delete) { result.formUnion([.read, .edit]) }
        if !result.isDisjoint(with: [.create, .edit, .viewAllRecords, .viewAllFields]) {
            result.insert(.read)
        }
        return result
    }

    /// Removes what can no longer stand once its prerequisites are gone (`PSG-5`, assumed): without Read
    /// nothing remains; without Edit, no Delete or Modify All; without Delete or View All, no Modify All.
    public var prunedToDependencies: ObjectAccess {
        var result = self
        if !result.contains(.read) { return [] }
        if !result.contains(.edit) { result.subtract([.delete, .modifyAllRecords]) }
        if !result.contains(.delete) || !result.contains(.viewAllRecords) { result.remove(.modifyAllRecords) }
        return result
    }

    /// The permissions granted but whose prerequisites are not (`OBJ-2`): what Salesforce would refuse to save.
    public var missingDependencies: ObjectAccess {
        closedUnderDependencies.subtracting(self)
    }

    public var description: String {
        let letters: [(ObjectAccess, Character)] = [
            (.create, "C"), (.read, "R"), (.edit, "E"), (.delete, "D"), (.viewAllRecords, "V"),
            (.modifyAllRecords, "M"), (.viewAllFields, "F"),
        ]
        let text = String(letters.compactMap { contains($0.0) ? $0.1 : nil })
        return text.isEmpty ? "-" : text
    }
}
