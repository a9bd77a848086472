import HummingbirdCore
import NIOCore

extension HTTPServerBuilder {
    /// The server's one port (`rest-api.md` §5.1): plain HTTP/1.1, TLS presenting `identity`, and HTTPS-proxy
    /// `CONNECT` tunnels (TLS or plain inside), all served by the application's responder.
    ///
    /// ```swift
    /// let authority = try LocalCertificateAuthority.loadOrCreate(certificatePath: caPath)
    /// let app = Application(router: router, server: .keyholeListener(identity: try ServerIdentity(authority: authority)))
    /// ```
    public static func keyholeListener(
        identity: ServerIdentity,
        configuration: HTTP1Channel.Configuration = .init(),
        sniffTimeout: TimeAmount = ListenerChannel.defaultSniffTimeout
    ) -> HTTPServerBuilder {
        .init { responder in
            ListenerChannel(
                responder: responder, identity: identity, configuration: configuration,
                sniffTimeout: sniffTimeout)
        }
    }
}
