import Foundation

/// How a project folder was read.
public enum ProjectFormat: String, Sendable {
    /// `sfdx-project.json` at the root: every package directory it lists.
    case sfdx
    /// `package.xml` at the root: a Metadata API folder.
    case mdapi
    /// Any other folder (or `--scan`): every metadata file below it, of both formats.
    case scan
}

/// The metadata kinds Keyhole reads.
public enum MetadataKind: String, CaseIterable, Sendable {
    case object, field, profile, permissionSet, permissionSetGroup, mutingPermissionSet, sharingRules, group,
        role, restrictionRule, packageXml

    /// The root element a file of this kind has.
    public var rootElement: String {
        switch self {
        case .object: "CustomObject"
        case .field: "CustomField"
        case .profile: "Profile"
        case .permissionSet: "PermissionSet"
        case .permissionSetGroup: "PermissionSetGroup"
        case .mutingPermissionSet: "MutingPermissionSet"
        case .sharingRules: "SharingRules"
        case .group: "Group"
        case .role: "Role"
        case .restrictionRule: "RestrictionRule"
        case .packageXml: "Package"
        }
    }

    /// The SFDX folder name under `force-app/main/default`.
    public var sfdxFolder: String {
        switch self {
        case .object, .field: "objects"
        case .profile: "profiles"
        case .permissionSet: "permissionsets"
        case .permissionSetGroup: "permissionsetgroups"
        case .mutingPermissionSet: "mutingpermissionsets"
        case .sharingRules: "sharingRules"
        case .group: "groups"
        case .role: "roles"
        case .restrictionRule: "restrictionRules"
        case .packageXml: ""
        }
    }

    /// The Metadata API file suffix (without the SFDX `-meta.xml`).
    public var suffix: String {
        switch self {
        case .object: "object"
        case .field: "field"
        case .profile: "profile"
        case .permissionSet: "permissionset"
        case .permissionSetGroup: "permissionsetgroup"
        case .mutingPermissionSet: "mutingpermissionset"
        case .sharingRules: "sharingRules"
        case .group: "group"
        case .role: "role"
        case .restrictionRule: "rule"
        case .packageXml: "xml"
        }
    }

    /// The Metadata API type name used in `package.xml`: for every kind Keyhole reads, it is the file's
    /// root element.
    public var metadataType: String { rootElement }
}

/// What a file is, decided from its own suffix and folder (`TRAP-19`), never from the repository.
public struct MetadataFile: Hashable, Sendable {
    public var kind: MetadataKind
    /// True for SFDX source format (`-meta.xml`), false for Metadata API format.
    public var isSourceFormat: Bool
    /// The component's API name from the file name, decoded (`TRAP-15`) with namespace tokens removed
    /// (`TRAP-17`). For a field, `Object.Field`; for a single sharing rule, `Object.Rule`.
    public var apiName: String
    /// For per-rule sharing files, the rule element (`sharingCriteriaRules`, …); nil otherwise.
    public var sharingRuleElement: String?

    /// Classifies `relativePath` (with `/` separators). Returns nil for files Keyhole does not read.
    public static func classify(_ relativePath: String) -> MetadataFile? {
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let fileName = parts.last else { return nil }
        let lower = fileName.lowercased()
        let parent = parts.count >= 2 ? parts[parts.count - 2] : ""
        if lower == "package.xml" {
            return MetadataFile(kind: .packageXml, isSourceFormat: false, apiName: "package")
        }
        if lower.hasPrefix("destructivechanges") { return nil }

        let isSource = lower.hasSuffix("-meta.xml")
        let stem = isSource ? String(fileName.dropLast("-meta.xml".count)) : fileName
        guard let dot = stem.lastIndex(of: ".") else { return nil }
        let base = String(stem[..<dot])
        let suffix = stem[stem.index(after: dot)...].lowercased()
        guard !base.isEmpty else { return nil }
        let name = MetadataName.decode(base)

        switch suffix {
        case "object":
            return MetadataFile(kind: .object, isSourceFormat: isSource, apiName: name)
        case "field":
            // objects/<Object>/fields/<Field>.field-meta.xml
            guard isSource, parent.lowercased() == "fields", parts.count >= 3 else { return nil }
            let object = MetadataName.decode(parts[parts.count - 3])
            return MetadataFile(kind: .field, isSourceFormat: true, apiName: object + "." + name)
        case "profile":
            return MetadataFile(kind: .profile, isSourceFormat: isSource, apiName: name)
        case "permissionset":
            return MetadataFile(kind: .permissionSet, isSourceFormat: isSource, apiName: name)
        case "permissionsetgroup":
            return MetadataFile(kind: .permissionSetGroup, isSourceFormat: isSource, apiName: name)
        case "mutingpermissionset":
            return MetadataFile(kind: .mutingPermissionSet, isSourceFormat: isSource, apiName: name)
        case "sharingrules":
            return MetadataFile(kind: .sharingRules, isSourceFormat: isSource, apiName: name)
        case "sharingcriteriarule", "sharingownerrule", "sharingguestrule", "sharingterritoryrule":
            // A single rule: `Object.Rule.sharingOwnerRule`, or `<Object>/…/Rule.sharingOwnerRule-meta.xml`.
            let element = SharingRulesXML.element(forFileSuffix: suffix)
            var apiName = name
            if !name.contains(".") {
                let folders = parts.dropLast().reversed().filter {
                    ![
                        "sharingcriteriarules", "sharingownerrules", "sharingguestrules",
                        "sharingterritoryrules",
                    ]
                    .contains($0.lowercased())
                }
                guard let object = folders.first, object.lowercased() != "sharingrules" else { return nil }
                apiName = MetadataName.decode(object) + "." + name
            }
            return MetadataFile(
                kind: .sharingRules, isSourceFormat: isSource, apiName: apiName, sharingRuleElement: element)
        case "group":
            return MetadataFile(kind: .group, isSourceFormat: isSource, apiName: name)
        case "role":
            return MetadataFile(kind: .role, isSourceFormat: isSource, apiName: name)
        case "rule":
            guard parent.lowercased() == "restrictionrules" else { return nil }
            return MetadataFile(kind: .restrictionRule, isSourceFormat: isSource, apiName: name)
        default:
            return nil
        }
    }
}

