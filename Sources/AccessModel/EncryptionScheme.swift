/// How a field is encrypted. Shield schemes never hide a readable field (`CLS-7`); Classic encryption
/// (`EncryptedText`) masks values for users without View Encrypted Data (`CLS-9`).
public struct EncryptionScheme: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let none = EncryptionScheme(rawValue: "None")
    public static let probabilistic = EncryptionScheme(rawValue: "ProbabilisticEncryption")
    public static let caseSensitiveDeterministic = EncryptionScheme(
        rawValue: "CaseSensitiveDeterministicEncryption")
    public static let caseInsensitiveDeterministic = EncryptionScheme(
        rawValue: "CaseInsensitiveDeterministicEncryption")

    /// Probabilistic encryption forbids filtering and sorting (`CLS-8`).
    public var allowsFiltering: Bool { self != .probabilistic }

    public var description: String { rawValue }
}
