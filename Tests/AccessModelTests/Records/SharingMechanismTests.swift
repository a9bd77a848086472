import AccessModel
import Testing

@Suite("Sharing mechanisms")
struct SharingMechanismTests {
    typealias F = RecordFixtures

    /// CEO ← VP ← Manager ← Rep, plus a portal role under Rep.
    static let roles: [String: Role] = [
        "CEO": Role(name: "CEO"),
        "VP": Role(name: "VP", parentRole: "CEO"),
        "Manager": Role(name: "Manager", parentRole: "VP"),
        "Rep": Role(
            name: "Rep", parentRole: "Manager", contactAccessLevel: .edit, opportunityAccessLevel: .read),
        "Portal": Role(name: "Portal", parentRole: "Rep"),
    ]

    static let people: [User] = [
        F.user("ceo@acme.com", role: "CEO"), F.user("vp@acme.com", role: "VP"),
        F.user("manager@acme.com", role: "Manager"), F.user("rep@acme.com", role: "Rep"),
        F.user("portal@acme.com", role: "Portal", external: true), F.user("other@acme.com"),
        F.user(F.owner),
    ]

    func org(
        groups: [PublicGroup] = [], rules: [SharingRule] = [], shares: [ManualShare] = [],
        objects: [SObjectType] = [F.object("Account", sharing: .private)],
        records: [Record] = [F.record("Account", "A")]
    ) -> Org {
        Org(
            objects: Dictionary(uniqueKeysWithValues: objects.map { ($0.name, $0) }), roles: Self.roles,
            groups: Dictionary(uniqueKeysWithValues: groups.map { ($0.name, $0) }), sharingRules: rules,
            users: Self.people, records: RecordSet(records), manualShares: shares)
    }

    func level(_ e: SharingEvaluator, _ user: String, _ ref: String) -> AccessLevel {
        e.decision(username: user, recordId: ref)?.level ?? .none
    }

    func ruleTo(_ principal: SharingPrincipal, level: AccessLevel = .read) -> SharingRule {
        F.criteriaRule(
            "Account", "All", to: principal, level: level,
            [CriteriaItem(field: "Name", operation: "equals", value: "A")])
    }

    @Test("REC-8 nested public groups share with members of inner groups, transitively")
    func nestedGroups() {
        let groups = [
            PublicGroup(name: "Outer", members: [.group("Middle")]),
            PublicGroup(name: "Middle", members: [.group("Inner"), .role("VP")]),
            PublicGroup(name: "Inner", members: [.user("other@acme.com")]),
        ]
        let e = SharingEvaluator(org: org(groups: groups, rules: [ruleTo(F.group("Outer"))]))
        #expect(level(e, "other@acme.com", "A") == .read)
        #expect(level(e, "vp@acme.com", "A") == .read)
        #expect(level(e, "ceo@acme.com", "A") == .none)  // no include-bosses
        #expect(level(e, "rep@acme.com", "A") == .none)
        F.expectConsistent(e, object: "Account")
    }

    @Test("REC-8 a group nesting loop is tolerated and reported")
    func groupLoop() {
        let groups = [
            PublicGroup(name: "G1", members: [.group("G2"), .user("rep@acme.com")]),
            PublicGroup(name: "G2", members: [.group("G1")]),
        ]
        let e = SharingEvaluator(org: org(groups: groups, rules: [ruleTo(F.group("G2"))]))
        #expect(level(e, "rep@acme.com", "A") == .read)
        #expect(e.notes.contains { $0.contains("contains itself") })
    }

    @Test("REC-8 doesIncludeBosses extends a group share to users above the members")
    func includeBosses() throws {
        let groups = [PublicGroup(name: "Reps", doesIncludeBosses: true, members: [.user("rep@acme.com")])]
        let e = SharingEvaluator(org: org(groups: groups, rules: [ruleTo(F.group("Reps"))]))
        #expect(level(e, "rep@acme.com", "A") == .read)
        #expect(level(e, "manager@acme.com", "A") == .read)
        #expect(level(e, "ceo@acme.com", "A") == .read)
        #expect(level(e, "other@acme.com", "A") == .none)
        let reason = try #require(e.decision(username: "ceo@acme.com", recordId: "A")?.reasons.first)
        #expect(reason.message.contains("the user is above a member in the role hierarchy"))
        F.expectConsistent(e, object: "Account")
    }

