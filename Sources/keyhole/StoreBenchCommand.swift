import AccessModel
import ArgumentParser
import Foundation
import RecordStore
import SOQL
import SalesforceMetadata

/// `keyhole store-bench PROJECT` — the record store's query path on many generated Account records:
/// a selective SOQL query through the store (parse, bind, generate, execute, format) against the same
/// query as hand-written SQL without access checks on the same file, and a full `queryAll` paged
/// through the store. Prints the figures; never asserts (DESIGN.md, "Performance method").
struct StoreBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-bench",
        abstract: "Time the record store's SOQL path on generated Account records; print the figures.",
        discussion: """
            Generates --records Account records (deterministic: names, industries, owners round-robin over \
            the project's users, Send_to_HubSpot__c on every 10th when the field exists, SystemModstamp one \
            second apart), loads them with the project's records into --database (reused when it already \
            holds the same data), then measures, as the restricted user (--user, default the first user \
            without View All on Account) and a View All user:
              selective: SELECT … FROM Account WHERE SystemModstamp >= (the last --window records) ORDER BY
                SystemModstamp, through RecordStore.query, against the hand-written SQL without access
                checks (median of --samples, alternating; ratio = store / SQL);
              queryAll: every record, 2,000 per page, through RecordStore.query + queryMore (records/s).
            Build with -c release to measure.
            """)

    @OptionGroup var options: ProjectOptions

    @Option(help: "Account records to generate.")
    var records = 1_000_000

    @Option(help: "The SQLite file (default: keyhole-store-bench-N.sqlite in the temporary folder).")
    var database: String?

    @Option(help: "The restricted user (default: the first user without View All on Account).")
    var user: String?

    @Option(help: "Records the selective query's SystemModstamp window covers.")
    var window = 5_000

    @Option(help: "Samples for the selective medians.")
    var samples = 30

    @Flag(help: "Skip the full queryAll passes.")
    var skipQueryAll = false

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        guard [.text, .json].contains(format) else {
            throw ValidationError("store-bench prints text or json, not \(format.rawValue)")
        }
        guard records >= 1, window >= 1, samples >= 1 else {
            throw ValidationError("--records, --window and --samples must be at least 1")
        }
    }

    func run() throws {
        var report = StoreBenchReport()
        let project = try options.load(requireClean: true)
        var org = project.org
        guard org.objects["Account"] != nil, !org.users.isEmpty else {
            Console.error("error: store-bench needs the Account object and at least one user in the project")
            throw ExitCode(1)
        }
        report.project = options.project
        report.users = org.users.count
        report.records = records
        let path =
            database
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                "keyhole-store-bench-\(records).sqlite"
            ).path
        report.database = path
        let source = "store-bench:\(project.root.path):\(records)"
        report.reusedDatabase = RecordStore.storedSource(path: path) == source
        let (evaluator, evaluatorSeconds) = timed { AccessEvaluator(org: org) }
        report.evaluatorSeconds = evaluatorSeconds
        if !report.reusedDatabase {
            let (generated, seconds) = timed { Self.accounts(records, org: org) }
            report.generateSeconds = seconds
            org.records = RecordSet(org.records.all + generated)
        }
        let (store, openSeconds) = try timed {
            try RecordStore(
                path: path, org: org, source: source, reset: !report.reusedDatabase, evaluator: evaluator)
        }
        org.records = RecordSet()
        report.openSeconds = openSeconds

        // Users.
        let accesses = evaluator.evaluateAll()
        guard
            let restricted = user.flatMap({ name in
                accesses.first { $0.user.username.caseInsensitiveCompare(name) == .orderedSame }
            })
                ?? accesses.first(where: {
                    $0.objectAccess("Account").contains(.read)
                        && !$0.objectAccess("Account").contains(.viewAllRecords)
                })
        else {
            Console.error("error: no user reads Account without View All; name one with --user")
            throw ExitCode(1)
        }
        let viewAll = accesses.first { $0.objectAccess("Account").contains(.viewAllRecords) }
        report.restrictedUser = restricted.user.username
        report.viewAllUser = viewAll?.user.username

        // Selective query.
        let fields = Self.fields(restricted)
        let cutoff = Self.stamp(max(0, records - window))
        let soql =
            "SELECT \(fields.joined(separator: ", ")) FROM Account WHERE SystemModstamp >= \(cutoff) ORDER BY SystemModstamp"
        let sql =
            "SELECT \(fields.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \"Account\" WHERE \"IsDeleted\" = 0 AND \"SystemModstamp\" >= ? ORDER BY \"SystemModstamp\", \"Id\""
        report.selectiveSOQL = soql
        report.selectiveSQL = sql
        let (first, firstSeconds) = try timed { try store.query(soql, access: restricted) }
        report.selectiveFirstMilliseconds = firstSeconds * 1000
        report.selectiveRows = first.totalSize
        report.selectiveSQLRows = try store.executeUnchecked(sql: sql, parameters: [.text(cutoff)])
        var storeTimes: [Double] = []
        var sqlTimes: [Double] = []
        var storeCPU = 0.0
        var sqlCPU = 0.0
        for _ in 0..<samples {
            let c0 = Self.processCPUSeconds()
            let (_, s) = try timed { try store.query(soql, access: restricted) }
            let c1 = Self.processCPUSeconds()
            let (_, r) = try timed { try store.executeUnchecked(sql: sql, parameters: [.text(cutoff)]) }
            let c2 = Self.processCPUSeconds()
            storeTimes.append(s * 1000)
            sqlTimes.append(r * 1000)
            storeCPU += c1 - c0
            sqlCPU += c2 - c1
        }
        report.selectiveStoreMilliseconds = storeTimes.median
        report.selectiveSQLMilliseconds = sqlTimes.median
        report.selectiveRatio = sqlTimes.median > 0 ? storeTimes.median / sqlTimes.median : 0
        report.selectiveStoreCPUMilliseconds = storeCPU * 1000 / Double(samples)
        report.selectiveSQLCPUMilliseconds = sqlCPU * 1000 / Double(samples)
        report.selectiveCPURatio = sqlCPU > 0 ? storeCPU / sqlCPU : 0

        // Full queryAll.
        if !skipQueryAll {
            for access in [viewAll, restricted].compactMap({ $0 }) {
                let all = "SELECT \(Self.fields(access).joined(separator: ", ")) FROM Account"
                let cpuStart = Self.processCPUSeconds()
                let ((count, pages, firstPage), seconds) = try timed { () throws -> (Int, Int, Double) in
                    let (page, firstPage) = try timed {
                        try store.query(all, access: access, includeDeleted: true)
                    }
                    var current = page
                    var count = page.records.count
                    var pages = 1
                    while let next = current.nextLocator {
                        current = try store.queryMore(next, access: access)
                        count += current.records.count
                        pages += 1
                    }
                    return (count, pages, firstPage)
                }
                let cpu = Self.processCPUSeconds() - cpuStart
                report.queryAll.append(
                    StoreBenchReport.QueryAll(
                        user: access.user.username, soql: all, records: count, pages: pages, seconds: seconds,
                        firstPageSeconds: firstPage,
                        recordsPerSecond: seconds > 0 ? Double(count) / seconds : 0,
                        cpuSeconds: cpu, recordsPerCPUSecond: cpu > 0 ? Double(count) / cpu : 0))
            }
        }
        report.loadAverage = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?
            .split(separator: " ").prefix(3).joined(separator: " ")
        report.peakMemoryMegabytes = peakMemoryMegabytes()
        try store.close()
        switch format {
        case .json: Console.out(try Console.json(report))
        default: Console.out(report.text)
        }
    }

    /// CPU time of the whole process so far (all threads), to read figures on a busy machine.
    static func processCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// The Account fields the benchmark selects, among those `access` can read.
    static func fields(_ access: UserAccess) -> [String] {
        [
            "Id", "Name", "Industry", "Type", "Annual_Revenue__c", "AnnualRevenue", "Send_to_HubSpot__c",
            "CreatedDate",
            "SystemModstamp",
        ]
        .filter { $0 == "Id" || access.canRead(object: "Account", field: $0) }
    }

    /// `2024-01-01T00:00:00.000Z` plus `seconds` (under 28 days).
    static func stamp(_ seconds: Int) -> String {
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let day = 1 + seconds / 86_400
        let rest = seconds % 86_400
        let (month, dayOfMonth) = day <= 31 ? (1, day) : (2, day - 31)
        return
            "2024-\(pad(month))-\(pad(dayOfMonth))T\(pad(rest / 3600)):\(pad(rest % 3600 / 60)):\(pad(rest % 60)).000Z"
    }

    /// The generated accounts: the same `count` always gives the same records.
    static func accounts(_ count: Int, org: Org) -> [Record] {
        let industries = [
            "Retail", "Technology", "Healthcare", "Manufacturing", "Energy", "Finance", "Media",
        ]
        let types = ["Customer - Direct", "Customer - Channel", "Prospect"]
        let account = org.objects["Account"]!
        let hasFlag = account.fields["Send_to_HubSpot__c"] != nil
        let hasRevenue = account.fields["Annual_Revenue__c"] != nil
        let owners = org.users.map(\.username)
        var result: [Record] = []
        result.reserveCapacity(count)
        for i in 0..<count {
            // One second apart from 2024-01-01 (wrapping after 27 days, 2.3 million records).
            let stamp = FieldValue.dateTime(Self.stamp(i % (27 * 86_400)))
            var fields: [String: FieldValue] = [
                "Name": .string("Bench Account \(i)"), "Industry": .string(industries[i % industries.count]),
                "Type": .string(types[i % types.count]),
                "AnnualRevenue": .number(Decimal((i * 7919) % 1000 * 10_000)),
                "CreatedDate": stamp, "LastModifiedDate": stamp, "SystemModstamp": stamp,
            ]
            if hasFlag { fields["Send_to_HubSpot__c"] = .boolean(i % 10 == 0) }
            if hasRevenue { fields["Annual_Revenue__c"] = .number(Decimal((i * 104_729) % 5000 * 1_000)) }
            result.append(
                Record(
                    object: "Account", referenceId: "BenchAccount\(i)",
                    ownerUsername: owners[i % owners.count],
                    fields: fields))
        }
        return result
    }
}

