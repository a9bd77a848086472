import AccessModel
import Foundation
import Testing

@testable import SOQL

@Suite("SQL generation")
struct SQLGeneratorTests {
    /// Wednesday 15 May 2024, 12:34:56 UTC.
    static let now = Date(timeIntervalSince1970: 1_715_776_496)
    let binder = Acme.binder(Acme.hubspot, in: Acme.linked)
    let visibility = RecordVisibility.visibleTable(userKey: "u1")

    func generate(_ soql: String, visibility: RecordVisibility = .unrestricted, includeDeleted: Bool = false)
        throws -> GeneratedSQL
    {
        let bound = try binder.bind(soql)
        return SQLGenerator(visibility: visibility, now: Self.now, includeDeleted: includeDeleted).generate(
            bound)
    }

    @Test("every literal is a parameter: no literal text from the query appears in the SQL")
    func parametersOnly() throws {
        let soql =
            "SELECT Id, Name FROM Account WHERE (Name = 'Zebra42' OR Name LIKE 'Qu%xy' OR Industry IN ('Alpha7', 'Beta8')) AND Annual_Revenue__c > 98765.5 AND Send_to_HubSpot__c = true AND CreatedDate >= 2024-03-03T10:00:00.000000Z AND Name != 'Robert\\'); DROP TABLE x; --' LIMIT 17 OFFSET 3"
        let sql = try generate(soql).main
        for literal in ["Zebra42", "Qu", "Alpha7", "Beta8", "98765", "true", "2024", "17", "Robert", "DROP"] {
            #expect(!sql.sql.contains(literal), "\(literal) in \(sql.sql)")
        }
        #expect(
            sql.parameters == [
                .text("Zebra42"), .text("Qu%xy"), .text("Alpha7"), .text("Beta8"), .real(98765.5),
                .integer(1),
                .text("2024-03-03T10:00:00.000Z"), .text("Robert'); DROP TABLE x; --"), .integer(17),
                .integer(3),
            ])
        #expect(sql.sql.filter { $0 == "?" }.count == sql.parameters.count)
        #expect(sql.sql.contains("\"t0\".\"Name\" LIKE ? ESCAPE '\\'"))
        #expect(sql.sql.contains("\"t0\".\"Name\" = ? COLLATE NOCASE"))
        #expect(
            sql.sql.hasPrefix(
                "SELECT \"t0\".\"Id\" AS \"c0\", \"t0\".\"Name\" AS \"c1\", \"t0\".\"Id\" AS \"__id\" FROM \"Account\" AS \"t0\" WHERE \"t0\".\"IsDeleted\" = 0 AND ("
            ))
        #expect(sql.sql.hasSuffix(" LIMIT ? OFFSET ?"))
    }

    @Test(
        "API-10 REC-19 visibility applies to the queried table, inside each parent LEFT JOIN, and in semi-joins"
    )
    func visibilityEverywhere() throws {
        let sql = try generate(
            "SELECT LastName, Account.Name, Account.Owner.Name FROM Contact WHERE AccountId IN (SELECT Id FROM Account WHERE Name = 'x')",
            visibility: visibility
        ).main
        #expect(
            sql.sql.contains(
                "LEFT JOIN \"Account\" AS \"p1\" ON \"p1\".\"Id\" = \"t0\".\"AccountId\" AND \"p1\".\"IsDeleted\" = 0 AND \"p1\".\"Id\" IN (SELECT \"id\" FROM \"__visible\" WHERE \"user_key\" = ? AND \"object\" = ?)"
            ))
        #expect(sql.sql.contains("LEFT JOIN \"User\" AS \"p2\" ON \"p2\".\"Id\" = \"p1\".\"OwnerId\""))
        #expect(sql.sql.contains("\"t0\".\"Id\" IN (SELECT \"id\" FROM \"__visible\""))
        #expect(sql.sql.contains("\"s3\".\"Id\" IN (SELECT \"id\" FROM \"__visible\""))
        #expect(
            sql.parameters == [
                .text("u1"), .text("Account"), .text("u1"), .text("User"), .text("u1"), .text("Contact"),
                .text("u1"), .text("Account"),
                .text("x"),
            ])
        #expect(sql.columns.contains(ResultColumn(name: "__p1", meaning: .parentId(key: "account"))))
        #expect(sql.columns.contains(ResultColumn(name: "__p2", meaning: .parentId(key: "account.owner"))))
    }

    @Test("relative dates become UTC ranges from now: datetime fields get instants, date fields days")
    func relativeDates() throws {
        let today = try generate("SELECT Id FROM Account WHERE CreatedDate = TODAY").main
        #expect(today.sql.contains("(\"t0\".\"CreatedDate\" >= ? AND \"t0\".\"CreatedDate\" < ?)"))
        #expect(today.parameters == [.text("2024-05-15T00:00:00.000Z"), .text("2024-05-16T00:00:00.000Z")])
        let week = try generate("SELECT Id FROM Contact WHERE Birthdate = THIS_WEEK").main
        #expect(week.parameters == [.text("2024-05-12"), .text("2024-05-19")])
        let before = try generate("SELECT Id FROM Account WHERE CreatedDate < LAST_N_DAYS:30").main
        #expect(before.sql.contains("\"t0\".\"CreatedDate\" < ?"))
        #expect(before.parameters == [.text("2024-04-15T00:00:00.000Z")])
        let after = try generate("SELECT Id FROM Account WHERE CreatedDate > YESTERDAY").main
        #expect(after.parameters == [.text("2024-05-15T00:00:00.000Z")])
    }

    @Test(
        "relative date ranges (weeks start Sunday, calendar quarters, UTC)",
        arguments: [
            (RelativeDate(.today), "2024-05-15", "2024-05-16"),
            (RelativeDate(.yesterday), "2024-05-14", "2024-05-15"),
            (RelativeDate(.tomorrow), "2024-05-16", "2024-05-17"),
            (RelativeDate(.lastWeek), "2024-05-05", "2024-05-12"),
            (RelativeDate(.thisWeek), "2024-05-12", "2024-05-19"),
            (RelativeDate(.nextWeek), "2024-05-19", "2024-05-26"),
            (RelativeDate(.lastMonth), "2024-04-01", "2024-05-01"),
            (RelativeDate(.thisMonth), "2024-05-01", "2024-06-01"),
            (RelativeDate(.nextMonth), "2024-06-01", "2024-07-01"),
            (RelativeDate(.last90Days), "2024-02-15", "2024-05-16"),
            (RelativeDate(.next90Days), "2024-05-16", "2024-08-14"),
            (RelativeDate(.lastNDays, count: 7), "2024-05-08", "2024-05-16"),
            (RelativeDate(.nextNDays, count: 7), "2024-05-16", "2024-05-23"),
            (RelativeDate(.nDaysAgo, count: 3), "2024-05-12", "2024-05-13"),
            (RelativeDate(.thisQuarter), "2024-04-01", "2024-07-01"),
            (RelativeDate(.lastQuarter), "2024-01-01", "2024-04-01"),
            (RelativeDate(.thisYear), "2024-01-01", "2025-01-01"),
            (RelativeDate(.lastYear), "2023-01-01", "2024-01-01"),
        ])
    func ranges(literal: RelativeDate, start: String, end: String) {
        let range = literal.range(now: Self.now)
        #expect(SQLGenerator.dateString(range.start) == start)
        #expect(SQLGenerator.dateString(range.end) == end)
    }

    @Test("ORDER BY with NULLS FIRST/LAST, COLLATE NOCASE on text, Id as tie-breaker")
    func orderBy() throws {
        let sql = try generate(
            "SELECT Id FROM Account ORDER BY Name DESC NULLS LAST, Annual_Revenue__c NULLS FIRST"
        ).main
        #expect(
            sql.sql.hasSuffix(
                "ORDER BY \"t0\".\"Name\" COLLATE NOCASE DESC NULLS LAST, \"t0\".\"Annual_Revenue__c\" NULLS FIRST, \"t0\".\"Id\""
            ))
    }

    @Test("COUNT(), aggregates, GROUP BY and HAVING")
    func aggregates() throws {
        let count = try generate("SELECT COUNT() FROM Contact", visibility: visibility)
        #expect(
            count.main.sql
                == "SELECT COUNT(*) AS \"c0\" FROM \"Contact\" AS \"t0\" WHERE \"t0\".\"IsDeleted\" = 0 AND \"t0\".\"Id\" IN (SELECT \"id\" FROM \"__visible\" WHERE \"user_key\" = ? AND \"object\" = ?)"
        )
        #expect(count.count == count.main)
        let grouped = try generate(
            "SELECT Industry, COUNT(Id) c, MAX(Annual_Revenue__c) FROM Account GROUP BY Industry HAVING COUNT(Id) > 1 ORDER BY COUNT(Id) DESC"
        ).main
        #expect(
            grouped.sql
                == "SELECT \"t0\".\"Industry\" AS \"c0\", COUNT(\"t0\".\"Id\") AS \"c1\", MAX(\"t0\".\"Annual_Revenue__c\") AS \"c2\" FROM \"Account\" AS \"t0\" WHERE \"t0\".\"IsDeleted\" = 0 GROUP BY \"t0\".\"Industry\" HAVING COUNT(\"t0\".\"Id\") > ? ORDER BY COUNT(\"t0\".\"Id\") DESC"
        )
        #expect(grouped.parameters == [.integer(1)])
    }

    @Test("queryAll keeps deleted rows")
    func queryAll() throws {
        let sql = try generate("SELECT Id FROM Account", includeDeleted: true).main
        #expect(
            sql.sql
                == "SELECT \"t0\".\"Id\" AS \"c0\", \"t0\".\"Id\" AS \"__id\" FROM \"Account\" AS \"t0\" WHERE 1"
        )
    }

    @Test("!= keeps nulls, = null is IS NULL, NOT IN keeps nulls, INCLUDES matches ;-separated values")
    func nullSemantics() throws {
        let sql = try generate(
            "SELECT Id FROM Account WHERE Name != 'a' AND Industry = null AND Type NOT IN ('b') AND Website != null"
        ).main
        #expect(sql.sql.contains("\"t0\".\"Name\" IS NOT ? COLLATE NOCASE"))
        #expect(sql.sql.contains("\"t0\".\"Industry\" IS NULL"))
        #expect(sql.sql.contains("(\"t0\".\"Type\" IS NULL OR NOT (\"t0\".\"Type\" COLLATE NOCASE IN (?)))"))
        #expect(sql.sql.contains("\"t0\".\"Website\" IS NOT NULL"))
    }

    @Test(
        "child subqueries are separate statements per batch of parent Ids, with visibility and per-parent LIMIT"
    )
    func children() throws {
        let generated = try generate(
            "SELECT Name, (SELECT LastName FROM Contacts WHERE LastName != null ORDER BY LastName) FROM Account",
            visibility: visibility)
        #expect(generated.children.count == 1)
        let child = generated.children[0]
        #expect(child.relationshipName == "Contacts")
        #expect(child.item == 1)
        let query = child.query(parentIds: ["001A", "001B"])
        #expect(
            query.sql
                == "SELECT \"c1\".\"LastName\" AS \"c0\", \"c1\".\"Id\" AS \"__id\", \"c1\".\"AccountId\" AS \"__parent\" FROM \"Contact\" AS \"c1\" WHERE \"c1\".\"AccountId\" IN (?, ?) AND \"c1\".\"IsDeleted\" = 0 AND \"c1\".\"Id\" IN (SELECT \"id\" FROM \"__visible\" WHERE \"user_key\" = ? AND \"object\" = ?) AND (\"c1\".\"LastName\" IS NOT NULL) ORDER BY \"__parent\", \"c1\".\"LastName\" COLLATE NOCASE, \"c1\".\"Id\""
        )
        #expect(query.parameters == [.text("001A"), .text("001B"), .text("u1"), .text("Contact")])
        let limited = try generate("SELECT Name, (SELECT LastName FROM Contacts LIMIT 2) FROM Account")
            .children[0].query(parentIds: ["001A"])
        #expect(
            limited.sql.contains(
                "ROW_NUMBER() OVER (PARTITION BY \"c1\".\"AccountId\" ORDER BY \"c1\".\"Id\") AS \"__rn\""))
        #expect(limited.sql.hasSuffix("WHERE \"__rn\" <= ? ORDER BY \"__parent\", \"__rn\""))
        #expect(limited.parameters == [.text("001A"), .integer(2)])
    }

    @Test("compound fields select their component columns")
    func compound() throws {
        let sql = try generate("SELECT BillingAddress FROM Account").main
        #expect(sql.sql.contains("\"t0\".\"BillingCity\" AS \"c0_BillingCity\""))
        #expect(
            sql.columns.contains(
                ResultColumn(name: "c0_BillingCity", meaning: .item(0, component: "BillingCity"))))
    }
}

