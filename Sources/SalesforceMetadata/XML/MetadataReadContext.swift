import AccessModel
import Foundation

/// What reading one metadata file finds besides the value itself: problems, elements that were read but
/// not modelled, which top-level elements were present (so partial deploy files merge correctly,
/// `TRAP-20`), and the line of every permission entry.
public struct MetadataReadContext: Sendable {
    /// The file, relative to the project root, used in diagnostics.
    public var file: String
    public var diagnostics: [Diagnostic] = []
    /// Element name (or `parent/child` for nested ones) → count.
    public var ignoredElements: [String: Int] = [:]
    /// Top-level elements of the component that were present.
    public var present: Set<String> = []
    /// Line of each permission entry by key (the first one when a file repeats a key).
    public var entryLines: [SourceMap.Entry: [String: Int]] = [:]

    public init(file: String) {
        self.file = file
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    mutating func ignore(_ name: String) { ignoredElements[name, default: 0] += 1 }

    mutating func note(_ code: String, line: Int?, _ message: String) {
        diagnostics.append(.note(code, file: file, line: line, message))
    }

    mutating func error(_ code: String, line: Int?, _ message: String) {
        diagnostics.append(.error(code, file: file, line: line, message))
    }

    /// A boolean, case-insensitively (`True`, `TRAP-09`). A value that is not a boolean is an error and
    /// reads as false.
    mutating func bool(_ node: XMLElementNode) -> Bool {
        switch node.trimmedText.lowercased() {
        case "true", "1": return true
        case "false", "0", "": return false
        default:
            error(
                "KH-META-INVALID-VALUE", line: node.line,
                "<\(node.name)> is '\(node.trimmedText)', not a boolean; write true or false")
            return false
        }
    }

    /// A whole number, or nil (with a note) when the text is not one.
    mutating func int(_ node: XMLElementNode) -> Int? {
        let text = node.trimmedText
        if text.isEmpty { return nil }
        if let value = Int(text) { return value }
        if let value = Double(text), value.rounded() == value, abs(value) < 1e15 { return Int(value) }
        note(
            "KH-META-INVALID-VALUE", line: node.line,
            "<\(node.name)> is '\(text)', not a whole number; ignored")
        return nil
    }

    /// A name or code value: trimmed, nil when empty.
    func name(_ node: XMLElementNode) -> String? {
        let text = node.trimmedText
        return text.isEmpty ? nil : text
    }

    /// Free text (labels, descriptions, formulas) as written, nil when empty.
    func text(_ node: XMLElementNode) -> String? {
        node.text.isEmpty ? nil : node.text
    }

    /// An access level (`Read`, `Edit`, …); an unknown one is an error.
    mutating func accessLevel(_ node: XMLElementNode) -> AccessLevel? {
        if let level = AccessLevel(metadataName: node.trimmedText) { return level }
        error(
            "KH-META-INVALID-VALUE", line: node.line,
            "<\(node.name)> is '\(node.trimmedText)', not an access level; use None, Read, Edit or All")
        return nil
    }
}

/// Parsing a metadata file's bytes into its root element, with the checks every kind shares.
public enum MetadataXML {
    /// Parses `data` and checks that its root is `kind`'s root element. Problems come back as
    /// `KH-XML-MALFORMED` or `KH-XML-UNEXPECTED-ROOT` errors naming `file` and the line.
    public static func root(of data: Data, kind: MetadataKind, file: String) -> Result<
        XMLElementNode, DiagnosticError
    > {
        root(of: data, expecting: [kind.rootElement], kindName: kind.metadataType, file: file)
    }

    static func root(of data: Data, expecting roots: [String], kindName: String, file: String)
        -> Result<XMLElementNode, DiagnosticError>
    {
        switch XMLTreeParser.parse(data) {
        case .failure(let problem):
            return .failure(
                DiagnosticError(
                    .error(
                        "KH-XML-MALFORMED", file: file, line: problem.line,
                        "\(problem.message) — fix the XML or remove the file")))
        case .success(let root):
            guard roots.contains(root.name) else {
                let expected = roots.map { "<\($0)>" }.joined(separator: " or ")
                return .failure(
                    DiagnosticError(
                        .error(
                            "KH-XML-UNEXPECTED-ROOT", file: file, line: root.line,
                            "the root element is <\(root.name)> but a \(kindName) file must have \(expected) — rename the file to match its content or fix the root element"
                        )))
            }
            return .success(root)
        }
    }
}

/// A diagnostic carried as an `Error` (for `Result`).
public struct DiagnosticError: Error, Sendable, Equatable {
    public var diagnostic: Diagnostic
    public init(_ diagnostic: Diagnostic) { self.diagnostic = diagnostic }
}
