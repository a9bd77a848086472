import AccessModel
import Foundation

/// `MutingPermissionSet` metadata (`mutingpermissionsets/*.mutingpermissionset-meta.xml`): the permission
/// set schema where a `true` flag means "muted" (`PSG-2`).
public enum MutingPermissionSetXML {
    public static func read(_ root: XMLElementNode, name: String, context: inout MetadataReadContext)
        -> MutingPermissionSet
    {
        var set = MutingPermissionSet(name: name)
        let owner = "muting permission set \(name)"
        for node in root.children {
            if PermissionGrantsXML.read(node, into: &set.mutes, owner: owner, context: &context) { continue }
            switch node.name {
            case "label": set.label = context.text(node)
            case "description": set.description = context.text(node)
            default:
                context.ignore(node.name)
                continue
            }
            context.present.insert(node.name)
        }
        return set
    }

    public static func read(_ data: Data, name: String, file: String) -> (MutingPermissionSet?, [Diagnostic])
    {
        var context = MetadataReadContext(file: file)
        switch MetadataXML.root(of: data, kind: .mutingPermissionSet, file: file) {
        case .failure(let problem): return (nil, [problem.diagnostic])
        case .success(let root): return (read(root, name: name, context: &context), context.diagnostics)
        }
    }

    /// description, fieldPermissions, label, objectPermissions, userPermissions.
    public static func element(_ set: MutingPermissionSet) -> XMLElementNode {
        var children: [XMLElementNode] = []
        if let description = set.description { children.append(.leaf("description", description)) }
        children += PermissionGrantsXML.fieldNodes(set.mutes)
        if let label = set.label { children.append(.leaf("label", label)) }
        children += PermissionGrantsXML.objectNodes(set.mutes)
        children += PermissionGrantsXML.userPermissionNodes(set.mutes)
        return XMLElementNode("MutingPermissionSet", children: children)
    }

    public static func text(_ set: MutingPermissionSet) -> String { XMLWriter.document(element(set)) }

    static func merge(_ later: MutingPermissionSet, present: Set<String>, into set: inout MutingPermissionSet)
    {
        if present.contains("label") { set.label = later.label }
        if present.contains("description") { set.description = later.description }
        PermissionGrantsXML.merge(later.mutes, into: &set.mutes)
    }
}
