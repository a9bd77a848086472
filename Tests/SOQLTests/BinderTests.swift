import AccessModel
import Testing

@testable import SOQL

@Suite("SOQL binder on the example org")
struct BinderTests {
    let hubspot = Acme.binder(Acme.hubspot)
    let analytics = Acme.binder(Acme.analytics)

    static let noSuchColumnTail =
        ". If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."

    @Test(
        "API-3 FLS-5 the HubSpot user reads Account Name and Annual_Revenue__c (latent FLS woken by object Read)"
    )
    func hubspotReadsRevenue() throws {
        let bound = try hubspot.bind("SELECT Id, Name, Annual_Revenue__c FROM Account")
        #expect(bound.object == "Account")
        guard case .field(let revenue, let name) = bound.columns[2] else {
            Issue.record("expected a field")
            return
        }
        #expect(name == "Annual_Revenue__c")
        #expect(revenue.object == "Account")
        #expect(revenue.field.type == .currency)
        #expect(revenue.hops.isEmpty)
        #expect(!revenue.isMasked)
    }

    @Test(
        "API-3 the analytics user gets INVALID_FIELD for Annual_Revenue__c with the exact message and caret")
    func analyticsDenied() {
        let error = bindError(analytics, "SELECT Id, Annual_Revenue__c FROM Account")
        #expect(error?.code == .invalidField)
        #expect(
            error?.message
                == "\nSELECT Id, Annual_Revenue__c FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'Annual_Revenue__c' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."
        )
        #expect(error?.line == 1 && error?.column == 12)
    }

    @Test(
        "API-3 an unreadable field is INVALID_FIELD in every clause",
        arguments: [
            ("SELECT Id FROM Account WHERE Annual_Revenue__c > 5", 30),
            ("SELECT Id FROM Account ORDER BY Annual_Revenue__c DESC", 33),
            ("SELECT COUNT(Id) FROM Account GROUP BY Annual_Revenue__c", 40),
            ("SELECT MAX(Annual_Revenue__c) FROM Account", 12),
            (
                "SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry HAVING SUM(Annual_Revenue__c) > 1",
                70
            ),
            (
                "SELECT Id FROM Contact WHERE OwnerId IN (SELECT OwnerId FROM Account WHERE Annual_Revenue__c > 1)",
                76
            ),
        ])
    func everyClause(soql: String, column: Int) {
        let error = bindError(analytics, soql)
        #expect(error?.code == .invalidField)
        #expect(
            error?.detail == "No such column 'Annual_Revenue__c' on entity 'Account'" + Self.noSuchColumnTail)
        #expect(error?.column == column)
    }

    @Test("API-3 a field that does not exist reads exactly like a hidden one")
    func unknownField() {
        let error = bindError(hubspot, "SELECT Id, Bacon__c FROM Account LIMIT 2")
        #expect(error?.code == .invalidField)
        #expect(
            error?.message.hasPrefix(
                "\nSELECT Id, Bacon__c FROM Account LIMIT 2\n           ^\nERROR at Row:1:Column:12\nNo such column 'Bacon__c' on entity 'Account'."
            ) == true)
    }

    @Test("API-4 INVALID_TYPE for Opportunity for the HubSpot user, and for an unknown object")
    func invalidType() {
        let expected =
            "\nSELECT Id FROM Opportunity\n               ^\nERROR at Row:1:Column:16\nsObject type 'Opportunity' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."
        let error = bindError(hubspot, "SELECT Id FROM Opportunity")
        #expect(error?.code == .invalidType)
        #expect(error?.message == expected)
        #expect(bindError(analytics, "SELECT Id FROM Opportunity") == nil)
        #expect(
            bindError(analytics, "SELECT Id FROM Invoice")?.detail.hasPrefix(
                "sObject type 'Invoice' is not supported.") == true)
        // A semi-join on an unreadable object is the same error.
        #expect(
            bindError(hubspot, "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity)")?.code
                == .invalidType)
    }

    @Test("API-3 both users are refused what they cannot see, and only that")
    func eachSeesOwn() {
        #expect(bindError(hubspot, "SELECT Id, Internal_Notes__c FROM Account") == nil)
        #expect(bindError(analytics, "SELECT Id, Internal_Notes__c FROM Account")?.code == .invalidField)
        #expect(bindError(hubspot, "SELECT Id, SSN__c, Credit_Score__c FROM Contact") == nil)
        #expect(
            bindError(analytics, "SELECT Id, SSN__c FROM Contact")?.detail.hasPrefix(
                "No such column 'SSN__c' on entity 'Contact'") == true)
        #expect(bindError(analytics, "SELECT Id, Name FROM User") == nil)
        #expect(bindError(hubspot, "SELECT Id, Name FROM User")?.code == .invalidType)
    }

    @Test("names are case-insensitive and come back in canonical casing")
    func caseInsensitive() throws {
        let bound = try hubspot.bind("select id, NAME, annual_revenue__C from ACCOUNT")
        #expect(bound.object == "Account")
        #expect(
            bound.columns.map { column -> String in
                if case .field(let f, let name) = column { return f.name + "/" + name }
                return ""
            } == ["Id/Id", "Name/Name", "Annual_Revenue__c/Annual_Revenue__c"])
    }

    @Test("REC-19 parent path Owner.Name: followed when User is readable, not understood when it is not")
    func ownerPath() throws {
        let bound = try analytics.bind("SELECT Name, Owner.Name FROM Account")
        guard case .field(let owner, _) = bound.columns[1] else {
            Issue.record("expected a field")
            return
        }
        #expect(owner.object == "User")
        #expect(owner.hops.map(\.relationshipName) == ["Owner"])
        #expect(owner.hops[0].field == "OwnerId")
        #expect(owner.hops[0].toObject == "User")
        #expect(bound.joins.count == 1)
        let error = bindError(hubspot, "SELECT Name, Owner.Name FROM Account")
        #expect(error?.code == .invalidField)
        #expect(
            error?.message
                == "\nSELECT Name, Owner.Name FROM Account\n             ^\nERROR at Row:1:Column:14\nDidn't understand relationship 'Owner' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names."
        )
        #expect(
            bindError(analytics, "SELECT Name, Foo__r.Name FROM Account")?.detail.hasPrefix(
                "Didn't understand relationship 'Foo__r' in field path.") == true)
    }

    @Test(
        "parent path Account.Name from Contact: hidden lookup field ⇒ relationship not understood; readable ⇒ followed"
    )
    func accountFromContact() throws {
        // Without a readable Contact.AccountId the relationship cannot be followed.
        #expect(
            bindError(
                Acme.binder(Acme.hubspot, in: Acme.unlinked), "SELECT LastName, Account.Name FROM Contact")?
                .detail.hasPrefix(
                    "Didn't understand relationship 'Account'") == true)
        let linked = Acme.binder(Acme.hubspot, in: Acme.linked)
        let bound = try linked.bind(
            "SELECT LastName, Account.Name, Account.Owner.Name FROM Contact WHERE Account.Name != null ORDER BY Account.Name"
        )
        #expect(bound.joins.map(\.key) == ["account", "account.owner"])
        guard case .field(let name, _) = bound.columns[1] else { return }
        #expect(name.object == "Account" && name.hops.map(\.toObject) == ["Account"])
        // The hidden field on a readable parent is still INVALID_FIELD (on the parent entity).
        let analyticsLinked = Acme.binder(
            Acme.analytics,
            in: Acme.changed { org in
                org.profiles["Analytics Integration"]!.grants.fields[
                    AccessModel.FieldPath.key(object: "Contact", field: "AccountId")] =
                    FieldAccess(readable: true, editable: false)
            })
        let error = bindError(analyticsLinked, "SELECT Account.Annual_Revenue__c FROM Contact")
        #expect(error?.detail.hasPrefix("No such column 'Annual_Revenue__c' on entity 'Account'") == true)
        #expect(error?.column == 8)
    }

    @Test("a polymorphic parent (What.Name on Event) joins every readable target and reads the first present")
    func polymorphic() throws {
        let org = Acme.changed { org in
            org.profiles["Analytics Integration"]!.grants.fields[
                AccessModel.FieldPath.key(object: "Event", field: "WhatId")] =
                FieldAccess(readable: true, editable: false)
        }
        let bound = try Acme.binder(Acme.analytics, in: org).bind("SELECT Id, What.Name FROM Event")
        guard case .field(let name, _) = bound.columns[1] else { return }
        let hop = name.hops[0]
        #expect(hop.relationshipName == "What" && hop.field == "WhatId")
        #expect(hop.targets.map(\.object).contains("Opportunity"))
        #expect(name.alternativeAliases.count >= 2)
        let sql = SQLGenerator().generate(bound).main.sql
        #expect(sql.contains("LEFT JOIN \"Opportunity\" AS"))
        #expect(sql.contains("COALESCE(\"\(name.tableAlias)\".\"Name\", "))
        // A field no target has is "No such column … on entity 'Name'".
        #expect(
            bindError(Acme.binder(Acme.analytics, in: org), "SELECT What.Bacon__c FROM Event")?.detail
                .hasPrefix("No such column 'Bacon__c' on entity 'Name'") == true)
    }

    @Test("child subquery (SELECT LastName FROM Contacts) from Account")
    func childSubquery() throws {
        let error = bindError(
            Acme.binder(Acme.hubspot, in: Acme.unlinked),
            "SELECT Name, (SELECT LastName FROM Contacts) FROM Account")
        #expect(error?.code == .invalidType)
        #expect(
            error?.detail.hasPrefix("Didn't understand relationship 'Contacts' in FROM part of query call.")
                == true)
        let linked = Acme.binder(Acme.hubspot, in: Acme.linked)
        let bound = try linked.bind(
            "SELECT Name, (SELECT LastName, Email FROM Contacts WHERE LastName LIKE 'S%' ORDER BY LastName LIMIT 5) FROM Account"
        )
        #expect(bound.childQueries.count == 1)
        let child = bound.childQueries[0]
        #expect(child.object == "Contact")
        #expect(
            child.childLink
                == RelationshipIndex.Child(
                    name: "Contacts", parentObject: "Account", childObject: "Contact", field: "AccountId"))
        #expect(child.limit == 5)
        // An unreadable child type is INVALID_TYPE.
        #expect(
            bindError(linked, "SELECT Name, (SELECT Id FROM Opportunities) FROM Account")?.code
                == .invalidType)
        // A hidden field inside the subquery is INVALID_FIELD on the child entity.
        let analyticsError = bindError(
            Acme.binder(Acme.analytics, in: Acme.linked), "SELECT Name FROM Account")
        #expect(analyticsError == nil)
        #expect(
            bindError(linked, "SELECT Name, (SELECT Bacon__c FROM Contacts) FROM Account")?.detail.hasPrefix(
                "No such column 'Bacon__c' on entity 'Contact'") == true)
    }

    @Test(
        "CLS-8 (assumed wording) a probabilistically encrypted field can be selected but not filtered or sorted"
    )
    func probabilistic() throws {
        let org = Acme.changed { org in
            org.objects["Contact"]!.fields["SSN__c"]!.encryptionScheme = .probabilistic
        }
        let binder = Acme.binder(Acme.hubspot, in: org)
        #expect(bindError(binder, "SELECT Id, SSN__c FROM Contact") == nil)
        let filter = bindError(binder, "SELECT Id FROM Contact WHERE SSN__c = '123'")
        #expect(filter?.code == .invalidField)
        #expect(filter?.detail == "field 'SSN__c' can not be filtered in a query call")
        #expect(filter?.column == 30)
        #expect(
            bindError(binder, "SELECT Id FROM Contact ORDER BY SSN__c")?.detail
                == "field 'SSN__c' can not be sorted in a query call")
        let deterministic = Acme.binder(
            Acme.hubspot,
            in: Acme.changed { org in
                org.objects["Contact"]!.fields["SSN__c"]!.encryptionScheme = .caseSensitiveDeterministic
            })
        #expect(bindError(deterministic, "SELECT Id FROM Contact WHERE SSN__c = '123'") == nil)
        #expect(
            bindError(deterministic, "SELECT Id FROM Contact WHERE SSN__c LIKE '1%'")?.code == .invalidField)
    }

    @Test("CLS-9 a Classic encrypted field without View Encrypted Data is bound as masked")
    func masked() throws {
        let org = Acme.changed { org in
            org.objects["Account"]!.fields["Secret__c"] = Field(
                name: "Secret__c", type: .encryptedText, maskType: "all", maskChar: "asterisk")
            org.permissionSets[Acme.hubspotSet]!.grants.fields[
                AccessModel.FieldPath.key(object: "Account", field: "Secret__c")] =
                FieldAccess(readable: true, editable: false)
        }
        let bound = try Acme.binder(Acme.hubspot, in: org).bind("SELECT Id, Secret__c FROM Account")
        guard case .field(let secret, _) = bound.columns[1] else { return }
        #expect(secret.isMasked)
    }

    @Test(
        "type checks use Salesforce's filter wording",
        arguments: [
            (
                "SELECT Id FROM Account WHERE Annual_Revenue__c = 'abc'",
                "value of filter criterion for field 'Annual_Revenue__c' must be of type double and should not be enclosed in quotes"
            ),
            (
                "SELECT Id FROM Account WHERE Name = 5",
                "value of filter criterion for field 'Name' must be of type string and should be enclosed in quotes"
            ),
            (
                "SELECT Id FROM Account WHERE Name = TODAY",
                "value of filter criterion for field 'Name' must be of type string and should be enclosed in quotes"
            ),
            (
                "SELECT Id FROM Account WHERE CreatedDate = 2024-01-01",
                "value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes"
            ),
            (
                "SELECT Id FROM Account WHERE Send_to_HubSpot__c = 'true'",
                "value of filter criterion for field 'Send_to_HubSpot__c' must be of type boolean and should not be enclosed in quotes"
            ),
            (
                "SELECT Id FROM Account WHERE Name INCLUDES ('a')",
                "includes or excludes operator only valid on multipicklist field"
            ),
            (
                "SELECT Id FROM Account WHERE BillingAddress = null",
                "field 'BillingAddress' can not be filtered in a query call"
            ),
        ])
    func typeChecks(soql: String, detail: String) {
        let error = bindError(hubspot, soql)
        #expect(error?.code == .invalidField)
        #expect(error?.detail == detail)
    }

    @Test("a malformed Id literal is refused; a 15-character Id is widened to 18")
    func ids() throws {
        let error = bindError(hubspot, "SELECT Id FROM Account WHERE Id = 'abc'")
        #expect(error?.code == .invalidQueryFilterOperator)
        #expect(error?.detail == "invalid ID field: abc")
        #expect(Binder.normalizedId("001000000000001") == "001000000000001AAA")
        #expect(Binder.normalizedId("001A0000006Vm9r") == "001A0000006Vm9rIAC")
        let bound = try hubspot.bind("SELECT Id FROM Account WHERE Id = '001A0000006Vm9r'")
        guard case .comparison(_, .equal, let values)? = bound.whereClause else {
            Issue.record("expected a comparison")
            return
        }
        #expect(values == [.text("001A0000006Vm9rIAC")])
    }

    @Test("aggregate rules: grouped or aggregated, aliases only on aggregates, COUNT() alone")
    func aggregateRules() throws {
        #expect(
            bindError(hubspot, "SELECT Name, COUNT(Id) FROM Account GROUP BY Industry")?.detail
                == "Field must be grouped or aggregated: Name")
        #expect(
            bindError(hubspot, "SELECT Name n FROM Account")?.detail
                == "Only aggregate expressions use field aliasing")
        #expect(
            bindError(hubspot, "SELECT SUM(Name) FROM Account")?.detail
                == "field Name does not support aggregate operator SUM")
        let bound = try hubspot.bind(
            "SELECT Industry, COUNT(Id) c, MAX(Annual_Revenue__c), MIN(CreatedDate) FROM Account GROUP BY Industry"
        )
        let names = bound.columns.map { column -> String in
            switch column {
            case .field(_, let name), .aggregate(_, _, let name): name
            case .child: ""
            }
        }
        #expect(names == ["Industry", "c", "expr0", "expr1"])
        #expect(try hubspot.bind("SELECT COUNT() FROM Contact").isCountOnly)
        #expect(bindError(hubspot, "SELECT Id FROM Account ORDER BY COUNT()")?.code == .malformedQuery)
        #expect(bindError(hubspot, "SELECT COUNT(), Name FROM Account")?.code == .malformedQuery)
        #expect(bindError(hubspot, "SELECT Name FROM Account HAVING COUNT(Id) > 1")?.code == .malformedQuery)
    }

    @Test("API-12 WITH SECURITY_ENFORCED and WITH USER_MODE are accepted as no-ops and flagged (assumed)")
    func securityClauses() throws {
        #expect(
            try hubspot.bind("SELECT Id FROM Account WITH SECURITY_ENFORCED").security == .securityEnforced)
        #expect(try hubspot.bind("SELECT Id FROM Account WITH USER_MODE").security == .userMode)
    }

    @Test("compound fields select their components; the FROM alias may prefix paths")
    func compoundAndAlias() throws {
        let bound = try hubspot.bind("SELECT a.Name, BillingAddress FROM Account a")
        guard case .field(let address, _) = bound.columns[1] else { return }
        #expect(address.components.map(\.name).contains("BillingCity"))
        #expect(address.components.allSatisfy { $0.compoundParent == "BillingAddress" })
        guard case .field(let name, _) = bound.columns[0] else { return }
        #expect(name.name == "Name" && name.hops.isEmpty)
    }

    @Test("a semi-join subquery is bound with the user's access")
    func semiJoin() throws {
        #expect(
            bindError(
                Acme.binder(Acme.hubspot, in: Acme.unlinked),
                "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact)")?.detail
                .hasPrefix("No such column 'AccountId' on entity 'Contact'") == true)
        let linked = Acme.binder(Acme.hubspot, in: Acme.linked)
        let bound = try linked.bind(
            "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName = 'Smith')")
        guard case .semiJoin(let field, let negated, let sub)? = bound.whereClause else {
            Issue.record("expected a semi-join")
            return
        }
        #expect(field.name == "Id" && !negated && sub.object == "Contact")
        #expect(
            bindError(linked, "SELECT Id FROM Account WHERE Name IN (SELECT AccountId FROM Contact)")?.code
                == .malformedQuery)
        // Clauses not supported in subqueries are refused, never ignored.
        #expect(
            bindError(linked, "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact LIMIT 5)")?
                .code == .malformedQuery)
        #expect(
            bindError(linked, "SELECT Id, (SELECT Id FROM Contacts OFFSET 5) FROM Account")?.code
                == .malformedQuery)
    }
}

