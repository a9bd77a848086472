import AccessModel

/// Parent and child relationship names of an org, which the metadata does not spell out for standard
/// objects.
///
/// - Parent (lookup) names: a custom field `Account__c` is followed as `Account__r`; a standard field by
///   its catalog `relationshipName` (`AccountId` → `Account`), else its name without the `Id` suffix.
/// - Child names: a custom lookup or master-detail is named by its metadata `relationshipName` plus
///   `__r` (`Invoices__r`); a standard lookup `XId` to `X` by the child's plural label without spaces
///   (`Account` → `Contacts`, `Opportunities`, `Cases`), plus a few known names (`ChildAccounts`, `Tasks`,
///   `Events`). Audit and owner lookups (to `User`) are not given child names. Names are unique per
///   parent: the first in (known names, then child object, then field) order wins.
public struct RelationshipIndex: Sendable {
    /// A child relationship: the `Contacts` of an `Account` are the `Contact` records whose `AccountId`
    /// points to it.
    public struct Child: Hashable, Sendable {
        public var name: String
        public var parentObject: String
        public var childObject: String
        public var field: String
    }

    /// Known standard child relationship names: (child object, lookup field) → name.
    static let knownChildNames: [String: String] = [
        "Account.ParentId": "ChildAccounts", "Case.ParentId": "Cases", "Asset.ParentId": "ChildAssets",
        "Campaign.ParentId": "ChildCampaigns", "Task.WhatId": "Tasks", "Task.WhoId": "Tasks",
        "Event.WhatId": "Events", "Event.WhoId": "Events",
    ]

    private var childrenByParent: [String: [Child]] = [:]

    public init(org: Org) {
        var candidates: [(rank: Int, child: Child)] = []
        for object in org.objects.values {
            for field in object.fields.values where !field.referenceTo.isEmpty {
                if field.isAudit || field.name == "OwnerId" { continue }
                for target in field.referenceTo {
                    guard let parent = org.object(named: target) else { continue }
                    if let name = Self.childName(child: object, field: field, parent: parent) {
                        let rank = Self.knownChildNames["\(object.name).\(field.name)"] != nil ? 0 : 1
                        candidates.append(
                            (
                                rank,
                                Child(
                                    name: name, parentObject: parent.name, childObject: object.name,
                                    field: field.name)
                            ))
                    }
                }
            }
        }
        candidates.sort {
            ($0.rank, $0.child.childObject, $0.child.field) < ($1.rank, $1.child.childObject, $1.child.field)
        }
        for (_, child) in candidates {
            var list = childrenByParent[child.parentObject, default: []]
            if list.contains(where: { $0.name.caseInsensitiveCompare(child.name) == .orderedSame }) {
                continue
            }
            list.append(child)
            childrenByParent[child.parentObject] = list
        }
    }

    /// The child relationships of `object`, by name.
    public func children(of object: String) -> [Child] {
        (childrenByParent[object] ?? []).sorted { $0.name < $1.name }
    }

    /// The child relationship `name` of `object`, case-insensitively.
    public func child(_ name: String, of object: String) -> Child? {
        childrenByParent[object]?.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// The name a lookup field is followed by in a parent path (`Account`, `Owner`, `Account__r`).
    public static func parentRelationshipName(of field: Field) -> String? {
        guard !field.referenceTo.isEmpty else { return nil }
        if field.name.hasSuffix("__c") { return String(field.name.dropLast(3)) + "__r" }
        if let name = field.relationshipName { return name }
        if field.name.hasSuffix("Id"), field.name.count > 2 { return String(field.name.dropLast(2)) }
        return nil
    }

    /// The lookup field of `object` followed by relationship `name`, case-insensitively.
    public static func parentField(_ name: String, of object: SObjectType) -> Field? {
        object.sortedFields.first {
            parentRelationshipName(of: $0)?.caseInsensitiveCompare(name) == .orderedSame
        }
    }

    static func childName(child: SObjectType, field: Field, parent: SObjectType) -> String? {
        if field.name.hasSuffix("__c") {
            guard let name = field.relationshipName, !name.isEmpty else { return nil }
            return name.hasSuffix("__r") ? name : name + "__r"
        }
        if let known = knownChildNames["\(child.name).\(field.name)"] { return known }
        guard field.name == parent.name + "Id" || field.relationshipName == parent.name else { return nil }
        guard child.name != parent.name else { return nil }
        let plural = child.pluralLabel ?? ((child.label ?? child.name) + "s")
        let name = plural.filter { $0.isLetter || $0.isNumber }
        return name.isEmpty ? nil : name
    }
}
