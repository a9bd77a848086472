import AccessModel
import Foundation
import Governance
import Yams

/// `keyhole.yaml`: the people (users, licences, assignments, group membership), the policy and the
/// pointer to record data — data, not metadata. Its shape is a public contract (README).
public struct KeyholeFile: Sendable {
    /// Users declared inline, in file order.
    public var users: [UserEntry]
    /// `users: users/` — a folder of `sf data query --json` exports (README lists the four queries).
    public var usersFolder: String?
    /// Public-group membership beyond `users[].groups`.
    public var groups: [GroupEntry]
    /// `data:` — a folder of record files.
    public var dataFolder: String?
    /// True when a `policy:` key is present.
    public var hasPolicy: Bool
    /// `policy:`, with defaults for what it leaves out.
    public var policy: Policy
    /// `api:` — logins for `keyhole serve` (`KeyholeFile+API.swift`).
    public var api: APISettings?

    public init(
        users: [UserEntry] = [], usersFolder: String? = nil, groups: [GroupEntry] = [],
        dataFolder: String? = nil,
        hasPolicy: Bool = false, policy: Policy = Policy()
    ) {
        self.users = users
        self.usersFolder = usersFolder
        self.groups = groups
        self.dataFolder = dataFolder
        self.hasPolicy = hasPolicy
        self.policy = policy
    }

    /// One `users:` entry, with the line it starts on for error messages.
    public struct UserEntry: Sendable, Hashable {
        public var user: User
        public var line: Int?
        /// The line of each key of the entry, so a problem with a value points at that value.
        public var keyLines: [String: Int] = [:]

        public func line(of key: String) -> Int? { keyLines[key] ?? line }
    }

    /// One `groups:` entry.
    public struct GroupEntry: Sendable, Hashable {
        public var name: String
        public var members: [GroupMember]
        public var line: Int?
    }

    static let topLevelKeys = ["users", "groups", "policy", "data", "api"]
    static let userKeys = [
        "username", "name", "id", "license", "profile", "role", "permissionSetLicenses", "permissionSets",
        "permissionSetGroups", "groups", "active",
    ]
    static let assignmentKeys = ["name", "expires"]
    static let groupKeys = ["name", "members"]
    static let policyKeys = ["integrationUsers", "tiers", "complianceTier", "approvals", "ignore"]
    static let approvalKeys = [
        "user", "field", "access", "justification", "approvedBy", "approvedOn", "expires",
    ]

    /// Parses the text of a `keyhole.yaml`. Every problem is collected; nothing is thrown.
    public static func parse(_ text: String, file: String) -> (KeyholeFile, [Diagnostic]) {
        parse(text, file: file, compose: KeyholeYAML.compose)
    }

    /// Parses with `compose` turning the text into a node tree (`KeyholeYAML.compose`; tests also use
    /// Yams alone, to show both give the same result).
    static func parse(_ text: String, file: String, compose: (String) throws -> Node?) -> (
        KeyholeFile, [Diagnostic]
    ) {
        var reader = Reader(file: file)
        let node: Node?
        do {
            node = try compose(text)
        } catch {
            return (KeyholeFile(), [reader.yamlError(error)])
        }
        guard let node else { return (KeyholeFile(), []) }
        let result = reader.readFile(node)
        return (result, reader.diagnostics)
    }
}

/// A mapping's pairs, copied out once with each key's text. Looking a key up in a `Node.Mapping` copies
/// every pair it passes, and `mapping["key"]` also resolves each key's tag with regular expressions: most
/// of the time of reading 100,000 users.
private struct Entries {
    struct Entry {
        /// `key.string`.
        var name: String?
        var isScalar: Bool
        var key: Node
        var value: Node
    }

    var mapping: Node.Mapping
    var list: [Entry] = []

    init(_ mapping: Node.Mapping) {
        self.mapping = mapping
        list.reserveCapacity(mapping.count)
        for (key, value) in mapping {
            if case .scalar(let scalar) = key {
                list.append(Entry(name: scalar.string, isScalar: true, key: key, value: value))
            } else {
                list.append(Entry(name: key.string, isScalar: false, key: key, value: value))
            }
        }
    }

    /// The value of the first plain key `key`, compared as text.
    func value(_ key: String) -> Node? {
        for index in list.indices where list[index].isScalar && list[index].name == key {
            return list[index].value
        }
        return nil
    }

    /// The mapping as a node, for its line.
    var node: Node { .mapping(mapping) }
}

/// Walks the YAML node tree, turning shape problems into diagnostics with key paths and lines.
private struct Reader {
    let file: String
    var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    mutating func error(_ code: String, _ node: Node?, _ message: String) {
        diagnostics.append(.error(code, file: file, line: node?.mark?.line, message))
    }

