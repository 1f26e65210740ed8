public enum RequestHeadParseResult: Sendable {
    case needMoreData
    /// The head, and how many bytes of the input it took (its CRLF CRLF included).
    case complete(RequestHead, length: Int)
    case failed(HTTPParseError)
}
