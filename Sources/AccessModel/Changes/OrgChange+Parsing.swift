/// Reading changes from their command-line spelling:
///
/// - `--assign permissionSet:NAME` / `--assign permissionSetGroup:NAME` (with `--user U`)
/// - `--unassign permissionSet:NAME` / `--unassign permissionSetGroup:NAME` (with `--user U`)
/// - `--mute permissionSetGroup:G/Object.Field` (optionally `=edit` to mute edit only)
/// - `--set-fls profile:P/Object.Field=none|read|edit`, `--set-fls permissionSet:S/Object.Field=…`
///
/// Parsing checks only the syntax; names are checked against the org by `apply`.
extension OrgChange {
    public static func parseAssign(_ text: String, user: String) throws(OrgChangeError) -> OrgChange {
        switch try assignment(text, option: "--assign") {
        case (.permissionSet, let name): .assign(user: user, permissionSet: name)
        case (_, let name): .assignGroup(user: user, group: name)
        }
    }

    public static func parseUnassign(_ text: String, user: String) throws(OrgChangeError) -> OrgChange {
        let (kind, name) = try assignment(text, option: "--unassign")
        return .unassign(user: user, source: PermissionSource.id(kind, name))
    }

    public static func parseMute(_ text: String) throws(OrgChangeError) -> OrgChange {
        let usage = "--mute takes permissionSetGroup:GROUP/Object.Field (optionally =edit), not '\(text)'"
        var body = text.trimmed
        var access = FieldAccessKind.read
        if let equals = body.lastIndex(of: "=") {
            let value = body[body.index(after: equals)...].lowercased()
            guard let kind = FieldAccessKind(rawValue: value) else {
                throw OrgChangeError(.syntax, usage + "; the muted access is read (the default) or edit")
            }
            access = kind
            body = String(body[..<equals])
        }
        guard let (source, field) = splitTarget(body), let (kind, group) = splitSource(source),
            kind == .permissionSetGroup, FieldPath.split(field) != nil
        else { throw OrgChangeError(.syntax, usage) }
        return .mute(group: group, field: field, access: access)
    }

    public static func parseSetFLS(_ text: String) throws(OrgChangeError) -> OrgChange {
        let usage =
            "--set-fls takes profile:P/Object.Field=none|read|edit or permissionSet:S/Object.Field=…, not '\(text)'"
        let body = text.trimmed
        guard let equals = body.lastIndex(of: "=") else { throw OrgChangeError(.syntax, usage) }
        let access: FieldAccess
        switch body[body.index(after: equals)...].lowercased() {
        case "none": access = .none
        case "read": access = .read
        case "edit": access = .edit
        default: throw OrgChangeError(.syntax, usage + "; the access is none, read or edit")
        }
        guard let (source, field) = splitTarget(String(body[..<equals])),
            let (kind, _) = splitSource(source), kind != .permissionSetGroup, FieldPath.split(field) != nil
        else { throw OrgChangeError(.syntax, usage) }
        return .setFLS(source: source, field: field, access: access)
    }

    /// `permissionSet:NAME` or `permissionSetGroup:NAME`.
    static func assignment(_ text: String, option: String) throws(OrgChangeError) -> (
        PermissionSource.Kind, String
    ) {
        guard let (kind, name) = splitSource(text.trimmed), kind != .profile else {
            throw OrgChangeError(
                .syntax,
                "\(option) takes permissionSet:NAME or permissionSetGroup:NAME, not '\(text)'"
                    + (text.lowercased().hasPrefix("profile:")
                        ? " (a user's profile cannot be (un)assigned)" : ""))
        }
        return (kind, name)
    }

    /// `source/Object.Field` split at the last `/` (field names have none; source names may).
    static func splitTarget(_ text: String) -> (String, String)? {
        guard let slash = text.lastIndex(of: "/") else { return nil }
        let source = String(text[..<slash])
        let target = String(text[text.index(after: slash)...])
        return source.isEmpty || target.isEmpty ? nil : (source, target)
    }
}

extension String {
    fileprivate var trimmed: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
