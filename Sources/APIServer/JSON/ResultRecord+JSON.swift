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

// MARK: Writing straight to bytes

extension QueryResult {
    /// Exactly the UTF-8 of `json(version:nextRecordsURL:).text`, written from the records without building
    /// the tree or appending to a `String`: a page of 2,000 records is the server's hottest path
    /// (`queryAll` streaming).
    func jsonBytes(version: String, nextRecordsURL: String?) -> [UInt8] {
        var out = JSONBytes()
        out.bytes.reserveCapacity(64 + records.count * 200)
        write(version: version, nextRecordsURL: nextRecordsURL, to: &out)
        return out.bytes
    }

    func write(version: String, nextRecordsURL: String?, to out: inout JSONBytes) {
        out.raw("{\"totalSize\":")
        out.raw(String(totalSize))
        out.raw(done ? ",\"done\":true" : ",\"done\":false")
        if let nextRecordsURL {
            out.raw(",\"nextRecordsUrl\":")
            out.string(nextRecordsURL)
        }
        out.raw(",\"records\":[")
        for (index, record) in records.enumerated() {
            if index > 0 { out.byte(UInt8(ascii: ",")) }
            record.write(version: version, to: &out)
        }
        out.raw("]}")
    }
}

extension ResultRecord {
    func write(version: String, to out: inout JSONBytes) {
        out.raw("{\"attributes\":{\"type\":")
        out.string(type)
        if let id {
            // `url(apiVersion:)` written in place: one string less per record.
            out.raw(",\"url\":\"/services/data/v")
            out.raw(version)
            out.raw("/sobjects/")
            out.unquoted(type)
            out.byte(UInt8(ascii: "/"))
            out.unquoted(id)
            out.byte(UInt8(ascii: "\""))
        }
        out.byte(UInt8(ascii: "}"))
        for field in fields {
            out.byte(UInt8(ascii: ","))
            out.string(field.name)
            out.byte(UInt8(ascii: ":"))
            field.value.write(version: version, to: &out)
        }
        out.byte(UInt8(ascii: "}"))
    }
}

extension ResultValue {
    func write(version: String, to out: inout JSONBytes) {
        switch self {
        case .null: out.raw("null")
        case .string(let text): out.string(text)
        case .integer(let value): out.raw(String(value))
        case .double(let value): out.raw(ResultValue.format(value))
        case .boolean(let value): out.raw(value ? "true" : "false")
        case .record(let record): record.write(version: version, to: &out)
        case .compound(let fields):
            out.byte(UInt8(ascii: "{"))
            for (index, field) in fields.enumerated() {
                if index > 0 { out.byte(UInt8(ascii: ",")) }
                out.string(field.name)
                out.byte(UInt8(ascii: ":"))
                field.value.write(version: version, to: &out)
            }
            out.byte(UInt8(ascii: "}"))
        case .subquery(let result): result.write(version: version, nextRecordsURL: nil, to: &out)
        }
    }
}
