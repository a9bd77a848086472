import AccessModel
import Foundation
import Testing

/// A small deterministic generator (SplitMix64).
struct SharingSeededGenerator: RandomNumberGenerator {
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

/// Random orgs with roles, nested groups, criteria and owner rules, the Account family, manual shares.
struct RandomSharingOrg {
    var org: Org
    var permissions: [String: [String: ObjectAccess]]
    var viewAllData: Set<String>

    static let objects = ["Account", "Contact", "Opportunity"]

    init(seed: UInt64) {
        var g = SharingSeededGenerator(seed: seed)
        let roleCount = Int.random(in: 2...7, using: &g)
        var roles: [String: Role] = [:]
        for r in 0..<roleCount {
            let parent = r == 0 ? nil : "R\(Int.random(in: 0..<r, using: &g))"
            roles["R\(r)"] = Role(
                name: "R\(r)", parentRole: parent, caseAccessLevel: AccessLevel.none,
                contactAccessLevel: [.none, .read, .edit].randomElement(using: &g),
                opportunityAccessLevel: [.none, .read, .edit].randomElement(using: &g))
        }
        let userCount = Int.random(in: 3...9, using: &g)
        let users = (0..<userCount).map { u in
            User(
                username: "u\(u)@x.com", license: "Salesforce", profile: "P",
                role: Bool.random(using: &g) || u == 0 ? "R\(Int.random(in: 0..<roleCount, using: &g))" : nil,
                isExternal: u > 2 && Int.random(in: 0..<5, using: &g) == 0)
        }
        var groups: [String: PublicGroup] = [:]
        let groupCount = Int.random(in: 1...4, using: &g)
        for k in 0..<groupCount {
            var members: [GroupMember] = []
            for _ in 0..<Int.random(in: 0...3, using: &g) {
                switch Int.random(in: 0..<4, using: &g) {
                case 0: members.append(.group("G\(Int.random(in: 0..<groupCount, using: &g))"))
                case 1: members.append(.role("R\(Int.random(in: 0..<roleCount, using: &g))"))
                case 2: members.append(.roleAndSubordinates("R\(Int.random(in: 0..<roleCount, using: &g))"))
                default: members.append(.user("u\(Int.random(in: 0..<userCount, using: &g))@x.com"))
                }
            }
            groups["G\(k)"] = PublicGroup(
                name: "G\(k)", doesIncludeBosses: Bool.random(using: &g), members: members)
        }
        func principal() -> SharingPrincipal {
            switch Int.random(in: 0..<4, using: &g) {
            case 0: SharingPrincipal(kind: "role", name: "R\(Int.random(in: 0..<roleCount, using: &g))")
            case 1:
                SharingPrincipal(
                    kind: "roleAndSubordinatesInternal", name: "R\(Int.random(in: 0..<roleCount, using: &g))")
            default: SharingPrincipal(kind: "group", name: "G\(Int.random(in: 0..<groupCount, using: &g))")
            }
        }
        let contactModel: SharingModel = Bool.random(using: &g) ? .private : .controlledByParent
        var objects: [String: SObjectType] = [:]
        for name in Self.objects {
            var fields: [String: Field] = [
                "Name": Field(name: "Name", type: .text), "Score__c": Field(name: "Score__c", type: .number),
                "Flag__c": Field(name: "Flag__c", type: .checkbox),
            ]
            if name != "Account" {
                fields["AccountId"] = Field(name: "AccountId", type: .lookup, referenceTo: ["Account"])
            }
            objects[name] = SObjectType(
                name: name,
                sharingModel: name == "Contact"
                    ? contactModel : [.private, .private, .read].randomElement(using: &g),
                fields: fields)
        }
        var rules: [SharingRule] = []
        for k in 0..<Int.random(in: 0...5, using: &g) {
            let object = Self.objects.randomElement(using: &g)!
            let level: AccessLevel = Bool.random(using: &g) ? .read : .edit
            let settings =
                object == "Account"
                ? AccountSharingSettings(
                    caseAccessLevel: .none,
                    contactAccessLevel: [.none, .read, .edit].randomElement(using: &g)!,
                    opportunityAccessLevel: [.none, .read, .edit].randomElement(using: &g)!) : nil
            if Bool.random(using: &g) {
                let items = [
                    CriteriaItem(
                        field: "Score__c",
                        operation: ["greaterThan", "lessOrEqual", "equals"].randomElement(using: &g)!,
                        value: "\(Int.random(in: 0...9, using: &g))"),
                    CriteriaItem(
                        field: "Flag__c", operation: "equals",
                        value: Bool.random(using: &g) ? "True" : "False"),
                ]
                rules.append(
                    SharingRule(
                        object: object, name: "C\(k)",
                        kind: .criteria(
                            CriteriaFilter(
                                items: items, booleanFilter: Bool.random(using: &g) ? "1 OR 2" : nil),
                            includeRecordsOwnedByAll: nil),
                        sharedTo: principal(), accessLevel: level, accountSettings: settings))
            } else {
                rules.append(
                    SharingRule(
                        object: object, name: "O\(k)", kind: .owner(sharedFrom: principal()),
                        sharedTo: principal(),
                        accessLevel: level, accountSettings: settings))
            }
        }
        var records: [Record] = []
        let accountCount = Int.random(in: 1...8, using: &g)
        for name in Self.objects {
            let n = name == "Account" ? accountCount : Int.random(in: 0...8, using: &g)
            for i in 0..<n {
                var fields: [String: FieldValue] = [
                    "Name": .string("\(name)\(i)"),
                    "Score__c": .number(Decimal(Int.random(in: 0...9, using: &g))),
                    "Flag__c": .boolean(Bool.random(using: &g)),
                ]
                if name != "Account", Int.random(in: 0..<5, using: &g) > 0 {
                    fields["AccountId"] = .string(
                        RecordId.make(
                            object: "Account",
                            referenceId: "Account\(Int.random(in: 0..<accountCount, using: &g))"))
                }
                records.append(
                    Record(
                        object: name, referenceId: "\(name)\(i)",
                        ownerUsername: "u\(Int.random(in: 0..<userCount, using: &g))@x.com", fields: fields))
            }
        }
        var shares: [ManualShare] = []
        for _ in 0..<Int.random(in: 0...3, using: &g) {
            let r = records.randomElement(using: &g)!
            shares.append(
                ManualShare(
                    recordId: r.id,
                    sharedWith: Bool.random(using: &g)
                        ? .user("u\(Int.random(in: 0..<userCount, using: &g))@x.com")
                        : .group("G\(Int.random(in: 0..<groupCount, using: &g))"),
                    accessLevel: Bool.random(using: &g) ? .read : .edit))
        }
        var permissions: [String: [String: ObjectAccess]] = [:]
        var vad: Set<String> = []
        let choices: [ObjectAccess] = [
            [.read], [.read, .edit], [.read, .edit, .delete], [.read, .viewAllRecords], [],
        ]
        for user in users {
            for name in Self.objects {
                permissions[user.username, default: [:]][name] = choices.randomElement(using: &g)!
            }
            if Int.random(in: 0..<6, using: &g) == 0 { vad.insert(user.username) }
        }
        var restrictions: [String: RestrictionRule] = [:]
        if Bool.random(using: &g) {
            restrictions["Only_Flagged"] = RestrictionRule(
                name: "Only_Flagged", targetEntity: ["Opportunity", "Contact"].randomElement(using: &g)!,
                userCriteria:
                    "$User.Username = 'u\(Int.random(in: 0..<userCount, using: &g))@x.com' || $User.IsActive = false",
                recordFilter: Bool.random(using: &g)
                    ? "Flag__c = true" : "Score__c > 4 && OwnerId != $User.Id")
        }
        org = Org(
            objects: objects, roles: roles, groups: groups, sharingRules: rules,
            restrictionRules: restrictions,
            users: users,
            records: RecordSet(records), manualShares: shares)
        self.permissions = permissions
        viewAllData = vad
    }

