import AccessModel
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Everything read from a project's metadata files.
public struct MetadataLoad: Sendable {
    public var format: ProjectFormat
    /// Files read per kind (files only: fields embedded in `.object` files are counted in `embeddedFields`).
    public var filesRead: [MetadataKind: Int]
    /// `<fields>` elements embedded in Metadata API `.object` files.
    public var embeddedFields: Int
    /// Objects, fields, profiles, permission sets, groups of them, muting sets, roles, public groups,
    /// sharing rules and restriction rules. No users and no licences: those come from elsewhere.
    public var org: Org
    /// Errors and notes, with file paths relative to the project root.
    public var diagnostics: [Diagnostic]
    /// Where each component and permission entry came from.
    public var sourceMap: SourceMap
    /// Element name → count, for elements read but not modelled (`layoutAssignments`, `classAccesses`, …)
    /// and unknown ones. Nested elements are named `parent/child`.
    public var ignoredElements: [String: Int]
    /// From `sfdx-project.json`; nil when absent or empty.
    public var namespace: String?
    /// Every `package.xml` read, by relative path.
    public var packageManifests: [String: PackageManifest]

    public init(
        format: ProjectFormat, filesRead: [MetadataKind: Int] = [:], embeddedFields: Int = 0,
        org: Org = Org(),
        diagnostics: [Diagnostic] = [], sourceMap: SourceMap = SourceMap(),
        ignoredElements: [String: Int] = [:],
        namespace: String? = nil, packageManifests: [String: PackageManifest] = [:]
    ) {
        self.format = format
        self.filesRead = filesRead
        self.embeddedFields = embeddedFields
        self.org = org
        self.diagnostics = diagnostics
        self.sourceMap = sourceMap
        self.ignoredElements = ignoredElements
        self.namespace = namespace
        self.packageManifests = packageManifests
    }

    /// Nothing read.
    public static let empty = MetadataLoad(format: .scan)

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var notes: [Diagnostic] { diagnostics.filter { $0.severity == .note } }
    /// All files read.
    public var fileCount: Int { filesRead.values.reduce(0, +) }
}

/// Reads a project folder's metadata into an `Org`.
///
/// - An SFDX project (`sfdx-project.json` at the root): every package directory it lists.
/// - A Metadata API folder (`package.xml` at the root): every metadata file below it.
/// - Any other folder, or `forceScan`: every metadata file of either format below it.
///
/// Each file's kind comes from its own suffix and folder (`TRAP-19`). A component that appears in several
/// files (partial deploy bundles, `TRAP-20`) is merged like successive deploys: the main package directory
/// (or `src`) first, then the others in path order; later entries override earlier ones per key.
/// Problems never stop the load: they are collected as diagnostics.
public enum MetadataLoader {
    static let skippedFolders: Set<String> = [".git", "node_modules", ".sfdx", ".sf", ".keyhole"]

    public static func load(projectRoot: URL, forceScan: Bool = false) -> MetadataLoad {
        var run = LoadRun(root: projectRoot.standardizedFileURL)
        run.load(forceScan: forceScan)
        return run.result
    }
}

/// What a directory entry is, from `lstat` (and `stat` for links).
enum FileKind {
    case directory, file, other

    /// The entries of a folder (not `.` and `..`) with their kind when the folder listing tells it (a link
    /// or an unknown type is nil: `of` asks), or nil when the folder cannot be opened.
    static func list(_ path: String) -> [(name: String, kind: FileKind?)]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var entries: [(name: String, kind: FileKind?)] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            let kind: FileKind?
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_REG): kind = .file
            case Int32(DT_LNK), Int32(DT_UNKNOWN): kind = nil
            default: kind = .other
            }
            entries.append((name, kind))
        }
        return entries
    }

    static func of(_ path: String) -> FileKind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .other }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR { return .directory }
        if type == S_IFREG { return .file }
        if type == S_IFLNK {
            // Read linked files, never follow linked folders.
            var target = stat()
            guard stat(path, &target) == 0 else { return .other }
            return target.st_mode & S_IFMT == S_IFREG ? .file : .other
        }
        return .other
    }
}

