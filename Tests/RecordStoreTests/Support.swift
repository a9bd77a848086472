import AccessModel
import Foundation
import SOQL
import SalesforceMetadata
import Testing

@testable import RecordStore

/// The example org (`Examples/acme`), loaded once with `Project.load`, and stores over it in temporary
/// files.
enum Acme {
    static let hubspot = "hubspot.integration@acme.example"
    static let analytics = "analytics.integration@acme.example"
    static let rep = "rita.rep@acme.example"
    static let manager = "max.manager@acme.example"
    static let admin = "ada.admin@acme.example"

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let path = root.appendingPathComponent("Examples/acme").path
    static let project: Project = Project.load(path: path)
    static let org: Org = project.org
    static let evaluator = AccessEvaluator(org: org)
    /// The sharing evaluator over the example's records as loaded (the reference for visibility).
    static let sharing = evaluator.sharingEvaluator()

    static func access(_ username: String) -> UserAccess { evaluator.evaluate(org.user(named: username)!) }

    /// A new store over the example in a fresh temporary folder.
    static func store(file: String = #function) throws -> (RecordStore, String) {
        let path = temporaryPath()
        return (try RecordStore(path: path, org: org, source: Acme.path, evaluator: evaluator), path)
    }

    static func temporaryPath() -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "keyhole-store-\(UUID().uuidString)")
        return folder.appendingPathComponent("records.sqlite").path
    }

    /// Ids of the records of `object` `username` can read, from the sharing evaluator.
    static func visibleIds(_ object: String, _ username: String, in evaluator: SharingEvaluator = sharing)
        -> Set<String>
    {
        Set(evaluator.visibleRecords(object: object, username: username).map(\.recordId))
    }

    /// The record of the example whose reference id is `reference`.
    static func id(_ reference: String) -> String { org.records.record(referenceId: reference)!.id }
}

extension RecordStore {
    /// Every record of a query, following `nextLocator` to the end.
    func all(_ soql: String, as username: String, includeDeleted: Bool = false, batchSize: Int = 2_000) throws
        -> (totalSize: Int, records: [ResultRecord], pages: Int)
    {
        try all(soql, access: Acme.access(username), includeDeleted: includeDeleted, batchSize: batchSize)
    }

    func all(_ soql: String, access: UserAccess, includeDeleted: Bool = false, batchSize: Int = 2_000) throws
        -> (totalSize: Int, records: [ResultRecord], pages: Int)
    {
        var page = try query(soql, access: access, includeDeleted: includeDeleted, batchSize: batchSize)
        var records = page.records
        var pages = 1
        while let next = page.nextLocator {
            page = try queryMore(next, access: access, batchSize: batchSize)
            records += page.records
            pages += 1
        }
        return (page.totalSize, records, pages)
    }
}

/// Runs `body`, expecting a `SOQLError`; returns it.
func soqlError(_ body: () throws -> Void) -> SOQLError? {
    do {
        try body()
        return nil
    } catch let error as SOQLError {
        return error
    } catch {
        Issue.record("expected a SOQLError, got \(error)")
        return nil
    }
}

/// Runs `body`, expecting a `RecordStoreError`; returns it.
func storeError(_ body: () throws -> Void) -> RecordStoreError? {
    do {
        try body()
        return nil
    } catch let error as RecordStoreError {
        return error
    } catch {
        Issue.record("expected a RecordStoreError, got \(error)")
        return nil
    }
}