/// Runs generated SQL in the system `sqlite3` (when installed) against a small store laid out as
/// `SQLSchema` says; literals are substituted only here, in the test, because the shell cannot bind `?`.
@Suite(
    "SQL execution in sqlite3", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"))
)
struct SQLExecutionTests {
    let binder = Acme.binder(Acme.hubspot, in: Acme.linked)

    static let store = """
        CREATE TABLE "Account"("Id" TEXT PRIMARY KEY, "IsDeleted" INTEGER NOT NULL DEFAULT 0, "Name" TEXT, "OwnerId" TEXT, "Industry" TEXT, "Annual_Revenue__c" REAL, "CreatedDate" TEXT);
        CREATE TABLE "Contact"("Id" TEXT PRIMARY KEY, "IsDeleted" INTEGER NOT NULL DEFAULT 0, "LastName" TEXT, "AccountId" TEXT, "Email" TEXT);
        CREATE TABLE "User"("Id" TEXT PRIMARY KEY, "IsDeleted" INTEGER NOT NULL DEFAULT 0, "Name" TEXT);
        CREATE TABLE "__visible"("user_key" TEXT, "object" TEXT, "id" TEXT);
        INSERT INTO "User" VALUES ('U1', 0, 'Ann'), ('U2', 0, 'Hidden Hal');
        INSERT INTO "Account" VALUES ('A1', 0, 'Acme', 'U2', 'Retail', 100.5, '2024-05-15T08:00:00.000Z'),
            ('A2', 0, 'Globex', 'U1', 'Retail', 200, '2024-01-01T00:00:00.000Z'),
            ('A3', 1, 'Initech', 'U1', 'Tech', 300, '2024-05-15T09:00:00.000Z'),
            ('A4', 0, 'acme west', 'U1', NULL, NULL, '2024-05-14T23:59:59.999Z');
        INSERT INTO "Contact" VALUES ('C1', 0, 'Smith', 'A1', NULL), ('C2', 0, 'Secret', 'A1', NULL),
            ('C3', 0, 'Jones', 'A2', 'j@x.example'), ('C4', 0, 'Young', 'A4', NULL), ('C5', 0, 'Adams', 'A4', NULL);
        INSERT INTO "__visible" VALUES ('u1', 'Account', 'A1'), ('u1', 'Account', 'A3'), ('u1', 'Account', 'A4'),
            ('u1', 'User', 'U1'), ('u1', 'Contact', 'C1'), ('u1', 'Contact', 'C3'), ('u1', 'Contact', 'C4'), ('u1', 'Contact', 'C5');
        """

