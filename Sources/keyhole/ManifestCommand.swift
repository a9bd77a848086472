import AccessModel
import ArgumentParser
import Foundation
import SalesforceMetadata

/// `keyhole manifest PROJECT (--profile P | --permission-set S | --user U) [--output FILE]`: the
/// `package.xml` that retrieves a profile or permission set with all its permissions, or everything one
/// user's access depends on.
struct ManifestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manifest",
        abstract: "Write the package.xml that retrieves a profile, permission set or user's access whole.",
        discussion: """
            Salesforce returns a profile's (or permission set's) field and object permissions only for the \
            objects and fields named in the same retrieve, so the manifest names the profile plus every \
            object (standard objects of the catalog too) and every custom field the org declares, and \
            every object and field the profile's own entries name. --user adds everything the user's \
            access depends on: profile, permission sets, permission set groups and their muting sets, \
            objects, fields, the sharing rules and restriction rules of the objects they can read, roles \
            and public groups. The API version is sfdx-project.json's sourceApiVersion (else 62.0).

            Exit codes: 0 ok; 1 unknown profile, permission set or user, or the file cannot be written; \
            64 usage error.
            """)

    @OptionGroup var options: ProjectOptions

    @Option(help: "The profile to retrieve (metadata name).")
    var profile: String?

    @Option(help: "The permission set to retrieve (API name).")
    var permissionSet: String?

    @Option(help: "Retrieve everything this user's access depends on.")
    var user: String?

    @Option(help: "Write the manifest to this file instead of stdout.")
    var output: String?

    func validate() throws {
        let given = [profile, permissionSet, user].compactMap { $0 }.count
        guard given == 1 else {
            throw ValidationError("give exactly one of --profile, --permission-set or --user")
        }
    }

    func run() throws {
        let project = try options.load()
        try InputError.exitOnFailure {
            let manifest = try Self.manifest(
                project: project, profile: profile, permissionSet: permissionSet, user: user)
            let text = PackageXML.text(manifest)
            if let output {
                do {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
                } catch {
                    throw InputError("cannot write \(output): \(error.localizedDescription)")
                }
                let members = manifest.types.values.reduce(0) { $0 + $1.count }
                Console.error("wrote \(output): \(members) members of \(manifest.types.count) types")
            } else {
                Console.out(text)
            }
        }
    }

    /// The manifest for one of profile, permission set or user. Throws `InputError` for unknown names.
    static func manifest(
        project: Project, profile: String? = nil, permissionSet: String? = nil, user: String? = nil
    ) throws -> PackageManifest {
        let org = project.org
        var types: [String: Set<String>] = [:]
        func add(_ kind: MetadataKind, _ names: some Sequence<String>) {
            types[kind.metadataType, default: []].formUnion(names)
        }
        /// Every object and custom field of the org, and every object and field `grants` names.
        func addSchema(naming grants: [PermissionGrants]) {
            add(.object, org.objects.keys)
            add(
                .field,
                org.objects.values.flatMap { object in
                    object.fields.values.filter(\.isCustom).map {
                        FieldPath.key(object: object.name, field: $0.name)
                    }
                })
            for grants in grants {
                add(.object, grants.objects.keys)
                for key in grants.fields.keys {
                    guard let (object, field) = FieldPath.split(key) else { continue }
                    add(.object, [object])
                    if field.hasSuffix("__c") { add(.field, [key]) }
                }
            }
        }

        if let profile {
            let name = try lookup(profile, in: org.profiles.keys, kind: "profile")
            add(.profile, [name])
            addSchema(naming: [org.profiles[name]!.grants])
        } else if let permissionSet {
            let name = try lookup(permissionSet, in: org.permissionSets.keys, kind: "permission set")
            add(.permissionSet, [name])
            addSchema(naming: [org.permissionSets[name]!.grants])
        } else if let username = user {
            let user = try Lookup.user(username, in: project)
            var grants: [PermissionGrants] = []
            if let profile = org.profiles[user.profile] {
                add(.profile, [profile.name])
                grants.append(profile.grants)
            }
            var sets = user.permissionSets.map(\.name)
            for assignment in user.permissionSetGroups {
                guard let group = org.permissionSetGroups[assignment.name] else { continue }
                add(.permissionSetGroup, [group.name])
                sets += group.permissionSets
                if let muting = group.mutingPermissionSet {
                    add(.mutingPermissionSet, [muting])
                    if let mute = org.mutingPermissionSets[muting] { grants.append(mute.mutes) }
                }
            }
            for name in sets {
                add(.permissionSet, [name])
                if let set = org.permissionSets[name] { grants.append(set.grants) }
            }
            addSchema(naming: grants)
            let readable = Set(AccessEvaluator(org: org).evaluate(user).readableObjects)
            let shared = readable.filter {
                org.objects[$0].map { [.standard, .custom].contains($0.kind) } ?? false
            }
            add(.sharingRules, shared)
            add(
                .restrictionRule,
                org.restrictionRules.values.filter { readable.contains($0.targetEntity) }.map(\.name))
            add(.role, org.roles.keys)
            if let role = user.role { add(.role, [role]) }
            add(.group, org.groups.keys)
        }
        return PackageManifest(
            types: types.filter { !$0.value.isEmpty }.mapValues { $0.sorted() }, version: apiVersion(project))
    }

    /// `sourceApiVersion` of sfdx-project.json, else the version of the project's package.xml, else 62.0.
    static func apiVersion(_ project: Project) -> String {
        let url = project.root.appendingPathComponent("sfdx-project.json")
        if let data = try? Data(contentsOf: url),
            case .success(let sfdx) = SFDXProject.parse(data, file: "sfdx-project.json"),
            let version = sfdx.sourceApiVersion, !version.isEmpty
        {
            return version
        }
        if let version = project.metadata.packageManifests["package.xml"]?.version { return version }
        return PackageManifest.defaultVersion
    }

    static func lookup(_ name: String, in known: some Collection<String>, kind: String) throws -> String {
        if known.contains(name) { return name }
        if let match = known.first(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) {
            return match
        }
        let hint = Suggestion.hint(for: name, in: known)
        throw InputError("the project has no \(kind) '\(name)'.\(hint)")
    }
}