/// A file found below the root that Keyhole reads.
struct FoundFile {
    /// The file's path as found (the project root's path, then the relative path).
    var fullPath: String
    var path: String
    var meta: MetadataFile
    var priority: Int
}

/// What reading one file produced.
enum ParsedContent {
    case profile(Profile)
    case permissionSet(PermissionSet)
    case mutingPermissionSet(MutingPermissionSet)
    case permissionSetGroup(PermissionSetGroup)
    case object(CustomObjectXML.Contents)
    case field(object: String, field: Field, present: Set<String>)
    case sharingRules(object: String, rules: [(rule: SharingRule, line: Int)])
    case group(PublicGroup)
    case role(Role)
    case restrictionRule(RestrictionRule)
    case package(PackageManifest)
}

struct FileResult {
    var content: ParsedContent?
    var context: MetadataReadContext
    var rootLine: Int
    var tokens: Int
}

struct LoadRun {
    let root: URL
    var result = MetadataLoad(format: .scan)
    var diagnostics: [Diagnostic] = []

    // Merge state.
    var componentFiles: [String: [String]] = [:]
    var objectUnits: [String: [String]] = [:]
    var sharingRules: [String: SharingRule] = [:]
    var sharingRuleLines: [String: SourceLocation] = [:]
    var tokensByFolder: [String: (tokens: Int, files: Int)] = [:]
    /// `objectUnit`'s last answer: the folder, the object, and the unit (nil: the file itself).
    var lastObjectUnit: (directory: String, object: String, unit: String?)?

    init(root: URL) {
        self.root = root
    }

    mutating func load(forceScan: Bool) {
        defer { result.diagnostics = diagnostics }
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
            diagnostics.append(
                .error(
                    "KH-IO-UNREADABLE", file: root.path,
                    "no folder at \(root.path); give the path of an SFDX project, a Metadata API folder or a folder to scan"
                ))
            return
        }
        guard isDirectory.boolValue else {
            diagnostics.append(
                .error(
                    "KH-IO-UNREADABLE", file: root.path,
                    "\(root.path) is a file, not a folder; give the project folder (the one holding sfdx-project.json or package.xml)"
                ))
            return
        }

        // sfdx-project.json
        var project: SFDXProject?
        let projectURL = root.appendingPathComponent("sfdx-project.json")
        let hasProjectFile = fm.fileExists(atPath: projectURL.path)
        if hasProjectFile {
            if let data = read(projectURL, path: "sfdx-project.json") {
                switch SFDXProject.parse(data, file: "sfdx-project.json") {
                case .success(let parsed): project = parsed
                case .failure(let problem): diagnostics.append(problem.diagnostic)
                }
            }
        }
        result.namespace = project?.namespace

        let format: ProjectFormat
        if forceScan {
            format = .scan
        } else if let project, !project.packageDirectories.isEmpty {
            format = .sfdx
        } else if !hasProjectFile && fm.fileExists(atPath: root.appendingPathComponent("package.xml").path) {
            format = .mdapi
        } else {
            format = .scan
        }
        result.format = format

        // Folders to read.
        var folders: [(url: URL, path: String)] = []
        if format == .sfdx, let project {
            var seen: [String] = []
            for directory in project.packageDirectories {
                let relative = directory.normalizedPath
                if seen.contains(where: { relative == $0 || relative.hasPrefix($0 + "/") || $0 == "." }) {
                    continue
                }
                let url = relative == "." ? root : root.appendingPathComponent(relative).standardizedFileURL
                var isDir: ObjCBool = false
                if !fm.fileExists(atPath: url.path, isDirectory: &isDir) {
                    diagnostics.append(
                        .note(
                            "KH-SFDX-MISSING-PACKAGE-DIR", file: "sfdx-project.json",
                            "package directory '\(directory.path)' does not exist; it is skipped"))
                    continue
                }
                if !isDir.boolValue {
                    diagnostics.append(
                        .error(
                            "KH-IO-UNREADABLE", file: relative,
                            "package directory '\(directory.path)' listed in sfdx-project.json is a file, not a folder — fix packageDirectories"
                        ))
                    continue
                }
                seen.append(relative)
                folders.append((url, relative == "." ? "" : relative))
            }
        } else {
            folders = [(root, "")]
        }

