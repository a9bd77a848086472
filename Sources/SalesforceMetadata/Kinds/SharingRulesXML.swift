import AccessModel
import Foundation

/// `SharingRules` metadata (`sharingRules/Object.sharingRules-meta.xml`, `Object.sharingRules`): criteria,
/// owner, guest and territory rules of one object. Single-rule files (`*.sharingOwnerRule-meta.xml`, …)
/// are read too.
public enum SharingRulesXML {
    static let ruleElements = [
        "sharingCriteriaRules", "sharingGuestRules", "sharingOwnerRules", "sharingTerritoryRules",
    ]

    /// The root element of a single-rule file and the element it corresponds to in a SharingRules file.
    static let singleRuleRoots: [String: String] = [
        "SharingCriteriaRule": "sharingCriteriaRules", "SharingOwnerRule": "sharingOwnerRules",
        "SharingGuestRule": "sharingGuestRules", "SharingTerritoryRule": "sharingTerritoryRules",
    ]

    static func element(forFileSuffix suffix: String) -> String {
        switch suffix {
        case "sharingcriteriarule": "sharingCriteriaRules"
        case "sharingguestrule": "sharingGuestRules"
        case "sharingterritoryrule": "sharingTerritoryRules"
        default: "sharingOwnerRules"
        }
    }

    /// Every rule in a SharingRules root, in file order; each with the line of its element.
    public static func read(_ root: XMLElementNode, object: String, context: inout MetadataReadContext)
        -> [(rule: SharingRule, line: Int)]
    {
        var rules: [(SharingRule, Int)] = []
        for node in root.children {
            guard ruleElements.contains(node.name) else {
                context.ignore(node.name)
                continue
            }
            if let rule = readRule(node, element: node.name, object: object, name: nil, context: &context) {
                rules.append((rule, node.line))
            }
        }
        return rules
    }

    /// One rule element (or a single-rule file's root) of the kind `element`.
    static func readRule(
        _ node: XMLElementNode, element: String, object: String, name: String?,
        context: inout MetadataReadContext
    ) -> SharingRule? {
        var fullName = name
        var label: String?
        var description: String?
        var accessLevel: AccessLevel?
        var accountSettings: AccountSharingSettings?
        var sharedTo: SharingPrincipal?
        var sharedFrom: SharingPrincipal?
        var items: [CriteriaItem] = []
        var booleanFilter: String?
        var includeAll: Bool?
        var includeHVU: Bool?
        for child in node.children {
            switch child.name {
            case "fullName": if name == nil { fullName = context.name(child) }
            case "label": label = context.text(child)
            case "description": description = context.text(child)
            case "accessLevel": accessLevel = context.accessLevel(child)
            case "accountSettings":
                var levels: [String: AccessLevel] = [:]
                for setting in child.children {
                    switch setting.name {
                    case "caseAccessLevel", "contactAccessLevel", "opportunityAccessLevel":
                        levels[setting.name] = context.accessLevel(setting)
                    default: context.ignore("accountSettings/\(setting.name)")
                    }
                }
                accountSettings = AccountSharingSettings(
                    caseAccessLevel: levels["caseAccessLevel"] ?? .none,
                    contactAccessLevel: levels["contactAccessLevel"] ?? .none,
                    opportunityAccessLevel: levels["opportunityAccessLevel"] ?? .none)
            case "sharedTo": sharedTo = principal(child, context: &context)
            case "sharedFrom": sharedFrom = principal(child, context: &context)
            case "criteriaItems":
                items.append(
                    CriteriaItem(
                        field: child.value("field") ?? "", operation: child.value("operation") ?? "",
                        value: child.child("value")?.text ?? ""))
                for item in child.children
                where !["field", "operation", "value", "valueField"].contains(item.name) {
                    context.ignore("criteriaItems/\(item.name)")
                }
            case "booleanFilter": booleanFilter = context.name(child)
            case "includeRecordsOwnedByAll": includeAll = context.bool(child)
            case "includeHVUOwnedRecords": includeHVU = context.bool(child)
            default: context.ignore("\(element)/\(child.name)")
            }
        }
        let where_ = "a <\(element)> rule of \(object)"
        guard let fullName else {
            context.error(
                "KH-META-MISSING-ELEMENT", line: node.line,
                "\(where_) has no <fullName>; add the rule's API name")
            return nil
        }
        guard let accessLevel else {
            if !context.hasErrorsAt(node) {
                context.error(
                    "KH-META-MISSING-ELEMENT", line: node.line,
                    "sharing rule \(object).\(fullName) has no <accessLevel>; add Read or Edit")
            }
            return nil
        }
        guard let sharedTo else {
            context.error(
                "KH-META-MISSING-ELEMENT", line: node.line,
                "sharing rule \(object).\(fullName) has no <sharedTo>; add the group or role it shares with")
            return nil
        }
        let kind: SharingRule.Kind
        let filter = CriteriaFilter(items: items, booleanFilter: booleanFilter)
        switch element {
        case "sharingCriteriaRules": kind = .criteria(filter, includeRecordsOwnedByAll: includeAll)
        case "sharingGuestRules": kind = .guest(filter, includeHVUOwnedRecords: includeHVU)
        default:
            guard let sharedFrom else {
                context.error(
                    "KH-META-MISSING-ELEMENT", line: node.line,
                    "sharing rule \(object).\(fullName) has no <sharedFrom>; add whose records it shares")
                return nil
            }
            kind =
                element == "sharingTerritoryRules"
                ? .territory(sharedFrom: sharedFrom) : .owner(sharedFrom: sharedFrom)
        }
        return SharingRule(
            object: object, name: fullName, label: label, description: description, kind: kind,
            sharedTo: sharedTo,
            accessLevel: accessLevel, accountSettings: accountSettings)
    }

