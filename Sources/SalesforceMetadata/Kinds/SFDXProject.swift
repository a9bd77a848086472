import AccessModel
import Foundation

/// `sfdx-project.json`: the package directories to read, and the namespace.
public struct SFDXProject: Equatable, Sendable {
    public struct PackageDirectory: Equatable, Sendable {
        /// As written (may start with `./`).
        public var path: String
        public var isDefault: Bool
        public init(path: String, isDefault: Bool = false) {
            self.path = path
            self.isDefault = isDefault
        }
        /// The path without a leading `./` or trailing `/`.
        public var normalizedPath: String {
            var p = path
            while p.hasPrefix("./") { p.removeFirst(2) }
            while p.hasSuffix("/") && p.count > 1 { p.removeLast() }
            return p.isEmpty ? "." : p
        }
    }

    public var packageDirectories: [PackageDirectory]
    /// nil when empty or absent.
    public var namespace: String?
    public var sourceApiVersion: String?
    public var name: String?

    public init(
        packageDirectories: [PackageDirectory] = [PackageDirectory(path: "force-app", isDefault: true)],
        namespace: String? = nil, sourceApiVersion: String? = nil, name: String? = nil
    ) {
        self.packageDirectories = packageDirectories
        self.namespace = namespace
        self.sourceApiVersion = sourceApiVersion
        self.name = name
    }

    /// The default package directory: the one marked `default`, else the first.
    public var defaultDirectory: PackageDirectory? {
        packageDirectories.first { $0.isDefault } ?? packageDirectories.first
    }

    /// Parses the JSON. Unknown keys are ignored; a missing or malformed `packageDirectories` is an error.
    public static func parse(_ data: Data, file: String) -> Result<SFDXProject, DiagnosticError> {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data)
        } catch {
            return .failure(
                DiagnosticError(
                    .error(
                        "KH-SFDX-PROJECT-INVALID", file: file,
                        "sfdx-project.json is not valid JSON (\(error.localizedDescription)) — fix the JSON or remove the file"
                    )))
        }
        guard let object = json as? [String: Any] else {
            return .failure(
                DiagnosticError(
                    .error(
                        "KH-SFDX-PROJECT-INVALID", file: file,
                        "sfdx-project.json must hold a JSON object with \"packageDirectories\"")))
        }
        guard let entries = object["packageDirectories"] as? [Any] else {
            return .failure(
                DiagnosticError(
                    .error(
                        "KH-SFDX-PROJECT-INVALID", file: file,
                        "sfdx-project.json has no \"packageDirectories\" list; add e.g. [{\"path\": \"force-app\", \"default\": true}]"
                    )))
        }
        var directories: [PackageDirectory] = []
        for entry in entries {
            guard let dict = entry as? [String: Any], let path = dict["path"] as? String, !path.isEmpty else {
                continue
            }
            directories.append(PackageDirectory(path: path, isDefault: (dict["default"] as? Bool) ?? false))
        }
        let namespace = (object["namespace"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        var version = object["sourceApiVersion"] as? String
        if version == nil, let number = object["sourceApiVersion"] as? Double { version = String(number) }
        return .success(
            SFDXProject(
                packageDirectories: directories, namespace: namespace, sourceApiVersion: version,
                name: object["name"] as? String))
    }

    /// The JSON text, keys in the usual order, 4-space indentation.
    public var text: String {
        func quote(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 {
                        out += String(format: "\\u%04x", scalar.value)
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        }
        var lines = ["{", "    \"packageDirectories\": ["]
        for (index, directory) in packageDirectories.enumerated() {
            let comma = index == packageDirectories.count - 1 ? "" : ","
            var entry = "        { \"path\": \(quote(directory.path))"
            if directory.isDefault { entry += ", \"default\": true" }
            lines.append(entry + " }" + comma)
        }
        lines.append("    ],")
        if let name { lines.append("    \"name\": \(quote(name)),") }
        lines.append("    \"namespace\": \(quote(namespace ?? "")),")
        lines.append("    \"sourceApiVersion\": \(quote(sourceApiVersion ?? PackageManifest.defaultVersion))")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}
