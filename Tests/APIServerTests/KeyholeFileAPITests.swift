import AccessModel
import Foundation
import SalesforceMetadata
import Testing

/// The `api:` section of `keyhole.yaml` (issue 7's public contract): what it reads, and the errors for bad
/// entries, each naming the line and the fix.
@Suite("keyhole.yaml api section")
struct KeyholeFileAPITests {
    @Test("the example's api section: two connected apps, two passwords, two refresh tokens, no errors")
    func example() throws {
        let project = ServedAcme.project
        #expect(project.errors.isEmpty, "\(project.errors)")
        let api = try #require(project.keyholeFile?.api)
        #expect(api.connectedApps.map(\.clientId) == ["hubspot-connector", "analytics-warehouse"])
        #expect(api.connectedApps.first?.runAs == ServedAcme.hubspot)
        #expect(api.password(of: "HubSpot.Integration@acme.example") == "example-password")
        #expect(api.username(refreshToken: "example-refresh-token") == ServedAcme.hubspot)
        #expect(api.connectedApp(clientId: "nope") == nil)
    }

    static let good = """
        api:
          connectedApps:
            - clientId: app
              clientSecret: secret
              runAs: a@x.example
          passwords:
            a@x.example: pw
          refreshTokens:
            tok: a@x.example
        """

    @Test("a well-formed section reads without diagnostics, with the line of each entry")
    func reads() throws {
        let (file, problems) = KeyholeFile.parse(Self.good, file: "keyhole.yaml")
        #expect(problems.isEmpty, "\(problems)")
        let api = try #require(file.api)
        #expect(api.connectedApps.first?.line == 3)
        #expect(api.passwords.first?.line == 7)
        #expect(api.refreshTokens.first?.line == 9)
    }

    @Test(
        "bad entries are errors naming the line and the fix",
        arguments: [
            (
                "api:\n  connectedApp:\n    - clientId: a\n", 2, "KH-YAML-UNKNOWN-KEY",
                "unknown key 'connectedApp' in api. Did you mean 'connectedApps'?"
            ),
            (
                "api:\n  connectedApps:\n    - clientId: a\n", 3, "KH-YAML-MISSING-KEY",
                "api.connectedApps[0] has no 'clientSecret'; every connected app needs clientId and clientSecret"
            ),
            (
                "api:\n  connectedApps:\n    - clientId: a\n      clientSecret: s\n      runas: u\n", 5,
                "KH-YAML-UNKNOWN-KEY",
                "unknown key 'runas' in api.connectedApps[0]. Did you mean 'runAs'?"
            ),
            (
                "api:\n  connectedApps:\n    - {clientId: a, clientSecret: s}\n    - {clientId: a, clientSecret: t}\n",
                4,
                "KH-YAML-DUPLICATE-KEY",
                "api.connectedApps declares clientId 'a' twice; give each connected app its own clientId"
            ),
            (
                "api:\n  passwords: [a, b]\n", 2, "KH-YAML-SHAPE",
                "api.passwords must be a mapping, one 'user@example.com: a-password' per line"
            ),
            (
                "api: yes\n", 1, "KH-YAML-SHAPE",
                "'api' must be a mapping with connectedApps, passwords and refreshTokens (see the README)"
            ),
        ])
    func errors(yaml: String, line: Int, code: String, message: String) {
        let (_, problems) = KeyholeFile.parse(yaml, file: "keyhole.yaml")
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.line == line)
        #expect(problems.first?.code == code)
        #expect(problems.first?.message == message)
    }

    @Test("runAs, passwords and refresh tokens must name users of keyhole.yaml, with a did-you-mean hint")
    func unknownUsers() throws {
        let (file, _) = KeyholeFile.parse(Self.good, file: "keyhole.yaml")
        let api = try #require(file.api)
        let problems = api.validate(usernames: ["b@x.example"], known: ["b@x.example"], file: "keyhole.yaml")
        #expect(problems.map(\.line) == [5, 7, 9])
        #expect(problems.allSatisfy { $0.code == "KH-YAML-UNKNOWN-USER" })
        #expect(
            problems.first?.message
                == "api.connectedApps (app).runAs names 'a@x.example', who is not in users. Did you mean 'b@x.example'? Use the username of a user declared in keyhole.yaml"
        )
        #expect(
            api.validate(usernames: ["a@x.example"], known: ["a@x.example"], file: "keyhole.yaml").isEmpty)
    }
}
