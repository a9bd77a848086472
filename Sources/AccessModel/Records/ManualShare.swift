/// A manual share (`RowCause=Manual`, `REC-17`): one record shared with a user or a group at Read or Edit.
public struct ManualShare: Hashable, Sendable {
    public enum Principal: Hashable, Sendable, CustomStringConvertible {
        case user(String)
        case group(String)
        case role(String)
        case roleAndSubordinates(String)

        public var description: String {
            switch self {
            case .user(let n): "user:\(n)"
            case .group(let n): "group:\(n)"
            case .role(let n): "role:\(n)"
            case .roleAndSubordinates(let n): "roleAndSubordinates:\(n)"
            }
        }

        /// Parses `user:x`, `group:x`, `role:x`, `roleAndSubordinates:x`; a bare name is a user.
        public init?(_ text: String) {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard let first = parts.first, !first.isEmpty else { return nil }
            if parts.count == 1 {
                self = .user(first)
                return
            }
            switch first {
            case "user": self = .user(parts[1])
            case "group": self = .group(parts[1])
            case "role": self = .role(parts[1])
            case "roleAndSubordinates": self = .roleAndSubordinates(parts[1])
            default: return nil
            }
        }
    }

    /// 18-character Id of the shared record.
    public var recordId: String
    public var sharedWith: Principal
    /// `Read` or `Edit` (manual shares never give `All`).
    public var accessLevel: AccessLevel

    public init(recordId: String, sharedWith: Principal, accessLevel: AccessLevel) {
        self.recordId = recordId
        self.sharedWith = sharedWith
        self.accessLevel = min(max(accessLevel, .read), .edit)
    }
}
