import Crypto
import Foundation
import SwiftASN1
import Testing
import X509

@testable import APIServer

/// The local CA and the server certificate it signs (`rest-api.md` §5.1).
@Suite struct ListenerCertificateTests {
    @Test("the CA key lives beside the certificate: ca.pem → ca-key.pem")
    func keyPath() {
        #expect(LocalCertificateAuthority.privateKeyPath(forCertificateAt: "/x/ca.pem") == "/x/ca-key.pem")
        #expect(
            LocalCertificateAuthority.privateKeyPath(forCertificateAt: "/x/.keyhole/keyhole-ca.crt")
                == "/x/.keyhole/keyhole-ca-key.pem")
        #expect(LocalCertificateAuthority.privateKeyPath(forCertificateAt: "/x/ca") == "/x/ca-key.pem")
    }

    @Test("first start generates a self-signed P-256 CA, key mode 0600, in a directory it creates")
    func generates() throws {
        let directory = try ListenerTestDirectory()
        let path = directory.path("nested/dir/ca.pem")
        let now = Date()
        let authority = try LocalCertificateAuthority.loadOrCreate(certificatePath: path, now: now)
        #expect(authority.wasCreated)
        #expect(authority.privateKeyPath == directory.path("nested/dir/ca-key.pem"))

        let certificate = try Certificate(pemEncoded: String(contentsOfFile: path, encoding: .utf8))
        #expect(certificate == authority.certificate)
        #expect(authority.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(certificate.issuer == certificate.subject)
        #expect(certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
        #expect(P256.Signing.PublicKey(certificate.publicKey) != nil)
        #expect(certificate.signatureAlgorithm == .ecdsaWithSHA256)
        #expect(certificate.serialNumber.bytes.count <= 20)
        #expect(certificate.notValidBefore <= now && now < certificate.notValidAfter)
        #expect(certificate.notValidAfter.timeIntervalSince(now) > 9 * 365 * 86_400)

        let extensions = certificate.extensions
        #expect(try extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(extensions[oid: .X509ExtensionID.basicConstraints]?.critical == true)
        #expect(try extensions.keyUsage == KeyUsage(keyCertSign: true, cRLSign: true))
        #expect(extensions[oid: .X509ExtensionID.keyUsage]?.critical == true)
        #expect(try extensions.subjectKeyIdentifier == SubjectKeyIdentifier(hash: certificate.publicKey))

        let key = try Certificate.PrivateKey(
            pemEncoded: String(contentsOfFile: authority.privateKeyPath, encoding: .utf8))
        #expect(key.publicKey == certificate.publicKey)
        let mode =
            try FileManager.default.attributesOfItem(atPath: authority.privateKeyPath)[.posixPermissions]
            as? Int
        #expect(mode == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path("nested/dir"))
            .sorted()
        #expect(leftovers == ["ca-key.pem", "ca.pem"])
    }

    @Test("later starts reuse the CA and its key, so clients keep trusting it")
    func reuses() throws {
        let directory = try ListenerTestDirectory()
        let path = directory.path("ca.pem")
        let first = try LocalCertificateAuthority.loadOrCreate(certificatePath: path)
        let pem = try String(contentsOfFile: path, encoding: .utf8)
        let second = try LocalCertificateAuthority.loadOrCreate(certificatePath: path)
        #expect(!second.wasCreated)
        #expect(second.certificate == first.certificate)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == pem)
        // A server certificate issued after the restart chains to the CA clients already trust.
        let identity = try ServerIdentity(authority: second)
        #expect(
            first.certificate.publicKey.isValidSignature(
                identity.certificate.signature, for: identity.certificate))
    }

    @Test("a key left without its certificate gets a new certificate for the same key")
    func keyWithoutCertificate() throws {
        let directory = try ListenerTestDirectory()
        let path = directory.path("ca.pem")
        let first = try LocalCertificateAuthority.loadOrCreate(certificatePath: path)
        try FileManager.default.removeItem(atPath: path)
        let second = try LocalCertificateAuthority.loadOrCreate(certificatePath: path)
        #expect(second.wasCreated)
        #expect(second.certificate.publicKey == first.certificate.publicKey)
    }

    @Test("unusable CA files are errors that name the file and the fix")
    func unusableFiles() throws {
        let directory = try ListenerTestDirectory()
        let path = directory.path("ca.pem")
        let keyPath = directory.path("ca-key.pem")
        let authority = try LocalCertificateAuthority.loadOrCreate(certificatePath: path)

        let otherPath = directory.path("other.pem")
        _ = try LocalCertificateAuthority.loadOrCreate(certificatePath: otherPath)
        let originalKey = try Data(contentsOf: URL(fileURLWithPath: keyPath))
        try FileManager.default.removeItem(atPath: keyPath)
        try FileManager.default.copyItem(atPath: directory.path("other-key.pem"), toPath: keyPath)
        let mismatch = #expect(throws: ListenerError.self) {
            try LocalCertificateAuthority.loadOrCreate(certificatePath: path)
        }
        #expect(mismatch?.code == .keyMismatch)
        #expect(mismatch?.message.contains(keyPath) == true)
        #expect(mismatch?.message.contains("delete both files") == true)

        try FileManager.default.removeItem(atPath: keyPath)
        let missing = #expect(throws: ListenerError.self) {
            try LocalCertificateAuthority.loadOrCreate(certificatePath: path)
        }
        #expect(missing?.code == .missingKey)
        #expect(missing?.message.contains(keyPath) == true)

        try originalKey.write(to: URL(fileURLWithPath: keyPath))
        let later = authority.certificate.notValidAfter.addingTimeInterval(60)
        let expired = #expect(throws: ListenerError.self) {
            try LocalCertificateAuthority.loadOrCreate(certificatePath: path, now: later)
        }
        #expect(expired?.code == .expired)
        #expect(expired?.message.contains(path) == true)

        try "not a certificate".write(toFile: path, atomically: true, encoding: .utf8)
        let unreadable = #expect(throws: ListenerError.self) {
            try LocalCertificateAuthority.loadOrCreate(certificatePath: path)
        }
        #expect(unreadable?.code == .unreadable)
        #expect(unreadable?.message.hasPrefix(path) == true)
    }

    @Test("a certificate without CA:TRUE is refused as the CA")
    func notAuthority() throws {
        let directory = try ListenerTestDirectory()
        let authority = try LocalCertificateAuthority.loadOrCreate(certificatePath: directory.path("ca.pem"))
        // Put a server certificate and its own key where the CA belongs.
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("leaf") }
        let leaf = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey), notValidBefore: Date() - 60,
            notValidAfter: Date() + 3600, issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions { Critical(BasicConstraints.notCertificateAuthority) },
            issuerPrivateKey: .init(key))
        try leaf.serializeAsPEM().pemString.write(
            toFile: authority.certificatePath, atomically: true, encoding: .utf8)
        try key.pemRepresentation.write(toFile: authority.privateKeyPath, atomically: true, encoding: .utf8)
        let error = #expect(throws: ListenerError.self) {
            try LocalCertificateAuthority.loadOrCreate(certificatePath: authority.certificatePath)
        }
        #expect(error?.code == .notAuthority)
    }

    @Test("the server certificate names every Salesforce host, localhost and 127.0.0.1, for serverAuth only")
    func serverCertificate() throws {
        let directory = try ListenerTestDirectory()
        let now = Date()
        let authority = try LocalCertificateAuthority.loadOrCreate(certificatePath: directory.path("ca.pem"))
        let identity = try ServerIdentity(authority: authority, now: now)
        let leaf = identity.certificate
        #expect(identity.authority == authority.certificate)
        #expect(leaf.issuer == authority.certificate.subject)
        #expect(leaf.subject != leaf.issuer)
        #expect(authority.certificate.publicKey.isValidSignature(leaf.signature, for: leaf))
        #expect(leaf.serialNumber.bytes.count <= 20)

        let names = try #require(try leaf.extensions.subjectAlternativeNames)
        #expect(
            Array(names) == [
                .dnsName("login.salesforce.com"), .dnsName("test.salesforce.com"),
                .dnsName("*.my.salesforce.com"),
                .dnsName("*.salesforce.com"), .dnsName("localhost"),
                .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
            ])
        #expect(try leaf.extensions.basicConstraints == .notCertificateAuthority)
        #expect(leaf.extensions[oid: .X509ExtensionID.basicConstraints]?.critical == true)
        #expect(try leaf.extensions.keyUsage == KeyUsage(digitalSignature: true))
        #expect(leaf.extensions[oid: .X509ExtensionID.keyUsage]?.critical == true)
        #expect(try leaf.extensions.extendedKeyUsage == ExtendedKeyUsage([.serverAuth]))
        #expect(try leaf.extensions.subjectKeyIdentifier == SubjectKeyIdentifier(hash: leaf.publicKey))
        #expect(
            try leaf.extensions.authorityKeyIdentifier?.keyIdentifier
                == authority.certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
        #expect(leaf.notValidBefore <= now && now < leaf.notValidAfter)
        #expect(leaf.notValidAfter.timeIntervalSince(leaf.notValidBefore) <= 398 * 86_400)
        #expect(leaf.notValidAfter <= authority.certificate.notValidAfter)
    }

    @Test("the chain verifies under RFC 5280 for each Salesforce host and 127.0.0.1, and not for other hosts")
    func chainVerifies() async throws {
        let directory = try ListenerTestDirectory()
        let authority = try LocalCertificateAuthority.loadOrCreate(certificatePath: directory.path("ca.pem"))
        let leaf = try ServerIdentity(authority: authority).certificate
        func verify(host: String?, ip: String?) async -> Bool {
            var verifier = Verifier(rootCertificates: CertificateStore([authority.certificate])) {
                RFC5280Policy()
                ServerIdentityPolicy(serverHostname: host, serverIP: ip)
            }
            if case .validCertificate = await verifier.validate(leaf: leaf, intermediates: CertificateStore())
            {
                return true
            }
            return false
        }
        for host in [
            "login.salesforce.com", "test.salesforce.com", "acme.my.salesforce.com",
            "acme--dev.my.salesforce.com",
            "na1.salesforce.com", "localhost",
        ] {
            #expect(await verify(host: host, ip: nil), "\(host)")
        }
        #expect(await verify(host: nil, ip: "127.0.0.1"))
        #expect(!(await verify(host: "example.com", ip: nil)))
        #expect(!(await verify(host: "a.b.my.salesforce.com", ip: nil)))
        #expect(!(await verify(host: nil, ip: "10.0.0.1")))
    }

    @Test(
        "openssl verify -x509_strict accepts the chain for serverAuth and the Salesforce host names",
        .enabled(if: ListenerTool.openssl != nil, "openssl is not installed"))
    func opensslVerifies() async throws {
        let directory = try ListenerTestDirectory()
        let authority = try LocalCertificateAuthority.loadOrCreate(certificatePath: directory.path("ca.pem"))
        let leafPath = directory.path("leaf.pem")
        try ServerIdentity(authority: authority).certificate.serializeAsPEM().pemString
            .write(toFile: leafPath, atomically: true, encoding: .utf8)
        for check in [
            ["-verify_hostname", "login.salesforce.com"], ["-verify_hostname", "acme.my.salesforce.com"],
            ["-verify_ip", "127.0.0.1"],
        ] {
            let result = try await ListenerTool.run(
                ListenerTool.openssl!,
                ["verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", authority.certificatePath]
                    + check
                    + [leafPath])
            #expect(result.status == 0, "\(check): \(result.output)")
            #expect(result.stdout.contains("\(leafPath): OK"), "\(result.output)")
        }
        let wrongHost = try await ListenerTool.run(
            ListenerTool.openssl!,
            ["verify", "-CAfile", authority.certificatePath, "-verify_hostname", "example.com", leafPath])
        #expect(wrongHost.status != 0)
    }

    @Test("an address that is not an IP is refused with the fix")
    func badAddress() throws {
        let directory = try ListenerTestDirectory()
        let authority = try LocalCertificateAuthority.loadOrCreate(certificatePath: directory.path("ca.pem"))
        let error = #expect(throws: ListenerError.self) {
            try ServerIdentity(authority: authority, ipAddresses: ["localhost"])
        }
        #expect(error?.code == .serverCertificate)
        #expect(error?.message.contains("'localhost'") == true)
        let v6 = try ServerIdentity(authority: authority, dnsNames: [], ipAddresses: ["::1"])
        #expect(
            Array(try v6.certificate.extensions.subjectAlternativeNames ?? .init()) == [
                .ipAddress(ASN1OctetString(contentBytes: ArraySlice([UInt8](repeating: 0, count: 15) + [1])))
            ])
    }
}
