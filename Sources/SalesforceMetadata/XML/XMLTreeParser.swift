import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Why a document could not be read: the message says what is wrong and `line` where.
public struct XMLSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }
    public var description: String { "line \(line): \(message)" }
}

/// Builds an `XMLElementNode` tree from bytes, in one pass, with the line of every element: with
/// `XMLSubsetParser` for the plain XML metadata is written in, else with `XMLParser`.
///
/// Tolerates what real metadata contains: declaration variants, tags split over lines, self-closing and
/// whitespace-only roots, `xsi:nil`, entities, non-BMP text, CRLF and tabs (`TRAP-01`…`TRAP-06`).
public enum XMLTreeParser {
    public static func parse(_ data: Data) -> Result<XMLElementNode, XMLSyntaxError> {
        // FoundationXML traps on element or attribute names that are not valid UTF-8, so bytes that do not
        // decode are refused here, with their line, before the parser sees them.
        if let badLine = invalidUTF8Line(data) {
            return .failure(
                XMLSyntaxError(
                    line: badLine,
                    message: "the file is not valid UTF-8 text (save it as UTF-8, as Salesforce metadata is)")
            )
        }
        // Plain metadata XML is read by the subset parser; anything else, and every error, by `XMLParser`.
        if let root = XMLSubsetParser.parse(data) { return .success(root) }
        return parseWithXMLParser(data)
    }

    /// The `XMLParser` path, for valid UTF-8.
    static func parseWithXMLParser(_ data: Data) -> Result<XMLElementNode, XMLSyntaxError> {
        let startLines = startTagLines(data)
        let builder = TreeBuilder(startLines: startLines)
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        _ = parser.parse()
        if let failure = builder.failure {
            return .failure(describe(failure, builder: builder, data: data))
        }
        if let open = builder.stack.last {
            return .failure(
                XMLSyntaxError(
                    line: max(1, lineCount(data)),
                    message:
                        "the file ends before element <\(open.name)> (opened on line \(open.line)) is closed; it looks truncated"
                ))
        }
        guard let root = builder.root else {
            return .failure(XMLSyntaxError(line: 1, message: "the file holds no XML element (it is empty)"))
        }
        return .success(root)
    }

    public static func parse(_ text: String) -> Result<XMLElementNode, XMLSyntaxError> {
        parse(Data(text.utf8))
    }

    // MARK: - Errors

    struct Failure {
        var code: Int
        var line: Int
        var column: Int
        /// Open elements when the error was reported, innermost last.
        var open: [(name: String, line: Int)]
        var rootClosed: Bool
    }

    /// libxml2 reports namespace warnings (1xx) and namespace errors (2xx) through the same callback; they
    /// do not make the document unreadable.
    static func isFatal(_ code: Int) -> Bool { !(100..<300).contains(code) }

    static func describe(_ failure: Failure, builder: TreeBuilder, data: Data) -> XMLSyntaxError {
        let inside = failure.open.last.map { " inside <\($0.name)> (opened on line \($0.line))" } ?? ""
        let message: String
        switch failure.code {
        case 76:
            let found = closingTag(onLine: failure.line, in: data, other: failure.open.last?.name)
            let what = found.map { "closing tag </\($0)>" } ?? "a closing tag"
            if let open = failure.open.last {
                message = "\(what) does not match element <\(open.name)> opened on line \(open.line)"
            } else {
                message = "\(what) has no matching start tag"
            }
        case 4:
            message = "the file holds no XML element (it is empty)"
        case 5, 77:
            if failure.rootClosed || failure.open.isEmpty && builder.root != nil {
                message = "there is content after the end of the root element"
            } else if let open = failure.open.last {
                message =
                    "the file ends before element <\(open.name)> (opened on line \(open.line)) is closed; it looks truncated"
            } else {
                message = "the file ends before the root element is complete; it looks truncated"
            }
        case 9:
            message = "an invalid character\(inside)"
        case 23, 26, 27:
            message = "an undefined or unterminated entity reference\(inside) (write & as &amp;)"
        case 38:
            message = "a '<' inside an attribute value\(inside)"
        case 39, 40, 41:
            message = "a malformed attribute\(inside) (attribute values need quotes)"
        case 68:
            message = "a '<' that does not start a tag\(inside) (write < as &lt;)"
        case 73:
            message = "a tag that is not closed with '>'\(inside)"
        case 64, 57, 31, 32:
            message = "a malformed XML declaration or processing instruction"
        default:
            message = "XML syntax error (libxml2 code \(failure.code))\(inside)"
        }
        return XMLSyntaxError(line: max(1, failure.line), message: message)
    }

    /// The name of a closing tag on `line` other than `other`, to name the offending tag in a mismatch.
    static func closingTag(onLine line: Int, in data: Data, other: String?) -> String? {
        var current = 1
        var lineBytes: [UInt8] = []
        for byte in data {
            if byte == UInt8(ascii: "\n") {
                if current == line { break }
                current += 1
                continue
            }
            if current == line { lineBytes.append(byte) }
        }
        let text = String(decoding: lineBytes, as: UTF8.self)
        var names: [String] = []
        var rest = Substring(text)
        while let range = rest.range(of: "</") {
            let after = rest[range.upperBound...]
            let name = after.prefix { $0 != ">" && !$0.isWhitespace }
            if !name.isEmpty { names.append(String(name)) }
            rest = after
        }
        return names.first { $0 != other } ?? names.first
    }

