import ArgumentParser

/// `keyhole <command> <project> [options]`. Results on stdout, diagnostics on stderr.
@main
struct Keyhole: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keyhole",
        abstract:
            "Shows, explains and shapes what a Salesforce user — above all an integration user — can reach.",
        discussion: """
            PROJECT is an SFDX project (sfdx-project.json), a Metadata API folder (package.xml) or any folder
            of metadata, with an optional keyhole.yaml at its root for users, groups, policy and data.

            Exit codes: 0 ok; 1 the input could not be used (bad file, unknown user); 2 policy violations
            found (audit, check); 64 usage error.
            """,
        version: "0.1.0",
        subcommands: [
            InspectCommand.self, GenerateCommand.self, BenchCommand.self, ExplainCommand.self,
            WhoCanCommand.self, RecordsCommand.self, MatrixCommand.self, ClassificationCommand.self,
            AuditCommand.self, DiffCommand.self, ManifestCommand.self, FixCommand.self, ServeCommand.self,
            StoreBenchCommand.self,
        ]
    )
}
