import AccessModel
import Foundation

/// `CustomField` metadata: an SFDX `objects/O/fields/F.field-meta.xml` file, or a `<fields>` element
/// embedded in a Metadata API `.object` file. Standard-field files carry no `type`; it stays nil (`TRAP-10`).
public enum CustomFieldXML {
    /// Reads a field from `node` (a `CustomField` root or an embedded `<fields>` element). `name` is the
    /// field name from the file name; nil to take it from `fullName` (embedded fields). Returns nil when
    /// the field has no name. Present elements are recorded in `present`.
    public static func read(
        _ node: XMLElementNode, name: String?, object: String, present: inout Set<String>,
        context: inout MetadataReadContext
    ) -> Field? {
        var field = Field(name: name ?? "")
        var fullName: String?
        for child in node.children {
            switch child.name {
            case "fullName": fullName = context.name(child).map { MetadataName.removeTokens($0).0 }
            case "label": field.label = context.text(child)
            case "type": field.type = context.name(child).map(FieldType.init(rawValue:))
            case "required": field.isRequired = context.bool(child)
            case "unique": field.isUnique = context.bool(child)
            case "externalId": field.isExternalId = context.bool(child)
            case "formula": field.formula = context.text(child)
            case "referenceTo":
                if let target = context.name(child) { field.referenceTo.append(target) }
            case "relationshipName": field.relationshipName = context.name(child)
            case "encryptionScheme":
                field.encryptionScheme = context.name(child).map(EncryptionScheme.init(rawValue:))
            case "maskType": field.maskType = context.name(child)
            case "maskChar": field.maskChar = context.name(child)
            case "securityClassification": field.classification.securityClassification = context.name(child)
            case "complianceGroup":
                field.classification.complianceGroups = Classification.parseComplianceGroups(child.text)
            case "businessStatus": field.classification.businessStatus = context.name(child)
            case "businessOwnerUser": field.classification.businessOwnerUser = context.name(child)
            case "businessOwnerGroup": field.classification.businessOwnerGroup = context.name(child)
            case "length": field.length = context.int(child)
            case "precision": field.precision = context.int(child)
            case "scale": field.scale = context.int(child)
            case "defaultValue": field.defaultValue = context.text(child)
            case "description": field.description = context.text(child)
            case "isNameField": field.isNameField = context.bool(child)
            case "valueSet":
                field.picklistValues = valueSetValues(child, context: &context)
            case "picklist":
                // The pre-API-38 form: picklist/picklistValues/fullName.
                field.picklistValues = child.children(named: "picklistValues").compactMap {
                    $0.value("fullName")
                }
            default:
                context.ignore(child.name)
                continue
            }
            present.insert(child.name == "picklist" ? "valueSet" : child.name)
        }
        if let name {
            if let fullName, fullName != name {
                context.note(
                    "KH-META-NAME-MISMATCH", line: node.line,
                    "field file for \(object).\(name) has fullName \(fullName); the file name is used")
            }
        } else {
            guard let fullName else {
                context.note(
                    "KH-META-MISSING-ELEMENT", line: node.line,
                    "a <fields> element of object \(object) has no <fullName>; it is skipped")
                return nil
            }
            field.name = fullName
        }
        return field
    }

    static func valueSetValues(_ node: XMLElementNode, context: inout MetadataReadContext) -> [String] {
        guard let definition = node.child("valueSetDefinition") else { return [] }
        return definition.children(named: "value").compactMap { $0.value("fullName") }
    }

    /// Reads a whole SFDX field file.
    public static func read(_ data: Data, object: String, name: String, file: String) -> (
        Field?, [Diagnostic]
    ) {
        var context = MetadataReadContext(file: file)
        switch MetadataXML.root(of: data, kind: .field, file: file) {
        case .failure(let problem): return (nil, [problem.diagnostic])
        case .success(let root):
            var present: Set<String> = []
            let field = read(root, name: name, object: object, present: &present, context: &context)
            return (field, context.diagnostics)
        }
    }