    func run(_ query: GeneratedQuery) throws -> [[String]] {
        var sql = ""
        var parameters = query.parameters.makeIterator()
        for c in query.sql {
            if c == "?" { sql += parameters.next()!.description } else { sql.append(c) }
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [":memory:"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data((".nullvalue NULL\n" + Self.store + "\n" + sql + ";\n").utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n").map {
            $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        }
    }

    func rows(_ soql: String, now: Date = SQLGeneratorTests.now) throws -> [[String]] {
        let generated = SQLGenerator(visibility: .visibleTable(userKey: "u1"), now: now).generate(
            try binder.bind(soql))
        return try run(generated.main)
    }

    @Test("API-10 records outside sharing are absent; a hidden parent comes back NULL (REC-19)")
    func hiddenRecordsAndParents() throws {
        #expect(
            try rows("SELECT Name, Owner.Name FROM Account ORDER BY Name") == [
                ["Acme", "NULL", "A1", "NULL"], ["acme west", "Ann", "A4", "U1"],
            ])
        #expect(
            try rows("SELECT LastName, Account.Name FROM Contact ORDER BY LastName") == [
                ["Adams", "acme west", "C5", "A4"], ["Jones", "NULL", "C3", "NULL"],
                ["Smith", "Acme", "C1", "A1"], ["Young", "acme west", "C4", "A4"],
            ])
    }

