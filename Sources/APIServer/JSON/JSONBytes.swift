/// JSON written as UTF-8 bytes, for responses built record by record (query pages): appending to a byte
/// array costs a fraction of appending to a `String`. Strings are escaped as `JSON.writeString` does.
struct JSONBytes {
    var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    /// Text that needs no escaping (punctuation, numbers, known-safe names).
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// A JSON string: quoted, with quotes, backslashes and control characters escaped.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        unquoted(text)
        bytes.append(UInt8(ascii: "\""))
    }

    /// The inside of a JSON string.
    mutating func unquoted(_ text: String) {
        var text = text
        let plain = text.withUTF8 { utf8 in
            for unit in utf8 where unit < 0x20 || unit == 0x22 || unit == 0x5C { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if plain { return }
        var escaped = ""
        JSON.writeUnquoted(text, to: &escaped)
        raw(escaped)
    }
}
