import Crypto
import Foundation
import SwiftASN1
import X509

/// The certificate authority that signs the server's TLS certificate (`rest-api.md` §5.1).
///
/// Generated at first start as a self-signed P-256 ECDSA certificate, valid ten years, written as PEM to the
/// path clients are told to trust (`REQUESTS_CA_BUNDLE`, `SSL_CERT_FILE`); its private key is written beside
/// it (`ca.pem` → `ca-key.pem`, mode 0600). Later starts reuse both, so clients keep trusting it.
public struct LocalCertificateAuthority: Sendable {
    /// The CA certificate (self-signed, `basicConstraints CA:TRUE`).
    public let certificate: Certificate
    let privateKey: Certificate.PrivateKey
    /// Where the CA certificate (PEM) is.
    public let certificatePath: String
    /// Where the CA private key (PEM, PKCS#8) is.
    public let privateKeyPath: String
    /// True when this call generated the CA; false when it reused the files on disk.
    public let wasCreated: Bool

    /// How long a generated CA is valid.
    public static let lifetime: TimeInterval = 10 * 365 * 86_400

    /// The key file that belongs to the CA certificate at `certificatePath`: `ca.pem` → `ca-key.pem`,
    /// `keyhole-ca.crt` → `keyhole-ca-key.pem`, in the same directory.
    public static func privateKeyPath(forCertificateAt certificatePath: String) -> String {
        let url = URL(fileURLWithPath: certificatePath)
        let stem = url.deletingPathExtension().lastPathComponent
        return url.deletingLastPathComponent().appendingPathComponent(stem + "-key.pem").path
    }

    /// Loads the CA at `certificatePath` and its key beside it, or creates both when neither exists.
    ///
    /// A key without its certificate (a start interrupted between the two writes) gets a new certificate
    /// for that key. A certificate without its key, a key that does not match, a certificate that is not
    /// a CA or is not valid at `now` is an error: the fix is to delete both files and let the next start
    /// generate a new CA, then make clients trust the new certificate.
    public static func loadOrCreate(certificatePath: String, now: Date = Date()) throws(ListenerError) -> Self
    {
        let keyPath = privateKeyPath(forCertificateAt: certificatePath)
        let files = FileManager.default
        let hasCertificate = files.fileExists(atPath: certificatePath)
        let hasKey = files.fileExists(atPath: keyPath)
        if hasCertificate {
            guard hasKey else {
                throw ListenerError(
                    .missingKey,
                    "\(certificatePath): the CA private key \(keyPath) is missing, so no server certificate can "
                        + "be signed; delete \(certificatePath) to generate a new CA (clients must then trust "
                        + "the new certificate)")
            }
            return try load(certificatePath: certificatePath, keyPath: keyPath, now: now)
        }
        let key: Certificate.PrivateKey
        if hasKey {
            key = try readPrivateKey(keyPath, certificatePath: certificatePath)
        } else {
            key = Certificate.PrivateKey(P256.Signing.PrivateKey())
            try write(pem: try pemString(key, path: keyPath), to: keyPath, permissions: 0o600)
        }
        let certificate = try makeCertificate(key: key, now: now)
        try write(
            pem: try pemString(certificate, path: certificatePath), to: certificatePath, permissions: 0o644)
        return Self(
            certificate: certificate, privateKey: key, certificatePath: certificatePath,
            privateKeyPath: keyPath, wasCreated: true)
    }

    /// The CA certificate as PEM, as written to `certificatePath`.
    public var certificatePEM: String {
        (try? certificate.serializeAsPEM().pemString) ?? ""
    }

    // MARK: Loading

    private static func load(certificatePath: String, keyPath: String, now: Date) throws(ListenerError)
        -> Self
    {
        let certificate: Certificate
        do {
            certificate = try Certificate(
                pemEncoded: String(contentsOfFile: certificatePath, encoding: .utf8))
        } catch {
            throw ListenerError(
                .unreadable,
                "\(certificatePath): not a PEM certificate (\(error)); delete it and \(keyPath) to generate a new CA"
            )
        }
        let key = try readPrivateKey(keyPath, certificatePath: certificatePath)
        guard key.publicKey == certificate.publicKey else {
            throw ListenerError(
                .keyMismatch,
                "\(keyPath): this private key does not belong to the CA certificate \(certificatePath); restore "
                    + "the matching key, or delete both files to generate a new CA")
        }
        guard case .isCertificateAuthority = (try? certificate.extensions.basicConstraints) ?? nil else {
            throw ListenerError(
                .notAuthority,
                "\(certificatePath): the certificate has no basicConstraints CA:TRUE, so clients would reject the "
                    + "server certificate it signs; delete it and \(keyPath) to generate a new CA")
        }
        guard certificate.notValidBefore <= now, now < certificate.notValidAfter else {
            throw ListenerError(
                .expired,
                "\(certificatePath): the CA is valid from \(certificate.notValidBefore) to "
                    + "\(certificate.notValidAfter), not now; delete it and \(keyPath) to generate a new CA, then "
                    + "make clients trust the new certificate")
        }
        return Self(
            certificate: certificate, privateKey: key, certificatePath: certificatePath,
            privateKeyPath: keyPath,
            wasCreated: false)
    }

