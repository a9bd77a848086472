import Testing

@testable import SOQL

/// Printing a tree gives SOQL that parses back to the same tree.
@Suite("SOQL printing round trip")
struct RoundTripTests {
    static let samples = [
        "SELECT Id, Name, BillingAddress FROM Account WHERE SystemModstamp >= 2024-03-03T10:00:00.000000Z AND SystemModstamp < 2024-01-31T00:00:00.000+00:00 ORDER BY SystemModstamp ASC LIMIT 2000",
        "select id from account where name like 'O\\'Br%' order by name desc nulls last limit 5 offset 10",
        "SELECT Id, Account.Owner.Email, (SELECT LastName FROM Contacts WHERE Email != null ORDER BY LastName LIMIT 3) FROM Account a",
        "SELECT COUNT(Id) c, Industry, MAX(AnnualRevenue) FROM Account GROUP BY Industry HAVING COUNT(Id) > 1 ORDER BY COUNT(Id) DESC",
        "SELECT Id FROM Account WHERE (Name LIKE 'A%' OR Industry IN ('Retail', 'Tech')) AND NOT (Type = 'Other' OR Type = null) AND Tier__c INCLUDES ('a;b', 'c')",
        "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE CreatedDate = LAST_N_DAYS:30) AND Id NOT IN (SELECT AccountId FROM Case)",
        "SELECT COUNT() FROM Contact USING SCOPE mine WHERE IsDeleted = false WITH SECURITY_ENFORCED",
        "SELECT Id FROM Opportunity WHERE CloseDate = THIS_QUARTER OR CloseDate > 2024-01-01 OR Amount <= -3.25",
        "SELECT Id FROM Account WHERE NOT NOT Name = 'x\\\\y\\n'",
    ]

    @Test("samples print and re-parse to the same tree", arguments: samples)
    func samplesRoundTrip(soql: String) throws {
        let tree = try Query.parse(soql)
        let printed = tree.description
        let again = try Query.parse(printed)
        #expect(again == tree, "\(printed)")
        #expect(again.description == printed)
    }

    @Test("printing normalises keywords and spacing")
    func normalised() throws {
        let tree = try Query.parse(
            "select  id ,name from   account where name = 'a' and type != 'b' order by name asc nulls first")
        #expect(
            tree.description
                == "SELECT id, name FROM account WHERE name = 'a' AND type != 'b' ORDER BY name ASC NULLS FIRST"
        )
    }

    @Test("randomly generated queries round-trip (seeded)")
    func generated() throws {
        var generator = QueryGenerator(seed: 7)
        for _ in 0..<500 {
            let tree = generator.query(depth: 0)
            let printed = tree.description
            let parsed: Query
            do {
                parsed = try Query.parse(printed)
            } catch {
                Issue.record("\(printed) did not parse: \(error)")
                continue
            }
            #expect(parsed == tree, "\(printed)")
            #expect(try Query.parse(parsed.description) == parsed)
        }
    }
}

