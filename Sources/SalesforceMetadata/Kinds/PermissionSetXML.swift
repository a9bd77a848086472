import AccessModel
import Foundation

/// `PermissionSet` metadata (`*.permissionset-meta.xml`, `*.permissionset`).
public enum PermissionSetXML {
    public static func read(_ root: XMLElementNode, name: String, context: inout MetadataReadContext)
        -> PermissionSet
    {
        var set = PermissionSet(name: name)
        let owner = "permission set \(name)"
        for node in root.children {
            if PermissionGrantsXML.read(node, into: &set.grants, owner: owner, context: &context) { continue }
            switch node.name {
            case "label": set.label = context.text(node)
            case "description": set.description = context.text(node)
            case "license": set.license = context.name(node)
            case "hasActivationRequired": set.hasActivationRequired = context.bool(node)
            default:
                context.ignore(node.name)
                continue
            }
            context.present.insert(node.name)
        }
        return set
    }

    public static func read(_ data: Data, name: String, file: String) -> (PermissionSet?, [Diagnostic]) {
        var context = MetadataReadContext(file: file)
        switch MetadataXML.root(of: data, kind: .permissionSet, file: file) {
        case .failure(let problem): return (nil, [problem.diagnostic])
        case .success(let root): return (read(root, name: name, context: &context), context.diagnostics)
        }
    }

    /// Elements in Salesforce's order: description, fieldPermissions, hasActivationRequired, label, license,
    /// objectPermissions, userPermissions.
    public static func element(_ set: PermissionSet) -> XMLElementNode {
        var children: [XMLElementNode] = []
        if let description = set.description { children.append(.leaf("description", description)) }
        children += PermissionGrantsXML.fieldNodes(set.grants)
        children.append(.leaf("hasActivationRequired", String(set.hasActivationRequired)))
        if let label = set.label { children.append(.leaf("label", label)) }
        if let license = set.license { children.append(.leaf("license", license)) }
        children += PermissionGrantsXML.objectNodes(set.grants)
        children += PermissionGrantsXML.userPermissionNodes(set.grants)
        return XMLElementNode("PermissionSet", children: children)
    }

    public static func text(_ set: PermissionSet) -> String { XMLWriter.document(element(set)) }

    static func merge(_ later: PermissionSet, present: Set<String>, into set: inout PermissionSet) {
        if present.contains("label") { set.label = later.label }
        if present.contains("description") { set.description = later.description }
        if present.contains("license") { set.license = later.license }
        if present.contains("hasActivationRequired") {
            set.hasActivationRequired = later.hasActivationRequired
        }
        PermissionGrantsXML.merge(later.grants, into: &set.grants)
    }
}
