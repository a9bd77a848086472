import AccessModel
import ArgumentParser
import Foundation
import SalesforceMetadata

/// Something the user asked for is not in the project (a user, object, field or record): the message says
/// what, with a did-you-mean hint. Commands print it to stderr and exit 1.
struct InputError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }

    /// Runs `body`; an `InputError` goes to stderr and becomes exit code 1.
    static func exitOnFailure(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as InputError {
            Console.error(
                Console.errorIsTerminal
                    ? "\u{1B}[31merror:\u{1B}[0m \(error.message)" : "error: \(error.message)")
            throw ExitCode(1)
        }
    }
}

/// Finding what the command line names in a loaded project. Only lookups: no access logic.
enum Lookup {
    /// The user with this username (case-insensitive), or an input error with a did-you-mean hint.
    static func user(_ username: String, in project: Project) throws -> User {
        if let user = project.org.user(named: username) { return user }
        let known = project.org.users.map(\.username)
        let hint = Suggestion.hint(for: username, in: known)
        let listed =
            known.isEmpty
            ? " The project declares no users; add them to keyhole.yaml under `users:`."
            : " Users in keyhole.yaml: \(known.prefix(10).joined(separator: ", "))\(known.count > 10 ? ", …" : "")."
        return try fail("no user '\(username)' in \(project.path).\(hint)\(hint.isEmpty ? listed : "")")
    }

    /// The object's API name as the org spells it, or an input error with a hint.
    static func object(_ name: String, in org: Org) throws -> String {
        if let object = org.object(named: name) { return object.name }
        return try fail(
            "\(name) is not an object of this org.\(Suggestion.hint(for: name, in: org.objects.keys))")
    }

    /// The field's API name as the org spells it (object must be canonical), or an input error with a hint.
    static func field(_ name: String, of object: String, in org: Org) throws -> String {
        let fields = org.objects[object]?.fields ?? [:]
        if fields[name] != nil { return name }
        if let match = fields.keys.first(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) {
            return match
        }
        return try fail("\(object) has no field \(name).\(Suggestion.hint(for: name, in: fields.keys))")
    }

    /// The record with this Id (15 or 18 characters) or data-file reference id.
    static func record(_ id: String, in org: Org) throws -> Record {
        if let record = org.records.record(id: id) ?? org.records.record(referenceId: id) { return record }
        let references = org.records.all.compactMap(\.referenceId)
        let hint = Suggestion.hint(for: id, in: references)
        let none = org.records.isEmpty ? " The project has no record data (keyhole.yaml `data:`)." : ""
        return try fail("no record with Id or reference id '\(id)' in the project.\(hint)\(none)")
    }

    /// Splits `Object.Field`; `nil` when there is no dot or either side is empty.
    static func fieldPath(_ text: String) -> (object: String, field: String)? { FieldPath.split(text) }

    private static func fail<T>(_ message: String) throws -> T { throw InputError(message) }
}

/// ANSI styling, applied only when writing to a terminal.
struct TextStyle {
    var colour: Bool

    static let plain = TextStyle(colour: false)
    static var terminal: TextStyle { TextStyle(colour: Console.isTerminal) }

    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func green(_ text: String) -> String { wrap(text, "32") }
    func red(_ text: String) -> String { wrap(text, "31") }
    func yellow(_ text: String) -> String { wrap(text, "33") }

    /// `yes` in green or `no` dimmed.
    func yesNo(_ value: Bool) -> String { value ? green("yes") : dim("no") }

