import RecordStore
import SOQL

extension SalesforceAPI {
    /// `GET /limits/recordCount[?sObjects=A,B]` → `{"sObjects":[{"count","name"}]}`: for each named (or
    /// every readable) object, the records the user can see, counted by the same query path as
    /// `SELECT COUNT() FROM T` so that no hidden record is counted. Unreadable objects are left out.
    func recordCount(_ call: RESTCall) throws -> Reply {
        let names =
            call.query["sObjects"].map {
                $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                    !$0.isEmpty
                }
            } ?? call.access.readableObjects.sorted()
        var counts: [JSON] = []
        for name in names {
            guard let object = call.describer.readableObject(name) else { continue }
            do {
                let result = try store.query("SELECT COUNT() FROM \(object.name)", access: call.access)
                counts.append(
                    .object([("count", .number(result.totalSize)), ("name", .string(object.name))]))
            } catch is SOQLError {
                continue
            }
        }
        return Reply.json(.object([("sObjects", .array(counts))]))
    }
}
