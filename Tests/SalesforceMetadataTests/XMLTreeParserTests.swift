import AccessModel
import Foundation
import SalesforceMetadata
import Testing

@Suite("XML tree parser and writer")
struct XMLTreeParserTests {
    func parse(_ text: String) throws -> XMLElementNode {
        switch XMLTreeParser.parse(text) {
        case .success(let root): return root
        case .failure(let error): throw error
        }
    }

    @Test("TRAP-01 declaration variants: space before ?>, lowercase utf-8, standalone")
    func declarations() throws {
        for declaration in [
            #"<?xml version="1.0" encoding="UTF-8"?>"#, #"<?xml version="1.0" encoding="UTF-8" ?>"#,
            #"<?xml version="1.0" encoding="utf-8"?>"#,
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        ] {
            let root = try parse(
                declaration
                    + "\n<Role xmlns=\"http://soap.sforce.com/2006/04/metadata\"><name>A</name></Role>\n")
            #expect(root.name == "Role")
            #expect(root.value("name") == "A")
        }
    }

    @Test("TRAP-02 tags split over lines: text is exact and the line is where the tag starts")
    func splitTags() throws {
        let root = try parse(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CustomField xmlns=\"x:y\">\n    <description\n    >Text here</description>\n    <label\n>L</label\n>\n</CustomField>\n"
        )
        let description = try #require(root.child("description"))
        #expect(description.text == "Text here")
        #expect(description.line == 3)
        #expect(root.child("label")?.line == 5)
        #expect(root.line == 2)
    }

