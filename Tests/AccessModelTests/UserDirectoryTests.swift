import Testing

@testable import AccessModel

/// `Org.userIndex(named:)` and the `NameIndex` under it: usernames match case-insensitively (`REC-8`
/// group members and rule principals name users), the first of equal names wins, and a changed user
/// list is never answered from a stale table.
@Suite("User directory")
struct UserDirectoryTests {
    static func org(_ names: [String]) -> Org {
        Org(users: names.map { User(username: $0, license: "Salesforce", profile: "Standard User") })
    }

    struct Lookup: CustomTestStringConvertible, Sendable {
        var users: [String]
        var asked: String
        var expected: Int?
        var testDescription: String { "\(asked) in \(users)" }
    }

    static let lookups: [Lookup] = [
        Lookup(users: ["a@x.example", "b@x.example"], asked: "b@x.example", expected: 1),
        Lookup(users: ["rep@acme.example"], asked: "REP@Acme.Example", expected: 0),
        Lookup(users: ["Rep@Acme.example", "rep@acme.example"], asked: "rep@ACME.example", expected: 0),
        Lookup(users: ["rep@acme.example"], asked: "rep@acme.exampl", expected: nil),
        Lookup(users: ["rep@acme.example"], asked: "", expected: nil),
        Lookup(users: [], asked: "rep@acme.example", expected: nil),
        // Not ASCII: as `lowercased()` makes them equal, even when the byte lengths differ.
        Lookup(users: ["jörg@acme.example"], asked: "JÖRG@acme.example", expected: 0),
        Lookup(users: ["\u{212A}im@acme.example"], asked: "kim@acme.example", expected: 0),
        Lookup(users: ["kim@acme.example"], asked: "\u{212A}IM@acme.example", expected: 0),
        Lookup(users: ["ana@acme.example"], asked: "anä@acme.example", expected: nil),
    ]

    @Test("finds a username in any case", arguments: lookups)
    func lookup(_ c: Lookup) {
        #expect(Self.org(c.users).userIndex(named: c.asked) == c.expected)
    }

    @Test("every one of 50,000 users is found by its name in other case, and near names are not")
    func manyUsers() {
        let names = (0..<50_000).map { String(format: "user%06d@bench.example", $0) }
        let org = Self.org(names)
        for (i, name) in names.enumerated() {
            #expect(org.userIndex(named: name.uppercased()) == i)
        }
        #expect(org.userIndex(named: "user050000@bench.example") == nil)
        #expect(org.userIndex(named: "user00001@bench.example") == nil)
    }

    @Test("a changed user list is looked up afresh; a copy taken before keeps its own answers")
    func changes() {
        var org = Self.org(["a@x.example"])
        #expect(org.userIndex(named: "b@x.example") == nil)
        let before = org
        org.users.append(User(username: "b@x.example", license: "Salesforce", profile: "Standard User"))
        #expect(org.userIndex(named: "b@x.example") == 1)
        #expect(before.userIndex(named: "b@x.example") == nil)
        org.users[0].username = "c@x.example"
        #expect(org.userIndex(named: "a@x.example") == nil)
        #expect(org.userIndex(named: "C@X.example") == 0)
        #expect(org == org, "the directory is a cache: it takes no part in equality")
        #expect(Self.org(["a@x.example"]) == before)
    }
}
