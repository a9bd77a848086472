import Foundation

/// Everything a user's object, field and system access depends on: profile, licence, the active
/// assignments and the permission set licences. Users with equal keys have equal access, so the
/// evaluator computes once per key, not once per user.
public struct SourceKey: Hashable, Sendable {
    public let profile: String
    public let license: String
    /// Active (unexpired) directly assigned permission sets, sorted, unique.
    public let permissionSets: [String]
    /// Active (unexpired) assigned permission set groups, sorted, unique.
    public let groups: [String]
    /// Assigned permission set licences, sorted, unique.
    public let permissionSetLicenses: [String]

    public init(user: User, now: Date) {
        profile = user.profile
        license = user.license
        permissionSets = SourceKey.active(user.permissionSets, now)
        groups = SourceKey.active(user.permissionSetGroups, now)
        permissionSetLicenses = Array(Set(user.permissionSetLicenses)).sorted()
    }

    /// PSG-8: an assignment whose expiration date has passed is not a source.
    private static func active(_ assignments: [Assignment], _ now: Date) -> [String] {
        if assignments.isEmpty { return [] }
        var names: [String] = []
        names.reserveCapacity(assignments.count)
        for assignment in assignments where assignment.isActive(at: now) { names.append(assignment.name) }
        if names.count < 2 { return names }
        names.sort()
        var unique: [String] = [names[0]]
        for name in names.dropFirst() where name != unique[unique.count - 1] { unique.append(name) }
        return unique
    }
}
