import AccessModel
import ArgumentParser
import Dispatch
import Foundation
import SalesforceMetadata

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `keyhole bench PROJECT` — loads a project and times loading, evaluation and explanations; prints the
/// figures (DESIGN.md, "Performance method": benchmarks print machine-readable results, never assert).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time loading, evaluating and explaining a project; print the figures (text or JSON).",
        discussion: """
            Figures: loadSeconds (Project.load), explainFieldCommandMilliseconds (what `explain --field` \
            does right after load: an evaluator indexing that object and the user's sources, one field \
            explained), evaluateSeconds (evaluator construction + every user evaluated), \
            explainFieldMilliseconds (one field explained for a user not yet evaluated, median), and with \
            records: explainRecordCommandMilliseconds (what `explain --record` does right after load, for a \
            user deep in the list: evaluators built, one record decided and its object access explained), \
            explainRecordColdMilliseconds (the first record explained by a new record-sharing evaluator, \
            without indexing the object), explainRecordUnindexedMilliseconds (further records explained \
            without an index, median), sharingIndexSeconds (record-sharing evaluator built and the object \
            indexed), visibilitySeconds (every user's visible records of the object), \
            explainRecordMilliseconds (one record explained once the object is indexed, median), \
            peakMemoryMegabytes (VmHWM). Build with -c release to measure.

            Exit 1 when the project has errors, 64 on bad options.
            """)

    @OptionGroup var options: ProjectOptions

    @Option(
        help: "The object for the record figures (default: the first object with records and a Private OWD).")
    var object: String?

    @Option(
        help:
            "The field to explain, OBJECT.FIELD (default: the first field of the record object or of the first custom object)."
    )
    var explainField: String?

    @Option(help: "Samples for the explain medians.")
    var samples = 5

    @Flag(
        help:
            "Keep every user's visible set in memory (one bit per record per user) instead of counting them.")
    var keepSets = false

    @Flag(
        help:
            "Also time the load phases one by one (metadata, catalog, keyhole.yaml, record data); loads again."
    )
    var phases = false

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        guard [.text, .json].contains(format) else {
            throw ValidationError("bench prints text or json, not \(format.rawValue)")
        }
        guard samples >= 1 else { throw ValidationError("--samples must be at least 1") }
        if let explainField, explainField.split(separator: ".").count != 2 {
            throw ValidationError("--explain-field takes OBJECT.FIELD, e.g. Account.Industry")
        }
    }

    func run() throws {
        var report = BenchReport(project: options.project)

        // Load.
        let (project, loadSeconds) = try timed { try options.load(requireClean: true) }
        let org = project.org
        report.loadSeconds = loadSeconds
        let sizes = InputSizes(project)
        report.metadataFiles = project.metadata.fileCount
        report.metadataMegabytes = sizes.metadata.megabytes
        report.keyholeFileMegabytes = sizes.keyholeFile.megabytes
        report.dataMegabytes = sizes.data.megabytes
        let inputMegabytes = Double(sizes.metadata + sizes.keyholeFile + sizes.data) / 1_048_576
        report.inputMegabytes = inputMegabytes.rounded(places: 2)
        report.loadSecondsPerMegabyte =
            inputMegabytes > 0 ? (loadSeconds / inputMegabytes).rounded(places: 4) : 0
        report.users = org.users.count
        report.objects = project.metadata.org.objects.count
        report.fields = project.metadata.org.fieldCount
        report.profiles = org.profiles.count
        report.permissionSets = org.permissionSets.count
        report.permissionSetGroups = org.permissionSetGroups.count
        report.distinctSourceSets = Set(org.users.map(SourceSet.init)).count

        // One record explained right after load, as `explain --record` does it (nothing computed before),
        // for the last probed user (deep in the user list, so looking the user up counts).
        let recordObject = try recordTarget(project)
        let explainProbes = recordObject.map { recordProbes($0, org) } ?? []
        if let probe = explainProbes.last {
            let (_, seconds) = try timed {
                try RecordExplanation.make(project: project, username: probe.username, record: probe.recordId)
            }
            report.explainRecordCommandMilliseconds = seconds * 1000
        }

        // One field explained right after load, as `explain --field` does it (nothing computed before).
        let (fieldObject, fieldName) = try explainTarget(project)
        if let u = spread(org.users.count, 1).first {
            let (_, seconds) = try timed {
                try ExplainReport.make(
                    project: project, username: org.users[u].username, object: fieldObject, field: fieldName)
            }
            report.explainFieldCommandMilliseconds = seconds * 1000
        }

        // Object, field and system access for every user.
        let (evaluator, initSeconds) = timed { AccessEvaluator(org: org) }
        let (accesses, allSeconds) = timed { evaluator.evaluateAll() }
        report.evaluatorInitSeconds = initSeconds
        report.evaluateSeconds = (initSeconds + allSeconds)
        report.evaluatedUsers = accesses.count

        // One field explained, for users whose access was not computed before (the cache is empty).
        report.explainField = "\(fieldObject).\(fieldName)"
        let probes = spread(org.users.count, samples)
        if !probes.isEmpty {
            var times: [Double] = []
            for u in probes {
                let (_, t) = timed {
                    evaluator.fieldDecision(org.users[u], object: fieldObject, field: fieldName)
                }
                times.append(t * 1000)
            }
            report.explainFieldMilliseconds = times.median
            report.explainFieldWithEvaluatorInitMilliseconds = initSeconds * 1000 + times.median
        }

        // Record access.
        if let recordObject {
            let records = org.records.records(of: recordObject)
            report.records = org.records.count
            report.recordObject = recordObject
            report.objectRecords = records.count
            let (sharing, sharingSeconds) = timed { evaluator.sharingEvaluator() }

            // Records explained one by one before anything is indexed: the first answer, then the rest.
            var unindexed: [Double] = []
            for (n, (username, recordId)) in explainProbes.enumerated() {
                let (decision, t) = timed { sharing.decision(username: username, recordId: recordId) }
                if decision == nil {
                    Console.error("bench: no decision for \(username) on \(recordId)")
                    throw ExitCode(1)
                }
                if n == 0 {
                    report.explainRecordColdMilliseconds = t * 1000
                } else {
                    unindexed.append(t * 1000)
                }
            }
            if !unindexed.isEmpty { report.explainRecordUnindexedMilliseconds = unindexed.median }
            report.indexedByExplainRecord = sharing.indexedObjects

            let (_, indexSeconds) = timed { sharing.prepare(objects: [recordObject]) }
            report.sharingEvaluatorSeconds = sharingSeconds
            report.objectIndexSeconds = indexSeconds
            report.sharingIndexSeconds = sharingSeconds + indexSeconds
            let (pairs, visibilitySeconds) = timed {
                if keepSets {
                    return sharing.visibleSets(object: recordObject).reduce(0) { $0 + $1.cardinality }
                }
                return sharing.visibility(object: recordObject).reduce(0) { $0 + $1.readable }
            }
            report.visibilitySeconds = visibilitySeconds
            report.visibleRecordPairs = pairs
            if !records.isEmpty && !probes.isEmpty {
                var times: [Double] = []
                for (n, u) in probes.enumerated() {
                    let record = records[(n * 7919 + 1) % records.count]
                    let username = org.users[u].username
                    let (decision, t) = timed { sharing.decision(username: username, recordId: record.id) }
                    if decision == nil {
                        Console.error("bench: no decision for \(username) on \(record.id)")
                        throw ExitCode(1)
                    }
                    times.append(t * 1000)
                }
                report.explainRecordMilliseconds = times.median
            }
        }
        withExtendedLifetime(accesses) {}
        report.peakMemoryMegabytes = peakMemoryMegabytes()

        if phases { report.loadPhases = try loadPhases(project) }
        report.round()
        switch format {
        case .json: Console.out(try Console.json(report))
        default: Console.out(report.text)
        }
    }

    /// The object and field to explain: `--explain-field`, else the first field of the record object or
    /// of the first custom object declared.
    func explainTarget(_ project: Project) throws -> (String, String) {
        if let explainField {
            let parts = explainField.split(separator: ".").map(String.init)
            guard let object = project.org.object(named: parts[0]) else {
                Console.error("error: --explain-field: no object \(parts[0]) in the project")
                throw ExitCode(1)
            }
            guard
                let field = object.fields[parts[1]]
                    ?? object.fields.values.first(where: {
                        $0.name.caseInsensitiveCompare(parts[1]) == .orderedSame
                    })
            else {
                Console.error("error: --explain-field: \(object.name) has no field \(parts[1])")
                throw ExitCode(1)
            }
            return (object.name, field.name)
        }
        let declared = project.metadata.org.objects.keys.sorted()
        let preferred = (try? recordTarget(project)) ?? nil
        for name in [preferred].compactMap({ $0 }) + declared {
            // A field the project declares (custom objects also get the catalog's system fields).
            let declaredFields = project.metadata.org.objects[name]?.sortedFields ?? []
            if let field = declaredFields.first(where: { $0.name != "Id" }) {
                return (name, field.name)
            }
        }
        Console.error("error: the project declares no object with a field to explain; use --explain-field")
        throw ExitCode(1)
    }

    /// The object for the record figures: `--object`, else the first with records and a Private OWD, else
    /// the first with records; nil without records.
    func recordTarget(_ project: Project) throws -> String? {
        let records = project.org.records
        if let object {
            guard let type = project.org.object(named: object) else {
                Console.error("error: --object: no object \(object) in the project")
                throw ExitCode(1)
            }
            return type.name
        }
        guard !records.isEmpty else { return nil }
        let names = records.objectNames
        return names.first { project.org.objects[$0]?.sharingModel == .private } ?? names.first
    }

    /// Users and records to explain one by one: `samples + 1` users spread over the org, each with a
    /// record of `object` spread over its records (none of them explained by the indexed samples).
    func recordProbes(_ object: String, _ org: Org) -> [(username: String, recordId: String)] {
        let records = org.records.records(of: object)
        guard !records.isEmpty else { return [] }
        return spread(org.users.count, samples + 1).enumerated().map { n, u in
            (org.users[u].username, records[(n * 104_729 + records.count / 2) % records.count].id)
        }
    }

    /// Each load phase alone, on the same files (the sum is close to `loadSeconds`).
    func loadPhases(_ project: Project) throws -> LoadPhases {
        var phases = LoadPhases()
        let (load, metadataSeconds) = timed {
            MetadataLoader.load(projectRoot: project.root, forceScan: options.scan)
        }
        phases.metadataSeconds = metadataSeconds
        let (_, catalogSeconds) = try timed { try StandardCatalog.bundled().merged(into: load.org) }
        phases.catalogSeconds = catalogSeconds
        let yaml = project.root.appendingPathComponent("keyhole.yaml")
        if let data = try? Data(contentsOf: yaml) {
            let text = String(decoding: data, as: UTF8.self)
            let (_, seconds) = timed { KeyholeFile.parse(text, file: "keyhole.yaml") }
            phases.keyholeFileParseSeconds = seconds
        }
        if let folder = project.keyholeFile?.dataFolder {
            let (files, readSeconds) = timed { Self.dataFiles(project.root.appendingPathComponent(folder)) }
            var org = project.org
            org.records = RecordSet()
            let (_, seconds) = timed { RecordData.load(files: files, org: org) }
            phases.recordDataReadSeconds = readSeconds
            phases.recordDataSeconds = seconds
        }
        return phases
    }

    static func dataFiles(_ folder: URL) -> [(path: String, contents: Data)] {
        var files: [(path: String, contents: Data)] = []
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            if RecordData.isDataFile(url.path), let data = try? Data(contentsOf: url) {
                files.append((url.lastPathComponent, data))
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// `count` indexes spread over `0..<total`.
    func spread(_ total: Int, _ count: Int) -> [Int] {
        guard total > 0 else { return [] }
        return Array(Set((0..<min(count, total)).map { $0 * total / min(count, total) })).sorted()
    }
}

/// What makes two users' object and field access equal (the evaluator's own key, recomputed here).
struct SourceSet: Hashable {
    var profile: String
    var license: String
    var permissionSets: [String]
    var groups: [String]
    var permissionSetLicenses: [String]

    init(_ user: User) {
        profile = user.profile
        license = user.license
        permissionSets = Array(Set(user.permissionSets.map(\.name))).sorted()
        groups = Array(Set(user.permissionSetGroups.map(\.name))).sorted()
        permissionSetLicenses = Array(Set(user.permissionSetLicenses)).sorted()
    }
}

/// Bytes of the project's inputs: metadata files, keyhole.yaml and the record data folder.
struct InputSizes {
    var metadata = 0
    var keyholeFile = 0
    var data = 0

    init(_ project: Project) {
        let root = project.root.standardizedFileURL.path
        let dataFolder = project.keyholeFile?.dataFolder.map {
            URL(fileURLWithPath: $0, relativeTo: project.root).standardizedFileURL.path
        }
        let keys: [URLResourceKey] = [.fileSizeKey, .isRegularFileKey]
        guard
            let enumerator = FileManager.default.enumerator(
                at: project.root, includingPropertiesForKeys: keys, options: [])
        else { return }
        while let url = enumerator.nextObject() as? URL {
            guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true
            else {
                continue
            }
            let size = values.fileSize ?? 0
            let path = url.standardizedFileURL.path
            let relative = path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
            if let dataFolder, path.hasPrefix(dataFolder.hasSuffix("/") ? dataFolder : dataFolder + "/") {
                if RecordData.isDataFile(path) { data += size }
            } else if relative == "keyhole.yaml" {
                keyholeFile += size
            } else if MetadataFile.classify(relative) != nil {
                metadata += size
            }
        }
    }
}

struct LoadPhases: Encodable {
    var metadataSeconds = 0.0
    var catalogSeconds = 0.0
    var keyholeFileParseSeconds: Double?
    var recordDataReadSeconds: Double?
    var recordDataSeconds: Double?

    mutating func round() {
        metadataSeconds = metadataSeconds.rounded(places: 3)
        catalogSeconds = catalogSeconds.rounded(places: 3)
        keyholeFileParseSeconds = keyholeFileParseSeconds?.rounded(places: 3)
        recordDataReadSeconds = recordDataReadSeconds?.rounded(places: 3)
        recordDataSeconds = recordDataSeconds?.rounded(places: 3)
    }
}

/// The `bench` JSON contract: stable keys; record figures only when the project has records.
struct BenchReport: Encodable {
    var project: String
    var buildConfiguration: String = {
        #if DEBUG
            "debug"
        #else
            "release"
        #endif
    }()
    var loadSeconds = 0.0
    var metadataFiles = 0
    var metadataMegabytes = 0.0
    var keyholeFileMegabytes = 0.0
    var dataMegabytes = 0.0
    var inputMegabytes = 0.0
    /// `loadSeconds` over `inputMegabytes` (metadata, keyhole.yaml and record data).
    var loadSecondsPerMegabyte = 0.0
    var users = 0
    var objects = 0
    var fields = 0
    var profiles = 0
    var permissionSets = 0
    var permissionSetGroups = 0
    var distinctSourceSets = 0
    var evaluatorInitSeconds = 0.0
    var evaluateSeconds = 0.0
    var evaluatedUsers = 0
    var explainField = ""
    var explainFieldMilliseconds: Double?
    var explainFieldWithEvaluatorInitMilliseconds: Double?
    var explainFieldCommandMilliseconds: Double?
    var records: Int?
    var recordObject: String?
    var objectRecords: Int?
    /// `sharingEvaluatorSeconds` (every user's object permissions, users, roles and groups indexed) plus
    /// `objectIndexSeconds` (the record object's owners, criteria matches and role subtrees indexed).
    var sharingIndexSeconds: Double?
    var sharingEvaluatorSeconds: Double?
    var objectIndexSeconds: Double?
    var visibilitySeconds: Double?
    var visibleRecordPairs: Int?
    var explainRecordMilliseconds: Double?
    var explainRecordCommandMilliseconds: Double?
    var explainRecordColdMilliseconds: Double?
    var explainRecordUnindexedMilliseconds: Double?
    /// Objects indexed while the unindexed records were explained (expected: none).
    var indexedByExplainRecord: [String]?
    var peakMemoryMegabytes = 0.0
    var loadPhases: LoadPhases?

    init(project: String) { self.project = project }

    mutating func round() {
        loadSeconds = loadSeconds.rounded(places: 3)
        evaluatorInitSeconds = evaluatorInitSeconds.rounded(places: 3)
        evaluateSeconds = evaluateSeconds.rounded(places: 3)
        explainFieldMilliseconds = explainFieldMilliseconds?.rounded(places: 3)
        explainFieldCommandMilliseconds = explainFieldCommandMilliseconds?.rounded(places: 3)
        explainFieldWithEvaluatorInitMilliseconds = explainFieldWithEvaluatorInitMilliseconds?.rounded(
            places: 3)
        sharingIndexSeconds = sharingIndexSeconds?.rounded(places: 3)
        sharingEvaluatorSeconds = sharingEvaluatorSeconds?.rounded(places: 3)
        objectIndexSeconds = objectIndexSeconds?.rounded(places: 3)
        visibilitySeconds = visibilitySeconds?.rounded(places: 3)
        explainRecordMilliseconds = explainRecordMilliseconds?.rounded(places: 3)
        explainRecordCommandMilliseconds = explainRecordCommandMilliseconds?.rounded(places: 3)
        explainRecordColdMilliseconds = explainRecordColdMilliseconds?.rounded(places: 3)
        explainRecordUnindexedMilliseconds = explainRecordUnindexedMilliseconds?.rounded(places: 3)
        peakMemoryMegabytes = peakMemoryMegabytes.rounded(places: 1)
        loadPhases?.round()
    }

    var text: String {
        var lines = ["\(project) (\(buildConfiguration) build)"]
        func line(_ key: String, _ value: String) {
            lines.append("  " + key.padding(toLength: 44, withPad: " ", startingAt: 0) + value)
        }
        line("loadSeconds", "\(loadSeconds)")
        line("metadataFiles", "\(metadataFiles)")
        line("metadataMegabytes", "\(metadataMegabytes)")
        line("keyholeFileMegabytes", "\(keyholeFileMegabytes)")
        line("dataMegabytes", "\(dataMegabytes)")
        line("loadSecondsPerMegabyte", "\(loadSecondsPerMegabyte)")
        line("users / objects / fields", "\(users) / \(objects) / \(fields)")
        line("profiles / permissionSets / groups", "\(profiles) / \(permissionSets) / \(permissionSetGroups)")
        line("distinctSourceSets", "\(distinctSourceSets)")
        line("evaluateSeconds", "\(evaluateSeconds) (evaluator \(evaluatorInitSeconds))")
        if let explainFieldCommandMilliseconds {
            line(
                "explainFieldCommandMilliseconds",
                "\(explainFieldCommandMilliseconds) (explain --field after load)")
        }
        if let explainFieldMilliseconds {
            line(
                "explainFieldMilliseconds",
                "\(explainFieldMilliseconds) (\(explainField); \(explainFieldWithEvaluatorInitMilliseconds ?? 0) with evaluator construction)"
            )
        }
        if let records, let recordObject {
            line("records", "\(records) (\(objectRecords ?? 0) of \(recordObject))")
            if let explainRecordCommandMilliseconds {
                line(
                    "explainRecordCommandMilliseconds",
                    "\(explainRecordCommandMilliseconds) (explain --record after load)")
            }
            if let explainRecordColdMilliseconds {
                let indexed = indexedByExplainRecord ?? []
                line(
                    "explainRecordColdMilliseconds",
                    "\(explainRecordColdMilliseconds) (first record; then \(explainRecordUnindexedMilliseconds ?? 0) median; objects indexed: \(indexed.isEmpty ? "none" : indexed.joined(separator: ", ")))"
                )
            }
            line(
                "sharingIndexSeconds",
                "\(sharingIndexSeconds ?? 0) (evaluator \(sharingEvaluatorSeconds ?? 0), object index \(objectIndexSeconds ?? 0))"
            )
            line(
                "visibilitySeconds",
                "\(visibilitySeconds ?? 0) (\(visibleRecordPairs ?? 0) user-record pairs)")
            if let explainRecordMilliseconds {
                line("explainRecordMilliseconds", "\(explainRecordMilliseconds) (object indexed)")
            }
        }
        line("peakMemoryMegabytes", "\(peakMemoryMegabytes)")
        if let loadPhases {
            line(
                "loadPhases",
                "metadata \(loadPhases.metadataSeconds) s, catalog \(loadPhases.catalogSeconds) s, keyhole.yaml \(loadPhases.keyholeFileParseSeconds ?? 0) s, record files read \(loadPhases.recordDataReadSeconds ?? 0) s, record data \(loadPhases.recordDataSeconds ?? 0) s"
            )
        }
        return lines.joined(separator: "\n")
    }
}

/// Peak resident memory of this process in MiB: VmHWM from /proc/self/status, else getrusage.
func peakMemoryMegabytes() -> Double {
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kilobytes / 1024
        }
    }
    #if canImport(Darwin)
        var usage = rusage()
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / 1_048_576
    #else
        return 0
    #endif
}

func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

extension Double {
    func rounded(places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}

extension Int {
    var megabytes: Double { (Double(self) / 1_048_576).rounded(places: 2) }
}

extension Array where Element == Double {
    var median: Double {
        let sorted = self.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
