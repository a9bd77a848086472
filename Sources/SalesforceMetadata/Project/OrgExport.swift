import AccessModel
import Foundation

/// Users exported from a real org with `sf data query --json`, one query per file (README):
///
///     sf data query --json -q "SELECT Id, Username, Name, IsActive, Profile.Name, Profile.UserLicense.Name, UserRole.DeveloperName FROM User" > users/users.json
///     sf data query --json -q "SELECT AssigneeId, PermissionSet.Name, PermissionSet.IsOwnedByProfile, PermissionSetGroup.DeveloperName, ExpirationDate FROM PermissionSetAssignment" > users/assignments.json
///     sf data query --json -q "SELECT AssigneeId, PermissionSetLicense.DeveloperName FROM PermissionSetLicenseAssign" > users/psl.json
///     sf data query --json -q "SELECT GroupId, Group.DeveloperName, Group.Type, UserOrGroupId FROM GroupMember" > users/members.json
///
/// Files are recognised by the `attributes.type` of their records, not by name.
public enum OrgExport {
    public struct Result: Sendable {
        public var users: [User] = []
        /// Group membership that is not a user's own (nested groups, role groups).
        public var groupMembers: [String: [GroupMember]] = [:]
    }

    /// Reads every `*.json` file of `folder`. `relativeTo` makes the paths in diagnostics short.
    public static func read(folder: URL, displayPath: String) -> (Result, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension.lowercased() == "json" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            return (
                Result(),
                [
                    .error(
                        "KH-IO-UNREADABLE", file: displayPath,
                        "cannot read the users folder '\(displayPath)' named by keyhole.yaml 'users:': \(error.localizedDescription) — create it or point 'users:' at the folder of sf data query exports"
                    )
                ]
            )
        }
        var rowsByType: [String: [(file: String, row: [String: Any])]] = [:]
        for url in files {
            let name =
                displayPath.hasSuffix("/")
                ? displayPath + url.lastPathComponent : displayPath + "/" + url.lastPathComponent
            guard let data = try? Data(contentsOf: url),
                let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else {
                diagnostics.append(
                    .error(
                        "KH-EXPORT-MALFORMED", file: name,
                        "not the JSON that 'sf data query --json' prints — re-run the query with --json"))
                continue
            }
            let result = (json["result"] as? [String: Any]) ?? json
            guard let records = result["records"] as? [[String: Any]] else {
                diagnostics.append(
                    .error(
                        "KH-EXPORT-MALFORMED", file: name,
                        "no 'result.records' array — is this the output of 'sf data query --json'?"))
                continue
            }
            for record in records {
                let type = (record["attributes"] as? [String: Any])?["type"] as? String ?? "?"
                rowsByType[type, default: []].append((name, record))
            }
        }
        for type in rowsByType.keys
        where !["User", "PermissionSetAssignment", "PermissionSetLicenseAssign", "GroupMember"].contains(type)
        {
            let file = rowsByType[type]?.first?.file
            diagnostics.append(
                .note(
                    "KH-EXPORT-IGNORED", file: file,
                    "records of type \(type) are not used; the users folder takes User, PermissionSetAssignment, PermissionSetLicenseAssign and GroupMember exports"
                ))
        }

