import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import Testing

@testable import APIServer

/// One port serves plain HTTP, TLS and HTTPS-proxy `CONNECT` tunnels (`rest-api.md` §0.2, §5.1), checked with
/// real clients: curl, openssl s_client, Python's urllib and, when installed, `requests`.
@Suite struct ListenerServerTests {
    /// Echoes what the responder saw: method, path (routing is on path only) and `Host`.
    static func echo(_ request: Request) -> String {
        "\(request.method) \(request.uri.path) host=\(request.head.authority ?? "-")"
    }

    @Test(
        "plain HTTP/1.1 with keep-alive, TLS direct to 127.0.0.1 and localhost",
        .enabled(if: ListenerTool.curl != nil, "curl is not installed"))
    func curlDirect() async throws {
        try await ListenerTestServer.run { server in
            let plain = try await server.curl([
                "http://127.0.0.1:\(server.port)/services/data/",
                "http://127.0.0.1:\(server.port)/services/data/v59.0/limits",
            ])
            #expect(plain.status == 0, "\(plain.output)")
            #expect(
                plain.stdout
                    == "GET /services/data/ host=127.0.0.1:\(server.port)\nGET /services/data/v59.0/limits host=127.0.0.1:\(server.port)\n"
            )
            #expect(
                plain.stderr.contains("Re-using existing connection")
                    || plain.stderr.contains("Reusing existing"), "\(plain.stderr)")

