import AccessModel
import Foundation
import Yams

extension KeyholeFile {
    /// `api:` — who may log in to `keyhole serve`, and how (a public contract, README):
    ///
    /// ```yaml
    /// api:
    ///   connectedApps:
    ///     - clientId: hubspot-connector
    ///       clientSecret: example-secret
    ///       runAs: hubspot.integration@acme.example   # client-credentials flow runs as this user
    ///       certificate: certs/hubspot.crt            # optional: JWT bearer signatures are verified with it
    ///   passwords:
    ///     hubspot.integration@acme.example: example-password
    ///   refreshTokens:
    ///     example-refresh-token: hubspot.integration@acme.example
    /// ```
    public struct APISettings: Sendable, Hashable {
        public var connectedApps: [ConnectedApp]
        /// Password grant and SOAP login, by username.
        public var passwords: [Password]
        /// `refresh_token` grant.
        public var refreshTokens: [RefreshToken]
        /// The line of the `api:` key.
        public var line: Int?

        public init(
            connectedApps: [ConnectedApp] = [], passwords: [Password] = [],
            refreshTokens: [RefreshToken] = [],
            line: Int? = nil
        ) {
            self.connectedApps = connectedApps
            self.passwords = passwords
            self.refreshTokens = refreshTokens
            self.line = line
        }

        /// The connected app with this client id (compared exactly, as Salesforce does).
        public func connectedApp(clientId: String) -> ConnectedApp? {
            connectedApps.first { $0.clientId == clientId }
        }

        /// The password of `username` (usernames compare case-insensitively).
        public func password(of username: String) -> String? {
            passwords.first { $0.username.caseInsensitiveCompare(username) == .orderedSame }?.password
        }

        /// The user a refresh token logs in as.
        public func username(refreshToken: String) -> String? {
            refreshTokens.first { $0.token == refreshToken }?.username
        }

        /// Every username the section names, with the line naming it and where.
        var namedUsers: [(username: String, line: Int?, path: String)] {
            var named: [(username: String, line: Int?, path: String)] = []
            for app in connectedApps {
                if let runAs = app.runAs {
                    named.append(
                        (runAs, app.runAsLine ?? app.line, "api.connectedApps (\(app.clientId)).runAs"))
                }
            }
            for entry in passwords { named.append((entry.username, entry.line, "api.passwords")) }
            for entry in refreshTokens { named.append((entry.username, entry.line, "api.refreshTokens")) }
            return named
        }

        /// Errors for names of users the project does not have (`usernames` lowercased).
        public func validate(usernames: Set<String>, known: [String], file: String) -> [Diagnostic] {
            namedUsers.compactMap { entry in
                guard !usernames.contains(entry.username.lowercased()) else { return nil }
                return .error(
                    "KH-YAML-UNKNOWN-USER", file: file, line: entry.line,
                    "\(entry.path) names '\(entry.username)', who is not in users.\(Suggestion.hint(for: entry.username, in: known)) Use the username of a user declared in keyhole.yaml"
                )
            }
        }
    }

    /// One `api.connectedApps` entry: an OAuth client.
    public struct ConnectedApp: Sendable, Hashable {
        public var clientId: String
        public var clientSecret: String
        /// The user the client-credentials flow runs as; without it that flow is refused.
        public var runAs: String?
        /// A PEM certificate (path relative to the project) whose key verifies JWT bearer assertions.
        /// Without it an assertion's signature is not checked, only its `iss`, `sub`, `aud` and `exp`.
        public var certificate: String?
        public var line: Int?
        var runAsLine: Int?
        public var certificateLine: Int?

        public init(
            clientId: String, clientSecret: String, runAs: String? = nil, certificate: String? = nil,
            line: Int? = nil
        ) {
            self.clientId = clientId
            self.clientSecret = clientSecret
            self.runAs = runAs
            self.certificate = certificate
            self.line = line
        }
    }

    /// One `api.passwords` entry.
    public struct Password: Sendable, Hashable {
        public var username: String
        public var password: String
        public var line: Int?

        public init(username: String, password: String, line: Int? = nil) {
            self.username = username
            self.password = password
            self.line = line
        }
    }

    /// One `api.refreshTokens` entry.
    public struct RefreshToken: Sendable, Hashable {
        public var token: String
        public var username: String
        public var line: Int?

        public init(token: String, username: String, line: Int? = nil) {
            self.token = token
            self.username = username
            self.line = line
        }
    }

    static let apiKeys = ["connectedApps", "passwords", "refreshTokens"]
    static let connectedAppKeys = ["clientId", "clientSecret", "runAs", "certificate"]
}

extension KeyholeFile.APISettings {
    /// Reads the `api:` node, appending a diagnostic for every problem (with its line and the fix).
    static func read(_ node: Node, file: String, into diagnostics: inout [Diagnostic]) -> Self {
        var reader = APISectionReader(file: file)
        let settings = reader.read(node)
        diagnostics += reader.diagnostics
        return settings
    }
}

/// Reads `api:`; every problem becomes a diagnostic naming the line and the fix.
private struct APISectionReader {
    let file: String
    var diagnostics: [Diagnostic] = []

    mutating func error(_ code: String, _ node: Node?, _ message: String) {
        diagnostics.append(.error(code, file: file, line: node?.mark?.line, message))
    }

