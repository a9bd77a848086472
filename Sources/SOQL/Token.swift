/// One lexical token of a SOQL query, with where it starts.
public struct Token: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A name or keyword (keywords are recognised by the parser, case-insensitively).
        case identifier
        /// A quoted string; `text` is the raw text between the quotes, `value` the decoded string.
        case string
        /// An integer or decimal, possibly negative.
        case number
        /// `YYYY-MM-DD`.
        case date
        /// `YYYY-MM-DDThh:mm:ss[.f](Z|±hh:mm|±hhmm)`.
        case dateTime
        /// A relative date literal such as `TODAY` or `LAST_N_DAYS:30`.
        case dateLiteral
        case comma, dot, leftParen, rightParen
        /// `=`, `!=`, `<>`, `<`, `<=`, `>`, `>=`.
        case `operator`
        case endOfInput
    }

    public var kind: Kind
    /// The token as written (for strings: the raw text between the quotes).
    public var text: String
    /// The decoded value of a string token.
    public var value: String?
    public var position: SourcePosition

    public init(kind: Kind, text: String, value: String? = nil, position: SourcePosition) {
        self.kind = kind
        self.text = text
        self.value = value
        self.position = position
    }

    /// True for an identifier equal to `keyword`, ignoring case.
    func isKeyword(_ keyword: String) -> Bool {
        kind == .identifier && text.uppercased() == keyword
    }
}
