import AccessModel
import SOQL

/// describeGlobal and sObject describe for one user (`rest-api.md` §2.2, §2.3), derived only from the
/// evaluator's `UserAccess`: an object the user cannot read is absent (404 for its describe), a field it
/// cannot read is omitted exactly as if it did not exist (`API-3`), and `createable`/`updateable` come
/// from field edit access together with the object's Create/Edit permission.
struct Describer: Sendable {
    let served: ServedOrg
    let access: UserAccess
    /// `62.0`, for the URLs in the response.
    let version: String

    var base: String { "/services/data/v\(version)" }

    /// The readable object named `name` (case-insensitive), or `nil`.
    func readableObject(_ name: String) -> SObjectType? {
        guard let object = served.org.object(named: name), access.objectAccess(object.name).contains(.read)
        else { return nil }
        return object
    }

    // MARK: describeGlobal

    func global() -> JSON {
        let objects = access.readableObjects.sorted().compactMap { served.org.objects[$0] }
        return .object([
            ("encoding", .string("UTF-8")),
            ("maxBatchSize", .number(200)),
            ("sobjects", .array(objects.map { .object(objectSummary($0)) })),
        ])
    }

    /// The keys describeGlobal and describe share.
    func objectSummary(_ object: SObjectType) -> [(String, JSON)] {
        let permissions = access.objectAccess(object.name)
        let isSetting = object.kind == .customSetting
        let name = object.name
        return [
            ("activateable", .bool(false)),
            ("createable", .bool(permissions.contains(.create))),
            ("custom", .bool(object.isCustom)),
            ("customSetting", .bool(isSetting)),
            ("deepCloneable", .bool(false)),
            ("deletable", .bool(permissions.contains(.delete))),
            ("deprecatedAndHidden", .bool(false)),
            ("feedEnabled", .bool(false)),
            ("hasSubtypes", .bool(false)),
            ("isInterface", .bool(false)),
            ("isSubtype", .bool(false)),
            ("keyPrefix", .string(RecordId.keyPrefix(for: name))),
            ("label", .string(object.label ?? name)),
            ("labelPlural", .string(object.pluralLabel ?? object.label ?? name)),
            ("layoutable", .bool(!isSetting)),
            ("mergeable", .bool(false)),
            ("mruEnabled", .bool(!isSetting)),
            ("name", .string(name)),
            ("queryable", .bool(true)),
            ("replicateable", .bool(!isSetting)),
            ("retrieveable", .bool(true)),
            ("searchable", .bool(!isSetting)),
            ("triggerable", .bool(true)),
            ("undeletable", .bool(permissions.contains(.delete))),
            ("updateable", .bool(permissions.contains(.edit))),
            (
                "urls",
                .object([
                    ("rowTemplate", .string("\(base)/sobjects/\(name)/{ID}")),
                    ("describe", .string("\(base)/sobjects/\(name)/describe")),
                    ("sobject", .string("\(base)/sobjects/\(name)")),
                ])
            ),
        ]
    }

    // MARK: describe

    /// `GET /sobjects/{T}/describe`; `NOT_FOUND` for an unknown or unreadable object.
    func describe(_ name: String) throws(APIError) -> JSON {
        guard let object = readableObject(name) else { throw APIError.notFound }
        var pairs = objectSummary(object)
        let fields = readableFields(object)
        pairs.append(("actionOverrides", .array([])))
        pairs.append(("childRelationships", .array(childRelationships(object))))
        pairs.append(("compactLayoutable", .bool(object.kind != .customSetting)))
        pairs.append(("fields", .array(fields.map { describe($0, of: object) })))
        pairs.append(("listviewable", .null))
        pairs.append(("lookupLayoutable", .null))
        pairs.append(("namedLayoutInfos", .array([])))
        pairs.append(("networkScopeFieldName", .null))
        pairs.append(("recordTypeInfos", .array([masterRecordType(object)])))
        pairs.append(("searchLayoutable", .bool(object.kind != .customSetting)))
        pairs.append(("supportedScopes", .array([])))
        pairs.sort { $0.0 < $1.0 }
        return .object(pairs)
    }

    /// `GET /sobjects/{T}`: object metadata and (empty) recent items.
    func basicInfo(_ name: String) throws(APIError) -> JSON {
        guard let object = readableObject(name) else { throw APIError.notFound }
        return .object([("objectDescribe", .object(objectSummary(object))), ("recentItems", .array([]))])
    }

    /// The fields the user can read, `Id` first (`UserAccess.readableFields`).
    func readableFields(_ object: SObjectType) -> [Field] {
        access.readableFields(of: object.name).map { name in
            object.fields[name] ?? Field(name: name, label: "\(object.label ?? object.name) ID", type: .id)
        }
    }

