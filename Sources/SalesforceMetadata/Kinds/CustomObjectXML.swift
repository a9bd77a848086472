import AccessModel
import Foundation

/// `CustomObject` metadata: SFDX `objects/O/O.object-meta.xml` (fields in their own files) or a Metadata API
/// `O.object` with embedded `<fields>`. Standard objects may appear as partial files without
/// `sharingModel`; the org-wide default then stays unknown (nil).
public enum CustomObjectXML {
    /// What one object file holds: the object's own elements and its embedded fields, each with the
    /// elements that were present (for merging partial files, `TRAP-20`).
    public struct Contents: Sendable {
        public var object: SObjectType
        public var present: Set<String>
        public var fields: [(field: Field, present: Set<String>, line: Int)]
    }

    public static func read(_ root: XMLElementNode, name: String, context: inout MetadataReadContext)
        -> Contents
    {
        var object = SObjectType(name: name)
        var present: Set<String> = []
        var fields: [(Field, Set<String>, Int)] = []
        var seen: [String: Int] = [:]
        for node in root.children {
            switch node.name {
            case "label": object.label = context.text(node)
            case "pluralLabel": object.pluralLabel = context.text(node)
            case "description": object.description = context.text(node)
            case "sharingModel": object.sharingModel = context.name(node).map(SharingModel.init(rawValue:))
            case "externalSharingModel":
                object.externalSharingModel = context.name(node).map(SharingModel.init(rawValue:))
            case "grantAccessUsingHierarchies": object.grantAccessUsingHierarchies = context.bool(node)
            case "customSettingsType": object.customSettingsType = context.name(node)
            case "deploymentStatus": object.deploymentStatus = context.name(node)
            case "visibility": object.visibility = context.name(node)
            case "nameField":
                for child in node.children {
                    switch child.name {
                    case "label": object.nameFieldLabel = context.text(child)
                    case "type": object.nameFieldType = context.name(child).map(FieldType.init(rawValue:))
                    default: context.ignore("nameField/\(child.name)")
                    }
                }
            case "fields":
                var fieldPresent: Set<String> = []
                guard
                    let field = CustomFieldXML.read(
                        node, name: nil, object: name, present: &fieldPresent, context: &context)
                else { continue }
                if let first = seen[field.name] {
                    context.note(
                        "KH-META-DUPLICATE-ENTRY", line: node.line,
                        "object \(name) defines field \(field.name) more than once (first on line \(first)); the later definition wins per element"
                    )
                } else {
                    seen[field.name] = node.line
                }
                fields.append((field, fieldPresent, node.line))
                continue
            default:
                context.ignore(node.name)
                continue
            }
            present.insert(node.name)
        }
        context.present = present
        return Contents(object: object, present: present, fields: fields)
    }

    /// Reads a whole object file; embedded fields are merged into the object.
    public static func read(_ data: Data, name: String, file: String) -> (SObjectType?, [Diagnostic]) {
        var context = MetadataReadContext(file: file)
        switch MetadataXML.root(of: data, kind: .object, file: file) {
        case .failure(let problem): return (nil, [problem.diagnostic])
        case .success(let root):
            let contents = read(root, name: name, context: &context)
            var object = contents.object
            for (field, present, _) in contents.fields {
                var merged = object.fields[field.name] ?? Field(name: field.name)
                CustomFieldXML.merge(field, present: present, into: &merged)
                object.fields[field.name] = merged
            }
            return (object, context.diagnostics)
        }
    }

    /// The object element in Salesforce's (alphabetical) order. With `embedFields` (Metadata API format)
    /// the fields are written inside it, sorted by name; SFDX writes them to their own files.
    public static func element(_ object: SObjectType, embedFields: Bool) -> XMLElementNode {
        var children: [XMLElementNode] = []
        if let v = object.customSettingsType { children.append(.leaf("customSettingsType", v)) }
        if let v = object.deploymentStatus { children.append(.leaf("deploymentStatus", v)) }
        if let v = object.description { children.append(.leaf("description", v)) }
        if let v = object.externalSharingModel { children.append(.leaf("externalSharingModel", v.rawValue)) }
        if embedFields {
            children += object.fields.keys.sorted().compactMap { object.fields[$0] }.map(
                CustomFieldXML.embeddedElement)
        }
        if !object.grantAccessUsingHierarchies {
            children.append(.leaf("grantAccessUsingHierarchies", "false"))
        }
        if let v = object.label { children.append(.leaf("label", v)) }
        if object.nameFieldLabel != nil || object.nameFieldType != nil {
            var nameField: [XMLElementNode] = []
            if let v = object.nameFieldLabel { nameField.append(.leaf("label", v)) }
            if let v = object.nameFieldType { nameField.append(.leaf("type", v.rawValue)) }
            children.append(XMLElementNode("nameField", children: nameField))
        }
        if let v = object.pluralLabel { children.append(.leaf("pluralLabel", v)) }
        if let v = object.sharingModel { children.append(.leaf("sharingModel", v.rawValue)) }
        if let v = object.visibility { children.append(.leaf("visibility", v)) }
        return XMLElementNode("CustomObject", children: children)
    }

    public static func text(_ object: SObjectType, embedFields: Bool) -> String {
        XMLWriter.document(element(object, embedFields: embedFields))
    }

    static func merge(_ later: SObjectType, present: Set<String>, into object: inout SObjectType) {
        for element in present {
            switch element {
            case "label": object.label = later.label
            case "pluralLabel": object.pluralLabel = later.pluralLabel
            case "description": object.description = later.description
            case "sharingModel": object.sharingModel = later.sharingModel
            case "externalSharingModel": object.externalSharingModel = later.externalSharingModel
            case "grantAccessUsingHierarchies":
                object.grantAccessUsingHierarchies = later.grantAccessUsingHierarchies
            case "customSettingsType": object.customSettingsType = later.customSettingsType
            case "deploymentStatus": object.deploymentStatus = later.deploymentStatus
            case "visibility": object.visibility = later.visibility
            case "nameField":
                object.nameFieldLabel = later.nameFieldLabel
                object.nameFieldType = later.nameFieldType
            default: break
            }
        }
    }
}
