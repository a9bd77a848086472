import AccessModel
import ArgumentParser
import Foundation
import SalesforceMetadata

/// `keyhole who-can PROJECT --field O.F | --object O [--access …]` — every user with that access, and the
/// sources that give it (the evaluator's reverse lookup).
struct WhoCanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "who-can",
        abstract: "List every user who can read or edit a field, or hold a permission on an object, and why.",
        discussion: """
            --field O.F takes --access read (default) or edit. --object O takes --access read (default), \
            create, edit, delete, viewAll, modifyAll or viewAllFields.

            Exit codes: 0 ok (also when nobody has the access); 1 unknown object or field; 64 usage error.
            """)

    static let objectAccessNames: [(name: String, permission: ObjectAccess)] = [
        ("read", .read), ("create", .create), ("edit", .edit), ("delete", .delete),
        ("viewAll", .viewAllRecords),
        ("modifyAll", .modifyAllRecords), ("viewAllFields", .viewAllFields),
    ]

    @OptionGroup var options: ProjectOptions

    @Option(help: "A field, as Object.Field.")
    var field: String?

    @Option(help: "An object (API name).")
    var object: String?

    @Option(
        help:
            "For --field: read or edit. For --object: read, create, edit, delete, viewAll, modifyAll, viewAllFields."
    )
    var access: String = "read"

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        guard [.text, .json].contains(format) else {
            throw ValidationError("who-can prints text or json, not \(format.rawValue)")
        }
        switch (field, object) {
        case (nil, nil): throw ValidationError("give --field Object.Field or --object Object")
        case (.some, .some): throw ValidationError("give --field or --object, not both")
        case (.some(let field), nil):
            guard Lookup.fieldPath(field) != nil else {
                throw ValidationError(
                    "--field takes Object.Field (for example Contact.SSN__c), not '\(field)'")
            }
            guard FieldAccessKind(rawValue: access) != nil else {
                throw ValidationError("--access for a field is read or edit, not '\(access)'")
            }
        case (nil, .some):
            guard Self.objectAccessNames.contains(where: { $0.name == access }) else {
                let names = Self.objectAccessNames.map(\.name).joined(separator: ", ")
                throw ValidationError("--access for an object is one of \(names), not '\(access)'")
            }
        }
    }

    func run() throws {
        let project = try options.load()
        try InputError.exitOnFailure {
            Console.out(
                try Self.output(
                    project: project, field: field, object: object, access: access, format: format,
                    style: .terminal))
        }
    }

    /// The command's output for a loaded project; throws `InputError` for unknown names.
    static func output(
        project: Project, field: String? = nil, object: String? = nil, access: String = "read",
        format: OutputFormat, style: TextStyle = .plain
    ) throws -> String {
        let report = try WhoCanReport.make(project: project, field: field, object: object, access: access)
        return format == .json ? try Console.json(report) : report.text(style: style)
    }
}

/// The `who-can` JSON contract: `object`, `field` (for a field query), `access`, and `users`, each with
/// `username`, `name`, `sources` (what grants the access) and `reasons` (the evaluator's, for that access).
struct WhoCanReport: Encodable {
    struct UserEntry: Encodable {
        var username: String
        var name: String?
        var sources: [String]
        /// For a field read: the value is shown as the Classic encryption mask (`CLS-9`).
        var masked: Bool?
        var reasons: [Reason]
        /// Short phrases for text: `permissionSet:X`, `profile:P (latent, woken by permissionSet:X)`.
        var via: [String]

        enum CodingKeys: String, CodingKey { case username, name, sources, masked, reasons }
    }

    var object: String
    var field: String?
    var access: String
    var users: [UserEntry]

    static func make(project: Project, field: String?, object: String?, access: String) throws -> WhoCanReport
    {
        let org = project.org
        let evaluator = AccessEvaluator(org: org)
        if let path = field.flatMap(Lookup.fieldPath) {
            let object = try Lookup.object(path.object, in: org)
            let field = try Lookup.field(path.field, of: object, in: org)
            let kind = FieldAccessKind(rawValue: access) ?? .read
            let label = kind == .read ? "Read" : "Edit"
            let users = evaluator.usersWith(fieldAccess: kind, object: object, field: field).map {
                user, decision in
                let reasons = decision.reasons.filter {
                    kind == .edit ? $0.permission == "Edit" : $0.permission != "Edit"
                }
                let sources = reasons.filter {
                    $0.permission == label
                        && [.grantedBy, .latentProfileFieldPermission, .viewAllFields].contains($0.kind)
                }.compactMap(\.source)
                return UserEntry(
                    username: user.username, name: user.name, sources: unique(sources),
                    masked: kind == .read ? decision.masked : nil, reasons: reasons,
                    via: ReasonText.grantors(decision.reasons, permission: label))
            }
            return WhoCanReport(object: object, field: field, access: kind.rawValue, users: users)
        }
        let name = try Lookup.object(object ?? "", in: org)
        let permission = WhoCanCommand.objectAccessNames.first { $0.name == access }?.permission ?? .read
        let label = ObjectAccess.named.first { $0.permission == permission }?.label ?? access
        let users = evaluator.usersWith(objectAccess: permission, on: name).map { user, decision in
            let reasons = decision.reasons.filter { $0.permission == label }
            let sources = reasons.filter { [.grantedBy, .systemPermission].contains($0.kind) }.compactMap(
                \.source)
            return UserEntry(
                username: user.username, name: user.name, sources: unique(sources), masked: nil,
                reasons: reasons,
                via: unique(sources))
        }
        return WhoCanReport(object: name, field: nil, access: access, users: users)
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }

    func text(style: TextStyle) -> String {
        let target = field.map { "\(object).\($0)" } ?? object
        let label =
            ObjectAccess.named.first { p in
                WhoCanCommand.objectAccessNames.first { $0.name == access }?.permission == p.permission
            }?.label ?? access
        let what = field == nil ? "has \(label) on \(target)" : "can \(access) \(target)"
        guard !users.isEmpty else { return "No user \(what)." }
        var lines = [style.bold("Who \(what): \(users.count) user\(users.count == 1 ? "" : "s")")]
        var table = TextTable()
        table.add(["username", "name", "through"])
        for user in users {
            let masked = user.masked == true ? " — masked (CLS-9)" : ""
            let through = user.via.isEmpty ? "" : user.via.joined(separator: ", ")
            table.add([user.username, user.name ?? "", through + masked])
        }
        lines += table.render(indent: 2) { _, row, padded in row == 0 ? style.dim(padded) : padded }
        return lines.joined(separator: "\n")
    }
}
