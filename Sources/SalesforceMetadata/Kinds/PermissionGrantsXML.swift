import AccessModel

/// The `fieldPermissions`, `objectPermissions` and `userPermissions` entries that profiles, permission
/// sets and muting permission sets share.
enum PermissionGrantsXML {
    static let elements: Set<String> = ["fieldPermissions", "objectPermissions", "userPermissions"]

    /// Reads one top-level entry into `grants`. Returns false when `node` is not a permission entry.
    /// Duplicate keys in one file merge by union and are noted (`TRAP-11`).
    static func read(
        _ node: XMLElementNode, into grants: inout PermissionGrants, owner: String,
        context: inout MetadataReadContext
    ) -> Bool {
        switch node.name {
        case "fieldPermissions":
            var field: String?
            var access = FieldAccess.none
            for child in node.children {
                switch child.name {
                case "field": field = context.name(child)
                case "readable": access.readable = context.bool(child)
                case "editable": access.editable = context.bool(child)
                default: context.ignore("fieldPermissions/\(child.name)")
                }
            }
            guard let field, FieldPath.split(field) != nil else {
                context.note(
                    "KH-META-MISSING-ELEMENT", line: node.line,
                    "<fieldPermissions> in \(owner) has no <field> of the form Object.Field; the entry is skipped"
                )
                return true
            }
            let before = grants.fields[field]
            if grants.addField(field, access) {
                let first =
                    context.entryLines[.fieldPermissions]?[field].map { " (first on line \($0))" } ?? ""
                let conflict =
                    before == access
                    ? ""
                    : "; they differ (\(describe(before ?? .none)) and \(describe(access))), so the union \(describe(grants.fields[field] ?? access)) is kept"
                context.note(
                    "KH-META-DUPLICATE-ENTRY", line: node.line,
                    "\(owner) lists field permission \(field) more than once\(first); entries are merged by union\(conflict)"
                )
            } else {
                context.entryLines[.fieldPermissions, default: [:]][field] = node.line
            }
        case "objectPermissions":
            var object: String?
            var access: ObjectAccess = []
            for child in node.children {
                if child.name == "object" {
                    object = context.name(child)
                } else if let flag = flags[child.name] {
                    if context.bool(child) { access.insert(flag) }
                } else {
                    context.ignore("objectPermissions/\(child.name)")
                }
            }
            guard let object else {
                context.note(
                    "KH-META-MISSING-ELEMENT", line: node.line,
                    "<objectPermissions> in \(owner) has no <object>; the entry is skipped")
                return true
            }
            if let existing = grants.objects[object] {
                grants.objects[object] = existing.union(access)
                let first =
                    context.entryLines[.objectPermissions]?[object].map { " (first on line \($0))" } ?? ""
                context.note(
                    "KH-META-DUPLICATE-ENTRY", line: node.line,
                    "\(owner) lists object permissions for \(object) more than once\(first); entries are merged by union (\(existing) and \(access) → \(existing.union(access)))"
                )
            } else {
                grants.objects[object] = access
                context.entryLines[.objectPermissions, default: [:]][object] = node.line
            }
        case "userPermissions":
            var name: String?
            var enabled = false
            for child in node.children {
                switch child.name {
                case "name": name = context.name(child)
                case "enabled": enabled = context.bool(child)
                default: context.ignore("userPermissions/\(child.name)")
                }
            }
            guard let name else {
                context.note(
                    "KH-META-MISSING-ELEMENT", line: node.line,
                    "<userPermissions> in \(owner) has no <name>; the entry is skipped")
                return true
            }
            if let existing = grants.userPermissions[name] {
                grants.userPermissions[name] = existing || enabled
                let first = context.entryLines[.userPermissions]?[name].map { " (first on line \($0))" } ?? ""
                context.note(
                    "KH-META-DUPLICATE-ENTRY", line: node.line,
                    "\(owner) lists user permission \(name) more than once\(first); entries are merged (enabled if any is)"
                )
            } else {
                grants.userPermissions[name] = enabled
                context.entryLines[.userPermissions, default: [:]][name] = node.line
            }
        default:
            return false
        }
        context.present.insert(node.name)
        return true
    }

    static let flags: [String: ObjectAccess] = Dictionary(
        uniqueKeysWithValues: ObjectAccess.named.map { ($0.element, $0.permission) })

    static func describe(_ access: FieldAccess) -> String {
        access.editable ? (access.readable ? "read+edit" : "edit") : (access.readable ? "read" : "none")
    }

    // MARK: - Writing

    /// `fieldPermissions` sorted by field: editable, field, readable.
    static func fieldNodes(_ grants: PermissionGrants) -> [XMLElementNode] {
        grants.fields.keys.sorted().map { key in
            let access = grants.fields[key] ?? .none
            return XMLElementNode(
                "fieldPermissions",
                children: [
                    .leaf("editable", String(access.editable)),
                    .leaf("field", key),
                    .leaf("readable", String(access.readable)),
                ])
        }
    }

    /// `objectPermissions` sorted by object, flags in the documented order; `viewAllFields` only when set.
    static func objectNodes(_ grants: PermissionGrants) -> [XMLElementNode] {
        grants.objects.keys.sorted().map { object in
            let access = grants.objects[object] ?? []
            var children: [XMLElementNode] = [
                .leaf("allowCreate", String(access.contains(.create))),
                .leaf("allowDelete", String(access.contains(.delete))),
                .leaf("allowEdit", String(access.contains(.edit))),
                .leaf("allowRead", String(access.contains(.read))),
                .leaf("modifyAllRecords", String(access.contains(.modifyAllRecords))),
                .leaf("object", object),
            ]
            if access.contains(.viewAllFields) { children.append(.leaf("viewAllFields", "true")) }
            children.append(.leaf("viewAllRecords", String(access.contains(.viewAllRecords))))
            return XMLElementNode("objectPermissions", children: children)
        }
    }

    /// `userPermissions` sorted by name: enabled, name.
    static func userPermissionNodes(_ grants: PermissionGrants) -> [XMLElementNode] {
        grants.userPermissions.keys.sorted().map { name in
            XMLElementNode(
                "userPermissions",
                children: [
                    .leaf("enabled", String(grants.userPermissions[name] ?? false)), .leaf("name", name),
                ])
        }
    }

    /// Merges a later file's grants over earlier ones, like a successive deploy: per key, later wins.
    static func merge(_ later: PermissionGrants, into grants: inout PermissionGrants) {
        for (key, value) in later.objects { grants.objects[key] = value }
        for (key, value) in later.fields { grants.fields[key] = value }
        for (key, value) in later.userPermissions { grants.userPermissions[key] = value }
    }
}
