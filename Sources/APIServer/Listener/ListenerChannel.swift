import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// Hummingbird child channel for the server's one port: plain HTTP/1.1 (including the absolute-form targets
/// HTTP proxies receive), TLS, and HTTPS-proxy `CONNECT` tunnels, told apart by `ConnectionSniffer`.
///
/// Every route ends in Hummingbird's own HTTP/1 pipeline (`HTTP1Channel`) and the same responder; after the
/// first bytes the pipeline is exactly `HTTP1Channel`'s (behind `NIOSSLServerHandler` for TLS).
public struct ListenerChannel: ServerChildChannel, HTTPChannelHandler {
    public struct Value: ServerChildChannelValue {
        /// Completes once the first bytes have chosen the route and the HTTP/1 pipeline is in place.
        let connection: EventLoopFuture<HTTP1Channel.Value>
        public let channel: any Channel
    }

    /// How long a new connection may stay silent before it is closed.
    public static let defaultSniffTimeout = TimeAmount.seconds(30)

    private let http1: HTTP1Channel
    private let identity: ServerIdentity
    private let sniffTimeout: TimeAmount

    public var responder: Responder { http1.responder }

    public init(
        responder: @escaping Responder,
        identity: ServerIdentity,
        configuration: HTTP1Channel.Configuration = .init(),
        sniffTimeout: TimeAmount = ListenerChannel.defaultSniffTimeout
    ) {
        self.http1 = HTTP1Channel(responder: responder, configuration: configuration)
        self.identity = identity
        self.sniffTimeout = sniffTimeout
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let promise = channel.eventLoop.makePromise(of: HTTP1Channel.Value.self)
        let http1 = self.http1
        let sslContext = identity.sslContext
        let sniffer = ConnectionSniffer(timeout: sniffTimeout, promise: promise) { route, channel in
            if route == .tls {
                do {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
            return http1.setup(channel: channel, logger: logger)
        }
        do {
            try channel.pipeline.syncOperations.addHandler(sniffer)
        } catch {
            promise.fail(error)
            return channel.eventLoop.makeFailedFuture(error)
        }
        return channel.eventLoop.makeSucceededFuture(
            Value(connection: promise.futureResult, channel: channel))
    }

    public func handle(value: Value, logger: Logger) async {
        let connection: HTTP1Channel.Value
        do {
            connection = try await value.connection.get()
        } catch {
            logger.trace("Connection ended before its first request: \(error)")
            return
        }
        await http1.handle(value: connection, logger: logger)
    }
}
