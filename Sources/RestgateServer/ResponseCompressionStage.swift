import RestgateGzip
public import RestgateHTTP
import RestgateRuntime

/// The response policy for content codings: gzip when the client accepts it and the body is
/// compressible and large enough (RFC 9110 §12.5.3 q-values), with `Vary: Accept-Encoding`
/// on every answer whose coding depended on the request, and a weak `ETag` on a gzipped one.
/// HEAD answers and bodiless statuses are never compressed.
public struct ResponseCompressionStage: RequestStage {
    private let level: Int32
    private let minimumBytes: Int

    public init(configuration: HTTPServerConfiguration = HTTPServerConfiguration()) {
        level = configuration.gzipLevel
        minimumBytes = configuration.gzipMinimumBytes
    }

    public func respond(to request: HTTPRequest, next: RequestChain) async -> HTTPResponse {
        var response = await next(request)
        // A 304 is judged by the body its 200 would have had, so both carry the same fields.
        let represented = response.notes.notModifiedBody
        let contentType = represented.map(\.contentType) ?? response.header("content-type")
        guard !response.forbidsBody || represented != nil, ResponseEncoder.isCompressible(contentType),
            response.header("content-encoding") == nil
        else { return response }
        response.headers.append(("Vary", "Accept-Encoding"))
        let size = represented?.bytes ?? response.body.count
        guard size > 0 else { return response }
        let preferences = ContentCoding.Preferences(acceptEncoding: request.headers.values("accept-encoding"))
        guard ContentCoding.choose(preferences, size: size, threshold: minimumBytes) == .gzip else { return response }
        // A strong tag names one representation, and the gzipped one is another (RFC 9110
        // §8.8.3): it becomes weak, as nginx does, on HEAD too, so HEAD agrees with GET.
        if let index = response.headers.firstIndex(where: { ByteClass.equalIgnoringCase($0.name, "etag") }),
            response.headers[index].value.hasPrefix("\"")
        {
            response.headers[index].value = "W/" + response.headers[index].value
        }
        guard request.method != .head, represented == nil else { return response }
        let compressed = compressor().compress(response.body)
        guard !compressed.isEmpty else { return response }
        response.body = compressed
        response.headers.append(("Content-Encoding", "gzip"))
        return response
    }

    /// The running loop's compressor (deflate state is reused, and touched by one thread);
    /// off a loop, a new one.
    private func compressor() -> GzipCompressor {
        guard let loop = EventLoop.current else { return GzipCompressor(level: level) }
        let compressors = loop.local(LoopCompressors.self) { LoopCompressors() }
        if let compressor = compressors.byLevel[level] { return compressor }
        let compressor = GzipCompressor(level: level)
        compressors.byLevel[level] = compressor
        return compressor
    }

    private final class LoopCompressors {
        var byLevel: [Int32: GzipCompressor] = [:]
    }
}