            let tls = try await server.curl([
                "https://127.0.0.1:\(server.port)/services/data/",
                "https://localhost:\(server.port)/services/data/v62.0/query",
                "--resolve", "localhost:\(server.port):127.0.0.1",
            ])
            #expect(tls.status == 0, "\(tls.output)")
            #expect(
                tls.stdout
                    == "GET /services/data/ host=127.0.0.1:\(server.port)\nGET /services/data/v62.0/query host=localhost:\(server.port)\n"
            )
        }
    }

    @Test(
        "after the first bytes the pipeline is exactly Hummingbird's HTTP/1 pipeline (behind TLS when sniffed)",
        .enabled(if: ListenerTool.curl != nil, "curl is not installed"))
    func pipelineAfterSniffing() async throws {
        let reference = try await ListenerTestServer.run(plainHTTP1: true) { server in
            try await server.curl(["http://127.0.0.1:\(server.port)/pipeline"])
        }
        #expect(reference.status == 0, "\(reference.output)")
        let http1 = reference.stdout.trimmingCharacters(in: .newlines)
        #expect(
            http1.contains("HTTP1ToHTTPServerCodec") && http1.contains("NIOAsyncChannelHandler"), "\(http1)")
        try await ListenerTestServer.run { server in
            let proxy = "http://127.0.0.1:\(server.port)"
            let result = try await server.curl([
                "http://127.0.0.1:\(server.port)/pipeline", "https://127.0.0.1:\(server.port)/pipeline",
                "--next",
                "--cacert", server.caPath, "-w", "\\n", "--proxy", proxy,
                "https://login.salesforce.com/pipeline",
                "--next", "-w", "\\n", "--proxy", proxy, "--proxytunnel",
                "http://login.salesforce.com/pipeline",
            ])
            #expect(result.status == 0, "\(result.output)")
            #expect(
                result.stdout.split(separator: "\n").map(String.init) == [
                    http1, "NIOSSLServerHandler," + http1, "NIOSSLServerHandler," + http1, http1,
                ])
        }
    }

    @Test(
        "CONNECT then TLS for login.salesforce.com and a My Domain host; POST bodies arrive",
        .enabled(if: ListenerTool.curl != nil, "curl is not installed"))
    func curlConnect() async throws {
        try await ListenerTestServer.run { server in
            let proxy = "http://127.0.0.1:\(server.port)"
            let login = try await server.curl([
                "--proxy", proxy, "https://login.salesforce.com/services/oauth2/token", "--data",
                "grant_type=password&username=a%40b",
            ])
            #expect(login.status == 0, "\(login.output)")
            #expect(
                login.stdout
                    == "POST /services/oauth2/token host=login.salesforce.com body=grant_type=password&username=a%40b\n"
            )
            #expect(login.stderr.contains("CONNECT login.salesforce.com:443"), "\(login.stderr)")

            let myDomain = try await server.curl([
                "--proxy", proxy, "https://acme.my.salesforce.com/services/data/v60.0/sobjects",
            ])
            #expect(myDomain.status == 0, "\(myDomain.output)")
            #expect(myDomain.stdout == "GET /services/data/v60.0/sobjects host=acme.my.salesforce.com\n")
        }
    }

    @Test(
        "absolute-form proxy requests and plain HTTP inside a CONNECT tunnel",
        .enabled(if: ListenerTool.curl != nil, "curl is not installed"))
    func curlProxyForms() async throws {
        try await ListenerTestServer.run { server in
            let proxy = "http://127.0.0.1:\(server.port)"
            let absolute = try await server.curl([
                "--proxy", proxy, "http://login.salesforce.com/services/data/?x=1",
            ])
            #expect(absolute.status == 0, "\(absolute.output)")
            #expect(
                absolute.stderr.contains("GET http://login.salesforce.com/services/data/?x=1 HTTP/1.1"),
                "\(absolute.stderr)")
            #expect(absolute.stdout == "GET /services/data/ host=login.salesforce.com\n")

            let tunnel = try await server.curl([
                "--proxytunnel", "--proxy", proxy, "http://test.salesforce.com/services/data",
            ])
            #expect(tunnel.status == 0, "\(tunnel.output)")
            #expect(tunnel.stderr.contains("CONNECT test.salesforce.com:80"), "\(tunnel.stderr)")
            #expect(tunnel.stdout == "GET /services/data host=test.salesforce.com\n")
        }
    }

    @Test(
        "openssl s_client -verify_return_error accepts the chain, direct and through CONNECT",
        .enabled(if: ListenerTool.openssl != nil, "openssl is not installed"))
    func opensslClient() async throws {
        try await ListenerTestServer.run { server in
            let request =
                "GET /services/data/ HTTP/1.1\r\nHost: login.salesforce.com\r\nConnection: close\r\n\r\n"
            let common = [
                "s_client", "-CAfile", server.caPath, "-verify_return_error", "-verify_hostname",
                "login.salesforce.com", "-servername", "login.salesforce.com", "-ign_eof",
            ]
            for route in [
                ["-connect", "127.0.0.1:\(server.port)"],
                ["-proxy", "127.0.0.1:\(server.port)", "-connect", "login.salesforce.com:443"],
            ] {
                let result = try await ListenerTool.run(ListenerTool.openssl!, common + route, input: request)
                #expect(result.status == 0, "\(route): \(result.output)")
                #expect(result.stdout.contains("Verify return code: 0 (ok)"), "\(route): \(result.output)")
                #expect(
                    result.stdout.contains("GET /services/data/ host=login.salesforce.com"),
                    "\(route): \(result.output)")
            }
        }
    }

    @Test(
        "Python urllib with X509-strict verification: TLS direct, CONNECT to login.salesforce.com, absolute-form HTTP",
        .enabled(if: ListenerTool.python != nil, "python3 is not installed"))
    func pythonURLLib() async throws {
        try await ListenerTestServer.run { server in
            let script = """
                import ssl, sys, urllib.request
                port, ca = sys.argv[1], sys.argv[2]
                context = ssl.create_default_context(cafile=ca)
                context.verify_flags |= ssl.VERIFY_X509_STRICT
                proxy = f"http://127.0.0.1:{port}"
                direct = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), urllib.request.ProxyHandler({}))
                proxied = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), urllib.request.ProxyHandler({"https": proxy, "http": proxy}))
                print(direct.open(f"https://127.0.0.1:{port}/services/data/", timeout=20).read().decode())
                print(proxied.open("https://login.salesforce.com/services/Soap/u/59.0", data=b"<x/>", timeout=20).read().decode())
                print(proxied.open("http://login.salesforce.com/services/data/v61.0/", timeout=20).read().decode())
                """
            let result = try await ListenerTool.run(
                ListenerTool.python!, ["-c", script, "\(server.port)", server.caPath])
            #expect(result.status == 0, "\(result.output)")
            #expect(
                result.stdout == """
                    GET /services/data/ host=127.0.0.1:\(server.port)
                    POST /services/Soap/u/59.0 host=login.salesforce.com body=<x/>
                    GET /services/data/v61.0/ host=login.salesforce.com

                    """)
        }
    }

    @Test(
        "Python requests with HTTPS_PROXY and REQUESTS_CA_BUNDLE only (§5.1 client side)",
        .enabled(if: ListenerTool.hasModule("requests"), "Python requests is not installed"))
    func pythonRequests() async throws {
        try await ListenerTestServer.run { server in
            let script = """
                import os, requests
                port = os.environ["PORT"]
                for url in ["https://login.salesforce.com/services/data/", f"http://127.0.0.1:{port}/services/data/v59.0/", f"https://127.0.0.1:{port}/services/data/v59.0/query/"]:
                    response = requests.get(url, timeout=20)
                    print(response.status_code, response.text)
                """
            let result = try await ListenerTool.run(
                ListenerTool.python!, ["-c", script],
                environment: [
                    "PORT": "\(server.port)", "HTTPS_PROXY": "http://127.0.0.1:\(server.port)",
                    "NO_PROXY": "127.0.0.1,localhost",
                    "REQUESTS_CA_BUNDLE": server.caPath,
                ])
            #expect(result.status == 0, "\(result.output)")
            #expect(
                result.stdout == """
                    200 GET /services/data/ host=login.salesforce.com
                    200 GET /services/data/v59.0/ host=127.0.0.1:\(server.port)
                    200 GET /services/data/v59.0/query/ host=127.0.0.1:\(server.port)

                    """)
        }
    }

    @Test(
        "Python httpx with HTTPS_PROXY and SSL_CERT_FILE only (aiosalesforce's transport, §5.1)",
        .enabled(if: ListenerTool.hasModule("httpx"), "Python httpx is not installed"))
    func pythonHTTPX() async throws {
        try await ListenerTestServer.run { server in
            let script = """
                import httpx
                for url in ["https://login.salesforce.com/services/oauth2/token", "https://acme.my.salesforce.com/services/data/v60.0/query"]:
                    response = httpx.post(url, data={"grant_type": "client_credentials"}, timeout=20)
                    print(response.status_code, response.text)
                """
            let result = try await ListenerTool.run(
                ListenerTool.python!, ["-c", script],
                environment: [
                    "HTTPS_PROXY": "http://127.0.0.1:\(server.port)", "SSL_CERT_FILE": server.caPath,
                ])
            #expect(result.status == 0, "\(result.output)")
            #expect(
                result.stdout == """
                    200 POST /services/oauth2/token host=login.salesforce.com body=grant_type=client_credentials
                    200 POST /services/data/v60.0/query host=acme.my.salesforce.com body=grant_type=client_credentials

                    """)
        }
    }

    @Test(
        "a CONNECT head split across packets, then plain HTTP in the tunnel; a bad CONNECT gets 400",
        .enabled(if: ListenerTool.python != nil, "python3 is not installed"))
    func rawConnect() async throws {
        try await ListenerTestServer.run { server in
            let script = """
                import socket, sys, time
                def connect():
                    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
                    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    return s
                def read_all(s):
                    data = b""
                    while chunk := s.recv(65536):
                        data += chunk
                    return data.decode()
                s = connect()
                for part in [b"C", b"ONN", b"ECT login.salesforce.com:80 HTTP/1.1\\r\\nHost: login", b".salesforce.com:80\\r\\n", b"\\r\\n"]:
                    s.sendall(part)
                    time.sleep(0.05)
                reply = b""
                while not reply.endswith(b"\\r\\n\\r\\n"):
                    reply += s.recv(1)
                print(repr(reply.decode()))
                s.sendall(b"GET /services/data HTTP/1.1\\r\\nHost: login.salesforce.com\\r\\nConnection: close\\r\\n\\r\\n")
                print(read_all(s).split("\\r\\n")[-1])
                s = connect()
                s.sendall(b"CONNECT login.salesforce.com:443\\r\\n\\r\\n")
                print(repr(read_all(s)))
                """
            let result = try await ListenerTool.run(ListenerTool.python!, ["-c", script, "\(server.port)"])
            #expect(result.status == 0, "\(result.output)")
            #expect(
                result.stdout == """
                    'HTTP/1.1 200 Connection Established\\r\\n\\r\\n'
                    GET /services/data host=login.salesforce.com
                    'HTTP/1.1 400 Bad Request\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n'

                    """)
        }
    }

    @Test(
        "a connection that sends nothing is closed after the sniff timeout",
        .enabled(if: ListenerTool.python != nil, "python3 is not installed"))
    func silentConnection() async throws {
        try await ListenerTestServer.run(sniffTimeout: .milliseconds(200)) { server in
            let script = """
                import socket, sys, time
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
                start = time.monotonic()
                print(s.recv(100), time.monotonic() - start < 10)
                """
            let result = try await ListenerTool.run(ListenerTool.python!, ["-c", script, "\(server.port)"])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.stdout == "b'' True\n")
        }
    }
}

