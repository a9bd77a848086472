/// A record access level, ordered `None < Read < Edit < All` (`REC-6`).
public enum AccessLevel: Int, Comparable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case read = 1
    case edit = 2
    case all = 3

    public static func < (lhs: AccessLevel, rhs: AccessLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The metadata spelling (`None`, `Read`, `Edit`, `All`).
    public var metadataName: String {
        switch self {
        case .none: "None"
        case .read: "Read"
        case .edit: "Edit"
        case .all: "All"
        }
    }

    public var description: String { metadataName.lowercased() }

    /// Parses `Read`, `Edit`, `All`, `None` and the older `ReadWrite` spelling, case-insensitively.
    public init?(metadataName: String) {
        switch metadataName.lowercased() {
        case "none": self = .none
        case "read": self = .read
        case "edit", "readwrite": self = .edit
        case "all", "fullaccess": self = .all
        default: return nil
        }
    }
}
