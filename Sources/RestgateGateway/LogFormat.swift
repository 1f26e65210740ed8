/// How log lines are written: `text` for people, `json` for log pipelines.
public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json
}
