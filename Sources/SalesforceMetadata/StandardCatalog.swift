import AccessModel
import Foundation

/// The standard knowledge an SFDX project does not carry: the standard objects with their Spring '20
/// default sharing (`REC-4`) and standard fields (`FLS-6` to `FLS-8`), and the user licences and
/// permission set licences (`LIC-1` to `LIC-9`).
///
/// The knowledge is data: `Resources/standard-objects.json` and `Resources/licenses.json`, decoded
/// strictly (an unknown key, an unknown field type or sharing model, a duplicate, or a dangling
/// reference is a thrown ``StandardCatalogError`` naming the key path).
public struct StandardCatalog: Hashable, Sendable {
    /// Standard objects by API name: `isInCatalog` is true, `defaultSharingModel` is the `REC-4`
    /// default, and `sharingModel` stays `nil` (the org's own value is unknown until a project sets it).
    public var objects: [String: SObjectType]
    public var userLicenses: [String: UserLicense]
    public var permissionSetLicenses: [String: PermissionSetLicense]
    /// The Spring '20 external default per object (`REC-3`, `REC-4`), kept apart from
    /// `SObjectType.externalSharingModel` for the same reason `sharingModel` stays `nil`.
    public var defaultExternalSharingModels: [String: SharingModel]
    /// Objects a catalog field may point to without the catalog describing them (`Group`, `Profile`, …).
    public var referenceOnlyObjects: Set<String>

    public init(
        objects: [String: SObjectType] = [:], userLicenses: [String: UserLicense] = [:],
        permissionSetLicenses: [String: PermissionSetLicense] = [:],
        defaultExternalSharingModels: [String: SharingModel] = [:], referenceOnlyObjects: Set<String> = []
    ) {
        self.objects = objects
        self.userLicenses = userLicenses
        self.permissionSetLicenses = permissionSetLicenses
        self.defaultExternalSharingModels = defaultExternalSharingModels
        self.referenceOnlyObjects = referenceOnlyObjects
    }

    static let objectsResource = "standard-objects.json"
    static let licensesResource = "licenses.json"

    /// The catalog bundled with Keyhole, decoded once per process.
    public static func bundled() throws -> StandardCatalog {
        try bundledResult.get()
    }

    private static let bundledResult: Result<StandardCatalog, StandardCatalogError> = Result {
        let objects = try resourceData(named: "standard-objects")
        let licenses = try resourceData(named: "licenses")
        return try decode(standardObjects: objects, licenses: licenses)
    }.mapError { error in
        error as? StandardCatalogError
            ?? StandardCatalogError(resource: "", keyPath: "", message: "\(error)")
    }

    private static func resourceData(named name: String) throws -> Data {
        let file = "\(name).json"
        guard
            let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: name, withExtension: "json")
        else {
            throw StandardCatalogError(
                resource: file, keyPath: "", message: "resource is missing from the bundle")
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw StandardCatalogError(
                resource: file, keyPath: "", message: "cannot be read: \(error.localizedDescription)")
        }
    }

    /// Decodes a catalog from the two resource documents. Throws ``StandardCatalogError`` with the
    /// resource name and the key path of the first problem.
    public static func decode(standardObjects: Data, licenses: Data) throws -> StandardCatalog {
        let objectsFile = try decodeStrictly(
            ObjectsFileWire.self, from: standardObjects, resource: objectsResource)
        let licensesFile = try decodeStrictly(
            LicensesFileWire.self, from: licenses, resource: licensesResource)
        var catalog = StandardCatalog()
        try catalog.add(objectsFile)
        try catalog.add(licensesFile)
        return catalog
    }

    private static func decodeStrictly<T: Decodable>(_ type: T.Type, from data: Data, resource: String) throws
        -> T
    {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw StandardCatalogError(resource: resource, decodingError: error)
        } catch {
            throw StandardCatalogError(resource: resource, keyPath: "", message: "\(error)")
        }
    }
}

/// A malformed catalog resource: which file, where in it (`objects[3].fields[12].type`), and what is wrong.
public struct StandardCatalogError: Error, Hashable, Sendable, CustomStringConvertible {
    public var resource: String
    public var keyPath: String
    public var message: String

    public init(resource: String, keyPath: String, message: String) {
        self.resource = resource
        self.keyPath = keyPath
        self.message = message
    }

    init(resource: String, decodingError: DecodingError) {
        let (path, message): ([any CodingKey], String) =
            switch decodingError {
            case .typeMismatch(let type, let context):
                (context.codingPath, "expected \(type): \(context.debugDescription)")
            case .valueNotFound(let type, let context):
                (context.codingPath, "missing \(type) value: \(context.debugDescription)")
            case .keyNotFound(let key, let context):
                (context.codingPath + [key], "required key '\(key.stringValue)' is missing")
            case .dataCorrupted(let context):
                (context.codingPath, context.debugDescription)
            @unknown default:
                ([], "\(decodingError)")
            }
        self.init(resource: resource, keyPath: StandardCatalogError.render(path), message: message)
    }