    @Test("TRAP-03 empty and self-closing elements, whitespace-only roots and xsi:nil")
    func emptyElements() throws {
        #expect(try parse("<CustomObject xmlns=\"http://soap.sforce.com/2006/04/metadata\"/>").isEmpty)
        #expect(
            try parse("<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    \n</Profile>").isEmpty
        )
        let root = try parse(
            "<A xmlns=\"http://soap.sforce.com/2006/04/metadata\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><value/><b xsi:nil=\"true\"/><c></c></A>"
        )
        #expect(root.child("value")?.text == "")
        #expect(root.child("b")?.attributes["xsi:nil"] == "true")
        #expect(root.children.count == 3)
    }

    @Test("TRAP-04 TRAP-05 entities, numeric references, emoji outside the BMP and variation selectors")
    func entitiesAndUnicode() throws {
        let root = try parse(
            "<A><t>R&amp;D &apos;x&apos; &quot;q&quot; &lt;&gt; &#39;n&#39; 🐞 ⚠️ “c” –\u{00A0}</t></A>")
        #expect(root.value("t") == "R&D 'x' \"q\" <> 'n' 🐞 ⚠️ “c” –")
        #expect(root.child("t")?.text.hasSuffix("\u{00A0}") == true)
    }

    @Test("TRAP-06 CRLF line endings, tabs and trailing blank lines")
    func lineEndings() throws {
        let root = try parse(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<A>\r\n\t<b>x</b>\r\n\t<c>y\r\nz</c>\r\n</A>\r\n\r\n\r\n"
        )
        #expect(root.child("c")?.line == 4)
        #expect(root.value("b") == "x")
        #expect(root.child("c")?.text == "y\nz")
    }

    @Test("TRAP-07 comments and CDATA do not shift line numbers")
    func commentsAndCDATA() throws {
        let root = try parse("<A>\n<!-- a <comment>\n over lines -->\n<b><![CDATA[<x>]]></b>\n<c/>\n</A>")
        #expect(root.child("b")?.text == "<x>")
        #expect(root.child("b")?.line == 4)
        #expect(root.child("c")?.line == 5)
    }

    @Test("malformed: a truncated file names the unclosed element and the last line")
    func truncated() {
        let result = XMLTreeParser.parse("<A>\n  <b>\n    <c>x</c>\n")
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.message.contains("<b> (opened on line 2)"))
        #expect(error.message.contains("truncated"))
        #expect(error.line >= 3)
    }

    @Test("malformed: a mismatched closing tag names both tags and the line")
    func mismatched() {
        let result = XMLTreeParser.parse("<A>\n  <b>\n    <c>x</d>\n  </b>\n</A>\n")
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.line == 3)
        #expect(error.message == "closing tag </d> does not match element <c> opened on line 3")
    }

    @Test("malformed: empty input and content after the root")
    func emptyAndTrailing() {
        if case .failure(let error) = XMLTreeParser.parse("") {
            #expect(error.message.contains("empty"))
        } else {
            Issue.record("expected a failure for empty input")
        }
        if case .failure(let error) = XMLTreeParser.parse("<A><b>x</b></A>\n<C/>") {
            #expect(error.message.contains("after the end of the root element"))
        } else {
            Issue.record("expected a failure for a second root")
        }
    }

    @Test("writer: declaration, 4-space indent, escaped entities, final newline, and it parses back")
    func writer() throws {
        let node = XMLElementNode(
            "Role",
            children: [
                .leaf("name", "R&D <\"Team\"> 'x' 🐞"), XMLElementNode("nested", children: [.leaf("a", "1")]),
                .leaf("empty", ""),
            ])
        let text = XMLWriter.document(node)
        #expect(
            text == """
                <?xml version="1.0" encoding="UTF-8"?>
                <Role xmlns="http://soap.sforce.com/2006/04/metadata">
                    <name>R&amp;D &lt;&quot;Team&quot;&gt; &apos;x&apos; 🐞</name>
                    <nested>
                        <a>1</a>
                    </nested>
                    <empty></empty>
                </Role>

                """)
        let back = try parse(text)
        #expect(back.value("name") == "R&D <\"Team\"> 'x' 🐞")
        #expect(
            XMLWriter.document(XMLElementNode("CustomObject")).hasSuffix(
                "<CustomObject xmlns=\"http://soap.sforce.com/2006/04/metadata\"/>\n"))
        // A carriage return survives as a character reference.
        let cr = try parse(XMLWriter.document(.leaf("A", "a\r\nb")))
        #expect(cr.text == "a\r\nb")
    }

    @Test("names: TRAP-15 percent-decoding, TRAP-17 tokens, and file names that decode back")
    func names() {
        #expect(
            MetadataName.decode("Force%2Ecom - App Subscription User") == "Force.com - App Subscription User")
        #expect(MetadataName.decode("___NAMESPACE___Address__c") == "Address__c")
        #expect(MetadataName.decode("%%%NAMESPACE%%%Fund__c") == "Fund__c")
        #expect(MetadataName.percentDecode("%%%OTHER%%%Ab") == "%%%OTHER%%%Ab")
        #expect(MetadataName.percentDecode("A%26B%3AC") == "A&B:C")
        for name in ["Force.com - App Subscription User", "A&B: C/D", "100% Ready", "Émile 🐞"] {
            #expect(MetadataName.decode(MetadataName.fileName(name)) == name)
        }
    }

    @Test("file kinds come from suffix and folder (TRAP-19), including muting sets in either folder spelling")
    func classify() {
        func kind(_ path: String) -> MetadataKind? { MetadataFile.classify(path)?.kind }
        #expect(kind("force-app/main/default/objects/Account/fields/Name.field-meta.xml") == .field)
        #expect(
            MetadataFile.classify("x/objects/Account/fields/Name.field-meta.xml")?.apiName == "Account.Name")
        #expect(kind("src/objects/Account.object") == .object)
        #expect(kind("a/b/Gift.permissionset-meta.xml") == .permissionSet)
        #expect(kind("mutingpermissionsets/M.mutingpermissionset-meta.xml") == .mutingPermissionSet)
        #expect(kind("mutingPermissionSets/M.mutingpermissionset-meta.xml") == .mutingPermissionSet)
        #expect(kind("src/mutingpermissionsets/M.mutingpermissionset") == .mutingPermissionSet)
        #expect(kind("restrictionRules/R.rule-meta.xml") == .restrictionRule)
        #expect(kind("elsewhere/R.rule-meta.xml") == nil)
        #expect(kind("manifest/package.xml") == .packageXml)
        #expect(kind("delete/destructiveChanges.xml") == nil)
        #expect(kind("delete/destructiveChangesPost.xml") == nil)
        #expect(kind("classes/A.cls-meta.xml") == nil)
        #expect(
            MetadataFile.classify("sharingRules/Account/R1.sharingOwnerRule-meta.xml")?.apiName
                == "Account.R1")
        #expect(
            MetadataFile.classify("profiles/Work%2Ecom Only User.profile")?.apiName == "Work.com Only User")
    }
}