        // The main package directory is applied first (`TRAP-20`).
        var main: String?
        if format == .mdapi {
            main = ""
        } else if let directory = project?.defaultDirectory {
            main = directory.normalizedPath == "." ? "" : directory.normalizedPath
        } else if fm.fileExists(atPath: root.appendingPathComponent("src").path) {
            main = "src"
        } else if fm.fileExists(atPath: root.appendingPathComponent("force-app").path) {
            main = "force-app"
        }

        var found: [(fullPath: String, path: String)] = []
        var seenPaths: Set<String> = []
        for folder in folders {
            walk(folder.url, path: folder.path) { fullPath, path in
                if seenPaths.insert(path).inserted { found.append((fullPath, path)) }
            }
        }
        var files: [FoundFile] = []
        files.reserveCapacity(found.count)
        for (entry, meta) in zip(found, MetadataLoader.classifyAll(found.map(\.path))) {
            guard let meta else { continue }
            let isMain = main.map { $0.isEmpty || entry.path.hasPrefix($0 + "/") } ?? false
            files.append(
                FoundFile(fullPath: entry.fullPath, path: entry.path, meta: meta, priority: isMain ? 0 : 1))
        }
        files.sort { a, b in a.priority != b.priority ? a.priority < b.priority : a.path < b.path }

