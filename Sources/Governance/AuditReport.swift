/// The result of an audit: every finding in a stable order, the users audited, and counts by severity.
public struct AuditReport: Hashable, Sendable, Codable {
    public struct Summary: Hashable, Sendable, Codable {
        public var error: Int
        public var warning: Int
        public var info: Int

        public init(error: Int = 0, warning: Int = 0, info: Int = 0) {
            self.error = error
            self.warning = warning
            self.info = info
        }

        public init(_ findings: [Finding]) {
            self.init()
            for finding in findings {
                switch finding.severity {
                case .error: error += 1
                case .warning: warning += 1
                case .info: info += 1
                }
            }
        }

        public var total: Int { error + warning + info }
    }

    /// Ordered by user (in `org.users` order), severity, rule, object, field, source.
    public var findings: [Finding]
    /// Usernames audited, in `org.users` order.
    public var users: [String]
    public var summary: Summary

    public init(findings: [Finding], users: [String]) {
        self.findings = findings
        self.users = users
        summary = Summary(findings)
    }

    /// True when some finding is at least as severe as `severity`.
    public func hasFindings(atOrAbove severity: FindingSeverity) -> Bool {
        findings.contains { $0.severity >= severity }
    }

    /// The findings about one user.
    public func findings(for user: String) -> [Finding] { findings.filter { $0.user == user } }
}
