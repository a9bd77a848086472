import Yams

/// Composes the text of a `keyhole.yaml` into a Yams node tree.
///
/// A file written in the block style Keyhole writes and documents — block mappings and sequences, flow
/// collections on one line, plain and quoted scalars on one line, comments — is read in one pass over its
/// bytes (`BlockYAMLComposer`), about twenty times faster than Yams on a file of 100,000 users. Anything else,
/// and any file with a problem (a duplicate key, a tab, a bad indentation, an empty value, a multi-line
/// scalar), is composed by Yams, so unusual YAML is read and bad YAML is reported exactly as before. Both
/// paths give the same tree: the same scalars, styles, tags and marks.
enum KeyholeYAML {
    /// The document's root node, or nil for an empty document. Throws Yams' error for malformed YAML.
    static func compose(_ text: String) throws -> Node? {
        if let node = composeSubset(text) { return node }
        return try Yams.compose(yaml: text)
    }

    /// The tree when `text` is inside the subset `BlockYAMLComposer` reads, nil when Yams must read it.
    static func composeSubset(_ text: String) -> Node? {
        guard let makeMark = Self.makeMark else { return nil }
        var text = text
        return text.withUTF8 { bytes in
            var composer = BlockYAMLComposer(bytes: bytes, makeMark: makeMark)
            return try? composer.compose()
        }
    }

    /// Yams gives `Mark` (a line and a column) no public initialiser. It is two `Int`s; that is checked
    /// once here, and when a Yams version lays it out otherwise the subset reader is off and Yams reads
    /// every file.
    static let makeMark: (@Sendable (Int, Int) -> Mark)? = {
        guard MemoryLayout<Mark>.size == MemoryLayout<(Int, Int)>.size,
            MemoryLayout<Mark>.alignment == MemoryLayout<(Int, Int)>.alignment
        else { return nil }
        let make: @Sendable (Int, Int) -> Mark = { line, column in
            withUnsafeBytes(of: (line, column)) { $0.load(as: Mark.self) }
        }
        let probe = make(3, 7)
        guard probe.line == 3, probe.column == 7 else { return nil }
        return make
    }()
}

/// Reads the block-style subset of YAML into the tree Yams would compose from it, or gives up (`Outside`)
/// at the first thing outside the subset or anything Yams would refuse. It never reports errors itself:
/// a file it gives up on is read by Yams.
///
/// The subset: block mappings with plain keys, block sequences (also "indentless" ones under a key), flow
/// sequences and mappings on one line, plain scalars and quoted scalars without escapes on one line, blank
/// lines and comments, LF or CRLF line ends. Not in it: tabs, control characters, directives and document
/// markers, anchors, aliases, tags, block scalars (`|`, `>`), multi-line scalars and flow collections,
/// complex and quoted keys, empty values, duplicate keys.
struct BlockYAMLComposer {
    /// Thrown to give the file to Yams.
    struct Outside: Error {}

    /// A line with content (not blank, not only a comment).
    struct Line {
        /// Offset of the line's first byte.
        var start: Int
        /// Offset of the first byte after the indentation.
        var content: Int
        /// Offset of the line break (or of the end of the text).
        var end: Int
        /// 1-based line number.
        var number: Int
        /// True when the line is ASCII, so that byte offsets are columns.
        var isASCII: Bool
        var indent: Int { content - start }
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let makeMark: (Int, Int) -> Mark
    let resolver = Resolver.default
    let constructor = Constructor.default
    var lines: [Line] = []
    /// The line being read.
    var index = 0
    /// The offset of the next token on it.
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>, makeMark: @escaping (Int, Int) -> Mark) {
        self.bytes = bytes
        self.makeMark = makeMark
    }

    mutating func compose() throws(Outside) -> Node {
        try scanLines()
        guard let first = lines.first else { throw Outside() }
        position = first.content
        let root = try blockNode()
        guard index == lines.count else { throw Outside() }
        return root
    }

    /// The keys of one mapping, to find duplicates: a list while short, a set beyond.
    struct KeySet {
        var list: [String] = []
        var set: Set<String>?

