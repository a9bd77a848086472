import AccessModel
import Testing

@Suite("Criteria rule operators")
struct CriteriaOperatorTests {
    static let object: SObjectType = {
        var o = SObjectType(name: "Account", sharingModel: .private)
        o.fields = [
            "Flag__c": Field(name: "Flag__c", type: .checkbox),
            "Amount__c": Field(name: "Amount__c", type: .number),
            "Region__c": Field(name: "Region__c", type: .text),
            "Since__c": Field(name: "Since__c", type: .date),
            "Tags__c": Field(name: "Tags__c", type: .multiselectPicklist),
        ]
        return o
    }()

    static let record: [String: FieldValue] = [
        "Flag__c": .boolean(true), "Amount__c": .number(100), "Region__c": .string("EMEA-North"),
        "Since__c": .date("2020-06-15"), "Tags__c": .string("Gold;Partner"),
    ]

    func matches(_ field: String, _ op: String, _ value: String, _ filter: String? = nil) -> Bool {
        let m = CriteriaMatcher(
            CriteriaFilter(
                items: [CriteriaItem(field: field, operation: op, value: value)], booleanFilter: filter),
            object: Self.object)
        #expect(m.problems.isEmpty)
        return m.matches { Self.record[$0] ?? .null }
    }

    @Test("REC-11 equals: case-sensitive text, comma means any of, checkbox True/False, numbers")
    func equals() {
        #expect(matches("Region__c", "equals", "EMEA-North"))
        #expect(!matches("Region__c", "equals", "emea-north"))
        #expect(matches("Region__c", "equals", "APAC,EMEA-North"))
        #expect(matches("Flag__c", "equals", "True"))
        #expect(!matches("Flag__c", "equals", "False"))
        #expect(matches("Amount__c", "equals", "100.0"))
        #expect(!matches("Region__c", "equals", ""))
        #expect(matches("Missing__c", "equals", ""))
    }

    @Test("REC-11 notEqual: none of the values; empty value means not empty")
    func notEqual() {
        #expect(matches("Region__c", "notEqual", "APAC,AMER"))
        #expect(!matches("Region__c", "notEqual", "APAC,EMEA-North"))
        #expect(matches("Region__c", "notEqual", ""))
        #expect(matches("Flag__c", "notEqual", "False"))
    }

    @Test("REC-11 lessThan greaterThan lessOrEqual greaterOrEqual on numbers, dates and text")
    func ordering() {
        #expect(matches("Amount__c", "lessThan", "101"))
        #expect(!matches("Amount__c", "lessThan", "100"))
        #expect(matches("Amount__c", "lessOrEqual", "100"))
        #expect(matches("Amount__c", "greaterThan", "99.5"))
        #expect(!matches("Amount__c", "greaterThan", "100"))
        #expect(matches("Amount__c", "greaterOrEqual", "100"))
        #expect(matches("Since__c", "greaterThan", "2020-01-01"))
        #expect(!matches("Since__c", "lessThan", "2020-06-15"))
        #expect(matches("Region__c", "greaterThan", "APAC"))
        #expect(!matches("Missing__c", "lessThan", "5"))
    }

    @Test("REC-11 contains notContain startsWith (case-sensitive)")
    func text() {
        #expect(matches("Region__c", "contains", "North"))
        #expect(!matches("Region__c", "contains", "north"))
        #expect(matches("Region__c", "contains", "South,North"))
        #expect(matches("Region__c", "notContain", "South"))
        #expect(!matches("Region__c", "notContain", "South,North"))
        #expect(matches("Region__c", "startsWith", "EMEA"))
        #expect(!matches("Region__c", "startsWith", "North"))
    }

    @Test("REC-11 includes excludes on multi-select picklists (A;B means both, assumed)")
    func picklists() {
        #expect(matches("Tags__c", "includes", "Gold"))
        #expect(matches("Tags__c", "includes", "Silver,Partner"))
        #expect(matches("Tags__c", "includes", "Gold;Partner"))
        #expect(!matches("Tags__c", "includes", "Gold;Silver"))
        #expect(matches("Tags__c", "excludes", "Silver"))
        #expect(!matches("Tags__c", "excludes", "Silver,Gold"))
    }