    private func wrap(_ text: String, _ code: String) -> String {
        colour && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// Aligned columns: widths from the plain text, styling applied after padding so colour codes do not
/// break the alignment. The last column is not padded.
struct TextTable {
    var rows: [[String]] = []

    mutating func add(_ row: [String]) { rows.append(row) }

    func render(indent: Int, style: (_ column: Int, _ row: Int, _ padded: String) -> String = { $2 })
        -> [String]
    {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (c, cell) in row.enumerated() { widths[c] = max(widths[c], cell.count) }
        }
        let pad = String(repeating: " ", count: indent)
        return rows.enumerated().map { r, row in
            let cells = row.enumerated().map { c, cell -> String in
                let padded =
                    c == row.count - 1 ? cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                return style(c, r, padded)
            }
            var line = pad + cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }
}

/// Human wording of the engine's reasons. The messages come from the engine; this only labels, shortens and
/// appends rule IDs.
enum ReasonText {
    /// `message (RULE)`, unless the message already names the rule.
    static func full(_ reason: Reason) -> String {
        guard let rule = reason.rule, !reason.message.contains(rule) else { return reason.message }
        return "\(reason.message) (\(rule))"
    }

    /// `latent profile field permission: message (FLS-5)`: the kind in words, then the full message.
    static func labelled(_ reason: Reason) -> String { "\(words(reason.kind.rawValue)): \(full(reason))" }

    /// lowerCamel to words: `latentProfileFieldPermission` → `latent profile field permission`.
    static func words(_ camel: String) -> String {
        let characters = Array(camel)
        var out = ""
        for (i, character) in characters.enumerated() {
            let previousUpper = i > 0 && characters[i - 1].isUppercase
            let nextUpper = i + 1 == characters.count || characters[i + 1].isUppercase
            if character.isUppercase && (previousUpper && nextUpper) {
                out.append(character)  // inside an acronym: `FLS`
            } else if character.isUppercase {
                out += " " + (nextUpper ? String(character) : character.lowercased())
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// The short "why" of a field for a table row: who grants Read (and Edit), or what is missing.
    static func shortWhy(_ field: ExplainReport.FieldEntry) -> String {
        var parts: [String] = []
        if field.read {
            parts.append(
                grantors(field.reasons, permission: "Read", profile: "profile").joined(separator: ", "))
            if field.edit {
                let editors = grantors(field.reasons, permission: "Edit", profile: "profile")
                if !editors.isEmpty { parts.append("edit: " + editors.joined(separator: ", ")) }
            }
            if field.masked { parts.append("masked (CLS-9)") }
        } else {
            parts.append(denials(field.reasons).joined(separator: "; "))
        }
        return parts.filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// Short phrases for the sources that grant `permission` (`Read` or `Edit`) on a field. `profile`, when
    /// given, replaces `profile:NAME` (one user's listing, where the profile is in the header).
    static func grantors(_ reasons: [Reason], permission: String, profile: String? = nil) -> [String] {
        var out: [String] = []
        for reason in reasons where reason.permission == permission {
            let source = reason.source.map { $0.hasPrefix("profile:") ? (profile ?? $0) : $0 }
            let phrase: String?
            switch reason.kind {
            case .grantedBy: phrase = source
            case .latentProfileFieldPermission:
                phrase = "\(source ?? "profile") (latent, woken by \(reason.wokenBy ?? "object Read"))"
            case .viewAllFields: phrase = "View All Fields from \(reason.source ?? "a source")"
            case .alwaysReadable: phrase = "always readable (FLS-6)"
            case .alwaysEditable: phrase = "always editable (FLS-6)"
            default: phrase = nil
            }
            if let phrase, !out.contains(phrase) { out.append(phrase) }
        }
        return out
    }

    /// Short phrases for why a field is not readable.
    static func denials(_ reasons: [Reason]) -> [String] {
        // When the object is not readable, that is the reason; what the object lacks is not repeated.
        let objectUnreadable = reasons.contains { $0.kind == .noObjectRead }
        var out: [String] = []
        for reason in reasons {
            if objectUnreadable && reason.kind == .notGranted { continue }
            let phrase: String
            switch reason.kind {
            case .notGranted: phrase = "no field permission (\(reason.rule ?? "FLS-1"))"
            case .viewAllDataIgnoresFLS: phrase = "View All Data does not grant fields (OBJ-7)"
            case .noObjectRead: phrase = "object not readable (FLS-4)"
            case .mutedBy: phrase = "muted by \(reason.source ?? "a muting set") (\(reason.rule ?? "PSG-3"))"
            case .latentNotWoken: phrase = "latent in \(reason.source ?? "the profile"), not woken (FLS-5)"
            case .invalidAssignment:
                phrase = "\(reason.source ?? "an assignment") is invalid (\(reason.rule ?? "LIC-7"))"
            case .licenseCap: phrase = "licence does not allow the object (\(reason.rule ?? "LIC-4"))"
            default: phrase = words(reason.kind.rawValue) + (reason.rule.map { " (\($0))" } ?? "")
            }
            if !out.contains(phrase) { out.append(phrase) }
        }
        return out
    }

    /// The access labels of an object entry: `Read, Create, Edit` or `none`.
    static func access(_ object: ExplainReport.ObjectEntry) -> String {
        let labels = object.accessLabels
        return labels.isEmpty ? "none" : labels.joined(separator: ", ")
    }

    /// One line for a record's reasons: messages joined by `; `.
    static func record(_ reasons: [RecordReason]) -> String {
        reasons.map(\.message).joined(separator: "; ")
    }
}

/// A record decision as JSON: the engine's `RecordDecision` keys (`id`, `referenceId`, `name`, `access`,
/// `reasons`), plus, for one record explained, its `object` and whether the user can read that object at
/// all (`objectReadable`, and `objectReasons` when not).
struct RecordEntry: Encodable {
    var decision: RecordDecision
    var object: String? = nil
    var objectReadable: Bool? = nil
    var objectReasons: [Reason]? = nil

    enum ExtraKeys: String, CodingKey { case object, objectReadable, objectReasons }

    func encode(to encoder: any Encoder) throws {
        try decision.encode(to: encoder)
        var extra = encoder.container(keyedBy: ExtraKeys.self)
        try extra.encodeIfPresent(object, forKey: .object)
        try extra.encodeIfPresent(objectReadable, forKey: .objectReadable)
        try extra.encodeIfPresent(objectReasons, forKey: .objectReasons)
    }
}

/// Comma-separated values (RFC 4180): fields with a comma, quote or line break are quoted.
enum CSV {
    static func row(_ fields: [String]) -> String { fields.map(escape).joined(separator: ",") }

    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