    /// The field's children: `fullName` first, then the others alphabetically, as Salesforce writes them.
    static func children(_ field: Field) -> [XMLElementNode] {
        var nodes: [XMLElementNode] = [.leaf("fullName", field.name)]
        let c = field.classification
        if let v = c.businessOwnerGroup { nodes.append(.leaf("businessOwnerGroup", v)) }
        if let v = c.businessOwnerUser { nodes.append(.leaf("businessOwnerUser", v)) }
        if let v = c.businessStatus { nodes.append(.leaf("businessStatus", v)) }
        if let v = c.complianceGroupText { nodes.append(.leaf("complianceGroup", v)) }
        if let v = field.defaultValue { nodes.append(.leaf("defaultValue", v)) }
        if let v = field.description { nodes.append(.leaf("description", v)) }
        if let v = field.encryptionScheme { nodes.append(.leaf("encryptionScheme", v.rawValue)) }
        if field.isExternalId { nodes.append(.leaf("externalId", "true")) }
        if let v = field.formula { nodes.append(.leaf("formula", v)) }
        if field.isNameField { nodes.append(.leaf("isNameField", "true")) }
        if let v = field.label { nodes.append(.leaf("label", v)) }
        if let v = field.length { nodes.append(.leaf("length", String(v))) }
        if let v = field.maskChar { nodes.append(.leaf("maskChar", v)) }
        if let v = field.maskType { nodes.append(.leaf("maskType", v)) }
        if let v = field.precision { nodes.append(.leaf("precision", String(v))) }
        nodes += field.referenceTo.map { .leaf("referenceTo", $0) }
        if let v = field.relationshipName { nodes.append(.leaf("relationshipName", v)) }
        if field.isRequired { nodes.append(.leaf("required", "true")) }
        if let v = field.scale { nodes.append(.leaf("scale", String(v))) }
        if let v = c.securityClassification { nodes.append(.leaf("securityClassification", v)) }
        if let v = field.type { nodes.append(.leaf("type", v.rawValue)) }
        if field.isUnique { nodes.append(.leaf("unique", "true")) }
        if !field.picklistValues.isEmpty {
            let values = field.picklistValues.map { value in
                XMLElementNode(
                    "value",
                    children: [.leaf("fullName", value), .leaf("default", "false"), .leaf("label", value)])
            }
            nodes.append(
                XMLElementNode(
                    "valueSet",
                    children: [
                        XMLElementNode(
                            "valueSetDefinition", children: [.leaf("sorted", "false")] + values)
                    ]))
        }
        return nodes
    }

    /// The SFDX `CustomField` element.
    public static func element(_ field: Field) -> XMLElementNode {
        XMLElementNode("CustomField", children: children(field))
    }

    /// The `<fields>` element embedded in a Metadata API `.object` file.
    public static func embeddedElement(_ field: Field) -> XMLElementNode {
        XMLElementNode("fields", children: children(field))
    }

    public static func text(_ field: Field) -> String { XMLWriter.document(element(field)) }

    /// Applies a later definition of the same field: only the elements it contains replace earlier values
    /// (a partial deploy file that adds `encryptionScheme` keeps the field's type, `TRAP-20`).
    static func merge(_ later: Field, present: Set<String>, into field: inout Field) {
        for element in present {
            switch element {
            case "label": field.label = later.label
            case "type": field.type = later.type
            case "required": field.isRequired = later.isRequired
            case "unique": field.isUnique = later.isUnique
            case "externalId": field.isExternalId = later.isExternalId
            case "formula": field.formula = later.formula
            case "referenceTo": field.referenceTo = later.referenceTo
            case "relationshipName": field.relationshipName = later.relationshipName
            case "encryptionScheme": field.encryptionScheme = later.encryptionScheme
            case "maskType": field.maskType = later.maskType
            case "maskChar": field.maskChar = later.maskChar
            case "securityClassification":
                field.classification.securityClassification = later.classification.securityClassification
            case "complianceGroup":
                field.classification.complianceGroups = later.classification.complianceGroups
            case "businessStatus": field.classification.businessStatus = later.classification.businessStatus
            case "businessOwnerUser":
                field.classification.businessOwnerUser = later.classification.businessOwnerUser
            case "businessOwnerGroup":
                field.classification.businessOwnerGroup = later.classification.businessOwnerGroup
            case "length": field.length = later.length
            case "precision": field.precision = later.precision
            case "scale": field.scale = later.scale
            case "defaultValue": field.defaultValue = later.defaultValue
            case "description": field.description = later.description
            case "isNameField": field.isNameField = later.isNameField
            case "valueSet": field.picklistValues = later.picklistValues
            default: break
            }
        }
    }
}