@Suite("Relationship names")
struct RelationshipIndexTests {
    @Test("standard child relationships of the catalog: Contacts, Opportunities, Cases, ChildAccounts")
    func standard() {
        let names = Acme.relationships.children(of: "Account").map(\.name)
        for expected in ["Contacts", "Opportunities", "Cases", "ChildAccounts"] {
            #expect(names.contains(expected))
        }
        #expect(Acme.relationships.child("contacts", of: "Account")?.field == "AccountId")
        #expect(Acme.relationships.child("Opportunities", of: "Account")?.childObject == "Opportunity")
    }

    @Test("custom lookups: child name is relationshipName + __r, parent name is the field with __r")
    func custom() {
        let lookup = Field(
            name: "Account__c", type: .lookup, referenceTo: ["Account"], relationshipName: "Invoices")
        let org = Org(objects: [
            "Account": SObjectType(
                name: "Account", pluralLabel: "Accounts", fields: ["Id": Field(name: "Id", type: .id)]),
            "Invoice__c": SObjectType(
                name: "Invoice__c", pluralLabel: "Invoices", fields: ["Account__c": lookup]),
        ])
        let index = RelationshipIndex(org: org)
        #expect(index.child("Invoices__r", of: "Account")?.childObject == "Invoice__c")
        #expect(RelationshipIndex.parentRelationshipName(of: lookup) == "Account__r")
        #expect(
            RelationshipIndex.parentField("account__r", of: org.objects["Invoice__c"]!)?.name == "Account__c")
    }
}
