import AccessModel
import ArgumentParser
import Foundation
import SalesforceMetadata

/// The project argument and loading switches every command shares.
struct ProjectOptions: ParsableArguments {
    @Argument(help: "The project folder (SFDX project, Metadata API folder, or any folder of metadata).")
    var project: String

    @Flag(help: "Read every metadata file below the folder, whatever sfdx-project.json or package.xml say.")
    var scan = false

    /// Loads the project and prints its diagnostics to stderr. Throws exit code 1 when it has errors
    /// and `requireClean` is set.
    func load(requireClean: Bool = true) throws -> Project {
        let project = Project.load(path: project, forceScan: scan)
        if requireClean && !project.errors.isEmpty {
            Console.printDiagnostics(project.errors)
            Console.error("\(project.errors.count) error(s) in \(project.path); nothing was evaluated.")
            throw ExitCode(1)
        }
        return project
    }
}

/// `--format` values; each command says which it accepts.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv, md, html, sarif
}

/// Writing to the terminal: results to stdout, diagnostics to stderr, colour only on a TTY.
enum Console {
    static let isTerminal = isatty(STDOUT_FILENO) != 0
    static let errorIsTerminal = isatty(STDERR_FILENO) != 0

    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func printDiagnostics(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics { error(colour(diagnostic)) }
    }

    static func colour(_ diagnostic: Diagnostic) -> String {
        guard errorIsTerminal else { return diagnostic.description }
        let code = diagnostic.severity == .error ? "\u{1B}[31m" : "\u{1B}[36m"
        return diagnostic.description.replacingOccurrences(
            of: "\(diagnostic.severity.rawValue):", with: "\(code)\(diagnostic.severity.rawValue):\u{1B}[0m")
    }

    /// Pretty JSON with sorted keys: stable output for scripts and golden files.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// A diagnostic as JSON (`file`, `line`, `code`, `message`).
struct DiagnosticJSON: Encodable {
    var code: String
    var file: String?
    var line: Int?
    var message: String

    init(_ diagnostic: Diagnostic) {
        code = diagnostic.code
        file = diagnostic.file
        line = diagnostic.line
        message = diagnostic.message
    }
}
