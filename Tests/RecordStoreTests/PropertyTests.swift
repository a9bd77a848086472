import AccessModel
import Foundation
import SOQL
import Testing

@testable import RecordStore

/// Deterministic random numbers (SplitMix64), so a failing case can be replayed from its seed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random orgs (the example's metadata and users, random permission set assignments and records) and
/// random queries: the store never returns a field the evaluator says is unreadable or a record
/// `SharingEvaluator` says is invisible, and returns every visible record that matches.
@Suite("RecordStore property: the store agrees with the evaluator")
struct PropertyTests {
    static let industries = ["Retail", "Technology", "Healthcare", "Manufacturing", "Energy"]

    /// The example with random assignments and random records.
    static func randomOrg(_ random: inout SeededRandom) -> Org {
        var org = Acme.org
        let sets = org.permissionSets.keys.sorted()
        for i in org.users.indices {
            for set in sets
            where Bool.random(using: &random)
                && !org.users[i].permissionSets.contains(where: { $0.name == set })
            {
                org.users[i].permissionSets.append(Assignment(name: set))
            }
        }
        let owners = org.users.map(\.username)
        var records = Acme.org.records.all
        var accounts: [String] = records.filter { $0.object == "Account" }.map(\.id)
        for n in 0..<Int.random(in: 10...30, using: &random) {
            var fields: [String: FieldValue] = [
                "Name": .string("Account \(n) \(["Alpha", "beta", "Gamma"].randomElement(using: &random)!)"),
                "Send_to_HubSpot__c": .boolean(Bool.random(using: &random)),
            ]
            if Bool.random(using: &random) {
                fields["Industry"] = .string(industries.randomElement(using: &random)!)
            }
            if Bool.random(using: &random) {
                fields["Annual_Revenue__c"] = .number(
                    Decimal(Int.random(in: 0...100, using: &random) * 100_000))
            }
            let record = Record(
                object: "Account", referenceId: "RandomAccount\(n)",
                ownerUsername: owners.randomElement(using: &random),
                fields: fields)
            accounts.append(record.id)
            records.append(record)
        }
        for n in 0..<Int.random(in: 10...40, using: &random) {
            var fields: [String: FieldValue] = ["LastName": .string("Person\(n)")]
            if Int.random(in: 0..<5, using: &random) > 0 {
                fields["AccountId"] = .string(accounts.randomElement(using: &random)!)
            }
            if Bool.random(using: &random) {
                fields["Credit_Score__c"] = .number(Decimal(Int.random(in: 300...850, using: &random)))
            }
            records.append(
                Record(
                    object: "Contact", referenceId: "RandomContact\(n)",
                    ownerUsername: owners.randomElement(using: &random),
                    fields: fields))
        }
        org.records = RecordSet(records)
        return org
    }

    /// A filter on one field, with a reference evaluation.
    struct Filter {
        var soql: String
        var fields: [String]
        var matches: (Record) -> Bool
    }

    static func randomFilter(_ object: String, _ random: inout SeededRandom) -> Filter {
        switch (object, Int.random(in: 0..<5, using: &random)) {
        case ("Account", 0):
            let industry = industries.randomElement(using: &random)!
            return Filter(soql: "Industry = '\(industry.uppercased())'", fields: ["Industry"]) {
                $0["Industry"].text?.lowercased() == industry.lowercased()
            }
        case ("Account", 1):
            let flag = Bool.random(using: &random)
            return Filter(soql: "Send_to_HubSpot__c = \(flag)", fields: ["Send_to_HubSpot__c"]) {
                ($0["Send_to_HubSpot__c"] == .boolean(true)) == flag
            }
        case ("Account", 2):
            let limit = Decimal(Int.random(in: 0...100, using: &random) * 100_000)
            return Filter(soql: "Annual_Revenue__c > \(limit)", fields: ["Annual_Revenue__c"]) {
                if case .number(let d) = $0["Annual_Revenue__c"] { return d > limit }
                return false
            }
        case ("Account", 3):
            return Filter(soql: "Name LIKE '%a%'", fields: ["Name"]) {
                $0["Name"].text?.lowercased().contains("a") ?? false
            }
        case ("Contact", 0):
            let score = Decimal(Int.random(in: 300...850, using: &random))
            return Filter(soql: "Credit_Score__c <= \(score)", fields: ["Credit_Score__c"]) {
                if case .number(let d) = $0["Credit_Score__c"] { return d <= score }
                return false
            }
        case ("Contact", 1):
            return Filter(soql: "AccountId != null", fields: ["AccountId"]) {
                $0.reference("AccountId") != nil
            }
        case ("Contact", 2):
            return Filter(soql: "LastName != 'Person3'", fields: ["LastName"]) {
                $0["LastName"].text?.lowercased() != "person3"
            }
        default:
            return Filter(soql: "", fields: []) { _ in true }
        }
    }