/// A small deterministic generator of syntax trees (SplitMix64).
struct QueryGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }

    let names = [
        "Id", "Name", "Industry", "AnnualRevenue", "CreatedDate", "CloseDate", "Tier__c", "Amount", "IsWon",
    ]
    let relationships = ["Account", "Owner", "Parent", "Custom__r"]

    mutating func path() -> FieldReference {
        var components: [String] = []
        for _ in 0..<int(3) { components.append(pick(relationships)) }
        components.append(pick(names))
        return FieldReference(components)
    }

    mutating func literal() -> Literal {
        switch int(8) {
        case 0:
            let raw = pick(["abc", "O\\'Brien", "50\\% off", "a\\\\b", "line\\nbreak", "", "tab\\there"])
            let token = try! Lexer("'\(raw)'").tokens()[0]
            return .string(raw: token.text, value: token.value!)
        case 1: return .number(pick(["0", "42", "-7", "3.14", "-0.5"]))
        case 2: return .boolean(chance(50))
        case 3: return .null
        case 4: return .date(pick(["2024-01-01", "1999-12-31"]))
        case 5:
            return .dateTime(
                pick([
                    "2020-01-01T00:00:00Z", "2024-03-03T10:00:00.000000Z", "2024-01-31T00:00:00.000+00:00",
                    "2024-01-31T00:00:00-0800",
                ]))
        default:
            let kind = pick(RelativeDate.Kind.allCases)
            return .relativeDate(RelativeDate(kind, count: kind.takesCount ? int(100) : nil))
        }
    }

    mutating func comparison(depth: Int) -> Comparison {
        let operand = Operand.field(path())
        switch int(6) {
        case 0:
            return Comparison(
                operand, pick([.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual]),
                .literal(literal()))
        case 1: return Comparison(operand, .like, .literal(.string(raw: "A%", value: "A%")))
        case 2: return Comparison(operand, pick([.in, .notIn]), .list((0...int(3)).map { _ in literal() }))
        case 3:
            return Comparison(
                operand, pick([.includes, .excludes]), .list([.string(raw: "a;b", value: "a;b")]))
        case 4 where depth == 0:
            var sub = Query(
                select: [.field(FieldReference(["AccountId"]), alias: nil)], from: FromClause(name: "Contact")
            )
            if chance(50) { sub.whereClause = condition(depth: 1, budget: 1) }
            return Comparison(operand, pick([.in, .notIn]), .subquery(sub))
        default: return Comparison(operand, .equal, .literal(literal()))
        }
    }

    mutating func condition(depth: Int, budget: Int) -> Condition {
        if budget <= 0 || chance(40) { return .comparison(comparison(depth: depth)) }
        switch int(3) {
        case 0: return .and((0...int(2) + 1).map { _ in condition(depth: depth, budget: budget - 1) })
        case 1: return .or((0...int(2) + 1).map { _ in condition(depth: depth, budget: budget - 1) })
        default: return .not(condition(depth: depth, budget: budget - 1))
        }
    }

    mutating func query(depth: Int) -> Query {
        var select: [SelectItem] = []
        let aggregate = depth == 0 && chance(20)
        for _ in 0...int(3) {
            if aggregate {
                select.append(
                    .aggregate(
                        AggregateCall(pick([.count, .max, .min, .sum, .avg, .countDistinct]), path()),
                        alias: chance(50) ? "a\(int(9))" : nil))
            } else {
                select.append(.field(path(), alias: nil))
            }
        }
        if depth == 0, !aggregate, chance(30) {
            var sub = Query(
                select: [.field(FieldReference(["LastName"]), alias: nil)], from: FromClause(name: "Contacts")
            )
            if chance(50) { sub.whereClause = condition(depth: 1, budget: 1) }
            if chance(50) { sub.limit = int(10) }
            select.append(.subquery(sub))
        }
        if depth == 0, chance(10) { select = [.aggregate(AggregateCall(.count, nil), alias: nil)] }
        var query = Query(
            select: select,
            from: FromClause(name: pick(["Account", "Contact", "Invoice__c"]), alias: chance(20) ? "x" : nil))
        if chance(10) { query.scope = "mine" }
        if chance(70) { query.whereClause = condition(depth: depth, budget: 3) }
        if chance(10) { query.security = pick([.securityEnforced, .userMode]) }
        if aggregate, chance(60) {
            query.groupBy = [path()]
            if chance(50) {
                query.having = .comparison(
                    Comparison(
                        .aggregate(AggregateCall(.count, FieldReference(["Id"]))), .greater,
                        .literal(.number("1"))))
            }
        }
        if chance(50) {
            query.orderBy = (0...int(2)).map { _ in
                OrderItem(
                    .field(path()), direction: chance(50) ? pick([.ascending, .descending]) : nil,
                    nulls: chance(30) ? pick([.first, .last]) : nil)
            }
        }
        if chance(40) { query.limit = int(3000) }
        if chance(20) { query.offset = int(2000) }
        return query
    }
}
