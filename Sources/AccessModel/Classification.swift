import Foundation

/// A field's data-classification metadata (`CLS-1`…`CLS-5`). Governance only: it never changes an
/// access decision (`CLS-6`).
public struct Classification: Hashable, Sendable {
    /// `securityClassification` (Data Sensitivity Level); an open value (`CLS-3`).
    public var securityClassification: String?
    /// `complianceGroup`, stored in metadata as one `;`-separated element (`CLS-5`, `TRAP-12`).
    /// The placeholder value `None` is not a group and is not kept.
    public var complianceGroups: Set<String>
    /// `businessStatus` (Field Usage): `Active`, `DeprecateCandidate`, `Hidden` (`CLS-4`).
    public var businessStatus: String?
    /// `businessOwnerUser` or `businessOwnerGroup`.
    public var businessOwnerUser: String?
    public var businessOwnerGroup: String?

    public init(
        securityClassification: String? = nil, complianceGroups: Set<String> = [],
        businessStatus: String? = nil, businessOwnerUser: String? = nil, businessOwnerGroup: String? = nil
    ) {
        self.securityClassification = securityClassification
        self.complianceGroups = complianceGroups
        self.businessStatus = businessStatus
        self.businessOwnerUser = businessOwnerUser
        self.businessOwnerGroup = businessOwnerGroup
    }

    public var isEmpty: Bool {
        securityClassification == nil && complianceGroups.isEmpty && businessStatus == nil
            && businessOwnerUser == nil && businessOwnerGroup == nil
    }

    /// Splits the metadata form `PII;GDPR;CCPA` into a set, dropping blanks and the `None` placeholder.
    public static func parseComplianceGroups(_ text: String) -> Set<String> {
        Set(
            text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && $0 != "None" })
    }

    /// The metadata form of `complianceGroups`: sorted, `;`-separated; `nil` when empty.
    public var complianceGroupText: String? {
        complianceGroups.isEmpty ? nil : complianceGroups.sorted().joined(separator: ";")
    }
}
