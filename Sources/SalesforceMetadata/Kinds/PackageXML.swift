import AccessModel
import Foundation

/// A `package.xml` manifest: member names per metadata type, and the API version.
public struct PackageManifest: Equatable, Sendable {
    /// Metadata type name (`CustomObject`) → members in file order (`*` for all).
    public var types: [String: [String]]
    public var version: String?
    /// `fullName`: the package name, when the manifest names one.
    public var fullName: String?

    public init(types: [String: [String]] = [:], version: String? = nil, fullName: String? = nil) {
        self.types = types
        self.version = version
        self.fullName = fullName
    }

    /// A manifest listing every component of `org` that Keyhole writes.
    public init(org: Org, version: String = PackageManifest.defaultVersion) {
        var types: [String: [String]] = [:]
        func add(_ kind: MetadataKind, _ names: some Sequence<String>) {
            let sorted = names.sorted()
            if !sorted.isEmpty { types[kind.metadataType] = sorted }
        }
        add(.object, org.objects.keys)
        add(
            .field, org.objects.values.flatMap { object in object.fields.keys.map { "\(object.name).\($0)" } }
        )
        add(.profile, org.profiles.keys)
        add(.permissionSet, org.permissionSets.keys)
        add(.permissionSetGroup, org.permissionSetGroups.keys)
        add(.mutingPermissionSet, org.mutingPermissionSets.keys)
        add(.sharingRules, Set(org.sharingRules.map(\.object)))
        add(.group, org.groups.keys)
        add(.role, org.roles.keys)
        add(.restrictionRule, org.restrictionRules.keys)
        self.init(types: types, version: version)
    }

    public static let defaultVersion = "62.0"
}

/// Reading and writing `package.xml`.
public enum PackageXML {
    public static func read(_ root: XMLElementNode, context: inout MetadataReadContext) -> PackageManifest {
        var manifest = PackageManifest()
        for node in root.children {
            switch node.name {
            case "types":
                var name: String?
                var members: [String] = []
                for child in node.children {
                    switch child.name {
                    case "name": name = context.name(child)
                    case "members": if let member = context.name(child) { members.append(member) }
                    default: context.ignore("types/\(child.name)")
                    }
                }
                guard let name else {
                    context.note(
                        "KH-META-MISSING-ELEMENT", line: node.line,
                        "<types> has no <name>; the block is skipped")
                    continue
                }
                manifest.types[name, default: []] += members
            case "version": manifest.version = context.name(node)
            case "fullName": manifest.fullName = context.name(node)
            default: context.ignore(node.name)
            }
        }
        return manifest
    }

    public static func read(_ data: Data, file: String) -> (PackageManifest?, [Diagnostic]) {
        var context = MetadataReadContext(file: file)
        switch MetadataXML.root(of: data, kind: .packageXml, file: file) {
        case .failure(let problem): return (nil, [problem.diagnostic])
        case .success(let root): return (read(root, context: &context), context.diagnostics)
        }
    }

    /// fullName, then `types` sorted by name (members in order), then version.
    public static func element(_ manifest: PackageManifest) -> XMLElementNode {
        var children: [XMLElementNode] = []
        if let v = manifest.fullName { children.append(.leaf("fullName", v)) }
        for name in manifest.types.keys.sorted() {
            let members = (manifest.types[name] ?? []).map { XMLElementNode.leaf("members", $0) }
            children.append(XMLElementNode("types", children: members + [.leaf("name", name)]))
        }
        if let v = manifest.version { children.append(.leaf("version", v)) }
        return XMLElementNode("Package", children: children)
    }

    public static func text(_ manifest: PackageManifest) -> String { XMLWriter.document(element(manifest)) }
}