    mutating func read(_ node: Node) -> KeyholeFile.APISettings {
        var settings = KeyholeFile.APISettings(line: node.mark?.line)
        if node.null != nil { return settings }
        guard case .mapping(let mapping) = node else {
            error(
                "KH-YAML-SHAPE", node,
                "'api' must be a mapping with connectedApps, passwords and refreshTokens (see the README)")
            return settings
        }
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            switch name {
            case "connectedApps": settings.connectedApps = connectedApps(value)
            case "passwords":
                settings.passwords = pairs(
                    value, path: "api.passwords", example: "user@example.com: a-password"
                )
                .map { KeyholeFile.Password(username: $0.key, password: $0.value, line: $0.line) }
            case "refreshTokens":
                settings.refreshTokens = pairs(
                    value, path: "api.refreshTokens", example: "a-refresh-token: user@example.com"
                ).map { KeyholeFile.RefreshToken(token: $0.key, username: $0.value, line: $0.line) }
            default:
                let hint = Suggestion.hint(for: name, in: KeyholeFile.apiKeys)
                error(
                    "KH-YAML-UNKNOWN-KEY", key,
                    "unknown key '\(name)' in api.\(hint.isEmpty ? " Known keys: \(KeyholeFile.apiKeys.joined(separator: ", "))." : hint)"
                )
            }
        }
        var seenApps: Set<String> = []
        for app in settings.connectedApps where !seenApps.insert(app.clientId).inserted {
            diagnostics.append(
                .error(
                    "KH-YAML-DUPLICATE-KEY", file: file, line: app.line,
                    "api.connectedApps declares clientId '\(app.clientId)' twice; give each connected app its own clientId"
                ))
        }
        var seenUsers: Set<String> = []
        for entry in settings.passwords where !seenUsers.insert(entry.username.lowercased()).inserted {
            diagnostics.append(
                .error(
                    "KH-YAML-DUPLICATE-KEY", file: file, line: entry.line,
                    "api.passwords gives '\(entry.username)' two passwords; keep one"))
        }
        return settings
    }

    mutating func connectedApps(_ node: Node) -> [KeyholeFile.ConnectedApp] {
        if node.null != nil { return [] }
        guard case .sequence(let items) = node else {
            error(
                "KH-YAML-SHAPE", node,
                "api.connectedApps must be a list of {clientId, clientSecret, runAs}")
            return []
        }
        var apps: [KeyholeFile.ConnectedApp] = []
        for (index, item) in items.enumerated() {
            let path = "api.connectedApps[\(index)]"
            guard case .mapping(let mapping) = item else {
                error("KH-YAML-SHAPE", item, "\(path) must be a mapping {clientId, clientSecret, runAs}")
                continue
            }
            var values: [String: (text: String, line: Int?)] = [:]
            for (key, value) in mapping {
                guard let name = key.string else { continue }
                guard KeyholeFile.connectedAppKeys.contains(name) else {
                    let hint = Suggestion.hint(for: name, in: KeyholeFile.connectedAppKeys)
                    error(
                        "KH-YAML-UNKNOWN-KEY", key,
                        "unknown key '\(name)' in \(path).\(hint.isEmpty ? " Known keys: \(KeyholeFile.connectedAppKeys.joined(separator: ", "))." : hint)"
                    )
                    continue
                }
                guard case .scalar(let scalar) = value, !scalar.string.isEmpty else {
                    error("KH-YAML-SHAPE", value, "\(path).\(name) must be a single value")
                    continue
                }
                values[name] = (scalar.string, value.mark?.line)
            }
            guard let clientId = values["clientId"]?.text, let secret = values["clientSecret"]?.text else {
                let missing = ["clientId", "clientSecret"].filter { values[$0] == nil }
                error(
                    "KH-YAML-MISSING-KEY", item,
                    "\(path) has no \(missing.map { "'\($0)'" }.joined(separator: " or ")); every connected app needs clientId and clientSecret"
                )
                continue
            }
            var app = KeyholeFile.ConnectedApp(
                clientId: clientId, clientSecret: secret, runAs: values["runAs"]?.text,
                certificate: values["certificate"]?.text, line: item.mark?.line)
            app.runAsLine = values["runAs"]?.line
            app.certificateLine = values["certificate"]?.line
            apps.append(app)
        }
        return apps
    }

    /// A `key: value` mapping of single values, in file order.
    mutating func pairs(_ node: Node, path: String, example: String) -> [(
        key: String, value: String, line: Int?
    )] {
        if node.null != nil { return [] }
        guard case .mapping(let mapping) = node else {
            error("KH-YAML-SHAPE", node, "\(path) must be a mapping, one '\(example)' per line")
            return []
        }
        var result: [(key: String, value: String, line: Int?)] = []
        for (key, value) in mapping {
            guard case .scalar(let name) = key, !name.string.isEmpty else {
                error("KH-YAML-SHAPE", key, "\(path) must map single values, one '\(example)' per line")
                continue
            }
            guard case .scalar(let scalar) = value, !scalar.string.isEmpty else {
                error(
                    "KH-YAML-SHAPE", value,
                    "\(path).\(name.string) must be a single value, as in '\(example)'")
                continue
            }
            result.append((name.string, scalar.string, key.mark?.line))
        }
        return result
    }
}