        /// False when `key` is in already.
        mutating func insert(_ key: String) -> Bool {
            if set != nil { return set!.insert(key).inserted }
            if list.contains(key) { return false }
            list.append(key)
            if list.count > 16 {
                set = Set(list)
                list = []
            }
            return true
        }
    }

    // MARK: Lines

    static let space = UInt8(ascii: " ")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let hash = UInt8(ascii: "#")
    static let colon = UInt8(ascii: ":")
    static let dash = UInt8(ascii: "-")
    static let comma = UInt8(ascii: ",")
    static let singleQuote = UInt8(ascii: "'")
    static let doubleQuote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")

    /// Splits the text into content lines, giving up on characters YAML treats specially or refuses: tabs,
    /// control characters, a byte order mark, NEL and the Unicode line and paragraph separators (line
    /// breaks to YAML), and document markers and directives at the start of a line.
    mutating func scanLines() throws(Outside) {
        lines.reserveCapacity(bytes.count / 24)
        let count = bytes.count
        var start = 0
        var number = 1
        while start < count {
            var end = start
            var isASCII = true
            while end < count {
                let byte = bytes[end]
                if byte == Self.newline { break }
                if byte < 0x20 {
                    // Only a CR right before the LF.
                    guard byte == Self.carriageReturn, end + 1 < count, bytes[end + 1] == Self.newline else {
                        throw Outside()
                    }
                } else if byte == 0x7F {
                    throw Outside()
                } else if byte >= 0x80 {
                    isASCII = false
                    try checkNonASCII(at: end)
                }
                end += 1
            }
            let next = end + 1
            if end > start && bytes[end - 1] == Self.carriageReturn { end -= 1 }
            var content = start
            while content < end && bytes[content] == Self.space { content += 1 }
            if content < end && bytes[content] != Self.hash {
                if content == start {
                    let first = bytes[content]
                    if first == UInt8(ascii: "%") || hasPrefix("---", at: content, end: end)
                        || hasPrefix("...", at: content, end: end)
                    {
                        throw Outside()
                    }
                }
                lines.append(
                    Line(start: start, content: content, end: end, number: number, isASCII: isASCII))
            }
            start = next
            number += 1
        }
    }

    /// Gives up on C1 controls (NEL among them), U+2028, U+2029, U+FEFF, U+FFFE and U+FFFF.
    func checkNonASCII(at offset: Int) throws(Outside) {
        let byte = bytes[offset]
        let count = bytes.count
        if byte == 0xC2, offset + 1 < count, (0x80...0x9F).contains(bytes[offset + 1]) { throw Outside() }
        if byte == 0xE2, offset + 2 < count, bytes[offset + 1] == 0x80,
            bytes[offset + 2] == 0xA8 || bytes[offset + 2] == 0xA9
        {
            throw Outside()
        }
        if byte == 0xEF, offset + 2 < count {
            let second = bytes[offset + 1]
            let third = bytes[offset + 2]
            if second == 0xBB && third == 0xBF { throw Outside() }
            if second == 0xBF && (third == 0xBE || third == 0xBF) { throw Outside() }
        }
    }

    func hasPrefix(_ prefix: StaticString, at offset: Int, end: Int) -> Bool {
        let length = prefix.utf8CodeUnitCount
        guard offset + length <= end else { return false }
        for k in 0..<length where bytes[offset + k] != prefix.utf8Start[k] { return false }
        return true
    }

    /// Moves to the next content line.
    mutating func nextLine() {
        index += 1
        if index < lines.count { position = lines[index].content }
    }

    /// The mark Yams gives a node starting at `offset` of `line`: line and column (in Unicode scalars), from 1.
    func mark(_ offset: Int, _ line: Line) -> Mark {
        var column = offset - line.start
        if !line.isASCII {
            column = 0
            for k in line.start..<offset where bytes[k] & 0xC0 != 0x80 { column += 1 }
        }
        return makeMark(line.number, column + 1)
    }