    private static func readPrivateKey(_ keyPath: String, certificatePath: String) throws(ListenerError)
        -> Certificate.PrivateKey
    {
        do {
            return try Certificate.PrivateKey(pemEncoded: String(contentsOfFile: keyPath, encoding: .utf8))
        } catch {
            throw ListenerError(
                .unreadable,
                "\(keyPath): not a PEM private key (\(error)); delete it and \(certificatePath) to generate a new CA"
            )
        }
    }

    // MARK: Creating

    private static func makeCertificate(key: Certificate.PrivateKey, now: Date) throws(ListenerError)
        -> Certificate
    {
        let keyIdentifier = SubjectKeyIdentifier(hash: key.publicKey)
        let label = keyIdentifier.keyIdentifier.prefix(4).map { String(format: "%02X", $0) }.joined()
        do {
            let name = try DistinguishedName {
                OrganizationName("Keyhole")
                CommonName("Keyhole Local CA \(label)")
            }
            return try Certificate(
                version: .v3,
                serialNumber: randomSerialNumber(),
                publicKey: key.publicKey,
                notValidBefore: now.addingTimeInterval(-86_400),
                notValidAfter: now.addingTimeInterval(lifetime),
                issuer: name,
                subject: name,
                signatureAlgorithm: signatureAlgorithm(for: key),
                extensions: Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    keyIdentifier
                    AuthorityKeyIdentifier(keyIdentifier: keyIdentifier.keyIdentifier)
                },
                issuerPrivateKey: key)
        } catch {
            throw ListenerError(.unwritable, "could not create the CA certificate: \(error)")
        }
    }

    /// SHA-256 signatures for every key type a CA may have (P-256 → ECDSA-SHA256, RSA → SHA256-RSA).
    static func signatureAlgorithm(for key: Certificate.PrivateKey) -> Certificate.SignatureAlgorithm {
        let supported = key.supportedSignatureAlgorithms
        if supported.contains(.ecdsaWithSHA256) { return .ecdsaWithSHA256 }
        if supported.contains(.sha256WithRSAEncryption) { return .sha256WithRSAEncryption }
        return supported.first ?? .ecdsaWithSHA256
    }

    /// A positive serial number of 16 random bytes (RFC 5280 allows at most 20 octets).
    static func randomSerialNumber() -> Certificate.SerialNumber {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        bytes[0] = (bytes[0] & 0x7F) | 0x01
        return Certificate.SerialNumber(bytes: bytes)
    }

    private static func pemString(_ key: Certificate.PrivateKey, path: String) throws(ListenerError) -> String
    {
        do { return try key.serializeAsPEM().pemString } catch {
            throw ListenerError(.unwritable, "\(path): could not encode the CA private key: \(error)")
        }
    }

    private static func pemString(_ certificate: Certificate, path: String) throws(ListenerError) -> String {
        do { return try certificate.serializeAsPEM().pemString } catch {
            throw ListenerError(.unwritable, "\(path): could not encode the CA certificate: \(error)")
        }
    }

    /// Writes `pem` to a temporary file created with `permissions` (never readable by others, even
    /// briefly, for the key), then renames it over `path`, so a crash never leaves a half-written file.
    private static func write(pem: String, to path: String, permissions: mode_t) throws(ListenerError) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ListenerError(.unwritable, "\(path): cannot create the directory \(directory): \(error)")
        }
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, permissions)
        guard descriptor >= 0 else {
            throw ListenerError(
                .unwritable, "\(path): cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        fchmod(descriptor, permissions)
        let bytes = Array(pem.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress! + written, bytes.count - written)
            }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                unlink(temporary)
                throw ListenerError(.unwritable, "\(path): cannot write \(temporary): \(reason)")
            }
            written += result
        }
        fsync(descriptor)
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ListenerError(.unwritable, "\(path): cannot rename \(temporary) into place: \(reason)")
        }
    }
}