    static func lineCount(_ data: Data) -> Int {
        var lines = 1
        for byte in data where byte == UInt8(ascii: "\n") { lines += 1 }
        if data.last == UInt8(ascii: "\n") { lines -= 1 }
        return lines
    }

    // MARK: - Encoding

    /// The line of the first byte sequence that is not UTF-8, or nil when the text is valid. Metadata is
    /// always UTF-8; other encodings are refused (libxml2 passes undecodable bytes through when a
    /// declaration and the content disagree, and FoundationXML then traps).
    static func invalidUTF8Line(_ data: Data) -> Int? {
        let valid = data.withUnsafeBytes { raw -> Bool in
            let bytes = raw.bindMemory(to: UInt8.self)
            // Fast path: pure ASCII.
            var allASCII = true
            for byte in bytes where byte >= 0x80 {
                allASCII = false
                break
            }
            if allASCII { return true }
            return String(validating: bytes, as: UTF8.self) != nil
        }
        if valid { return nil }
        var line = 1
        var iterator = data.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1 && encoded.first == UInt8(ascii: "\n") { line += 1 }
            case .error:
                return line
            case .emptyInput:
                return line
            }
        }
    }

    // MARK: - Start-tag lines

    /// The line of every start tag, in document order. `XMLParser` reports the line where a tag *ends*,
    /// which is wrong for tags split over lines (`TRAP-02`); a byte scan finds where each one begins.
    static func startTagLines(_ data: Data) -> [Int] {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Int] in
            let bytes = raw.bindMemory(to: UInt8.self)
            let count = bytes.count
            var lines: [Int] = []
            lines.reserveCapacity(count / 24)
            var line = 1
            var i = 0
            let lt = UInt8(ascii: "<")
            let nl = UInt8(ascii: "\n")

            func matches(_ at: Int, _ pattern: [UInt8]) -> Bool {
                guard at + pattern.count <= count else { return false }
                for k in 0..<pattern.count where bytes[at + k] != pattern[k] { return false }
                return true
            }
            /// Advances past `terminator`, counting newlines; returns the index after it.
            func skip(from start: Int, to terminator: [UInt8]) -> Int {
                var j = start
                while j < count {
                    if bytes[j] == nl { line += 1 }
                    if bytes[j] == terminator[0] && matches(j, terminator) { return j + terminator.count }
                    j += 1
                }
                return count
            }
            let comment: [UInt8] = Array("<!--".utf8)
            let cdata: [UInt8] = Array("<![CDATA[".utf8)
            while i < count {
                let byte = bytes[i]
                if byte == nl {
                    line += 1
                    i += 1
                    continue
                }
                guard byte == lt, i + 1 < count else {
                    i += 1
                    continue
                }
                let next = bytes[i + 1]
                switch next {
                case UInt8(ascii: "/"):
                    i += 2
                case UInt8(ascii: "?"):
                    i = skip(from: i + 2, to: Array("?>".utf8))
                case UInt8(ascii: "!"):
                    if matches(i, comment) {
                        i = skip(from: i + 4, to: Array("-->".utf8))
                    } else if matches(i, cdata) {
                        i = skip(from: i + 9, to: Array("]]>".utf8))
                    } else {
                        i = skip(from: i + 2, to: Array(">".utf8))
                    }
                default:
                    lines.append(line)
                    i += 1
                }
            }
            return lines
        }
    }

    // MARK: - Builder

    final class TreeBuilder: NSObject, XMLParserDelegate {
        let startLines: [Int]
        var elementIndex = 0
        var stack: [XMLElementNode] = []
        var root: XMLElementNode?
        var failure: Failure?

        init(startLines: [Int]) {
            self.startLines = startLines
        }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            guard failure == nil else { return }
            if root != nil && stack.isEmpty {
                // A second root: libxml2 reports it as an error as well.
                return
            }
            let line = elementIndex < startLines.count ? startLines[elementIndex] : parser.lineNumber
            elementIndex += 1
            var name = elementName
            if let colon = name.lastIndex(of: ":") { name = String(name[name.index(after: colon)...]) }
            if !stack.isEmpty {
                // The parent has element children: its whitespace between them is not text.
                stack[stack.count - 1].text = ""
            }
            stack.append(XMLElementNode(name, attributes: attributeDict, line: line))
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?
        ) {
            guard failure == nil, var node = stack.popLast() else { return }
            if !node.children.isEmpty { node.text = "" }
            if stack.isEmpty {
                root = node
            } else {
                stack[stack.count - 1].children.append(node)
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard failure == nil, !stack.isEmpty else { return }
            let top = stack.count - 1
            // Whitespace between child elements is dropped once a child exists.
            if stack[top].children.isEmpty { stack[top].text += string }
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            guard failure == nil, !stack.isEmpty else { return }
            let top = stack.count - 1
            if stack[top].children.isEmpty { stack[top].text += String(decoding: CDATABlock, as: UTF8.self) }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            let code = (parseError as NSError).code
            guard failure == nil, XMLTreeParser.isFatal(code) else { return }
            failure = Failure(
                code: code, line: parser.lineNumber, column: parser.columnNumber,
                open: stack.map { ($0.name, $0.line) }, rootClosed: root != nil && stack.isEmpty)
        }

        func parser(_ parser: XMLParser, validationErrorOccurred validationError: Error) {}
    }
}
