/// The per-org field layout a source is compiled against.
struct FieldLayout: Sendable {
    let objectIndex: [String: Int]
    let fieldKeys: [String: (Int32, Int32)]
    let wordOffset: [Int]
    let wordCount: [Int]
    let totalWords: Int
}
