import AccessModel
import Foundation
import Testing
import Yams

@testable import SalesforceMetadata

/// The block-style reader of `keyhole.yaml` (`KeyholeYAML`) must give exactly the tree Yams composes — or
/// leave the file to Yams.
@Suite("keyhole.yaml subset reader")
struct KeyholeYAMLTests {
    /// The package root, from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Every scalar, style, tag and mark of a tree, as text (reading `tag.description` does not resolve it).
    static func dump(_ node: Node?) -> String {
        guard let node else { return "nil" }
        func mark(_ mark: Mark?) -> String { mark.map { "\($0.line):\($0.column)" } ?? "-" }
        switch node {
        case .scalar(let scalar):
            return
                "S(\(mark(scalar.mark)) \(scalar.style) '\(scalar.tag.description)' \(scalar.string.debugDescription))"
        case .mapping(let mapping):
            let pairs = mapping.map { "\(dump($0.key)): \(dump($0.value))" }
            return
                "M(\(mark(mapping.mark)) \(mapping.style) '\(mapping.tag.description)' {\(pairs.joined(separator: ", "))})"
        case .sequence(let sequence):
            return
                "Q(\(mark(sequence.mark)) \(sequence.style) '\(sequence.tag.description)' [\(sequence.map(dump).joined(separator: ", "))])"
        case .alias:
            return "alias"
        }
    }

    /// The subset reader's tree (nil when it leaves the text to Yams) and Yams' own.
    static func both(_ text: String) -> (subset: Node?, yams: Result<Node?, Error>) {
        (KeyholeYAML.composeSubset(text), Result { try Yams.compose(yaml: text) })
    }

