/// JSON shapes of the decisions. Keys are a public contract (`DESIGN.md`): changing one is a breaking change.
extension ObjectAccess {
    /// Permission labels in a fixed order: `Read`, `Create`, `Edit`, `Delete`, `View All`, `Modify All`,
    /// `View All Fields`.
    public var labels: [String] {
        UserAccess.permissionOrder.filter { contains($0) }.map { UserAccess.label($0) }
    }
}

extension ObjectDecision: Encodable {
    enum CodingKeys: String, CodingKey { case object, access, sources, reasons, fields }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(object, forKey: .object)
        try container.encode(access.labels, forKey: .access)
        try container.encode(sources, forKey: .sources)
        try container.encode(reasons, forKey: .reasons)
        if !fields.isEmpty { try container.encode(fields, forKey: .fields) }
    }
}

extension FieldDecision: Encodable {
    enum CodingKeys: String, CodingKey { case object, field, read, edit, masked, classification, reasons }
    enum ClassificationKeys: String, CodingKey {
        case securityClassification, complianceGroups, businessStatus, businessOwnerUser, businessOwnerGroup
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(object, forKey: .object)
        try container.encode(field, forKey: .field)
        try container.encode(read, forKey: .read)
        try container.encode(edit, forKey: .edit)
        try container.encode(masked, forKey: .masked)
        if !classification.isEmpty {
            var nested = container.nestedContainer(keyedBy: ClassificationKeys.self, forKey: .classification)
            try nested.encodeIfPresent(classification.securityClassification, forKey: .securityClassification)
            if !classification.complianceGroups.isEmpty {
                try nested.encode(classification.complianceGroups.sorted(), forKey: .complianceGroups)
            }
            try nested.encodeIfPresent(classification.businessStatus, forKey: .businessStatus)
            try nested.encodeIfPresent(classification.businessOwnerUser, forKey: .businessOwnerUser)
            try nested.encodeIfPresent(classification.businessOwnerGroup, forKey: .businessOwnerGroup)
        }
        try container.encode(reasons, forKey: .reasons)
    }
}
