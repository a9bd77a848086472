/// One step of an explanation: a source that grants, a muting that removes, a licence that caps, or —
/// for a denial — what is missing. The same code that decides produces it (`DESIGN.md`, "one pipeline").
///
/// `kind` and `source` are a public JSON contract; `message` is the human text the CLI prints.
public struct Reason: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Stable lowerCamel reason kinds.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// A source grants the permission (`profile:…`, `permissionSet:…`, `permissionSetGroup:G/permissionSet:P`).
        case grantedBy
        /// A profile field permission for an object the profile cannot read, woken by another source's
        /// object Read (`FLS-5`). `source` is the profile, `wokenBy` the source of the object Read.
        case latentProfileFieldPermission
        /// View All Fields on the object makes every field readable (`OBJ-3`).
        case viewAllFields
        /// `Id`, name, audit, required and master-detail fields are readable whenever the object is (`FLS-6`).
        case alwaysReadable
        /// Required and master-detail fields are editable without FLS (`FLS-6`).
        case alwaysEditable
        /// A group's muting permission set removed what its members grant (`PSG-2`…`PSG-5`).
        case mutedBy
        /// The user's licence and permission set licences do not allow the object (`LIC-4`, `LIC-5`, `LIC-9`).
        case licenseCap
        /// The licence is unknown to the org and is treated as unrestricted.
        case unknownLicense
        /// View All Data / Modify All Data expansion (`OBJ-4`, `OBJ-5`), or Modify All Data ⇒ View All Data.
        case systemPermission
        /// A user permission forced on by the licence (or the integration profile, `LIC-3`).
        case lockedByLicense
        /// View All Data / Modify All Data holders still need field permissions (`OBJ-7`).
        case viewAllDataIgnoresFLS
        /// No valid source grants the permission.
        case notGranted
        /// The profile holds a latent field permission, but nothing grants the object Read (`FLS-5`).
        case latentNotWoken
        /// The field is not readable because the object is not (`FLS-4`).
        case noObjectRead
        /// The field is not editable because neither Create nor Edit is granted on the object.
        case noObjectCreateOrEdit
        /// Formula, roll-up, auto-number, audit, compound fields are never writable (`FLS-7`, `FLS-8`).
        case notWritableType
        /// An assignment that would have granted this is invalid and is not a source (`LIC-6`…`LIC-9`, `PSG-7`).
        case invalidAssignment
        /// A Classic encrypted field read without View Encrypted Data is masked (`CLS-9`).
        case maskedClassicEncryption
        /// View Encrypted Data shows a Classic encrypted field in plaintext (`CLS-9`).
        case viewEncryptedData
        /// Shield Platform Encryption never hides a readable field (`CLS-7`).
        case shieldEncryption
        /// The object is not in the org.
        case unknownObject
        /// The field is not on the object.
        case unknownField
    }

    public var kind: Kind
    /// The source the reason is about, in the public naming (`profile:NAME`, `permissionSet:NAME`,
    /// `permissionSetGroup:G/permissionSet:P`, `mutedBy:permissionSetGroup:G`, `license:NAME`).
    public var source: String?
    /// For `latentProfileFieldPermission`: the source whose object Read woke the profile entry.
    public var wokenBy: String?
    /// What the reason is about: an object permission label (`Read`, `Modify All`, …), `Read`/`Edit` for
    /// a field, or a user permission name (`ViewAllData`).
    public var permission: String?
    /// The spec rule the reason rests on (`FLS-5`).
    public var rule: String?
    /// Human text.
    public var message: String

    public init(
        _ kind: Kind, source: String? = nil, wokenBy: String? = nil, permission: String? = nil,
        rule: String? = nil, message: String
    ) {
        self.kind = kind
        self.source = source
        self.wokenBy = wokenBy
        self.permission = permission
        self.rule = rule
        self.message = message
    }

    public var description: String { message }
}
