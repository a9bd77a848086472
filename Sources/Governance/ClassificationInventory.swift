import AccessModel
import Foundation

/// The data-classification view of an org: its classified fields by sensitivity level and by compliance
/// group, and the unclassified fields whose API name or label looks sensitive (`SSN__c`, "Date of
/// Birth", …). Pure; it reads metadata only. Classification never changes access (`CLS-6`).
public struct ClassificationInventory: Hashable, Sendable, Encodable {
    /// One classified field.
    public struct Entry: Hashable, Sendable, Encodable {
        public var object: String
        public var field: String
        public var label: String?
        /// `securityClassification`, when set.
        public var classification: String?
        /// Compliance groups, sorted.
        public var compliance: [String]
        /// The policy tier of the field (`Policy.tier(of:)`).
        public var tier: Int
        public var businessStatus: String?
        public var businessOwner: String?

        public var path: String { FieldPath.key(object: object, field: field) }
    }

    /// The fields of one sensitivity level or one compliance group.
    public struct Group: Hashable, Sendable, Encodable {
        /// The level (`Restricted`), the compliance group (`PII`), or `(none)` for classified fields
        /// with compliance groups but no level.
        public var name: String
        /// The tier the policy gives the level or group; `nil` for a group the policy does not name.
        public var tier: Int?
        /// `Object.Field`, sorted.
        public var fields: [String]
    }

    /// An unclassified field whose name or label looks sensitive.
    public struct Suspect: Hashable, Sendable, Encodable {
        public var object: String
        public var field: String
        public var label: String?
        /// What it looks like (`date of birth`, `SSN`, …), in the order of `SensitiveName.terms`.
        public var looksLike: [String]

        public var path: String { FieldPath.key(object: object, field: field) }
    }

    /// Every field of the org.
    public var fieldCount: Int
    /// Classified fields (a level or a compliance group), by object and field.
    public var classified: [Entry]
    /// Levels, most sensitive (highest tier) first, then by name; `(none)` last.
    public var byLevel: [Group]
    /// Compliance groups, highest tier first, then by name.
    public var byComplianceGroup: [Group]
    /// Unclassified fields that look sensitive, by object and field.
    public var unclassifiedSensitive: [Suspect]

    public init(
        fieldCount: Int, classified: [Entry], byLevel: [Group], byComplianceGroup: [Group],
        unclassifiedSensitive: [Suspect]
    ) {
        self.fieldCount = fieldCount
        self.classified = classified
        self.byLevel = byLevel
        self.byComplianceGroup = byComplianceGroup
        self.unclassifiedSensitive = unclassifiedSensitive
    }

    /// Level name used for classified fields that have compliance groups but no level.
    public static let noLevel = "(none)"

    public static func make(org: Org, policy: Policy = Policy()) -> ClassificationInventory {
        var classified: [Entry] = []
        var suspects: [Suspect] = []
        var fieldCount = 0
        for object in org.objects.keys.sorted() {
            guard let type = org.objects[object] else { continue }
            fieldCount += type.fields.count
            for name in type.fields.keys.sorted() {
                guard let field = type.fields[name] else { continue }
                let c = field.classification
                if c.isClassified {
                    classified.append(
                        Entry(
                            object: object, field: name, label: field.label,
                            classification: c.securityClassification, compliance: c.complianceGroups.sorted(),
                            tier: policy.tier(of: c), businessStatus: c.businessStatus,
                            businessOwner: c.businessOwnerUser ?? c.businessOwnerGroup))
                } else {
                    let terms = SensitiveName.matches(name: name, label: field.label)
                    if !terms.isEmpty {
                        suspects.append(
                            Suspect(object: object, field: name, label: field.label, looksLike: terms))
                    }
                }
            }
        }

        var levels: [String: [String]] = [:]
        var groups: [String: [String]] = [:]
        for entry in classified {
            levels[entry.classification ?? noLevel, default: []].append(entry.path)
            for group in entry.compliance { groups[group, default: []].append(entry.path) }
        }
        let byLevel = levels.map { name, fields in
            Group(
                name: name,
                tier: name == noLevel ? nil : policy.tier(of: Classification(securityClassification: name)),
                fields: fields.sorted())
        }.sorted { a, b in
            if (a.name == noLevel) != (b.name == noLevel) { return b.name == noLevel }
            if a.tier != b.tier { return (a.tier ?? 0) > (b.tier ?? 0) }
            return a.name < b.name
        }
        let byGroup = groups.map { name, fields in
            Group(name: name, tier: policy.complianceTiers[name], fields: fields.sorted())
        }.sorted { a, b in
            if a.tier != b.tier { return (a.tier ?? 0) > (b.tier ?? 0) }
            return a.name < b.name
        }
        return ClassificationInventory(
            fieldCount: fieldCount, classified: classified, byLevel: byLevel, byComplianceGroup: byGroup,
            unclassifiedSensitive: suspects)
    }
}

