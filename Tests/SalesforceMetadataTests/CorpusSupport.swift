import AccessModel
import Foundation
import SalesforceMetadata

/// The shared corpus (`../shared/corpus` from the package root), read-only.
enum Corpus {
    static let folders = [
        "SFDC-Assets__access-control-demo",
        "SalesforceFoundation__NPSP",
        "SalesforceFoundation__PMM",
        "SalesforceFoundation__Volunteers-for-Salesforce",
        "SalesforceFoundation__Volunteers-for-Salesforce@367e94c",
        "UKGovernmentBEIS__PRS-Exemptions-Register-Service-Public",
        "jongpie__NebulaLogger",
        "trailheadapps__apex-recipes",
        "trailheadapps__ebikes-lwc",
    ]

    static let root: URL = {
        // Tests/SalesforceMetadataTests/CorpusSupport.swift → package root → ../shared/corpus
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
        return packageRoot.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(
            "shared/corpus")
    }()

    static func url(_ folder: String) -> URL { root.appendingPathComponent(folder) }

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: root.path) }

    /// Loads are cached: several tests look at the same folder.
    static func load(_ folder: String) -> MetadataLoad {
        cache.get(folder) { MetadataLoader.load(projectRoot: url(folder), forceScan: true) }
    }

    private static let cache = LoadCache()

    /// Every file below `folder` (relative path, URL), found with a plain recursive listing.
    static func files(_ folder: String) -> [(path: String, url: URL)] {
        let base = url(folder)
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
        else {
            return []
        }
        var result: [(String, URL)] = []
        let prefix = base.standardizedFileURL.path + "/"
        for case let file as URL in enumerator {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory)
            if isDirectory.boolValue { continue }
            let path = file.standardizedFileURL.path
            result.append((path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path, file))
        }
        return result
    }
}

final class LoadCache: @unchecked Sendable {
    private let lock = NSLock()
    private var loads: [String: MetadataLoad] = [:]

    func get(_ key: String, _ make: () -> MetadataLoad) -> MetadataLoad {
        lock.lock()
        if let load = loads[key] {
            lock.unlock()
            return load
        }
        lock.unlock()
        let load = make()
        lock.lock()
        loads[key] = load
        lock.unlock()
        return load
    }
}

/// A temporary folder for written fixtures, removed by `remove()`.
struct TempFolder {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "keyhole-meta-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ path: String, _ text: String) -> URL {
        let file = url.appendingPathComponent(path)
        try? FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(text.utf8).write(to: file)
        return file
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