    static func render(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    public var description: String {
        keyPath.isEmpty ? "\(resource): \(message)" : "\(resource): \(keyPath): \(message)"
    }
}

// MARK: - Mapping wire values into the domain

extension StandardCatalog {
    /// Field types the catalog may use (Metadata API type names).
    private static let knownFieldTypes: Set<FieldType> = [
        .id, .text, .textArea, .longTextArea, .html, .encryptedText, .email, .phone, .url, .number, .currency,
        .percent, .checkbox, .date, .dateTime, .time, .picklist, .multiselectPicklist, .lookup, .masterDetail,
        .hierarchy, .externalLookup, .summary, .autoNumber, .address, .location, .name,
    ]

    private static let knownSharingModels: Set<SharingModel> = [
        .private, .read, .readWrite, .readWriteTransfer, .fullAccess, .controlledByParent, .readSelect,
        .controlledByCampaign, .controlledByLeadOrContact,
    ]

    fileprivate mutating func add(_ file: ObjectsFileWire) throws {
        let resource = Self.objectsResource
        func fail(_ path: String, _ message: String) -> StandardCatalogError {
            StandardCatalogError(resource: resource, keyPath: path, message: message)
        }
        referenceOnlyObjects = Set(file.referenceOnlyObjects)
        let catalogNames = Set(file.objects.map(\.name))
        for (objectIndex, wire) in file.objects.enumerated() {
            let objectPath = "objects[\(objectIndex)]"
            guard objects[wire.name] == nil else {
                throw fail("\(objectPath).name", "duplicate object '\(wire.name)'")
            }
            let internalDefault = try wire.defaultSharingModel.map { raw in
                let model = SharingModel(rawValue: raw)
                guard Self.knownSharingModels.contains(model) else {
                    throw fail("\(objectPath).defaultSharingModel", "unknown sharing model '\(raw)'")
                }
                return model
            }
            let externalDefault = try wire.defaultExternalSharingModel.map { raw in
                let model = SharingModel(rawValue: raw)
                guard Self.knownSharingModels.contains(model) else {
                    throw fail("\(objectPath).defaultExternalSharingModel", "unknown sharing model '\(raw)'")
                }
                return model
            }
            var fields: [String: Field] = [:]
            for (fieldIndex, fieldWire) in wire.fields.enumerated() {
                let fieldPath = "\(objectPath).fields[\(fieldIndex)]"
                guard fields[fieldWire.name] == nil else {
                    throw fail("\(fieldPath).name", "duplicate field '\(wire.name).\(fieldWire.name)'")
                }
                let type = FieldType(rawValue: fieldWire.type)
                guard Self.knownFieldTypes.contains(type) else {
                    throw fail("\(fieldPath).type", "unknown field type '\(fieldWire.type)'")
                }
                if type.isReference && fieldWire.referenceTo.isEmpty {
                    throw fail("\(fieldPath).referenceTo", "a \(type) field needs referenceTo")
                }
                for (targetIndex, target) in fieldWire.referenceTo.enumerated()
                where !catalogNames.contains(target) && !referenceOnlyObjects.contains(target) {
                    throw fail(
                        "\(fieldPath).referenceTo[\(targetIndex)]",
                        "'\(target)' is neither a catalog object nor in referenceOnlyObjects")
                }
                fields[fieldWire.name] = fieldWire.field(type: type)
            }
            for (fieldIndex, fieldWire) in wire.fields.enumerated() {
                if let parent = fieldWire.compoundParent, fields[parent] == nil {
                    throw fail(
                        "objects[\(objectIndex)].fields[\(fieldIndex)].compoundParent",
                        "compound field '\(parent)' is not a field of \(wire.name)")
                }
            }
            let nameFields = fields.values.filter(\.isNameField)
            guard nameFields.count <= 1 else {
                throw fail(
                    "\(objectPath).fields", "more than one name field: \(nameFields.map(\.name).sorted())")
            }
            let nameField = nameFields.first
            objects[wire.name] = SObjectType(
                name: wire.name, label: wire.label, pluralLabel: wire.pluralLabel,
                description: wire.description,
                sharingModel: nil, defaultSharingModel: internalDefault, externalSharingModel: nil,
                grantAccessUsingHierarchies: true, nameFieldLabel: nameField?.label,
                nameFieldType: nameField?.type.flatMap { [.text, .autoNumber].contains($0) ? $0 : nil },
                fields: fields, isInCatalog: true)
            if let externalDefault { defaultExternalSharingModels[wire.name] = externalDefault }
        }
    }

