/// Which field access a reverse lookup asks for.
public enum FieldAccessKind: String, Hashable, Sendable, Codable, CaseIterable {
    case read, edit
}
