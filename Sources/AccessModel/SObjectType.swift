/// An object's schema and sharing configuration: a standard object from the catalog, a custom object,
/// or a standard object customised in the project (both merged into one value).
public struct SObjectType: Hashable, Sendable {
    /// API name (`Account`, `Invoice__c`, `npe01__OppPayment__c`).
    public var name: String
    public var label: String?
    public var pluralLabel: String?
    public var description: String?
    /// Internal org-wide default; `nil` when unknown (a partial standard-object file, `metadata-formats` §4.6).
    public var sharingModel: SharingModel?
    /// The Spring '20 default for a standard object (`REC-4`), from the catalog. Used, and said to be
    /// assumed, only when the project does not set `sharingModel`.
    public var defaultSharingModel: SharingModel?
    /// External org-wide default (`REC-3`); applies to external users only.
    public var externalSharingModel: SharingModel?
    /// Grant Access Using Hierarchies (`REC-7`); always on for standard objects.
    public var grantAccessUsingHierarchies: Bool
    /// `customSettingsType` when this is a custom setting.
    public var customSettingsType: String?
    /// The record name field (`nameField` on custom objects): label and type (`Text` or `AutoNumber`).
    public var nameFieldLabel: String?
    public var nameFieldType: FieldType?
    public var deploymentStatus: String?
    public var visibility: String?
    public var fields: [String: Field]
    /// True when the definition came from the bundled standard catalog (possibly merged with the project).
    public var isInCatalog: Bool
    /// A permission set licence the object requires (licensed managed objects, `LIC-9`).
    public var requiredPermissionSetLicense: String?

    public init(
        name: String, label: String? = nil, pluralLabel: String? = nil, description: String? = nil,
        sharingModel: SharingModel? = nil, defaultSharingModel: SharingModel? = nil,
        externalSharingModel: SharingModel? = nil,
        grantAccessUsingHierarchies: Bool = true, customSettingsType: String? = nil,
        nameFieldLabel: String? = nil, nameFieldType: FieldType? = nil, deploymentStatus: String? = nil,
        visibility: String? = nil, fields: [String: Field] = [:], isInCatalog: Bool = false,
        requiredPermissionSetLicense: String? = nil
    ) {
        self.name = name
        self.label = label
        self.pluralLabel = pluralLabel
        self.description = description
        self.sharingModel = sharingModel
        self.defaultSharingModel = defaultSharingModel
        self.externalSharingModel = externalSharingModel
        self.grantAccessUsingHierarchies = grantAccessUsingHierarchies
        self.customSettingsType = customSettingsType
        self.nameFieldLabel = nameFieldLabel
        self.nameFieldType = nameFieldType
        self.deploymentStatus = deploymentStatus
        self.visibility = visibility
        self.fields = fields
        self.isInCatalog = isInCatalog
        self.requiredPermissionSetLicense = requiredPermissionSetLicense
    }

    /// The kind of object, from its API-name suffix.
    public var kind: SObjectKind {
        if customSettingsType != nil { return .customSetting }
        if name.hasSuffix("__c") { return .custom }
        if name.hasSuffix("__mdt") { return .customMetadataType }
        if name.hasSuffix("__e") { return .platformEvent }
        if name.hasSuffix("__b") { return .bigObject }
        if name.hasSuffix("__x") { return .external }
        return .standard
    }

    public var isCustom: Bool { kind != .standard }

    /// Fields in a stable order: `Id` first, then by API name.
    public var sortedFields: [Field] {
        fields.values.sorted { a, b in
            if a.name == "Id" { return b.name != "Id" }
            if b.name == "Id" { return false }
            return a.name < b.name
        }
    }

    /// Master objects of this object's master-detail fields (`REC-16`).
    public var masterDetailParents: [String] {
        sortedFields.filter(\.isMasterDetail).flatMap(\.referenceTo)
    }
}

/// What kind of object an API name denotes.
public enum SObjectKind: String, Hashable, Sendable {
    case standard, custom, customSetting, customMetadataType, platformEvent, bigObject, external
}