    fileprivate mutating func add(_ file: LicensesFileWire) throws {
        let resource = Self.licensesResource
        for (index, wire) in file.userLicenses.enumerated() {
            guard userLicenses[wire.name] == nil else {
                throw StandardCatalogError(
                    resource: resource, keyPath: "userLicenses[\(index)].name",
                    message: "duplicate user licence '\(wire.name)'")
            }
            var license = UserLicense(
                name: wire.name, objects: wire.objects.scope, userPermissions: wire.userPermissions.scope,
                profiles: Set(wire.profiles), isIntegration: wire.isIntegration,
                lockedUserPermissions: Set(wire.lockedUserPermissions))
            license.isExternal = wire.isExternal
            userLicenses[wire.name] = license
        }
        for (index, wire) in file.permissionSetLicenses.enumerated() {
            let path = "permissionSetLicenses[\(index)]"
            guard permissionSetLicenses[wire.name] == nil else {
                throw StandardCatalogError(
                    resource: resource, keyPath: "\(path).name",
                    message: "duplicate permission set licence '\(wire.name)'")
            }
            for (licenseIndex, name) in wire.userLicenses.enumerated() where userLicenses[name] == nil {
                throw StandardCatalogError(
                    resource: resource, keyPath: "\(path).userLicenses[\(licenseIndex)]",
                    message: "'\(name)' is not a user licence of this file")
            }
            permissionSetLicenses[wire.name] = PermissionSetLicense(
                name: wire.name, label: wire.label, userLicenses: Set(wire.userLicenses),
                objects: wire.objects.scope, userPermissions: wire.userPermissions.scope)
        }
    }
}

// MARK: - Wire structs (strict: unknown keys are errors)

private struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }
    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension Decoder {
    /// Rejects keys the wire struct does not declare: a typo in a resource is an error, not a silent default.
    fileprivate func rejectUnknownKeys<Key: CodingKey & CaseIterable>(_ keys: Key.Type) throws {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        let known = Set(Key.allCases.map(\.stringValue))
        for key in container.allKeys where !known.contains(key.stringValue) {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "unknown key '\(key.stringValue)' (expected one of \(known.sorted()))")
        }
    }
}

private struct ObjectsFileWire: Decodable {
    var referenceOnlyObjects: [String]
    var objects: [ObjectWire]

    enum CodingKeys: String, CodingKey, CaseIterable { case note, sources, referenceOnlyObjects, objects }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        referenceOnlyObjects =
            try container.decodeIfPresent([String].self, forKey: .referenceOnlyObjects) ?? []
        objects = try container.decode([ObjectWire].self, forKey: .objects)
    }
}

private struct ObjectWire: Decodable {
    var name: String
    var label: String
    var pluralLabel: String
    var description: String?
    var defaultSharingModel: String?
    var defaultExternalSharingModel: String?
    var fields: [FieldWire]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, label, pluralLabel, description, defaultSharingModel, defaultExternalSharingModel, note,
            fields
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        label = try container.decode(String.self, forKey: .label)
        pluralLabel = try container.decode(String.self, forKey: .pluralLabel)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        // Both defaults must be written out (null when the object has no org-wide default).
        guard container.contains(.defaultSharingModel), container.contains(.defaultExternalSharingModel)
        else {
            throw DecodingError.keyNotFound(
                container.contains(.defaultSharingModel)
                    ? CodingKeys.defaultExternalSharingModel : CodingKeys.defaultSharingModel,
                DecodingError.Context(
                    codingPath: container.codingPath,
                    debugDescription: "write null when the object has no org-wide default"))
        }
        defaultSharingModel = try container.decodeIfPresent(String.self, forKey: .defaultSharingModel)
        defaultExternalSharingModel = try container.decodeIfPresent(
            String.self, forKey: .defaultExternalSharingModel)
        fields = try container.decode([FieldWire].self, forKey: .fields)
    }
}

