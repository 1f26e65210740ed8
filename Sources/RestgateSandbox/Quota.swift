import Foundation
import RestgateHTTP
import RestgateJSON
import RestgateServer

/// The bank's invitation quota: a monthly and a weekly allowance, counted per calendar month
/// and ISO week.
struct Quota: Sendable {
    var perMonth: Int
    var perWeek: Int
    private var usedByMonth: [String: Int] = [:]
    private var usedByWeek: [String: Int] = [:]

    init(perMonth: Int, perWeek: Int) {
        self.perMonth = perMonth
        self.perWeek = perWeek
    }

    private static func keys(_ date: Date) -> (month: String, week: String) {
        let calendar = Calendar(identifier: .iso8601)
        let parts = calendar.dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return ("\(parts.year ?? 0)-\(parts.month ?? 0)", "\(parts.yearForWeekOfYear ?? 0)-W\(parts.weekOfYear ?? 0)")
    }

    func left(at date: Date) -> (month: Int, week: Int) {
        let (month, week) = Self.keys(date)
        return (max(0, perMonth - (usedByMonth[month] ?? 0)), max(0, perWeek - (usedByWeek[week] ?? 0)))
    }

    /// Spends one invitation, or throws the documented error for the allowance that is spent.
    mutating func spend(at date: Date) throws(SandboxError) {
        let left = left(at: date)
        if left.month == 0 { throw SandboxError("No more invitations left this month") }
        if left.week == 0 { throw SandboxError("No more invitations left this week") }
        let (month, week) = Self.keys(date)
        usedByMonth[month, default: 0] += 1
        usedByWeek[week, default: 0] += 1
    }
}
