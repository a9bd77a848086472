/// SQL text being built with its parameters in placeholder order.
struct SQLText {
    var text = ""
    var parameters: [SQLValue] = []

    init(_ text: String = "") { self.text = text }

    mutating func append(_ sql: String) { text += sql }
    mutating func append(_ fragment: SQLFragment) {
        text += fragment.sql
        parameters += fragment.parameters
    }
    mutating func bind(_ value: SQLValue) { parameters.append(value) }
}
