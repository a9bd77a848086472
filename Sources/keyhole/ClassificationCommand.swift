import AccessModel
import ArgumentParser
import Foundation
import Governance
import SalesforceMetadata

/// `keyhole classification PROJECT [--format text|json|csv]` — the data-classification inventory:
/// classified fields by level and by compliance group, and unclassified fields that look sensitive.
struct ClassificationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classification",
        abstract:
            "Inventory of classified fields by level and compliance group, and sensitive-looking fields without a classification.",
        discussion: """
            Classified fields carry a securityClassification (Data Sensitivity Level) or a complianceGroup. \
            Fields without either whose API name or label looks sensitive (SSN, tax id, date of birth, credit \
            card or score, salary, income, bank account, IBAN, passport, driver's licence, national id, \
            health, password, …; whole words, case-insensitive) are listed so they can be classified. Tiers \
            come from keyhole.yaml `policy.tiers` and `policy.complianceTiers`.

            CSV columns: object, field, label, classification, compliance (`;`-separated), tier, \
            looks_sensitive (`;`-separated; set only on unclassified fields).

            Exit codes: 0 ok; 1 the input could not be used; 64 usage error.
            """)

    @OptionGroup var options: ProjectOptions

    @Option(help: "text (default), json or csv.")
    var format: OutputFormat = .text

    func validate() throws {
        guard [.text, .json, .csv].contains(format) else {
            throw ValidationError("classification prints text, json or csv, not \(format.rawValue)")
        }
    }

    func run() throws {
        let project = try options.load()
        Console.out(try Self.output(project: project, format: format, style: .terminal))
    }

    static func output(project: Project, format: OutputFormat, style: TextStyle = .plain) throws -> String {
        let inventory = ClassificationInventory.make(org: project.org, policy: project.policy)
        switch format {
        case .json: return try Console.json(inventory)
        case .csv: return csv(inventory)
        default: return text(inventory, style: style)
        }
    }

    static func csv(_ inventory: ClassificationInventory) -> String {
        var rows: [(object: String, field: String, cells: [String])] = []
        for entry in inventory.classified {
            rows.append(
                (
                    entry.object, entry.field,
                    [
                        entry.object, entry.field, entry.label ?? "", entry.classification ?? "",
                        entry.compliance.joined(separator: ";"), String(entry.tier), "",
                    ]
                ))
        }
        for suspect in inventory.unclassifiedSensitive {
            rows.append(
                (
                    suspect.object, suspect.field,
                    [
                        suspect.object, suspect.field, suspect.label ?? "", "", "", "",
                        suspect.looksLike.joined(separator: ";"),
                    ]
                ))
        }
        rows.sort { ($0.object, $0.field) < ($1.object, $1.field) }
        var lines = [
            CSV.row(["object", "field", "label", "classification", "compliance", "tier", "looks_sensitive"])
        ]
        lines += rows.map { CSV.row($0.cells) }
        return lines.joined(separator: "\n") + "\n"
    }

    static func text(_ inventory: ClassificationInventory, style: TextStyle) -> String {
        let entries = Dictionary(inventory.classified.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var lines = [
            style.bold(
                "Data classification: \(inventory.classified.count) of \(inventory.fieldCount) fields classified"
            )
        ]
        func tierText(_ tier: Int?) -> String { tier.map { "tier \($0)" } ?? "no tier" }

        lines.append("")
        lines.append(style.bold("By level"))
        if inventory.byLevel.isEmpty { lines.append("  (no field has a level)") }
        for group in inventory.byLevel {
            let count = "\(group.fields.count) field\(group.fields.count == 1 ? "" : "s")"
            lines.append("  \(group.name) (\(tierText(group.tier)), \(count))")
            var table = TextTable()
            for path in group.fields {
                let entry = entries[path]
                table.add([path, entry?.label ?? "", entry?.compliance.joined(separator: ", ") ?? ""])
            }
            lines += table.render(indent: 4)
        }

        lines.append("")
        lines.append(style.bold("By compliance group"))
        if inventory.byComplianceGroup.isEmpty { lines.append("  (no field has a compliance group)") }
        for group in inventory.byComplianceGroup {
            let count = "\(group.fields.count) field\(group.fields.count == 1 ? "" : "s")"
            let tier = group.tier.map { ", tier \($0)" } ?? ""
            lines.append("  \(group.name) (\(count)\(tier))")
            var table = TextTable()
            for path in group.fields {
                let entry = entries[path]
                table.add([path, entry?.classification ?? ClassificationInventory.noLevel])
            }
            lines += table.render(indent: 4)
        }

        lines.append("")
        let suspects = inventory.unclassifiedSensitive
        lines.append(
            style.bold("Unclassified fields that look sensitive (\(suspects.count))"))
        if suspects.isEmpty {
            lines.append("  none")
        } else {
            var table = TextTable()
            table.add(["field", "label", "looks like"])
            for suspect in suspects {
                table.add([suspect.path, suspect.label ?? "", suspect.looksLike.joined(separator: ", ")])
            }
            lines += table.render(indent: 2) { _, row, padded in row == 0 ? style.dim(padded) : padded }
            lines.append("")
            lines.append(
                "  Classify them (securityClassification, complianceGroup in the field's metadata) so the policy can judge who reads them."
            )
        }
        return lines.joined(separator: "\n")
    }
}