    func string(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// True when a block sequence entry (`-` then a space or the end of the line) starts at `offset`.
    func isEntry(_ offset: Int, _ line: Line) -> Bool {
        bytes[offset] == Self.dash && (offset + 1 == line.end || bytes[offset + 1] == Self.space)
    }

    /// True for bytes that cannot start a plain scalar here (YAML's indicators), so that the subset
    /// reader gives up or reads a quoted scalar or flow collection instead.
    static func isIndicator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["),
            UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"),
            UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"),
            UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"):
            return true
        default:
            return false
        }
    }

    /// The offset of the `:` ending a plain key that starts at `offset`, or nil when no plain key starts
    /// there.
    func keyColon(_ offset: Int, _ line: Line) throws(Outside) -> Int? {
        guard !Self.isIndicator(bytes[offset]) else { return nil }
        var k = offset
        while k < line.end {
            let byte = bytes[k]
            if byte == Self.colon && (k + 1 == line.end || bytes[k + 1] == Self.space) {
                // YAML keys are at most 1024 characters.
                guard k - offset <= 1000 else { throw Outside() }
                return k
            }
            if byte == Self.hash && bytes[k - 1] == Self.space { return nil }
            k += 1
        }
        return nil
    }

    /// Offset of the first byte that is not a space, from `offset`.
    func skipSpaces(_ offset: Int, _ line: Line) -> Int {
        var k = offset
        while k < line.end && bytes[k] == Self.space { k += 1 }
        return k
    }

    /// True when nothing but spaces and a comment (`#` after a space) follows `offset` on `line`.
    func isLineEnd(_ offset: Int, _ line: Line) -> Bool {
        let k = skipSpaces(offset, line)
        return k == line.end || (bytes[k] == Self.hash && k > line.start && bytes[k - 1] == Self.space)
    }

    /// A tag with the resolver and constructor shared by the whole tree, as Yams' parser makes them
    /// (`Constructor.default` builds a new constructor on every use).
    func tag(_ name: Tag.Name) -> Tag { Tag(name, resolver, constructor) }

    /// A plain key, its tag resolved as Yams resolves the tag of every key when it looks for duplicates.
    func key(_ name: String, _ mark: Mark) -> Node {
        if let resolved = Self.wordTag(name) { return .scalar(.init(name, tag(resolved), .plain, mark)) }
        let node = Node.scalar(.init(name, tag(.implicit), .plain, mark))
        _ = node.tag  // resolves the tag in place, with Yams' resolver
        return node
    }

