/// `@{referenceId.path}` in a composite subrequest's URL or body: the value at `path` (`id`,
/// `records[0].Id`) of the JSON body of the earlier subrequest `referenceId`.
enum CompositeReference {
    /// `text` with every reference replaced; an unknown reference or path is `INVALID_REQUEST`.
    static func substitute(_ text: String, results: [(String, JSON)]) throws(APIError) -> String {
        guard text.contains("@{") else { return text }
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "@{") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                out += rest[start.lowerBound...]
                return out
            }
            let expression = String(rest[start.upperBound..<end])
            out += try value(expression, results: results)
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }

    static func value(_ expression: String, results: [(String, JSON)]) throws(APIError) -> String {
        var parts = expression.split(separator: ".").map(String.init)
        guard !parts.isEmpty, let body = results.last(where: { $0.0 == parts[0] })?.1 else {
            throw unresolved(expression)
        }
        parts.removeFirst()
        var current = body
        for part in parts {
            var name = Substring(part)
            var indices: [Int] = []
            while let open = name.lastIndex(of: "["), name.hasSuffix("]"),
                let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)])
            {
                indices.insert(index, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty {
                guard let next = current[String(name)] else { throw unresolved(expression) }
                current = next
            }
            for index in indices {
                guard let items = current.arrayValue, index < items.count else {
                    throw unresolved(expression)
                }
                current = items[index]
            }
        }
        switch current {
        case .string(let text): return text
        case .null: return "null"
        default: return current.text
        }
    }

    static func unresolved(_ expression: String) -> APIError {
        APIError(
            .badRequest, "INVALID_REQUEST",
            "Invalid reference specified. No value for \(expression) found in the results of earlier subrequests."
        )
    }
}
