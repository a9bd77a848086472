import AccessModel
import Foundation

extension DataAccessMatrix {
    /// Strings compared as `caseInsensitiveCompare` compares them, looked up in a set: an ASCII string by
    /// its lowercased form (ASCII case-insensitive equality is that), any other against each member.
    struct CaseInsensitiveSet {
        private var ascii: Set<String> = []
        /// Members with characters beyond ASCII.
        private var others: [String] = []
        private var all: [String] = []

        init(_ strings: some Sequence<String>) {
            for text in strings {
                all.append(text)
                if Self.isASCII(text) {
                    ascii.insert(text.lowercased())
                } else {
                    others.append(text)
                }
            }
        }

        var isEmpty: Bool { all.isEmpty }

        func contains(_ text: String) -> Bool {
            guard !all.isEmpty else { return false }
            if Self.isASCII(text) {
                if ascii.contains(text.lowercased()) { return true }
                return others.contains { $0.caseInsensitiveCompare(text) == .orderedSame }
            }
            return all.contains { $0.caseInsensitiveCompare(text) == .orderedSame }
        }

        static func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }
    }

    /// `Policy.isIntegrationUser` for many users: the listed usernames are looked up in a set instead of
    /// compared one by one.
    struct IntegrationUserTest {
        let listed: CaseInsensitiveSet
        /// The policy without its list: the licence and profile tests.
        let unlisted: Policy
        let org: Org

        init(policy: Policy, org: Org) {
            listed = CaseInsensitiveSet(policy.integrationUsers)
            var unlisted = policy
            unlisted.integrationUsers = []
            self.unlisted = unlisted
            self.org = org
        }

        func matches(_ user: User) -> Bool {
            listed.contains(user.username) || unlisted.isIntegrationUser(user, in: org)
        }
    }

    /// The fields named by the approvals naming one user (`Policy.approvals(user:field:)`), so that cells
    /// no approval names are judged without scanning the approvals.
    struct ApprovedFields {
        let fields: CaseInsensitiveSet

        init(policy: Policy, user: String) {
            fields = CaseInsensitiveSet(
                policy.approvals.filter { $0.user.caseInsensitiveCompare(user) == .orderedSame }.map(\.field))
        }

        func names(object: String, field: String) -> Bool {
            !fields.isEmpty && fields.contains(FieldPath.key(object: object, field: field))
        }
    }
}