    /// `<sharedTo><role>CEO</role></sharedTo>`: the one child's name is the kind, its text the name.
    static func principal(_ node: XMLElementNode, context: inout MetadataReadContext) -> SharingPrincipal? {
        guard let first = node.children.first else {
            context.error(
                "KH-META-MISSING-ELEMENT", line: node.line,
                "<\(node.name)> names no principal; add e.g. <group>Name</group>")
            return nil
        }
        if node.children.count > 1 {
            context.note(
                "KH-META-DUPLICATE-ENTRY", line: node.line,
                "<\(node.name)> names \(node.children.count) principals; only the first, \(first.name), is used"
            )
        }
        return SharingPrincipal(kind: first.name, name: first.trimmedText)
    }

    public static func read(_ data: Data, object: String, file: String) -> ([SharingRule], [Diagnostic]) {
        var context = MetadataReadContext(file: file)
        switch MetadataXML.root(of: data, kind: .sharingRules, file: file) {
        case .failure(let problem): return ([], [problem.diagnostic])
        case .success(let root):
            return (read(root, object: object, context: &context).map(\.rule), context.diagnostics)
        }
    }

    // MARK: - Writing

    /// The rule's element: fullName, accessLevel, accountSettings, description, label, sharedTo, then the
    /// kind's own elements (booleanFilter, criteriaItems, include… / sharedFrom), as Salesforce writes them.
    public static func ruleElement(_ rule: SharingRule) -> XMLElementNode {
        var children: [XMLElementNode] = [
            .leaf("fullName", rule.name), .leaf("accessLevel", rule.accessLevel.metadataName),
        ]
        if let settings = rule.accountSettings {
            children.append(
                XMLElementNode(
                    "accountSettings",
                    children: [
                        .leaf("caseAccessLevel", settings.caseAccessLevel.metadataName),
                        .leaf("contactAccessLevel", settings.contactAccessLevel.metadataName),
                        .leaf("opportunityAccessLevel", settings.opportunityAccessLevel.metadataName),
                    ]))
        }
        if let v = rule.description { children.append(.leaf("description", v)) }
        if let v = rule.label { children.append(.leaf("label", v)) }
        children.append(principalElement("sharedTo", rule.sharedTo))
        func criteria(_ filter: CriteriaFilter) {
            if let v = filter.booleanFilter { children.append(.leaf("booleanFilter", v)) }
            for item in filter.items {
                children.append(
                    XMLElementNode(
                        "criteriaItems",
                        children: [
                            .leaf("field", item.field), .leaf("operation", item.operation),
                            .leaf("value", item.value),
                        ]))
            }
        }
        switch rule.kind {
        case .criteria(let filter, let includeAll):
            criteria(filter)
            if let v = includeAll { children.append(.leaf("includeRecordsOwnedByAll", String(v))) }
        case .guest(let filter, let includeHVU):
            criteria(filter)
            if let v = includeHVU { children.append(.leaf("includeHVUOwnedRecords", String(v))) }
        case .owner(let from), .territory(let from):
            children.append(principalElement("sharedFrom", from))
        }
        return XMLElementNode(rule.kind.element, children: children)
    }

    static func principalElement(_ name: String, _ principal: SharingPrincipal) -> XMLElementNode {
        XMLElementNode(name, children: [.leaf(principal.kind, principal.name)])
    }

    /// A SharingRules file for the rules of one object: criteria, guest, owner, territory rules, each kind
    /// sorted by name.
    public static func element(_ rules: [SharingRule]) -> XMLElementNode {
        let sorted = rules.sorted { a, b in
            let ka = ruleElements.firstIndex(of: a.kind.element) ?? 0
            let kb = ruleElements.firstIndex(of: b.kind.element) ?? 0
            return ka != kb ? ka < kb : a.name < b.name
        }
        return XMLElementNode("SharingRules", children: sorted.map(ruleElement))
    }

    public static func text(_ rules: [SharingRule]) -> String { XMLWriter.document(element(rules)) }

    /// The order the loader keeps `Org.sharingRules` in: object, rule kind, name.
    static func canonicalOrder(_ a: SharingRule, _ b: SharingRule) -> Bool {
        if a.object != b.object { return a.object < b.object }
        let ka = ruleElements.firstIndex(of: a.kind.element) ?? 0
        let kb = ruleElements.firstIndex(of: b.kind.element) ?? 0
        return ka != kb ? ka < kb : a.name < b.name
    }
}

extension MetadataReadContext {
    /// Whether an error was already reported inside `node` (to avoid a second one for the same cause).
    func hasErrorsAt(_ node: XMLElementNode) -> Bool {
        diagnostics.contains { $0.severity == .error && ($0.line ?? 0) >= node.line }
    }
}