    @Test(
        "random users × random field lists and filters (API-3, API-10, REC-19)",
        arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func agreesWithEvaluator(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let org = Self.randomOrg(&random)
        let evaluator = AccessEvaluator(org: org)
        let sharing = evaluator.sharingEvaluator()
        let store = try RecordStore(
            path: Acme.temporaryPath(), org: org, source: "seed \(seed)", evaluator: evaluator)
        var checked = 0
        for user in org.users {
            let access = evaluator.evaluate(user)
            for _ in 0..<12 {
                let object = ["Account", "Contact", "Contact", "Account", "Opportunity", "Case"]
                    .randomElement(using: &random)!
                let type = org.objects[object]!
                let candidates = type.sortedFields.filter { $0.type != .address && $0.type != .location }
                var fields =
                    ["Id"]
                    + (0..<Int.random(in: 1...5, using: &random)).map { _ in
                        candidates.randomElement(using: &random)!.name
                    }
                fields = fields.reduce(into: []) { list, name in if !list.contains(name) { list.append(name) }
                }
                var parent: (path: String, hop: String, field: String, target: String)? = nil
                if object == "Contact", Bool.random(using: &random) {
                    parent = ("Account.Name", "AccountId", "Name", "Account")
                }
                if object == "Account", Bool.random(using: &random) {
                    parent = ("Owner.Name", "OwnerId", "Name", "User")
                }
                let filter = Self.randomFilter(object, &random)
                let soql =
                    "SELECT \((fields + (parent.map { [$0.path] } ?? [])).joined(separator: ", ")) FROM \(object)"
                    + (filter.soql.isEmpty ? "" : " WHERE \(filter.soql)")
                let objectReadable = access.objectAccess(object).contains(.read)
                let unreadable = (fields + filter.fields).filter {
                    $0 != "Id" && !access.canRead(object: object, field: $0)
                }
                let parentBroken =
                    parent.map { p in
                        !access.canRead(object: object, field: p.hop)
                            || !access.objectAccess(p.target).contains(.read)
                            || !access.canRead(object: p.target, field: p.field)
                    } ?? false
                let result: (totalSize: Int, records: [ResultRecord], pages: Int)
                do {
                    result = try store.all(soql, access: access, batchSize: 200)
                } catch let error as SOQLError {
                    #expect(
                        !objectReadable || !unreadable.isEmpty || parentBroken,
                        "seed \(seed) \(user.username): \(soql) failed: \(error)")
                    if !objectReadable {
                        #expect(error.code == .invalidType)
                    } else {
                        #expect(error.code == .invalidField, "\(soql): \(error)")
                    }
                    continue
                }
                #expect(
                    objectReadable && unreadable.isEmpty && !parentBroken,
                    "seed \(seed) \(user.username): \(soql) succeeded")
                let visible = Set(
                    sharing.visibleRecords(object: object, username: user.username).map(\.recordId))
                let expected = Set(
                    org.records.records(of: object).filter { visible.contains($0.id) && filter.matches($0) }
                        .map(\.id))
                #expect(
                    Set(result.records.compactMap(\.id)) == expected, "seed \(seed) \(user.username): \(soql)"
                )
                #expect(result.totalSize == expected.count)
                for record in result.records {
                    #expect(
                        record.fields.map(\.name) == fields
                            + (parent.map { [String($0.path.split(separator: ".")[0])] } ?? []))
                    let relationship = parent.map { String($0.path.split(separator: ".")[0]) }
                    for field in record.fields where field.name != "Id" {
                        if field.name == relationship {
                            guard case .record(let nested) = field.value else {
                                // Null: no parent, or one the user cannot see (REC-19).
                                let source = org.records.record(id: record.id ?? "")
                                if let parentId = source?.reference(parent!.hop), parent!.target == "Account"
                                {
                                    #expect(
                                        !Set(
                                            sharing.visibleRecords(object: "Account", username: user.username)
                                                .map(\.recordId)
                                        )
                                        .contains(parentId),
                                        "visible parent \(parentId) came back null in \(soql)")
                                }
                                continue
                            }
                            let targetVisible = Set(
                                sharing.visibleRecords(object: nested.type, username: user.username).map(
                                    \.recordId))
                            // Users are not records of the reference evaluator; the User OWD is Read
                            // (catalog default), so whoever reads User sees every (internal) user.
                            let seesAllUsers =
                                nested.type == "User" && access.objectAccess("User").contains(.read)
                            #expect(
                                targetVisible.contains(nested.id ?? "") || seesAllUsers,
                                "hidden parent \(nested.id ?? "") in \(soql)")
                            for inner in nested.fields {
                                #expect(access.canRead(object: nested.type, field: inner.name))
                            }
                        } else {
                            #expect(
                                access.canRead(object: object, field: field.name),
                                "\(field.name) returned to \(user.username)")
                        }
                    }
                }
                checked += 1
            }
        }
        #expect(checked > 0)
    }
}