/// A live server on an ephemeral loopback port with a tiny echo router, its CA in a temporary directory.
struct ListenerTestServer: Sendable {
    let port: Int
    let caPath: String

    /// Keeps the channel so a route can report the connection's pipeline.
    struct Context: RequestContext {
        var coreContext: CoreRequestContextStorage
        let channel: any Channel

        init(source: ApplicationRequestContextSource) {
            self.coreContext = .init(source: source)
            self.channel = source.channel
        }
    }

    /// Runs `body` against a server using `.keyholeListener`, or Hummingbird's plain `.http1()` for comparison.
    static func run<Value: Sendable>(
        sniffTimeout: TimeAmount = ListenerChannel.defaultSniffTimeout, plainHTTP1: Bool = false,
        _ body: @Sendable (ListenerTestServer) async throws -> Value
    ) async throws -> Value {
        let directory = try ListenerTestDirectory()
        let caPath = directory.path("ca.pem")
        let identity = try ServerIdentity(
            authority: LocalCertificateAuthority.loadOrCreate(certificatePath: caPath))
        let router = Router(context: Context.self)
        router.get("/pipeline") { _, context in
            try await context.channel.eventLoop.submit { [channel = context.channel] in
                handlerTypes(channel.pipeline.debugDescription).joined(separator: ",")
            }.get()
        }
        router.get("**") { request, _ in ListenerServerTests.echo(request) }
        router.post("**") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            return ListenerServerTests.echo(request) + " body=" + String(buffer: body)
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "listener-test")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            server: plainHTTP1 ? .http1() : .keyholeListener(identity: identity, sniffTimeout: sniffTimeout),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            do {
                let value = try await body(ListenerTestServer(port: port, caPath: caPath))
                await services.triggerGracefulShutdown()
                try await group.waitForAll()
                _ = directory
                return value
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
        }
    }

    /// The handler types of a pipeline, head to tail, from NIO's debug description.
    static func handlerTypes(_ description: String) -> [String] {
        description.split(separator: "\n").dropFirst(2).compactMap { line in
            let sides = line.split(separator: "↓↑", omittingEmptySubsequences: false)
            guard sides.count == 2 else { return nil }
            let inbound = sides[0].trimmingCharacters(in: .whitespaces)
            let outbound = sides[1].split(separator: "[").first?.trimmingCharacters(in: .whitespaces) ?? ""
            return inbound.isEmpty ? outbound : inbound
        }
    }

    /// curl with the server's CA, verbose (for asserting what was sent), failing on HTTP errors.
    func curl(_ arguments: [String]) async throws -> ListenerTool.Result {
        try await ListenerTool.run(
            ListenerTool.curl!,
            ["-sS", "-v", "--fail", "--max-time", "20", "--cacert", caPath, "-w", "\\n"] + arguments)
    }
}

