import Testing

@testable import SOQL

@Suite("SOQL parser")
struct ParserTests {
    func field(_ path: String) -> FieldReference {
        FieldReference(path.split(separator: ".").map(String.init))
    }

    @Test("P0: the sync clients' query shape")
    func syncShape() throws {
        let q = try Query.parse(
            "SELECT Id, Name, BillingAddress FROM Account WHERE SystemModstamp >= 2024-03-03T10:00:00.000000Z AND SystemModstamp < 2024-01-31T00:00:00.000+00:00 ORDER BY SystemModstamp ASC LIMIT 2000"
        )
        #expect(
            q.select == [
                .field(field("Id"), alias: nil), .field(field("Name"), alias: nil),
                .field(field("BillingAddress"), alias: nil),
            ])
        #expect(q.from.name == "Account")
        #expect(
            q.whereClause
                == .and([
                    .comparison(
                        Comparison(
                            .field(field("SystemModstamp")), .greaterOrEqual,
                            .literal(.dateTime("2024-03-03T10:00:00.000000Z")))),
                    .comparison(
                        Comparison(
                            .field(field("SystemModstamp")), .less,
                            .literal(.dateTime("2024-01-31T00:00:00.000+00:00")))),
                ]))
        #expect(q.orderBy == [OrderItem(.field(field("SystemModstamp")), direction: .ascending)])
        #expect(q.limit == 2000)
    }

    @Test("keywords are case-insensitive")
    func caseInsensitive() throws {
        let a = try Query.parse(
            "select id from account where name like 'A%' order by name desc nulls last limit 5 offset 10")
        let b = try Query.parse(
            "SELECT id FROM account WHERE name LIKE 'A%' ORDER BY name DESC NULLS LAST LIMIT 5 OFFSET 10")
        #expect(a == b)
        #expect(a.orderBy[0].nulls == .last)
        #expect(a.offset == 10)
    }

    @Test("parent paths, child subqueries, aliases")
    func paths() throws {
        let q = try Query.parse(
            "SELECT Id, Account.Owner.Email, (SELECT LastName FROM Contacts WHERE Email != null ORDER BY LastName LIMIT 3) FROM Account a"
        )
        #expect(q.select[1] == .field(field("Account.Owner.Email"), alias: nil))
        guard case .subquery(let sub) = q.select[2] else {
            Issue.record("expected a subquery")
            return
        }
        #expect(sub.from.name == "Contacts")
        #expect(
            sub.whereClause == .comparison(Comparison(.field(field("Email")), .notEqual, .literal(.null))))
        #expect(sub.limit == 3)
        #expect(q.from.alias == "a")
    }

    @Test("aggregates with aliases, GROUP BY, HAVING")
    func aggregates() throws {
        let q = try Query.parse(
            "SELECT COUNT(Id) c, Industry, MAX(AnnualRevenue), SUM(NumberOfEmployees) total FROM Account GROUP BY Industry HAVING COUNT(Id) > 1"
        )
        #expect(q.select[0] == .aggregate(AggregateCall(.count, field("Id")), alias: "c"))
        #expect(q.select[2] == .aggregate(AggregateCall(.max, field("AnnualRevenue")), alias: nil))
        #expect(q.select[3] == .aggregate(AggregateCall(.sum, field("NumberOfEmployees")), alias: "total"))
        #expect(q.groupBy == [field("Industry")])
        #expect(
            q.having
                == .comparison(
                    Comparison(
                        .aggregate(AggregateCall(.count, field("Id"))), .greater, .literal(.number("1")))))
        #expect(q.isAggregate)
        #expect(try Query.parse("SELECT COUNT() FROM Contact").isCountOnly)
    }

    @Test("WHERE: AND/OR/NOT, parentheses, IN, NOT IN, LIKE, INCLUDES, EXCLUDES, null, booleans, dates")
    func conditions() throws {
        let q = try Query.parse(
            "SELECT Id FROM Account WHERE (Name LIKE 'Acme%' OR Industry IN ('Retail', 'Tech')) AND NOT Type = 'Other' AND Industry NOT IN ('X') AND Send_to_HubSpot__c = true AND Tier__c INCLUDES ('a;b', 'c') AND Tier__c EXCLUDES ('d') AND CreatedDate = LAST_N_DAYS:30 AND CloseDate > 2024-01-01 AND Rating = null AND Amount >= -1.5"
        )
        guard case .and(let items) = q.whereClause else {
            Issue.record("expected AND")
            return
        }
        #expect(items.count == 10)
        #expect(
            items[0]
                == .or([
                    .comparison(
                        Comparison(
                            .field(field("Name")), .like, .literal(.string(raw: "Acme%", value: "Acme%")))),
                    .comparison(
                        Comparison(
                            .field(field("Industry")), .in,
                            .list([
                                .string(raw: "Retail", value: "Retail"), .string(raw: "Tech", value: "Tech"),
                            ]))),
                ]))
        #expect(
            items[1]
                == .not(
                    .comparison(
                        Comparison(
                            .field(field("Type")), .equal, .literal(.string(raw: "Other", value: "Other"))))))
        #expect(
            items[3]
                == .comparison(
                    Comparison(.field(field("Send_to_HubSpot__c")), .equal, .literal(.boolean(true)))))
        #expect(
            items[6]
                == .comparison(
                    Comparison(
                        .field(field("CreatedDate")), .equal,
                        .literal(.relativeDate(RelativeDate(.lastNDays, count: 30))))))
        #expect(
            items[9]
                == .comparison(
                    Comparison(.field(field("Amount")), .greaterOrEqual, .literal(.number("-1.5")))))
    }

    @Test("semi-join and anti-join")
    func semiJoin() throws {
        let q = try Query.parse(
            "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName = 'Smith') AND Id NOT IN (SELECT AccountId FROM Opportunity)"
        )
        guard case .and(let items) = q.whereClause, case .comparison(let c) = items[0],
            case .subquery(let sub) = c.value
        else {
            Issue.record("expected a semi-join")
            return
        }
        #expect(c.op == .in)
        #expect(sub.from.name == "Contact")
        guard case .comparison(let d) = items[1] else { return }
        #expect(d.op == .notIn)
    }

    @Test("USING SCOPE is kept; WITH SECURITY_ENFORCED and WITH USER_MODE are flagged (API-12)")
    func scopeAndSecurity() throws {
        #expect(try Query.parse("SELECT Id FROM Account USING SCOPE mine").scope == "mine")
        #expect(
            try Query.parse("SELECT Id FROM Account WITH SECURITY_ENFORCED").security == .securityEnforced)
        #expect(
            try Query.parse("SELECT Id FROM Account WHERE Name = 'a' WITH USER_MODE LIMIT 1").security
                == .userMode)
    }

    @Test(
        "MALFORMED_QUERY with Salesforce's wording and the token's position",
        arguments: [
            ("SELECT Id FROM Account WHERE", "unexpected token: '<EOF>'", 29),
            ("SELECT Id Name Type FROM Account", "unexpected token: 'Type'", 16),
            ("SELECT Id FROM Account a FOO", "unexpected token: 'FOO'", 26),
            (
                "SELECT Id FROM Account WHERE Name = 'a' AND Type = 'b' OR Id = 'c'",
                "unexpected token: 'OR'", 56
            ),
            ("SELECT Id, FROM Account", "unexpected token: 'FROM'", 12),
            ("SELECT Id FROM Account ORDER BY Name SIDEWAYS", "unexpected token: 'SIDEWAYS'", 38),
            ("SELECT Id FROM Account LIMIT 'x'", "unexpected token: ''x''", 30),
            ("SELECT FIELDS(ALL) FROM Account", "unexpected token: 'FIELDS'", 8),
            ("SELECT Id FROM Account FOR UPDATE", "unexpected token: 'FOR'", 24),
            (
                "SELECT Id, (SELECT Id, (SELECT Id FROM Cases) FROM Contacts) FROM Account",
                "unexpected token: 'SELECT'", 25
            ),
            ("SELECT Id FROM Account WHERE Name = Name", "unexpected token: 'Name'", 37),
            ("SELECT Id FROM Account GROUP BY ROLLUP(Industry)", "unexpected token: 'ROLLUP'", 33),
        ])
    func malformed(soql: String, detail: String, column: Int) {
        guard let error = parseError(soql) else {
            Issue.record("expected MALFORMED_QUERY for \(soql)")
            return
        }
        #expect(error.code == .malformedQuery)
        #expect(error.detail == detail)
        #expect(error.line == 1)
        #expect(error.column == column)
        #expect(
            error.message.hasPrefix(
                "\n\(soql)\n" + String(repeating: " ", count: column - 1)
                    + "^\nERROR at Row:1:Column:\(column)\n"))
    }

    @Test("a bad first token is reported without quotes or position")
    func firstToken() {
        let error = parseError("SELEKT Id FROM Account")
        #expect(error?.code == .malformedQuery)
        #expect(error?.message == "unexpected token: SELEKT")
        #expect(parseError("")?.message == "unexpected token: <EOF>")
    }

    @Test("errors on later lines report their row")
    func rows() {
        let error = parseError("SELECT Id\nFROM Account\nWHERE Name = = 'x'")
        #expect(error?.line == 3)
        #expect(error?.column == 14)
        #expect(
            error?.message
                == "\nWHERE Name = = 'x'\n             ^\nERROR at Row:3:Column:14\nunexpected token: '='")
    }
}