    mutating func yamlError(_ error: Error) -> Diagnostic {
        if let error = error as? YamlError, case .duplicatedKeysInMapping(let duplicates, let context) = error
        {
            // Yams' own text for this error carries the whole document as its context.
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return .error(
                "KH-YAML-MALFORMED", file: file, line: context.mark.line,
                "keyhole.yaml is not valid YAML: expected all keys to be unique but found the following duplicated key(s): \(keys) (first on line \(context.mark.line)) — keep one of each"
            )
        }
        let text = String(describing: error)
        // Yams renders "<line>:<column>: error: …"; keep its line when it gives one.
        var line: Int?
        if let first = text.split(separator: ":").first,
            let number = Int(first.trimmingCharacters(in: .whitespaces))
        {
            line = number
        }
        return .error(
            "KH-YAML-MALFORMED", file: file, line: line,
            "keyhole.yaml is not valid YAML: \(text.replacingOccurrences(of: "\n", with: " ")) — fix the indentation or quoting at that line"
        )
    }

    /// Checks a mapping's keys against the known ones, reporting each unknown key with a hint.
    mutating func checkKeys(_ entries: Entries, allowed: [String], path: String) {
        for entry in entries.list {
            guard let name = entry.name, !allowed.contains(name) else { continue }
            let hint = Suggestion.hint(for: name, in: allowed)
            let known = allowed.joined(separator: ", ")
            error(
                "KH-YAML-UNKNOWN-KEY", entry.key,
                "unknown key '\(name)' in \(path).\(hint.isEmpty ? " Known keys: \(known)." : hint)")
        }
    }

    mutating func readFile(_ node: Node) -> KeyholeFile {
        guard case .mapping(let root) = node else {
            error(
                "KH-YAML-SHAPE", node,
                "keyhole.yaml must be a mapping with the keys users, groups, policy, data")
            return KeyholeFile()
        }
        checkKeys(Entries(root), allowed: KeyholeFile.topLevelKeys, path: "keyhole.yaml")
        var result = KeyholeFile()
        if let users = root["users"] {
            switch users {
            case .scalar(let scalar): result.usersFolder = scalar.string
            case .sequence(let items):
                for (index, item) in items.enumerated() {
                    if let entry = readUser(item, path: "users[\(index)]") { result.users.append(entry) }
                }
            case .mapping, .alias:
                error(
                    "KH-YAML-SHAPE", users,
                    "'users' must be a list of users or the path of a folder of org exports (users: users/)")
            }
        }
        if let groups = root["groups"] {
            if case .sequence(let items) = groups {
                for (index, item) in items.enumerated() {
                    if let entry = readGroup(item, path: "groups[\(index)]") { result.groups.append(entry) }
                }
            } else if groups.null == nil {
                error("KH-YAML-SHAPE", groups, "'groups' must be a list of {name, members}")
            }
        }
        if let policy = root["policy"] {
            result.hasPolicy = true
            if case .mapping(let mapping) = policy {
                result.policy = readPolicy(Entries(mapping))
            } else if policy.null == nil {
                error("KH-YAML-SHAPE", policy, "'policy' must be a mapping")
            }
        }
        if let data = root["data"] {
            if let folder = data.string, !folder.isEmpty {
                result.dataFolder = folder
            } else {
                error(
                    "KH-YAML-SHAPE", data, "'data' must be the path of a folder of record files (data: data/)"
                )
            }
        }
        if let api = root["api"] { result.api = .read(api, file: file, into: &diagnostics) }
        return result
    }

