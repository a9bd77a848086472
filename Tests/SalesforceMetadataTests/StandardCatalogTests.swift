import AccessModel
import Foundation
import Testing

@testable import SalesforceMetadata

@Suite("StandardCatalog")
struct StandardCatalogTests {
    static let requiredObjects = [
        "Account", "Contact", "Lead", "Opportunity", "Case", "User", "Task", "Event", "Campaign", "Contract",
        "Product2", "Pricebook2", "Order", "Asset", "OpportunityLineItem", "CampaignMember", "PricebookEntry",
        "OrderItem",
    ]

    func catalog() throws -> StandardCatalog { try StandardCatalog.bundled() }

    // MARK: Decoding

    @Test("the bundled catalog decodes and carries every required standard object")
    func bundledCatalogDecodes() throws {
        let catalog = try catalog()
        for name in Self.requiredObjects {
            let object = try #require(catalog.objects[name], "missing \(name)")
            #expect(object.isInCatalog)
            #expect(object.label != nil && object.pluralLabel != nil)
            #expect(object.fields["Id"]?.type == .id)
            #expect(object.fields.count >= 10, "\(name) has only \(object.fields.count) fields")
        }
        for name in ["Account", "Contact", "Lead", "Opportunity", "Case"] {
            #expect(try #require(catalog.objects[name]).fields.count >= 30, "\(name) should be thorough")
        }
    }

    @Test("every catalog object has exactly one record name field")
    func everyObjectHasANameField() throws {
        for object in try catalog().objects.values {
            let names = object.fields.values.filter(\.isNameField).map(\.name)
            #expect(names.count == 1, "\(object.name): \(names)")
        }
    }

