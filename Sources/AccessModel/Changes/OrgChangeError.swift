/// Why an `OrgChange` could not be parsed or applied: a stable code, a message naming what is wrong,
/// and, for unknown names, the closest known one.
public struct OrgChangeError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable, CaseIterable {
        case syntax = "KH-CHANGE-SYNTAX"
        case unknownUser = "KH-CHANGE-UNKNOWN-USER"
        case unknownSource = "KH-CHANGE-UNKNOWN-SOURCE"
        case unknownObject = "KH-CHANGE-UNKNOWN-OBJECT"
        case unknownField = "KH-CHANGE-UNKNOWN-FIELD"
        case alreadyAssigned = "KH-CHANGE-ALREADY-ASSIGNED"
        case notAssigned = "KH-CHANGE-NOT-ASSIGNED"
        case notGranted = "KH-CHANGE-NOT-GRANTED"
        /// Id, name, audit, required fields: no field permission exists for them (`FLS-6`).
        case fieldNotControllable = "KH-CHANGE-FIELD-NOT-CONTROLLABLE"
        /// Formula, roll-up, auto-number, audit and compound fields are never editable (`FLS-7`).
        case fieldNotWritable = "KH-CHANGE-FIELD-NOT-WRITABLE"
        /// Object permissions without their prerequisites (`OBJ-2`).
        case objectDependency = "KH-CHANGE-OBJECT-DEPENDENCY"
    }

    public var code: Code
    public var message: String
    /// The closest known name, for "did you mean".
    public var suggestion: String?

    public init(_ code: Code, _ message: String, suggestion: String? = nil) {
        self.code = code
        self.message = message
        self.suggestion = suggestion
    }

    /// The message with ` Did you mean 'X'?` when there is a suggestion.
    public var description: String {
        message + (suggestion.map { ". Did you mean '\($0)'?" } ?? "")
    }
}
