import Testing

@testable import SOQL

@Suite("SOQL lexer")
struct LexerTests {
    func tokens(_ text: String) throws(SOQLError) -> [Token] { try Lexer(text).tokens() }

    @Test("every token has a 1-based line and column")
    func positions() throws {
        let t = try tokens("SELECT Id,\n  Name FROM Account")
        #expect(t.map(\.text) == ["SELECT", "Id", ",", "Name", "FROM", "Account", ""])
        #expect(t[0].position.line == 1 && t[0].position.column == 1)
        #expect(t[1].position.line == 1 && t[1].position.column == 8)
        #expect(t[2].position.line == 1 && t[2].position.column == 10)
        #expect(t[3].position.line == 2 && t[3].position.column == 3)
        #expect(t[5].position.line == 2 && t[5].position.column == 13)
        #expect(t.last?.kind == .endOfInput)
    }

    @Test("extra whitespace, tabs and newlines are tolerated")
    func whitespace() throws {
        let t = try tokens("  SELECT\tId  ,Name\r\n FROM   Account  ")
        #expect(t.map(\.text) == ["SELECT", "Id", ",", "Name", "FROM", "Account", ""])
    }

    @Test("strings decode \\' \\\\ \\n \\t \\\" and keep \\% \\_ for LIKE")
    func strings() throws {
        let t = try tokens(#"'O\'Brien' 'a\\b' 'x\ny\tz' 'say \"hi\"' '50\% off\_now'"#)
        #expect(t[0].kind == .string)
        #expect(t[0].value == "O'Brien")
        #expect(t[0].text == #"O\'Brien"#)
        #expect(t[1].value == #"a\b"#)
        #expect(t[2].value == "x\ny\tz")
        #expect(t[3].value == #"say "hi""#)
        #expect(t[4].value == #"50\% off\_now"#)
    }

    @Test("an unterminated string or a bad escape is MALFORMED_QUERY")
    func badStrings() {
        #expect(throws: SOQLError.self) { try tokens("SELECT Id FROM Account WHERE Name = 'abc") }
        do {
            _ = try tokens(#"SELECT Id FROM Account WHERE Name = 'a\qb'"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .malformedQuery)
            #expect(error.column == 37)
        }
    }

    @Test("numbers: integers, decimals, negatives")
    func numbers() throws {
        let t = try tokens("42 3.14 -7 -0.5 0")
        #expect(t.dropLast().allSatisfy { $0.kind == .number })
        #expect(t.dropLast().map(\.text) == ["42", "3.14", "-7", "-0.5", "0"])
    }

    @Test(
        "date and datetime literals of §4.1",
        arguments: [
            ("2024-01-31", Token.Kind.date),
            ("2020-01-01T00:00:00Z", .dateTime),
            ("2024-03-03T10:00:00.000000Z", .dateTime),
            ("2024-01-31T00:00:00.000+00:00", .dateTime),
            ("2024-01-31T00:00:00+0000", .dateTime),
            ("2024-01-31T00:00:00.1-05:30", .dateTime),
            ("2024-01-31T23:59:59.123456789Z", .dateTime),
            ("2024-01-31T00:00:00-0800", .dateTime),
        ])
    func dates(text: String, kind: Token.Kind) throws {
        let t = try tokens("CreatedDate >= \(text) AND")
        #expect(t[2].kind == kind)
        #expect(t[2].text == text)
        #expect(t[3].text == "AND")
    }

    @Test(
        "malformed datetimes are refused",
        arguments: [
            "2024-01-31T00:00Z", "2024-01-31T00:00:00", "2024-01-31T00:00:00.Z",
            "2024-01-31T00:00:00.1234567890Z", "2024-01-31T00:00:00+01",
        ])
    func badDates(text: String) {
        #expect(throws: SOQLError.self) { try tokens("CreatedDate >= \(text)") }
    }

    @Test("datetime literals convert to UTC instants, whatever the offset form")
    func instants() {
        let z = Literal.instant(ofDateTime: "2024-01-31T00:00:00Z")!
        #expect(Literal.instant(ofDateTime: "2024-01-31T00:00:00.000+00:00") == z)
        #expect(Literal.instant(ofDateTime: "2024-01-31T00:00:00+0000") == z)
        #expect(Literal.instant(ofDateTime: "2024-01-31T01:00:00+01:00") == z)
        #expect(Literal.instant(ofDateTime: "2024-01-30T19:00:00-0500") == z)
        #expect(
            SQLGenerator.dateTimeString(Literal.instant(ofDateTime: "2024-03-03T10:00:00.000000Z")!)
                == "2024-03-03T10:00:00.000Z")
        #expect(
            SQLGenerator.dateTimeString(Literal.instant(ofDateTime: "2024-03-03T10:00:00.250Z")!)
                == "2024-03-03T10:00:00.250Z")
    }

    @Test("relative date literals, case-insensitive, with :n counts", arguments: RelativeDate.Kind.allCases)
    func relativeDates(kind: RelativeDate.Kind) throws {
        let text = kind.takesCount ? "\(kind.rawValue.lowercased()):14" : kind.rawValue.lowercased()
        let t = try tokens("CloseDate = \(text)")
        #expect(t[2].kind == .dateLiteral)
        #expect(RelativeDate(text: t[2].text) == RelativeDate(kind, count: kind.takesCount ? 14 : nil))
    }

    @Test("LAST_N_DAYS without a count is MALFORMED_QUERY")
    func relativeWithoutCount() {
        #expect(throws: SOQLError.self) { try tokens("CloseDate = LAST_N_DAYS") }
        #expect(throws: SOQLError.self) { try tokens("CloseDate = LAST_N_DAYS:") }
    }

    @Test("operators")
    func operators() throws {
        let t = try tokens("= != <> < <= > >=")
        #expect(t.dropLast().allSatisfy { $0.kind == .operator })
        #expect(t.dropLast().map(\.text) == ["=", "!=", "<>", "<", "<=", ">", ">="])
    }

    @Test("a character outside SOQL is MALFORMED_QUERY with its position")
    func badCharacter() {
        do {
            _ = try tokens("SELECT Id FROM Account WHERE Name = :name")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .malformedQuery)
            #expect(error.line == 1 && error.column == 37)
        }
    }
}
