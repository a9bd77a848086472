import Foundation

/// An RFC 4180 CSV file: a header row and data rows, each with the line it starts on.
struct CSVTable: Sendable {
    var header: [String]
    var rows: [(line: Int, cells: [String])]

    struct ParseError: Error {
        var line: Int
        var message: String
    }

    /// Parses quoted fields (`"a, ""b"""`), embedded line breaks, CRLF or LF endings and a leading BOM.
    static func parse(_ text: String) throws(ParseError) -> CSVTable {
        var records: [(line: Int, cells: [String])] = []
        var cells: [String] = []
        var cell = ""
        var inQuotes = false
        var quotedCell = false
        var line = 1
        var recordLine = 1
        var chars = Array(text.unicodeScalars)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        func endRecord() {
            cells.append(cell)
            if !(cells.count == 1 && cells[0].isEmpty && !quotedCell) { records.append((recordLine, cells)) }
            cells = []
            cell = ""
            quotedCell = false
        }
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" {
                        cell.unicodeScalars.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    cell.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                guard cell.isEmpty else {
                    throw ParseError(line: line, message: "a quote inside an unquoted field")
                }
                inQuotes = true
                quotedCell = true
            } else if c == "," {
                cells.append(cell)
                cell = ""
                quotedCell = false
            } else if c == "\r" || c == "\n" {
                if c == "\r", i + 1 < chars.count, chars[i + 1] == "\n" { i += 1 }
                endRecord()
                line += 1
                recordLine = line
            } else {
                if quotedCell { throw ParseError(line: line, message: "text after a closing quote") }
                cell.unicodeScalars.append(c)
            }
            i += 1
        }
        if inQuotes { throw ParseError(line: recordLine, message: "a quoted field is not closed") }
        if !cell.isEmpty || !cells.isEmpty || quotedCell { endRecord() }
        guard let first = records.first else {
            throw ParseError(line: 1, message: "the file is empty (no header row)")
        }
        return CSVTable(
            header: first.cells.map { $0.trimmingCharacters(in: .whitespaces) },
            rows: Array(records.dropFirst()))
    }
}
