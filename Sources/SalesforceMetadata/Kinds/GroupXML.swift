import AccessModel
import Foundation

/// `Group` metadata (public groups): `name` is the label; membership is not metadata.
public enum GroupXML {
    public static func read(_ root: XMLElementNode, name: String, context: inout MetadataReadContext)
        -> PublicGroup
    {
        var group = PublicGroup(name: name)
        for node in root.children {
            switch node.name {
            case "name": group.label = context.text(node)
            case "description": group.description = context.text(node)
            case "doesIncludeBosses": group.doesIncludeBosses = context.bool(node)
            case "doesSendEmailToMembers": group.doesSendEmailToMembers = context.bool(node)
            default:
                context.ignore(node.name)
                continue
            }
            context.present.insert(node.name)
        }
        return group
    }

    public static func read(_ data: Data, name: String, file: String) -> (PublicGroup?, [Diagnostic]) {
        var context = MetadataReadContext(file: file)
        switch MetadataXML.root(of: data, kind: .group, file: file) {
        case .failure(let problem): return (nil, [problem.diagnostic])
        case .success(let root): return (read(root, name: name, context: &context), context.diagnostics)
        }
    }

    /// description, doesIncludeBosses, doesSendEmailToMembers, name.
    public static func element(_ group: PublicGroup) -> XMLElementNode {
        var children: [XMLElementNode] = []
        if let v = group.description { children.append(.leaf("description", v)) }
        children.append(.leaf("doesIncludeBosses", String(group.doesIncludeBosses)))
        if let v = group.doesSendEmailToMembers {
            children.append(.leaf("doesSendEmailToMembers", String(v)))
        }
        if let v = group.label { children.append(.leaf("name", v)) }
        return XMLElementNode("Group", children: children)
    }

    public static func text(_ group: PublicGroup) -> String { XMLWriter.document(element(group)) }
}
