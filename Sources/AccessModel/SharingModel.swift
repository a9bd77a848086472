/// An org-wide default (`sharingModel` / `externalSharingModel`), `REC-2`.
///
/// Kept as an open value: orgs and releases add spellings, and an unknown one must load and round-trip.
public struct SharingModel: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let `private` = SharingModel(rawValue: "Private")
    public static let read = SharingModel(rawValue: "Read")
    public static let readWrite = SharingModel(rawValue: "ReadWrite")
    public static let readWriteTransfer = SharingModel(rawValue: "ReadWriteTransfer")
    public static let fullAccess = SharingModel(rawValue: "FullAccess")
    public static let controlledByParent = SharingModel(rawValue: "ControlledByParent")
    public static let readSelect = SharingModel(rawValue: "ReadSelect")
    public static let controlledByCampaign = SharingModel(rawValue: "ControlledByCampaign")
    public static let controlledByLeadOrContact = SharingModel(rawValue: "ControlledByLeadOrContact")

    /// The access a user who does not own a record gets from this default alone; `nil` when it defers to
    /// another record (controlled by parent, campaign, lead or contact).
    public var baselineAccess: AccessLevel? {
        switch rawValue {
        case "Private": AccessLevel.none
        case "Read", "ReadSelect": .read
        case "ReadWrite", "ReadWriteTransfer": .edit
        case "FullAccess": .all
        default: nil
        }
    }

    /// The label an admin sees in Setup.
    public var label: String {
        switch rawValue {
        case "Private": "Private"
        case "Read": "Public Read Only"
        case "ReadWrite": "Public Read/Write"
        case "ReadWriteTransfer": "Public Read/Write/Transfer"
        case "FullAccess": "Public Full Access"
        case "ControlledByParent": "Controlled by Parent"
        case "ReadSelect": "Use (Read Select)"
        case "ControlledByCampaign": "Controlled by Campaign"
        case "ControlledByLeadOrContact": "Controlled by Lead or Contact"
        default: rawValue
        }
    }

    public var description: String { rawValue }
}
