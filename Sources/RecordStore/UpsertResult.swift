/// The outcome of an upsert by external Id (`rest-api.md` §2.5): 201 with `created: true` when a record
/// was inserted, 200 with `created: false` when the one match was updated.
public struct UpsertResult: Hashable, Sendable {
    public var id: String
    public var created: Bool

    public init(id: String, created: Bool) {
        self.id = id
        self.created = created
    }
}
