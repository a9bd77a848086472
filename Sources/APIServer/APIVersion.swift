/// A REST API version (`62.0`): every version from 20.0 to the current one is served with the same
/// behaviour (`rest-api.md` §2.1).
public struct APIVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var major: Int

    public static let oldest = APIVersion(major: 20)
    public static let current = APIVersion(major: 66)
    public static let all = (oldest.major...current.major).map { APIVersion(major: $0) }

    public init(major: Int) { self.major = major }

    /// `v62.0` (a path segment) or `62.0`; `nil` outside 20.0…current or in another form.
    public init?(_ text: Substring) {
        var text = text
        if text.first == "v" { text = text.dropFirst() }
        guard text.hasSuffix(".0"), let major = Int(text.dropLast(2)),
            (Self.oldest.major...Self.current.major).contains(major)
        else { return nil }
        self.major = major
    }

    /// `62.0`.
    public var description: String { "\(major).0" }

    /// The release's name: v20.0 was Winter '11, then Spring, Summer, Winter… (`Winter '24` is v59.0).
    public var label: String {
        let n = major - 20
        let season = ["Winter", "Spring", "Summer"][n % 3]
        let year = 11 + n / 3
        return "\(season) '\(year)"
    }

    public static func < (a: APIVersion, b: APIVersion) -> Bool { a.major < b.major }
}