        for file in files { result.filesRead[file.meta.kind, default: 0] += 1 }
        let results = readAll(files)
        for (file, fileResult) in zip(files, results) { apply(fileResult, of: file) }
        finish()
    }

    // MARK: - Walking

    /// Calls `visit` with the full and the relative path of every regular file below `url`, in name order,
    /// skipping tool folders. Linked folders are not followed (no cycles); linked files are read.
    mutating func walk(_ url: URL, path: String, visit: (String, String) -> Void) {
        walk(directory: url.path, path: path, visit: visit)
    }

    mutating func walk(directory: String, path: String, visit: (String, String) -> Void) {
        var entries: [(name: String, kind: FileKind?)]
        if let listed = FileKind.list(directory) {
            entries = listed
        } else {
            do {
                entries = try FileManager.default.contentsOfDirectory(atPath: directory).map { ($0, nil) }
            } catch {
                diagnostics.append(
                    .error(
                        "KH-IO-UNREADABLE", file: path.isEmpty ? "." : path,
                        "cannot list folder \(path.isEmpty ? directory : path): \(error.localizedDescription) — check its permissions"
                    ))
                return
            }
        }
        entries.sort { $0.name < $1.name }
        for (name, listedKind) in entries {
            let full = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            let childPath = path.isEmpty ? name : path + "/" + name
            switch listedKind ?? FileKind.of(full) {
            case .directory:
                if MetadataLoader.skippedFolders.contains(name) || name.hasPrefix(".build") { continue }
                walk(directory: full, path: childPath, visit: visit)
            case .file:
                visit(full, childPath)
            case .other:
                continue
            }
        }
    }

    mutating func read(_ url: URL, path: String) -> Data? {
        do {
            return try Data(contentsOf: url)
        } catch {
            diagnostics.append(
                .error(
                    "KH-IO-UNREADABLE", file: path,
                    "cannot read \(path): \(error.localizedDescription) — check the file's permissions"))
            return nil
        }
    }

    // MARK: - Reading

    /// Reads and parses every file, two at a time or more when cores allow; results keep `files`' order.
    func readAll(_ files: [FoundFile]) -> [FileResult] {
        let count = files.count
        let buffer = UnsafeMutableBufferPointer<FileResult>.allocate(capacity: count)
        defer { buffer.deallocate() }
        let base = UncheckedBuffer(buffer: buffer)
        // libxml2 initialises its globals on first use; do that on this thread before going parallel.
        _ = LoadRun.parserReady
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let chunk = max(1, (count + workers * 4 - 1) / (workers * 4))
        let chunks = (count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let start = c * chunk
            let end = min(count, start + chunk)
            for i in start..<end {
                (base.buffer.baseAddress! + i).initialize(to: LoadRun.readFile(files[i]))
            }
        }
        let results = Array(buffer)
        _ = buffer.baseAddress.map { $0.deinitialize(count: count) }
        return results
    }

    static let parserReady: Bool = {
        if case .success = XMLTreeParser.parse("<a/>") { return true }
        return false
    }()

    struct UncheckedBuffer: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<FileResult>
    }

    static func readFile(_ file: FoundFile) -> FileResult {
        var context = MetadataReadContext(file: file.path)
        var result = FileResult(content: nil, context: context, rootLine: 1, tokens: 0)
        let data: Data
        do {
            // `contents(atPath:)` reads the same bytes without making a URL; `Data(contentsOf:)` says why not.
            if let contents = FileManager.default.contents(atPath: file.fullPath) {
                data = contents
            } else {
                data = try Data(contentsOf: URL(fileURLWithPath: file.fullPath, isDirectory: false))
            }
        } catch {
            context.diagnostics.append(
                .error(
                    "KH-IO-UNREADABLE", file: file.path,
                    "cannot read \(file.path): \(error.localizedDescription) — check the file's permissions"))
            result.context = context
            return result
        }
        var bytes = data
        if MetadataLoader.mayHoldTokens(data), let (replaced, count) = MetadataName.removeTokens(in: data) {
            bytes = replaced
            result.tokens = count
        }
        let fileName =
            file.path.lastIndex(of: "/").map { file.path[file.path.index(after: $0)...] } ?? file.path[...]
        if MetadataLoader.mayHoldTokens(fileName) {
            result.tokens += MetadataName.removeTokens(String(fileName)).1
        }
        let meta = file.meta
        let expected: [String]
        if let element = meta.sharingRuleElement {
            expected = SharingRulesXML.singleRuleRoots.filter { $0.value == element }.map(\.key)
        } else {
            expected = [meta.kind.rootElement]
        }
        let root: XMLElementNode
        switch MetadataXML.root(
            of: bytes, expecting: expected, kindName: meta.kind.metadataType, file: file.path)
        {
        case .failure(let problem):
            context.diagnostics.append(problem.diagnostic)
            result.context = context
            return result
        case .success(let node):
            root = node
        }
        result.rootLine = root.line
        let name = meta.apiName
        switch meta.kind {
        case .profile: result.content = .profile(ProfileXML.read(root, name: name, context: &context))
        case .permissionSet:
            result.content = .permissionSet(PermissionSetXML.read(root, name: name, context: &context))
        case .mutingPermissionSet:
            result.content = .mutingPermissionSet(
                MutingPermissionSetXML.read(root, name: name, context: &context))
        case .permissionSetGroup:
            result.content = .permissionSetGroup(
                PermissionSetGroupXML.read(root, name: name, context: &context))
        case .object: result.content = .object(CustomObjectXML.read(root, name: name, context: &context))
        case .field:
            guard let (object, fieldName) = FieldPath.split(name) else { break }
            var present: Set<String> = []
            if let field = CustomFieldXML.read(
                root, name: fieldName, object: object, present: &present, context: &context)
            {
                result.content = .field(object: object, field: field, present: present)
            }
        case .sharingRules:
            if let element = meta.sharingRuleElement {
                guard let (object, ruleName) = FieldPath.split(name) else { break }
                if let rule = SharingRulesXML.readRule(
                    root, element: element, object: object, name: ruleName, context: &context)
                {
                    result.content = .sharingRules(object: object, rules: [(rule, root.line)])
                }
            } else {
                result.content = .sharingRules(
                    object: name, rules: SharingRulesXML.read(root, object: name, context: &context))
            }
        case .group: result.content = .group(GroupXML.read(root, name: name, context: &context))
        case .role: result.content = .role(RoleXML.read(root, name: name, context: &context))
        case .restrictionRule:
            if let rule = RestrictionRuleXML.read(root, name: name, context: &context) {
                result.content = .restrictionRule(rule)
            }
        case .packageXml: result.content = .package(PackageXML.read(root, context: &context))
        }
        result.context = context
        return result
    }

    // MARK: - Merging

    mutating func apply(_ fileResult: FileResult, of file: FoundFile) {
        let context = fileResult.context
        diagnostics += context.diagnostics
        for (name, count) in context.ignoredElements { result.ignoredElements[name, default: 0] += count }
        if fileResult.tokens > 0 {
            let folder = file.path.split(separator: "/").dropLast().joined(separator: "/")
            var entry = tokensByFolder[folder] ?? (0, 0)
            entry.tokens += fileResult.tokens
            entry.files += 1
            tokensByFolder[folder] = entry
        }
        guard let content = fileResult.content else { return }
        let here = SourceLocation(file: file.path, line: fileResult.rootLine)

        func record(_ kind: MetadataKind, _ name: String) -> String {
            let key = SourceMap.key(kind, name)
            componentFiles[key, default: []].append(file.path)
            result.sourceMap.addComponent(key, here)
            for (entry, lines) in context.entryLines {
                for (entryKey, line) in lines {
                    result.sourceMap.setEntry(
                        in: key, entry, entryKey, SourceLocation(file: file.path, line: line))
                }
            }
            return key
        }

        switch content {
        case .profile(let profile):
            _ = record(.profile, profile.name)
            if var existing = result.org.profiles.removeValue(forKey: profile.name) {
                ProfileXML.merge(profile, present: context.present, into: &existing)
                result.org.profiles[profile.name] = existing
            } else {
                result.org.profiles[profile.name] = profile
            }
        case .permissionSet(let set):
            _ = record(.permissionSet, set.name)
            if var existing = result.org.permissionSets.removeValue(forKey: set.name) {
                PermissionSetXML.merge(set, present: context.present, into: &existing)
                result.org.permissionSets[set.name] = existing
            } else {
                result.org.permissionSets[set.name] = set
            }
        case .mutingPermissionSet(let set):
            _ = record(.mutingPermissionSet, set.name)
            if var existing = result.org.mutingPermissionSets.removeValue(forKey: set.name) {
                MutingPermissionSetXML.merge(set, present: context.present, into: &existing)
                result.org.mutingPermissionSets[set.name] = existing
            } else {
                result.org.mutingPermissionSets[set.name] = set
            }
        case .permissionSetGroup(let group):
            _ = record(.permissionSetGroup, group.name)
            if var existing = result.org.permissionSetGroups.removeValue(forKey: group.name) {
                PermissionSetGroupXML.merge(group, present: context.present, into: &existing)
                result.org.permissionSetGroups[group.name] = existing
            } else {
                result.org.permissionSetGroups[group.name] = group
            }
        case .object(let contents):
            let name = contents.object.name
            let key = SourceMap.key(.object, name)
            let unit = objectUnit(of: file.path, object: name)
            if !addObjectUnit(name, unit: unit) && unit != file.path {
                result.sourceMap.replaceComponent(key, SourceLocation(file: unit, line: nil), with: here)
            } else {
                result.sourceMap.addComponent(key, here)
            }
            var object = result.org.objects.removeValue(forKey: name) ?? SObjectType(name: name)
            CustomObjectXML.merge(contents.object, present: contents.present, into: &object)
            for (field, present, line) in contents.fields {
                result.embeddedFields += 1
                var merged = object.fields.removeValue(forKey: field.name) ?? Field(name: field.name)
                CustomFieldXML.merge(field, present: present, into: &merged)
                object.fields[field.name] = merged
                result.sourceMap.addComponent(
                    SourceMap.key(.field, "\(name).\(field.name)"),
                    SourceLocation(file: file.path, line: line))
            }
            result.org.objects[name] = object
        case .field(let objectName, let field, let present):
            let unit = objectUnit(of: file.path, object: objectName)
            if addObjectUnit(objectName, unit: unit) {
                // Until (unless) its object file is read, the folder is where the object's files go.
                result.sourceMap.addComponent(
                    SourceMap.key(.object, objectName), SourceLocation(file: unit, line: nil))
            }
            var object = result.org.objects.removeValue(forKey: objectName) ?? SObjectType(name: objectName)
            var merged = object.fields.removeValue(forKey: field.name) ?? Field(name: field.name)
            CustomFieldXML.merge(field, present: present, into: &merged)
            // The file name is authoritative for the name.
            merged.name = field.name
            object.fields[field.name] = merged
            result.org.objects[objectName] = object
            result.sourceMap.addComponent(SourceMap.key(.field, "\(objectName).\(field.name)"), here)
        case .sharingRules(_, let rules):
            for (rule, line) in rules {
                let key = "\(rule.object).\(rule.name)"
                componentFiles[SourceMap.key(.sharingRules, key), default: []].append(file.path)
                let location = SourceLocation(file: file.path, line: line)
                result.sourceMap.addComponent(SourceMap.key(.sharingRules, key), location)
                sharingRules[key] = rule
                sharingRuleLines[key] = location
            }
        case .group(let group):
            _ = record(.group, group.name)
            result.org.groups[group.name] = group
        case .role(let role):
            _ = record(.role, role.name)
            result.org.roles[role.name] = role
        case .restrictionRule(let rule):
            _ = record(.restrictionRule, rule.name)
            result.org.restrictionRules[rule.name] = rule
        case .package(let manifest):
            result.packageManifests[file.path] = manifest
        }
    }

    /// The unit an object's file belongs to: the object folder for SFDX layouts
    /// (`…/objects/Account/Account.object-meta.xml`, `…/objects/Account/fields/X.field-meta.xml`), otherwise the
    /// file itself.
    mutating func objectUnit(of path: String, object: String) -> String {
        // Files of one object folder come one after another: the last answer is reused for its folder.
        let directory = path.lastIndex(of: "/").map { path[..<$0] } ?? ""
        if let last = lastObjectUnit, last.object == object, last.directory == directory {
            return last.unit ?? path
        }
        let unit = computeObjectUnit(of: path, object: object)
        lastObjectUnit = (String(directory), object, unit == path ? nil : unit)
        return unit
    }

    func computeObjectUnit(of path: String, object: String) -> String {
        var parts = path.split(separator: "/")
        parts.removeLast()
        if let last = parts.last, last.utf8.count == 6, last.lowercased() == "fields" { parts.removeLast() }
        guard let folder = parts.last else { return path }
        let name = MetadataLoader.mayHoldTokens(folder) ? MetadataName.decode(String(folder)) : String(folder)
        guard name == object else { return path }
        return parts.joined(separator: "/")
    }

    /// Records that `unit` defines part of `object`; returns true when it is new.
    @discardableResult
    mutating func addObjectUnit(_ object: String, unit: String) -> Bool {
        if objectUnits[object]?.contains(unit) ?? false { return false }
        objectUnits[object, default: []].append(unit)
        return true
    }

    // MARK: - After all files

    mutating func finish() {
        var org = result.org
        org.sharingRules = sharingRules.values.sorted(by: SharingRulesXML.canonicalOrder)
        result.org = org

        // Components merged from several files (`TRAP-20`).
        func mergedNote(_ key: String, _ files: [String], what: String) {
            guard files.count > 1 else { return }
            diagnostics.append(
                .note(
                    "KH-META-MERGED", file: files.last,
                    "\(what) is defined in \(files.count) places; they are merged like successive deploys in this order (later entries override earlier ones per key): \(files.joined(separator: ", "))"
                ))
        }
        for key in componentFiles.keys.sorted() {
            guard let files = componentFiles[key], files.count > 1 else { continue }
            mergedNote(key, files, what: describe(key))
        }
        for object in objectUnits.keys.sorted() {
            guard let units = objectUnits[object] else { continue }
            mergedNote("object:\(object)", units, what: "object \(object)")
        }

        // References that do not resolve inside the project are notes (`TRAP-22`, `TRAP-23`).
        for name in org.permissionSetGroups.keys.sorted() {
            guard let group = org.permissionSetGroups[name] else { continue }
            let location = result.sourceMap.location(of: SourceMap.key(.permissionSetGroup, name))
            for member in group.permissionSets where org.permissionSets[member] == nil {
                diagnostics.append(
                    .note(
                        "KH-META-UNRESOLVED-REFERENCE", file: location?.file, line: location?.line,
                        "permission set group \(name) includes permission set \(member), which is not in the project\(Suggestion.hint(for: member, in: org.permissionSets.keys))"
                    ))
            }
            if let muting = group.mutingPermissionSet, org.mutingPermissionSets[muting] == nil {
                diagnostics.append(
                    .note(
                        "KH-META-UNRESOLVED-REFERENCE", file: location?.file, line: location?.line,
                        "permission set group \(name) names muting permission set \(muting), which is not in the project"
                    ))
            }
        }
        for rule in org.sharingRules {
            let location = sharingRuleLines["\(rule.object).\(rule.name)"]
            var principals = [("shares with", rule.sharedTo)]
            switch rule.kind {
            case .owner(let from), .territory(let from): principals.append(("shares records owned by", from))
            default: break
            }
            for (verb, principal) in principals {
                let missing: String?
                switch principal.kind {
                case "role", "roleAndSubordinates", "roleAndSubordinatesInternal", "portalRole",
                    "portalRoleAndSubordinates":
                    missing = org.roles[principal.name] == nil ? "role" : nil
                case "group":
                    missing = org.groups[principal.name] == nil ? "public group" : nil
                default:
                    missing = nil
                }
                guard let missing else { continue }
                diagnostics.append(
                    .note(
                        "KH-META-UNRESOLVED-REFERENCE", file: location?.file, line: location?.line,
                        "sharing rule \(rule.object).\(rule.name) \(verb) \(principal.kind) \(principal.name), a \(missing) that is not in the project; it is kept, and matches no one unless the org has it"
                    ))
            }
        }
        for name in org.roles.keys.sorted() {
            guard let parent = org.roles[name]?.parentRole, org.roles[parent] == nil else { continue }
            let location = result.sourceMap.location(of: SourceMap.key(.role, name))
            diagnostics.append(
                .note(
                    "KH-META-UNRESOLVED-REFERENCE", file: location?.file, line: location?.line,
                    "role \(name) has parent role \(parent), which is not in the project"))
        }
        // CumulusCI namespace tokens, one note per folder (`TRAP-17`).
        for folder in tokensByFolder.keys.sorted() {
            guard let entry = tokensByFolder[folder] else { continue }
            diagnostics.append(
                .note(
                    "KH-META-NAMESPACE-TOKEN", file: folder.isEmpty ? "." : folder,
                    "\(entry.tokens) CumulusCI namespace token\(entry.tokens == 1 ? "" : "s") (%%%NAMESPACE%%%, ___NAMESPACE___, …) in \(entry.files) file\(entry.files == 1 ? "" : "s") read as the project's own unprefixed names"
                ))
        }

        if !result.ignoredElements.isEmpty {
            let total = result.ignoredElements.values.reduce(0, +)
            let top = result.ignoredElements.sorted {
                $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
            }
            .prefix(8).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            diagnostics.append(
                .note(
                    "KH-META-IGNORED",
                    "\(total) elements of \(result.ignoredElements.count) kinds were read but are not used for access (\(top)\(result.ignoredElements.count > 8 ? ", …" : ""))"
                ))
        }
    }

    func describe(_ key: String) -> String {
        guard let colon = key.firstIndex(of: ":") else { return key }
        let kind = key[..<colon]
        let name = key[key.index(after: colon)...]
        let words: [Substring: String] = [
            "profile": "profile", "permissionSet": "permission set",
            "permissionSetGroup": "permission set group",
            "mutingPermissionSet": "muting permission set", "sharingRule": "sharing rule", "role": "role",
            "group": "public group", "restrictionRule": "restriction rule",
        ]
        return "\(words[kind] ?? String(kind)) \(name)"
    }
}

