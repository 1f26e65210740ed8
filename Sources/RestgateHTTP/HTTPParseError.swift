/// Why a request could not be read. Each case maps to one status; every one of them closes
/// the connection, because after a framing error the next request's start is unknowable.
public enum HTTPParseError: Error, Sendable, Equatable {
    case malformedRequestLine
    case invalidMethod
    case invalidTarget
    case uriTooLong
    case unsupportedVersion
    case bareLineFeed
    case malformedHeaderField
    case obsoleteLineFolding
    case headerSectionTooLarge
    case tooManyHeaderFields
    case missingHost
    case repeatedHost
    case conflictingFraming
    case invalidContentLength
    case repeatedContentLength
    case unsupportedTransferCoding
    case chunkedNotFinal
    case transferEncodingInHTTP10
    case invalidChunkSize
    case invalidChunkExtension
    case invalidChunkTerminator
    case trailerSectionTooLarge
    case bodyTooLarge

    public var status: Int {
        switch self {
        case .uriTooLong: 414
        case .headerSectionTooLarge, .tooManyHeaderFields, .trailerSectionTooLarge: 431
        case .unsupportedVersion: 505
        case .unsupportedTransferCoding: 501
        case .bodyTooLarge: 413
        default: 400
        }
    }

    /// A sentence for the problem's `detail`: what was wrong, in terms a client author can fix.
    public var detail: String {
        switch self {
        case .malformedRequestLine: "The request line is not 'METHOD target HTTP/1.x'."
        case .invalidMethod: "The request method is not a valid token."
        case .invalidTarget: "The request target is not an origin-form or absolute-form URI."
        case .uriTooLong: "The request target is longer than this server accepts."
        case .unsupportedVersion: "Only HTTP/1.0 and HTTP/1.1 are supported."
        case .bareLineFeed: "Lines must end with CRLF; a bare LF or CR was found."
        case .malformedHeaderField: "A header field is not 'name: value' with a token name and visible characters."
        case .obsoleteLineFolding: "Obsolete line folding (a header line starting with whitespace) is not accepted."
        case .headerSectionTooLarge: "The header section is larger than this server accepts."
        case .tooManyHeaderFields: "The request has more header fields than this server accepts."
        case .missingHost: "An HTTP/1.1 request must carry a Host header."
        case .repeatedHost: "The request carries more than one Host header."
        case .conflictingFraming: "Content-Length and Transfer-Encoding must not both be present."
        case .invalidContentLength: "Content-Length is not a single non-negative decimal number."
        case .repeatedContentLength: "Content-Length appears more than once."
        case .unsupportedTransferCoding: "Only the chunked transfer coding is supported."
        case .chunkedNotFinal: "When Transfer-Encoding is present, chunked must be its final coding."
        case .transferEncodingInHTTP10: "Transfer-Encoding is not allowed in an HTTP/1.0 request."
        case .invalidChunkSize: "A chunk size is not a hexadecimal number of at most 15 digits."
        case .invalidChunkExtension: "A chunk extension contains invalid characters or is too long."
        case .invalidChunkTerminator: "A chunk's data is not followed by CRLF."
        case .trailerSectionTooLarge: "The trailer section is larger than this server accepts."
        case .bodyTooLarge: "The request body is larger than this server accepts."
        }
    }
}
