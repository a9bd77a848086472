/// Salesforce-style record Ids: a 3-character key prefix per object, 12 characters derived from the
/// record's reference id, and the 3-character case-safe checksum (the standard 15 → 18 algorithm).
public enum RecordId {
    /// Key prefixes of the standard objects Keyhole knows.
    public static let standardPrefixes: [String: String] = [
        "Account": "001", "Contact": "003", "Lead": "00Q", "Opportunity": "006", "Case": "500",
        "User": "005", "Task": "00T", "Event": "00U", "Campaign": "701", "Contract": "800",
        "Product2": "01t", "Pricebook2": "01s", "Order": "801", "Asset": "02i", "Group": "00G",
        "UserRole": "00E", "Profile": "00e", "PermissionSet": "0PS", "CampaignMember": "00v",
        "OpportunityLineItem": "00k", "OrderItem": "802", "Quote": "0Q0",
    ]

    static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    static let checksumAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")

    /// The key prefix for an object: the standard one, or for other objects a deterministic `a`-prefix
    /// (custom objects, `a0X`-style) or `0`-prefix (unknown standard objects) derived from the name.
    public static func keyPrefix(for object: String) -> String {
        if let known = standardPrefixes[object] { return known }
        let hash = fnv1a(object)
        let second = base62[Int(hash % 62)]
        let third = base62[Int((hash / 62) % 62)]
        let first: Character = object.contains("__") ? "a" : "0"
        var prefix = String([first, second, third])
        // Never collide with a standard prefix.
        if standardPrefixes.values.contains(prefix) {
            prefix = String([first, second, base62[Int((hash / 3844) % 62)]])
        }
        return prefix
    }

    /// The 18-character Id of the record `referenceId` of `object`; the same inputs always give the same Id.
    public static func make(object: String, referenceId: String) -> String {
        make(object: object, keyPrefix: keyPrefix(for: object), referenceId: referenceId)
    }

    /// `make(object:referenceId:)` with the object's key prefix (`keyPrefix(for: object)`) computed once by
    /// the caller, for many records of one object.
    public static func make(object: String, keyPrefix prefix: String, referenceId: String) -> String {
        // FNV-1a of `object + "\u{1F}" + referenceId`, without building the string.
        var hash = fnv1a(object.utf8, from: fnvOffset)
        hash = fnv1a(CollectionOfOne(0x1F), from: hash)
        hash = fnv1a(referenceId.utf8, from: hash)
        guard prefix.utf8.count == 3 else {
            var body: [Character] = []
            for _ in 0..<11 {
                body.append(base62[Int(hash % 62)])
                hash /= 62
            }
            let fifteen = prefix + "0" + String(body.reversed())
            return fifteen + checksum(fifteen)
        }
        return String(unsafeUninitializedCapacity: 18) { out in
            var k = 0
            for byte in prefix.utf8 {
                out[k] = byte
                k += 1
            }
            out[3] = UInt8(ascii: "0")
            for j in 0..<11 {
                out[14 - j] = base62Bytes[Int(hash % 62)]
                hash /= 62
            }
            for chunk in 0..<3 {
                var bits = 0
                for i in 0..<5 where isUppercase(out[chunk * 5 + i]) { bits |= 1 << i }
                out[15 + chunk] = checksumBytes[bits]
            }
            return 18
        }
    }

    static let base62Bytes = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
    static let checksumBytes = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".utf8)

    @inline(__always) static func isUppercase(_ c: UInt8) -> Bool {
        c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")
    }

    /// The 3-character case-safe suffix of a 15-character Id.
    public static func checksum(_ fifteen: String) -> String {
        let chars = Array(fifteen.utf8)
        var out = ""
        for chunk in 0..<3 {
            var bits = 0
            for i in 0..<5 {
                let index = chunk * 5 + i
                if index < chars.count, isUppercase(chars[index]) { bits |= 1 << i }
            }
            out.append(checksumAlphabet[bits])
        }
        return out
    }

    /// The 18-character form of a 15- or 18-character Id; `nil` when the text is not an Id (wrong length,
    /// characters outside `[0-9A-Za-z]`, or an 18-character Id whose suffix does not match).
    public static func normalize(_ id: String) -> String? {
        let utf8 = id.utf8
        let n = utf8.count
        guard n == 15 || n == 18, utf8.allSatisfy({ isBase62($0) }) else { return nil }
        var suffix: [UInt8] = [0, 0, 0]
        for (index, byte) in utf8.prefix(15).enumerated() where isUppercase(byte) {
            suffix[index / 5] |= 1 << (index % 5)
        }
        for chunk in 0..<3 { suffix[chunk] = checksumBytes[Int(suffix[chunk])] }
        if n == 18 {
            // The suffix compares case-insensitively (its letters are upper case).
            for (given, expected) in zip(utf8.dropFirst(15), suffix) {
                let upper = given >= UInt8(ascii: "a") && given <= UInt8(ascii: "z") ? given - 32 : given
                if upper != expected { return nil }
            }
            if utf8.dropFirst(15).elementsEqual(suffix) { return id }
        }
        return String(unsafeUninitializedCapacity: 18) { out in
            var i = 0
            for byte in utf8.prefix(15) {
                out[i] = byte
                i += 1
            }
            for chunk in 0..<3 { out[15 + chunk] = suffix[chunk] }
            return 18
        }
    }

    /// Whether `id` is a well-formed 15- or 18-character Id.
    public static func isValid(_ id: String) -> Bool { normalize(id) != nil }

    static func isBase62(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
    }

    static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325

    /// FNV-1a, 64-bit: stable across runs and platforms (unlike `Hasher`).
    static func fnv1a(_ text: String) -> UInt64 { fnv1a(text.utf8, from: fnvOffset) }

    /// FNV-1a continued over `bytes` from `hash`.
    @inline(__always) static func fnv1a<Bytes: Sequence<UInt8>>(_ bytes: Bytes, from hash: UInt64) -> UInt64 {
        var hash = hash
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
