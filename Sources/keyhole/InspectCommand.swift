import AccessModel
import ArgumentParser
import Foundation
import SalesforceMetadata

/// `keyhole inspect PROJECT` — what was loaded, and every problem found.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract:
            "Print what Keyhole loaded from a project: files per kind, objects, fields, classification, people.",
        discussion: "Exit 1 when the project has errors (they are listed), else 0.")

    @OptionGroup var options: ProjectOptions

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        guard [.text, .json].contains(format) else {
            throw ValidationError("inspect prints text or json, not \(format.rawValue)")
        }
    }

    func run() throws {
        let project = try options.load(requireClean: false)
        let report = InspectReport(project)
        switch format {
        case .json: Console.out(try Console.json(report))
        default: Console.out(report.text)
        }
        if !project.errors.isEmpty {
            if format != .json { Console.printDiagnostics(project.errors) }
            throw ExitCode(1)
        }
    }
}

/// The `inspect` JSON contract: stable keys, documented in the README.
struct InspectReport: Encodable {
    struct SharingRuleCounts: Encodable {
        var criteria = 0
        var owner = 0
        var guest = 0
    }

    var project: String
    var format: String
    var files: [String: Int]
    /// Objects and fields the project's metadata declares.
    var objects: Int
    var fields: Int
    /// Objects the bundled standard catalog added or completed.
    var catalogObjects: Int
    var classifiedFields: [String: Int]
    var complianceGroups: [String: Int]
    var profiles: Int
    var permissionSets: Int
    var permissionSetGroups: Int
    var mutingPermissionSets: Int
    var roles: Int
    var groups: Int
    var restrictionRules: Int
    var users: Int
    /// Records loaded from `data:`, per object.
    var records: [String: Int]
    var sharingRules: SharingRuleCounts
    var ignoredElements: Int
    var notes: [DiagnosticJSON]
    var errors: [DiagnosticJSON]

    init(_ project: Project) {
        let org = project.org
        let load = project.metadata
        self.project = project.path
        format = load.format.rawValue
        files = Dictionary(
            uniqueKeysWithValues: MetadataKind.allCases.map { ($0.rawValue, load.filesRead[$0] ?? 0) })
        objects = load.org.objects.count
        fields = load.org.fieldCount
        catalogObjects = org.objects.values.filter(\.isInCatalog).count
        var classified: [String: Int] = [:]
        var compliance: [String: Int] = [:]
        for object in load.org.objects.values {
            for field in object.fields.values {
                if let level = field.classification.securityClassification {
                    classified[level, default: 0] += 1
                }
                for group in field.classification.complianceGroups { compliance[group, default: 0] += 1 }
            }
        }
        classifiedFields = classified
        complianceGroups = compliance
        profiles = org.profiles.count
        permissionSets = org.permissionSets.count
        permissionSetGroups = org.permissionSetGroups.count
        mutingPermissionSets = org.mutingPermissionSets.count
        roles = org.roles.count
        groups = org.groups.count
        restrictionRules = org.restrictionRules.count
        users = org.users.count
        records = Dictionary(
            uniqueKeysWithValues: org.records.objectNames.map { ($0, org.records.records(of: $0).count) })
        var rules = SharingRuleCounts()
        for rule in org.sharingRules {
            switch rule.kind {
            case .criteria: rules.criteria += 1
            case .owner, .territory: rules.owner += 1
            case .guest: rules.guest += 1
            }
        }
        sharingRules = rules
        ignoredElements = load.ignoredElements.values.reduce(0, +)
        notes = project.notes.map(DiagnosticJSON.init)
        errors = project.errors.map(DiagnosticJSON.init)
    }

    var text: String {
        var lines: [String] = []
        lines.append("\(project) (\(format))")
        let fileSummary = MetadataKind.allCases.compactMap { kind -> String? in
            let count = files[kind.rawValue] ?? 0
            return count == 0 ? nil : "\(count) \(kind.rawValue)"
        }
        lines.append(
            "  files read:         \(fileSummary.isEmpty ? "none" : fileSummary.joined(separator: ", "))")
        lines.append("  objects:            \(objects) declared, \(catalogObjects) from the standard catalog")
        lines.append("  fields:             \(fields) declared")
        let classes = classifiedFields.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        lines.append("  classified fields:  \(classes.isEmpty ? "none" : classes.joined(separator: ", "))")
        if !complianceGroups.isEmpty {
            let groups = complianceGroups.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            lines.append("  compliance groups:  \(groups.joined(separator: ", "))")
        }
        lines.append(
            "  permission sources: \(profiles) profiles, \(permissionSets) permission sets, \(permissionSetGroups) groups, \(mutingPermissionSets) muting sets"
        )
        lines.append(
            "  sharing:            \(roles) roles, \(groups) public groups, \(sharingRules.criteria) criteria / \(sharingRules.owner) owner / \(sharingRules.guest) guest rules, \(restrictionRules) restriction rules"
        )
        lines.append("  users:              \(users)")
        let recordSummary = records.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        lines.append(
            "  records:            \(recordSummary.isEmpty ? "none" : recordSummary.joined(separator: ", "))")
        if !notes.isEmpty {
            lines.append("  notes (\(notes.count)):")
            for note in notes.prefix(20) {
                let location = note.file.map { $0 + (note.line.map { ":\($0)" } ?? "") + ": " } ?? ""
                lines.append("    \(location)\(note.message)")
            }
            if notes.count > 20 { lines.append("    … \(notes.count - 20) more (use --format json)") }
        }
        lines.append(errors.isEmpty ? "  no errors" : "  errors: \(errors.count) (listed on stderr)")
        return lines.joined(separator: "\n")
    }
}
