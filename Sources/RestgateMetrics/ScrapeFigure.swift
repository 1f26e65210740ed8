/// A figure another module keeps (an atomic counter, a breaker's state) and the metrics read
/// at each scrape: a counter is brought up to `value`, a gauge set to it.
public struct ScrapeFigure: Sendable {
    public enum Kind: Sendable {
        case counter
        case gauge
    }

    public var metric: String
    public var help: String
    public var labels: [(String, String)]
    public var value: Int
    public var kind: Kind

    public init(_ kind: Kind, _ metric: String, help: String, labels: [(String, String)] = [], value: Int) {
        self.kind = kind
        self.metric = metric
        self.help = help
        self.labels = labels
        self.value = value
    }
}
