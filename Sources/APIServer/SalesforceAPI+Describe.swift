import Hummingbird

extension SalesforceAPI {
    /// `/sobjects`, `/sobjects/{T}`, `/sobjects/{T}/describe`, `/sobjects/{T}/{id}`,
    /// `/sobjects/{T}/{field}/{value}`.
    func sobjects(_ call: RESTCall) async throws -> Reply {
        let path = call.path
        switch path.count {
        case 1:
            try call.require(.get)
            return Reply.json(call.describer.global())
        case 2:
            try call.require(.get, .post)
            if call.method == .post { return try create(call, object: path[1]) }
            return Reply.json(try call.describer.basicInfo(path[1]))
        case 3 where path[2] == "describe":
            try call.require(.get)
            return Reply.json(try call.describer.describe(path[1]))
        case 3:
            return try record(call, object: path[1], id: path[2])
        case 4 where path[2] != "describe":
            return try recordByExternalId(call, object: path[1], field: path[2], value: path[3])
        default:
            throw APIError.notFound
        }
    }
}
