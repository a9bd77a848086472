import AccessModel
import ArgumentParser
import Foundation
import Governance
import SalesforceMetadata

/// `keyhole fix PROJECT --user U [--output DIR] [--dry-run] [--format text|json]` — plans the least change
/// that leaves an integration user with no error finding, checks it in memory, and writes it as
/// deployable metadata mirroring the project's layout.
struct FixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix",
        abstract: "Plan, check and write the least metadata change that makes audit clean for a user.",
        discussion: """
            After the fix the user reads exactly the tier-1 fields it read before plus the tier-2/3 fields \
            the policy approves. Every grant of an unapproved tier-2/3 field is set to explicit false \
            (latent profile entries included; a permission set inside a group is patched when no other \
            user's access changes, else the field is muted in the group). Fields the user keeps that it \
            read through latent profile entries move to its own permission set (or a new \
            <Integration>_Access set, licence per LIC-7/LIC-8), and the profile entries are set to false \
            unless another user still reads a tier-1 field only through them (a note names them). View \
            All Data / Modify All Data are switched off where only this user holds the source. The plan is \
            applied in memory and re-evaluated first: a plan that leaves an error finding for the user, or \
            widens any user's access, is refused (exit 1) and nothing is written.

            Writes under --output (default keyhole-fix/) patched copies of the changed files at their \
            relative paths (unrelated bytes untouched), new permission sets and muting permission sets in \
            the project's layout, and package.xml; `cp -R keyhole-fix/. PROJECT/` applies it. Assignments are data: fix prints the \
            `sf org assign permset` command to run.

            JSON: {"user", "changes": [{"kind", "source", "file", "object"?, "field"?, "detail"}], "before", \
            "after", "access": [diff changes], "findingsBefore", "findingsAfter", "otherUsers", "files" (written), \
            "plannedFiles", "notes", "commands", "refused"?}.

            Exit codes: 0 ok; 1 unknown user, bad input, or plan refused; 64 usage error.
            """)

    @OptionGroup var options: ProjectOptions

    @Option(help: "The user to fix (username, case-insensitive).")
    var user: String

    @Option(help: "Folder to write the fix to (mirrors the project's layout).")
    var output: String = "keyhole-fix"

    @Flag(help: "Plan and check, but write nothing.")
    var dryRun = false

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @Option(name: .customLong("as-of"), help: "Judge approval expiry as of this date (YYYY-MM-DD).")
    var asOf: String?

    func validate() throws {
        guard [.text, .json].contains(format) else {
            throw ValidationError("fix prints text or json, not \(format.rawValue)")
        }
        if let asOf, AuditRun.date(asOf) == nil {
            throw ValidationError("--as-of takes a date as YYYY-MM-DD, not '\(asOf)'")
        }
    }

    func run() throws {
        let project = try options.load()
        var refused = false
        try InputError.exitOnFailure {
            let now = asOf.flatMap(AuditRun.date) ?? Date()
            var result = try FixRun.make(project: project, user: user, now: now)
            if result.refusal == nil && !dryRun {
                result.written = try FixRun.write(result, to: output)
            }
            Console.out(try FixRendering.render(result, format: format, style: .terminal))
            if let refusal = result.refusal {
                Console.error("fix refused: \(refusal)")
                refused = true
            }
        }
        if refused { throw ExitCode(1) }
    }
}

/// A planned, checked fix and the files it would write.
struct FixResult {
    var project: Project
    var user: String
    var plan: FixPlan
    var orgAfter: Org
    /// The user's change in effective access, and every other user's.
    var diff: AccessDiff
    var findingsBefore: AuditReport
    var findingsAfter: AuditReport
    /// Other users whose access changes.
    var otherUsers: [String]
    /// Relative path → text, in path order.
    var files: [(path: String, text: String)]
    /// The component file each change edits (relative path), in plan order.
    var changeFiles: [String?]
    /// Why the plan may not be written.
    var refusal: String?
    /// Paths written (relative to the output folder).
    var written: [String] = []

    var commands: [String] {
        plan.changes.compactMap {
            guard case .assign(let user, let set) = $0 else { return nil }
            return "sf org assign permset --name \(set) --on-behalf-of \(user)"
        }
    }
}

