import AccessModel
import Foundation

/// A resolved field reference: the field, the object it belongs to, and the parent hops that lead there.
public struct BoundField: Hashable, Sendable, CustomStringConvertible {
    /// The path as written.
    public var path: FieldReference
    /// The object that has the field (the last hop's target, or the queried object).
    public var object: String
    public var field: Field
    /// Relationships followed from the queried object, in order (empty for its own fields).
    public var hops: [ParentHop]
    /// The SQL alias of the table holding the column.
    public var tableAlias: String
    /// After a polymorphic hop: the aliases of the other targets that have the field too; the value is
    /// the first non-null of `tableAlias` and these.
    public var alternativeAliases: [String] = []
    /// Classic encryption without View Encrypted Data: the caller shows the mask (`CLS-9`).
    public var isMasked: Bool
    /// For an address or location compound field: its components, which hold the values.
    public var components: [Field]

    /// Canonical name of the field.
    public var name: String { field.name }
    public var description: String { (hops.map(\.relationshipName) + [field.name]).joined(separator: ".") }
}