    func evaluator(_ org: Org? = nil, viewAllData: Set<String>? = nil) -> SharingEvaluator {
        SharingEvaluator(
            org: org ?? self.org,
            permissions: ObjectPermissionsView(
                table: permissions, viewAllData: viewAllData ?? self.viewAllData))
    }

    /// user → record Id → level, over every object.
    static func levels(_ e: SharingEvaluator) -> [String: [String: AccessLevel]] {
        var out: [String: [String: AccessLevel]] = [:]
        for user in e.org.users {
            for object in objects {
                let records = e.org.records.records(of: object)
                for (i, level) in (e.levels(object: object, username: user.username) ?? []).enumerated() {
                    out[user.username, default: [:]][records[i].id] = level
                }
            }
        }
        return out
    }

    static func atLeast(_ a: [String: [String: AccessLevel]], _ b: [String: [String: AccessLevel]]) -> Bool {
        a.allSatisfy { user, levels in levels.allSatisfy { id, level in level >= (b[user]?[id] ?? .none) } }
    }
}

@Suite("Sharing properties (seeded)")
struct SharingPropertyTests {
    static let seeds: [UInt64] = Array(1...40)

    @Test("bulk and explain paths agree on every record and user", arguments: seeds)
    func consistent(seed: UInt64) {
        let e = RandomSharingOrg(seed: seed).evaluator()
        for object in RandomSharingOrg.objects { RecordFixtures.expectConsistent(e, object: object) }
    }

