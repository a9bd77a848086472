import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// The TLS certificate the listener presents, signed by the local CA, with its key and a ready TLS context.
///
/// Issued fresh at every start (only the CA is kept on disk): P-256 ECDSA, `CA:FALSE`, key usage
/// `digitalSignature`, extended key usage `serverAuth`, subject and authority key identifiers, valid from a
/// day ago for 397 days (never past the CA), so OpenSSL 3 — including `VERIFY_X509_STRICT`, the default of
/// Python 3.13's `ssl.create_default_context()` — accepts the chain.
public struct ServerIdentity: Sendable {
    /// The host names real clients connect to (`rest-api.md` §5.1). `*.salesforce.com` does not cover
    /// `acme.my.salesforce.com`, hence `*.my.salesforce.com`.
    public static let salesforceHostNames = [
        "login.salesforce.com", "test.salesforce.com", "*.my.salesforce.com", "*.salesforce.com", "localhost",
    ]
    /// The addresses a local client connects to directly (`https://127.0.0.1:PORT`).
    public static let loopbackAddresses = ["127.0.0.1"]
    /// How long an issued server certificate is valid (the CA/Browser Forum maximum).
    public static let lifetime: TimeInterval = 397 * 86_400

    /// The server certificate.
    public let certificate: Certificate
    /// The CA certificate that signed it.
    public let authority: Certificate
    /// TLS 1.2+ server context presenting `certificate`, offering ALPN `http/1.1`.
    let sslContext: NIOSSLContext

    /// Issues a server certificate for `dnsNames` and `ipAddresses` signed by `authority`.
    public init(
        authority: LocalCertificateAuthority,
        dnsNames: [String] = ServerIdentity.salesforceHostNames,
        ipAddresses: [String] = ServerIdentity.loopbackAddresses,
        now: Date = Date()
    ) throws(ListenerError) {
        var names = dnsNames.map { GeneralName.dnsName($0) }
        for address in ipAddresses {
            guard let bytes = Self.addressBytes(address) else {
                throw ListenerError(
                    .serverCertificate,
                    "'\(address)' is not an IPv4 or IPv6 address; give it as a DNS name instead")
            }
            names.append(.ipAddress(ASN1OctetString(contentBytes: bytes[...])))
        }
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let issuer = authority.certificate
        let authorityKeyIdentifier =
            ((try? issuer.extensions.subjectKeyIdentifier) ?? nil)?.keyIdentifier
        do {
            let subject = try DistinguishedName {
                OrganizationName("Keyhole")
                CommonName("Keyhole local server")
            }
            let certificate = try Certificate(
                version: .v3,
                serialNumber: LocalCertificateAuthority.randomSerialNumber(),
                publicKey: publicKey,
                notValidBefore: max(now.addingTimeInterval(-86_400), issuer.notValidBefore),
                notValidAfter: min(now.addingTimeInterval(Self.lifetime), issuer.notValidAfter),
                issuer: issuer.subject,
                subject: subject,
                signatureAlgorithm: LocalCertificateAuthority.signatureAlgorithm(for: authority.privateKey),
                extensions: Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([.serverAuth])
                    SubjectAlternativeNames(names)
                    SubjectKeyIdentifier(hash: publicKey)
                    if let authorityKeyIdentifier {
                        AuthorityKeyIdentifier(keyIdentifier: authorityKeyIdentifier)
                    }
                },
                issuerPrivateKey: authority.privateKey)
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: [
                    .certificate(try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der))
                ],
                privateKey: .privateKey(
                    try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem)))
            configuration.minimumTLSVersion = .tlsv12
            configuration.applicationProtocols = ["http/1.1"]
            self.sslContext = try NIOSSLContext(configuration: configuration)
            self.certificate = certificate
            self.authority = issuer
        } catch {
            throw ListenerError(.serverCertificate, "could not issue the server certificate: \(error)")
        }
    }

    /// The 4 or 16 network-order bytes of a textual IPv4 or IPv6 address.
    static func addressBytes(_ address: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, address, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
