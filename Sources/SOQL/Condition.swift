/// A `WHERE` or `HAVING` condition. `AND`/`OR` lists hold at least two operands; parentheses in the
/// source become nesting.
public indirect enum Condition: Hashable, Sendable {
    case and([Condition])
    case or([Condition])
    case not(Condition)
    case comparison(Comparison)
}
