import AccessModel
import Foundation

/// `Profile` metadata (`*.profile-meta.xml`, `*.profile`): user licence, custom flag, description and the
/// object, field and user permissions. Tabs, layouts, class and page accesses are counted, not modelled.
public enum ProfileXML {
    public static func read(_ root: XMLElementNode, name: String, context: inout MetadataReadContext)
        -> Profile
    {
        var profile = Profile(name: name)
        let owner = "profile \(name)"
        for node in root.children {
            if PermissionGrantsXML.read(node, into: &profile.grants, owner: owner, context: &context) {
                continue
            }
            switch node.name {
            case "userLicense": profile.userLicense = context.name(node)
            case "custom": profile.isCustom = context.bool(node)
            case "description": profile.description = context.text(node)
            default:
                context.ignore(node.name)
                continue
            }
            context.present.insert(node.name)
        }
        return profile
    }

    /// Reads a whole file's bytes.
    public static func read(_ data: Data, name: String, file: String) -> (Profile?, [Diagnostic]) {
        var context = MetadataReadContext(file: file)
        switch MetadataXML.root(of: data, kind: .profile, file: file) {
        case .failure(let problem): return (nil, [problem.diagnostic])
        case .success(let root): return (read(root, name: name, context: &context), context.diagnostics)
        }
    }

    /// Elements in Salesforce's order: custom, description, fieldPermissions, objectPermissions, userLicense,
    /// userPermissions.
    public static func element(_ profile: Profile) -> XMLElementNode {
        var children: [XMLElementNode] = []
        if let custom = profile.isCustom { children.append(.leaf("custom", String(custom))) }
        if let description = profile.description { children.append(.leaf("description", description)) }
        children += PermissionGrantsXML.fieldNodes(profile.grants)
        children += PermissionGrantsXML.objectNodes(profile.grants)
        if let license = profile.userLicense { children.append(.leaf("userLicense", license)) }
        children += PermissionGrantsXML.userPermissionNodes(profile.grants)
        return XMLElementNode("Profile", children: children)
    }

    public static func text(_ profile: Profile) -> String { XMLWriter.document(element(profile)) }

    /// Applies a later file for the same profile over `profile` (`TRAP-20`).
    static func merge(_ later: Profile, present: Set<String>, into profile: inout Profile) {
        if present.contains("userLicense") { profile.userLicense = later.userLicense }
        if present.contains("custom") { profile.isCustom = later.isCustom }
        if present.contains("description") { profile.description = later.description }
        PermissionGrantsXML.merge(later.grants, into: &profile.grants)
    }
}
