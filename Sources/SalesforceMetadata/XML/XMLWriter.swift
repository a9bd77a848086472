/// Writes an `XMLElementNode` tree the way Salesforce formats metadata: the UTF-8 declaration, 4-space
/// indentation, one element per line, leaf text inline, entities escaped, and a final newline.
public enum XMLWriter {
    /// The Metadata API namespace every root element carries.
    public static let metadataNamespace = "http://soap.sforce.com/2006/04/metadata"

    /// The document text for `root`. The root gets the metadata namespace unless it has an `xmlns`.
    public static func document(_ root: XMLElementNode, addNamespace: Bool = true) -> String {
        var root = root
        if addNamespace && root.attributes["xmlns"] == nil { root.attributes["xmlns"] = metadataNamespace }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out.reserveCapacity(4096)
        write(root, depth: 0, isRoot: true, into: &out)
        return out
    }

    static func write(_ node: XMLElementNode, depth: Int, isRoot: Bool, into out: inout String) {
        let indent = String(repeating: "    ", count: depth)
        out += indent
        out += "<"
        out += node.name
        // `xmlns` first, then the other attributes by name, so output is stable.
        let keys = node.attributes.keys.sorted { a, b in
            if a == "xmlns" { return b != "xmlns" }
            if b == "xmlns" { return false }
            return a < b
        }
        for key in keys {
            out += " \(key)=\""
            out += escape(node.attributes[key] ?? "", attribute: true)
            out += "\""
        }
        if node.children.isEmpty {
            if isRoot && node.text.isEmpty {
                out += "/>\n"
                return
            }
            out += ">"
            out += escape(node.text, attribute: false)
            out += "</\(node.name)>\n"
            return
        }
        out += ">\n"
        for child in node.children { write(child, depth: depth + 1, isRoot: false, into: &out) }
        out += indent
        out += "</\(node.name)>\n"
    }

    /// Escapes the five XML entities as Salesforce does (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;`), and
    /// carriage returns and other control characters as character references so they survive a re-read.
    public static func escape(_ text: String, attribute: Bool = false) -> String {
        var needsWork = false
        for unit in text.utf8 {
            switch unit {
            case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""),
                UInt8(ascii: "'"), 0x0D:
                needsWork = true
            case 0x09, 0x0A:
                if attribute { needsWork = true }
            default:
                if unit < 0x20 { needsWork = true }
            }
            if needsWork { break }
        }
        guard needsWork else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            case "\n" where attribute: out += "&#10;"
            case "\t" where attribute: out += "&#9;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 {
                    // Not representable in XML 1.0; dropped rather than written as an invalid reference.
                    continue
                }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
