/// One object's permissions from one source.
struct ObjectEntry: Hashable, Sendable {
    let object: Int32
    let access: ObjectAccess
}

/// One object's field permissions from one source: bits over the object's field index.
struct FieldEntry: Hashable, Sendable {
    let object: Int32
    var read: [UInt64]
    var edit: [UInt64]

    func reads(_ field: Int) -> Bool { read[field >> 6] & (1 << UInt64(field & 63)) != 0 }
    func edits(_ field: Int) -> Bool { edit[field >> 6] & (1 << UInt64(field & 63)) != 0 }
}

/// A profile, permission set, muting set or group as sparse bit sets, sorted by object index.
struct CompiledGrants: Sendable {
    /// Non-empty entries only. For a grant source: closed under `OBJ-2`. For a muting set: as written.
    var objects: [ObjectEntry]
    /// For a grant source: `read` includes `edit` (`FLS-2`). For a muting set: `read` mutes read and
    /// edit, `edit` mutes edit only.
    var fields: [FieldEntry]
    /// Enabled user permissions (for a muting set: the muted ones).
    var userPermissions: Set<String>

    init(objects: [ObjectEntry], fields: [FieldEntry], userPermissions: Set<String>) {
        self.objects = objects
        self.fields = fields
        self.userPermissions = userPermissions
    }

    init(_ grants: PermissionGrants, layout: FieldLayout, isMuting: Bool) {
        var objects: [ObjectEntry] = []
        objects.reserveCapacity(grants.objects.count)
        for (name, access) in grants.objects {
            guard let o = layout.objectIndex[name] else { continue }
            let value = isMuting ? access : access.closedUnderDependencies
            if !value.isEmpty { objects.append(ObjectEntry(object: Int32(o), access: value)) }
        }
        objects.sort { $0.object < $1.object }
        self.objects = objects

        // Dense scratch over the org's field words, then one entry per touched object.
        var read = [UInt64](repeating: 0, count: layout.totalWords)
        var edit = read
        var touched: [Int32] = []
        var isTouched = [Bool](repeating: false, count: layout.wordCount.count)
        for (key, access) in grants.fields {
            guard let (o, f) = layout.fieldKeys[key] else { continue }
            let readable = isMuting ? access.readable : (access.readable || access.editable)
            let editable = access.editable
            guard readable || editable else { continue }
            let w = layout.wordOffset[Int(o)] + Int(f >> 6)
            let bit: UInt64 = 1 << UInt64(f & 63)
            if !isTouched[Int(o)] {
                isTouched[Int(o)] = true
                touched.append(o)
            }
            if readable { read[w] |= bit }
            if editable { edit[w] |= bit }
        }
        touched.sort()
        fields = touched.map { o in
            let base = layout.wordOffset[Int(o)]
            let count = layout.wordCount[Int(o)]
            return FieldEntry(
                object: o, read: Array(read[base..<base + count]), edit: Array(edit[base..<base + count]))
        }
        userPermissions = grants.enabledUserPermissions
    }

    func access(_ object: Int) -> ObjectAccess {
        var low = 0
        var high = objects.count
        while low < high {
            let mid = (low + high) / 2
            let value = Int(objects[mid].object)
            if value == object { return objects[mid].access }
            if value < object { low = mid + 1 } else { high = mid }
        }
        return []
    }

    func fieldEntry(_ object: Int) -> FieldEntry? {
        var low = 0
        var high = fields.count
        while low < high {
            let mid = (low + high) / 2
            let value = Int(fields[mid].object)
            if value == object { return fields[mid] }
            if value < object { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    func reads(object: Int, field: Int) -> Bool { fieldEntry(object)?.reads(field) ?? false }
    func edits(object: Int, field: Int) -> Bool { fieldEntry(object)?.edits(field) ?? false }
}
