import Foundation

/// The API request count behind `Sforce-Limit-Info: api-usage=N/M` and `/limits`' `DailyApiRequests`
/// (`rest-api.md` §2.7). The allowance is large, so tap-salesforce's quota checks (abort above 80 % used,
/// or above 25 % in one run) never trip against a local server.
public actor APIUsage {
    public let dailyLimit: Int
    private(set) var used = 0
    private var bulkQueryJobs = 0

    public init(dailyLimit: Int = 5_000_000) { self.dailyLimit = dailyLimit }

    /// Counts one request and returns the header value after it.
    public func count() -> String {
        used += 1
        return "api-usage=\(used)/\(dailyLimit)"
    }

    public func countBulkQueryJob() { bulkQueryJobs += 1 }

    /// `GET /limits`: Salesforce's usual keys, with the requests counted so far.
    public func limits() -> JSON {
        func limit(_ max: Int, _ used: Int = 0) -> JSON {
            .object([("Max", .number(max)), ("Remaining", .number(Swift.max(0, max - used)))])
        }
        return .object([
            ("ActiveScratchOrgs", limit(3)),
            ("AnalyticsExternalDataSizeMB", limit(40960)),
            ("ConcurrentAsyncGetReportInstances", limit(200)),
            ("ConcurrentSyncReportRuns", limit(20)),
            ("DailyAnalyticsDataflowJobExecutions", limit(60)),
            ("DailyApiRequests", limit(dailyLimit, used)),
            ("DailyAsyncApexExecutions", limit(250_000)),
            ("DailyBulkApiBatches", limit(15_000)),
            ("DailyBulkV2QueryFileStorageMB", limit(976_562)),
            ("DailyBulkV2QueryJobs", limit(10_000, bulkQueryJobs)),
            ("DailyGenericStreamingApiEvents", limit(10_000)),
            ("DailyStreamingApiEvents", limit(10_000)),
            ("DailyWorkflowEmails", limit(1_890)),
            ("DataStorageMB", limit(5)),
            ("FileStorageMB", limit(20)),
            ("HourlyAsyncReportRuns", limit(1_200)),
            ("HourlyDashboardRefreshes", limit(200)),
            ("HourlyODataCallout", limit(10_000)),
            ("HourlySyncReportRuns", limit(500)),
            ("HourlyTimeBasedWorkflow", limit(50)),
            ("MassEmail", limit(10)),
            ("SingleEmail", limit(15)),
            ("StreamingApiConcurrentClients", limit(20)),
        ])
    }
}
