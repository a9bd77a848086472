import Foundation

/// Usernames → positions in `Org.users`, matched case-insensitively as Salesforce matches usernames.
///
/// Built once, on first use, and shared by copies of the org until its users change (`Org.users`
/// replaces it then). Every command on a large org looks users up by name (the asked user, record
/// owners, group members, rule principals); a scan per lookup cost 80 ms at 100,000 users, and each
/// evaluator keying its own dictionary cost as much as the decision it was built for (issue 4).
///
/// A cache, not part of the org's value: it compares equal to every other directory and hashes to
/// nothing, so `Org`'s equality is its users'.
final class UserDirectory: Hashable, @unchecked Sendable {
    private let lock = NSLock()
    private var table: NameIndex?

    init() {}

    /// The position of the user named `username` in `users` (the list this directory belongs to).
    func index(of username: String, in users: [User]) -> Int? {
        table(users).index(of: username) { users[$0].username }
    }

    func table(_ users: [User]) -> NameIndex {
        lock.lock()
        defer { lock.unlock() }
        if let table { return table }
        // Reading 100,000 usernames is bound by memory latency (each name is its own allocation), so
        // slices are hashed in parallel; filling the table then touches no string unless two hashes
        // are equal.
        let hashes = concurrentMap(count: users.count, slice: 8192) {
            NameIndex.hash(users[$0].username, ignoringCase: true)
        }
        let built = NameIndex(ignoringCase: true, hashes: hashes) { users[$0].username }
        table = built
        return built
    }

    static func == (lhs: UserDirectory, rhs: UserDirectory) -> Bool { true }
    func hash(into hasher: inout Hasher) {}
}