/// What `store-bench` prints (JSON keys are stable).
struct StoreBenchReport: Encodable {
    struct QueryAll: Encodable {
        var user: String
        var soql: String
        var records: Int
        var pages: Int
        var seconds: Double
        var firstPageSeconds: Double
        var recordsPerSecond: Double
        var cpuSeconds: Double
        var recordsPerCPUSecond: Double
    }

    var project = ""
    var users = 0
    var records = 0
    var database = ""
    var reusedDatabase = false
    var evaluatorSeconds = 0.0
    var generateSeconds = 0.0
    var openSeconds = 0.0
    var restrictedUser = ""
    var viewAllUser: String?
    var selectiveSOQL = ""
    var selectiveSQL = ""
    var selectiveRows = 0
    var selectiveSQLRows = 0
    var selectiveFirstMilliseconds = 0.0
    var selectiveStoreMilliseconds = 0.0
    var selectiveSQLMilliseconds = 0.0
    var selectiveRatio = 0.0
    var selectiveStoreCPUMilliseconds = 0.0
    var selectiveSQLCPUMilliseconds = 0.0
    var selectiveCPURatio = 0.0
    var queryAll: [QueryAll] = []
    var loadAverage: String?
    var peakMemoryMegabytes = 0.0

    var text: String {
        func f(_ d: Double, _ places: Int = 2) -> String { String(format: "%.\(places)f", d) }
        var lines = [
            "project: \(project) (\(users) users; the project's own users own the generated records)",
            "database: \(database) (\(reusedDatabase ? "reused" : "generated \(records) Account records in \(f(generateSeconds)) s"))",
            "store open (schema, load, sharing copy): \(f(openSeconds)) s; evaluator: \(f(evaluatorSeconds)) s",
            "restricted user: \(restrictedUser); View All user: \(viewAllUser ?? "none")",
            "selective SOQL: \(selectiveSOQL)",
            "  store: \(selectiveRows) rows visible; first call (incl. visibility materialisation) \(f(selectiveFirstMilliseconds)) ms",
            "  store query path (parse+bind+generate+execute+format), median: \(f(selectiveStoreMilliseconds, 3)) ms",
            "  hand-written SQL without access checks (\(selectiveSQLRows) rows), median: \(f(selectiveSQLMilliseconds, 3)) ms",
            "  ratio store / SQL: \(f(selectiveRatio)) (target ≤ 1.5); by CPU time \(f(selectiveStoreCPUMilliseconds, 3)) / \(f(selectiveSQLCPUMilliseconds, 3)) ms = \(f(selectiveCPURatio))",
        ]
        for pass in queryAll {
            lines.append(
                "queryAll as \(pass.user): \(pass.records) records in \(pass.pages) pages, \(f(pass.seconds)) s (first page \(f(pass.firstPageSeconds)) s): \(f(pass.recordsPerSecond, 0)) records/s; CPU \(f(pass.cpuSeconds)) s = \(f(pass.recordsPerCPUSecond, 0)) records per CPU second"
            )
        }
        lines.append(
            "load average: \(loadAverage ?? "unknown"); peak memory: \(f(peakMemoryMegabytes, 0)) MB")
        return lines.joined(separator: "\n")
    }
}