enum FixRun {
    static func make(project: Project, user username: String, now: Date) throws -> FixResult {
        let user = try Lookup.user(username, in: project)
        let org = project.org
        let plan: FixPlan
        let orgAfter: Org
        do {
            plan = try FixPlan.make(org: org, policy: project.policy, user: user.username, now: now)
            orgAfter = try plan.apply(to: org)
        } catch {
            throw InputError("could not plan a fix for \(user.username): \(error)")
        }
        let locator = FindingLocator(project: project)
        let before = Audit(
            evaluator: AccessEvaluator(org: org, now: now), policy: project.policy, locator: locator, now: now
        ).run(user: user.username)
        let after = Audit(
            evaluator: AccessEvaluator(org: orgAfter, now: now), policy: project.policy, now: now
        )
        .run(user: user.username)
        let diff = AccessDiff.compare(before: org, after: orgAfter, records: false, now: now)
            .judged(by: project.policy, before: org, after: orgAfter)
        let others = diff.users.filter { $0.caseInsensitiveCompare(user.username) != .orderedSame }

        var refusal: String?
        let leftErrors = after.findings.filter { $0.severity == .error }
        // AccessDiff reports net changes per user, so moving a kept field from a profile to the user's own
        // permission set is no change; any widening left is real.
        // The one widening allowed: a field the policy approves for this user (not expired), granted so
        // queries that name it stop failing (KH-FLS-QUERY-WILL-FAIL), and Read on its object.
        let approved = project.policy.approvals.filter {
            $0.user.caseInsensitiveCompare(user.username) == .orderedSame && !$0.isExpired(at: now)
        }
        let widening = diff.changes.filter(\.isWidening).filter { change in
            guard change.user.caseInsensitiveCompare(user.username) == .orderedSame else { return true }
            switch change.kind {
            case .field:
                let path = [change.object, change.field].compactMap { $0 }.joined(separator: ".")
                return !approved.contains {
                    $0.field.caseInsensitiveCompare(path) == .orderedSame
                        && $0.covers(change.after == "edit" ? .edit : .read)
                }
            case .object:
                // Read on an approved field's object, and Edit only where an approval asks for edit.
                let object = change.object ?? ""
                let onObject = approved.filter { $0.field.hasPrefix(object + ".") }
                switch change.after {
                case "read": return onObject.isEmpty
                case "read,edit": return !onObject.contains { $0.access == .edit }
                default: return true
                }
            default: return true
            }
        }
        if !widening.isEmpty {
            refusal =
                "the plan widens access: "
                + widening.prefix(5).map { "\($0.user) \($0.target) \($0.before) → \($0.after)" }.joined(
                    separator: "; ")
        } else if !leftErrors.isEmpty {
            refusal =
                "\(leftErrors.count) error finding(s) would remain for \(user.username): "
                + leftErrors.prefix(5).map(describe).joined(separator: "; ") + " (see notes)"
        }

        let (files, changeFiles) = try self.files(plan: plan, project: project, orgAfter: orgAfter)
        return FixResult(
            project: project, user: user.username, plan: plan, orgAfter: orgAfter, diff: diff,
            findingsBefore: before, findingsAfter: after, otherUsers: others, files: files,
            changeFiles: changeFiles, refusal: refusal)
    }

    static func describe(_ finding: Finding) -> String {
        let target = [finding.object, finding.field].compactMap { $0 }.joined(separator: ".")
        let subject = target.isEmpty ? finding.source ?? "" : target
        return subject.isEmpty ? finding.rule.rawValue : "\(finding.rule.rawValue) on \(subject)"
    }

