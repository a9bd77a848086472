/// A problem or remark found while reading input: an error makes the input unusable, a note does not.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable { case error, note }

    public var severity: Severity
    /// Stable code (`KH-XML-MALFORMED`, `KH-YAML-UNKNOWN-PROFILE`, …).
    public var code: String
    /// Path of the file, relative to the project when inside it.
    public var file: String?
    public var line: Int?
    public var message: String

    public init(_ severity: Severity, code: String, file: String? = nil, line: Int? = nil, message: String) {
        self.severity = severity
        self.code = code
        self.file = file
        self.line = line
        self.message = message
    }

    public static func error(_ code: String, file: String? = nil, line: Int? = nil, _ message: String)
        -> Diagnostic
    {
        Diagnostic(.error, code: code, file: file, line: line, message: message)
    }

    public static func note(_ code: String, file: String? = nil, line: Int? = nil, _ message: String)
        -> Diagnostic
    {
        Diagnostic(.note, code: code, file: file, line: line, message: message)
    }

    /// `file:line: error: message`, the form compilers use so editors can jump to it.
    public var description: String {
        var location = ""
        if let file {
            location = file
            if let line { location += ":\(line)" }
            location += ": "
        }
        return "\(location)\(severity.rawValue): \(message)"
    }
}
