import Foundation
import Testing

/// Golden files for what people read. `KEYHOLE_RECORD_GOLDEN=1` rewrites them from the current output;
/// otherwise the output must match, and a failure shows the first differing lines and where the whole
/// actual output was written.
enum Golden {
    static let folder = Paths.packageRoot.appendingPathComponent("Tests/KeyholeCLITests/Golden")

    static var isRecording: Bool { ProcessInfo.processInfo.environment["KEYHOLE_RECORD_GOLDEN"] == "1" }

    static func check(
        _ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let url = folder.appendingPathComponent(name)
        let text = actual.hasSuffix("\n") ? actual : actual + "\n"
        if isRecording {
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            do {
                try text.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                Issue.record(
                    "could not write golden file \(url.path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record(
                "golden file Tests/KeyholeCLITests/Golden/\(name) is missing; run with KEYHOLE_RECORD_GOLDEN=1 to create it",
                sourceLocation: sourceLocation)
            return
        }
        guard expected != text else { return }
        let actualURL = FileManager.default.temporaryDirectory.appendingPathComponent(
            "keyhole-golden-\(name)")
        try? text.write(to: actualURL, atomically: true, encoding: .utf8)
        Issue.record(
            """
            output differs from Golden/\(name):
            \(diff(expected, text))
            whole output: \(actualURL.path)
            compare: diff -u \(url.path) \(actualURL.path)
            re-record (after checking the change is intended): KEYHOLE_RECORD_GOLDEN=1 swift test --filter KeyholeCLITests
            """, sourceLocation: sourceLocation)
    }

    /// The first few differing lines, `-` expected and `+` actual, with line numbers.
    static func diff(_ expected: String, _ actual: String, limit: Int = 12) -> String {
        let a = expected.components(separatedBy: "\n")
        let b = actual.components(separatedBy: "\n")
        var out: [String] = []
        for i in 0..<max(a.count, b.count) where out.count < limit * 2 {
            let left = i < a.count ? a[i] : nil
            let right = i < b.count ? b[i] : nil
            guard left != right else { continue }
            if let left { out.append("\(i + 1) - \(left)") }
            if let right { out.append("\(i + 1) + \(right)") }
        }
        if a.count != b.count { out.append("(expected \(a.count) lines, got \(b.count))") }
        return out.joined(separator: "\n")
    }
}

/// Where things are, from this file's location.
enum Paths {
    /// Tests/KeyholeCLITests/Support/Golden.swift → the package root.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let acme = packageRoot.appendingPathComponent("Examples/acme")

    /// `../shared/corpus` next to the package.
    static let corpus = packageRoot.resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("shared/corpus")
}