    @Test("every reference target names a catalog object or a reference-only object")
    func referenceTargetsResolve() throws {
        let catalog = try catalog()
        #expect(catalog.referenceOnlyObjects.isSuperset(of: ["Group", "Profile", "UserRole"]))
        for object in catalog.objects.values {
            for field in object.fields.values {
                #expect(field.type?.isReference == !field.referenceTo.isEmpty, "\(object.name).\(field.name)")
                for target in field.referenceTo {
                    #expect(
                        catalog.objects[target] != nil || catalog.referenceOnlyObjects.contains(target),
                        "\(object.name).\(field.name) → \(target)")
                }
            }
        }
    }

    @Test("standard relationships carry their targets and relationship names")
    func standardRelationships() throws {
        let objects = try catalog().objects
        let contactAccount = try #require(objects["Contact"]?.fields["AccountId"])
        #expect(contactAccount.referenceTo == ["Account"])
        #expect(contactAccount.relationshipName == "Account")
        #expect(objects["Lead"]?.fields["OwnerId"]?.referenceTo == ["Group", "User"])
        #expect(objects["Case"]?.fields["OwnerId"]?.referenceTo == ["Group", "User"])
        #expect(objects["Account"]?.fields["OwnerId"]?.referenceTo == ["User"])
        #expect(objects["Account"]?.fields["OwnerId"]?.relationshipName == "Owner")
        #expect(objects["Task"]?.fields["WhoId"]?.referenceTo == ["Contact", "Lead"])
        #expect(objects["Event"]?.fields["WhatId"]?.referenceTo.contains("Opportunity") == true)
        #expect(objects["Opportunity"]?.fields["CreatedById"]?.relationshipName == "CreatedBy")
        #expect(objects["OpportunityLineItem"]?.fields["Product2Id"]?.referenceTo == ["Product2"])
        #expect(objects["PricebookEntry"]?.fields["Pricebook2Id"]?.relationshipName == "Pricebook2")
    }

    @Test("REC-16 assumed: line items are controlled by their parent through a master-detail field")
    func rec16LineItemParents() throws {
        let objects = try catalog().objects
        #expect(objects["OpportunityLineItem"]?.masterDetailParents == ["Opportunity"])
        #expect(objects["OrderItem"]?.masterDetailParents == ["Order"])
        #expect(objects["PricebookEntry"]?.masterDetailParents == ["Pricebook2"])
        for name in ["OpportunityLineItem", "OrderItem", "PricebookEntry"] {
            #expect(objects[name]?.defaultSharingModel == .controlledByParent, "\(name)")
        }
        #expect(objects["CampaignMember"]?.defaultSharingModel == .controlledByCampaign)
        // Account children are linked through the AccountId lookup, not a master-detail field.
        #expect(objects["Contact"]?.masterDetailParents.isEmpty == true)
    }

    @Test("common picklists carry the values of a new org")
    func commonPicklists() throws {
        let objects = try catalog().objects
        #expect(objects["Opportunity"]?.fields["StageName"]?.picklistValues.first == "Prospecting")
        #expect(objects["Opportunity"]?.fields["StageName"]?.picklistValues.contains("Closed Won") == true)
        #expect(objects["Lead"]?.fields["Status"]?.picklistValues.contains("Closed - Converted") == true)
        #expect(objects["Case"]?.fields["Priority"]?.picklistValues == ["High", "Medium", "Low"])
        #expect(objects["Account"]?.fields["Rating"]?.picklistValues == ["Hot", "Warm", "Cold"])
        #expect(objects["Account"]?.fields["Industry"]?.picklistValues.count == 32)
        #expect(objects["Task"]?.fields["Status"]?.picklistValues.contains("Not Started") == true)
    }

    // MARK: Sharing (REC-2, REC-4)

    @Test("REC-4 catalog carries Spring '20 default sharing models")
    func rec4DefaultSharingModels() throws {
        let catalog = try catalog()
        let expected: [String: SharingModel?] = [
            "Account": .readWrite, "Contact": .controlledByParent, "Asset": .controlledByParent,
            "Task": .private, "Event": .private, "Campaign": .fullAccess, "Case": .readWriteTransfer,
            "Lead": .readWriteTransfer, "Contract": .readWrite, "Opportunity": .read,
            "Order": .controlledByParent, "Pricebook2": .readSelect, "User": .read, "Product2": nil,
        ]
        for (name, model) in expected {
            let object = try #require(catalog.objects[name])
            #expect(object.defaultSharingModel == model, "\(name)")
            #expect(object.sharingModel == nil, "REC-4 \(name): the catalog never states the org's own OWD")
            #expect(object.externalSharingModel == nil)
            #expect(object.grantAccessUsingHierarchies)
        }
        #expect(catalog.defaultExternalSharingModels["Account"] == .private)
        #expect(catalog.defaultExternalSharingModels["Opportunity"] == .private)
        #expect(catalog.defaultExternalSharingModels["Contact"] == .controlledByParent)
        #expect(catalog.defaultExternalSharingModels["Product2"] == nil)
    }

    // MARK: FLS (FLS-6, FLS-7, FLS-8)

    @Test("FLS-6 audit and name fields are not FLS-controllable")
    func fls6AuditAndNameFields() throws {
        for object in try catalog().objects.values {
            let id = try #require(object.fields["Id"])
            #expect(!id.isFLSControllable && id.isAlwaysReadable)
            for name in [
                "CreatedById", "CreatedDate", "LastModifiedById", "LastModifiedDate", "SystemModstamp",
            ] {
                let field = try #require(object.fields[name], "\(object.name).\(name)")
                #expect(field.isAudit && !field.isFLSControllable, "\(object.name).\(name)")
                #expect(field.isAlwaysReadable && !field.isWritableType, "FLS-7 \(object.name).\(name)")
            }
            for field in object.fields.values where field.isNameField || field.isRequired {
                #expect(!field.isFLSControllable, "\(object.name).\(field.name)")
                #expect(field.isAlwaysReadable, "\(object.name).\(field.name)")
            }
        }
    }

    @Test("FLS-6 required name fields are always editable, compound names are not")
    func fls6RequiredFieldsAlwaysEditable() throws {
        let objects = try catalog().objects
        for (object, field) in [
            ("Account", "Name"), ("Contact", "LastName"), ("Lead", "LastName"), ("Lead", "Company"),
            ("Opportunity", "Name"), ("Opportunity", "StageName"), ("Opportunity", "CloseDate"),
        ] {
            let value = try #require(objects[object]?.fields[field])
            #expect(
                value.isRequired && value.isAlwaysEditable && value.isEditableWithoutFLS, "\(object).\(field)"
            )
        }
        let contactName = try #require(objects["Contact"]?.fields["Name"])
        #expect(contactName.isNameField && contactName.isCalculated && contactName.type == .name)
        #expect(!contactName.isWritableType)
        #expect(objects["Case"]?.fields.values.filter(\.isRequired).isEmpty == true)
        #expect(objects["Case"]?.fields["CaseNumber"]?.isAutoNumber == true)
        #expect(objects["Case"]?.fields["CaseNumber"]?.isNameField == true)
        #expect(objects["Case"]?.nameFieldType == .autoNumber)
        #expect(objects["Account"]?.nameFieldType == .text)
    }

    @Test("FLS-6 the owner field is readable whenever the record is")
    func fls6Owner() throws {
        let owner = try #require(try catalog().objects["Account"]?.fields["OwnerId"])
        #expect(owner.isAlwaysReadable && !owner.isFLSControllable && !owner.isEditableWithoutFLS)
    }

    @Test("FLS-7 platform-computed fields are never writable")
    func fls7CalculatedFields() throws {
        let objects = try catalog().objects
        for (object, field) in [
            ("Account", "IsDeleted"), ("Account", "LastActivityDate"), ("Opportunity", "IsWon"),
            ("Opportunity", "ExpectedRevenue"), ("Lead", "ConvertedAccountId"), ("Case", "ClosedDate"),
        ] {
            let value = try #require(objects[object]?.fields[field], "\(object).\(field)")
            #expect(value.isCalculated && !value.isWritableType, "\(object).\(field)")
        }
        #expect(objects["Account"]?.fields["Industry"]?.isWritableType == true)
        #expect(objects["Account"]?.fields["Industry"]?.isFLSControllable == true)
    }

    @Test("FLS-8 BillingStreet is a component of the read-only compound BillingAddress")
    func fls8CompoundAddress() throws {
        let account = try #require(try catalog().objects["Account"])
        let street = try #require(account.fields["BillingStreet"])
        #expect(street.compoundParent == "BillingAddress")
        #expect(street.isWritableType && street.isFLSControllable)
        let address = try #require(account.fields["BillingAddress"])
        #expect(address.type == .address && address.isCompound && !address.isWritableType)
        // FLS-8 (A11): the compound's readability follows its components, so it is not always readable.
        #expect(!address.isAlwaysReadable)
        for component in [
            "BillingCity", "BillingState", "BillingPostalCode", "BillingCountry", "BillingLatitude",
            "BillingLongitude",
        ] {
            #expect(account.fields[component]?.compoundParent == "BillingAddress", "\(component)")
        }
        #expect(account.fields["ShippingCity"]?.compoundParent == "ShippingAddress")
    }

    @Test("FLS-8 Contact and Lead names and addresses are compounds of their components")
    func fls8CompoundNames() throws {
        let objects = try catalog().objects
        for object in ["Contact", "Lead"] {
            for component in ["FirstName", "LastName", "Salutation", "MiddleName", "Suffix"] {
                #expect(
                    objects[object]?.fields[component]?.compoundParent == "Name", "\(object).\(component)")
            }
        }
        // Name components have no FLS of their own and are editable with the record (FLS-6, assumed).
        let firstName = try #require(objects["Contact"]?.fields["FirstName"])
        #expect(!firstName.isFLSControllable && firstName.isEditableWithoutFLS)
        #expect(objects["Contact"]?.fields["MailingStreet"]?.compoundParent == "MailingAddress")
        #expect(objects["Contact"]?.fields["OtherCity"]?.compoundParent == "OtherAddress")
        #expect(objects["Lead"]?.fields["Street"]?.compoundParent == "Address")
    }

    @Test("every compoundParent names a compound field of the same object")
    func compoundParentsExist() throws {
        for object in try catalog().objects.values {
            for field in object.fields.values {
                guard let parent = field.compoundParent else { continue }
                let compound = try #require(object.fields[parent], "\(object.name).\(field.name) → \(parent)")
                #expect(compound.isCompound, "\(object.name).\(parent)")
            }
        }
    }

    // MARK: Licences (LIC-1 … LIC-5)

    @Test("LIC-2 both integration profile names belong to the Salesforce Integration licence")
    func lic2IntegrationProfiles() throws {
        let license = try #require(try catalog().userLicenses["Salesforce Integration"])
        #expect(license.isIntegration)
        #expect(!license.isExternal)
        #expect(license.profiles.contains("Minimum Access - API Only Integrations"))
        #expect(license.profiles.contains("Salesforce API Only System Integrations"))
        #expect(license.profiles.isSuperset(of: Profile.integrationProfileNames))
    }

    @Test("LIC-3 the integration licence locks API Enabled and API Only User")
    func lic3LockedPermissions() throws {
        let license = try #require(try catalog().userLicenses["Salesforce Integration"])
        #expect(license.lockedUserPermissions == ["ApiEnabled", "ApiUserOnly"])
        #expect(license.userPermissions.allows("ApiEnabled"))
        #expect(!license.userPermissions.allows("ViewAllData"))
        #expect(!license.userPermissions.allows("ModifyAllData"))
    }

    @Test("LIC-4 assumed: without the PSL the integration licence reaches custom objects, not CRM objects")
    func lic4IntegrationObjectReach() throws {
        let license = try #require(try catalog().userLicenses["Salesforce Integration"])
        #expect(license.objects.allows(objectNamed: "Invoice__c", isCustom: true))
        for crm in ["Account", "Contact", "Lead", "Opportunity", "Case", "Product2"] {
            #expect(!license.objects.allows(objectNamed: crm, isCustom: false), "\(crm)")
        }
    }

    @Test("LIC-5 the Salesforce API Integration PSL raises the ceiling to CRM objects and admin permissions")
    func lic5ApiIntegrationPsl() throws {
        let catalog = try catalog()
        let psl = try #require(catalog.permissionSetLicenses["SalesforceAPIIntegrationPsl"])
        #expect(psl.label == "Salesforce API Integration")
        #expect(psl.userLicenses == ["Salesforce Integration"])
        for object in [
            "Account", "Contact", "Lead", "Opportunity", "Case", "Campaign", "Contract", "Product2",
            "Pricebook2", "Order", "Asset", "Task", "Event",
        ] {
            #expect(psl.objects.allows(objectNamed: object, isCustom: false), "\(object)")
        }
        #expect(psl.objects.allows(objectNamed: "Invoice__c", isCustom: true))
        for permission in ["ViewAllData", "ModifyAllData", "ApiEnabled", "ApiUserOnly", "ViewSetup"] {
            #expect(psl.userPermissions.allows(permission), "\(permission)")
        }
    }

    @Test(
        "LIC-7 the Salesforce licence allows everything, Salesforce Platform excludes CRM objects (assumed)")
    func licenceScopes() throws {
        let licenses = try catalog().userLicenses
        let salesforce = try #require(licenses["Salesforce"])
        #expect(salesforce.objects.all && salesforce.userPermissions.all && !salesforce.isIntegration)
        let platform = try #require(licenses["Salesforce Platform"])
        #expect(platform.objects.allows(objectNamed: "Account", isCustom: false))
        #expect(platform.objects.allows(objectNamed: "Contact", isCustom: false))
        #expect(platform.objects.allows(objectNamed: "Custom__c", isCustom: true))
        for crm in ["Lead", "Opportunity", "Campaign", "Product2", "Pricebook2"] {
            #expect(!platform.objects.allows(objectNamed: crm, isCustom: false), "\(crm)")
        }
    }

    @Test("REC-3 community, portal and guest licences are external; internal ones are not")
    func externalLicences() throws {
        let licenses = try catalog().userLicenses
        for name in [
            "Guest User License", "Customer Community Plus Login", "Customer Community Plus",
            "High Volume Customer Portal", "Gold Partner", "Partner Community", "Authenticated Website",
        ] {
            #expect(licenses[name]?.isExternal == true, "\(name)")
        }
        for name in [
            "Salesforce", "Salesforce Platform", "Salesforce Integration", "Chatter Only",
            "Analytics Cloud Integration User",
        ] {
            #expect(licenses[name]?.isExternal == false, "\(name)")
        }
    }

    // MARK: Merge

    @Test("merge keeps the project's values and fills blanks from the catalog")
    func mergeKeepsProjectValuesAndFillsBlanks() throws {
        let catalog = try catalog()
        let projectAccount = SObjectType(
            name: "Account", label: "Organisation",
            fields: [
                // A standard-field file: no type (TRAP-10), a project label.
                "Name": Field(name: "Name", label: "Organisation Name"),
                // A standard picklist the project redefines.
                "Industry": Field(
                    name: "Industry", type: .picklist, picklistValues: ["Charity", "Government"]),
                // A standard-field file with nothing but its name.
                "BillingStreet": Field(name: "BillingStreet"),
                "Tax_Id__c": Field(name: "Tax_Id__c", label: "Tax ID", type: .text, length: 20),
            ])
        let org = Org(objects: ["Account": projectAccount])
        let merged = catalog.merged(into: org)

        let account = try #require(merged.objects["Account"])
        #expect(account.label == "Organisation")
        #expect(account.pluralLabel == "Accounts")
        #expect(account.isInCatalog)
        let name = try #require(account.fields["Name"])
        #expect(name.label == "Organisation Name")
        #expect(name.type == .text)
        #expect(name.isNameField && name.isRequired && !name.isFLSControllable && name.isAlwaysEditable)
        #expect(account.fields["Industry"]?.picklistValues == ["Charity", "Government"])
        let street = try #require(account.fields["BillingStreet"])
        #expect(
            street.type == .textArea && street.compoundParent == "BillingAddress"
                && street.label == "Billing Street")
        #expect(account.fields["Tax_Id__c"]?.label == "Tax ID")
        #expect(account.fields["CreatedDate"]?.isAudit == true)
        #expect(account.fields["OwnerId"]?.referenceTo == ["User"])

        // Catalog objects the project does not mention are added whole.
        #expect(merged.objects["Contact"] == catalog.objects["Contact"])
        #expect(merged.objects.count == catalog.objects.count)
    }

    @Test("merge fills references and relationship names only when the project leaves them empty")
    func mergeReferences() throws {
        let catalog = try catalog()
        let org = Org(objects: [
            "Contact": SObjectType(
                name: "Contact",
                fields: [
                    "AccountId": Field(name: "AccountId"),
                    "ReportsToId": Field(
                        name: "ReportsToId", type: .lookup, referenceTo: ["Contact"], relationshipName: "Boss"
                    ),
                ])
        ])
        let contact = try #require(catalog.merged(into: org).objects["Contact"])
        #expect(contact.fields["AccountId"]?.referenceTo == ["Account"])
        #expect(contact.fields["AccountId"]?.relationshipName == "Account")
        #expect(contact.fields["AccountId"]?.type == .lookup)
        #expect(contact.fields["ReportsToId"]?.relationshipName == "Boss")
    }

    @Test("REC-4 merge never sets sharingModel; the project's OWD wins and the default is kept apart")
    func mergeNeverSetsSharingModel() throws {
        let catalog = try catalog()
        let org = Org(objects: [
            "Account": SObjectType(name: "Account", sharingModel: .private, externalSharingModel: .private),
            "Lead": SObjectType(name: "Lead"),
        ])
        let merged = catalog.merged(into: org)
        #expect(merged.objects["Account"]?.sharingModel == .private)
        #expect(merged.objects["Account"]?.defaultSharingModel == .readWrite)
        #expect(merged.objects["Lead"]?.sharingModel == nil)
        #expect(merged.objects["Lead"]?.externalSharingModel == nil)
        #expect(merged.objects["Lead"]?.defaultSharingModel == .readWriteTransfer)
        for object in merged.objects.values where org.objects[object.name] == nil {
            #expect(object.sharingModel == nil, "\(object.name)")
        }
    }

    @Test("merge adds licences unless the org defines one of the same name")
    func mergeLicences() throws {
        let catalog = try catalog()
        let custom = UserLicense(
            name: "Salesforce Integration", objects: ObjectScope(customObjects: true, objects: ["Account"]))
        let org = Org(userLicenses: ["Salesforce Integration": custom])
        let merged = catalog.merged(into: org)
        #expect(merged.userLicenses["Salesforce Integration"] == custom)
        #expect(merged.userLicenses["Salesforce"] == catalog.userLicenses["Salesforce"])
        #expect(merged.permissionSetLicenses["SalesforceAPIIntegrationPsl"] != nil)
        #expect(merged.userLicenses.count == catalog.userLicenses.count)
    }

    // MARK: Strict decoding

    static let minimalLicenses = Data(
        #"{"userLicenses": [{"name": "Salesforce", "isExternal": false, "objects": {"all": true}, "userPermissions": {"all": true}}]}"#
            .utf8)

    static func objects(_ fields: String, extra: String = "") -> Data {
        Data(
            """
            {"objects": [{"name": "Widget", "label": "Widget", "pluralLabel": "Widgets",
              "defaultSharingModel": "ReadWrite", "defaultExternalSharingModel": null\(extra),
              "fields": [\(fields)]}]}
            """.utf8)
    }

    @Test("a minimal well-formed catalog decodes")
    func minimalCatalogDecodes() throws {
        let catalog = try StandardCatalog.decode(
            standardObjects: Self.objects(#"{"name": "Id", "label": "Widget ID", "type": "Id"}"#),
            licenses: Self.minimalLicenses)
        #expect(catalog.objects["Widget"]?.defaultSharingModel == .readWrite)
        #expect(catalog.defaultExternalSharingModels["Widget"] == nil)
        #expect(catalog.userLicenses["Salesforce"]?.isExternal == false)
    }

    @Test(
        "a malformed catalog is a thrown error naming the key path",
        arguments: [
            (
                #"{"name": "Id", "label": "Widget ID", "type": "Id", "isNameFeld": true}"#, "",
                "objects[0].fields[0].isNameFeld"
            ),
            (#"{"name": "Id", "label": "Widget ID", "type": "Identifier"}"#, "", "objects[0].fields[0].type"),
            (#"{"name": "Id", "label": "Widget ID", "type": 3}"#, "", "objects[0].fields[0].type"),
            (#"{"name": "Id", "label": "Widget ID"}"#, "", "objects[0].fields[0].type"),
            (
                #"{"name": "A", "label": "A", "type": "Lookup", "referenceTo": ["Nowhere"]}"#, "",
                "objects[0].fields[0].referenceTo[0]"
            ),
            (#"{"name": "A", "label": "A", "type": "Lookup"}"#, "", "objects[0].fields[0].referenceTo"),
            (
                #"{"name": "A", "label": "A", "type": "Text", "compoundParent": "B"}"#, "",
                "objects[0].fields[0].compoundParent"
            ),
            (
                #"{"name": "A", "label": "A", "type": "Text"}, {"name": "A", "label": "A", "type": "Text"}"#,
                "", "objects[0].fields[1].name"
            ),
            (
                #"{"name": "Id", "label": "Widget ID", "type": "Id"}"#, #", "owd": "Private""#,
                "objects[0].owd"
            ),
        ])
    func malformedCatalogThrows(fields: String, extra: String, keyPath: String) throws {
        let error = try #require(throws: StandardCatalogError.self) {
            try StandardCatalog.decode(
                standardObjects: Self.objects(fields, extra: extra), licenses: Self.minimalLicenses)
        }
        #expect(error.resource == "standard-objects.json")
        #expect(error.keyPath == keyPath, "\(error)")
    }

    @Test("an unknown sharing model and a PSL naming an unknown licence are errors")
    func malformedSharingAndLicences() throws {
        let badSharing = Data(
            #"{"objects": [{"name": "W", "label": "W", "pluralLabel": "Ws", "defaultSharingModel": "PublicEverything", "defaultExternalSharingModel": null, "fields": []}]}"#
                .utf8)
        let sharingError = try #require(throws: StandardCatalogError.self) {
            try StandardCatalog.decode(standardObjects: badSharing, licenses: Self.minimalLicenses)
        }
        #expect(sharingError.keyPath == "objects[0].defaultSharingModel")

        let missingDefault = Data(
            #"{"objects": [{"name": "W", "label": "W", "pluralLabel": "Ws", "defaultExternalSharingModel": null, "fields": []}]}"#
                .utf8)
        let missingError = try #require(throws: StandardCatalogError.self) {
            try StandardCatalog.decode(standardObjects: missingDefault, licenses: Self.minimalLicenses)
        }
        #expect(missingError.keyPath == "objects[0].defaultSharingModel")

        let badPsl = Data(
            #"{"userLicenses": [], "permissionSetLicenses": [{"name": "X", "userLicenses": ["Nope"], "objects": {}, "userPermissions": {}}]}"#
                .utf8)
        let pslError = try #require(throws: StandardCatalogError.self) {
            try StandardCatalog.decode(
                standardObjects: Data(#"{"objects": []}"#.utf8), licenses: badPsl)
        }
        #expect(pslError.resource == "licenses.json")
        #expect(pslError.keyPath == "permissionSetLicenses[0].userLicenses[0]")
        #expect(pslError.description.hasPrefix("licenses.json: permissionSetLicenses[0].userLicenses[0]: "))
    }
}
