import AccessModel
import Foundation

/// Writes metadata XML for each kind, in either format, and whole orgs as SFDX or Metadata API trees.
///
/// Elements come in Salesforce's canonical order (alphabetical within a component; permission entries
/// sorted by their key; object-permission flags as allowCreate, allowDelete, allowEdit, allowRead,
/// modifyAllRecords, object, viewAllFields, viewAllRecords). Only what Keyhole models is written, so
/// reading the output gives back an equal value.
public enum MetadataWriter {
    public enum Format: Sendable {
        /// SFDX source format: `X.kind-meta.xml`, fields in their own files.
        case sfdx
        /// Metadata API format: `X.kind`, fields embedded in `.object` files.
        case mdapi
    }

    public static func profile(_ profile: Profile) -> String { ProfileXML.text(profile) }
    public static func permissionSet(_ set: PermissionSet) -> String { PermissionSetXML.text(set) }
    public static func mutingPermissionSet(_ set: MutingPermissionSet) -> String {
        MutingPermissionSetXML.text(set)
    }
    public static func permissionSetGroup(_ group: PermissionSetGroup) -> String {
        PermissionSetGroupXML.text(group)
    }
    /// An object file: SFDX without fields, Metadata API with its fields embedded.
    public static func customObject(_ object: SObjectType, format: Format) -> String {
        CustomObjectXML.text(object, embedFields: format == .mdapi)
    }
    /// An SFDX field file.
    public static func customField(_ field: Field) -> String { CustomFieldXML.text(field) }
    /// The sharing rules file of one object.
    public static func sharingRules(_ rules: [SharingRule]) -> String { SharingRulesXML.text(rules) }
    public static func group(_ group: PublicGroup) -> String { GroupXML.text(group) }
    public static func role(_ role: Role) -> String { RoleXML.text(role) }
    public static func restrictionRule(_ rule: RestrictionRule) -> String { RestrictionRuleXML.text(rule) }
    public static func packageXML(_ manifest: PackageManifest) -> String { PackageXML.text(manifest) }

    /// Every file of `org` in `format`, as (path relative to the metadata folder, text), sorted by path.
    /// SFDX paths are relative to `force-app/main/default`; Metadata API paths to the package root (with
    /// `package.xml`). Users and licences are not metadata and are not written.
    public static func files(for org: Org, format: Format) -> [(path: String, text: String)] {
        var files: [(String, String)] = []
        func path(_ kind: MetadataKind, _ name: String) -> String {
            let base = MetadataName.fileName(name)
            switch format {
            case .sfdx: return "\(kind.sfdxFolder)/\(base).\(kind.suffix)-meta.xml"
            case .mdapi: return "\(mdapiFolder(kind))/\(base).\(kind.suffix)"
            }
        }
        for object in org.objects.values {
            switch format {
            case .sfdx:
                let folder = "objects/\(MetadataName.fileName(object.name))"
                files.append(
                    (
                        "\(folder)/\(MetadataName.fileName(object.name)).object-meta.xml",
                        customObject(object, format: .sfdx)
                    ))
                for field in object.fields.values {
                    files.append(
                        (
                            "\(folder)/fields/\(MetadataName.fileName(field.name)).field-meta.xml",
                            customField(field)
                        ))
                }
            case .mdapi:
                files.append((path(.object, object.name), customObject(object, format: .mdapi)))
            }
        }
        for profile in org.profiles.values {
            files.append((path(.profile, profile.name), self.profile(profile)))
        }
        for set in org.permissionSets.values {
            files.append((path(.permissionSet, set.name), permissionSet(set)))
        }
        for set in org.mutingPermissionSets.values {
            files.append((path(.mutingPermissionSet, set.name), mutingPermissionSet(set)))
        }
        for group in org.permissionSetGroups.values {
            files.append((path(.permissionSetGroup, group.name), permissionSetGroup(group)))
        }
        for (object, rules) in Dictionary(grouping: org.sharingRules, by: \.object) {
            files.append((path(.sharingRules, object), sharingRules(rules)))
        }
        for group in org.groups.values { files.append((path(.group, group.name), self.group(group))) }
        for role in org.roles.values { files.append((path(.role, role.name), self.role(role))) }
        for rule in org.restrictionRules.values {
            files.append((path(.restrictionRule, rule.name), restrictionRule(rule)))
        }
        if format == .mdapi { files.append(("package.xml", packageXML(PackageManifest(org: org)))) }
        return files.sorted { $0.0 < $1.0 }
    }

    /// The Metadata API folder of a kind (`objects`, `profiles`, `permissionsets`, …).
    static func mdapiFolder(_ kind: MetadataKind) -> String { kind.sfdxFolder }

    /// Writes `org` as an SFDX project at `folder`: `sfdx-project.json` and `force-app/main/default/…`.
    /// Existing files with the same paths are replaced; nothing else in the folder is touched.
    public static func writeSFDXProject(
        org: Org, to folder: URL, namespace: String? = nil,
        sourceApiVersion: String = PackageManifest.defaultVersion
    ) throws {
        let project = SFDXProject(
            packageDirectories: [.init(path: "force-app", isDefault: true)], namespace: namespace,
            sourceApiVersion: sourceApiVersion)
        try write(project.text, to: folder.appendingPathComponent("sfdx-project.json"))
        let base = folder.appendingPathComponent("force-app/main/default")
        for (path, text) in files(for: org, format: .sfdx) {
            try write(text, to: base.appendingPathComponent(path))
        }
    }

    /// Writes `org` as a Metadata API folder at `folder`: `package.xml`, `objects/X.object`, ….
    public static func writeMetadataAPIFolder(org: Org, to folder: URL) throws {
        for (path, text) in files(for: org, format: .mdapi) {
            try write(text, to: folder.appendingPathComponent(path))
        }
    }

    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}
