/// Splits SOQL text into tokens, each with its 1-based line and column. Keywords are not distinguished
/// from names here; whitespace (any amount, including newlines) separates tokens.
public struct Lexer: Sendable {
    public let text: String
    private let chars: [Character]

    public init(_ text: String) {
        self.text = text
        chars = Array(text)
    }

    /// Every token, ending with `.endOfInput`; a character SOQL does not allow is a `MALFORMED_QUERY`.
    public func tokens() throws(SOQLError) -> [Token] {
        var result: [Token] = []
        var i = 0
        var line = 1
        var lineStart = 0
        func position(_ offset: Int) -> SourcePosition {
            SourcePosition(line: line, column: offset - lineStart + 1, offset: offset)
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" {
                i += 1
                line += 1
                lineStart = i
                continue
            }
            if c.isWhitespace {
                i += 1
                continue
            }
            let start = i
            let pos = position(start)
            switch c {
            case ",": result.append(Token(kind: .comma, text: ",", position: pos)); i += 1
            case ".": result.append(Token(kind: .dot, text: ".", position: pos)); i += 1
            case "(": result.append(Token(kind: .leftParen, text: "(", position: pos)); i += 1
            case ")": result.append(Token(kind: .rightParen, text: ")", position: pos)); i += 1
            case "=": result.append(Token(kind: .operator, text: "=", position: pos)); i += 1
            case "!":
                guard i + 1 < chars.count, chars[i + 1] == "=" else {
                    throw SOQLError.malformed("unexpected token: '!'", at: pos, query: text)
                }
                result.append(Token(kind: .operator, text: "!=", position: pos))
                i += 2
            case "<":
                if i + 1 < chars.count, chars[i + 1] == "=" || chars[i + 1] == ">" {
                    result.append(Token(kind: .operator, text: "<" + String(chars[i + 1]), position: pos))
                    i += 2
                } else {
                    result.append(Token(kind: .operator, text: "<", position: pos))
                    i += 1
                }
            case ">":
                if i + 1 < chars.count, chars[i + 1] == "=" {
                    result.append(Token(kind: .operator, text: ">=", position: pos))
                    i += 2
                } else {
                    result.append(Token(kind: .operator, text: ">", position: pos))
                    i += 1
                }
            case "'":
                let (raw, value, end) = try string(from: i, position: pos)
                result.append(Token(kind: .string, text: raw, value: value, position: pos))
                i = end
            default:
                if c.isASCII,
                    c.isNumber
                        || (c == "-" && i + 1 < chars.count && chars[i + 1].isASCII
                            && chars[i + 1].isNumber)
                        || (c == "+" && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber)
                {
                    let (kind, end) = try numberOrDate(from: i, position: pos)
                    result.append(Token(kind: kind, text: String(chars[i..<end]), position: pos))
                    i = end
                } else if c.isLetter || c == "_" {
                    var end = i
                    while end < chars.count, chars[end].isLetter || chars[end].isNumber || chars[end] == "_" {
                        end += 1
                    }
                    let word = String(chars[i..<end])
                    if let kind = RelativeDate.Kind(rawValue: word.uppercased()) {
                        if kind.takesCount {
                            // LAST_N_DAYS:n — the colon and the count belong to the literal.
                            var j = end
                            guard j < chars.count, chars[j] == ":" else {
                                throw SOQLError.malformed(
                                    "unexpected token: '\(word)'", at: pos, query: text)
                            }
                            j += 1
                            let digitsStart = j
                            while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
                            guard j > digitsStart else {
                                throw SOQLError.malformed(
                                    "unexpected token: '\(String(chars[i..<j]))'", at: pos, query: text)
                            }
                            end = j
                        }
                        result.append(
                            Token(kind: .dateLiteral, text: String(chars[i..<end]), position: pos))
                    } else {
                        result.append(Token(kind: .identifier, text: word, position: pos))
                    }
                    i = end
                } else {
                    throw SOQLError.malformed("unexpected token: '\(c)'", at: pos, query: text)
                }
            }
        }
        result.append(Token(kind: .endOfInput, text: "", position: position(chars.count)))
        return result
    }

    /// A quoted string from `start` (the opening quote): raw text, decoded value, index after the quote.
    private func string(from start: Int, position: SourcePosition) throws(SOQLError) -> (
        String, String, Int
    ) {
        var i = start + 1
        var value = ""
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                return (String(chars[(start + 1)..<i]), value, i + 1)
            }
            if c == "\\" {
                guard i + 1 < chars.count else { break }
                let e = chars[i + 1]
                switch e {
                case "'": value.append("'")
                case "\\": value.append("\\")
                case "\"": value.append("\"")
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                case "b": value.append("\u{8}")
                case "f": value.append("\u{c}")
                // `\%` and `\_` stay escaped: they only mean something in LIKE patterns.
                case "%", "_": value.append("\\"); value.append(e)
                default:
                    throw SOQLError.malformed(
                        "Invalid string literal '\(String(chars[(start + 1)..<min(chars.count, i + 2)]))'. Illegal character sequence '\\\(e)' in string literal.",
                        at: position, query: text)
                }
                i += 2
                continue
            }
            value.append(c)
            i += 1
        }
        throw SOQLError.malformed(
            "line \(position.line):\(position.column - 1) mismatched character '<EOF>' expecting '''",
            at: position, query: text)
    }

    /// A number, date or datetime from `start`: its kind and the index after it.
    private func numberOrDate(from start: Int, position: SourcePosition) throws(SOQLError) -> (
        Token.Kind, Int
    ) {
        func digits(_ from: Int, _ count: Int) -> Bool {
            guard from + count <= chars.count else { return false }
            return chars[from..<(from + count)].allSatisfy { $0.isASCII && $0.isNumber }
        }
        func at(_ index: Int, _ c: Character) -> Bool { index < chars.count && chars[index] == c }
        var i = start
        // Date: YYYY-MM-DD, optionally followed by Thh:mm:ss[.f](Z|±hh:mm|±hhmm).
        if digits(i, 4), at(i + 4, "-"), digits(i + 5, 2), at(i + 7, "-"), digits(i + 8, 2) {
            i += 10
            guard at(i, "T") || at(i, "t") else {
                try checkEnd(i, position: position)
                return (.date, i)
            }
            guard digits(i + 1, 2), at(i + 3, ":"), digits(i + 4, 2), at(i + 6, ":"), digits(i + 7, 2) else {
                throw malformedLiteral(start, position: position)
            }
            i += 9
            if at(i, ".") {
                var j = i + 1
                while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
                guard j - (i + 1) >= 1, j - (i + 1) <= 9 else {
                    throw malformedLiteral(start, position: position)
                }
                i = j
            }
            if at(i, "Z") || at(i, "z") {
                i += 1
            } else if at(i, "+") || at(i, "-") {
                if digits(i + 1, 2), at(i + 3, ":"), digits(i + 4, 2) {
                    i += 6
                } else if digits(i + 1, 4) {
                    i += 5
                } else {
                    throw malformedLiteral(start, position: position)
                }
            } else {
                throw malformedLiteral(start, position: position)
            }
            try checkEnd(i, position: position)
            return (.dateTime, i)
        }
        if chars[i] == "-" || chars[i] == "+" { i += 1 }
        while i < chars.count, chars[i].isASCII, chars[i].isNumber { i += 1 }
        if at(i, "."), i + 1 < chars.count, chars[i + 1].isASCII, chars[i + 1].isNumber {
            i += 1
            while i < chars.count, chars[i].isASCII, chars[i].isNumber { i += 1 }
        }
        try checkEnd(i, position: position)
        return (.number, i)
    }

    /// A literal must not run straight into a name (`2024-01-01abc`).
    private func checkEnd(_ i: Int, position: SourcePosition) throws(SOQLError) {
        if i < chars.count, chars[i].isLetter || chars[i] == "_" {
            throw SOQLError.malformed(
                "unexpected token: '\(String(chars[position.offset..<wordEnd(i)]))'", at: position,
                query: text)
        }
    }

    private func wordEnd(_ i: Int) -> Int {
        var j = i
        while j < chars.count, !chars[j].isWhitespace, chars[j] != ",", chars[j] != ")" { j += 1 }
        return j
    }

    private func malformedLiteral(_ start: Int, position: SourcePosition) -> SOQLError {
        SOQLError.malformed(
            "unexpected token: '\(String(chars[start..<wordEnd(start)]))'", at: position, query: text)
    }
}
