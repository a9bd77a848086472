/// What a condition or an `ORDER BY` item is about: a field path or (in `HAVING`/`ORDER BY` of aggregate
/// queries) an aggregate.
public enum Operand: Hashable, Sendable, CustomStringConvertible {
    case field(FieldReference)
    case aggregate(AggregateCall)

    public var position: SourcePosition {
        switch self {
        case .field(let path): path.position
        case .aggregate(let call): call.position
        }
    }

    public var description: String {
        switch self {
        case .field(let path): path.description
        case .aggregate(let call): call.description
        }
    }
}
