import AccessModel

/// How a field's values compare, for type checks and SQL.
enum FieldKind: Equatable {
    case text, id, number, boolean, date, dateTime, time, multipicklist

    init(_ field: Field) {
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
