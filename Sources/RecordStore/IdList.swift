/// Record Ids in order, stored compactly: 18 bytes each when every Id is 18 characters (1,000,000 Ids
/// take 18 MB), else as strings.
struct IdList: Sendable {
    private var bytes: [UInt8] = []
    private var strings: [String]? = nil
    private(set) var count = 0

    mutating func append(_ id: String) {
        if strings == nil, id.utf8.count == 18 {
            bytes.append(contentsOf: id.utf8)
        } else {
            if strings == nil { strings = (0..<count).map { self[$0] } }
            strings!.append(id)
        }
        count += 1
    }

    subscript(i: Int) -> String {
        if let strings { return strings[i] }
        return bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[(i * 18)..<(i * 18 + 18)]), as: UTF8.self)
        }
    }

    func slice(_ range: Range<Int>) -> [String] { range.map { self[$0] } }
}
