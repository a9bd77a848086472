import ArgumentParser
import Foundation

/// `keyhole generate OUT --users N …` — a synthetic SFDX project of a stated size, for benchmarks.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic SFDX project (metadata, keyhole.yaml, record CSV) of a stated size.",
        discussion: """
            The same options and seed always give byte-identical files. Users are drawn from personas (a \
            profile plus permission sets and permission set groups), as in real orgs. The first object \
            (Obj0000__c) has a Private OWD, a checkbox F000__c and a picklist F001__c; the criteria and \
            owner sharing rules are on it, and --records writes its records to data/Obj0000__c.csv. \
            Every third profile reads and edits Account (for store-bench and Scripts/bench-serve.sh). \
            OUT must be a new or empty folder. Exit 1 when it cannot be written, 64 on bad options.
            """)

    @Argument(help: "The folder to write (a new or empty folder).")
    var out: String

    @Option(help: "Users (in keyhole.yaml).") var users = 1_000
    @Option(help: "Custom objects.") var objects = 50
    @Option(help: "Custom fields per object.") var fieldsPerObject = 20
    @Option(help: "Permission sets.") var permissionSets = 50
    @Option(help: "Permission set groups, each with a muting permission set.") var groups = 10
    @Option(help: "Profiles.") var profiles = 10
    @Option(help: "Roles.") var roles = 50
    @Option(help: "Depth of the role hierarchy (levels).") var roleDepth = 8
    @Option(help: "Public groups (some nested, some holding roles).") var publicGroups = 20
    @Option(help: "Criteria-based sharing rules on the first object.") var criteriaRules = 5
    @Option(help: "Owner-based sharing rules on the first object.") var ownerRules = 5
    @Option(help: "Records of the first object (data/Obj0000__c.csv).") var records = 0
    @Option(help: "Distinct access shapes users are drawn from (0: min(users, 2000)).") var personas = 0
    @Option(help: "Random seed.") var seed: UInt64 = 1

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        guard [.text, .json].contains(format) else {
            throw ValidationError("generate prints text or json, not \(format.rawValue)")
        }
        let counts: [(String, Int)] = [
            ("users", users), ("objects", objects), ("fields-per-object", fieldsPerObject),
            ("permission-sets", permissionSets), ("groups", groups), ("profiles", profiles), ("roles", roles),
            ("public-groups", publicGroups), ("criteria-rules", criteriaRules), ("owner-rules", ownerRules),
            ("records", records), ("personas", personas),
        ]
        for (name, value) in counts where value < 0 {
            throw ValidationError("--\(name) must be 0 or more, not \(value)")
        }
        guard objects >= 1 else { throw ValidationError("--objects must be at least 1") }
        guard profiles >= 1 else {
            throw ValidationError("--profiles must be at least 1 (every user has one)")
        }
        guard roleDepth >= 1 else { throw ValidationError("--role-depth must be at least 1") }
        if groups > 0 && permissionSets == 0 {
            throw ValidationError(
                "--groups needs --permission-sets of at least 1 (groups hold permission sets)")
        }
        if records > 0 && users == 0 { throw ValidationError("--records needs users to own them") }
    }

    var size: OrgGenerator.Size {
        var size = OrgGenerator.Size()
        size.users = users
        size.objects = objects
        size.fieldsPerObject = fieldsPerObject
        size.profiles = profiles
        size.permissionSets = permissionSets
        size.permissionSetGroups = groups
        size.publicGroups = publicGroups
        size.roles = roles
        size.roleDepth = roleDepth
        size.criteriaRules = criteriaRules
        size.ownerRules = ownerRules
        size.records = records
        size.personas = personas
        return size
    }

    func run() throws {
        let folder = URL(fileURLWithPath: out).standardizedFileURL
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                Console.error("error: '\(out)' is a file; give a new or empty folder")
                throw ExitCode(1)
            }
            let existing = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            guard existing.isEmpty else {
                Console.error("error: '\(out)' is not empty; give a new or empty folder")
                throw ExitCode(1)
            }
        }
        let summary: ProjectGenerator.Summary
        do {
            summary = try ProjectGenerator(generator: OrgGenerator(size: size, seed: seed)).write(to: folder)
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(1)
        }
        switch format {
        case .json: Console.out(try Console.json(summary))
        default:
            Console.out(
                """
                \(summary.folder): \(summary.files) files (\(summary.metadataFiles) metadata), \(summary.megabytes) MB in \(summary.seconds) s
                  \(summary.users) users, \(summary.objects) objects, \(summary.fields) fields
                  \(summary.profiles) profiles, \(summary.permissionSets) permission sets, \(summary.permissionSetGroups) permission set groups
                  \(summary.roles) roles, \(summary.publicGroups) public groups, \(summary.sharingRules) sharing rules
                  \(summary.records) records\(summary.recordObject.map { " of \($0)" } ?? "")
                """)
        }
    }
}
