import AccessModel
import Foundation
import SalesforceMetadata
import Testing

@Suite("Record data files")
struct RecordDataTests {
    static let org: Org = {
        var account = SObjectType(name: "Account", sharingModel: .private)
        account.fields = [
            "Name": Field(name: "Name", type: .text, isNameField: true),
            "Send_to_Hubspot__c": Field(name: "Send_to_Hubspot__c", type: .checkbox),
            "Founded__c": Field(name: "Founded__c", type: .date),
            "Industry": Field(name: "Industry", type: .picklist, picklistValues: ["Banking", "Energy"]),
            "AnnualRevenue": Field(name: "AnnualRevenue", type: .currency),
        ]
        var contact = SObjectType(name: "Contact", sharingModel: .private)
        contact.fields = [
            "LastName": Field(name: "LastName", type: .text),
            "AccountId": Field(
                name: "AccountId", type: .lookup, referenceTo: ["Account"], relationshipName: "Account"),
            "LastSeen__c": Field(name: "LastSeen__c", type: .dateTime),
        ]
        return Org(
            objects: ["Account": account, "Contact": contact],
            groups: ["HubSpot_Sync": PublicGroup(name: "HubSpot_Sync")],
            users: [
                User(username: "owner@acme.com", license: "Salesforce", profile: "Standard User"),
                User(
                    username: "iu@acme.com", id: "005000000000001AAA", license: "Salesforce Integration",
                    profile: "API"),
            ])
    }()

    static func file(_ path: String, _ text: String) -> (path: String, contents: Data) {
        (path, Data(text.utf8))
    }

    static let accountsJSON = file(
        "data/Account.json",
        """
        {"records":[
          {"attributes":{"type":"Account","referenceId":"AccountRef1"},"Name":"Acme","Send_to_Hubspot__c":true,
           "Founded__c":"1999-12-31","Industry":"Banking","AnnualRevenue":1250000.5,"OwnerId":"owner@acme.com"},
          {"attributes":{"type":"Account","referenceId":"AccountRef2"},"Name":"Globex","Send_to_Hubspot__c":false,
           "OwnerId":"005000000000001"}
        ]}
        """)
    static let contactsJSON = file(
        "data/Contact.json",
        """
        {"records":[
          {"attributes":{"type":"Contact","referenceId":"ContactRef1"},"LastName":"Doe","AccountId":"@AccountRef1",
           "LastSeen__c":"2024-01-31T10:00:00.000+0000","OwnerId":"owner@acme.com"}
        ]}
        """)