/// API names as they appear in file names and metadata text.
public enum MetadataName {
    /// CumulusCI namespace tokens and what they become for the project's own, unprefixed names (`TRAP-17`).
    public static let namespaceTokens: [(token: String, replacement: String)] = [
        ("%%%NAMESPACED_ORG_OR_C%%%", "c"),
        ("%%%NAMESPACE_OR_C%%%", "c"),
        ("%%%NAMESPACED_ORG%%%", ""),
        ("%%%NAMESPACE_DOT%%%", ""),
        ("%%%NAMESPACE%%%", ""),
        ("___NAMESPACE___", ""),
    ]

    /// A file's base name as an API name: namespace tokens removed, then `%XX` escapes decoded
    /// (`Force%2Ecom` → `Force.com`, `TRAP-15`). `%%%…%%%` tokens are never percent-decoded.
    public static func decode(_ base: String) -> String {
        let (stripped, _) = removeTokens(base)
        return percentDecode(stripped)
    }

    /// Removes namespace tokens from `text`; returns the new text and how many tokens were removed.
    public static func removeTokens(_ text: String) -> (String, Int) {
        guard text.contains("%%%") || text.contains("___NAMESPACE___") else { return (text, 0) }
        var result = text
        var count = 0
        for (token, replacement) in namespaceTokens {
            let parts = result.components(separatedBy: token)
            if parts.count > 1 {
                count += parts.count - 1
                result = parts.joined(separator: replacement)
            }
        }
        return (result, count)
    }

    /// Decodes `%XX` escapes, leaving `%%%…%%%` spans and malformed escapes as they are.
    public static func percentDecode(_ text: String) -> String {
        guard text.contains("%") else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: b - 0x30
            case 0x41...0x46: b - 0x41 + 10
            case 0x61...0x66: b - 0x61 + 10
            default: nil
            }
        }
        let percent = UInt8(ascii: "%")
        while i < bytes.count {
            let b = bytes[i]
            if b == percent, i + 2 < bytes.count, bytes[i + 1] == percent, bytes[i + 2] == percent {
                // A `%%%TOKEN%%%` span: copy it untouched up to and including its closing `%%%`.
                var j = i + 3
                var end = bytes.count
                while j + 2 < bytes.count {
                    if bytes[j] == percent && bytes[j + 1] == percent && bytes[j + 2] == percent {
                        end = j + 3
                        break
                    }
                    j += 1
                }
                out.append(contentsOf: bytes[i..<end])
                i = end
                continue
            }
            if b == percent, i + 2 < bytes.count, let high = hex(bytes[i + 1]), let low = hex(bytes[i + 2]) {
                out.append(high << 4 | low)
                i += 3
                continue
            }
            out.append(b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The file-name form of an API name: characters that cannot or should not appear in file names
    /// (and `.`, as the Metadata API does) written as `%XX`. `decode` reverses it.
    public static func fileName(_ apiName: String) -> String {
        var out = ""
        for scalar in apiName.unicodeScalars {
            switch scalar {
            case ".", "/", "\\", ":", "*", "?", "\"", "<", ">", "|", "%":
                out += String(format: "%%%02X", scalar.value)
            default:
                if scalar.value < 0x20 {
                    out += String(format: "%%%02X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Replaces namespace tokens in raw file bytes (`TRAP-17`); returns nil when there were none.
    static func removeTokens(in data: Data) -> (Data, Int)? {
        let tokens: [(token: [UInt8], replacement: [UInt8])] = namespaceTokens.map {
            (Array($0.token.utf8), Array($0.replacement.utf8))
        }
        return data.withUnsafeBytes { raw -> (Data, Int)? in
            let bytes = raw.bindMemory(to: UInt8.self)
            let count = bytes.count
            var out: [UInt8] = []
            var copied = 0
            var replaced = 0
            var i = 0
            while i + 2 < count {
                let b = bytes[i]
                guard
                    (b == UInt8(ascii: "%") || b == UInt8(ascii: "_")) && bytes[i + 1] == b
                        && bytes[i + 2] == b
                else {
                    i += 1
                    continue
                }
                var matched: (length: Int, replacement: [UInt8])?
                for (token, replacement) in tokens where token[0] == b && i + token.count <= count {
                    var equal = true
                    for k in 0..<token.count where bytes[i + k] != token[k] {
                        equal = false
                        break
                    }
                    if equal {
                        matched = (token.count, replacement)
                        break
                    }
                }
                guard let matched else {
                    i += 1
                    continue
                }
                if out.isEmpty { out.reserveCapacity(count) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<i]))
                out.append(contentsOf: matched.replacement)
                i += matched.length
                copied = i
                replaced += 1
            }
            guard replaced > 0 else { return nil }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<count]))
            return (Data(out), replaced)
        }
    }
}
