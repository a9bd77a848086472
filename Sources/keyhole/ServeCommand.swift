import APIServer
import AccessModel
import ArgumentParser
import Dispatch
import Foundation
import RecordStore
import SalesforceMetadata

/// `keyhole serve PROJECT` — a local Salesforce-compatible REST API that enforces, for whoever logs in,
/// exactly what the evaluator decides (issue 7, `rest-api.md`).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Serve the project's records through a local Salesforce REST API that enforces its access model.",
        discussion: """
            Records live in SQLite (default .keyhole/records.sqlite under the project), loaded from the \
            project's data: folder on first start or with --reset; writes persist across restarts. Logins \
            come from keyhole.yaml's api: section (connected apps, passwords, refresh tokens). The port \
            speaks plain HTTP, TLS and HTTPS-proxy CONNECT, presenting a certificate for \
            *.salesforce.com signed by a CA generated at first start (--ca-out, default ca.pem next to \
            the database), so unmodified clients work with HTTPS_PROXY and REQUESTS_CA_BUNDLE / \
            SSL_CERT_FILE only. Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.

            Exit codes: 0 stopped; 1 the project, database or certificates could not be used; 64 usage error.
            """)

    @OptionGroup var options: ProjectOptions

    @Option(help: "The port to listen on.")
    var port = 8080

    @Option(help: "The address to bind (loopback by default).")
    var host = "127.0.0.1"

    @Option(help: "The SQLite database file (default: PROJECT/.keyhole/records.sqlite).")
    var database: String?

    @Flag(help: "Empty the database and load the project's records again.")
    var reset = false

    @Option(
        name: .customLong("ca-out"),
        help: "Where the CA certificate is written (default: ca.pem next to the database).")
    var caOut: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535, not \(port)") }
    }

    func run() throws {
        let project = try options.load()
        let databasePath = database ?? project.root.appendingPathComponent(".keyhole/records.sqlite").path
        let caPath =
            caOut
            ?? URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("ca.pem")
            .path
        let evaluator = AccessEvaluator(org: project.org)
        let store: RecordStore
        let served: ServedOrg
        let identity: ServerIdentity
        do {
            store = try RecordStore(
                path: databasePath, org: project.org, source: project.root.path, reset: reset,
                evaluator: evaluator)
            served = try ServedOrg(project: project, store: store, evaluator: evaluator)
            identity = try ServerIdentity(
                authority: try LocalCertificateAuthority.loadOrCreate(certificatePath: caPath))
        } catch let error as RecordStoreError {
            throw Self.fail("\(databasePath): \(error.message); delete the file or start with --reset")
        } catch let error as ServeError {
            throw Self.fail(error.message)
        } catch let error as ListenerError {
            throw Self.fail(error.message)
        }
        let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        let api = SalesforceAPI(served: served, instanceURL: url)
        let banner = Self.banner(project: project, store: store, url: url, caPath: caPath, served: served)
        // Printed once the port is bound, so a port in use gets only the error.
        let app = api.application(
            host: host, port: port, server: .keyholeListener(identity: identity),
            onServerRunning: { _ in Console.out(banner) })
        let outcome = Self.block { try await app.runService() }
        try? store.close()
        if case .failure(let error) = outcome {
            throw Self.fail("the server stopped: \(error) (is port \(port) in use? pick another with --port)")
        }
    }

    static func fail(_ message: String) -> ExitCode {
        Console.error(Console.errorIsTerminal ? "\u{1B}[31merror:\u{1B}[0m \(message)" : "error: \(message)")
        return ExitCode(1)
    }

    /// Runs an async body to completion from this synchronous command (the server runs until a signal).
    static func block(_ body: @escaping @Sendable () async throws -> Void) -> Result<Void, any Error> {
        let done = DispatchSemaphore(value: 0)
        let result = ResultBox()
        Task {
            do {
                try await body()
                result.value = .success(())
            } catch {
                result.value = .failure(error)
            }
            done.signal()
        }
        done.wait()
        return result.value
    }

    final class ResultBox: @unchecked Sendable {
        var value: Result<Void, any Error> = .success(())
    }

    /// What the server prints at start: where it listens, the CA, the records, and how each API user
    /// logs in with unmodified clients (`rest-api.md` §5.5).
    static func banner(project: Project, store: RecordStore, url: String, caPath: String, served: ServedOrg)
        -> String
    {
        var lines: [String] = []
        let opening: String
        switch store.opening {
        case .created:
            opening = "created and loaded from \(project.keyholeFile?.dataFolder ?? "no data folder")"
        case .reset: opening = "reset and loaded from \(project.keyholeFile?.dataFolder ?? "no data folder")"
        case .reloaded: opening = "reloaded (it held another project's records)"
        case .reopened: opening = "reopened with its records (use --reset to load the project's data again)"
        }
        lines.append("keyhole serve \(project.path): Salesforce REST API on \(url)")
        lines.append("  database        \(store.path) (\(opening))")
        lines.append("  CA certificate  \(caPath)")
        lines.append("  versions        \(APIVersion.oldest)…\(APIVersion.current); instance_url \(url)")
        lines.append("")
        lines.append("Unmodified clients (simple-salesforce, tap-salesforce, …) reach it with:")
        lines.append(
            "  export HTTPS_PROXY=\(url) NO_PROXY=127.0.0.1,localhost REQUESTS_CA_BUNDLE=\(caPath) SSL_CERT_FILE=\(caPath)"
        )
        let api = served.api
        let users = served.apiUsers
        if users.isEmpty {
            lines.append("")
            lines.append(
                "No user can log in: add an api: section to keyhole.yaml (connectedApps, passwords, refreshTokens)."
            )
        }
        for user in users {
            let own = api.connectedApps.filter { $0.runAs?.lowercased() == user.username.lowercased() }
            let anyApp = own.first ?? api.connectedApps.first
            lines.append("")
            lines.append("\(user.username)\(user.name.map { " (\($0))" } ?? "")")
            if let password = api.password(of: user.username) {
                lines.append(
                    "  SOAP login        Salesforce(username='\(user.username)', password='\(password)', security_token='')"
                )
                if let app = anyApp {
                    lines.append(
                        "  OAuth password    grant_type=password client_id=\(app.clientId) client_secret=\(app.clientSecret) username=\(user.username) password=\(password)"
                    )
                }
            }
            for app in own {
                lines.append(
                    "  client creds      grant_type=client_credentials client_id=\(app.clientId) client_secret=\(app.clientSecret)"
                )
            }
            for token in api.refreshTokens where token.username.lowercased() == user.username.lowercased() {
                if let app = anyApp {
                    lines.append(
                        "  refresh token     grant_type=refresh_token refresh_token=\(token.token) client_id=\(app.clientId) client_secret=\(app.clientSecret)"
                    )
                }
            }
        }
        lines.append("")
        lines.append("Ctrl-C stops the server.")
        return lines.joined(separator: "\n")
    }
}
