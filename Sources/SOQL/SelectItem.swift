/// One item of the select list.
public enum SelectItem: Hashable, Sendable {
    /// A field or a parent path (`Name`, `Account.Owner.Email`), with an alias in aggregate queries.
    case field(FieldReference, alias: String?)
    /// `COUNT()`, `COUNT(f)`, `MAX(f)`, … with an optional alias.
    case aggregate(AggregateCall, alias: String?)
    /// A child relationship subquery `(SELECT … FROM Contacts …)`.
    case subquery(Query)
}