    /// Patched copies of changed files, new permission sets and muting permission sets (written whole),
    /// and package.xml.
    static func files(plan: FixPlan, project: Project, orgAfter: Org) throws -> (
        [(path: String, text: String)], [String?]
    ) {
        let map = project.metadata.sourceMap
        var edits: [String: [MetadataPatch.Edit]] = [:]
        var order: [String] = []
        var changeFiles: [String?] = []
        var types: [String: [String]] = [:]
        let newNames = Set(plan.newPermissionSets.map(\.name))
        var newMuting: [String] = []
        func patch(_ file: String, _ fileEdits: [MetadataPatch.Edit], component: String) {
            if edits[file] == nil { order.append(file) }
            edits[file, default: []] += fileEdits
            if let (kind, name) = OrgChange.splitSource(component) {
                let type =
                    switch kind {
                    case .profile: "Profile"
                    case .permissionSet: "PermissionSet"
                    case .permissionSetGroup: "PermissionSetGroup"
                    }
                types[type, default: []].append(name)
            } else if component.hasPrefix("mutingPermissionSet:") {
                types["MutingPermissionSet", default: []].append(String(component.dropFirst(20)))
            }
        }
        for change in plan.changes {
            if change.user != nil {
                changeFiles.append(nil)
                continue
            }
            if let (kind, name) = OrgChange.splitSource(change.source), kind == .permissionSet,
                newNames.contains(name)
            {
                changeFiles.append(newFile(project, .permissionSet, name))
                continue
            }
            guard let (component, componentEdits) = MetadataPatch.edits(for: change, in: orgAfter) else {
                changeFiles.append(nil)
                continue
            }
            if component.hasPrefix("mutingPermissionSet:"), map.location(of: component) == nil {
                // PSG-2: the mute created the group's muting set; it is written whole, and the group's
                // file is patched to name it.
                let name = String(component.dropFirst(20))
                if !newMuting.contains(name) { newMuting.append(name) }
                changeFiles.append(newFile(project, .mutingPermissionSet, name))
                if let (group, groupEdits) = MetadataPatch.groupEdits(
                    for: change, before: project.org, after: orgAfter),
                    let file = map.location(of: group)?.file,
                    !(edits[file] ?? []).contains(where: groupEdits.contains)
                {
                    patch(file, groupEdits, component: group)
                }
                continue
            }
            guard let file = map.location(of: component)?.file else {
                changeFiles.append(nil)
                continue
            }
            changeFiles.append(file)
            patch(file, componentEdits, component: component)
        }
        var files: [(path: String, text: String)] = []
        for file in order {
            let url = project.root.appendingPathComponent(file)
            guard let original = try? String(contentsOf: url, encoding: .utf8) else {
                throw InputError("could not read \(file) to patch it")
            }
            do {
                files.append((file, try MetadataPatch.apply(edits[file]!, to: original)))
            } catch {
                throw InputError("could not patch \(file): \(error)")
            }
        }
        for set in plan.newPermissionSets {
            guard let final = orgAfter.permissionSets[set.name] else { continue }
            files.append((newFile(project, .permissionSet, set.name), MetadataWriter.permissionSet(final)))
            types["PermissionSet", default: []].append(set.name)
        }
        for name in newMuting {
            guard let final = orgAfter.mutingPermissionSets[name] else { continue }
            files.append(
                (newFile(project, .mutingPermissionSet, name), MetadataWriter.mutingPermissionSet(final)))
            types["MutingPermissionSet", default: []].append(name)
        }
        if !files.isEmpty {
            let manifest = PackageManifest(
                types: types.mapValues { Array(Set($0)).sorted() }, version: PackageManifest.defaultVersion)
            files.append(("package.xml", PackageXML.text(manifest)))
        }
        return (files, changeFiles)
    }

    /// Where a component the fix creates goes: `force-app/main/default/permissionsets/NAME.permissionset-meta.xml`
    /// (under the default package directory) or, in a Metadata API folder, `permissionsets/NAME.permissionset`.
    static func newFile(_ project: Project, _ kind: MetadataKind, _ name: String) -> String {
        guard project.format != .mdapi else { return "\(kind.sfdxFolder)/\(name).\(kind.suffix)" }
        return "\(packageFolder(project))/main/default/\(kind.sfdxFolder)/\(name).\(kind.suffix)-meta.xml"
    }

    /// The default package directory of `sfdx-project.json` (the first one without a default), or
    /// `force-app`.
    static func packageFolder(_ project: Project) -> String {
        let url = project.root.appendingPathComponent("sfdx-project.json")
        if let data = try? Data(contentsOf: url),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let directories = json["packageDirectories"] as? [[String: Any]]
        {
            let chosen = directories.first { ($0["default"] as? Bool) == true } ?? directories.first
            if let path = chosen?["path"] as? String {
                return path.hasSuffix("/") ? String(path.dropLast()) : path
            }
        }
        return "force-app"
    }

    /// Writes the files under `folder`; returns their relative paths.
    static func write(_ result: FixResult, to folder: String) throws -> [String] {
        let root = URL(fileURLWithPath: folder)
        var written: [String] = []
        for (path, text) in result.files {
            let url = root.appendingPathComponent(path)
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            } catch {
                throw InputError("could not write \(url.path): \(error.localizedDescription)")
            }
            written.append(path)
        }
        return written
    }
}
