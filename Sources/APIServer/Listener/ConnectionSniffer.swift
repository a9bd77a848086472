import NIOCore

/// Decides from the first bytes of a connection how it is served (`rest-api.md` §5.1), then steps aside.
///
/// - `0x16` (a TLS handshake record): TLS, then HTTP/1.1 inside.
/// - `CONNECT host:port HTTP/1.x`: answers `200 Connection Established` and sniffs the tunnel's first bytes
///   the same way (TLS or plain HTTP; no second `CONNECT`).
/// - anything else: plain HTTP/1.1, origin-form or absolute-form request targets alike.
///
/// Once decided, `install` appends the handlers for the route behind the sniffer; the sniffer hands them the
/// bytes it has buffered and removes itself, so the rest of the connection runs through exactly those
/// handlers. Only the first request of a connection can be a `CONNECT`; connections that send nothing
/// within `timeout` are closed.
final class ConnectionSniffer<Value: Sendable>: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Route: Equatable, Sendable {
        case http
        case tls
    }

    /// Why a connection ended before it reached HTTP.
    enum Failure: Error, Equatable {
        case closedBeforeRequest
        case malformedConnect
    }

    /// Appends the handlers for a route to the channel; the future completes once they are in place.
    typealias Install = (Route, any Channel) -> EventLoopFuture<Value>

    /// The longest `CONNECT` request head accepted.
    static var maximumConnectHeadLength: Int { 16 * 1024 }

    private enum State {
        case sniffing(tunnelled: Bool)
        case installing
        case done
    }

    private let install: Install
    private let promise: EventLoopPromise<Value>
    private let timeout: TimeAmount
    private var state = State.sniffing(tunnelled: false)
    private var buffered: ByteBuffer?
    private var timeoutTask: Scheduled<Void>?

    /// - Parameters:
    ///   - promise: completed with what `install` returns, or failed when the connection ends first.
    init(timeout: TimeAmount, promise: EventLoopPromise<Value>, install: @escaping Install) {
        self.timeout = timeout
        self.promise = promise
        self.install = install
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        timeoutTask = context.eventLoop.scheduleTask(in: timeout) {
            channel.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timeoutTask?.cancel()
        if case .done = state { return }
        state = .done
        promise.fail(Failure.closedBeforeRequest)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffered == nil {
            buffered = incoming
        } else {
            buffered!.writeBuffer(&incoming)
        }
        if case .sniffing = state {
            sniff(context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(Failure.closedBeforeRequest, context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case .done = state {
            context.fireErrorCaught(error)
        } else {
            fail(error, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .sniffing = state {
            // Shutting down, or the client half-closed without sending a request: nothing to serve.
            if event is ChannelShouldQuiesceEvent || (event as? ChannelEvent) == .inputClosed {
                fail(Failure.closedBeforeRequest, context: context)
                return
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: Sniffing

    private static var connectPrefix: [UInt8] { Array("CONNECT ".utf8) }

    private func sniff(context: ChannelHandlerContext) {
        while case .sniffing(let tunnelled) = state, let buffer = buffered,
            let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self)
        {
            if first == 0x16 {
                decide(.tls, context: context)
                return
            }
            let prefix = Self.connectPrefix
            let available = min(buffer.readableBytes, prefix.count)
            guard !tunnelled,
                buffer.getBytes(at: buffer.readerIndex, length: available)! == Array(prefix[..<available])
            else {
                decide(.http, context: context)
                return
            }
            guard let headLength = Self.headLength(buffer) else {
                if buffer.readableBytes > Self.maximumConnectHeadLength {
                    reject(context: context)
                }
                return  // wait for the rest of the head
            }
            guard Self.isValidConnect(buffer.getString(at: buffer.readerIndex, length: headLength) ?? "")
            else {
                reject(context: context)
                return
            }
            buffered!.moveReaderIndex(forwardBy: headLength)
            if buffered!.readableBytes == 0 { buffered = nil }
            state = .sniffing(tunnelled: true)
            let reply = context.channel.allocator.buffer(
                string: "HTTP/1.1 200 Connection Established\r\n\r\n")
            context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
        }
    }

    /// The length of the request head up to and including the blank line, if it has arrived.
    private static func headLength(_ buffer: ByteBuffer) -> Int? {
        buffer.withUnsafeReadableBytes { bytes in
            guard bytes.count >= 4 else { return nil }
            for index in 3..<bytes.count
            where bytes[index] == 0x0A && bytes[index - 1] == 0x0D && bytes[index - 2] == 0x0A
                && bytes[index - 3] == 0x0D
            {
                return index + 1
            }
            return nil
        }
    }

    /// `CONNECT authority HTTP/1.x` on the first line.
    static func isValidConnect(_ head: String) -> Bool {
        let requestLine =
            head.split(separator: "\r\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "CONNECT" && !parts[1].isEmpty && parts[2].hasPrefix("HTTP/1.")
    }

    // MARK: Deciding

    private func decide(_ route: Route, context: ChannelHandlerContext) {
        state = .installing
        timeoutTask?.cancel()
        let installed = install(route, context.channel)
        installed.hop(to: context.eventLoop).assumeIsolated().whenComplete { result in
            // The connection may have closed or failed while the handlers were being installed.
            guard case .installing = self.state else { return }
            switch result {
            case .success(let value):
                self.state = .done
                self.promise.succeed(value)
                if let bytes = self.buffered {
                    self.buffered = nil
                    context.fireChannelRead(self.wrapInboundOut(bytes))
                    context.fireChannelReadComplete()
                }
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            case .failure(let error):
                self.fail(error, context: context)
            }
        }
    }

    private func reject(context: ChannelHandlerContext) {
        let reply = context.channel.allocator.buffer(
            string: "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
        fail(Failure.malformedConnect, context: context)
    }

    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        if case .done = state { return }
        state = .done
        timeoutTask?.cancel()
        buffered = nil
        promise.fail(error)
        context.close(promise: nil)
    }
}
