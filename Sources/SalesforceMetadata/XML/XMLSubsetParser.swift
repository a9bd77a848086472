import Foundation

/// Builds the `XMLElementNode` tree of a document in the plain XML that metadata files are written in, in
/// one pass over its bytes — several times faster than `XMLParser`, whose per-document set-up and per-event
/// strings dominate on 100,000 small files.
///
/// It gives the same tree `XMLTreeParser`'s `XMLParser` path builds (names, attributes, text, children and
/// start-tag lines) or gives up (`Outside`); a document it gives up on is read by `XMLParser`, so errors and
/// unusual XML are reported and read exactly as before.
///
/// The subset: an optional `<?xml …?>` declaration (version, UTF-8 encoding, standalone), elements with
/// unprefixed names, attributes (namespace declarations, and prefixed attributes such as `xsi:nil` whose
/// prefix is declared), text with the five predefined entities and character references, comments and
/// CDATA sections. Not in it: carriage returns (line ends are normalised by the XML parser), a byte order
/// mark, DOCTYPE, processing instructions, other entities, prefixed element names, attribute values with
/// entities, `<` or line breaks, and anything malformed.
struct XMLSubsetParser {
    /// Thrown to give the document to `XMLParser`.
    struct Outside: Error {}

    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0
    var line = 1
    /// Element names seen in this document, so repeated names share one string.
    var names: [(bytes: ArraySlice<UInt8>, name: String)] = []

    static func parse(_ data: Data) -> XMLElementNode? {
        data.withUnsafeBytes { raw in
            var parser = XMLSubsetParser(bytes: raw.bindMemory(to: UInt8.self))
            return try? parser.document()
        }
    }

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    // MARK: Document

    mutating func document() throws(Outside) -> XMLElementNode {
        if starts(with: "<?xml") && offset + 5 < bytes.count && isSpace(bytes[offset + 5]) {
            try declaration()
        }
        try misc()
        guard offset < bytes.count else { throw Outside() }  // no element: XMLParser names the problem
        let root = try element()
        try misc()
        guard offset == bytes.count else { throw Outside() }  // content after the root element
        return root
    }

