import AccessModel

extension Field {
    /// The describe `type`: only Salesforce's own names, since clients reject any other
    /// (`rest-api.md` §2.3: tap raises on an unknown type).
    var apiType: String {
        if name == "Id" { return "id" }
        guard let type else { return "string" }
        switch type {
        case .id: return "id"
        case .text, .autoNumber, .name: return "string"
        case .textArea, .longTextArea, .html: return "textarea"
        case .encryptedText: return "encryptedstring"
        case .email: return "email"
        case .phone: return "phone"
        case .url: return "url"
        case .number:
            // Standard whole-number fields (`NumberOfEmployees`) are `int`; custom numbers are `double`
            // (the same rule the record store formats values by).
            return !isCustom && (scale ?? 0) == 0 ? "int" : "double"
        case .currency: return "currency"
        case .percent: return "percent"
        case .checkbox: return "boolean"
        case .date: return "date"
        case .dateTime: return "datetime"
        case .time: return "time"
        case .picklist: return "picklist"
        case .multiselectPicklist: return "multipicklist"
        case .summary: return "double"
        case .address: return "address"
        case .location: return "location"
        default:
            if type.isReference { return "reference" }
            switch type.rawValue {
            case "Long": return "long"
            case "Base64", "File": return "base64"
            case "ComboBox", "Combobox": return "combobox"
            default: return "string"
            }
        }
    }

    /// The describe `soapType` for `apiType`.
    var soapType: String {
        switch apiType {
        case "id", "reference": "tns:ID"
        case "boolean": "xsd:boolean"
        case "int": "xsd:int"
        case "long": "xsd:long"
        case "double", "currency", "percent": "xsd:double"
        case "date": "xsd:date"
        case "datetime": "xsd:dateTime"
        case "time": "xsd:time"
        case "base64": "xsd:base64Binary"
        case "address": "urn:address"
        case "location": "urn:location"
        default: "xsd:string"
        }
    }

    /// `length` of text-like fields (0 for the others, as Salesforce reports).
    var describeLength: Int {
        switch apiType {
        case "id", "reference": 18
        case "string", "textarea", "encryptedstring", "email", "phone", "url", "combobox":
            length ?? (type == .longTextArea ? 32768 : 255)
        case "picklist", "multipicklist": length ?? 255
        default: 0
        }
    }
}
