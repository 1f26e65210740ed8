@testable import RestgateGateway
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateServer
@testable import RestgateUpstream

// The Authorization header: a token is taken only when it is three base64url parts.

func fuzzBearerToken(_ input: UnsafeBufferPointer<UInt8>) {
    let value = String(decoding: input, as: UTF8.self)
    if let token = BearerToken.token(in: value), BearerToken.isJWT(token) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        precondition(parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.count % 4 != 1 }, "not a JWT: \(token)")
        let base64URL = { (byte: UInt8) in byte == 45 || byte == 95 || (48...57).contains(byte) || (byte | 0x20 >= 97 && byte | 0x20 <= 122)
        }
        precondition(token.utf8.allSatisfy { $0 == 46 || base64URL($0) })
    }
    let head = Array("GET / HTTP/1.1\r\nHost: gw\r\nAuthorization: ".utf8) + Array(input) + Array("\r\n\r\n".utf8)
    var parser = RequestHeadParser(limits: RequestHeadLimits())
    guard case .complete(let parsed, _) = head.withUnsafeBufferPointer({ parser.parse($0) }) else { return }
    do throws(Problem) {
        try BearerToken.require(parsed.headers)
    } catch {
        precondition(error.status == 401)
        precondition(error.response(requestID: "r", instance: "/").body.count <= Problem.maxBodyBytes)
    }
}
