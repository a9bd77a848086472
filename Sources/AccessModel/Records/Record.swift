/// One record of an object, as data: its Id, owner and field values.
public struct Record: Hashable, Sendable {
    /// Object API name (`Account`).
    public var object: String
    /// 18-character Salesforce-style Id.
    public var id: String
    /// The data file's reference id (`AccountRef1`), when it had one.
    public var referenceId: String?
    /// The owner, resolved to a username; `nil` for records without an owner (master-detail details).
    public var ownerUsername: String?
    /// Field values by API name. Lookups hold the 18-character Id of the target record.
    public var fields: [String: FieldValue]

    public init(
        object: String, id: String? = nil, referenceId: String? = nil, ownerUsername: String? = nil,
        fields: [String: FieldValue] = [:]
    ) {
        self.object = object
        self.referenceId = referenceId
        self.id = id ?? RecordId.make(object: object, referenceId: referenceId ?? "")
        self.ownerUsername = ownerUsername
        self.fields = fields
    }

    /// A field value; `.null` when absent.
    public subscript(field: String) -> FieldValue { fields[field] ?? .null }

    /// The record's display name: `Name`, else `Subject`, `CaseNumber`, first and last name, `Title`, else
    /// the reference id.
    public var name: String? {
        for key in ["Name", "Subject", "CaseNumber"] {
            if let text = fields[key]?.text, !text.isEmpty { return text }
        }
        // Contacts and leads: the compound name is computed from its parts (FLS-8).
        let parts = ["FirstName", "LastName"].compactMap { fields[$0]?.text }.filter { !$0.isEmpty }
        if !parts.isEmpty { return parts.joined(separator: " ") }
        if let title = fields["Title"]?.text, !title.isEmpty { return title }
        return referenceId
    }

    /// The Id held by a lookup field, if any.
    public func reference(_ field: String) -> String? {
        guard case .string(let id) = self[field], !id.isEmpty else { return nil }
        return id
    }
}
