import Foundation
import RecordStore
import SOQL

/// A Bulk API 2.0 query job (`rest-api.md` §2.6): the bound query of one user, run when the job is
/// created, its results read back as CSV in chunks.
struct BulkQueryJob: Sendable {
    enum State: String, Sendable {
        case uploadComplete = "UploadComplete"
        case jobComplete = "JobComplete"
        case aborted = "Aborted"
    }

    var id: String
    var username: String
    var userId: String
    /// `query` or `queryAll`.
    var operation: String
    var object: String
    var query: BoundQuery
    var state: State
    var createdDate: Date
    var apiVersion: APIVersion
    var lineEnding: String
    var columnDelimiter: String
    /// Matching rows, counted when the job ran.
    var numberRecordsProcessed: Int
    /// The first page, and the store's locator for the rest (`nil` when the first page is all).
    var firstPage: [ResultRecord]
    var locator: String?
    /// Set once a client has polled the job: creation answers `UploadComplete`, every poll `JobComplete`.
    var polled = false

    var includeDeleted: Bool { operation == "queryAll" }

    /// The CSV header: the SELECT names, relationship paths with dots (`Owner.Name`).
    var columnNames: [String] {
        query.columns.compactMap { column in
            switch column {
            case .field(let field, let outputName): query.isAggregate ? outputName : field.description
            case .aggregate(_, _, let outputName): outputName
            case .child: nil
            }
        }
    }

    func json(stateOverride: State? = nil, detail: Bool) -> JSON {
        let date = Self.timestamp(createdDate)
        var pairs: [(String, JSON)] = [
            ("id", .string(id)),
            ("operation", .string(operation)),
            ("object", .string(object)),
            ("createdById", .string(userId)),
            ("createdDate", .string(date)),
            ("systemModstamp", .string(date)),
            ("state", .string((stateOverride ?? state).rawValue)),
            ("concurrencyMode", .string("Parallel")),
            ("contentType", .string("CSV")),
            ("apiVersion", .number(apiVersion.description)),
            ("lineEnding", .string(lineEnding)),
            ("columnDelimiter", .string(columnDelimiter)),
        ]
        if detail {
            pairs.insert(("jobType", .string("V2Query")), at: 8)
            pairs += [
                ("numberRecordsProcessed", .number(numberRecordsProcessed)),
                ("retries", .number(0)),
                ("totalProcessingTime", .number(0)),
            ]
        }
        return .object(pairs)
    }

    /// `2024-01-01T10:00:00.000+0000`.
    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'+0000'"
        return formatter.string(from: date)
    }

    /// The delimiter character of a `columnDelimiter` name.
    static func delimiter(_ name: String) -> String? {
        [
            "COMMA": ",", "TAB": "\t", "SEMICOLON": ";", "PIPE": "|", "CARET": "^", "BACKQUOTE": "`",
        ][name]
    }

    /// One CSV line: every value double-quoted (quotes doubled), nulls empty (`rest-api.md` §2.6).
    func csvLine(_ record: ResultRecord) -> String {
        let separator = Self.delimiter(columnDelimiter) ?? ","
        return columnNames.map { path in
            guard let value = Self.value(path, in: record), let text = value.text, !value.isNull else {
                return ""
            }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: separator)
    }

    func headerLine() -> String {
        let separator = Self.delimiter(columnDelimiter) ?? ","
        return columnNames.map { "\"\($0)\"" }.joined(separator: separator)
    }

    /// The value at a dotted path (`Owner.Name`) of a result record; `nil` past a null parent.
    static func value(_ path: String, in record: ResultRecord) -> ResultValue? {
        var current = record
        let parts = path.split(separator: ".").map(String.init)
        for (index, part) in parts.enumerated() {
            guard
                let value = current.fields.first(where: {
                    $0.name.caseInsensitiveCompare(part) == .orderedSame
                })?.value
            else { return nil }
            if index == parts.count - 1 { return value }
            guard case .record(let parent) = value else { return nil }
            current = parent
        }
        return nil
    }
}
