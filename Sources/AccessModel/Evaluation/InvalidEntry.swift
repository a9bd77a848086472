/// An invalid assignment of one key; the user's name is filled in when the message is rendered.
struct InvalidEntry: Hashable, Sendable {
    let kind: InvalidAssignment.Kind
    let name: String
    let rule: String
    /// The part of Salesforce's message after "Can't assign … to user <User>. ".
    let detail: String

    func assignment(user: String) -> InvalidAssignment {
        let message: String
        switch kind {
        case .profile: message = "Can't assign profile \(name) to user \(user). \(detail)"
        case .permissionSet: message = "Can't assign permission set \(name) to user \(user). \(detail)"
        case .permissionSetGroup:
            message = "Can't assign permission set group \(name) to user \(user). \(detail)"
        }
        return InvalidAssignment(kind: kind, name: name, rule: rule, message: message)
    }
}
