/// A field's metadata `type`. An open value: new types must load, and standard-field files have none.
public struct FieldType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let id = FieldType(rawValue: "Id")
    public static let text = FieldType(rawValue: "Text")
    public static let textArea = FieldType(rawValue: "TextArea")
    public static let longTextArea = FieldType(rawValue: "LongTextArea")
    public static let html = FieldType(rawValue: "Html")
    public static let encryptedText = FieldType(rawValue: "EncryptedText")
    public static let email = FieldType(rawValue: "Email")
    public static let phone = FieldType(rawValue: "Phone")
    public static let url = FieldType(rawValue: "Url")
    public static let number = FieldType(rawValue: "Number")
    public static let currency = FieldType(rawValue: "Currency")
    public static let percent = FieldType(rawValue: "Percent")
    public static let checkbox = FieldType(rawValue: "Checkbox")
    public static let date = FieldType(rawValue: "Date")
    public static let dateTime = FieldType(rawValue: "DateTime")
    public static let time = FieldType(rawValue: "Time")
    public static let picklist = FieldType(rawValue: "Picklist")
    public static let multiselectPicklist = FieldType(rawValue: "MultiselectPicklist")
    public static let lookup = FieldType(rawValue: "Lookup")
    public static let masterDetail = FieldType(rawValue: "MasterDetail")
    public static let hierarchy = FieldType(rawValue: "Hierarchy")
    public static let metadataRelationship = FieldType(rawValue: "MetadataRelationship")
    public static let externalLookup = FieldType(rawValue: "ExternalLookup")
    public static let summary = FieldType(rawValue: "Summary")
    public static let autoNumber = FieldType(rawValue: "AutoNumber")
    public static let address = FieldType(rawValue: "Address")
    public static let location = FieldType(rawValue: "Location")
    public static let name = FieldType(rawValue: "Name")

    public var isReference: Bool {
        [.lookup, .masterDetail, .hierarchy, .metadataRelationship, .externalLookup, .id].contains(self)
            && self != .id
    }

    /// Compound types are read-only in the API; writes go to their components (`FLS-8`).
    public var isCompound: Bool { self == .address || self == .location || self == .name }

    public var description: String { rawValue }
}
