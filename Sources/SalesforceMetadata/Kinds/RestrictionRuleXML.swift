import AccessModel
import Foundation

/// `RestrictionRule` metadata (`restrictionRules/*.rule-meta.xml`): restriction and scoping rules.
public enum RestrictionRuleXML {
    /// Returns nil (with an error) when the rule names no `targetEntity`.
    public static func read(_ root: XMLElementNode, name: String, context: inout MetadataReadContext)
        -> RestrictionRule?
    {
        var rule = RestrictionRule(name: name, active: false, targetEntity: "")
        for node in root.children {
            switch node.name {
            case "active": rule.active = context.bool(node)
            case "description": rule.description = context.text(node)
            case "enforcementType": rule.enforcementType = context.name(node) ?? rule.enforcementType
            case "masterLabel": rule.masterLabel = context.text(node)
            case "recordFilter": rule.recordFilter = context.text(node)
            case "targetEntity": rule.targetEntity = context.name(node) ?? ""
            case "userCriteria": rule.userCriteria = context.text(node)
            case "version": rule.version = context.int(node)
            default:
                context.ignore(node.name)
                continue
            }
            context.present.insert(node.name)
        }
        guard !rule.targetEntity.isEmpty else {
            context.error(
                "KH-META-MISSING-ELEMENT", line: root.line,
                "restriction rule \(name) has no <targetEntity>; add the object it restricts")
            return nil
        }
        return rule
    }

    public static func read(_ data: Data, name: String, file: String) -> (RestrictionRule?, [Diagnostic]) {
        var context = MetadataReadContext(file: file)
        switch MetadataXML.root(of: data, kind: .restrictionRule, file: file) {
        case .failure(let problem): return (nil, [problem.diagnostic])
        case .success(let root): return (read(root, name: name, context: &context), context.diagnostics)
        }
    }

    /// active, description, enforcementType, masterLabel, recordFilter, targetEntity, userCriteria, version.
    public static func element(_ rule: RestrictionRule) -> XMLElementNode {
        var children: [XMLElementNode] = [.leaf("active", String(rule.active))]
        if let v = rule.description { children.append(.leaf("description", v)) }
        children.append(.leaf("enforcementType", rule.enforcementType))
        if let v = rule.masterLabel { children.append(.leaf("masterLabel", v)) }
        if let v = rule.recordFilter { children.append(.leaf("recordFilter", v)) }
        children.append(.leaf("targetEntity", rule.targetEntity))
        if let v = rule.userCriteria { children.append(.leaf("userCriteria", v)) }
        if let v = rule.version { children.append(.leaf("version", String(v))) }
        return XMLElementNode("RestrictionRule", children: children)
    }

    public static func text(_ rule: RestrictionRule) -> String { XMLWriter.document(element(rule)) }
}
