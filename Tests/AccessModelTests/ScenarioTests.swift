import AccessModel
import Foundation
import SalesforceMetadata
import Testing

/// Runs every folder of `Tests/Scenarios` through the loader users use and checks the decisions in its
/// `expect.json`. Folder names carry the spec's scenario and rule IDs; contested ones say "assumed".
@Suite("Scenarios (Tests/Scenarios)")
struct ScenarioTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios")

    static var folders: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter {
            FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/expect.json").path)
        }
        .sorted()
    }

    @Test("the scenario folders are all there")
    func foldersExist() {
        #expect(Self.folders.count >= 33)
    }

    @Test("scenario", arguments: folders)
    func scenario(_ folder: String) throws {
        let url = Self.root.appendingPathComponent(folder)
        let expectation = try JSONDecoder().decode(
            ScenarioExpectation.self, from: Data(contentsOf: url.appendingPathComponent("expect.json")))
        if expectation.assumed {
            #expect(folder.contains("assumed"), "assumed scenarios say so in their name")
        }
        let project = Project.load(path: url.path)
        #expect(
            project.errors.map(\.code).sorted() == (expectation.errors ?? []).sorted(), "\(project.errors)")
        let evaluator = AccessEvaluator(org: project.org)
        let sharing = project.org.records.isEmpty ? nil : evaluator.sharingEvaluator()
        for check in expectation.checks {
            let user = try #require(project.org.user(named: check.user), "no user \(check.user)")
            let access = evaluator.evaluate(user)
            let context = "\(expectation.scenario) \(check.user)"
            if let object = check.object, let expected = check.access?.permissions {
                let actual = access.objectAccess(object)
                #expect(actual == expected.objectAccess, "\(context) \(object): got \(actual)")
            }
            if let path = check.field, let (object, field) = FieldPath.split(path) {
                let decision = access.fieldDecision(object: object, field: field)
                let why = decision.reasons.map(\.message).joined(separator: "; ")
                if let read = check.read { #expect(decision.read == read, "\(context) \(path) read: \(why)") }
                if let edit = check.edit { #expect(decision.edit == edit, "\(context) \(path) edit: \(why)") }
                if let masked = check.masked {
                    #expect(decision.masked == masked, "\(context) \(path) masked: \(why)")
                }
                if let classification = check.classification {
                    #expect(decision.classification.securityClassification == classification)
                }
                if let compliance = check.compliance {
                    #expect(decision.classification.complianceGroups == Set(compliance))
                }
                #expect(!decision.reasons.isEmpty, "\(context) \(path): reasons are never empty")
                for reason in check.reasons ?? [] {
                    let found = decision.reasons.contains { actual in
                        actual.kind.rawValue == reason.kind
                            && (reason.source == nil || actual.source == reason.source)
                            && (reason.wokenBy == nil || actual.wokenBy == reason.wokenBy)
                    }
                    #expect(found, "\(context) \(path): no reason \(reason) among \(decision.reasons)")
                }
            }
            if let object = check.object, let visible = check.visible {
                let sharing = try #require(sharing, "\(context): the scenario has no records")
                let records = sharing.visibleRecords(object: object, username: user.username)
                let names = records.compactMap { project.org.records.record(id: $0.recordId)?.referenceId }
                #expect(names.sorted() == visible.sorted(), "\(context) visible \(object)")
            }
            if let reference = check.record {
                let sharing = try #require(sharing, "\(context): the scenario has no records")
                let decision = try #require(sharing.decision(username: user.username, recordId: reference))
                let why = decision.reasons.map(\.message).joined(separator: "; ")
                if let level = check.access?.level {
                    #expect(decision.level.description == level, "\(context) \(reference): \(why)")
                }
                #expect(!decision.reasons.isEmpty, "\(context) \(reference): reasons are never empty")
                for reason in check.reasons ?? [] {
                    let found = decision.reasons.contains { actual in
                        actual.kind.rawValue == reason.kind
                            && (reason.source == nil || actual.source == reason.source)
                            && (reason.via == nil || actual.via == reason.via)
                    }
                    #expect(found, "\(context) \(reference): no reason \(reason) among \(why)")
                }
            }
            if let names = check.systemPermissions {
                for name in names {
                    #expect(access.hasSystemPermission(name), "\(context) lacks system permission \(name)")
                }
            }
            if let invalid = check.invalidAssignments {
                #expect(
                    access.invalidAssignments.map(\.name).sorted() == invalid.map(\.name).sorted(),
                    "\(context)")
                for entry in invalid {
                    guard let text = entry.messageContains else { continue }
                    let message = access.invalidAssignments.first { $0.name == entry.name }?.message ?? ""
                    #expect(message.contains(text), "\(context) message: \(message)")
                }
            }
        }
    }
}

/// The shape of `expect.json`: partial checks, each comparing only the keys it gives.
struct ScenarioExpectation: Decodable {
    var scenario: String
    var rules: [String]
    var assumed: Bool
    var description: String
    var checks: [Check]
    /// Codes of the load errors the scenario expects (a rule Salesforce would reject, `T06`).
    var errors: [String]?

    struct Check: Decodable {
        var user: String
        var object: String?
        /// Object permissions (an object of flags), or a record's access level (`none|read|edit|all`).
        var access: AccessExpectation?
        var visible: [String]?
        var record: String?
        var field: String?
        var read: Bool?
        var edit: Bool?
        var masked: Bool?
        var classification: String?
        var compliance: [String]?
        var reasons: [ExpectedReason]?
        var systemPermissions: [String]?
        var invalidAssignments: [ExpectedInvalid]?
    }

    struct Access: Decodable {
        var read, create, edit, delete, viewAll, modifyAll, viewAllFields: Bool

        var objectAccess: ObjectAccess {
            var access: ObjectAccess = []
            if read { access.insert(.read) }
            if create { access.insert(.create) }
            if edit { access.insert(.edit) }
            if delete { access.insert(.delete) }
            if viewAll { access.insert(.viewAllRecords) }
            if modifyAll { access.insert(.modifyAllRecords) }
            if viewAllFields { access.insert(.viewAllFields) }
            return access
        }
    }

    enum AccessExpectation: Decodable {
        case permissions(Access)
        case level(String)

        init(from decoder: Decoder) throws {
            if let level = try? decoder.singleValueContainer().decode(String.self) {
                self = .level(level)
            } else {
                self = .permissions(try Access(from: decoder))
            }
        }

        var permissions: Access? {
            if case .permissions(let access) = self { return access }
            return nil
        }

        var level: String? {
            if case .level(let level) = self { return level }
            return nil
        }
    }

    struct ExpectedReason: Decodable, CustomStringConvertible {
        var kind: String
        var source: String?
        var wokenBy: String?
        var via: String?
        var description: String { "\(kind) \(source ?? "") \(wokenBy ?? "") \(via ?? "")" }
    }

    struct ExpectedInvalid: Decodable {
        var name: String
        var messageContains: String?
    }
}