    @Test(
        "REC-1 when sharing hides nothing from a user, every record is readable unless OBJ-9 caps all",
        arguments: seeds)
    func seesEveryRecord(seed: UInt64) {
        let e = RandomSharingOrg(seed: seed).evaluator()
        for object in RandomSharingOrg.objects {
            for user in e.org.users where e.seesEveryRecord(username: user.username, object: object) {
                let levels = e.levels(object: object, username: user.username) ?? []
                #expect(
                    levels.allSatisfy { $0 >= .read } || levels.allSatisfy { $0 == .none },
                    "\(user.username) on \(object)")
            }
        }
    }

    @Test("adding a sharing rule never reduces anyone's access", arguments: seeds)
    func addRule(seed: UInt64) {
        let base = RandomSharingOrg(seed: seed)
        var more = base.org
        var g = SharingSeededGenerator(seed: seed &* 31)
        let object = RandomSharingOrg.objects.randomElement(using: &g)!
        more.sharingRules.append(
            SharingRule(
                object: object, name: "Extra",
                kind: .criteria(
                    CriteriaFilter(items: [CriteriaItem(field: "Flag__c", operation: "equals", value: "True")]
                    ), includeRecordsOwnedByAll: nil),
                sharedTo: SharingPrincipal(kind: "group", name: base.org.groups.keys.sorted().first!),
                accessLevel: .edit,
                accountSettings: object == "Account"
                    ? AccountSharingSettings(
                        caseAccessLevel: .read, contactAccessLevel: .read, opportunityAccessLevel: .edit)
                    : nil))
        let before = RandomSharingOrg.levels(base.evaluator())
        let after = RandomSharingOrg.levels(base.evaluator(more))
        #expect(RandomSharingOrg.atLeast(after, before))
    }

    @Test("adding a group membership never reduces anyone's access", arguments: seeds)
    func addMember(seed: UInt64) {
        let base = RandomSharingOrg(seed: seed)
        var more = base.org
        var g = SharingSeededGenerator(seed: seed &* 17)
        let group = base.org.groups.keys.sorted().randomElement(using: &g)!
        let user = base.org.users.randomElement(using: &g)!.username
        more.groups[group]!.members.append(.user(user))
        #expect(
            RandomSharingOrg.atLeast(
                RandomSharingOrg.levels(base.evaluator(more)), RandomSharingOrg.levels(base.evaluator())))
    }

    @Test("removing View All Data never increases anyone's access", arguments: seeds)
    func removeViewAllData(seed: UInt64) {
        let base = RandomSharingOrg(seed: seed)
        let everyone = Set(base.org.users.map(\.username))
        let with = RandomSharingOrg.levels(base.evaluator(viewAllData: everyone))
        let without = RandomSharingOrg.levels(base.evaluator(viewAllData: []))
        #expect(RandomSharingOrg.atLeast(with, without))
    }

    @Test(
        "the answer does not depend on the order rules, records, shares and users were loaded",
        arguments: seeds)
    func orderIndependent(seed: UInt64) {
        let base = RandomSharingOrg(seed: seed)
        var g = SharingSeededGenerator(seed: seed &* 7)
        var shuffled = base.org
        shuffled.sharingRules.shuffle(using: &g)
        shuffled.records = RecordSet(base.org.records.all.shuffled(using: &g))
        shuffled.manualShares.shuffle(using: &g)
        shuffled.users.shuffle(using: &g)
        #expect(
            RandomSharingOrg.levels(base.evaluator()) == RandomSharingOrg.levels(base.evaluator(shuffled)))
    }
}

