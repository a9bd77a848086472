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

// MARK: Writing straight to text

extension QueryResult {
    /// Exactly `json(version:nextRecordsURL:).text`, written from the records without building the tree:
    /// a page of 2,000 records is the server's hottest path (`queryAll` streaming).
    func jsonText(version: String, nextRecordsURL: String?) -> String {
        var out = ""
        out.reserveCapacity(64 + records.count * 160)
        writeJSON(version: version, nextRecordsURL: nextRecordsURL, to: &out)
        return out
    }

    func writeJSON(version: String, nextRecordsURL: String?, to out: inout String) {
        out += "{\"totalSize\":"
        out += String(totalSize)
        out += done ? ",\"done\":true" : ",\"done\":false"
        if let nextRecordsURL {
            out += ",\"nextRecordsUrl\":"
            JSON.writeString(nextRecordsURL, to: &out)
        }
        out += ",\"records\":["
        for (index, record) in records.enumerated() {
            if index > 0 { out += "," }
            record.writeJSON(version: version, to: &out)
        }
        out += "]}"
    }
}

extension ResultRecord {
    func writeJSON(version: String, to out: inout String) {
        out += "{\"attributes\":{\"type\":"
        JSON.writeString(type, to: &out)
        if let url = url(apiVersion: version) {
            out += ",\"url\":"
            JSON.writeString(url, to: &out)
        }
        out += "}"
        for field in fields {
            out += ","
            JSON.writeString(field.name, to: &out)
            out += ":"
            field.value.writeJSON(version: version, to: &out)
        }
        out += "}"
    }
}

extension ResultValue {
    func writeJSON(version: String, to out: inout String) {
        switch self {
        case .null: out += "null"
        case .string(let text): JSON.writeString(text, to: &out)
        case .integer(let value): out += String(value)
        case .double(let value): out += ResultValue.format(value)
        case .boolean(let value): out += value ? "true" : "false"
        case .record(let record): record.writeJSON(version: version, to: &out)
        case .compound(let fields):
            out += "{"
            for (index, field) in fields.enumerated() {
                if index > 0 { out += "," }
                JSON.writeString(field.name, to: &out)
                out += ":"
                field.value.writeJSON(version: version, to: &out)
            }
            out += "}"
        case .subquery(let result): result.writeJSON(version: version, nextRecordsURL: nil, to: &out)
        }
    }
}
