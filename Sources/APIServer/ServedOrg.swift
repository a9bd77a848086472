import AccessModel
import Foundation
import RecordStore
import SOQL
import SalesforceMetadata
import X509

/// The org `keyhole serve` serves: the loaded project, the evaluator that decides every object and field
/// question, the record store that answers every record question, the logins of `keyhole.yaml`'s `api:`
/// section, and the Ids the API shows for the org and its users. Built once at start; immutable, so every
/// request can read it.
public struct ServedOrg: Sendable {
    public let org: Org
    public let evaluator: AccessEvaluator
    public let store: RecordStore
    public let api: KeyholeFile.APISettings
    public let relationships: RelationshipIndex
    /// The organization's 18-character Id (`00D…`), the store's.
    public let organizationId: String
    public let organizationName: String
    /// JWT bearer verification keys, by connected app client id.
    let certificates: [String: Certificate]
    private let usersById: [String: User]
    private let objectsByKeyPrefix: [String: String]

    /// Builds the served org from a loaded project (whose errors the caller has already refused).
    /// Throws when a connected app's `certificate` cannot be read.
    public init(project: Project, store: RecordStore, evaluator: AccessEvaluator? = nil) throws(ServeError) {
        try self.init(
            org: project.org, store: store, api: project.keyholeFile?.api ?? KeyholeFile.APISettings(),
            organizationName: project.root.lastPathComponent, root: project.root, evaluator: evaluator)
    }

    /// - Parameter root: the folder `certificate:` paths are relative to.
    public init(
        org: Org, store: RecordStore, api: KeyholeFile.APISettings, organizationName: String,
        root: URL? = nil,
        evaluator: AccessEvaluator? = nil
    ) throws(ServeError) {
        self.org = org
        self.evaluator = evaluator ?? AccessEvaluator(org: org)
        self.store = store
        self.api = api
        self.organizationName = organizationName
        relationships = RelationshipIndex(org: org)
        organizationId = store.organizationId
        var byId: [String: User] = [:]
        for user in org.users { byId[user.recordId] = user }
        usersById = byId
        var prefixes: [String: String] = [:]
        for name in org.objects.keys.sorted() {
            prefixes[RecordId.keyPrefix(for: name)] = prefixes[RecordId.keyPrefix(for: name)] ?? name
        }
        objectsByKeyPrefix = prefixes
        var certificates: [String: Certificate] = [:]
        for app in api.connectedApps {
            guard let path = app.certificate else { continue }
            let url =
                path.hasPrefix("/") || root == nil
                ? URL(fileURLWithPath: path) : root!.appendingPathComponent(path)
            do {
                let pem = try String(contentsOf: url, encoding: .utf8)
                certificates[app.clientId] = try Certificate(pemEncoded: pem)
            } catch {
                throw ServeError(
                    .certificate,
                    "keyhole.yaml:\(app.certificateLine ?? app.line ?? 0): api.connectedApps (\(app.clientId)).certificate '\(path)' is not a readable PEM certificate (\(error)); give the path, relative to the project, of the certificate whose key signs the JWT assertions"
                )
            }
        }
        self.certificates = certificates
    }

    /// The user with this username (case-insensitive).
    public func user(named username: String) -> User? { org.user(named: username) }

    public func user(id: String) -> User? { RecordId.normalize(id).flatMap { usersById[$0] } }

    /// The object whose records have Ids starting like `id` (`001…` → `Account`).
    public func object(ofRecordId id: String) -> String? { objectsByKeyPrefix[String(id.prefix(3))] }

    /// The user's effective access, from the evaluator (cached per set of sources).
    public func access(_ user: User) -> UserAccess { evaluator.evaluate(user) }

    /// Users who can log in through the API (named by `api:`), in `org.users` order.
    public var apiUsers: [User] {
        var named = Set(api.passwords.map { $0.username.lowercased() })
        named.formUnion(api.refreshTokens.map { $0.username.lowercased() })
        named.formUnion(api.connectedApps.compactMap { $0.runAs?.lowercased() })
        return org.users.filter { named.contains($0.username.lowercased()) }
    }
}
