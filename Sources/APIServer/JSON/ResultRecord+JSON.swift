import RecordStore

extension ResultRecord {
    /// The record as the REST API returns it: `attributes` (`type`, `url` for the request's version)
    /// first, then the fields in SELECT order (`rest-api.md` §2.4, §4.2).
    func json(version: String) -> JSON {
        var attributes: [(String, JSON)] = [("type", .string(type))]
        if let url = url(apiVersion: version) { attributes.append(("url", .string(url))) }
        var pairs: [(String, JSON)] = [("attributes", .object(attributes))]
        pairs.reserveCapacity(fields.count + 1)
        for field in fields { pairs.append((field.name, field.value.json(version: version))) }
        return .object(pairs)
    }
}

extension ResultValue {
    func json(version: String) -> JSON {
        switch self {
        case .null: .null
        case .string(let text): .string(text)
        case .integer(let value): .number(String(value))
        case .double(let value): .number(ResultValue.format(value))
        case .boolean(let value): .bool(value)
        case .record(let record): record.json(version: version)
        case .compound(let fields): .object(fields.map { ($0.name, $0.value.json(version: version)) })
        case .subquery(let result): result.json(version: version, nextRecordsURL: nil)
        }
    }
}

extension QueryResult {
    /// `{"totalSize","done"[,"nextRecordsUrl"],"records"}`.
    func json(version: String, nextRecordsURL: String?) -> JSON {
        var pairs: [(String, JSON)] = [("totalSize", .number(totalSize)), ("done", .bool(done))]
        if let nextRecordsURL { pairs.append(("nextRecordsUrl", .string(nextRecordsURL))) }
        pairs.append(("records", .array(records.map { $0.json(version: version) })))
        return .object(pairs)
    }
}