/// Recognises field names and labels that look like sensitive data, word by word: `SSN__c`,
/// `TaxId__c`, "Date of Birth", `Birthdate`, "Driver's Licence". Matching is case-insensitive on whole
/// words (API names are split at `_`, camel case and digits), so `Tin__c` matches and `Setting__c` does
/// not. A term also matches written as one word (`Birthdate`, `Taxid`) and in the plural.
public enum SensitiveName {
    /// What a field may look like, with the word sequences that say so.
    public static let terms: [(name: String, patterns: [[String]])] = [
        ("SSN", [["ssn"], ["social", "security"], ["social", "insurance"]]),
        (
            "tax id",
            [
                ["tax", "id"], ["tax", "identification"], ["tax", "number"], ["tax", "identifier"], ["tin"],
                ["itin"], ["vat", "number"], ["vat", "id"],
            ]
        ),
        ("date of birth", [["date", "of", "birth"], ["birth", "date"], ["dob"], ["birthday"]]),
        ("credit card", [["credit", "card"], ["card", "number"], ["cvv"], ["cvc"]]),
        ("credit score", [["credit", "score"], ["credit", "rating"]]),
        ("salary", [["salary"], ["salaries"], ["wage"], ["compensation"]]),
        ("income", [["income"]]),
        (
            "bank account",
            [["bank", "account"], ["routing", "number"], ["sort", "code"], ["swift", "code"]]
        ),
        ("IBAN", [["iban"]]),
        ("passport", [["passport"]]),
        (
            "driver's licence",
            [
                ["driver", "license"], ["driver", "licence"], ["driving", "license"], ["driving", "licence"],
            ]
        ),
        (
            "national id",
            [["national", "id"], ["national", "identity"], ["national", "insurance"], ["nino"]]
        ),
        ("health", [["health"], ["medical"], ["diagnosis"], ["diagnoses"], ["patient"]]),
        ("biometric", [["biometric"], ["fingerprint"], ["genetic"]]),
        ("ethnicity or religion", [["ethnicity"], ["religion"], ["sexual", "orientation"]]),
        ("mother's maiden name", [["maiden", "name"]]),
        (
            "password",
            [["password"], ["passwd"], ["passcode"], ["secret"], ["api", "key"], ["access", "token"]]
        ),
    ]

    /// The terms a field's API name or label matches, in `terms` order, without repeats.
    public static func matches(name: String, label: String?) -> [String] {
        let nameWords = words(apiName: name)
        let labelWords = label.map { words(text: $0) } ?? []
        var result: [String] = []
        for term in terms
        where term.patterns.contains(where: { contains(nameWords, $0) || contains(labelWords, $0) }) {
            result.append(term.name)
        }
        return result
    }

    /// Lower-case words of an API name: the `__c`-style suffix and a namespace prefix are dropped, then it
    /// is split at underscores, camel case and digits (`Contact_SSNNumber2__c` → contact, ssn, number, 2).
    public static func words(apiName: String) -> [String] {
        var name = apiName
        for suffix in ["__c", "__pc", "__s", "__latitude__s", "__longitude__s"] where name.hasSuffix(suffix) {
            name = String(name.dropLast(suffix.count))
            break
        }
        if let range = name.range(of: "__") { name = String(name[range.upperBound...]) }
        return words(text: name)
    }

    /// Lower-case words of free text: split at anything not a letter or digit, then at camel case and
    /// digits. A possessive `'s` is dropped (`Driver's` → driver).
    public static func words(text: String) -> [String] {
        let cleaned = text.replacingOccurrences(of: "'s", with: "").replacingOccurrences(of: "’s", with: "")
        var result: [String] = []
        for chunk in cleaned.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            result += splitCamel(Array(chunk))
        }
        return result
    }

    private static func splitCamel(_ chars: [Character]) -> [String] {
        var words: [String] = []
        var current = ""
        for (i, c) in chars.enumerated() {
            if !current.isEmpty, let last = current.last {
                let next = i + 1 < chars.count ? chars[i + 1] : nil
                let boundary =
                    (last.isLowercase && c.isUppercase) || (last.isNumber != c.isNumber)
                    || (last.isUppercase && c.isUppercase && (next?.isLowercase ?? false))
                if boundary {
                    words.append(current.lowercased())
                    current = ""
                }
            }
            current.append(c)
        }
        if !current.isEmpty { words.append(current.lowercased()) }
        return words
    }

    /// `words` contains `pattern` as consecutive words (each may take a plural `s`), or as one word
    /// written together (`birthdate`, `dateofbirth`).
    static func contains(_ words: [String], _ pattern: [String]) -> Bool {
        guard !pattern.isEmpty, !words.isEmpty else { return false }
        func same(_ word: String, _ wanted: String) -> Bool { word == wanted || word == wanted + "s" }
        if pattern.count <= words.count {
            for start in 0...(words.count - pattern.count)
            where pattern.indices.allSatisfy({ same(words[start + $0], pattern[$0]) }) {
                return true
            }
        }
        if pattern.count > 1 {
            let joined = pattern.joined()
            if words.contains(where: { same($0, joined) }) { return true }
        }
        return false
    }
}
