import Foundation

/// `application/x-www-form-urlencoded` pairs (a request body or a URL's query), decoded with form
/// rules: `+` is a space, `%2B` is a plus (`rest-api.md` §1, "percent-decode `q` with form rules").
public struct FormFields: Sendable, Hashable {
    public var pairs: [(name: String, value: String)]

    public init(_ text: String) {
        pairs = text.split(separator: "&", omittingEmptySubsequences: true).map { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(pieces[0])
            let value = pieces.count > 1 ? Self.decode(pieces[1]) : ""
            return (name, value)
        }
    }

    public static func == (a: FormFields, b: FormFields) -> Bool {
        a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0 == $1 }
    }

    public func hash(into hasher: inout Hasher) {
        for pair in pairs {
            hasher.combine(pair.name)
            hasher.combine(pair.value)
        }
    }

    /// The first value of `name`.
    public subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// `+` → space, then `%XX` → byte; malformed escapes are kept as written.
    public static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            let b = utf8[i]
            if b == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if b == UInt8(ascii: "%"), i + 2 < utf8.count, let high = hex(utf8[i + 1]),
                let low = hex(utf8[i + 2])
            {
                bytes.append(high << 4 | low)
                i += 2
            } else {
                bytes.append(b)
            }
            i += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Percent-decoding of a path segment (`+` stays a plus).
    public static func decodePathSegment(_ text: Substring) -> String {
        guard text.contains("%") else { return String(text) }
        return text.removingPercentEncoding ?? String(text)
    }

    static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }

    /// `name=value&…`, each part percent-encoded (for building URLs in responses).
    public static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
