import AccessModel
import Foundation

/// Why a file could not be patched.
public struct MetadataPatchError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Minimal edits to the permission entries of a profile, permission set or muting permission set file,
/// touching only the changed elements: every other byte — element order, indentation, line endings (LF or
/// CRLF), comments, unknown elements, `True`/`False` spelling — stays as it was.
///
/// Permissions are switched off with explicit `false` values, never by deleting entries: in source
/// format an omitted entry leaves the org's value alone on deploy, while `enabled=false` or
/// `readable=false` revokes it. A missing entry is added in Salesforce's canonical position (sorted by
/// key among its siblings, byte order as `sf project retrieve` writes them).
public enum MetadataPatch {
    public enum Edit: Hashable, Sendable {
        /// Sets `readable`/`editable` of every entry for `field` (`Object.Field`; duplicates, `TRAP-11`,
        /// all get the value), or adds the entry. Editable implies readable.
        case fieldPermission(field: String, access: FieldAccess)
        /// Sets the six object flags (and `viewAllFields`) of the entry for `object`, or adds it. A flag
        /// the entry does not write stays absent when it is to be false (absent means false, `TRAP-10`).
        case objectPermission(object: String, access: ObjectAccess)
        /// Sets `enabled` of the entry for `name`, or adds it. `enabled: false` is how a user
        /// permission is removed in source format.
        case userPermission(name: String, enabled: Bool)
        /// Sets the text of a single-valued top-level element (a group's `<mutingPermissionSets>`), or
        /// adds it among the top-level elements in Salesforce's alphabetical position.
        case topLevel(element: String, value: String)

        var element: String {
            switch self {
            case .fieldPermission: "fieldPermissions"
            case .objectPermission: "objectPermissions"
            case .userPermission: "userPermissions"
            case .topLevel(let element, _): element
            }
        }

        /// The child element that names the entry.
        var keyElement: String {
            switch self {
            case .fieldPermission: "field"
            case .objectPermission: "object"
            case .userPermission: "name"
            case .topLevel: ""
            }
        }

        var key: String {
            switch self {
            case .fieldPermission(let field, _): field
            case .objectPermission(let object, _): object
            case .userPermission(let name, _): name
            case .topLevel(_, let value): value
            }
        }

        /// The leaf values the entry must hold; `nil` means "leave absent unless present".
        var values: [(name: String, value: Bool, writeWhenAbsent: Bool)] {
            switch self {
            case .fieldPermission(_, let access):
                let effective = access.effective
                return [("editable", effective.editable, true), ("readable", effective.readable, true)]
            case .objectPermission(_, let access):
                return ObjectAccess.named.map { entry in
                    let on = access.contains(entry.permission)
                    // viewAllFields is a newer element: written only when set.
                    return (entry.element, on, entry.element == "viewAllFields" ? on : true)
                }
            case .userPermission(_, let enabled):
                return [("enabled", enabled, true)]
            case .topLevel:
                return []
            }
        }
    }