    /// Checks that the subset reader reads `text` (when `read`) or leaves it to Yams, and that a tree it
    /// gives is Yams' tree.
    static func check(_ text: String, read: Bool?, sourceLocation: Testing.SourceLocation = #_sourceLocation)
    {
        let (subset, yams) = both(text)
        if let read {
            #expect((subset != nil) == read, "\(text.debugDescription)", sourceLocation: sourceLocation)
        }
        guard let subset else { return }
        switch yams {
        case .success(let node):
            #expect(dump(subset) == dump(node), "\(text.debugDescription)", sourceLocation: sourceLocation)
        case .failure(let error):
            Issue.record("Yams refuses what the subset reader read: \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("gives Yams' tree for the example and every scenario's keyhole.yaml, and reads all of them")
    func projectFiles() throws {
        var files = [Self.packageRoot.appendingPathComponent("Examples/acme/keyhole.yaml")]
        let scenarios = Self.packageRoot.appendingPathComponent("Tests/Scenarios")
        for name in try FileManager.default.contentsOfDirectory(atPath: scenarios.path).sorted() {
            let file = scenarios.appendingPathComponent(name).appendingPathComponent("keyhole.yaml")
            if FileManager.default.fileExists(atPath: file.path) { files.append(file) }
        }
        #expect(files.count > 30)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            Self.check(text, read: true)
        }
    }

    @Test("gives Yams' tree for keyhole.yaml files Keyhole writes, awkward names included")
    func renderedFiles() {
        var org = Org()
        org.groups["G"] = PublicGroup(name: "G", members: [.roleAndSubordinates("Sales: VP"), .group("H")])
        org.groups["H"] = PublicGroup(name: "H", members: [.allInternalUsers])
        let awkward = [
            "O'Brien, Ann", "a: b", "#hash", "x #y", "true", "NO", "~", "null", "42", "-1", "3.5", "0x1F",
            "-dash", "?what", "[bracket]", "{brace}", "José Müller", "名前", "emoji 🐞", " padded ", "a'b\"c",
            "2026-01-01", "tab-free", "@at", "`tick`", "%percent", "a:b", "a,b", "",
        ]
        for (index, name) in awkward.enumerated() {
            org.users.append(
                User(
                    username: "user\(index)@example.com", name: name.isEmpty ? nil : name,
                    id: index % 3 == 0 ? "00500000000000\(index)AAA" : nil,
                    license: index % 2 == 0 ? "Salesforce" : "Salesforce Integration",
                    profile: name.isEmpty ? "Standard" : name, role: index % 4 == 0 ? nil : "Role_\(index)",
                    isActive: index % 5 != 0,
                    permissionSets: [
                        Assignment(name: "PS_\(index)"),
                        Assignment(
                            name: name.isEmpty ? "X" : name, expirationDate: KeyholeDate.parse("2027-01-31")),
                    ],
                    permissionSetGroups: index % 2 == 0 ? [Assignment(name: "PSG")] : [],
                    permissionSetLicenses: index % 3 == 0 ? ["SalesforceAPIIntegrationPsl"] : [],
                    groups: index % 2 == 0 ? ["G"] : []))
        }
        let text = KeyholeFile.render(org: org, dataFolder: "data/")
        Self.check(text, read: true)
        for (index, _) in awkward.enumerated() {
            var one = org
            one.users = [org.users[index]]
            Self.check(KeyholeFile.render(org: one), read: Bool?.none)
        }
    }

    @Test(
        "reads the block style: comments, CRLF, indentless and nested sequences, flow collections, quotes",
        arguments: [
            "users: users/\n",
            "# leading comment\n\nusers:   # trailing\n  - username: a   # c\n\n    name:  Ann  \n",
            "users:\r\n  - username: a\r\n    name: b\r\n",
            "users:\n- username: a\n  groups:\n  - G\n  - H\n- username: b\ndata: data/\n",
            "a:\n  - - x\n    - y\n  -   - z\n  -\n    k: v\n",
            "a: [x, 'y z', \"w\", [n, m], {k: v, l: [1, 2]}, {}, []]\n",
            "a: [ x ,  y  ]   # c\nb: { k : v }\n",
            "a: 'it''s'\nb: \"a#b: c\"\nc: ''\nd: \"\"\n",
            "a: x#y\nb: x:y\nc: x,y [z] {w}\nd: -x\n",
            "members: [group:Other_Group, role:Integration, roleAndSubordinates:Sales_VP]\n",
            "  indented:\n    key: value\n  other: 1\n",
            "name: José 🐞 名前\nx: [é, ü]\n",
            "a:\n  b:\n    c:\n      d: e\n  f: g\n",
            "key with spaces: value with spaces\nKey2 : v\n",
            "active: yes\nn: ~\nm: null\ni: 0o17\nt: 2026-01-01\n",
        ])
    func subset(text: String) {
        Self.check(text, read: true)
    }

    @Test(
        "leaves to Yams what is outside the subset or wrong",
        arguments: [
            "", "# only a comment\n", "---\nusers: x\n", "%YAML 1.2\n---\na: b\n", "a: b\n...\n",
            "a: &x b\nc: *x\n", "a: !!str 1\n", "a: |\n  text\n", "a: >\n  text\n",
            "a: b\n  c\n", "a: 'multi\n  line'\n", "a: [x,\n  y]\n", "a: \"esc\\n\"\n", "? a\n: b\n",
            "'a': b\n", "a:\n", "a:\nb: c\n", "a: b\na: c\n", "users:\n  - {u: 1, u: 2}\n",
            "a: b: c\n", "a:\tb\n", "a:\n\t- b\n", "a: b\n - c\n", "a:\n  - b\n   c: d\n", "- a\nb: c\n",
            "a: [x, ]\n", "a: [x,, y]\n", "a: {k}\n", "a: [k: v]\n", "a: 'x'y\n", "a: x\r\rb: y\n",
            "a: \u{0085}\n", "\u{FEFF}a: b\n", "plain scalar\n", "a: - b\n", "a: @x\n", "a: [x]y\n",
            "a:\n  b\n", "[a, b]\n", "a: [x, # c\n  y]\n", "a: {k: }\n",
        ])
    func outside(text: String) {
        Self.check(text, read: false)
    }

    /// Reads `text` as `KeyholeFile.parse` does and with Yams alone; both must give the same result.
    static func parseBoth(_ text: String) -> [Diagnostic] {
        let (fast, fastProblems) = KeyholeFile.parse(text, file: "keyhole.yaml")
        let (slow, slowProblems) = KeyholeFile.parse(text, file: "keyhole.yaml") {
            try Yams.compose(yaml: $0)
        }
        #expect(fastProblems == slowProblems)
        #expect(fast.users == slow.users)
        #expect(fast.groups == slow.groups)
        #expect(fast.policy == slow.policy)
        #expect(fast.dataFolder == slow.dataFolder)
        return fastProblems
    }

    @Test("a duplicate key is an error naming the key and the line of its first occurrence")
    func duplicateKey() {
        let problems = Self.parseBoth(
            "users:\n  - username: a@x.example\n    license: Salesforce\n    profile: Standard\n    license: Other\n"
        )
        #expect(problems.map(\.code) == ["KH-YAML-MALFORMED"])
        #expect(problems.first?.line == 3)
        #expect(
            problems.first?.message
                == "keyhole.yaml is not valid YAML: expected all keys to be unique but found the following duplicated key(s): 'license' (first on line 3) — keep one of each"
        )
    }

    @Test("an unknown key is reported with its line and a did-you-mean hint")
    func unknownKey() {
        let problems = Self.parseBoth(
            "users:\n  - username: a@x.example\n    license: Salesforce\n    profile: Standard\n    permisionSets: [A]\npolcy: {}\n"
        )
        #expect(problems.map(\.line) == [6, 5])
        #expect(
            problems.map(\.message) == [
                "unknown key 'polcy' in keyhole.yaml. Did you mean 'policy'?",
                "unknown key 'permisionSets' in users[0] (a@x.example). Did you mean 'permissionSets'?",
            ])
    }

    @Test("a bad indentation is Yams' error, with its line")
    func badIndentation() {
        let problems = Self.parseBoth(
            "users:\n  - username: a@x.example\n    license: Salesforce\n   profile: Standard\n")
        #expect(problems.map(\.code) == ["KH-YAML-MALFORMED"])
        #expect(problems.first?.line == 4)
    }

    @Test("a tab in the indentation is Yams' error, with its line")
    func tab() {
        let problems = Self.parseBoth("users:\n  - username: a@x.example\n\tlicense: Salesforce\n")
        #expect(problems.map(\.code) == ["KH-YAML-MALFORMED"])
        #expect(problems.first?.line == 3)
        #expect(problems.first?.message.contains("tab") == true)
    }

    @Test("shape errors keep their lines on both paths: a missing key, bad values")
    func shapeErrors() {
        let text = """
            users:
              - username: a@x.example
                license: Salesforce
                active: maybe
              - username: b@x.example
                license: Salesforce
                profile: Standard
                permissionSets: [{name: A, expires: soon}]
            groups:
              - name: G
                members: [team:X]
            policy:
              tiers: {Confidential: 4}
              approvals:
                - user: a@x.example
                  field: Account.Revenue__c
                  approvedOn: someday
            """
        #expect(KeyholeYAML.composeSubset(text) != nil)
        let problems = Self.parseBoth(text)
        #expect(
            problems.map { "\($0.line.map(String.init) ?? "-") \($0.code)" } == [
                "2 KH-YAML-MISSING-KEY", "4 KH-YAML-BAD-VALUE", "8 KH-YAML-BAD-VALUE",
                "11 KH-YAML-BAD-VALUE", "13 KH-YAML-BAD-VALUE", "17 KH-YAML-BAD-VALUE",
            ])
    }

    @Test("an empty value is read by Yams and reported with its line")
    func emptyValue() {
        let text =
            "users:\n  - username: a@x.example\n    license: Salesforce\n    profile: Standard\ndata:\n"
        #expect(KeyholeYAML.composeSubset(text) == nil)
        let problems = Self.parseBoth(text)
        #expect(problems.map(\.code) == ["KH-YAML-SHAPE"])
        #expect(problems.first?.line == 5)
    }
}