    @Test("tree JSON with @references across files, typed values and owners")
    func treeJSON() throws {
        let (records, shares, diagnostics) = RecordData.load(
            files: [Self.contactsJSON, Self.accountsJSON], org: Self.org)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(shares.isEmpty)
        #expect(records.count == 3)
        let acme = try #require(records.record(referenceId: "AccountRef1"))
        #expect(acme.id == RecordId.make(object: "Account", referenceId: "AccountRef1"))
        #expect(acme.ownerUsername == "owner@acme.com")
        #expect(acme["Send_to_Hubspot__c"] == .boolean(true))
        #expect(acme["Founded__c"] == .date("1999-12-31"))
        #expect(acme["AnnualRevenue"] == .number(Decimal(string: "1250000.5")!))
        #expect(records.record(referenceId: "AccountRef2")?.ownerUsername == "iu@acme.com")
        let doe = try #require(records.record(referenceId: "ContactRef1"))
        #expect(doe["AccountId"] == .string(acme.id))
        #expect(doe["LastSeen__c"] == .dateTime("2024-01-31T10:00:00.000Z"))
        #expect(
            records.children(of: acme.id, object: "Contact", field: "AccountId").map(\.referenceId) == [
                "ContactRef1"
            ])
    }

    @Test("the plan file orders the files, and the result does not depend on file order")
    func plan() throws {
        let plan = Self.file(
            "data/Account-Contact-plan.json",
            """
            [{"sobject":"Account","saveRefs":true,"resolveRefs":false,"files":["Account.json"]},
             {"sobject":"Contact","saveRefs":false,"resolveRefs":true,"files":["Contact.json"]}]
            """)
        let a = RecordData.load(files: [plan, Self.contactsJSON, Self.accountsJSON], org: Self.org)
        let b = RecordData.load(files: [Self.accountsJSON, plan, Self.contactsJSON], org: Self.org)
        #expect(a.diagnostics.isEmpty)
        #expect(a.records == b.records)
        let missing = Self.file("data/x-plan.json", #"[{"sobject":"Lead","files":["Lead.json"]}]"#)
        let c = RecordData.load(files: [missing], org: Self.org)
        #expect(c.diagnostics.map(\.code) == ["KH-DATA-PLAN-MISSING-FILE"])
    }

    @Test("nested child records get their lookup to the parent")
    func nested() throws {
        let json = Self.file(
            "Account.json",
            """
            {"records":[{"attributes":{"type":"Account","referenceId":"A"},"Name":"Acme",
              "Contacts":{"records":[{"attributes":{"type":"Contact","referenceId":"C"},"LastName":"Doe"}]}}]}
            """)
        let result = RecordData.load(files: [json], org: Self.org)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(
            result.records.record(referenceId: "C")?["AccountId"]
                == .string(RecordId.make(object: "Account", referenceId: "A")))
    }

    @Test("CSV named after the object, RFC 4180 quoting, reference ids and rows")
    func csv() throws {
        let csv = Self.file(
            "data/Account.csv",
            "referenceId,Name,Send_to_Hubspot__c,Industry\r\nA1,\"Acme, Inc.\",true,Banking\r\nA2,\"Say \"\"hi\"\"\nthere\",False,\r\n,Plain,,Energy\r\n"
        )
        let result = RecordData.load(files: [csv], org: Self.org)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.records.record(referenceId: "A1")?["Name"] == .string("Acme, Inc."))
        #expect(result.records.record(referenceId: "A2")?["Name"] == .string("Say \"hi\"\nthere"))
        #expect(result.records.record(referenceId: "A2")?["Send_to_Hubspot__c"] == .boolean(false))
        #expect(result.records.record(referenceId: "A2")?["Industry"] == .null)
        #expect(result.records.record(referenceId: "Account_3")?["Name"] == .string("Plain"))
        let contacts = Self.file(
            "data/Contact.csv", "LastName,AccountId,OwnerId\nDoe,A1,iu@acme.com\nRoe,@A2,005000000000001AAA\n"
        )
        let both = RecordData.load(files: [contacts, csv], org: Self.org)
        #expect(both.diagnostics.isEmpty, "\(both.diagnostics)")
        let doe = try #require(both.records.record(referenceId: "Contact_1"))
        #expect(doe["AccountId"] == .string(RecordId.make(object: "Account", referenceId: "A1")))
        #expect(doe.ownerUsername == "iu@acme.com")
        #expect(
            both.records.record(referenceId: "Contact_2")?["AccountId"]
                == .string(RecordId.make(object: "Account", referenceId: "A2")))
        #expect(both.records.record(referenceId: "Contact_2")?.ownerUsername == "iu@acme.com")
    }

    @Test(
        "bad date, bad picklist, unknown field, unknown owner: errors with file, record and field; nothing dropped"
    )
    func errors() throws {
        let json = Self.file(
            "data/Account.json",
            """
            {"records":[{"attributes":{"type":"Account","referenceId":"Bad1"},"Name":"Bad",
              "Founded__c":"31/12/1999","Industry":"Bankin","Annual_Revenue__c":5,"OwnerId":"nobody@acme.com"}]}
            """)
        let (records, _, diagnostics) = RecordData.load(files: [json], org: Self.org)
        #expect(records.count == 1)
        #expect(diagnostics.allSatisfy { $0.severity == .error && $0.file == "data/Account.json" })
        let byCode = Dictionary(grouping: diagnostics, by: \.code)
        #expect(
            byCode["KH-DATA-BAD-VALUE"]?.first?.message
                == "record `Bad1`, field `Founded__c`: `31/12/1999` is not a date (YYYY-MM-DD)")
        #expect(
            byCode["KH-DATA-BAD-PICKLIST"]?.first?.message.contains(
                "record `Bad1`, field `Industry`: `Bankin` is not a value of the picklist (Banking, Energy) Did you mean 'Banking'?"
            ) == true)
        #expect(
            byCode["KH-DATA-UNKNOWN-FIELD"]?.first?.message.contains(
                "field `Annual_Revenue__c`: Account has no such field") == true)
        #expect(
            byCode["KH-DATA-UNKNOWN-OWNER"]?.first?.message.contains("`nobody@acme.com` is not a user")
                == true)
        #expect(diagnostics.count == 4)
    }

    @Test("an explicit Id is kept (as 18 characters); a malformed one is an error")
    func explicitIds() throws {
        let json = Self.file(
            "Account.json",
            #"{"records":[{"attributes":{"type":"Account","referenceId":"A"},"Id":"0015000000Gv7qJ","Name":"A"},{"attributes":{"type":"Account","referenceId":"B"},"Id":"nope","Name":"B"}]}"#
        )
        let result = RecordData.load(files: [json], org: Self.org)
        #expect(result.records.record(referenceId: "A")?.id == "0015000000Gv7qJAAR")
        #expect(
            result.records.record(referenceId: "B")?.id == RecordId.make(object: "Account", referenceId: "B"))
        #expect(result.diagnostics.map(\.code) == ["KH-DATA-BAD-VALUE"])
    }

    @Test("an sf data query --json export loads too: Ids kept, owners by Id or Owner.Username")
    func queryExport() throws {
        let json = Self.file(
            "data/accounts.json",
            """
            {"status":0,"result":{"totalSize":2,"done":true,"records":[
              {"attributes":{"type":"Account","url":"/services/data/v62.0/sobjects/Account/0015000000Gv7qJAAR"},
               "Id":"0015000000Gv7qJAAR","Name":"Acme","OwnerId":"005000000000001AAA"},
              {"attributes":{"type":"Account","url":"/x"},"Id":"0015000000Gv7qKAAR","Name":"Globex",
               "Owner":{"attributes":{"type":"User","url":"/y"},"Username":"owner@acme.com"}}]}}
            """)
        let result = RecordData.load(files: [json], org: Self.org)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.records.record(id: "0015000000Gv7qJAAR")?.ownerUsername == "iu@acme.com")
        #expect(result.records.record(id: "0015000000Gv7qKAAR")?.ownerUsername == "owner@acme.com")
    }

    @Test("a dangling @reference is an error naming the record and field")
    func dangling() throws {
        let json = Self.file(
            "data/Contact.json",
            #"{"records":[{"attributes":{"type":"Contact","referenceId":"C9"},"LastName":"X","AccountId":"@AccountRef7"}]}"#
        )
        let result = RecordData.load(files: [json, Self.accountsJSON], org: Self.org)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.code == "KH-DATA-DANGLING-REF")
        #expect(
            result.diagnostics.first?.message.contains(
                "record `C9`, field `AccountId`: `@AccountRef7` refers to no record") == true)
        #expect(result.records.record(referenceId: "C9") != nil)
    }

    @Test("CSV errors carry the line of the row")
    func csvLines() throws {
        let csv = Self.file("Account.csv", "Name,Founded__c\nOk,2020-02-29\nBad,2021-02-29\n")
        let result = RecordData.load(files: [csv], org: Self.org)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.line == 3)
        #expect(
            result.diagnostics.first?.message
                == "row 2, field `Founded__c`: `2021-02-29` is not a date (YYYY-MM-DD)")
        let broken = RecordData.load(files: [Self.file("Account.csv", "Name\n\"open")], org: Self.org)
        #expect(broken.diagnostics.first?.code == "KH-DATA-MALFORMED")
    }

    @Test("REC-17 manual shares from shares.json and AccountShare.csv")
    func shares() throws {
        let json = Self.file(
            "data/shares.json",
            """
            {"shares":[{"record":"@AccountRef1","user":"iu@acme.com","accessLevel":"Edit"},
                       {"record":"@AccountRef2","group":"HubSpot_Sync"},
                       {"record":"@AccountRef2","user":"iu@acme.com","accessLevel":"All"},
                       {"record":"@Nope","user":"iu@acme.com"}]}
            """)
        let csv = Self.file(
            "data/AccountShare.csv",
            "ParentId,UserOrGroupId,AccessLevel\n@AccountRef1,HubSpot_Sync,Read\n@AccountRef2,005000000000001AAA,Edit\n"
        )
        let (_, shares, diagnostics) = RecordData.load(files: [json, csv, Self.accountsJSON], org: Self.org)
        let a1 = RecordId.make(object: "Account", referenceId: "AccountRef1")
        let a2 = RecordId.make(object: "Account", referenceId: "AccountRef2")
        #expect(
            Set(shares) == [
                ManualShare(recordId: a1, sharedWith: .user("iu@acme.com"), accessLevel: .edit),
                ManualShare(recordId: a2, sharedWith: .group("HubSpot_Sync"), accessLevel: .read),
                ManualShare(recordId: a1, sharedWith: .group("HubSpot_Sync"), accessLevel: .read),
                ManualShare(recordId: a2, sharedWith: .user("iu@acme.com"), accessLevel: .edit),
            ])
        #expect(Set(diagnostics.map(\.code)) == ["KH-DATA-BAD-SHARE", "KH-DATA-DANGLING-REF"])
    }

    @Test("T03 REC-11 records loaded from tree JSON feed the sharing evaluator; a manual share adds one")
    func t03EndToEnd() throws {
        var org = Self.org
        org.sharingRules = [
            SharingRule(
                object: "Account", name: "Send_to_HubSpot",
                kind: .criteria(
                    CriteriaFilter(items: [
                        CriteriaItem(field: "Send_to_Hubspot__c", operation: "equals", value: "True")
                    ]),
                    includeRecordsOwnedByAll: nil),
                sharedTo: SharingPrincipal(kind: "group", name: "HubSpot_Sync"), accessLevel: .read)
        ]
        org.groups["HubSpot_Sync"]?.members = [.user("iu@acme.com")]
        let json = Self.file(
            "data/Account.json",
            """
            {"records":[
              {"attributes":{"type":"Account","referenceId":"A1"},"Name":"A1","Send_to_Hubspot__c":true,"OwnerId":"owner@acme.com"},
              {"attributes":{"type":"Account","referenceId":"A2"},"Name":"A2","Send_to_Hubspot__c":true,"OwnerId":"owner@acme.com"},
              {"attributes":{"type":"Account","referenceId":"A3"},"Name":"A3","Send_to_Hubspot__c":false,"OwnerId":"owner@acme.com"}
            ]}
            """)
        let (records, shares, diagnostics) = RecordData.load(files: [json], org: org)
        #expect(diagnostics.isEmpty)
        org.records = records
        org.manualShares = shares
        let e = SharingEvaluator(org: org)
        let visible = e.visibleRecords(object: "Account", username: "iu@acme.com").map {
            records.records(of: "Account")[$0.index].referenceId
        }
        #expect(visible.compactMap { $0 }.sorted() == ["A1", "A2"])
        let sharesFile = Self.file(
            "data/shares.json", #"[{"record":"@A3","user":"iu@acme.com","accessLevel":"Edit"}]"#)
        let withShare = RecordData.load(files: [json, sharesFile], org: org)
        org.manualShares = withShare.manualShares
        #expect(SharingEvaluator(org: org).decision(username: "iu@acme.com", recordId: "A3")?.level == .edit)
    }
}