    @Test("REC-8 REC-9 role, roleAndSubordinates, roleAndSubordinatesInternal and allInternalUsers targets")
    func roleTargets() {
        let role = SharingEvaluator(org: org(rules: [ruleTo(F.role("Manager"))]))
        #expect(level(role, "manager@acme.com", "A") == .read)
        #expect(level(role, "vp@acme.com", "A") == .read)  // hierarchy grants upward
        #expect(level(role, "rep@acme.com", "A") == .none)
        let subs = SharingEvaluator(
            org: org(rules: [ruleTo(SharingPrincipal(kind: "roleAndSubordinates", name: "Rep"))]))
        #expect(level(subs, "portal@acme.com", "A") == .read)
        let internalSubs = SharingEvaluator(
            org: org(rules: [ruleTo(SharingPrincipal(kind: "roleAndSubordinatesInternal", name: "Rep"))]))
        #expect(level(internalSubs, "rep@acme.com", "A") == .read)
        #expect(level(internalSubs, "portal@acme.com", "A") == .none)
        let everyone = SharingEvaluator(
            org: org(rules: [ruleTo(SharingPrincipal(kind: "allInternalUsers", name: ""))]))
        #expect(level(everyone, "other@acme.com", "A") == .read)
        #expect(level(everyone, "portal@acme.com", "A") == .none)
        for e in [role, subs, internalSubs, everyone] { F.expectConsistent(e, object: "Account") }
    }

    @Test("REC-8 group members by role and roleAndInternalSubordinates")
    func groupRoleMembers() {
        let groups = [
            PublicGroup(name: "G", members: [.roleAndInternalSubordinates("Manager"), .allInternalUsers])
        ]
        let e = SharingEvaluator(org: org(groups: groups, rules: [ruleTo(F.group("G"))]))
        #expect(level(e, "rep@acme.com", "A") == .read)
        #expect(level(e, "portal@acme.com", "A") == .none)
    }

