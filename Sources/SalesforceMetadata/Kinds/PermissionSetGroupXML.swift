import AccessModel
import Foundation

/// `PermissionSetGroup` metadata: each member is its own `<permissionSets>` element (no wrapper).
public enum PermissionSetGroupXML {
    public static func read(_ root: XMLElementNode, name: String, context: inout MetadataReadContext)
        -> PermissionSetGroup
    {
        var group = PermissionSetGroup(name: name)
        for node in root.children {
            switch node.name {
            case "label": group.label = context.text(node)
            case "description": group.description = context.text(node)
            case "hasActivationRequired": group.hasActivationRequired = context.bool(node)
            case "status": group.status = context.name(node)
            case "permissionSets":
                if let member = context.name(node) {
                    if group.permissionSets.contains(member) {
                        context.note(
                            "KH-META-DUPLICATE-ENTRY", line: node.line,
                            "permission set group \(name) lists permission set \(member) more than once; it counts once"
                        )
                    } else {
                        group.permissionSets.append(member)
                    }
                }
            case "mutingPermissionSets":
                if let muting = context.name(node) {
                    if let existing = group.mutingPermissionSet, existing != muting {
                        context.note(
                            "KH-META-DUPLICATE-ENTRY", line: node.line,
                            "permission set group \(name) lists a second muting permission set \(muting); a group has at most one, so \(existing) is kept"
                        )
                    } else {
                        group.mutingPermissionSet = muting
                    }
                }
            default:
                context.ignore(node.name)
                continue
            }
            context.present.insert(node.name)
        }
        return group
    }

    public static func read(_ data: Data, name: String, file: String) -> (PermissionSetGroup?, [Diagnostic]) {
        var context = MetadataReadContext(file: file)
        switch MetadataXML.root(of: data, kind: .permissionSetGroup, file: file) {
        case .failure(let problem): return (nil, [problem.diagnostic])
        case .success(let root): return (read(root, name: name, context: &context), context.diagnostics)
        }
    }

    /// description, hasActivationRequired, label, mutingPermissionSets, permissionSets (as listed), status.
    public static func element(_ group: PermissionSetGroup) -> XMLElementNode {
        var children: [XMLElementNode] = []
        if let description = group.description { children.append(.leaf("description", description)) }
        children.append(.leaf("hasActivationRequired", String(group.hasActivationRequired)))
        if let label = group.label { children.append(.leaf("label", label)) }
        if let muting = group.mutingPermissionSet { children.append(.leaf("mutingPermissionSets", muting)) }
        children += group.permissionSets.map { .leaf("permissionSets", $0) }
        if let status = group.status { children.append(.leaf("status", status)) }
        return XMLElementNode("PermissionSetGroup", children: children)
    }

    public static func text(_ group: PermissionSetGroup) -> String { XMLWriter.document(element(group)) }

    static func merge(_ later: PermissionSetGroup, present: Set<String>, into group: inout PermissionSetGroup)
    {
        if present.contains("label") { group.label = later.label }
        if present.contains("description") { group.description = later.description }
        if present.contains("hasActivationRequired") {
            group.hasActivationRequired = later.hasActivationRequired
        }
        if present.contains("status") { group.status = later.status }
        if present.contains("permissionSets") { group.permissionSets = later.permissionSets }
        if present.contains("mutingPermissionSets") { group.mutingPermissionSet = later.mutingPermissionSet }
    }
}
