import Foundation

/// A logged-in session: one access token for exactly one user, until it expires.
public struct Session: Hashable, Sendable {
    /// The bearer token (`00D…!…`): random, unguessable.
    public var token: String
    public var username: String
    /// The user's 18-character Id.
    public var userId: String
    /// The connected app that asked for it; `nil` for SOAP login.
    public var clientId: String?
    public var issuedAt: Date
    public var expiresAt: Date

    public func isValid(at date: Date) -> Bool { date < expiresAt }

    /// Seconds left, for SOAP's `sessionSecondsValid`.
    public var secondsValid: Int { Int(expiresAt.timeIntervalSince(issuedAt).rounded()) }

    /// `issued_at`: milliseconds since the epoch, as text.
    public var issuedAtMillis: String { String(Int64((issuedAt.timeIntervalSince1970 * 1000).rounded())) }
}
