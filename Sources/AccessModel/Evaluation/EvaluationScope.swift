/// How much of the org an `AccessEvaluator` indexes before its first answer.
///
/// `.all` indexes every object and field and every source's grants: any question about anyone. A narrowed
/// scope indexes the fields of a few objects only, and looks for grant-only objects and fields in the
/// sources of a few users only, so one question (`explain --field`) does not pay for an org of 100,000
/// fields. Within the scope the answers are the same: the same code decides over a smaller universe.
public struct EvaluationScope: Sendable {
    /// Objects whose fields are indexed (matched without case); nil: every object.
    public var objects: Set<String>?
    /// Users whose sources' grants add objects and fields beyond the schema; nil: every source.
    public var users: [User]?

    /// Every object, field and source.
    public static let all = EvaluationScope(objects: nil, users: nil)

    /// Decisions are exact for `users` on the fields of `objects`. Object access stays exact for every
    /// user on every object the org declares (what record sharing needs); fields of other objects are not
    /// indexed, and objects or fields named only by other users' grants are unknown.
    public init(objects: Set<String>?, users: [User]?) {
        self.objects = objects
        self.users = users
    }
}