private struct FieldWire: Decodable {
    var name: String
    var label: String
    var type: String
    var length: Int?
    var precision: Int?
    var scale: Int?
    var required: Bool
    var unique: Bool
    var nameField: Bool
    var audit: Bool
    var flsControllable: Bool
    var alwaysEditable: Bool
    var calculated: Bool
    var compoundParent: String?
    var referenceTo: [String]
    var relationshipName: String?
    var picklistValues: [String]
    var defaultValue: String?
    var description: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, label, type, length, precision, scale, required, unique, nameField, audit, flsControllable
        case alwaysEditable, calculated, compoundParent, referenceTo, relationshipName, picklistValues
        case defaultValue, description
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        label = try container.decode(String.self, forKey: .label)
        type = try container.decode(String.self, forKey: .type)
        length = try container.decodeIfPresent(Int.self, forKey: .length)
        precision = try container.decodeIfPresent(Int.self, forKey: .precision)
        scale = try container.decodeIfPresent(Int.self, forKey: .scale)
        required = try container.decodeIfPresent(Bool.self, forKey: .required) ?? false
        unique = try container.decodeIfPresent(Bool.self, forKey: .unique) ?? false
        nameField = try container.decodeIfPresent(Bool.self, forKey: .nameField) ?? false
        audit = try container.decodeIfPresent(Bool.self, forKey: .audit) ?? false
        flsControllable = try container.decodeIfPresent(Bool.self, forKey: .flsControllable) ?? true
        alwaysEditable = try container.decodeIfPresent(Bool.self, forKey: .alwaysEditable) ?? false
        calculated = try container.decodeIfPresent(Bool.self, forKey: .calculated) ?? false
        compoundParent = try container.decodeIfPresent(String.self, forKey: .compoundParent)
        referenceTo = try container.decodeIfPresent([String].self, forKey: .referenceTo) ?? []
        relationshipName = try container.decodeIfPresent(String.self, forKey: .relationshipName)
        picklistValues = try container.decodeIfPresent([String].self, forKey: .picklistValues) ?? []
        defaultValue = try container.decodeIfPresent(String.self, forKey: .defaultValue)
        description = try container.decodeIfPresent(String.self, forKey: .description)
    }

    func field(type: FieldType) -> Field {
        Field(
            name: name, label: label, type: type, isRequired: required, isUnique: unique,
            referenceTo: referenceTo, relationshipName: relationshipName, compoundParent: compoundParent,
            length: length, precision: precision, scale: scale, picklistValues: picklistValues,
            defaultValue: defaultValue, description: description, isNameField: nameField, isAudit: audit,
            isFLSControllable: flsControllable, isAlwaysEditable: alwaysEditable, isCalculated: calculated)
    }
}

private struct LicensesFileWire: Decodable {
    var userLicenses: [UserLicenseWire]
    var permissionSetLicenses: [PermissionSetLicenseWire]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case note, sources, userLicenses, permissionSetLicenses
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        userLicenses = try container.decode([UserLicenseWire].self, forKey: .userLicenses)
        permissionSetLicenses =
            try container.decodeIfPresent([PermissionSetLicenseWire].self, forKey: .permissionSetLicenses)
            ?? []
    }
}

private struct ObjectScopeWire: Decodable {
    var scope: ObjectScope

    enum CodingKeys: String, CodingKey, CaseIterable { case all, customObjects, objects }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scope = ObjectScope(
            all: try container.decodeIfPresent(Bool.self, forKey: .all) ?? false,
            customObjects: try container.decodeIfPresent(Bool.self, forKey: .customObjects) ?? false,
            objects: Set(try container.decodeIfPresent([String].self, forKey: .objects) ?? []))
    }
}

private struct PermissionScopeWire: Decodable {
    var scope: PermissionScope

    enum CodingKeys: String, CodingKey, CaseIterable { case all, permissions }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scope = PermissionScope(
            all: try container.decodeIfPresent(Bool.self, forKey: .all) ?? false,
            permissions: Set(try container.decodeIfPresent([String].self, forKey: .permissions) ?? []))
    }
}

private struct UserLicenseWire: Decodable {
    var name: String
    var isExternal: Bool
    var isIntegration: Bool
    var objects: ObjectScopeWire
    var userPermissions: PermissionScopeWire
    var profiles: [String]
    var lockedUserPermissions: [String]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, isExternal, isIntegration, objects, userPermissions, profiles, lockedUserPermissions, note
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        isExternal = try container.decode(Bool.self, forKey: .isExternal)
        isIntegration = try container.decodeIfPresent(Bool.self, forKey: .isIntegration) ?? false
        objects = try container.decode(ObjectScopeWire.self, forKey: .objects)
        userPermissions = try container.decode(PermissionScopeWire.self, forKey: .userPermissions)
        profiles = try container.decodeIfPresent([String].self, forKey: .profiles) ?? []
        lockedUserPermissions =
            try container.decodeIfPresent([String].self, forKey: .lockedUserPermissions) ?? []
    }
}

private struct PermissionSetLicenseWire: Decodable {
    var name: String
    var label: String?
    var userLicenses: [String]
    var objects: ObjectScopeWire
    var userPermissions: PermissionScopeWire

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, label, userLicenses, objects, userPermissions, note
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        label = try container.decodeIfPresent(String.self, forKey: .label)
        userLicenses = try container.decodeIfPresent([String].self, forKey: .userLicenses) ?? []
        objects = try container.decode(ObjectScopeWire.self, forKey: .objects)
        userPermissions = try container.decode(PermissionScopeWire.self, forKey: .userPermissions)
    }
}