    /// `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`, with UTF-8 the only encoding.
    mutating func declaration() throws(Outside) {
        offset += 5
        var seen: [String] = []
        while true {
            let hadSpace = skipSpaces()
            guard offset < bytes.count else { throw Outside() }
            if starts(with: "?>") {
                offset += 2
                break
            }
            guard hadSpace else { throw Outside() }
            let nameStart = offset
            while offset < bytes.count && isNameByte(bytes[offset]) { offset += 1 }
            let name = String(
                decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<offset]), as: UTF8.self)
            guard !seen.contains(name) else { throw Outside() }
            seen.append(name)
            skipSpaces()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "=") else { throw Outside() }
            offset += 1
            skipSpaces()
            let value = try quoted()
            switch name {
            case "version":
                guard seen.count == 1, value == "1.0" else { throw Outside() }
            case "encoding":
                guard seen.count == 2, value.lowercased() == "utf-8" else { throw Outside() }
            case "standalone":
                guard seen.count >= 2, value == "yes" || value == "no" else { throw Outside() }
            default:
                throw Outside()
            }
        }
        guard seen.first == "version" else { throw Outside() }
    }

    /// Whitespace and comments outside the root element.
    mutating func misc() throws(Outside) {
        while true {
            skipSpaces()
            guard offset < bytes.count else { return }
            if starts(with: "<!--") {
                try comment()
            } else if bytes[offset] == UInt8(ascii: "<") {
                if offset + 1 < bytes.count, isNameStart(bytes[offset + 1]) { return }
                throw Outside()  // DOCTYPE, a processing instruction, or not XML
            } else {
                throw Outside()  // text outside the root element
            }
        }
    }

    // MARK: Elements

    /// The element starting at `<`, with everything inside it.
    mutating func element() throws(Outside) -> XMLElementNode {
        var stack: [XMLElementNode] = []
        /// Namespace prefixes declared by each open element.
        var prefixes: [[Substring]] = []
        while true {
            guard offset < bytes.count else { throw Outside() }
            if bytes[offset] == UInt8(ascii: "<") {
                guard offset + 1 < bytes.count else { throw Outside() }
                let next = bytes[offset + 1]
                if next == UInt8(ascii: "/") {
                    // End tag.
                    offset += 2
                    let name = try elementName()
                    skipSpaces()
                    guard offset < bytes.count, bytes[offset] == UInt8(ascii: ">"),
                        var node = stack.popLast(), node.name == name
                    else { throw Outside() }
                    offset += 1
                    prefixes.removeLast()
                    if !node.children.isEmpty { node.text = "" }
                    if stack.isEmpty { return node }
                    stack[stack.count - 1].children.append(node)
                } else if next == UInt8(ascii: "!") {
                    if starts(with: "<!--") {
                        try comment()
                    } else if starts(with: "<![CDATA[") {
                        offset += 9
                        let start = offset
                        while true {
                            guard offset + 2 < bytes.count else { throw Outside() }
                            let byte = bytes[offset]
                            if byte == UInt8(ascii: "]") && bytes[offset + 1] == UInt8(ascii: "]")
                                && bytes[offset + 2] == UInt8(ascii: ">")
                            {
                                break
                            }
                            try checkCharacter(byte)
                            offset += 1
                        }
                        if let top = stack.indices.last, stack[top].children.isEmpty {
                            stack[top].text += String(
                                decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
                        }
                        offset += 3
                    } else {
                        throw Outside()
                    }
                } else {
                    // Start tag.
                    let tagLine = line
                    offset += 1
                    let name = try elementName()
                    var attributes: [String: String] = [:]
                    var declared: [Substring] = []
                    var selfClosing = false
                    while true {
                        let hadSpace = skipSpaces()
                        guard offset < bytes.count else { throw Outside() }
                        if bytes[offset] == UInt8(ascii: ">") {
                            offset += 1
                            break
                        }
                        if starts(with: "/>") {
                            offset += 2
                            selfClosing = true
                            break
                        }
                        guard hadSpace else { throw Outside() }
                        let (attribute, value) = try self.attribute()
                        guard attributes.updateValue(value, forKey: attribute) == nil else { throw Outside() }
                        if attribute.hasPrefix("xmlns:") {
                            guard !value.isEmpty else { throw Outside() }
                            declared.append(attribute.dropFirst(6))
                        }
                    }
                    if !attributes.isEmpty {
                        try checkPrefixes(of: attributes, declared: declared, open: prefixes)
                    }
                    if let top = stack.indices.last {
                        // The parent has element children: its whitespace between them is not text.
                        stack[top].text = ""
                    }
                    let node = XMLElementNode(name, attributes: attributes, line: tagLine)
                    if selfClosing {
                        if stack.isEmpty { return node }
                        stack[stack.count - 1].children.append(node)
                    } else {
                        stack.append(node)
                        prefixes.append(declared)
                    }
                }
            } else {
                // Text.
                guard let top = stack.indices.last else { throw Outside() }
                if stack[top].children.isEmpty {
                    stack[top].text += try text(keep: true)
                } else {
                    _ = try text(keep: false)  // between child elements: checked, not kept
                }
            }
        }
    }

    /// A prefixed attribute needs its prefix declared on its element or an open one, and two prefixed
    /// attributes may not share a local name (they might name the same namespace).
    func checkPrefixes(of attributes: [String: String], declared: [Substring], open: [[Substring]])
        throws(Outside)
    {
        var locals: [Substring] = []
        for key in attributes.keys where !key.hasPrefix("xmlns") {
            guard let colon = key.firstIndex(of: ":") else { continue }
            let prefix = key[..<colon]
            guard declared.contains(prefix) || open.contains(where: { $0.contains(prefix) }) else {
                throw Outside()
            }
            let local = key[key.index(after: colon)...]
            guard !locals.contains(local) else { throw Outside() }
            locals.append(local)
        }
    }

    /// An element name: ASCII letters, digits, `_`, `-` and `.`, starting with a letter or `_`.
    mutating func elementName() throws(Outside) -> String {
        let start = offset
        guard offset < bytes.count, isNameStart(bytes[offset]) else { throw Outside() }
        while offset < bytes.count && isNameByte(bytes[offset]) { offset += 1 }
        let slice = bytes[start..<offset]
        for entry in names where entry.bytes.count == slice.count && entry.bytes.elementsEqual(slice) {
            return entry.name
        }
        let name = String(decoding: UnsafeBufferPointer(rebasing: slice), as: UTF8.self)
        if names.count < 64 { names.append((ArraySlice(slice), name)) }
        return name
    }

    /// `name="value"`: a namespace declaration or an attribute, prefixed or not.
    mutating func attribute() throws(Outside) -> (String, String) {
        let start = offset
        guard offset < bytes.count, isNameStart(bytes[offset]) else { throw Outside() }
        var colons = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: ":") {
                colons += 1
            } else if !isNameByte(byte) {
                break
            }
            offset += 1
        }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        if colons > 0 {
            // `prefix:local`, both parts names.
            guard colons == 1, let colon = name.utf8.firstIndex(of: UInt8(ascii: ":")),
                let next = name.utf8[name.utf8.index(after: colon)...].first, isNameStart(next)
            else { throw Outside() }
        }
        if colons == 1 && name.hasPrefix("xml") && !name.hasPrefix("xmlns:") { throw Outside() }
        skipSpaces()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "=") else { throw Outside() }
        offset += 1
        skipSpaces()
        return (name, try quoted())
    }

    /// A quoted value without entities, `<` or whitespace other than spaces (which XML would normalise).
    mutating func quoted() throws(Outside) -> String {
        guard offset < bytes.count else { throw Outside() }
        let quote = bytes[offset]
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { throw Outside() }
        offset += 1
        let start = offset
        while true {
            guard offset < bytes.count else { throw Outside() }
            let byte = bytes[offset]
            if byte == quote { break }
            if byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte < 0x20 { throw Outside() }
            try checkCharacter(byte)
            offset += 1
        }
        let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        offset += 1
        return value
    }

    /// Character data up to the next `<`, with entities and character references resolved ("" unless
    /// `keep`).
    mutating func text(keep: Bool) throws(Outside) -> String {
        let start = offset
        var decoded: [UInt8]?
        var runStart = start
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "<") { break }
            if byte == UInt8(ascii: "&") {
                if decoded == nil { decoded = [] }
                decoded!.append(contentsOf: bytes[runStart..<offset])
                try entity(into: &decoded!)
                runStart = offset
                continue
            }
            if byte == UInt8(ascii: "]"), offset + 2 < bytes.count, bytes[offset + 1] == UInt8(ascii: "]"),
                bytes[offset + 2] == UInt8(ascii: ">")
            {
                throw Outside()  // `]]>` is not allowed in text
            }
            try checkCharacter(byte)
            offset += 1
        }
        guard offset < bytes.count else { throw Outside() }  // the document ends inside an element
        guard keep else { return "" }
        if var decoded {
            decoded.append(contentsOf: bytes[runStart..<offset])
            return String(decoding: decoded, as: UTF8.self)
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    }

    /// `&lt;` `&gt;` `&amp;` `&quot;` `&apos;`, `&#NN;` and `&#xHH;`; any other entity gives up.
    mutating func entity(into out: inout [UInt8]) throws(Outside) {
        let start = offset + 1
        var end = start
        while end < bytes.count && end - start < 12 && bytes[end] != UInt8(ascii: ";") { end += 1 }
        guard end < bytes.count, bytes[end] == UInt8(ascii: ";"), end > start else { throw Outside() }
        let body = UnsafeBufferPointer(rebasing: bytes[start..<end])
        offset = end + 1
        if body.elementsEqual("lt".utf8) {
            out.append(UInt8(ascii: "<"))
        } else if body.elementsEqual("gt".utf8) {
            out.append(UInt8(ascii: ">"))
        } else if body.elementsEqual("amp".utf8) {
            out.append(UInt8(ascii: "&"))
        } else if body.elementsEqual("quot".utf8) {
            out.append(UInt8(ascii: "\""))
        } else if body.elementsEqual("apos".utf8) {
            out.append(UInt8(ascii: "'"))
        } else if body.first == UInt8(ascii: "#") {
            let hex = body.count > 1 && body[1] == UInt8(ascii: "x")
            let digits = String(decoding: body.dropFirst(hex ? 2 : 1), as: UTF8.self)
            guard !digits.isEmpty, digits.allSatisfy(\.isHexDigit),
                let value = UInt32(digits, radix: hex ? 16 : 10),
                value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
                    || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value),
                let scalar = Unicode.Scalar(value)
            else { throw Outside() }
            out.append(contentsOf: String(Character(scalar)).utf8)
        } else {
            throw Outside()
        }
    }

    /// `<!-- … -->`, without `--` inside.
    mutating func comment() throws(Outside) {
        offset += 4
        while true {
            guard offset + 2 < bytes.count else { throw Outside() }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "-") && bytes[offset + 1] == UInt8(ascii: "-") {
                guard bytes[offset + 2] == UInt8(ascii: ">") else { throw Outside() }
                offset += 3
                return
            }
            try checkCharacter(byte)
            offset += 1
        }
    }

    // MARK: Bytes

    /// Counts lines; gives up on characters XML does not allow and on carriage returns.
    mutating func checkCharacter(_ byte: UInt8) throws(Outside) {
        if byte < 0x20 {
            if byte == UInt8(ascii: "\n") {
                line += 1
            } else if byte != UInt8(ascii: "\t") {
                throw Outside()
            }
        } else if byte == 0xEF, offset + 2 < bytes.count, bytes[offset + 1] == 0xBF,
            bytes[offset + 2] == 0xBE || bytes[offset + 2] == 0xBF
        {
            throw Outside()  // U+FFFE, U+FFFF
        }
    }

    /// Skips spaces, tabs and line feeds; true when there was at least one.
    @discardableResult
    mutating func skipSpaces() -> Bool {
        let start = offset
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\n") {
                line += 1
            } else if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") {
                break
            }
            offset += 1
        }
        return offset > start
    }

    func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
    }

    func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }

    func isNameByte(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ".")
    }

    func starts(with prefix: StaticString) -> Bool {
        let length = prefix.utf8CodeUnitCount
        guard offset + length <= bytes.count else { return false }
        for k in 0..<length where bytes[offset + k] != prefix.utf8Start[k] { return false }
        return true
    }
}
