import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

extension SalesforceAPI {
    /// The Hummingbird application serving this API on `host:port`.
    ///
    /// - Parameter server: how connections are accepted: `.http1()` (plain HTTP) or the listener that
    ///   also terminates TLS and `CONNECT` tunnels (`.keyholeListener(identity:)`, `rest-api.md` §5.1).
    public func application(
        host: String, port: Int, server: HTTPServerBuilder = .http1(), logLevel: Logger.Level = .warning,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> Application<SalesforceAPI> {
        var logger = Logger(label: "keyhole.serve")
        logger.logLevel = logLevel
        return Application(
            responder: self, server: server,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: onServerRunning, logger: logger)
    }
}