    /// Applies `edits` in order to the text of one metadata file.
    public static func apply(_ edits: [Edit], to text: String) throws(MetadataPatchError) -> String {
        var bytes = Array(text.utf8)
        for edit in edits { try apply(edit, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func apply(_ edit: Edit, to bytes: inout [UInt8]) throws(MetadataPatchError) {
        let root = try XMLSpans.parse(bytes)
        if case .topLevel(let element, let value) = edit {
            let splice = topLevel(element, value: value, root: root, bytes: bytes)
            if let splice { bytes.replaceSubrange(splice.range, with: Array(splice.text.utf8)) }
            return
        }
        let entries = root.children.filter {
            $0.name == edit.element && $0.child(edit.keyElement).map { $0.text(bytes) } == edit.key
        }
        let layout = Layout(bytes: bytes, root: root)
        var splices: [(range: Range<Int>, text: String)] = []
        if entries.isEmpty {
            splices.append(insertion(of: edit, root: root, bytes: bytes, layout: layout))
        }
        for entry in entries {
            for (name, value, writeWhenAbsent) in edit.values {
                if let leaf = entry.child(name) {
                    let current = leaf.text(bytes)
                    guard current.lowercased() != String(value) else { continue }
                    let capitalised = current.first?.isUppercase == true
                    let spelled = capitalised ? (value ? "True" : "False") : String(value)
                    splices.append((leaf.contentRange, spelled))
                } else if writeWhenAbsent {
                    splices.append(
                        leafInsertion(
                            name: name, value: String(value), entry: entry, bytes: bytes, layout: layout))
                }
            }
        }
        for splice in splices.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            bytes.replaceSubrange(splice.range, with: Array(splice.text.utf8))
        }
    }

    /// A missing leaf goes before the first sibling whose name sorts after it, else after the last child.
    static func leafInsertion(
        name: String, value: String, entry: XMLSpans.Element, bytes: [UInt8], layout: Layout
    ) -> (range: Range<Int>, text: String) {
        let indent = entry.children.first.map { layout.indent(before: $0.start) } ?? layout.childIndent
        let leaf = "<\(name)>\(value)</\(name)>"
        if let next = entry.children.first(where: { $0.name > name }) {
            return (next.start..<next.start, leaf + layout.newline + indent)
        }
        if let last = entry.children.last {
            return (last.end..<last.end, layout.newline + indent + leaf)
        }
        return (entry.startTagEnd..<entry.startTagEnd, layout.newline + indent + leaf + layout.newline)
    }

    /// A missing entry goes among its siblings sorted by key; with no siblings, before the first top-level
    /// element whose name sorts after it (Salesforce writes them alphabetically), else at the end.
    static func insertion(of edit: Edit, root: XMLSpans.Element, bytes: [UInt8], layout: Layout) -> (
        range: Range<Int>, text: String
    ) {
        let indent = layout.entryIndent
        let childIndent = layout.childIndent
        var leaves = edit.values.filter { $0.writeWhenAbsent }.map { ($0.name, String($0.value)) }
        leaves.append((edit.keyElement, escape(edit.key)))
        leaves.sort { $0.0 < $1.0 }
        let nl = layout.newline
        let block =
            "<\(edit.element)>" + leaves.map { nl + childIndent + "<\($0.0)>\($0.1)</\($0.0)>" }.joined() + nl
            + indent + "</\(edit.element)>"
        let siblings = root.children.filter { $0.name == edit.element }
        if let next = siblings.first(where: { ($0.child(edit.keyElement)?.text(bytes) ?? "") > edit.key }) {
            return (next.start..<next.start, block + nl + indent)
        }
        if let last = siblings.last {
            return (last.end..<last.end, nl + indent + block)
        }
        if let next = root.children.first(where: { $0.name > edit.element }) {
            return (next.start..<next.start, block + nl + indent)
        }
        if let last = root.children.last {
            return (last.end..<last.end, nl + indent + block)
        }
        if root.isSelfClosing {
            // `<Profile …/>` becomes `<Profile …>` + entry + `</Profile>`.
            let slash = root.startTagEnd - 2
            return (
                slash..<root.startTagEnd, ">" + nl + indent + block + nl + "</\(root.qualifiedName)>"
            )
        }
        return (root.startTagEnd..<root.endTagStart, nl + indent + block + nl)
    }

    /// The splice that gives the top-level `element` the text `value`; nil when it already has it.
    static func topLevel(_ element: String, value: String, root: XMLSpans.Element, bytes: [UInt8]) -> (
        range: Range<Int>, text: String
    )? {
        if let existing = root.children.first(where: { $0.name == element }) {
            guard existing.text(bytes) != value else { return nil }
            return (existing.contentRange, escape(value))
        }
        let layout = Layout(bytes: bytes, root: root)
        let nl = layout.newline
        let indent = layout.entryIndent
        let leaf = "<\(element)>\(escape(value))</\(element)>"
        if let next = root.children.first(where: { $0.name > element }) {
            return (next.start..<next.start, leaf + nl + indent)
        }
        if let last = root.children.last {
            return (last.end..<last.end, nl + indent + leaf)
        }
        if root.isSelfClosing {
            let slash = root.startTagEnd - 2
            return (slash..<root.startTagEnd, ">" + nl + indent + leaf + nl + "</\(root.qualifiedName)>")
        }
        return (root.startTagEnd..<root.endTagStart, nl + indent + leaf + nl)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// How the file is laid out: its line ending and the indentation of entries and their children.
    struct Layout {
        var newline: String
        var entryIndent: String
        var childIndent: String
        let bytes: [UInt8]

        init(bytes: [UInt8], root: XMLSpans.Element) {
            self.bytes = bytes
            newline = Layout.usesCRLF(bytes) ? "\r\n" : "\n"
            entryIndent = ""
            childIndent = ""
            entryIndent = root.children.first.map { indent(before: $0.start) } ?? "    "
            let sample = root.children.first { !$0.children.isEmpty }?.children.first
            childIndent = sample.map { indent(before: $0.start) } ?? (entryIndent + entryIndent)
            if entryIndent.isEmpty && root.children.isEmpty { entryIndent = "    " }
            if childIndent.isEmpty {
                childIndent = entryIndent + (entryIndent.isEmpty ? "    " : entryIndent)
            }
        }

        static func usesCRLF(_ bytes: [UInt8]) -> Bool {
            guard let lf = bytes.firstIndex(of: 0x0A) else { return false }
            return lf > 0 && bytes[lf - 1] == 0x0D
        }

        /// The spaces and tabs between the start of the line and `offset`, if only those.
        func indent(before offset: Int) -> String {
            var i = offset
            while i > 0, bytes[i - 1] == 0x20 || bytes[i - 1] == 0x09 { i -= 1 }
            guard i == 0 || bytes[i - 1] == 0x0A || bytes[i - 1] == 0x0D else { return "" }
            return String(decoding: bytes[i..<offset], as: UTF8.self)
        }
    }
}

/// Element spans of an XML document: byte offsets of each element's tags and content, so edits can
/// replace exactly one element's text. Only what patching needs: comments, processing instructions,
/// CDATA and DOCTYPE are skipped, attributes are not interpreted.
enum XMLSpans {
    struct Element {
        /// Local name (prefix removed).
        var name: String
        var qualifiedName: String
        /// Offset of `<` of the start tag.
        var start: Int
        /// Offset just after the start tag's `>`.
        var startTagEnd: Int
        /// Offset of `</` of the end tag (`startTagEnd` when self-closing).
        var endTagStart: Int
        /// Offset just after the end tag's `>`.
        var end: Int
        var isSelfClosing: Bool
        var children: [Element]

        var contentRange: Range<Int> { startTagEnd..<endTagStart }

        func child(_ name: String) -> Element? { children.first { $0.name == name } }

        /// The content with entities resolved and surrounding whitespace removed.
        func text(_ bytes: [UInt8]) -> String {
            let raw = String(decoding: bytes[contentRange], as: UTF8.self)
            return XMLSpans.decodeEntities(raw).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    static func parse(_ bytes: [UInt8]) throws(MetadataPatchError) -> Element {
        var stack: [Element] = []
        var root: Element?
        var i = 0
        let n = bytes.count
        func matches(_ pattern: StaticString, at j: Int) -> Bool {
            let count = pattern.utf8CodeUnitCount
            guard j + count <= n else { return false }
            return pattern.withUTF8Buffer { p in
                for k in 0..<count where bytes[j + k] != p[k] { return false }
                return true
            }
        }
        func find(_ pattern: StaticString, from start: Int) -> Int? {
            var j = start
            while j < n {
                if matches(pattern, at: j) { return j }
                j += 1
            }
            return nil
        }
        func line(_ offset: Int) -> Int { bytes[0..<min(offset, n)].filter { $0 == 0x0A }.count + 1 }
        while i < n {
            guard bytes[i] == UInt8(ascii: "<") else {
                i += 1
                continue
            }
            if matches("<!--", at: i) {
                guard let close = find("-->", from: i + 4) else {
                    throw MetadataPatchError("line \(line(i)): a comment is not closed")
                }
                i = close + 3
            } else if matches("<![CDATA[", at: i) {
                guard let close = find("]]>", from: i + 9) else {
                    throw MetadataPatchError("line \(line(i)): a CDATA section is not closed")
                }
                i = close + 3
            } else if matches("<?", at: i) {
                guard let close = find("?>", from: i + 2) else {
                    throw MetadataPatchError("line \(line(i)): a processing instruction is not closed")
                }
                i = close + 2
            } else if matches("<!", at: i) {
                guard let close = bytes[i...].firstIndex(of: UInt8(ascii: ">")) else {
                    throw MetadataPatchError("line \(line(i)): a declaration is not closed")
                }
                i = close + 1
            } else if i + 1 < n && bytes[i + 1] == UInt8(ascii: "/") {
                guard let close = bytes[i...].firstIndex(of: UInt8(ascii: ">")) else {
                    throw MetadataPatchError("line \(line(i)): an end tag is not closed")
                }
                let name = tagName(bytes, from: i + 2)
                guard var element = stack.popLast(), element.qualifiedName == name else {
                    throw MetadataPatchError("line \(line(i)): end tag </\(name)> does not match")
                }
                element.endTagStart = i
                element.end = close + 1
                if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
                i = close + 1
            } else {
                // A start tag; `>` inside quoted attribute values does not end it.
                var j = i + 1
                var quote: UInt8?
                while j < n {
                    let c = bytes[j]
                    if let q = quote {
                        if c == q { quote = nil }
                    } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                        quote = c
                    } else if c == UInt8(ascii: ">") {
                        break
                    }
                    j += 1
                }
                guard j < n else { throw MetadataPatchError("line \(line(i)): a start tag is not closed") }
                let qualified = tagName(bytes, from: i + 1)
                let local = qualified.split(separator: ":").last.map(String.init) ?? qualified
                let selfClosing = bytes[j - 1] == UInt8(ascii: "/")
                let element = Element(
                    name: local, qualifiedName: qualified, start: i, startTagEnd: j + 1,
                    endTagStart: j + 1, end: j + 1, isSelfClosing: selfClosing, children: [])
                if selfClosing {
                    if stack.isEmpty {
                        root = element
                    } else {
                        stack[stack.count - 1].children.append(element)
                    }
                } else {
                    stack.append(element)
                }
                i = j + 1
            }
        }
        guard stack.isEmpty else {
            throw MetadataPatchError(
                "element <\(stack.last!.qualifiedName)> is not closed; the file looks truncated")
        }
        guard let root else { throw MetadataPatchError("the file holds no XML element") }
        return root
    }

    static func tagName(_ bytes: [UInt8], from start: Int) -> String {
        var j = start
        while j < bytes.count {
            let c = bytes[j]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == UInt8(ascii: ">")
                || c == UInt8(ascii: "/")
            {
                break
            }
            j += 1
        }
        return String(decoding: bytes[start..<j], as: UTF8.self)
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                if entity.hasPrefix("#x"), let v = UInt32(entity.dropFirst(2), radix: 16),
                    let s = Unicode.Scalar(v)
                {
                    result.unicodeScalars.append(s)
                } else if entity.hasPrefix("#"), let v = UInt32(entity.dropFirst()), let s = Unicode.Scalar(v)
                {
                    result.unicodeScalars.append(s)
                } else {
                    result += rest[amp...semi]
                }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return result + rest
    }
}