@Suite("Criteria rules: column-wise matching equals per-record matching (seeded)")
struct CriteriaColumnPropertyTests {
    static let operations = [
        "equals", "notEqual", "lessThan", "greaterThan", "lessOrEqual", "greaterOrEqual", "contains",
        "notContain",
        "startsWith", "includes", "excludes",
    ]

    @Test(
        "REC-11 a rule to all internal users shares exactly the records its filter matches",
        arguments: Array(UInt64(1)...30))
    func columnsMatchRecords(seed: UInt64) {
        var g = SharingSeededGenerator(seed: seed)
        var object = SObjectType(name: "Thing__c", sharingModel: .private)
        object.fields = [
            "Num__c": Field(name: "Num__c", type: .number), "Text__c": Field(name: "Text__c", type: .text),
            "Flag__c": Field(name: "Flag__c", type: .checkbox), "Day__c": Field(name: "Day__c", type: .date),
            "Tags__c": Field(name: "Tags__c", type: .multiselectPicklist),
        ]
        let texts = ["a", "ab", "B", "abc", "", "b;a"]
        let values: [String: [String]] = [
            "Num__c": ["1", "2.5", "2.50", "10", "-3", ""], "Text__c": texts,
            "Flag__c": ["True", "False", ""],
            "Day__c": ["2020-01-01", "2021-06-30", ""], "Tags__c": ["a", "b", "a;b", "c,a", ""],
        ]
        var records: [Record] = []
        for i in 0..<30 {
            var fields: [String: FieldValue] = [:]
            if Bool.random(using: &g) {
                fields["Num__c"] = .number([1, 2.5, 10, -3, 0].randomElement(using: &g)!)
            }
            if Bool.random(using: &g) { fields["Text__c"] = .string(texts.randomElement(using: &g)!) }
            if Bool.random(using: &g) { fields["Flag__c"] = .boolean(Bool.random(using: &g)) }
            if Bool.random(using: &g) {
                fields["Day__c"] = .date(
                    ["2020-01-01", "2020-12-31", "2022-02-02"].randomElement(using: &g)!)
            }
            if Bool.random(using: &g) {
                fields["Tags__c"] = .string(["a", "a;b", "b;c", ""].randomElement(using: &g)!)
            }
            records.append(
                Record(object: "Thing__c", referenceId: "T\(i)", ownerUsername: "owner@x.com", fields: fields)
            )
        }
        var items: [CriteriaItem] = []
        for _ in 0..<Int.random(in: 1...3, using: &g) {
            let field = values.keys.sorted().randomElement(using: &g)!
            items.append(
                CriteriaItem(
                    field: field, operation: Self.operations.randomElement(using: &g)!,
                    value: values[field]!.randomElement(using: &g)!))
        }
        let filter = CriteriaFilter(
            items: items,
            booleanFilter: items.count == 3
                ? ["1 AND (2 OR 3)", "NOT 1 OR 2 AND 3"].randomElement(using: &g)! : nil)
        let org = Org(
            objects: ["Thing__c": object],
            sharingRules: [
                SharingRule(
                    object: "Thing__c", name: "R", kind: .criteria(filter, includeRecordsOwnedByAll: nil),
                    sharedTo: SharingPrincipal(kind: "allInternalUsers", name: ""), accessLevel: .read)
            ],
            users: [
                User(username: "owner@x.com", license: "S", profile: "P"),
                User(username: "reader@x.com", license: "S", profile: "P"),
            ],
            records: RecordSet(records))
        let e = SharingEvaluator(org: org)
        let matcher = CriteriaMatcher(filter, object: object)
        let expected = records.map { r in matcher.matches { r[$0] } ? AccessLevel.read : .none }
        #expect(
            e.levels(object: "Thing__c", username: "reader@x.com") == expected,
            "\(items) \(filter.booleanFilter ?? "")")
    }
}
