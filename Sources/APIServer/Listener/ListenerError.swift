/// Why the listener could not prepare its certificates: a stable code and a message naming the file
/// and what would fix it.
public struct ListenerError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// The CA certificate or key exists but is not a PEM certificate / private key we can read.
        case unreadable = "KH-CA-UNREADABLE"
        /// The CA certificate exists but its private key file does not.
        case missingKey = "KH-CA-MISSING-KEY"
        /// The CA key does not belong to the CA certificate.
        case keyMismatch = "KH-CA-KEY-MISMATCH"
        /// The certificate is not a certificate authority (no `basicConstraints CA:TRUE`).
        case notAuthority = "KH-CA-NOT-AUTHORITY"
        /// The CA certificate is not valid now (expired or not yet valid).
        case expired = "KH-CA-EXPIRED"
        /// The CA files could not be written.
        case unwritable = "KH-CA-UNWRITABLE"
        /// The server certificate could not be signed or loaded into TLS.
        case serverCertificate = "KH-TLS-SERVER-CERTIFICATE"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
