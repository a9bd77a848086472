import Foundation
import RecordStore

/// The Bulk API 2.0 query jobs of a running server, by Id. A job belongs to the user who created it;
/// other users see `NOT_FOUND`.
actor BulkQueryJobs {
    private var jobs: [String: BulkQueryJob] = [:]
    let now: @Sendable () -> Date

    init(now: @escaping @Sendable () -> Date) { self.now = now }

    func add(_ job: BulkQueryJob) { jobs[job.id] = job }

    /// The job `id` of `username`; a poll marks it polled (answers `JobComplete` from then on).
    func job(_ id: String, of username: String, poll: Bool = false) -> BulkQueryJob? {
        guard var job = jobs[id], job.username.caseInsensitiveCompare(username) == .orderedSame else {
            return nil
        }
        if poll, job.state == .uploadComplete {
            job.state = .jobComplete
            job.polled = true
            jobs[id] = job
        }
        return job
    }

    func update(_ job: BulkQueryJob) { jobs[job.id] = job }

    func remove(_ id: String) { jobs[id] = nil }

    func all(of username: String) -> [BulkQueryJob] {
        jobs.values.filter { $0.username.caseInsensitiveCompare(username) == .orderedSame }
            .sorted { $0.createdDate < $1.createdDate }
    }
}
