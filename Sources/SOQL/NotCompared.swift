/// A value that does not take part in `==` or hashing. Syntax-tree nodes keep their source positions in
/// it so that two trees compare by structure (the round-trip property `parse(print(t)) == t`).
@propertyWrapper
public struct NotCompared<Value: Sendable>: Hashable, Sendable {
    public var wrappedValue: Value
    public init(wrappedValue: Value) { self.wrappedValue = wrappedValue }
    public static func == (lhs: Self, rhs: Self) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}
}
