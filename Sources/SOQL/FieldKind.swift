import AccessModel

/// How a field's values compare and are stored: for type checks, generated SQL and the record store's
/// columns (one classification, so stored values and query comparisons always agree).
public enum FieldKind: Equatable, Sendable {
    /// `Id` and lookups: the 18-character Id.
    case id
    case text
    /// Multi-select picklist: values joined by `;`.
    case multipicklist
    /// Numbers, currency, percent, roll-up summaries.
    case number
    case boolean
    /// `YYYY-MM-DD`.
    case date
    /// `YYYY-MM-DDThh:mm:ss.sssZ` in UTC.
    case dateTime
    /// `hh:mm:ss.sssZ`.
    case time

    public init(_ field: Field) {
        if field.name == "Id" || field.type == .id || (field.type?.isReference ?? false)
            || (!field.referenceTo.isEmpty && field.type == nil)
        {
            self = .id
            return
        }
        switch field.type {
        case .number?, .currency?, .percent?, .summary?: self = .number
        case .checkbox?: self = .boolean
        case .date?: self = .date
        case .dateTime?: self = .dateTime
        case .time?: self = .time
        case .multiselectPicklist?: self = .multipicklist
        default: self = .text
        }
    }

    /// The type name Salesforce uses in filter messages.
    var typeName: String {
        switch self {
        case .text, .multipicklist: "string"
        case .id: "id"
        case .number: "double"
        case .boolean: "boolean"
        case .date: "date"
        case .dateTime: "dateTime"
        case .time: "time"
        }
    }

    /// "value of filter criterion for field 'X' must be of type T and should (not) be enclosed in quotes".
    func mismatch(_ field: String) -> String {
        let quoted = self == .text || self == .multipicklist || self == .id
        return
            "value of filter criterion for field '\(field)' must be of type \(quoted ? "string" : typeName) and should \(quoted ? "" : "not ")be enclosed in quotes"
    }
}