    /// The tag Yams' resolver gives a plain scalar that starts with an ASCII letter, without its regular
    /// expressions: of its rules only the booleans and null match such words; anything else is a string.
    static func wordTag(_ text: String) -> Tag.Name? {
        guard let first = text.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first | 0x20)
        else { return nil }
        switch text {
        case "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on",
            "On",
            "ON", "off", "Off", "OFF":
            return .bool
        case "null", "Null", "NULL":
            return .null
        default:
            return .str
        }
    }

    // MARK: Block collections

    /// The block collection starting at the cursor (the first token of its line, or after `- `).
    mutating func blockNode() throws(Outside) -> Node {
        let line = lines[index]
        let column = position - line.start
        if isEntry(position, line) { return try blockSequence(column: column) }
        if try keyColon(position, line) != nil { return try blockMapping(column: column) }
        // A scalar or flow collection on a line of its own (a value below its key, or the whole document).
        throw Outside()
    }

    mutating func blockMapping(column: Int) throws(Outside) -> Node {
        var pairs: [(Node, Node)] = []
        var keys = KeySet()
        var first: Mark?
        while true {
            let line = lines[index]
            guard let colon = try keyColon(position, line) else { throw Outside() }
            var keyEnd = colon
            while bytes[keyEnd - 1] == Self.space { keyEnd -= 1 }
            let name = string(position, keyEnd)
            guard keys.insert(name) else { throw Outside() }  // Yams reports duplicate keys
            let keyMark = mark(position, line)
            if first == nil { first = keyMark }
            let key = key(name, keyMark)
            let value: Node
            let start = skipSpaces(colon + 1, line)
            if isLineEnd(colon + 1, line) {
                nextLine()
                guard index < lines.count else { throw Outside() }
                let next = lines[index]
                if next.indent > column {
                    value = try blockNode()
                } else if next.indent == column && isEntry(next.content, next) {
                    value = try blockSequence(column: column)
                } else {
                    throw Outside()  // an empty value
                }
            } else {
                position = start
                value = try inlineValue()
            }
            pairs.append((key, value))
            guard index < lines.count else { break }
            let next = lines[index]
            if next.indent < column { break }
            guard next.indent == column, !isEntry(next.content, next) else { throw Outside() }
            position = next.content
        }
        return .mapping(.init(pairs, tag(.implicit), .any, first))
    }

    mutating func blockSequence(column: Int) throws(Outside) -> Node {
        var items: [Node] = []
        let sequenceMark = mark(position, lines[index])
        while true {
            let line = lines[index]
            guard isEntry(position, line) else { throw Outside() }
            let start = skipSpaces(position + 1, line)
            if isLineEnd(position + 1, line) {
                nextLine()
                guard index < lines.count, lines[index].indent > column else { throw Outside() }
                items.append(try blockNode())
            } else {
                position = start
                var isCollection = isEntry(start, line)
                if !isCollection { isCollection = try keyColon(start, line) != nil }
                if isCollection {
                    items.append(try blockNode())
                } else {
                    items.append(try inlineValue())
                }
            }
            guard index < lines.count else { break }
            let next = lines[index]
            if next.indent < column { break }
            guard next.indent == column else { throw Outside() }
            // A line at the same indentation that is not an entry ends an indentless sequence.
            guard isEntry(next.content, next) else { break }
            position = next.content
        }
        return .sequence(.init(items, tag(.implicit), .any, sequenceMark))
    }

    // MARK: Values on one line

    /// A scalar or flow collection after `key: ` or `- `, to the end of the line; moves to the next line.
    mutating func inlineValue() throws(Outside) -> Node {
        let line = lines[index]
        var offset = position
        let node: Node
        switch bytes[offset] {
        case Self.openBracket, Self.openBrace, Self.singleQuote, Self.doubleQuote:
            node = try flowNode(&offset, line)
        default:
            if Self.isIndicator(bytes[offset]) {
                // `-` starts a plain scalar when a non-space follows (`-1`); `- ` would be an entry.
                guard bytes[offset] == Self.dash, offset + 1 < line.end, bytes[offset + 1] != Self.space
                else {
                    throw Outside()
                }
            }
            var end = offset
            var k = offset
            while k < line.end {
                let byte = bytes[k]
                if byte == Self.colon && (k + 1 == line.end || bytes[k + 1] == Self.space) { throw Outside() }
                if byte == Self.hash && bytes[k - 1] == Self.space { break }
                if byte != Self.space { end = k + 1 }
                k += 1
            }
            node = .scalar(.init(string(offset, end), tag(.implicit), .plain, mark(offset, line)))
            offset = k
        }
        guard isLineEnd(offset, line) else { throw Outside() }
        nextLine()
        return node
    }

    /// A flow collection, quoted scalar or plain scalar in flow context, on `line` from `offset`.
    func flowNode(_ offset: inout Int, _ line: Line) throws(Outside) -> Node {
        offset = skipSpaces(offset, line)
        guard offset < line.end else { throw Outside() }
        let start = offset
        switch bytes[offset] {
        case Self.openBracket:
            offset += 1
            var items: [Node] = []
            offset = skipSpaces(offset, line)
            if offset < line.end && bytes[offset] == Self.closeBracket {
                offset += 1
            } else {
                while true {
                    items.append(try flowNode(&offset, line))
                    offset = skipSpaces(offset, line)
                    guard offset < line.end else { throw Outside() }
                    if bytes[offset] == Self.closeBracket {
                        offset += 1
                        break
                    }
                    guard bytes[offset] == Self.comma else { throw Outside() }
                    offset += 1
                }
            }
            return .sequence(.init(items, tag(.implicit), .any, mark(start, line)))
        case Self.openBrace:
            offset += 1
            var pairs: [(Node, Node)] = []
            var keys = KeySet()
            offset = skipSpaces(offset, line)
            if offset < line.end && bytes[offset] == Self.closeBrace {
                offset += 1
            } else {
                while true {
                    offset = skipSpaces(offset, line)
                    let plain = try flowPlain(&offset, line, isKey: true)
                    guard offset + 1 < line.end, bytes[offset] == Self.colon, bytes[offset + 1] == Self.space,
                        let name = plain.scalar?.string, let mark = plain.mark, keys.insert(name)
                    else { throw Outside() }
                    let key = key(name, mark)
                    offset += 2
                    pairs.append((key, try flowNode(&offset, line)))
                    offset = skipSpaces(offset, line)
                    guard offset < line.end else { throw Outside() }
                    if bytes[offset] == Self.closeBrace {
                        offset += 1
                        break
                    }
                    guard bytes[offset] == Self.comma else { throw Outside() }
                    offset += 1
                }
            }
            return .mapping(.init(pairs, tag(.implicit), .any, mark(start, line)))
        case Self.singleQuote:
            var text: [UInt8] = []
            var k = offset + 1
            while true {
                guard k < line.end else { throw Outside() }  // a quoted scalar over several lines
                if bytes[k] == Self.singleQuote {
                    if k + 1 < line.end && bytes[k + 1] == Self.singleQuote {
                        text.append(Self.singleQuote)
                        k += 2
                        continue
                    }
                    break
                }
                text.append(bytes[k])
                k += 1
            }
            offset = k + 1
            try checkAfterQuote(offset, line)
            return .scalar(
                .init(
                    String(decoding: text, as: UTF8.self), tag(.str), .singleQuoted, mark(start, line)))
        case Self.doubleQuote:
            var k = offset + 1
            while true {
                guard k < line.end, bytes[k] != Self.backslash else { throw Outside() }
                if bytes[k] == Self.doubleQuote { break }
                k += 1
            }
            offset = k + 1
            try checkAfterQuote(offset, line)
            return .scalar(.init(string(start + 1, k), tag(.str), .doubleQuoted, mark(start, line)))
        default:
            return try flowPlain(&offset, line, isKey: false)
        }
    }

    /// A quoted scalar must be followed by a space, a flow indicator or the end of the line.
    func checkAfterQuote(_ offset: Int, _ line: Line) throws(Outside) {
        guard offset < line.end else { return }
        switch bytes[offset] {
        case Self.space, Self.comma, Self.closeBracket, Self.closeBrace: return
        default: throw Outside()
        }
    }

    /// A plain scalar inside a flow collection: it ends at `,`, a bracket or brace, or (a key) at `: `.
    func flowPlain(_ offset: inout Int, _ line: Line, isKey: Bool) throws(Outside) -> Node {
        let start = offset
        guard start < line.end else { throw Outside() }
        let first = bytes[start]
        if Self.isIndicator(first) {
            // `-` may start a plain scalar when a non-space follows (`-1`).
            guard first == Self.dash, start + 1 < line.end, bytes[start + 1] != Self.space,
                bytes[start + 1] != Self.comma, bytes[start + 1] != Self.closeBracket,
                bytes[start + 1] != Self.closeBrace
            else { throw Outside() }
        }
        var end = start
        var k = start
        scan: while k < line.end {
            let byte = bytes[k]
            switch byte {
            case Self.comma, Self.openBracket, Self.closeBracket, Self.openBrace, Self.closeBrace:
                break scan
            case Self.colon:
                let next = k + 1 < line.end ? bytes[k + 1] : Self.space
                if next == Self.space && isKey { break scan }
                switch next {
                case Self.space, Self.comma, UInt8(ascii: "?"), Self.openBracket, Self.closeBracket,
                    Self.openBrace, Self.closeBrace:
                    throw Outside()
                default:
                    break
                }
            case Self.hash where bytes[k - 1] == Self.space:
                throw Outside()  // a comment inside a flow collection
            default:
                break
            }
            if byte != Self.space { end = k + 1 }
            k += 1
        }
        guard end > start else { throw Outside() }
        offset = k
        return .scalar(.init(string(start, end), tag(.implicit), .plain, mark(start, line)))
    }
}
