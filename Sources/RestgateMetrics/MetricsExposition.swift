/// The two exposition formats: the registry writes Prometheus text 0.0.4, and OpenMetrics 1.0
/// is derived from it for scrapers that ask (counter and info families are named without their
/// `_total` and `_info` suffix there, and the text ends with `# EOF`).
enum MetricsExposition {
    static let textContentType = "text/plain; version=0.0.4; charset=utf-8"
    static let openMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8"

    static func render(_ text: [UInt8], accept: String?) -> (contentType: String, body: [UInt8]) {
        guard wantsOpenMetrics(accept) else { return (textContentType, text) }
        return (openMetricsContentType, openMetrics(from: text))
    }

    /// Whether `Accept` lists OpenMetrics (version 1.0.0 or unversioned) with a weight above
    /// zero, as Prometheus does when it prefers it.
    static func wantsOpenMetrics(_ accept: String?) -> Bool {
        guard let accept else { return false }
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters() }
            guard let type = parts.first, type.lowercased() == "application/openmetrics-text" else { continue }
            var version = "1.0.0"
            var weight = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters() }
                guard pair.count == 2 else { continue }
                switch pair[0].lowercased() {
                case "version": version = pair[1]
                case "q": weight = Double(pair[1]) ?? 0
                default: break
                }
            }
            if weight > 0, version == "1.0.0" { return true }
        }
        return false
    }

    static func openMetrics(from text: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count + 16)
        for line in String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true) {
            output += rewrite(line).utf8
            output.append(UInt8(ascii: "\n"))
        }
        output += "# EOF\n".utf8
        return output
    }

    /// `# TYPE x_total counter` → `# TYPE x counter`; `# TYPE x_info gauge` → `# TYPE x info`;
    /// the matching `# HELP` lines follow the family's name. Samples keep their names.
    private static func rewrite(_ line: Substring) -> String {
        guard line.hasPrefix("# TYPE ") || line.hasPrefix("# HELP ") else { return String(line) }
        let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return String(line) }
        let keyword = parts[1]
        var name = String(parts[2])
        var rest = parts.count > 3 ? String(parts[3]) : ""
        if keyword == "TYPE" {
            if rest == "counter", name.hasSuffix("_total") {
                name.removeLast("_total".count)
            } else if rest == "gauge", name.hasSuffix("_info") {
                name.removeLast("_info".count)
                rest = "info"
            }
        } else if name.hasSuffix("_total") || name.hasSuffix("_info") {
            // A HELP line comes before its TYPE line: the family is renamed the same way.
            name.removeLast(name.hasSuffix("_total") ? "_total".count : "_info".count)
        }
        return "# \(keyword) \(name)" + (rest.isEmpty ? "" : " \(rest)")
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String {
        String(self).trimmingCharacters()
    }
}

extension String {
    fileprivate func trimmingCharacters() -> String {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return String(text)
    }
}