    @Test("API-10 counts and aggregates only see visible rows")
    func counts() throws {
        #expect(try rows("SELECT COUNT() FROM Contact") == [["4"]])
        #expect(try rows("SELECT COUNT() FROM Account") == [["2"]])
        #expect(
            try rows("SELECT AccountId, COUNT(Id) FROM Contact GROUP BY AccountId ORDER BY AccountId") == [
                ["A1", "1"], ["A2", "1"], ["A4", "2"],
            ])
        #expect(
            try rows("SELECT AccountId, COUNT(Id) n FROM Contact GROUP BY AccountId HAVING COUNT(Id) > 1")
                == [["A4", "2"]])
    }

    @Test("semi-joins only see visible rows; hidden parents do not satisfy parent filters")
    func semiJoins() throws {
        #expect(
            try rows(
                "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName = 'smith')"
            ) == [["Acme", "A1"]])
        #expect(
            try rows("SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact) ORDER BY Name")
                == [])
        #expect(try rows("SELECT LastName FROM Contact WHERE Account.Name = 'GLOBEX'") == [])
    }

    @Test("text comparison and LIKE are case-insensitive; LIKE honours escapes")
    func text() throws {
        #expect(try rows("SELECT Name FROM Account WHERE Name = 'ACME'") == [["Acme", "A1"]])
        #expect(
            try rows("SELECT Name FROM Account WHERE Name LIKE 'ac%' ORDER BY Name") == [
                ["Acme", "A1"], ["acme west", "A4"],
            ])
        #expect(try rows("SELECT Name FROM Account WHERE Name LIKE 'acme\\_%'") == [])
        #expect(try rows("SELECT Name FROM Account WHERE Industry != 'retail'") == [["acme west", "A4"]])
    }

    @Test("relative dates and datetime literals with offsets")
    func dates() throws {
        #expect(try rows("SELECT Name FROM Account WHERE CreatedDate = TODAY") == [["Acme", "A1"]])
        #expect(
            try rows("SELECT Name FROM Account WHERE CreatedDate >= 2024-05-15T00:00:00.000+00:00") == [
                ["Acme", "A1"]
            ])
        #expect(
            try rows("SELECT Name FROM Account WHERE CreatedDate >= 2024-05-15T01:00:00+0200 ORDER BY Name")
                == [["Acme", "A1"], ["acme west", "A4"]])
    }

    @Test("NULLS FIRST / LAST and LIMIT / OFFSET")
    func ordering() throws {
        #expect(
            try rows("SELECT Name FROM Account ORDER BY Industry NULLS FIRST") == [
                ["acme west", "A4"], ["Acme", "A1"],
            ])
        #expect(
            try rows("SELECT Name FROM Account ORDER BY Industry DESC NULLS LAST LIMIT 1 OFFSET 1") == [
                ["acme west", "A4"]
            ])
    }

    @Test("child subquery rows: only visible children, per-parent LIMIT")
    func children() throws {
        let generated = SQLGenerator(visibility: .visibleTable(userKey: "u1"), now: SQLGeneratorTests.now)
            .generate(
                try binder.bind(
                    "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName LIMIT 1) FROM Account"))
        let child = generated.children[0].query(parentIds: ["A1", "A4"])
        #expect(try run(child).map { [$0[0], $0[2]] } == [["Smith", "A1"], ["Adams", "A4"]])
        let all = SQLGenerator(visibility: .visibleTable(userKey: "u1")).generate(
            try binder.bind("SELECT Name, (SELECT LastName FROM Contacts) FROM Account")
        ).children[0].query(parentIds: ["A1", "A4"])
        // Without ORDER BY, children come by parent, then by Id.
        #expect(
            try run(all).map { [$0[0], $0[2]] } == [["Smith", "A1"], ["Young", "A4"], ["Adams", "A4"]])
    }
}
