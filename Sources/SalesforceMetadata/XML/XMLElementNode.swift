/// One element of a parsed XML document: its name (namespace prefix removed), attributes, direct text
/// (kept only for leaf elements), children in document order, and the line its start tag begins on.
///
/// Metadata readers walk these by element name, never by position (`TRAP-08`).
public struct XMLElementNode: Equatable, Sendable {
    public var name: String
    public var attributes: [String: String]
    /// The element's text with entities resolved. Empty for elements that have child elements.
    public var text: String
    public var children: [XMLElementNode]
    /// 1-based line of the `<` that opens the element (0 for elements built in memory).
    public var line: Int

    public init(
        _ name: String, attributes: [String: String] = [:], text: String = "",
        children: [XMLElementNode] = [], line: Int = 0
    ) {
        self.name = name
        self.attributes = attributes
        self.text = text
        self.children = children
        self.line = line
    }

    /// A leaf element holding `text`.
    public static func leaf(_ name: String, _ text: String) -> XMLElementNode {
        XMLElementNode(name, text: text)
    }

    /// The first child named `name`.
    public func child(_ name: String) -> XMLElementNode? {
        children.first { $0.name == name }
    }

    /// All children named `name`, in document order.
    public func children(named name: String) -> [XMLElementNode] {
        children.filter { $0.name == name }
    }

    /// The text of the first child named `name`, trimmed of surrounding whitespace.
    public func value(_ name: String) -> String? {
        child(name)?.trimmedText
    }

    /// The text without leading or trailing whitespace and newlines.
    public var trimmedText: String {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return text }
        if !first.properties.isWhitespace && !last.properties.isWhitespace { return text }
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }

    /// True when the element has neither children nor non-whitespace text (`<CustomObject/>`, `TRAP-03`).
    public var isEmpty: Bool { children.isEmpty && trimmedText.isEmpty }
}