/// A temporary directory removed when the value is released.
final class ListenerTestDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "keyhole-listener-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// External programs the tests drive; a missing one disables the tests that need it (nothing is installed).
enum ListenerTool {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var output: String { "exit \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
    }

    static let curl = find("curl")
    static let openssl = find("openssl")
    /// `KEYHOLE_TEST_PYTHON` (e.g. a virtual environment's python) or `python3` on the PATH.
    static let python =
        ProcessInfo.processInfo.environment["KEYHOLE_TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
        ?? find("python3")

    /// Whether `python` can import `module` (checked once per test, before the server starts).
    static func hasModule(_ module: String) -> Bool {
        guard let python else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import \(module)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Runs `executable` with the caller's environment minus every proxy and CA setting, plus `environment`;
    /// killed after `timeout` seconds.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        input: String? = nil,
        timeout: Double = 60
    ) async throws -> Result {
        let directory = try ListenerTestDirectory()
        let stdoutPath = directory.path("stdout")
        let stderrPath = directory.path("stderr")
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var inherited = ProcessInfo.processInfo.environment.filter { key, _ in
            ![
                "http_proxy", "https_proxy", "all_proxy", "no_proxy", "requests_ca_bundle", "ssl_cert_file",
                "curl_ca_bundle",
            ]
            .contains(key.lowercased())
        }
        inherited.merge(environment) { _, new in new }
        process.environment = inherited
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        let stdin = Pipe()
        process.standardInput = stdin
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: error)
                return
            }
            if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
            try? stdin.fileHandleForWriting.close()
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if process.isRunning { process.terminate() }
            }
        }
        return Result(
            status: status, stdout: try String(contentsOfFile: stdoutPath, encoding: .utf8),
            stderr: try String(contentsOfFile: stderrPath, encoding: .utf8))
    }
}