    @Test("REC-11 booleanFilter: 1 AND (2 OR 3), NOT, and errors")
    func booleanFilter() throws {
        let items = [
            CriteriaItem(field: "Flag__c", operation: "equals", value: "True"),
            CriteriaItem(field: "Region__c", operation: "equals", value: "APAC"),
            CriteriaItem(field: "Amount__c", operation: "greaterThan", value: "50"),
        ]
        func eval(_ filter: String?) -> Bool {
            CriteriaMatcher(CriteriaFilter(items: items, booleanFilter: filter), object: Self.object)
                .matches { Self.record[$0] ?? .null }
        }
        #expect(eval("1 AND (2 OR 3)"))
        #expect(!eval(nil))  // all items
        #expect(!eval("1 AND 2"))
        #expect(eval("(1 and not 2) and 3"))
        #expect(eval("2 OR 3 AND 1"))
        #expect(try BooleanFilter.parse("1 AND (2 OR 3)") == .and([.item(1), .or([.item(2), .item(3)])]))
        #expect(throws: BooleanFilter.ParseError.self) { try BooleanFilter.parse("1 AND (2 OR") }
        let bad = CriteriaMatcher(CriteriaFilter(items: items, booleanFilter: "1 AND 4"), object: Self.object)
        #expect(!bad.problems.isEmpty)
        let unknownOp = CriteriaMatcher(
            CriteriaFilter(items: [CriteriaItem(field: "Flag__c", operation: "within", value: "1")]),
            object: Self.object)
        #expect(unknownOp.problems == ["unknown criteria operation `within` on `Flag__c`"])
    }

    @Test("REC-11 a criteria rule with booleanFilter shares through the evaluator")
    func throughEvaluator() throws {
        let rule = RecordFixtures.criteriaRule(
            "Account", "Mixed", to: RecordFixtures.group("G"),
            [
                CriteriaItem(field: "Flag__c", operation: "equals", value: "True"),
                CriteriaItem(field: "Region__c", operation: "startsWith", value: "APAC"),
                CriteriaItem(field: "Amount__c", operation: "greaterOrEqual", value: "100"),
            ], booleanFilter: "1 AND (2 OR 3)")
        let org = Org(
            objects: ["Account": Self.object],
            groups: ["G": PublicGroup(name: "G", members: [.user(RecordFixtures.iu)])],
            sharingRules: [rule],
            users: [RecordFixtures.integrationUser(role: nil), RecordFixtures.user(RecordFixtures.owner)],
            records: RecordSet([
                RecordFixtures.record("Account", "Yes", Self.record),
                RecordFixtures.record("Account", "No", ["Flag__c": .boolean(true), "Amount__c": .number(5)]),
            ]))
        let e = SharingEvaluator(org: org)
        #expect(RecordFixtures.visibleRefs(e, "Account") == ["Yes"])
        RecordFixtures.expectConsistent(e, object: "Account")
    }

    @Test("REC-20 restriction filter expressions: =, !=, &&, ||, quoted strings, booleans")
    func filterExpressions() throws {
        let values: [String: FieldValue] = ["A": .boolean(true), "B": .string("x y"), "N": .number(3)]
        func eval(_ text: String) throws -> Bool {
            try FilterExpression.parse(text).evaluate { operand in
                if case .field(let name) = operand { return values[name] ?? .null }
                return nil
            }
        }
        #expect(try eval("A = true"))
        #expect(try eval("A == TRUE && B = 'x y'"))
        #expect(try !eval("A = false || B != \"x y\""))
        #expect(try eval("(N > 2) && !(B = 'z')"))
        #expect(try eval("A"))
        #expect(try eval("C = null"))
        #expect(throws: FilterExpression.Problem.self) { try FilterExpression.parse("A = 'open") }
        #expect(throws: FilterExpression.Problem.self) { try eval("$User.Department = 'x'") }
    }
}
