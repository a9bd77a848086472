/// How bad a finding is. `--fail-on` compares against this order.
public enum FindingSeverity: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case error, warning, info

    /// Errors first.
    var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .info: 2
        }
    }

    /// `error` > `warning` > `info`.
    public static func < (a: FindingSeverity, b: FindingSeverity) -> Bool { a.rank > b.rank }
}

/// One policy finding about one user: what is wrong, which source to change, where in the metadata the
/// change goes, and the one-line fix (`docs/rules.md`).
public struct Finding: Hashable, Sendable, Codable {
    public var rule: FindingRuleID
    public var severity: FindingSeverity
    /// Username.
    public var user: String
    public var object: String?
    public var field: String?
    /// The source to change, in the public naming (`profile:NAME`, `permissionSet:NAME`,
    /// `mutedBy:permissionSetGroup:G`, `license:NAME`, `policy`).
    public var source: String?
    public var message: String
    public var fix: String
    /// Where the change goes, relative to the project root.
    public var file: String?
    /// The line of the exact entry to change, when there is one.
    public var line: Int?

    public init(
        rule: FindingRuleID, severity: FindingSeverity, user: String, object: String? = nil,
        field: String? = nil, source: String? = nil, message: String, fix: String, file: String? = nil,
        line: Int? = nil
    ) {
        self.rule = rule
        self.severity = severity
        self.user = user
        self.object = object
        self.field = field
        self.source = source
        self.message = message
        self.fix = fix
        self.file = file
        self.line = line
    }

    /// `file:line`, `file`, or nil.
    public var location: String? {
        guard let file else { return nil }
        return line.map { "\(file):\($0)" } ?? file
    }
}
