import Foundation
import Testing

@testable import AccessModel

@Suite("Properties over random orgs")
struct PropertyTests {
    static let seeds: [UInt64] = Array(1...40)

    @Test("FLS-3 LIC-10 monotonicity: adding a valid assignment never removes access", arguments: seeds)
    func monotonicity(seed: UInt64) {
        let org = RandomOrg.org(seed: seed)
        let evaluator = AccessEvaluator(org: org, now: Fixture.now)
        var rng = SplitMix64(seed: seed &* 7919)
        for _ in 0..<8 {
            let user = RandomOrg.user(&rng, org: org)
            var bigger = user
            let addGroup = rng.chance(0.3)
            let added: String
            if addGroup {
                added = rng.pick(org.permissionSetGroups.keys.sorted())
                bigger.permissionSetGroups.append(Assignment(name: added))
            } else {
                added = rng.pick(org.permissionSets.keys.sorted())
                bigger.permissionSets.append(Assignment(name: added))
            }
            let before = evaluator.evaluate(user)
            let after = evaluator.evaluate(bigger)
            if after.invalidAssignments.contains(where: { $0.name == added }) { continue }
            #expect(
                Set(before.invalidAssignments.map(\.name)).isSuperset(
                    of: after.invalidAssignments.map(\.name)),
                "validity only grows with more PSLs")
            #expect(
                RandomOrg.Snapshot(before, org: org).isCovered(by: RandomOrg.Snapshot(after, org: org)),
                "seed \(seed): adding \(added) removed access")
        }
    }

    @Test("CLS-6 relabelling every field's classification changes no decision", arguments: seeds)
    func classificationInert(seed: UInt64) {
        let org = RandomOrg.org(seed: seed)
        var relabelled = org
        var rng = SplitMix64(seed: seed ^ 0xC1A5)
        for name in relabelled.objects.keys.sorted() {
            for field in relabelled.objects[name]!.fields.keys.sorted() {
                relabelled.objects[name]!.fields[field]!.classification = RandomOrg.classification(&rng)
            }
        }
        let a = AccessEvaluator(org: org, now: Fixture.now)
        let b = AccessEvaluator(org: relabelled, now: Fixture.now)
        for _ in 0..<5 {
            let user = RandomOrg.user(&rng, org: org)
            let left = a.evaluate(user)
            let right = b.evaluate(user)
            for object in org.objects.keys.sorted() {
                let x = left.objectDecision(object)
                let y = right.objectDecision(object)
                #expect(x.access == y.access && x.reasons == y.reasons && x.sources == y.sources)
                for (f, g) in zip(x.fields, y.fields) {
                    #expect(
                        f.read == g.read && f.edit == g.edit && f.masked == g.masked && f.reasons == g.reasons
                    )
                }
            }
        }
    }

    @Test(
        "PSG-3 PSG-4 muting one group never removes access from the profile or other sources",
        arguments: seeds)
    func mutingIsLocal(seed: UInt64) {
        let org = RandomOrg.org(seed: seed)
        var rng = SplitMix64(seed: seed &+ 104_729)
        for _ in 0..<6 {
            var user = RandomOrg.user(&rng, org: org)
            let group = rng.pick(org.permissionSetGroups.keys.sorted())
            var heavilyMuted = org
            heavilyMuted.mutingPermissionSets["M_heavy"] = MutingPermissionSet(
                name: "M_heavy",
                mutes: RandomOrg.grants(&rng, objects: Array(org.objects.values), density: 0.9))
            heavilyMuted.permissionSetGroups[group]!.mutingPermissionSet = "M_heavy"
            user.permissionSetGroups.removeAll { $0.name == group }
            let without = AccessEvaluator(org: org, now: Fixture.now).evaluate(user)
            var with = user
            with.permissionSetGroups.append(Assignment(name: group))
            let muted = AccessEvaluator(org: heavilyMuted, now: Fixture.now).evaluate(with)
            if muted.invalidAssignments.contains(where: { $0.name == group }) { continue }
            #expect(
                RandomOrg.Snapshot(without, org: org).isCovered(by: RandomOrg.Snapshot(muted, org: org)),
                "seed \(seed): muting \(group) removed access from other sources")
        }
    }

    @Test("Reasons are never empty and agree with the decision", arguments: seeds)
    func reasonsAgree(seed: UInt64) {
        let org = RandomOrg.org(seed: seed)
        let evaluator = AccessEvaluator(org: org, now: Fixture.now)
        var rng = SplitMix64(seed: seed &* 31)
        let granting: Set<Reason.Kind> = [
            .grantedBy, .latentProfileFieldPermission, .viewAllFields, .alwaysReadable,
        ]
        for _ in 0..<4 {
            let access = evaluator.evaluate(RandomOrg.user(&rng, org: org))
            for object in org.objects.keys.sorted() {
                let decision = access.objectDecision(object)
                #expect(!decision.reasons.isEmpty)
                if decision.canRead {
                    #expect(
                        decision.reasons.contains {
                            $0.permission == "Read" && ($0.kind == .grantedBy || $0.kind == .systemPermission)
                        })
                }
                for field in decision.fields {
                    #expect(!field.reasons.isEmpty, "\(field.path)")
                    if field.read {
                        #expect(field.reasons.contains { granting.contains($0.kind) }, "\(field.path)")
                    }
                    if field.edit {
                        #expect(
                            field.reasons.contains {
                                $0.permission == "Edit"
                                    && ($0.kind == .grantedBy || $0.kind == .alwaysEditable
                                        || $0.kind == .latentProfileFieldPermission)
                            })
                    }
                    #expect(!field.edit || field.read, "FLS-2 editable implies readable")
                }
            }
        }
    }

    @Test("Batch and single evaluation agree, and the cache is transparent", arguments: [UInt64(3), 9, 27])
    func batchAgrees(seed: UInt64) {
        let org = RandomOrg.org(seed: seed)
        let evaluator = AccessEvaluator(org: org, now: Fixture.now)
        var rng = SplitMix64(seed: seed)
        let users = (0..<30).map { _ in RandomOrg.user(&rng, org: org) }
        let batch = evaluator.evaluate(users)
        for (user, access) in zip(users, batch) {
            #expect(
                RandomOrg.Snapshot(access, org: org) == RandomOrg.Snapshot(evaluator.evaluate(user), org: org)
            )
        }
    }

    @Test("Who-can reverse lookups agree with evaluating every user", arguments: [UInt64(2), 5, 11, 17])
    func whoCanAgrees(seed: UInt64) {
        var org = RandomOrg.org(seed: seed)
        var rng = SplitMix64(seed: seed &+ 99)
        org.users = (0..<25).map { i in
            var user = RandomOrg.user(&rng, org: org)
            user.username = "u\(i)@example.com"
            return user
        }
        let evaluator = AccessEvaluator(org: org, now: Fixture.now)
        let all = evaluator.evaluateAll()
        for object in org.objects.keys.sorted() {
            for wanted in [ObjectAccess.read, .edit, [.read, .viewAllRecords]] {
                let expected = all.filter { $0.objectAccess(object).isSuperset(of: wanted) }.map(
                    \.user.username)
                let found = evaluator.usersWith(objectAccess: wanted, on: object)
                #expect(found.map(\.user.username) == expected)
                for (user, decision) in found {
                    let full = all.first { $0.user.username == user.username }!.objectDecision(
                        object, includeFields: false)
                    #expect(decision == full)
                }
            }
            for field in org.objects[object]!.fields.keys.sorted() {
                for kind in FieldAccessKind.allCases {
                    let expected = all.filter {
                        kind == .read
                            ? $0.canRead(object: object, field: field)
                            : $0.canEdit(object: object, field: field)
                    }.map(\.user.username)
                    let found = evaluator.usersWith(fieldAccess: kind, object: object, field: field)
                    #expect(found.map(\.user.username) == expected, "\(object).\(field) \(kind)")
                    for (user, decision) in found {
                        #expect(
                            decision
                                == all.first { $0.user.username == user.username }!.fieldDecision(
                                    object: object, field: field))
                    }
                }
            }
        }
    }
}

