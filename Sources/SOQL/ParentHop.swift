/// One relationship followed in a parent path (`Account` from `Contact`).
public struct ParentHop: Hashable, Sendable {
    /// Canonical relationship name (`Account`, `Owner`, `Parent__r`).
    public var relationshipName: String
    /// The lookup field on `fromObject` (`AccountId`).
    public var field: String
    public var fromObject: String
    /// The parent object joined; records of it the user cannot see come back as `null`.
    public var toObject: String
    public var fromAlias: String
    public var alias: String
    /// The hops up to and including this one, lower-cased and dotted (`account.owner`), for de-duplication.
    public var key: String
    /// For a polymorphic lookup (`What`, `Who`, `Owner` to `Group` or `User`): the other readable target
    /// objects, each joined under its own alias. A path continues past a polymorphic hop through
    /// `toObject` only.
    public var alternatives: [PolymorphicTarget] = []

    /// Every target joined for this hop: `toObject` first, then the alternatives.
    public var targets: [PolymorphicTarget] {
        [PolymorphicTarget(object: toObject, alias: alias)] + alternatives
    }
}

/// One target object of a polymorphic lookup, and the alias its table is joined under.
public struct PolymorphicTarget: Hashable, Sendable {
    public var object: String
    public var alias: String
}
