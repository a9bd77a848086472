/// Checks that a set of sharing rules could be saved in Salesforce (`REC-9`…`REC-12`).
extension SharingRule {
    /// Problems with this rule against the org: an individual user as target is an error (`REC-9`, `T06`);
    /// unknown groups or roles, unknown criteria fields and operations, bad `booleanFilter`, and levels
    /// Salesforce refuses are errors too. `file` names the rule file in the diagnostics.
    public func validate(in org: Org, file: String? = nil) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let label = "sharing rule `\(object).\(name)`"
        func check(_ principal: SharingPrincipal, role: String) {
            switch principal.kind {
            case "user":
                out.append(
                    .error(
                        "KH-SHARING-RULE-USER-TARGET", file: file,
                        "\(label) \(role) user `\(principal.name)`; sharing rules cannot target individual users (REC-9). Put the user in a public group and share with the group."
                    ))
            case "group":
                if org.groups[principal.name] == nil {
                    out.append(
                        .error(
                            "KH-SHARING-RULE-UNKNOWN-GROUP", file: file,
                            "\(label) \(role) group `\(principal.name)`, which is not in the project.\(Suggestion.hint(for: principal.name, in: org.groups.keys))"
                        ))
                }
            case "role", "roleAndSubordinates", "roleAndSubordinatesInternal":
                if org.roles[principal.name] == nil {
                    out.append(
                        .error(
                            "KH-SHARING-RULE-UNKNOWN-ROLE", file: file,
                            "\(label) \(role) role `\(principal.name)`, which is not in the project.\(Suggestion.hint(for: principal.name, in: org.roles.keys))"
                        ))
                }
            default: break
            }
        }
        check(sharedTo, role: "shares with")
        switch kind {
        case .owner(let from): check(from, role: "shares records owned by")
        case .criteria(let filter, _), .guest(let filter, _):
            let type = org.object(named: object)
            let matcher = CriteriaMatcher(filter, object: type)
            for problem in matcher.problems {
                out.append(.error("KH-SHARING-RULE-CRITERIA", file: file, "\(label): \(problem)."))
            }
            if let type {
                for item in filter.items where type.fields[item.field] == nil && item.field != "OwnerId" {
                    out.append(
                        .error(
                            "KH-SHARING-RULE-UNKNOWN-FIELD", file: file,
                            "\(label) filters on `\(item.field)`, which is not a field of \(object).\(Suggestion.hint(for: item.field, in: type.fields.keys))"
                        ))
                }
            }
        case .territory: break
        }
        if object != "Account", accessLevel == .all {
            out.append(
                .error(
                    "KH-SHARING-RULE-LEVEL", file: file,
                    "\(label) has accessLevel All; only Read or Edit is allowed outside Account (REC-12)."))
        }
        if accessLevel == .none {
            out.append(
                .error(
                    "KH-SHARING-RULE-LEVEL", file: file,
                    "\(label) has accessLevel None; use Read or Edit (REC-12)."))
        }
        if let settings = accountSettings,
            [settings.caseAccessLevel, settings.contactAccessLevel, settings.opportunityAccessLevel].contains(
                .all)
        {
            out.append(
                .error(
                    "KH-SHARING-RULE-LEVEL", file: file,
                    "\(label) gives All to account children; case, contact and opportunity levels are None, Read or Edit (REC-12)."
                ))
        }
        return out
    }

    /// Problems of every rule in the org, in rule order.
    public static func validate(_ org: Org) -> [Diagnostic] {
        org.sharingRules.flatMap { $0.validate(in: org) }
    }
}