    @Test("REC-10 owner rule shares records owned by members of sharedFrom")
    func ownerRule() throws {
        let rule = F.ownerRule(
            "Account", "Reps_To_Other",
            from: SharingPrincipal(kind: "roleAndSubordinatesInternal", name: "Manager"),
            to: F.group("O"), level: .edit)
        let e = SharingEvaluator(
            org: org(
                groups: [PublicGroup(name: "O", members: [.user("other@acme.com")])], rules: [rule],
                records: [
                    F.record("Account", "ByRep", owner: "rep@acme.com"),
                    F.record("Account", "ByVP", owner: "vp@acme.com"),
                ]))
        #expect(level(e, "other@acme.com", "ByRep") == .edit)
        #expect(level(e, "other@acme.com", "ByVP") == .none)
        #expect(
            e.decision(username: "other@acme.com", recordId: "ByRep")?.reasons.first?.source
                == "sharingRule:Account.Reps_To_Other")
        F.expectConsistent(e, object: "Account")
    }

    @Test("guest rules never grant internal users")
    func guestRule() {
        let rule = SharingRule(
            object: "Account", name: "Guests",
            kind: .guest(
                CriteriaFilter(items: [CriteriaItem(field: "Name", operation: "equals", value: "A")]),
                includeHVUOwnedRecords: false),
            sharedTo: SharingPrincipal(kind: "guestUser", name: "Site"), accessLevel: .read)
        let e = SharingEvaluator(org: org(rules: [rule]))
        for user in Self.people where user.username != F.owner {
            #expect(level(e, user.username, "A") == .none)
        }
    }

    @Test("REC-7 users above the owner get full access; peers in the same role do not")
    func hierarchy() {
        let e = SharingEvaluator(
            org: org(records: [F.record("Account", "R", owner: "rep@acme.com")]), permissions: .crud)
        #expect(level(e, "rep@acme.com", "R") == .all)
        #expect(level(e, "manager@acme.com", "R") == .all)
        #expect(level(e, "ceo@acme.com", "R") == .all)
        #expect(level(e, "other@acme.com", "R") == .none)
        #expect(level(e, "portal@acme.com", "R") == .none)
        F.expectConsistent(e, object: "Account")
    }

    @Test("REC-17 manual share to a user reaches the user and those above; to a group its members")
    func manualShares() throws {
        let a = F.id("Account", "A")
        let e = SharingEvaluator(
            org: org(
                groups: [PublicGroup(name: "O", members: [.user("other@acme.com")])],
                shares: [
                    ManualShare(recordId: a, sharedWith: .user("rep@acme.com"), accessLevel: .edit),
                    ManualShare(recordId: a, sharedWith: .group("O"), accessLevel: .read),
                ]))
        #expect(level(e, "rep@acme.com", "A") == .edit)
        #expect(level(e, "manager@acme.com", "A") == .edit)
        #expect(level(e, "other@acme.com", "A") == .read)
        #expect(level(e, "portal@acme.com", "A") == .none)
        let reason = try #require(e.decision(username: "rep@acme.com", recordId: "A")?.reasons.first)
        #expect(reason.kind == .manualShare)
        #expect(reason.via == "user:rep@acme.com")
        F.expectConsistent(e, object: "Account")
    }

    @Test("REC-4 an unset OWD uses the Spring '20 default and says it is assumed; an unknown one is Private")
    func assumedDefault() throws {
        let assumed = SharingEvaluator(
            org: org(objects: [F.object("Account", sharing: nil, defaultSharing: .readWrite)]),
            permissions: .crud)
        let d = try #require(assumed.decision(username: "other@acme.com", recordId: "A"))
        #expect(d.level == .edit)
        #expect(d.reasons.first?.kind == .orgWideDefault)
        #expect(
            d.reasons.first?.message.contains(
                "assumed Spring '20 default (REC-4); the project does not set it") == true)
        let unknown = SharingEvaluator(
            org: org(objects: [F.object("Account", sharing: nil)]), permissions: .crud)
        let u = try #require(unknown.decision(username: "other@acme.com", recordId: "A"))
        #expect(u.level == .none)
        #expect(
            u.reasons.contains { $0.message.contains("unknown") && $0.message.contains("treated as Private") }
        )
    }

    @Test("REC-3 external users get the external default, never more than the internal one")
    func externalDefault() {
        var account = F.object("Account", sharing: .readWrite)
        account.externalSharingModel = .read
        let e = SharingEvaluator(org: org(objects: [account]), permissions: .crud)
        #expect(level(e, "other@acme.com", "A") == .edit)
        #expect(level(e, "portal@acme.com", "A") == .read)
    }

    // MARK: Account family

    func accountFamily(
        contactSharing: SharingModel = .private, rules: [SharingRule] = [], owner: String = "rep@acme.com"
    )
        -> Org
    {
        let aid = F.id("Account", "A")
        return org(
            groups: [PublicGroup(name: "O", members: [.user("other@acme.com")])], rules: rules,
            objects: [
                F.object("Account", sharing: .private),
                F.object("Contact", sharing: contactSharing, fields: [F.lookup("AccountId", to: "Account")]),
                F.object("Opportunity", sharing: .private, fields: [F.lookup("AccountId", to: "Account")]),
                F.object("Case", sharing: .private, fields: [F.lookup("AccountId", to: "Account")]),
            ],
            records: [
                F.record("Account", "A", owner: owner),
                F.record("Contact", "C", owner: F.owner, ["AccountId": .string(aid)]),
                F.record("Opportunity", "O", owner: F.owner, ["AccountId": .string(aid)]),
                F.record("Case", "K", owner: F.owner, ["AccountId": .string(aid)]),
            ])
    }

    @Test("REC-15 the account owner and those above get child access at the owner's role levels")
    func implicitChild() throws {
        let e = SharingEvaluator(org: accountFamily(), permissions: .crud)
        #expect(level(e, "rep@acme.com", "C") == .edit)
        #expect(level(e, "rep@acme.com", "O") == .read)
        #expect(level(e, "rep@acme.com", "K") == .none)  // role has no caseAccessLevel
        #expect(level(e, "ceo@acme.com", "C") == .edit)
        #expect(level(e, "other@acme.com", "C") == .none)
        let reason = try #require(e.decision(username: "rep@acme.com", recordId: "C")?.reasons.first)
        #expect(reason.kind == .implicitChild)
        #expect(reason.source == "role:Rep")
        for object in ["Account", "Contact", "Opportunity", "Case"] { F.expectConsistent(e, object: object) }
    }

    @Test("REC-14 access to a child case or opportunity gives Read on the account; ownership of a child too")
    func implicitParent() throws {
        let oppRule = SharingRule(
            object: "Opportunity", name: "Opps",
            kind: .criteria(
                CriteriaFilter(items: [CriteriaItem(field: "Name", operation: "equals", value: "O")]),
                includeRecordsOwnedByAll: nil),
            sharedTo: F.group("O"), accessLevel: .edit)
        let e = SharingEvaluator(org: accountFamily(rules: [oppRule]), permissions: .crud)
        #expect(level(e, "other@acme.com", "O") == .edit)
        #expect(level(e, "other@acme.com", "A") == .read)
        // The child owner (owner@acme.com) reads the account too.
        #expect(level(e, F.owner, "A") == .read)
        let reason = try #require(
            e.decision(username: F.owner, recordId: "A")?.reasons.first { $0.kind == .implicitParent })
        #expect(reason.via?.hasPrefix("Contact:") == true)
        for object in ["Account", "Contact", "Opportunity", "Case"] { F.expectConsistent(e, object: object) }
    }

    @Test("REC-16 Contact controlled by parent follows the account's access")
    func contactControlledByParent() throws {
        let rule = F.ownerRule(
            "Account", "Reps", from: F.role("Rep"), to: F.group("O"), level: .edit,
            account: AccountSharingSettings(
                caseAccessLevel: .none, contactAccessLevel: .none, opportunityAccessLevel: .none))
        let e = SharingEvaluator(
            org: accountFamily(contactSharing: .controlledByParent, rules: [rule]), permissions: .crud)
        #expect(level(e, "other@acme.com", "C") == .edit)
        let reason = try #require(e.decision(username: "other@acme.com", recordId: "C")?.reasons.first)
        #expect(reason.kind == .controlledByParent)
        #expect(reason.via == "Account:\(F.id("Account", "A"))")
        #expect(level(e, "vp@acme.com", "C") == .all)  // above the account owner
        for object in ["Account", "Contact"] { F.expectConsistent(e, object: object) }
    }

    @Test(
        "REC-16 master-detail detail inherits the master; a junction needs both masters (assumed: the lower level)"
    )
    func masterDetail() throws {
        let master = F.object("Project__c", sharing: .private)
        let other = F.object("Team__c", sharing: .readWrite)
        let detail = F.object(
            "Task__c", sharing: .controlledByParent,
            fields: [Field(name: "Project__c", type: .masterDetail, referenceTo: ["Project__c"])])
        let junction = F.object(
            "Assignment__c", sharing: .controlledByParent,
            fields: [
                Field(name: "Project__c", type: .masterDetail, referenceTo: ["Project__c"]),
                Field(name: "Team__c", type: .masterDetail, referenceTo: ["Team__c"]),
            ])
        let pid = F.id("Project__c", "P")
        let tid = F.id("Team__c", "T")
        let e = SharingEvaluator(
            org: org(
                objects: [master, other, detail, junction],
                records: [
                    F.record("Project__c", "P", owner: "rep@acme.com"), F.record("Team__c", "T"),
                    F.record("Task__c", "D", owner: nil, ["Project__c": .string(pid)]),
                    F.record(
                        "Assignment__c", "J", owner: nil,
                        ["Project__c": .string(pid), "Team__c": .string(tid)]),
                ]), permissions: .crud)
        #expect(level(e, "rep@acme.com", "D") == .all)
        #expect(level(e, "manager@acme.com", "D") == .all)
        #expect(level(e, "other@acme.com", "D") == .none)
        #expect(level(e, "rep@acme.com", "J") == .edit)  // min(All on project, Edit on team)
        #expect(level(e, "other@acme.com", "J") == .none)
        for object in ["Task__c", "Assignment__c"] { F.expectConsistent(e, object: object) }
    }

    @Test("visibility counts every user's readable, editable and full records in one pass")
    func visibility() {
        let e = SharingEvaluator(org: accountFamily(), permissions: .crud)
        let counts = Dictionary(
            uniqueKeysWithValues: e.visibility(object: "Contact").map { ($0.username, $0) })
        #expect(counts["rep@acme.com"]?.editable == 1)
        #expect(counts["rep@acme.com"]?.full == 0)
        #expect(counts[F.owner]?.full == 1)
        #expect(counts["other@acme.com"]?.readable == 0)
    }
}