        var result = Result()
        var indexById: [String: Int] = [:]
        for (file, row) in rowsByType["User"] ?? [] {
            guard let username = row["Username"] as? String, let id = row["Id"] as? String else {
                diagnostics.append(
                    .error(
                        "KH-EXPORT-MALFORMED", file: file,
                        "a User record has no Id or Username; include both in the query"))
                continue
            }
            let profile = path(row, "Profile", "Name")
            let license = path(row, "Profile", "UserLicense", "Name")
            guard let profile, let license else {
                diagnostics.append(
                    .error(
                        "KH-EXPORT-MALFORMED", file: file,
                        "user \(username) has no Profile.Name or Profile.UserLicense.Name; add them to the SELECT list"
                    ))
                continue
            }
            let user = User(
                username: username, name: row["Name"] as? String, id: id, license: license, profile: profile,
                role: path(row, "UserRole", "DeveloperName"), isActive: (row["IsActive"] as? Bool) ?? true)
            indexById[key(id)] = result.users.count
            result.users.append(user)
        }
        func userIndex(_ id: Any?, file: String, what: String) -> Int? {
            guard let id = id as? String else { return nil }
            if let index = indexById[key(id)] { return index }
            diagnostics.append(
                .error(
                    "KH-EXPORT-UNKNOWN-USER", file: file,
                    "\(what) names user Id \(id), which is not in the User export; export all users the rows mention"
                ))
            return nil
        }
        for (file, row) in rowsByType["PermissionSetAssignment"] ?? [] {
            guard let index = userIndex(row["AssigneeId"], file: file, what: "a PermissionSetAssignment")
            else { continue }
            let expires = (row["ExpirationDate"] as? String).flatMap(KeyholeDate.parse)
            if let group = path(row, "PermissionSetGroup", "DeveloperName") {
                result.users[index].permissionSetGroups.append(
                    Assignment(name: group, expirationDate: expires))
            } else if let name = path(row, "PermissionSet", "Name") {
                let ownedByProfile =
                    (row["PermissionSet"] as? [String: Any])?["IsOwnedByProfile"] as? Bool ?? false
                // Salesforce lists each profile as an assignment of its own permission set; skip those
                // and the permission sets a group brings (they have PermissionSetGroupId set above).
                if !ownedByProfile && !name.hasPrefix("X00e") {
                    result.users[index].permissionSets.append(Assignment(name: name, expirationDate: expires))
                }
            }
        }
        for (file, row) in rowsByType["PermissionSetLicenseAssign"] ?? [] {
            guard let index = userIndex(row["AssigneeId"], file: file, what: "a PermissionSetLicenseAssign")
            else { continue }
            if let name = path(row, "PermissionSetLicense", "DeveloperName") {
                result.users[index].permissionSetLicenses.append(name)
            }
        }
        var groupNameById: [String: (name: String, type: String)] = [:]
        for (_, row) in rowsByType["GroupMember"] ?? [] {
            if let id = row["GroupId"] as? String, let name = path(row, "Group", "DeveloperName") {
                groupNameById[key(id)] = (name, path(row, "Group", "Type") ?? "Regular")
            }
        }
        for (file, row) in rowsByType["GroupMember"] ?? [] {
            guard let groupName = path(row, "Group", "DeveloperName"),
                let member = row["UserOrGroupId"] as? String
            else {
                continue
            }
            let type = path(row, "Group", "Type") ?? "Regular"
            guard type == "Regular" else { continue }
            if member.hasPrefix("005") {
                if let index = userIndex(member, file: file, what: "a GroupMember of \(groupName)") {
                    result.users[index].groups.append(groupName)
                }
            } else if let nested = groupNameById[key(member)] {
                let converted: GroupMember
                switch nested.type {
                case "Role": converted = .role(nested.name)
                case "RoleAndSubordinates": converted = .roleAndSubordinates(nested.name)
                case "RoleAndSubordinatesInternal": converted = .roleAndInternalSubordinates(nested.name)
                case "Organization": converted = .allInternalUsers
                default: converted = .group(nested.name)
                }
                result.groupMembers[groupName, default: []].append(converted)
            } else {
                diagnostics.append(
                    .note(
                        "KH-EXPORT-UNKNOWN-GROUP", file: file,
                        "group \(groupName) has member \(member), a group or role not in the GroupMember export; its members are not counted"
                    ))
            }
        }
        return (result, diagnostics)
    }

    /// 15- and 18-character Ids name the same record.
    static func key(_ id: String) -> String { String(id.prefix(15)) }

    static func path(_ row: [String: Any], _ keys: String...) -> String? {
        var current: Any? = row
        for key in keys { current = (current as? [String: Any])?[key] }
        return current as? String
    }
}