    mutating func string(_ mapping: Entries, _ key: String, path: String, required: Bool = false)
        -> String?
    {
        guard let node = mapping.value(key) else {
            if required {
                error(
                    "KH-YAML-MISSING-KEY", mapping.node,
                    "\(path) has no '\(key)'; every user needs username, license and profile")
            }
            return nil
        }
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            error("KH-YAML-SHAPE", node, "\(path).\(key) must be a single value")
            return nil
        }
        return scalar.string
    }

    mutating func strings(_ mapping: Entries, _ key: String, path: String) -> [String] {
        guard let node = mapping.value(key) else { return [] }
        switch node {
        case .sequence(let items):
            return items.compactMap { item in
                guard let text = item.string, !text.isEmpty else {
                    error("KH-YAML-SHAPE", item, "\(path).\(key) must be a list of names")
                    return nil
                }
                return text
            }
        case .scalar(let scalar) where node.null != nil || scalar.string.isEmpty:
            return []
        case .scalar(let scalar):
            return [scalar.string]
        default:
            error("KH-YAML-SHAPE", node, "\(path).\(key) must be a list of names")
            return []
        }
    }

    /// Assignments: a plain name, or `{name: X, expires: 2027-01-01}` (`PSG-8`).
    mutating func assignments(_ mapping: Entries, _ key: String, path: String) -> [Assignment] {
        guard let node = mapping.value(key) else { return [] }
        guard case .sequence(let items) = node else {
            if node.null != nil { return [] }
            if let name = node.string, !name.isEmpty { return [Assignment(name: name)] }
            error("KH-YAML-SHAPE", node, "\(path).\(key) must be a list of names")
            return []
        }
        var result: [Assignment] = []
        for (index, item) in items.enumerated() {
            switch item {
            case .scalar(let scalar):
                result.append(Assignment(name: scalar.string))
            case .mapping(let mapping):
                let entry = Entries(mapping)
                let itemPath = "\(path).\(key)[\(index)]"
                checkKeys(entry, allowed: KeyholeFile.assignmentKeys, path: itemPath)
                guard let name = string(entry, "name", path: itemPath) else {
                    error("KH-YAML-MISSING-KEY", item, "\(itemPath) needs a 'name'")
                    continue
                }
                var expires: Date?
                if let text = string(entry, "expires", path: itemPath) {
                    expires = KeyholeDate.parse(text)
                    if expires == nil {
                        error(
                            "KH-YAML-BAD-VALUE", mapping["expires"],
                            "\(itemPath).expires '\(text)' is not a date; write it as YYYY-MM-DD")
                    }
                }
                result.append(Assignment(name: name, expirationDate: expires))
            default:
                error("KH-YAML-SHAPE", item, "\(path).\(key)[\(index)] must be a name or {name, expires}")
            }
        }
        return result
    }

    mutating func readUser(_ node: Node, path: String) -> KeyholeFile.UserEntry? {
        guard case .mapping(let yamlMapping) = node else {
            error("KH-YAML-SHAPE", node, "\(path) must be a mapping with username, license, profile, …")
            return nil
        }
        let mapping = Entries(yamlMapping)
        let username = string(mapping, "username", path: path, required: true)
        let label = username.map { "\(path) (\($0))" } ?? path
        checkKeys(mapping, allowed: KeyholeFile.userKeys, path: label)
        let license = string(mapping, "license", path: label, required: true)
        let profile = string(mapping, "profile", path: label, required: true)
        var active = true
        if let node = mapping.value("active") {
            if let value = node.bool {
                active = value
            } else {
                error("KH-YAML-BAD-VALUE", node, "\(label).active must be true or false")
            }
        }
        guard let username, let license, let profile else { return nil }
        let user = User(
            username: username, name: string(mapping, "name", path: label),
            id: string(mapping, "id", path: label),
            license: license, profile: profile, role: string(mapping, "role", path: label), isActive: active,
            permissionSets: assignments(mapping, "permissionSets", path: label),
            permissionSetGroups: assignments(mapping, "permissionSetGroups", path: label),
            permissionSetLicenses: strings(mapping, "permissionSetLicenses", path: label),
            groups: strings(mapping, "groups", path: label))
        var keyLines: [String: Int] = [:]
        for entry in mapping.list {
            if let name = entry.name, let line = entry.key.mark?.line { keyLines[name] = line }
        }
        return KeyholeFile.UserEntry(user: user, line: node.mark?.line, keyLines: keyLines)
    }

    mutating func readPolicy(_ entries: Entries) -> Policy {
        let mapping = entries.mapping
        checkKeys(entries, allowed: KeyholeFile.policyKeys, path: "policy")
        var policy = Policy()
        policy.integrationUsers = strings(entries, "integrationUsers", path: "policy")
        policy.tiers = tierMap(mapping["tiers"], path: "policy.tiers", defaults: Policy.defaultTiers)
        policy.complianceTiers = tierMap(
            mapping["complianceTier"], path: "policy.complianceTier", defaults: [:])
        let known = FindingRuleID.allCases.map(\.rawValue)
        for id in strings(entries, "ignore", path: "policy") {
            if known.contains(id) {
                policy.ignore.insert(id)
            } else {
                error(
                    "KH-YAML-BAD-VALUE", mapping["ignore"],
                    "policy.ignore names '\(id)', which is not a rule ID.\(Suggestion.hint(for: id, in: known)) The rules are listed in docs/rules.md"
                )
            }
        }
        if let node = mapping["approvals"] {
            if case .sequence(let items) = node {
                for (index, item) in items.enumerated() {
                    if let approval = readApproval(item, path: "policy.approvals[\(index)]") {
                        policy.approvals.append(approval)
                    }
                }
            } else if node.null == nil {
                error(
                    "KH-YAML-SHAPE", node,
                    "policy.approvals must be a list of {user, field, access, justification, …}")
            }
        }
        return policy
    }

    /// A `value: tier` map; tiers are 1 (open), 2 (justification needed) or 3 (approval needed).
    mutating func tierMap(_ node: Node?, path: String, defaults: [String: Int]) -> [String: Int] {
        guard let node else { return defaults }
        guard case .mapping(let mapping) = node else {
            if node.null != nil { return defaults }
            error("KH-YAML-SHAPE", node, "\(path) must map values to tiers, e.g. Confidential: 2")
            return defaults
        }
        var result = defaults
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            guard let tier = value.int, (1...3).contains(tier) else {
                error(
                    "KH-YAML-BAD-VALUE", value,
                    "\(path).\(name) must be 1, 2 or 3 (1 open, 2 needs a justification, 3 needs an approval)"
                )
                continue
            }
            result[name] = tier
        }
        return result
    }

    mutating func readApproval(_ node: Node, path: String) -> Approval? {
        guard case .mapping(let mapping) = node else {
            error("KH-YAML-SHAPE", node, "\(path) must be a mapping {user, field, access, justification, …}")
            return nil
        }
        let entries = Entries(mapping)
        checkKeys(entries, allowed: KeyholeFile.approvalKeys, path: path)
        let user = string(entries, "user", path: path)
        let field = string(entries, "field", path: path)
        guard let user, let field else {
            error("KH-YAML-MISSING-KEY", node, "\(path) needs 'user' and 'field' (Object.Field)")
            return nil
        }
        if FieldPath.split(field) == nil {
            error(
                "KH-YAML-BAD-VALUE", mapping["field"],
                "\(path).field '\(field)' must be Object.Field, e.g. Account.Annual_Revenue__c")
        }
        var access = FieldAccessKind.read
        if let text = string(entries, "access", path: path) {
            if let kind = FieldAccessKind(rawValue: text) {
                access = kind
            } else {
                error(
                    "KH-YAML-BAD-VALUE", mapping["access"],
                    "\(path).access must be read or edit, not '\(text)'")
            }
        }
        func date(_ key: String) -> Date? {
            guard let text = string(entries, key, path: path) else { return nil }
            if let date = KeyholeDate.parse(text) { return date }
            error(
                "KH-YAML-BAD-VALUE", mapping[key],
                "\(path).\(key) '\(text)' is not a date; write it as YYYY-MM-DD")
            return nil
        }
        return Approval(
            user: user, field: field, access: access,
            justification: string(entries, "justification", path: path),
            approvedBy: string(entries, "approvedBy", path: path), approvedOn: date("approvedOn"),
            expires: date("expires"), line: node.mark?.line)
    }

    mutating func readGroup(_ node: Node, path: String) -> KeyholeFile.GroupEntry? {
        guard case .mapping(let mapping) = node else {
            error("KH-YAML-SHAPE", node, "\(path) must be a mapping {name, members}")
            return nil
        }
        let entries = Entries(mapping)
        checkKeys(entries, allowed: KeyholeFile.groupKeys, path: path)
        guard let name = string(entries, "name", path: path) else {
            error("KH-YAML-MISSING-KEY", node, "\(path) needs a 'name' (the group's developer name)")
            return nil
        }
        var members: [GroupMember] = []
        for text in strings(entries, "members", path: "\(path) (\(name))") {
            if let member = GroupMember(text) {
                members.append(member)
            } else {
                error(
                    "KH-YAML-BAD-VALUE", mapping["members"],
                    "\(path) (\(name)) member '\(text)' is not of the form kind:name; kinds are user, group, role, roleAndSubordinates, roleAndInternalSubordinates, allInternalUsers"
                )
            }
        }
        return KeyholeFile.GroupEntry(name: name, members: members, line: node.mark?.line)
    }
}

/// Dates in `keyhole.yaml` and org exports: `YYYY-MM-DD` or ISO 8601 date-times, in UTC.
enum KeyholeDate {
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "yyyy-MM-dd"
        if trimmed.count == 10, let date = day.date(from: trimmed) { return date }
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: trimmed) { return date }
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = iso.date(from: trimmed) { return date }
        // Salesforce writes "2026-11-01T00:00:00.000+0000".
        let salesforce = DateFormatter()
        salesforce.locale = Locale(identifier: "en_US_POSIX")
        salesforce.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSZ"
        return salesforce.date(from: trimmed)
    }
}