extension MetadataLoader {
    /// False when the bytes hold neither `%%%` nor `___`, which every namespace token starts with: then
    /// `MetadataName.removeTokens(in:)` finds nothing (checked with `memchr`, much faster than its scan).
    static func mayHoldTokens(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count >= 3 else { return false }
            return holdsTriple(UInt8(ascii: "%"), base, raw.count)
                || holdsTriple(UInt8(ascii: "_"), base, raw.count)
        }
    }

    /// True when `byte` occurs three times in a row in the `count` bytes at `base`.
    private static func holdsTriple(_ byte: UInt8, _ base: UnsafeRawPointer, _ count: Int) -> Bool {
        var offset = 0
        while offset + 3 <= count, let hit = memchr(base + offset, Int32(byte), count - offset) {
            let at = base.distance(to: UnsafeRawPointer(hit))
            guard at + 3 <= count else { return false }
            let bytes = base.assumingMemoryBound(to: UInt8.self)
            if bytes[at + 1] == byte && bytes[at + 2] == byte { return true }
            offset = at + 1
        }
        return false
    }

    /// False when `name` has no `%` and no `___`: then `MetadataName.decode` and `removeTokens` leave it as
    /// it is (namespace tokens are `%%%…%%%` and `___…___`), and the per-file calls can be skipped.
    static func mayHoldTokens(_ name: some StringProtocol) -> Bool {
        var underscores = 0
        for byte in name.utf8 {
            if byte == UInt8(ascii: "%") { return true }
            if byte == UInt8(ascii: "_") {
                underscores += 1
                if underscores == 3 { return true }
            } else {
                underscores = 0
            }
        }
        return false
    }

    /// `MetadataFile.classify` for every path, in parallel; results in the order given.
    static func classifyAll(_ paths: [String]) -> [MetadataFile?] {
        let count = paths.count
        guard count > 1_000 else { return paths.map(MetadataFile.classify) }
        return concurrentMap(count: count, slice: 2_048) { MetadataFile.classify(paths[$0]) }
    }

    /// Field permissions naming fields the org does not define (`TRAP-23`): one note per component.
    /// Run after the standard catalog is merged, so standard fields are not counted.
    public static func unresolvedFieldNotes(org: Org, sourceMap: SourceMap) -> [Diagnostic] {
        var components: [(kind: MetadataKind, name: String, grants: PermissionGrants, what: String)] = []
        for name in org.profiles.keys.sorted() {
            if let profile = org.profiles[name] {
                components.append((.profile, name, profile.grants, "profile"))
            }
        }
        for name in org.permissionSets.keys.sorted() {
            if let set = org.permissionSets[name] {
                components.append((.permissionSet, name, set.grants, "permission set"))
            }
        }
        for name in org.mutingPermissionSets.keys.sorted() {
            if let set = org.mutingPermissionSets[name] {
                components.append((.mutingPermissionSet, name, set.mutes, "muting permission set"))
            }
        }
        let list = components
        @Sendable func note(_ index: Int) -> Diagnostic? {
            let (kind, name, grants, what) = list[index]
            var missing: [String] = []
            for key in grants.fields.keys {
                guard let (object, field) = FieldPath.split(key) else { continue }
                if org.objects[object]?.fields[field] == nil { missing.append(key) }
            }
            guard !missing.isEmpty else { return nil }
            missing.sort()
            let location = sourceMap.location(of: SourceMap.key(kind, name))
            let examples = missing.prefix(3).joined(separator: ", ")
            return .note(
                "KH-META-UNRESOLVED-FIELDS", file: location?.file, line: location?.line,
                "\(what) \(name) has field permissions for \(missing.count) field\(missing.count == 1 ? "" : "s") not defined in the project (standard, managed or from another package; e.g. \(examples))"
            )
        }
        // Components are checked in parallel (hundreds of thousands of field permissions in a large org);
        // the notes keep the order above.
        let notes = UnresolvedNotes(count: list.count)
        DispatchQueue.concurrentPerform(iterations: list.count) { notes.set($0, note($0)) }
        return notes.all
    }

    /// Notes written by parallel workers, each to its own slot.
    final class UnresolvedNotes: @unchecked Sendable {
        private var slots: [Diagnostic?]
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: Diagnostic?) {
            lock.lock()
            slots[index] = value
            lock.unlock()
        }
        var all: [Diagnostic] {
            lock.lock()
            defer { lock.unlock() }
            return slots.compactMap { $0 }
        }
    }
}
