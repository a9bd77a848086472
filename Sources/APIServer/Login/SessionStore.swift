import Crypto
import Foundation

/// The sessions the server has issued. Tokens are 256 random bits (from Crypto's key generator), so
/// they cannot be guessed; each maps to one user and expires after `lifetime`.
public actor SessionStore {
    public let lifetime: TimeInterval
    private let orgId: String
    private var sessions: [String: Session] = [:]
    private let clock: @Sendable () -> Date

    public init(
        orgId: String, lifetime: TimeInterval = 7200, clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.orgId = orgId
        self.lifetime = lifetime
        self.clock = clock
    }

    /// A new session for `username`.
    public func issue(username: String, userId: String, clientId: String?) -> Session {
        let now = clock()
        removeExpired(now)
        let session = Session(
            token: Self.newToken(orgId: orgId), username: username, userId: userId, clientId: clientId,
            issuedAt: now, expiresAt: now.addingTimeInterval(lifetime))
        sessions[session.token] = session
        return session
    }

    /// The live session for `token`, or `nil` when it is unknown or expired.
    public func session(for token: String) -> Session? {
        guard let session = sessions[token] else { return nil }
        guard session.isValid(at: clock()) else {
            sessions[token] = nil
            return nil
        }
        return session
    }

    /// Ends a session (`/services/oauth2/revoke`).
    public func revoke(_ token: String) { sessions[token] = nil }

    private func removeExpired(_ now: Date) {
        guard sessions.count > 1024 else { return }
        sessions = sessions.filter { $0.value.isValid(at: now) }
    }

    /// `{orgId15}!{43 characters of base64url}`, the shape of a Salesforce session id.
    static func newToken(orgId: String) -> String {
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { Data($0) }
        let random = bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "\(orgId.prefix(15))!\(random)"
    }
}