    func describe(_ field: Field, of object: SObjectType) -> JSON {
        let permissions = access.objectAccess(object.name)
        let editable = access.canEdit(object: object.name, field: field.name)
        let type = field.apiType
        let isId = type == "id"
        let isNumber = ["double", "currency", "percent"].contains(type)
        let isInteger = type == "int" || type == "long"
        let length = field.describeLength
        let references = field.referenceTo
        let relationshipName = RelationshipIndex.parentRelationshipName(of: field)
        let defaultedOnCreate =
            isId || field.isAudit || field.name == "OwnerId" || type == "boolean" || field.isAutoNumber
        let nillable =
            !(isId || field.isRequired || field.isMasterDetail || type == "boolean" || field.isNameField
            || field.isAudit || field.name == "OwnerId" || field.name == "IsDeleted")
        let picklist: [JSON] =
            (type == "picklist" || type == "multipicklist")
            ? field.picklistValues.map { value in
                .object([
                    ("active", .bool(true)),
                    ("defaultValue", .bool(value == field.defaultValue)),
                    ("label", .string(value)),
                    ("validFor", .null),
                    ("value", .string(value)),
                ])
            } : []
        let encrypted = field.isClassicEncrypted || field.encryptionScheme != nil
        let defaultValue: JSON =
            if let value = field.defaultValue {
                type == "boolean" ? .bool(value.lowercased() == "true") : .string(value)
            } else {
                type == "boolean" ? .bool(false) : .null
            }
        let pairs: [(String, JSON)] = [
            ("aggregatable", .bool(!["textarea", "address", "location", "encryptedstring"].contains(type))),
            ("aiPredictionField", .bool(false)),
            ("autoNumber", .bool(field.isAutoNumber)),
            ("byteLength", .number(length * 3)),
            ("calculated", .bool(field.isFormula || field.isCalculated || field.isCompound)),
            ("calculatedFormula", .string(field.formula)),
            ("cascadeDelete", .bool(false)),
            ("caseSensitive", .bool(false)),
            ("compoundFieldName", .string(field.compoundParent)),
            ("controllerName", .null),
            ("createable", .bool(editable && permissions.contains(.create) && !isId)),
            ("custom", .bool(field.isCustom)),
            ("defaultValue", defaultValue),
            ("defaultValueFormula", .null),
            ("defaultedOnCreate", .bool(defaultedOnCreate)),
            ("dependentPicklist", .bool(false)),
            ("deprecatedAndHidden", .bool(false)),
            ("digits", .number(isInteger ? (type == "long" ? 18 : 9) : 0)),
            ("displayLocationInDecimal", .bool(false)),
            ("encrypted", .bool(encrypted)),
            ("externalId", .bool(field.isExternalId)),
            ("extraTypeInfo", extraTypeInfo(field, type: type)),
            (
                "filterable",
                .bool(!["textarea", "address", "location"].contains(type) || field.type == .textArea)
            ),
            ("filteredLookupInfo", .null),
            (
                "groupable",
                .bool(
                    !["double", "currency", "percent", "datetime", "textarea", "address", "location"]
                        .contains(type))
            ),
            ("highScaleNumber", .bool(false)),
            ("htmlFormatted", .bool(field.type == .html)),
            ("idLookup", .bool(isId || field.isExternalId || field.isUnique)),
            ("inlineHelpText", .string(field.description)),
            ("label", .string(field.label ?? field.name)),
            ("length", .number(length)),
            ("mask", .string(field.isClassicEncrypted ? field.maskChar ?? "asterisk" : nil)),
            ("maskType", .string(field.isClassicEncrypted ? field.maskType ?? "all" : nil)),
            ("name", .string(field.name)),
            ("nameField", .bool(field.isNameField)),
            ("namePointing", .bool(references.count > 1)),
            ("nillable", .bool(nillable)),
            ("permissionable", .bool(field.isFLSControllable && !field.isAlwaysReadable)),
            ("picklistValues", .array(picklist)),
            ("polymorphicForeignKey", .bool(references.count > 1)),
            ("precision", .number(isNumber ? field.precision ?? 18 : 0)),
            ("queryByDistance", .bool(false)),
            ("referenceTargetField", .null),
            ("referenceTo", .array(references.map { .string($0) })),
            ("relationshipName", .string(relationshipName)),
            ("relationshipOrder", field.isMasterDetail ? .number(0) : .null),
            ("restrictedDelete", .bool(false)),
            ("restrictedPicklist", .bool(false)),
            ("scale", .number(isNumber ? field.scale ?? 0 : 0)),
            ("searchPrefilterable", .bool(type == "reference")),
            ("soapType", .string(field.soapType)),
            (
                "sortable",
                .bool(
                    !["textarea", "address", "location", "multipicklist"].contains(type)
                        || field.type == .textArea)
            ),
            ("type", .string(type)),
            ("unique", .bool(field.isUnique)),
            ("updateable", .bool(editable && permissions.contains(.edit) && !isId)),
            ("writeRequiresMasterRead", .bool(field.isMasterDetail)),
        ]
        return .object(pairs)
    }

    func extraTypeInfo(_ field: Field, type: String) -> JSON {
        switch field.type {
        case .textArea, .longTextArea: .string("plaintextarea")
        case .html: .string("richtextarea")
        case .url: .string("url")
        default: type == "reference" && field.referenceTo == ["User"] ? .string("personname") : .null
        }
    }

    /// Child relationships whose child object and lookup field the user can read.
    func childRelationships(_ object: SObjectType) -> [JSON] {
        served.relationships.children(of: object.name).compactMap { child -> JSON? in
            guard access.objectAccess(child.childObject).contains(.read),
                access.canRead(object: child.childObject, field: child.field)
            else { return nil }
            let field = served.org.objects[child.childObject]?.fields[child.field]
            return .object([
                ("cascadeDelete", .bool(field?.isMasterDetail ?? false)),
                ("childSObject", .string(child.childObject)),
                ("deprecatedAndHidden", .bool(false)),
                ("field", .string(child.field)),
                ("junctionIdListNames", .array([])),
                ("junctionReferenceTo", .array([])),
                ("relationshipName", .string(child.name)),
                ("restrictedDelete", .bool(false)),
            ])
        }
    }

    func masterRecordType(_ object: SObjectType) -> JSON {
        .object([
            ("active", .bool(true)),
            ("available", .bool(true)),
            ("defaultRecordTypeMapping", .bool(true)),
            ("developerName", .string("Master")),
            ("master", .bool(true)),
            ("name", .string("Master")),
            ("recordTypeId", .string("012000000000000AAA")),
            (
                "urls",
                .object([
                    ("layout", .string("\(base)/sobjects/\(object.name)/describe/layouts/012000000000000AAA"))
                ])
            ),
        ])
    }
}
