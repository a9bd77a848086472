/// A field of an object: its schema, how field-level security treats it, and its classification.
public struct Field: Hashable, Sendable {
    /// API name without the object (`SSN__c`, `Name`).
    public var name: String
    public var label: String?
    /// `nil` for standard-field files that carry no `type` (`TRAP-10`); the catalog fills it in.
    public var type: FieldType?
    public var isRequired: Bool
    public var isUnique: Bool
    public var isExternalId: Bool
    /// The formula text of a formula field (read-only for everyone, `FLS-7`).
    public var formula: String?
    /// Object API names this lookup or master-detail points to.
    public var referenceTo: [String]
    public var relationshipName: String?
    /// For a component such as `BillingStreet`, the compound field it belongs to (`BillingAddress`).
    public var compoundParent: String?
    /// Shield Platform Encryption scheme, if any (`CLS-8`).
    public var encryptionScheme: EncryptionScheme?
    /// Classic encryption mask (`maskType`, `maskChar`) for `EncryptedText` fields (`CLS-9`).
    public var maskType: String?
    public var maskChar: String?
    public var classification: Classification
    public var length: Int?
    public var precision: Int?
    public var scale: Int?
    /// Picklist values, in declared order (restricted or not).
    public var picklistValues: [String]
    public var defaultValue: String?
    public var description: String?
    /// Standard-field knowledge from the catalog: the record name field (`FLS-6`).
    public var isNameField: Bool
    /// A system audit field (`CreatedDate`, …): always readable, never writable (`FLS-6`, `FLS-7`).
    public var isAudit: Bool
    /// False for fields Salesforce allows no FLS on (`Id`, name, audit, required; `FLS-6`).
    public var isFLSControllable: Bool
    /// Standard fields that are writable whenever the object is (required name fields, `FLS-6`).
    public var isAlwaysEditable: Bool
    /// Standard fields whose value the platform computes (`IsDeleted`, `Name` on Contact, …).
    public var isCalculated: Bool

    public init(
        name: String, label: String? = nil, type: FieldType? = nil, isRequired: Bool = false,
        isUnique: Bool = false, isExternalId: Bool = false, formula: String? = nil,
        referenceTo: [String] = [], relationshipName: String? = nil, compoundParent: String? = nil,
        encryptionScheme: EncryptionScheme? = nil, maskType: String? = nil, maskChar: String? = nil,
        classification: Classification = Classification(), length: Int? = nil, precision: Int? = nil,
        scale: Int? = nil, picklistValues: [String] = [], defaultValue: String? = nil,
        description: String? = nil, isNameField: Bool = false, isAudit: Bool = false,
        isFLSControllable: Bool = true, isAlwaysEditable: Bool = false, isCalculated: Bool = false
    ) {
        self.name = name
        self.label = label
        self.type = type
        self.isRequired = isRequired
        self.isUnique = isUnique
        self.isExternalId = isExternalId
        self.formula = formula
        self.referenceTo = referenceTo
        self.relationshipName = relationshipName
        self.compoundParent = compoundParent
        self.encryptionScheme = encryptionScheme
        self.maskType = maskType
        self.maskChar = maskChar
        self.classification = classification
        self.length = length
        self.precision = precision
        self.scale = scale
        self.picklistValues = picklistValues
        self.defaultValue = defaultValue
        self.description = description
        self.isNameField = isNameField
        self.isAudit = isAudit
        self.isFLSControllable = isFLSControllable
        self.isAlwaysEditable = isAlwaysEditable
        self.isCalculated = isCalculated
    }

    public var isCustom: Bool { name.hasSuffix("__c") }
    public var isFormula: Bool { formula != nil }
    public var isRollupSummary: Bool { type == .summary }
    public var isAutoNumber: Bool { type == .autoNumber }
    public var isMasterDetail: Bool { type == .masterDetail }
    public var isCompound: Bool { type?.isCompound ?? false }
    /// Classic encryption: a `Text (Encrypted)` field (`CLS-9`).
    public var isClassicEncrypted: Bool { type == .encryptedText }

    /// Readable whenever the object is readable, whatever FLS says (`FLS-6`): `Id`, the name field,
    /// audit fields, required and master-detail fields, `OwnerId`.
    public var isAlwaysReadable: Bool {
        name == "Id" || name == "OwnerId" || isNameField || isAudit || isRequired || isMasterDetail
            || !isFLSControllable
    }

    /// Whether any user can ever write this field (`FLS-7`, `FLS-8`).
    public var isWritableType: Bool {
        !(isFormula || isRollupSummary || isAutoNumber || isAudit || isCompound || isCalculated
            || name == "Id")
    }

    /// Writable whenever the object operation is allowed, whatever FLS says: required and master-detail
    /// fields (`FLS-6`).
    public var isEditableWithoutFLS: Bool {
        isWritableType && (isRequired || isMasterDetail || isAlwaysEditable)
    }
}
