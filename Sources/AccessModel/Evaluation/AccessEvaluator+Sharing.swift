extension AccessEvaluator {
    /// The record-sharing evaluator for this org, fed with this evaluator's object and system
    /// permissions, so record access is capped by exactly the object access `explain` shows (`OBJ-9`,
    /// `REC-18`) and nothing derives permissions twice.
    ///
    /// With `everyUserFirst` (for visibility of many users) every user's access is computed up front, in
    /// parallel; without it, each user's the first time a decision needs it (one record explained).
    public func sharingEvaluator(
        options: SharingEvaluator.Options = SharingEvaluator.Options(), everyUserFirst: Bool = true
    ) -> SharingEvaluator {
        let accessByUser =
            everyUserFirst
            ? Dictionary(
                evaluateAll().map { ($0.user.username.lowercased(), $0) },
                uniquingKeysWith: { first, _ in first }) : [:]
        let view = ObjectPermissionsView(
            objectAccess: { user, object in
                (accessByUser[user.username.lowercased()] ?? evaluate(user)).objectAccess(object)
            },
            viewAllData: { user in
                (accessByUser[user.username.lowercased()] ?? evaluate(user)).hasSystemPermission(
                    "ViewAllData")
            },
            modifyAllData: { user in
                (accessByUser[user.username.lowercased()] ?? evaluate(user)).hasSystemPermission(
                    "ModifyAllData")
            },
            systemPermissionsExpanded: true)
        return SharingEvaluator(org: org, permissions: view, options: options)
    }
}
