import AccessModel
import Foundation
import Testing

@testable import SalesforceMetadata

/// The subset XML parser (`XMLSubsetParser`) must build exactly the tree the `XMLParser` path builds — or
/// leave the document to it.
@Suite("XML subset parser")
struct XMLSubsetParserTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Parses `data` both ways; returns true when the subset parser read it. A tree it builds must be the
    /// `XMLParser` tree, names, attributes, text, children and lines included.
    @discardableResult
    static func check(
        _ data: Data, _ label: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> Bool {
        guard XMLTreeParser.invalidUTF8Line(data) == nil else { return false }
        guard let subset = XMLSubsetParser.parse(data) else { return false }
        switch XMLTreeParser.parseWithXMLParser(data) {
        case .success(let root):
            #expect(subset == root, "\(label)", sourceLocation: sourceLocation)
        case .failure(let error):
            Issue.record(
                "XMLParser refuses what the subset parser read: \(label): \(error)",
                sourceLocation: sourceLocation)
        }
        return true
    }

    @Test("gives XMLParser's tree for every XML file of the corpus, and reads nearly all of them")
    func corpus() throws {
        try #require(Corpus.isAvailable)
        var total = 0
        var read = 0
        for folder in Corpus.folders {
            for (path, url) in Corpus.files(folder) where path.hasSuffix(".xml") {
                let data = try Data(contentsOf: url)
                total += 1
                if Self.check(data, "\(folder)/\(path)") { read += 1 }
            }
        }
        #expect(total > 1000)
        // It leaves files with carriage returns and other rare constructs to XMLParser (2 of 2,126 today).
        #expect(Double(read) >= Double(total) * 0.98, "read \(read) of \(total)")
    }

    @Test("gives XMLParser's tree for every XML fixture of the tests and the example")
    func fixtures() throws {
        var count = 0
        for base in ["Tests", "Examples"] {
            let root = Self.packageRoot.appendingPathComponent(base)
            guard let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
                continue
            }
            for case let url as URL in files where url.pathExtension == "xml" {
                Self.check(try Data(contentsOf: url), url.path)
                count += 1
            }
        }
        #expect(count > 100)
    }

    @Test("gives XMLParser's tree for what XMLWriter writes, awkward text included")
    func written() {
        let texts = [
            "plain", "R&D <tag> \"quoted\" 'apos'", "  padded  ", "line\nbreak", "tab\there", "émoji 🐞 ⚠️",
            "]]> in text", "", "&amp; literal",
        ]
        var children: [XMLElementNode] = []
        for (index, text) in texts.enumerated() {
            children.append(.leaf("value\(index)", text))
            children.append(
                XMLElementNode(
                    "fieldPermissions",
                    children: [
                        .leaf("editable", "false"), .leaf("field", "Obj.F\(index)__c"),
                        .leaf("readable", "true"),
                    ]))
        }
        let root = XMLElementNode("Profile", children: children)
        let text = XMLWriter.document(root)
        #expect(Self.check(Data(text.utf8), "written"))
    }

    @Test(
        "reads the XML metadata is written in",
        arguments: [
            "<A/>",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<A xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <b>x</b>\n</A>\n",
            "<?xml version='1.0' encoding='utf-8' standalone='yes' ?><A><b>1</b><b>2</b></A>",
            "<?xml version=\"1.0\"?>\n<!-- c -->\n<A>\n<!-- inside <b> -->\n<b\n   >t</b\n>\n</A>\n<!-- after -->\n",
            "<A xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><b xsi:nil=\"true\"/><c></c><d>  </d></A>",
            "<A><t>R&amp;D &apos;x&apos; &quot;q&quot; &lt;&gt; &#39;n&#39; &#x1F41E; 🐞 “c” –\u{00A0}</t></A>",
            "<A>\n\t<b>x</b>\n\t<c>y\nz</c>\n</A>\n\n\n",
            "<A><b><![CDATA[<x> & y]]></b><c>a<!-- c -->b</c></A>",
            "<A>text before<b/>text after</A>",
            "<A a=\"1\" b='2' c=\"x > y\"><b-c.d_e>v</b-c.d_e></A>",
        ])
    func subset(text: String) {
        #expect(Self.check(Data(text.utf8), text))
    }

    @Test(
        "leaves to XMLParser what is outside the subset or wrong",
        arguments: [
            "", "  ", "<A>", "<A></B>", "<A><b></A>", "<A/><B/>", "text", "<A>&unknown;</A>", "<A>a & b</A>",
            "<A>x]]>y</A>", "<A>\r\n<b/></A>", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><A/>",
            "<?xml version=\"1.1\"?><A/>", " <?xml version=\"1.0\"?><A/>", "<!DOCTYPE A><A/>", "<?pi x?><A/>",
            "<A><?pi x?></A>", "<p:A xmlns:p=\"u\"/>", "<A p:x=\"1\"/>", "<A x=\"1\" x=\"2\"/>", "<A x=1/>",
            "<A x=\"a&amp;b\"/>", "<A x=\"a\nb\"/>", "<A x=\"1\"y=\"2\"/>", "<A><!-- a -- b --></A>",
            "\u{FEFF}<A/>", "<A>\u{0001}</A>", "<A>&#0;</A>", "<A>&#xD800;</A>", "< A/>", "<A></ A>",
            "<A xmlns:p=\"\"/>", "<A xmlns:p=\"u\" xmlns:q=\"u\" p:x=\"1\" q:x=\"2\"/>", "<A><![CDATA[x</A>",
            "<A><!-- open</A>",
        ])
    func outside(text: String) {
        #expect(!Self.check(Data(text.utf8), text))
    }
}
