import APIServer
import AccessModel
import Foundation
import Testing

/// Versions, routing rules and describe (`rest-api.md` §1, §2.1–§2.3): describe is derived from the
/// evaluator's answer for the user, never from the raw metadata.
@Suite("describe and routing")
struct DescribeTests {
    typealias Acme = ServedAcme

    /// What `keyhole fix` does for the HubSpot user's SSN finding: the profile's latent read on
    /// `Contact.SSN__c` switched off (`FLS-5`).
    static func hubspotFixed(_ org: inout Org) throws {
        try OrgChange.setFLS(
            source: "profile:Minimum Access - API Only Integrations", field: "Contact.SSN__c", access: .none
        ).apply(to: &org)
    }

    static func fieldNames(_ describe: JSON?) -> [String] {
        describe?["fields"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    static func field(_ name: String, _ describe: JSON?) -> JSON? {
        describe?["fields"]?.arrayValue?.first { $0["name"]?.stringValue == name }
    }

    @Test(
        "GET /services/data lists every version 20.0…66.0 ascending, without a token, with or without slash")
    func versions() async throws {
        try await ServedAcme().run { client in
            for path in ["/services/data", "/services/data/"] {
                let reply = try await client.send(.get, path)
                #expect(reply.status == .ok)
                let versions = try #require(reply.json?.arrayValue)
                #expect(versions.count == 47)
                #expect(versions.first?["version"]?.stringValue == "20.0")
                #expect(versions.last?["version"]?.stringValue == "66.0")
                let v59 = versions.first { $0["version"]?.stringValue == "59.0" }
                #expect(v59?["label"]?.stringValue == "Winter '24")
                #expect(v59?["url"]?.stringValue == "/services/data/v59.0")
            }
        }
    }

    @Test("every version 20.0…66.0 serves the same API; other versions and unknown paths are 404 NOT_FOUND")
    func anyVersion() async throws {
        try await ServedAcme().run { client in
            let token = try await client.login(Acme.hubspot)
            for version in ["20.0", "46.0", "59.0", "66.0"] {
                let reply = try await client.get("/services/data/v\(version)/sobjects/", token: token)
                #expect(reply.status == .ok, "\(version)")
                let url = reply.json?["sobjects"]?.arrayValue?.first?["urls"]?["sobject"]?.stringValue
                #expect(url?.hasPrefix("/services/data/v\(version)/sobjects/") == true)
            }
            for path in [
                "/services/data/v19.0/sobjects", "/services/data/v67.0/sobjects",
                "/services/data/v62.0/nothing", "/nothing",
            ] {
                let reply = try await client.get(path, token: token)
                #expect(reply.status == .notFound, "\(path)")
                #expect(reply.error?.code == "NOT_FOUND")
                #expect(reply.error?.message == "The requested resource does not exist")
            }
        }
    }

    @Test(
        "routing ignores the Host header and accepts trailing slashes; a wrong method is 405 with the allowed list"
    )
    func routing() async throws {
        try await ServedAcme().run { client in
            let token = try await client.login(Acme.hubspot)
            let viaSalesforceHost = try await client.get(
                "/services/data/v62.0/limits/", token: token, headers: ["Host": "acme.my.salesforce.com"])
            #expect(viaSalesforceHost.status == .ok)
            let put = try await client.send(
                .put, "/services/data/v62.0/sobjects/Account/describe", token: token)
            #expect(put.status == .methodNotAllowed)
            #expect(put.error?.code == "METHOD_NOT_ALLOWED")
            #expect(put.error?.message == "HTTP Method 'PUT' not allowed. Allowed are GET,HEAD")
        }
    }

    @Test("API-4 describeGlobal lists only the objects the user can read")
    func describeGlobal() async throws {
        try await ServedAcme().run { client in
            let token = try await client.login(Acme.hubspot)
            let reply = try await client.get("/services/data/v62.0/sobjects", token: token)
            let names = reply.json?["sobjects"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(names == ["Account", "Contact"])
            #expect(reply.json?["encoding"]?.stringValue == "UTF-8")
            let account = reply.json?["sobjects"]?.arrayValue?.first
            #expect(account?["createable"]?.boolValue == false)
            #expect(account?["queryable"]?.boolValue == true)
            #expect(account?["keyPrefix"]?.stringValue == "001")
        }
    }

    @Test("API-4 describe of an object the user cannot read is 404 NOT_FOUND, as for one that does not exist")
    func describeUnreadable() async throws {
        try await ServedAcme().run { client in
            let token = try await client.login(Acme.hubspot)
            for object in ["Opportunity", "Case", "Nope__c"] {
                let reply = try await client.get(
                    "/services/data/v62.0/sobjects/\(object)/describe", token: token)
                #expect(reply.status == .notFound)
                #expect(reply.error?.code == "NOT_FOUND")
            }
        }
    }

    @Test("API-3 describe lists exactly the fields the evaluator says the user can read")
    func describeMatchesEvaluator() async throws {
        let served = try ServedAcme()
        try await served.run { client in
            for username in [Acme.hubspot, Acme.analytics, Acme.admin] {
                let token = try await client.login(username)
                let user = try #require(ServedAcme.project.org.user(named: username))
                let access = AccessEvaluator(org: ServedAcme.project.org).evaluate(user)
                for object in access.readableObjects {
                    let reply = try await client.get(
                        "/services/data/v62.0/sobjects/\(object)/describe/", token: token)
                    #expect(
                        Self.fieldNames(reply.json) == access.readableFields(of: object),
                        "\(username) \(object)")
                }
            }
        }
    }

    @Test(
        "FLS-1 describe hides SSN__c and Annual_Revenue__c from the analytics user, who has no read on them")
    func describeHidesForAnalytics() async throws {
        try await ServedAcme().run { client in
            let token = try await client.login(Acme.analytics)
            let contact = try await client.get("/services/data/v62.0/sobjects/Contact/describe", token: token)
            #expect(!Self.fieldNames(contact.json).contains("SSN__c"))
            #expect(Self.fieldNames(contact.json).contains("Email"))
            let account = try await client.get("/services/data/v62.0/sobjects/Account/describe", token: token)
            #expect(!Self.fieldNames(account.json).contains("Annual_Revenue__c"))
        }
    }

    @Test(
        "FLS-5 after the HubSpot fix (profile read on SSN__c switched off) describe hides SSN__c from HubSpot"
    )
    func describeHidesSSNAfterFix() async throws {
        try await ServedAcme().run { client in
            let token = try await client.login(Acme.hubspot)
            let before = try await client.get("/services/data/v62.0/sobjects/Contact/describe", token: token)
            // As committed, the example still grants it (the audit's finding): describe says so.
            #expect(Self.fieldNames(before.json).contains("SSN__c"))
        }
        try await ServedAcme(change: Self.hubspotFixed).run { client in
            let token = try await client.login(Acme.hubspot)
            let after = try await client.get("/services/data/v62.0/sobjects/Contact/describe", token: token)
            #expect(!Self.fieldNames(after.json).contains("SSN__c"))
            #expect(Self.fieldNames(after.json).contains("Credit_Score__c"))
        }
    }

    @Test("describe: createable/updateable from field edit access and object Create/Edit; real type names")
    func describeFieldProperties() async throws {
        try await ServedAcme().run { client in
            let hubspot = try await client.login(Acme.hubspot)
            let readOnly = try await client.get(
                "/services/data/v62.0/sobjects/Account/describe", token: hubspot)
            #expect(readOnly.json?["createable"]?.boolValue == false)
            for field in readOnly.json?["fields"]?.arrayValue ?? [] {
                #expect(field["createable"]?.boolValue == false)
                #expect(field["updateable"]?.boolValue == false)
            }
            let admin = try await client.login(Acme.admin)
            let full = try await client.get("/services/data/v62.0/sobjects/Account/describe", token: admin)
            let name = Self.field("Name", full.json)
            #expect(name?["type"]?.stringValue == "string")
            #expect(name?["createable"]?.boolValue == true)
            #expect(name?["updateable"]?.boolValue == true)
            #expect(name?["nillable"]?.boolValue == false)
            #expect(name?["nameField"]?.boolValue == true)
            let id = Self.field("Id", full.json)
            #expect(id?["type"]?.stringValue == "id")
            #expect(id?["createable"]?.boolValue == false)
            #expect(Self.field("CreatedDate", full.json)?["type"]?.stringValue == "datetime")
            #expect(Self.field("CreatedDate", full.json)?["updateable"]?.boolValue == false)
            #expect(Self.field("Send_to_HubSpot__c", full.json)?["type"]?.stringValue == "boolean")
            #expect(Self.field("Industry", full.json)?["type"]?.stringValue == "picklist")
            #expect(Self.field("Industry", full.json)?["picklistValues"]?.arrayValue?.isEmpty == false)
            #expect(Self.field("OwnerId", full.json)?["type"]?.stringValue == "reference")
            #expect(Self.field("OwnerId", full.json)?["referenceTo"] == .array([.string("User")]))
            #expect(Self.field("OwnerId", full.json)?["relationshipName"]?.stringValue == "Owner")
            #expect(Self.field("Annual_Revenue__c", full.json)?["type"]?.stringValue == "currency")
            #expect(Self.field("Employee_Count__c", full.json)?["type"]?.stringValue == "double")
            // Readable only through the profile's grant: no standard AnnualRevenue for the admin (FLS-1).
            #expect(Self.field("AnnualRevenue", full.json) == nil)
            // Compound address and its components.
            let address = Self.field("BillingAddress", full.json)
            #expect(address?["type"]?.stringValue == "address")
            #expect(address?["soapType"]?.stringValue == "urn:address")
            #expect(address?["updateable"]?.boolValue == false)
            #expect(
                Self.field("BillingCity", full.json)?["compoundFieldName"]?.stringValue == "BillingAddress")
            #expect(Self.field("BillingLatitude", full.json)?["type"]?.stringValue == "double")
        }
    }

    @Test("describe field types are only Salesforce's own names (tap-salesforce rejects others)")
    func describeTypeNames() async throws {
        let valid: Set<String> = [
            "id", "string", "picklist", "multipicklist", "combobox", "reference", "textarea", "phone", "url",
            "email", "encryptedstring", "boolean", "int", "long", "double", "currency", "percent", "date",
            "datetime", "time", "base64", "address", "location", "anyType", "json", "complexvalue",
        ]
        try await ServedAcme().run { client in
            let token = try await client.login(Acme.admin)
            let global = try await client.get("/services/data/v62.0/sobjects", token: token)
            for name in global.json?["sobjects"]?.arrayValue?.compactMap({ $0["name"]?.stringValue }) ?? [] {
                let describe = try await client.get(
                    "/services/data/v62.0/sobjects/\(name)/describe", token: token)
                for field in describe.json?["fields"]?.arrayValue ?? [] {
                    let type = field["type"]?.stringValue ?? "?"
                    #expect(valid.contains(type), "\(name).\(field["name"]?.stringValue ?? "?") is \(type)")
                }
            }
        }
    }

    @Test("child relationships list only children the user can read, through readable lookups")
    func childRelationships() async throws {
        try await ServedAcme().run { client in
            let hubspot = try await client.login(Acme.hubspot)
            let account = try await client.get(
                "/services/data/v62.0/sobjects/Account/describe", token: hubspot)
            let children = account.json?["childRelationships"]?.arrayValue?.compactMap {
                $0["relationshipName"]?.stringValue
            }
            #expect(children == ["Contacts"])
        }
    }
}
