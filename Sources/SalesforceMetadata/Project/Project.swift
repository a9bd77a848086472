import AccessModel
import Foundation
import Governance

/// A loaded project: the org built from its metadata, the standard catalog and `keyhole.yaml`, with every
/// problem found on the way. Every command starts here; nothing else reads the project.
public struct Project: Sendable {
    /// The folder as the user named it, for messages.
    public var path: String
    public var root: URL
    public var format: ProjectFormat
    public var org: Org
    public var metadata: MetadataLoad
    public var keyholeFile: KeyholeFile?
    /// The policy of `keyhole.yaml`, or the default one.
    public var policy: Policy { keyholeFile?.policy ?? Policy() }
    /// Errors and notes from every stage, in the order found.
    public var diagnostics: [Diagnostic]

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var notes: [Diagnostic] { diagnostics.filter { $0.severity == .note } }

    /// Loads `path`. Never throws: an unusable project comes back with error diagnostics.
    public static func load(path: String, forceScan: Bool = false) -> Project {
        let root = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            let exists = FileManager.default.fileExists(atPath: root.path)
            let message =
                exists
                ? "'\(path)' is a file; give the project folder (the one holding sfdx-project.json, package.xml or keyhole.yaml)"
                : "no folder at '\(path)'; give the path of an SFDX project or a Metadata API folder"
            let load = MetadataLoad.empty
            return Project(
                path: path, root: root, format: .scan, org: Org(), metadata: load, keyholeFile: nil,
                diagnostics: [.error("KH-IO-UNREADABLE", file: path, message)])
        }
        // keyhole.yaml does not depend on the metadata: it is read and parsed while the metadata loads.
        let keyholeRead = KeyholeFileRead(root: root)
        let load = MetadataLoader.load(projectRoot: root, forceScan: forceScan)
        var diagnostics = load.diagnostics
        var org = load.org
        do {
            org = try StandardCatalog.bundled().merged(into: org)
        } catch {
            diagnostics.append(
                .error(
                    "KH-CATALOG-BROKEN",
                    "the bundled standard-object catalog could not be read: \(error); reinstall Keyhole"))
        }
        diagnostics += MetadataLoader.unresolvedFieldNotes(org: org, sourceMap: load.sourceMap)
        var project = Project(
            path: path, root: root, format: load.format, org: org, metadata: load, keyholeFile: nil,
            diagnostics: diagnostics)
        project.applyKeyholeFile(keyholeRead.result)
        project.loadRecordData()
        for rule in project.org.sharingRules {
            let file = project.metadata.sourceMap.location(of: "sharingRule:\(rule.object).\(rule.name)")?
                .file
            project.diagnostics += rule.validate(in: project.org, file: file)
        }
        return project
    }

    /// Reads the record files of the `data:` folder (`sf data tree` JSON, CSV, manual shares).
    mutating func loadRecordData() {
        guard let folder = keyholeFile?.dataFolder else { return }
        let url = root.appendingPathComponent(folder)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
            isDirectory.boolValue,
            let enumerator = FileManager.default.enumerator(
                at: url, includingPropertiesForKeys: [.isRegularFileKey])
        else {
            diagnostics.append(
                .error(
                    "KH-IO-UNREADABLE", file: "keyhole.yaml",
                    "the data folder '\(folder)' named by keyhole.yaml does not exist; create it or remove 'data:'"
                ))
            return
        }
        var files: [(path: String, contents: Data)] = []
        let prefix = root.standardizedFileURL.path + "/"
        for case let file as URL in enumerator where RecordData.isDataFile(file.path) {
            let path = file.standardizedFileURL.path
            let relative = path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
            guard let contents = try? Data(contentsOf: file) else {
                diagnostics.append(.error("KH-IO-UNREADABLE", file: relative, "cannot read this record file"))
                continue
            }
            files.append((relative, contents))
        }
        files.sort { $0.path < $1.path }
        let (records, shares, problems) = RecordData.load(files: files, org: org)
        org.records = records
        org.manualShares = shares
        diagnostics += problems
    }

    /// Adds the people of `keyhole.yaml` (if any) to the org, checking every name they use.
    mutating func applyKeyholeFile(_ read: KeyholeFileRead.Result) {
        let file: KeyholeFile
        switch read {
        case .absent:
            return
        case .unreadable:
            diagnostics.append(
                .error("KH-IO-UNREADABLE", file: "keyhole.yaml", "cannot read keyhole.yaml as UTF-8 text"))
            return
        case .parsed(let parsed, let problems):
            diagnostics += problems
            file = parsed
        }
        keyholeFile = file

        var users: [(User, KeyholeFile.UserEntry?)] = file.users.map { ($0.user, $0) }
        if let folder = file.usersFolder {
            let (export, exportProblems) = OrgExport.read(
                folder: root.appendingPathComponent(folder), displayPath: folder)
            diagnostics += exportProblems
            users += export.users.map { ($0, nil) }
            for (group, members) in export.groupMembers {
                ensureGroup(group, line: nil)
                org.groups[group]?.members += members
            }
        }
        for entry in file.groups {
            ensureGroup(entry.name, line: entry.line)
            org.groups[entry.name]?.members += entry.members
        }
        var seen: Set<String> = []
        for (user, entry) in users {
            if !seen.insert(user.username.lowercased()).inserted {
                diagnostics.append(
                    .error(
                        "KH-YAML-DUPLICATE-USER", file: "keyhole.yaml", line: entry?.line,
                        "user \(user.username) is declared twice; keep one entry"))
                continue
            }
            validate(user, entry: entry)
            for group in user.groups where org.groups[group] != nil {
                org.groups[group]?.members.append(.user(user.username))
            }
            org.users.append(user)
        }
        for entry in file.groups {
            for member in entry.members { validate(member, of: entry.name, line: entry.line, users: seen) }
        }
        validate(file.policy, users: seen)
        diagnostics +=
            file.api?.validate(usernames: seen, known: org.users.map(\.username), file: "keyhole.yaml") ?? []
        org.indexUsers()
    }

    /// A group named in `keyhole.yaml` must exist in the metadata.
    private mutating func ensureGroup(_ name: String, line: Int?) {
        guard org.groups[name] == nil else { return }
        diagnostics.append(
            .error(
                "KH-YAML-UNKNOWN-GROUP", file: "keyhole.yaml", line: line,
                "group '\(name)' is not a public group in the project.\(Suggestion.hint(for: name, in: org.groups.keys)) Add groups/\(name).group-meta.xml or fix the name"
            ))
    }

    private mutating func validate(_ user: User, entry: KeyholeFile.UserEntry?) {
        let file = entry == nil ? keyholeFile?.usersFolder : "keyhole.yaml"
        func check(_ name: String, _ kind: String, _ known: some Collection<String>, key: String, fix: String)
        {
            guard !known.contains(name) else { return }
            diagnostics.append(
                .error(
                    "KH-YAML-UNKNOWN-\(kind.uppercased().replacingOccurrences(of: " ", with: "-"))",
                    file: file, line: entry?.line(of: key),
                    "user \(user.username) names \(kind) '\(name)', which the project does not contain.\(Suggestion.hint(for: name, in: known)) \(fix)"
                ))
        }
        check(
            user.profile, "profile", org.profiles.keys, key: "profile",
            fix:
                "Use the profile's metadata name (its file name, decoded), or add the profile to the project."
        )
        check(
            user.license, "license", org.userLicenses.keys, key: "license",
            fix: "Use a user licence name such as 'Salesforce' or 'Salesforce Integration'.")
        if let role = user.role {
            check(
                role, "role", org.roles.keys, key: "role",
                fix: "Use the role's developer name (its file name).")
        }
        for assignment in user.permissionSets {
            check(
                assignment.name, "permission set", org.permissionSets.keys, key: "permissionSets",
                fix: "Use the permission set's API name (its file name).")
        }
        for assignment in user.permissionSetGroups {
            check(
                assignment.name, "permission set group", org.permissionSetGroups.keys,
                key: "permissionSetGroups",
                fix: "Use the group's API name (its file name).")
        }
        for license in user.permissionSetLicenses {
            check(
                license, "permission set license", org.permissionSetLicenses.keys,
                key: "permissionSetLicenses",
                fix: "Use the licence's developer name, e.g. SalesforceAPIIntegrationPsl.")
        }
        for group in user.groups {
            check(
                group, "group", org.groups.keys, key: "groups",
                fix: "Use the public group's developer name.")
        }
    }

    /// Approvals and integration users must name users and fields the project has.
    private mutating func validate(_ policy: Policy, users: Set<String>) {
        let usernames = org.users.map(\.username)
        for name in policy.integrationUsers where !users.contains(name.lowercased()) {
            diagnostics.append(
                .error(
                    "KH-YAML-UNKNOWN-USER", file: "keyhole.yaml",
                    "policy.integrationUsers names '\(name)', who is not in users.\(Suggestion.hint(for: name, in: usernames))"
                ))
        }
        for approval in policy.approvals {
            if !users.contains(approval.user.lowercased()) {
                diagnostics.append(
                    .error(
                        "KH-YAML-UNKNOWN-USER", file: "keyhole.yaml", line: approval.line,
                        "an approval names user '\(approval.user)', who is not in users.\(Suggestion.hint(for: approval.user, in: usernames))"
                    ))
            }
            guard let (object, field) = FieldPath.split(approval.field) else { continue }
            if let type = org.object(named: object) {
                if type.fields[field] == nil {
                    diagnostics.append(
                        .error(
                            "KH-YAML-UNKNOWN-FIELD", file: "keyhole.yaml", line: approval.line,
                            "an approval names field \(approval.field), which \(type.name) does not have.\(Suggestion.hint(for: field, in: type.fields.keys))"
                        ))
                }
            } else {
                diagnostics.append(
                    .error(
                        "KH-YAML-UNKNOWN-OBJECT", file: "keyhole.yaml", line: approval.line,
                        "an approval names object \(object), which the project does not have.\(Suggestion.hint(for: object, in: org.objects.keys))"
                    ))
            }
        }
    }

    private mutating func validate(_ member: GroupMember, of group: String, line: Int?, users: Set<String>) {
        let problem: String?
        switch member {
        case .user(let name):
            problem = users.contains(name.lowercased()) ? nil : "user '\(name)', who is not in users"
        case .group(let name):
            problem =
                org.groups[name] != nil
                ? nil
                : "group '\(name)', which is not in the project.\(Suggestion.hint(for: name, in: org.groups.keys))"
        case .role(let name), .roleAndSubordinates(let name), .roleAndInternalSubordinates(let name):
            problem =
                org.roles[name] != nil
                ? nil
                : "role '\(name)', which is not in the project.\(Suggestion.hint(for: name, in: org.roles.keys))"
        case .allInternalUsers:
            problem = nil
        }
        if let problem {
            diagnostics.append(
                .error(
                    "KH-YAML-UNKNOWN-MEMBER", file: "keyhole.yaml", line: line,
                    "group \(group) has member \(problem)"))
        }
    }
}

/// Reads and parses a project's `keyhole.yaml` on a thread of its own, from creation until `result` is
/// asked for: parsing 100,000 users takes seconds, and the metadata load does not need them.
final class KeyholeFileRead: @unchecked Sendable {
    enum Result: Sendable {
        case absent
        case unreadable
        case parsed(KeyholeFile, [Diagnostic])
    }

    private let done = DispatchSemaphore(value: 0)
    /// Written once by the reading thread before it signals `done`.
    private var value: Result = .absent

    init(root: URL) {
        let url = root.appendingPathComponent("keyhole.yaml")
        Thread.detachNewThread { [self] in
            value = Self.read(url)
            done.signal()
        }
    }

    /// Waits for the reading thread.
    var result: Result {
        done.wait()
        done.signal()
        return value
    }

    static func read(_ url: URL) -> Result {
        guard FileManager.default.fileExists(atPath: url.path) else { return .absent }
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) else {
            return .unreadable
        }
        let (file, problems) = KeyholeFile.parse(text, file: "keyhole.yaml")
        return .parsed(file, problems)
    }
}
