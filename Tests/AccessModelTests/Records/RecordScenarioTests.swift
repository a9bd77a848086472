import AccessModel
import Foundation
import Testing

@Suite("Record access scenarios")
struct RecordScenarioTests {
    typealias F = RecordFixtures

    @Test("T03 REC-9 REC-11 criteria rule to a public group shares exactly the flagged accounts, read only")
    func t03() throws {
        let org = F.t03()
        let e = SharingEvaluator(org: org, permissions: F.permissions(["Account": [.read]]))
        #expect(F.visibleRefs(e, "Account") == ["A1", "A2"])
        let a1 = try #require(e.decision(username: F.iu, recordId: F.id("Account", "A1")))
        #expect(a1.level == .read)  // PATCH → INSUFFICIENT_ACCESS_OR_READONLY
        let rule = try #require(a1.reasons.first { $0.kind == .sharingRule })
        #expect(rule.source == "sharingRule:Account.Send_to_HubSpot")
        #expect(rule.via == "group:HubSpot_Sync")
        #expect(
            rule.message.contains(
                "shared by rule `Send_to_HubSpot` to group `HubSpot_Sync`, which contains the user"))
        let a3 = try #require(e.decision(username: F.iu, recordId: "A3"))
        #expect(a3.level == .none)
        let notShared = try #require(a3.reasons.first { $0.kind == .notShared })
        #expect(
            notShared.message
                == "Account OWD is Private and no rule matches: `Send_to_Hubspot__c` is false (rule wants equals True)"
        )
        F.expectConsistent(e, object: "Account")
    }

    @Test("T03 OBJ-9 a Read/Write rule is capped at Read by object permissions")
    func t03Cap() throws {
        var org = F.t03()
        org.sharingRules[0].accessLevel = .edit
        let e = SharingEvaluator(org: org, permissions: F.permissions(["Account": [.read]]))
        let a1 = try #require(e.decision(username: F.iu, recordId: "A1"))
        #expect(a1.level == .read)
        #expect(a1.reasons.contains { $0.kind == .objectPermissionCap && $0.level == .read })
        let crud = SharingEvaluator(org: org, permissions: F.permissions(["Account": [.read, .edit]]))
        #expect(crud.decision(username: F.iu, recordId: "A1")?.level == .edit)
    }

    @Test("T04 REC-18 View All Records on Account shows every account")
    func t04() throws {
        let e = SharingEvaluator(
            org: F.t03(), permissions: F.permissions(["Account": [.read, .viewAllRecords]]))
        #expect(F.visibleRefs(e, "Account") == ["A1", "A2", "A3"])
        let a3 = try #require(e.decision(username: F.iu, recordId: "A3"))
        #expect(a3.level == .read)
        #expect(a3.reasons.map(\.kind) == [.viewAll])
        F.expectConsistent(e, object: "Account")
    }

    @Test("T04 REC-18 OBJ-5 View All Data shows every account; removing it hides the unshared one")
    func t04ViewAllData() throws {
        let withVAD = SharingEvaluator(
            org: F.t03(), permissions: F.permissions(["Account": [.read]], viewAllData: true))
        #expect(F.visibleRefs(withVAD, "Account") == ["A1", "A2", "A3"])
        #expect(withVAD.decision(username: F.iu, recordId: "A3")?.reasons.first?.kind == .viewAllData)
        let without = SharingEvaluator(org: F.t03(), permissions: F.permissions(["Account": [.read]]))
        #expect(F.visibleRefs(without, "Account") == ["A1", "A2"])
    }

    @Test("T05 REC-13 unflagging A1 removes the rule's grant")
    func t05() throws {
        let e = SharingEvaluator(org: F.t03(a1Flag: false), permissions: F.permissions(["Account": [.read]]))
        #expect(F.visibleRefs(e, "Account") == ["A2"])
        #expect(e.decision(username: F.iu, recordId: "A1")?.level == AccessLevel.none)
        F.expectConsistent(e, object: "Account")
    }

    @Test("T06 REC-9 a sharing rule targeting an individual user is a validation error and grants nothing")
    func t06() throws {
        let org = F.t03(ruleTarget: SharingPrincipal(kind: "user", name: F.iu))
        let problems = SharingRule.validate(org)
        #expect(problems.count == 1)
        #expect(problems.first?.code == "KH-SHARING-RULE-USER-TARGET")
        #expect(problems.first?.severity == .error)
        #expect(problems.first?.message.contains("cannot target individual users") == true)
        let e = SharingEvaluator(org: org, permissions: F.permissions(["Account": [.read]]))
        #expect(F.visibleRefs(e, "Account").isEmpty)
        #expect(e.notes(for: "Account").contains { $0.contains("REC-9") })
    }

    func t20(hierarchy: Bool) -> SharingEvaluator {
        let org = Org(
            objects: ["Custom__c": F.object("Custom__c", sharing: .private, hierarchy: hierarchy)],
            roles: [
                "Integration": Role(name: "Integration"), "Rep": Role(name: "Rep", parentRole: "Integration"),
            ],
            users: [F.integrationUser(), F.user("rep@acme.com", role: "Rep")],
            records: RecordSet([F.record("Custom__c", "R1", owner: "rep@acme.com")]))
        return SharingEvaluator(org: org, permissions: .crud)
    }

    @Test("T20 REC-7 role hierarchy on: the manager's role sees the subordinate's record with full access")
    func t20On() throws {
        let e = t20(hierarchy: true)
        let d = try #require(e.decision(username: F.iu, recordId: "R1"))
        #expect(d.level == .all)
        let reason = try #require(d.reasons.first)
        #expect(reason.kind == .roleHierarchy)
        #expect(reason.via == "role:Integration")
        #expect(reason.message.contains("above the owner `rep@acme.com` (role `Rep`)"))
        F.expectConsistent(e, object: "Custom__c")
    }

    @Test("T20 REC-7 role hierarchy off on a custom object: the manager does not see it")
    func t20Off() throws {
        let e = t20(hierarchy: false)
        #expect(e.decision(username: F.iu, recordId: "R1")?.level == AccessLevel.none)
        F.expectConsistent(e, object: "Custom__c")
    }

    @Test("T20 REC-7 hierarchy is always on for standard objects")
    func t20Standard() throws {
        let org = Org(
            objects: ["Account": F.object("Account", sharing: .private, hierarchy: false)],
            roles: [
                "Integration": Role(name: "Integration"), "Rep": Role(name: "Rep", parentRole: "Integration"),
            ],
            users: [F.integrationUser(), F.user("rep@acme.com", role: "Rep")],
            records: RecordSet([F.record("Account", "R1", owner: "rep@acme.com")]))
        #expect(SharingEvaluator(org: org).decision(username: F.iu, recordId: "R1")?.level == .all)
        #expect(
            !SharingEvaluator(org: org).seesEveryRecord(username: F.iu, object: "Account"),
            "REC-1: under a Private OWD the hierarchy reaches some records, not every one")
    }

    func t21(rule: Bool) -> Org {
        let account = F.object("Account", sharing: .private)
        let contact = F.object(
            "Contact", sharing: .private,
            fields: [F.lookup("AccountId", to: "Account"), F.checkbox("Sync__c")])
        let a = F.record("Account", "A")
        let c1 = F.record(
            "Contact", "C1", ["AccountId": .string(F.id("Account", "A")), "Sync__c": .boolean(true)])
        return Org(
            objects: ["Account": account, "Contact": contact],
            groups: ["Sync": PublicGroup(name: "Sync", members: [.user(F.iu)])],
            sharingRules: rule
                ? [
                    F.criteriaRule(
                        "Contact", "Sync_Contacts", to: F.group("Sync"),
                        [CriteriaItem(field: "Sync__c", operation: "equals", value: "True")])
                ]
                : [],
            users: [F.integrationUser(role: nil), F.user(F.owner)],
            records: RecordSet([a, c1]))
    }

    @Test("T21 REC-14 a contact shared by rule gives Read on its account")
    func t21() throws {
        let e = SharingEvaluator(org: t21(rule: true), permissions: .crud)
        #expect(e.decision(username: F.iu, recordId: "C1")?.level == .read)
        let a = try #require(e.decision(username: F.iu, recordId: "A"))
        #expect(a.level == .read)  // PATCH on A → INSUFFICIENT_ACCESS_OR_READONLY
        let reason = try #require(a.reasons.first { $0.kind == .implicitParent })
        #expect(reason.via == "Contact:\(F.id("Contact", "C1"))")
        #expect(reason.message.contains("Sync_Contacts"))
        F.expectConsistent(e, object: "Account")
        F.expectConsistent(e, object: "Contact")
    }

    @Test("T21 REC-14 a contact seen only through View All gives nothing on its account")
    func t21ViewAll() throws {
        let e = SharingEvaluator(
            org: t21(rule: false),
            permissions: F.permissions(["Contact": [.read, .viewAllRecords], "Account": [.read]]))
        #expect(e.decision(username: F.iu, recordId: "C1")?.level == .read)
        #expect(e.decision(username: F.iu, recordId: "A")?.level == AccessLevel.none)
        F.expectConsistent(e, object: "Account")
    }

    @Test("T22 REC-12 account rule child levels: opportunities Read, contacts and cases None")
    func t22() throws {
        let accountId = F.id("Account", "A")
        let objects = [
            "Account": F.object("Account", sharing: .private),
            "Contact": F.object("Contact", sharing: .private, fields: [F.lookup("AccountId", to: "Account")]),
            "Case": F.object("Case", sharing: .private, fields: [F.lookup("AccountId", to: "Account")]),
            "Opportunity": F.object(
                "Opportunity", sharing: .private, fields: [F.lookup("AccountId", to: "Account")]),
        ]
        let rule = F.ownerRule(
            "Account", "Partners", from: F.role("Sales"), to: F.group("Sync"),
            account: AccountSharingSettings(
                caseAccessLevel: .none, contactAccessLevel: .none, opportunityAccessLevel: .read))
        let org = Org(
            objects: objects, roles: ["Sales": Role(name: "Sales")],
            groups: ["Sync": PublicGroup(name: "Sync", members: [.user(F.iu)])], sharingRules: [rule],
            users: [F.integrationUser(role: nil), F.user(F.owner, role: "Sales")],
            records: RecordSet([
                F.record("Account", "A"),
                F.record("Contact", "C", ["AccountId": .string(accountId)]),
                F.record("Case", "K", ["AccountId": .string(accountId)]),
                F.record("Opportunity", "O", ["AccountId": .string(accountId)]),
            ]))
        let e = SharingEvaluator(org: org, permissions: .crud)
        #expect(F.visibleRefs(e, "Account") == ["A"])
        #expect(F.visibleRefs(e, "Opportunity") == ["O"])
        #expect(F.visibleRefs(e, "Contact").isEmpty)
        #expect(F.visibleRefs(e, "Case").isEmpty)
        let o = try #require(e.decision(username: F.iu, recordId: "O"))
        #expect(o.reasons.first?.kind == .sharingRule)
        #expect(o.reasons.first?.message.contains("with Opportunity access Read (REC-12)") == true)
        for object in objects.keys { F.expectConsistent(e, object: object) }
    }

    func t23(userCriteria: String) -> Org {
        let invoice = F.object("Invoice__c", sharing: .readWrite, fields: [F.checkbox("Send_to_Hubspot__c")])
        let rule = RestrictionRule(
            name: "HubSpot_Only", targetEntity: "Invoice__c", userCriteria: userCriteria,
            recordFilter: "Send_to_Hubspot__c = true")
        return Org(
            objects: ["Invoice__c": invoice], restrictionRules: ["HubSpot_Only": rule],
            users: [F.integrationUser(), F.user(F.owner)],
            records: RecordSet([
                F.record("Invoice__c", "I1", ["Send_to_Hubspot__c": .boolean(true)]),
                F.record("Invoice__c", "I2", ["Send_to_Hubspot__c": .boolean(false)]),
                F.record("Invoice__c", "I3", ["Send_to_Hubspot__c": .boolean(true)]),
            ]))
    }

    @Test("T23 REC-20 restriction rule on the user's profile shows only flagged invoices")
    func t23() throws {
        for criteria in [
            "$User.ProfileId = '\(F.integrationProfile)'",
            "$User.ProfileId = '\(RecordId.make(object: "Profile", referenceId: F.integrationProfile))'",
            "$User.Username = '\(F.iu)'",
        ] {
            let e = SharingEvaluator(org: t23(userCriteria: criteria), permissions: .crud)
            #expect(F.visibleRefs(e, "Invoice__c") == ["I1", "I3"], "\(criteria)")
            #expect(F.visibleRefs(e, "Invoice__c", F.owner) == ["I1", "I2", "I3"])
            #expect(!e.seesEveryRecord(username: F.iu, object: "Invoice__c"), "the rule filters")
            #expect(e.seesEveryRecord(username: F.owner, object: "Invoice__c"), "Public Read/Write, no rule")
            let i2 = try #require(e.decision(username: F.iu, recordId: "I2"))
            #expect(i2.level == AccessLevel.none)
            #expect(i2.reasons.last?.kind == .restrictionRule)
            #expect(i2.reasons.last?.source == "restrictionRule:HubSpot_Only")
            F.expectConsistent(e, object: "Invoice__c")
        }
    }

    @Test("T23 REC-21 View All on the object supersedes the restriction rule")
    func t23ViewAll() throws {
        let e = SharingEvaluator(
            org: t23(userCriteria: "$User.Username = '\(F.iu)'"),
            permissions: F.permissions(["Invoice__c": [.read, .edit, .viewAllRecords]]))
        #expect(F.visibleRefs(e, "Invoice__c") == ["I1", "I2", "I3"])
        F.expectConsistent(e, object: "Invoice__c")
    }

    @Test("T23 REC-20 user criteria that cannot be evaluated leave the rule unapplied, with a reason")
    func t23Unknown() throws {
        let e = SharingEvaluator(
            org: t23(userCriteria: "$User.Department = 'Integration'"), permissions: .crud)
        #expect(F.visibleRefs(e, "Invoice__c") == ["I1", "I2", "I3"])
        #expect(e.seesEveryRecord(username: F.iu, object: "Invoice__c"), "a rule not applied filters nothing")
        let i2 = try #require(e.decision(username: F.iu, recordId: "I2"))
        #expect(
            i2.reasons.contains {
                $0.kind == .restrictionRule && $0.message.contains("cannot evaluate userCriteria")
            })
        let broken = SharingEvaluator(org: t23(userCriteria: "$User.Username = "), permissions: .crud)
        #expect(F.visibleRefs(broken, "Invoice__c").count == 3)
        #expect(!broken.notes(for: "Invoice__c").isEmpty)
    }

    @Test("T24 REC-22 scoping rule filters only under USING SCOPE (assumed)")
    func t24() throws {
        let account = F.object("Account", sharing: .readWrite, fields: [F.text("Region__c")])
        let org = Org(
            objects: ["Account": account],
            restrictionRules: [
                "EU_Scope": RestrictionRule(
                    name: "EU_Scope", enforcementType: "Scoping", targetEntity: "Account",
                    userCriteria: "$User.Username = '\(F.iu)'", recordFilter: "Region__c = 'EU'")
            ],
            users: [F.integrationUser(), F.user(F.owner)],
            records: RecordSet([
                F.record("Account", "EU1", ["Region__c": .string("EU")]),
                F.record("Account", "US1", ["Region__c": .string("US")]),
            ]))
        let plain = SharingEvaluator(org: org, permissions: .crud)
        #expect(F.visibleRefs(plain, "Account") == ["EU1", "US1"])
        let scoped = SharingEvaluator(org: org, permissions: .crud, options: .init(usingScope: true))
        #expect(F.visibleRefs(scoped, "Account") == ["EU1"])
        F.expectConsistent(plain, object: "Account")
        F.expectConsistent(scoped, object: "Account")
    }
}

@Suite("Record decision JSON")
struct RecordDecisionJSONTests {
    @Test(
        "JSON keys are the public contract: id, referenceId, name, access, reasons[kind, source, via, message]"
    )
    func keys() throws {
        let e = SharingEvaluator(
            org: RecordFixtures.t03(), permissions: RecordFixtures.permissions(["Account": [.read]]))
        let d = try #require(e.decision(username: RecordFixtures.iu, recordId: "A1"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let object = try #require(try JSONSerialization.jsonObject(with: encoder.encode(d)) as? [String: Any])
        #expect(Set(object.keys) == ["id", "referenceId", "name", "access", "reasons"])
        #expect(object["access"] as? String == "read")
        #expect(object["id"] as? String == RecordFixtures.id("Account", "A1"))
        let reason = try #require((object["reasons"] as? [[String: Any]])?.first)
        #expect(reason["kind"] as? String == "sharingRule")
        #expect(reason["source"] as? String == "sharingRule:Account.Send_to_HubSpot")
        #expect(reason["via"] as? String == "group:HubSpot_Sync")
    }
}