@Suite("Narrowed evaluation scope")
struct EvaluationScopeTests {
    /// `explain --field` indexes one object and one user's sources; every answer it gives must be the
    /// whole org's. Grant-only names (a field and an object the schema lacks) are added so the scope must
    /// find them in the user's own sources.
    @Test(
        "a scope of one object and one user decides that user's object and fields as the whole org does",
        arguments: PropertyTests.seeds.prefix(20))
    func narrowScopeAgrees(seed: UInt64) {
        var org = RandomOrg.org(seed: seed)
        var rng = SplitMix64(seed: seed ^ 0x5C0F)
        let objects = org.objects.keys.sorted()
        for name in org.permissionSets.keys.sorted() where rng.chance(0.3) {
            org.permissionSets[name]!.grants.fields["\(rng.pick(objects)).Ghost__c"] = FieldAccess(
                readable: true, editable: rng.chance(0.5))
            org.permissionSets[name]!.grants.objects["Ghost_Object__c"] = .read
        }
        let whole = AccessEvaluator(org: org, now: Fixture.now)
        for _ in 0..<6 {
            let user = RandomOrg.user(&rng, org: org)
            let expected = whole.evaluate(user)
            // The objects and fields this user's own sources name.
            var own: [PermissionGrants] = [org.profiles[user.profile]?.grants].compactMap { $0 }
            own += user.permissionSets.compactMap { org.permissionSets[$0.name]?.grants }
            for assignment in user.permissionSetGroups {
                guard let group = org.permissionSetGroups[assignment.name] else { continue }
                own += group.permissionSets.compactMap { org.permissionSets[$0]?.grants }
                own += [group.mutingPermissionSet.flatMap { org.mutingPermissionSets[$0]?.mutes }].compactMap
                { $0 }
            }
            let ownNames = Set(own.flatMap { Array($0.objects.keys) + Array($0.fields.keys) })
            for object in objects + ["Ghost_Object__c"] {
                // Asked without case, as the command line may.
                let scope = EvaluationScope(objects: [object.lowercased()], users: [user])
                let narrow = AccessEvaluator(org: org, now: Fixture.now, scope: scope).evaluate(user)
                let part = narrow.objectDecision(object)
                let all = expected.objectDecision(object)
                #expect(narrow.sources == expected.sources)
                #expect(narrow.invalidAssignments == expected.invalidAssignments)
                #expect(narrow.systemPermissions == expected.systemPermissions)
                if part.reasons.contains(where: { $0.kind == .unknownObject }) {
                    // Named only by other users' grants: unknown to the narrow index, so explain asks the
                    // whole org (where View All Data may still reach it).
                    #expect(!ownNames.contains(object), "seed \(seed) \(object)")
                    continue
                }
                #expect(
                    part.access == all.access && part.reasons == all.reasons && part.sources == all.sources)
                let wholeFields = Dictionary(all.fields.map { ($0.field, $0) }) { a, _ in a }
                for decision in part.fields {
                    #expect(wholeFields[decision.field] == decision, "seed \(seed) \(object)")
                }
                let narrowFields = Set(part.fields.map(\.field))
                for decision in all.fields where !narrowFields.contains(decision.field) {
                    // Likewise a field only other users' grants name.
                    #expect(
                        org.objects[object]?.fields[decision.field] == nil
                            && !ownNames.contains("\(object).\(decision.field)"),
                        "seed \(seed) \(object).\(decision.field)")
                }
            }
        }
    }
}
