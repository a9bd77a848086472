import AccessModel
import Dispatch
import Foundation
import SalesforceMetadata

#if canImport(Glibc)
    import Glibc
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    import Darwin
    private let systemWrite = Darwin.write
#endif

/// Writes a generated org as a real SFDX project: `sfdx-project.json`, `force-app/main/default/…` (through
/// `MetadataWriter`, objects decomposed into field files), `keyhole.yaml` (through `KeyholeFile.render`)
/// and, with records, `data/<Object>.csv`.
///
/// Texts are produced in parallel (the org is cut into slices, each written by `MetadataWriter.files`),
/// folders are created once, and each file is written once. The same org gives byte-identical files.
struct ProjectGenerator {
    var generator: OrgGenerator

    struct Summary: Encodable {
        var folder: String
        var seed: UInt64
        var files: Int
        var metadataFiles: Int
        var megabytes: Double
        var users: Int
        var objects: Int
        var fields: Int
        var profiles: Int
        var permissionSets: Int
        var permissionSetGroups: Int
        var roles: Int
        var publicGroups: Int
        var sharingRules: Int
        var records: Int
        var recordObject: String?
        var seconds: Double
    }

    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    /// Generates the org and writes the project at `folder` (created if missing).
    @discardableResult
    func write(to folder: URL) throws -> Summary {
        let start = DispatchTime.now().uptimeNanoseconds
        let org = generator.generate()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)

        // sfdx-project.json: the writer's own, for an org with no metadata.
        try MetadataWriter.writeSFDXProject(org: Org(), to: folder)

        let base = folder.appendingPathComponent("force-app/main/default")
        let metadata = Self.metadataFiles(org)
        let directories = Set(metadata.map { ($0.path as NSString).deletingLastPathComponent }).sorted()
        for directory in directories {
            try FileManager.default.createDirectory(
                at: base.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        var bytes = try Self.writeAll(metadata.map { (base.appendingPathComponent($0.path), $0.text) })

        // keyhole.yaml: the people only. Group members other than users are in the group files already.
        var people = Org()
        people.users = org.users
        let recordCount = generator.size.records > 0 && !org.users.isEmpty ? generator.size.records : 0
        let yaml = KeyholeFile.render(org: people, dataFolder: recordCount > 0 ? "data/" : nil)
        bytes += try Self.write(Data(yaml.utf8), to: folder.appendingPathComponent("keyhole.yaml"))

        var files = metadata.count + 2
        if recordCount > 0 {
            let csv = generator.recordsCSV(
                usernames: org.users.map(\.username), fieldsPerObject: generator.size.fieldsPerObject)
            let data = folder.appendingPathComponent("data")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            bytes += try Self.write(
                Data(csv), to: data.appendingPathComponent("\(OrgGenerator.recordObject).csv"))
            files += 1
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Summary(
            folder: folder.path, seed: generator.seed, files: files, metadataFiles: metadata.count,
            megabytes: (Double(bytes) / 1_048_576 * 100).rounded() / 100,
            users: org.users.count, objects: org.objects.count, fields: org.fieldCount,
            profiles: org.profiles.count, permissionSets: org.permissionSets.count,
            permissionSetGroups: org.permissionSetGroups.count, roles: org.roles.count,
            publicGroups: org.groups.count, sharingRules: org.sharingRules.count, records: recordCount,
            recordObject: recordCount > 0 ? OrgGenerator.recordObject : nil,
            seconds: (seconds * 1000).rounded() / 1000)
    }

    /// Every metadata file of `org` (SFDX format), rendered in parallel slices by `MetadataWriter.files`.
    static func metadataFiles(_ org: Org) -> [(path: String, text: String)] {
        let slices = 32
        @Sendable func slice<V>(_ dictionary: [String: V], _ s: Int) -> [String: V] {
            var out: [String: V] = [:]
            for (i, key) in dictionary.keys.sorted().enumerated() where i % slices == s {
                out[key] = dictionary[key]
            }
            return out
        }
        let parts = ResultSlots<[(path: String, text: String)]>(count: slices)
        DispatchQueue.concurrentPerform(iterations: slices) { s in
            var part = Org()
            part.objects = slice(org.objects, s)
            part.profiles = slice(org.profiles, s)
            part.permissionSets = slice(org.permissionSets, s)
            part.permissionSetGroups = slice(org.permissionSetGroups, s)
            part.mutingPermissionSets = slice(org.mutingPermissionSets, s)
            part.roles = slice(org.roles, s)
            part.groups = slice(org.groups, s)
            part.restrictionRules = slice(org.restrictionRules, s)
            // One sharing-rules file per object: every rule in the same slice.
            if s == 0 { part.sharingRules = org.sharingRules }
            parts.set(s, MetadataWriter.files(for: part, format: .sfdx))
        }
        return (0..<slices).flatMap { parts.get($0) }.sorted { $0.path < $1.path }
    }

    /// Writes the files in parallel; their folders must exist. Returns the bytes written.
    static func writeAll(_ files: [(url: URL, text: String)]) throws -> Int {
        let chunk = 512
        let chunks = (files.count + chunk - 1) / chunk
        let results = ResultSlots<Result<Int, Error>>(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            results.set(
                c,
                Result {
                    var bytes = 0
                    for i in c * chunk..<min(files.count, (c + 1) * chunk) {
                        bytes += try write(Data(files[i].text.utf8), to: files[i].url)
                    }
                    return bytes
                })
        }
        var total = 0
        for c in 0..<chunks { total += try results.get(c).get() }
        return total
    }

    /// Writes one file with plain POSIX calls: no temporary file and no `fsync` (`Data.write` does both,
    /// which makes a hundred thousand small files several times slower to write).
    static func write(_ data: Data, to url: URL) throws -> Int {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw WriteError(description: "cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let failed = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return true
                }
                offset += written
            }
            return false
        }
        if failed {
            throw WriteError(description: "cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
        return data.count
    }
}
