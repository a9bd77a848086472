/// Why `keyhole serve` cannot start: a stable code and a message naming the file and the fix.
public struct ServeError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        case certificate = "KH-SERVE-CERTIFICATE"
        case database = "KH-SERVE-DATABASE"
        case bind = "KH-SERVE-BIND"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
