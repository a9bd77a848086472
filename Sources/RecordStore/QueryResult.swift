/// One page of a `query` / `queryAll` result (`rest-api.md` §2.4), or a child subquery's rows.
public struct QueryResult: Hashable, Sendable {
    /// Every row the query matches (visible rows only, `API-10`); for `COUNT()` the count.
    public var totalSize: Int
    /// True on the last page.
    public var done: Bool
    /// This page's records, in query order.
    public var records: [ResultRecord]
    /// `{locator}-{offset}` of the next page when `done` is false: the server answers
    /// `nextRecordsUrl = "/services/data/vNN.0/query/" + nextLocator` and passes the path's last
    /// segment back to `RecordStore.queryMore(_:access:batchSize:)`.
    public var nextLocator: String?

    public init(totalSize: Int, done: Bool, records: [ResultRecord], nextLocator: String? = nil) {
        self.totalSize = totalSize
        self.done = done
        self.records = records
        self.nextLocator = nextLocator
    }
}
