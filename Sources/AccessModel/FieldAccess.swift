/// The field permission one source grants (or a muting set mutes) on one field (`FLS-2`).
public struct FieldAccess: Hashable, Sendable {
    public var readable: Bool
    public var editable: Bool
    public init(readable: Bool, editable: Bool) {
        self.readable = readable
        self.editable = editable
    }

    public static let none = FieldAccess(readable: false, editable: false)
    public static let read = FieldAccess(readable: true, editable: false)
    public static let edit = FieldAccess(readable: true, editable: true)

    /// The union of two entries for the same field (`FLS-3`, and duplicate entries in one file, `TRAP-11`).
    public func union(_ other: FieldAccess) -> FieldAccess {
        FieldAccess(readable: readable || other.readable, editable: editable || other.editable)
    }

    /// What takes effect: editable implies readable (`FLS-2`).
    public var effective: FieldAccess { FieldAccess(readable: readable || editable, editable: editable) }

    public var isNone: Bool { !readable && !editable }
}
