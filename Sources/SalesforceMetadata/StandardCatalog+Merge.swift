import AccessModel

extension StandardCatalog {
    /// Merges the catalog under a project's org. The project's declarations win attribute by attribute;
    /// the catalog fills what the project leaves unset: labels, the types of standard-field files that
    /// carry none (`TRAP-10`), the standard-field flags (`isNameField`, `isAudit`, `isFLSControllable`,
    /// `isAlwaysEditable`, `isCalculated`, `compoundParent`), `referenceTo`/`relationshipName` and
    /// picklist values when empty. Catalog objects the project does not mention are added whole.
    /// Licences are added unless the org already defines one of the same name.
    ///
    /// The project's `sharingModel` is never set from the catalog: the catalog's `REC-4` value goes into
    /// `defaultSharingModel`, so the evaluator can say it assumed the default.
    public func merged(into org: Org) -> Org {
        var result = org
        for (name, catalogObject) in objects {
            if let projectObject = org.objects[name] {
                result.objects[name] = Self.merge(project: projectObject, catalog: catalogObject)
            } else {
                result.objects[name] = catalogObject
            }
        }
        for (name, object) in result.objects where object.kind == .custom {
            result.objects[name] = Self.addingSystemFields(to: object)
        }
        for (name, license) in userLicenses where result.userLicenses[name] == nil {
            result.userLicenses[name] = license
        }
        for (name, license) in permissionSetLicenses where result.permissionSetLicenses[name] == nil {
            result.permissionSetLicenses[name] = license
        }
        return result
    }

    static func merge(project: SObjectType, catalog: SObjectType) -> SObjectType {
        var merged = project
        merged.label = project.label ?? catalog.label
        merged.pluralLabel = project.pluralLabel ?? catalog.pluralLabel
        merged.description = project.description ?? catalog.description
        // `sharingModel` and `externalSharingModel` stay exactly as the project wrote them (or left them).
        merged.defaultSharingModel = project.defaultSharingModel ?? catalog.defaultSharingModel
        merged.nameFieldLabel = project.nameFieldLabel ?? catalog.nameFieldLabel
        merged.nameFieldType = project.nameFieldType ?? catalog.nameFieldType
        merged.isInCatalog = true
        for (name, catalogField) in catalog.fields {
            if let projectField = project.fields[name] {
                merged.fields[name] = merge(project: projectField, catalog: catalogField)
            } else {
                merged.fields[name] = catalogField
            }
        }
        return merged
    }

    /// A standard-field file never carries the catalog's flags, so a project value of `false` (or `true`
    /// for `isFLSControllable`) means "not said": the flags combine towards the catalog's knowledge.
    static func merge(project: Field, catalog: Field) -> Field {
        var merged = project
        merged.label = project.label ?? catalog.label
        merged.type = project.type ?? catalog.type
        merged.isRequired = project.isRequired || catalog.isRequired
        merged.isUnique = project.isUnique || catalog.isUnique
        if project.referenceTo.isEmpty { merged.referenceTo = catalog.referenceTo }
        merged.relationshipName = project.relationshipName ?? catalog.relationshipName
        merged.compoundParent = project.compoundParent ?? catalog.compoundParent
        merged.length = project.length ?? catalog.length
        merged.precision = project.precision ?? catalog.precision
        merged.scale = project.scale ?? catalog.scale
        if project.picklistValues.isEmpty { merged.picklistValues = catalog.picklistValues }
        merged.defaultValue = project.defaultValue ?? catalog.defaultValue
        merged.description = project.description ?? catalog.description
        merged.isNameField = project.isNameField || catalog.isNameField
        merged.isAudit = project.isAudit || catalog.isAudit
        merged.isFLSControllable = project.isFLSControllable && catalog.isFLSControllable
        merged.isAlwaysEditable = project.isAlwaysEditable || catalog.isAlwaysEditable
        merged.isCalculated = project.isCalculated || catalog.isCalculated
        return merged
    }

    /// The fields every custom object has that its metadata never declares: `Id`, the name field,
    /// `OwnerId` (not on master-detail children, whose owner is the master's), the audit fields and
    /// `IsDeleted` (`FLS-6`). Fields the project declares are kept as they are.
    static func addingSystemFields(to object: SObjectType) -> SObjectType {
        var result = object
        let isDetail = object.fields.values.contains { $0.isMasterDetail }
        var system: [Field] = [
            Field(name: "Id", label: "Record ID", type: .id, isFLSControllable: false, isCalculated: true),
            Field(
                name: "Name", label: object.nameFieldLabel ?? "\(object.label ?? object.name) Name",
                type: object.nameFieldType ?? .text, isRequired: object.nameFieldType != .autoNumber,
                length: object.nameFieldType == .autoNumber ? 30 : 80, isNameField: true,
                isFLSControllable: false,
                isAlwaysEditable: object.nameFieldType != .autoNumber),
            Field(
                name: "CreatedById", label: "Created By ID", type: .lookup, referenceTo: ["User"],
                relationshipName: "CreatedBy", isAudit: true, isFLSControllable: false),
            Field(
                name: "CreatedDate", label: "Created Date", type: .dateTime, isAudit: true,
                isFLSControllable: false),
            Field(
                name: "LastModifiedById", label: "Last Modified By ID", type: .lookup, referenceTo: ["User"],
                relationshipName: "LastModifiedBy", isAudit: true, isFLSControllable: false),
            Field(
                name: "LastModifiedDate", label: "Last Modified Date", type: .dateTime, isAudit: true,
                isFLSControllable: false),
            Field(
                name: "SystemModstamp", label: "System Modstamp", type: .dateTime, isAudit: true,
                isFLSControllable: false),
            Field(
                name: "IsDeleted", label: "Deleted", type: .checkbox, isFLSControllable: false,
                isCalculated: true),
        ]
        if !isDetail {
            system.append(
                Field(
                    name: "OwnerId", label: "Owner ID", type: .lookup, referenceTo: ["User"],
                    relationshipName: "Owner",
                    isFLSControllable: false, isAlwaysEditable: true))
        }
        for field in system where result.fields[field.name] == nil { result.fields[field.name] = field }
        return result
    }
}
