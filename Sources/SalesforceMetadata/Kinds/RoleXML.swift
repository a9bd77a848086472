import AccessModel
import Foundation

/// `Role` metadata: `name` is the label; `parentRole` links the hierarchy.
public enum RoleXML {
    public static func read(_ root: XMLElementNode, name: String, context: inout MetadataReadContext) -> Role
    {
        var role = Role(name: name)
        for node in root.children {
            switch node.name {
            case "name": role.label = context.text(node)
            case "parentRole": role.parentRole = context.name(node)
            case "description": role.description = context.text(node)
            case "caseAccessLevel": role.caseAccessLevel = context.accessLevel(node)
            case "contactAccessLevel": role.contactAccessLevel = context.accessLevel(node)
            case "opportunityAccessLevel": role.opportunityAccessLevel = context.accessLevel(node)
            case "mayForecastManagerShare": role.mayForecastManagerShare = context.bool(node)
            default:
                context.ignore(node.name)
                continue
            }
            context.present.insert(node.name)
        }
        return role
    }

    public static func read(_ data: Data, name: String, file: String) -> (Role?, [Diagnostic]) {
        var context = MetadataReadContext(file: file)
        switch MetadataXML.root(of: data, kind: .role, file: file) {
        case .failure(let problem): return (nil, [problem.diagnostic])
        case .success(let root): return (read(root, name: name, context: &context), context.diagnostics)
        }
    }

    /// caseAccessLevel, contactAccessLevel, description, mayForecastManagerShare, name,
    /// opportunityAccessLevel, parentRole.
    public static func element(_ role: Role) -> XMLElementNode {
        var children: [XMLElementNode] = []
        if let v = role.caseAccessLevel { children.append(.leaf("caseAccessLevel", v.metadataName)) }
        if let v = role.contactAccessLevel { children.append(.leaf("contactAccessLevel", v.metadataName)) }
        if let v = role.description { children.append(.leaf("description", v)) }
        if let v = role.mayForecastManagerShare {
            children.append(.leaf("mayForecastManagerShare", String(v)))
        }
        if let v = role.label { children.append(.leaf("name", v)) }
        if let v = role.opportunityAccessLevel {
            children.append(.leaf("opportunityAccessLevel", v.metadataName))
        }
        if let v = role.parentRole { children.append(.leaf("parentRole", v)) }
        return XMLElementNode("Role", children: children)
    }

    public static func text(_ role: Role) -> String { XMLWriter.document(element(role)) }
}
