import RestgateHTTP
import RestgateJSON

/// What the store keeps under an idempotency key, as compact bytes: the request's fingerprint
/// and either the reservation of a request still running (until when, and whose), the answer
/// the upstream decided, or the mark of a call whose outcome is unknown.
struct IdempotencyRecord: Equatable {
    enum State: Equatable {
        case running(leaseUntilMilliseconds: UInt64, owner: UInt64)
        case answered(status: Int, headers: [Header], body: [UInt8])
        case unknown
    }

    struct Header: Equatable {
        var name: String
        var value: String
    }

    /// The answer's fields a replay repeats; `Vary`, `Content-Encoding` and `X-Request-ID` are
    /// made per request.
    static let storedHeaders = ["content-type", "location", "link"]

    var fingerprint: [UInt8]
    var state: State

    /// SHA-256 over method, path and the body as parsed (members sorted, whitespace gone), so
    /// a retry that reformats its JSON is the same request; a body that is not JSON (`parsed`
    /// nil) counts byte for byte.
    static func fingerprint(method: String, path: String, body: [UInt8], parsed: JSONValue?, hasher: inout SHA256Hasher) -> [UInt8] {
        hasher.update(method)
        hasher.update(byte: 0)
        hasher.update(path)
        hasher.update(byte: 0)
        if let parsed {
            hasher.update(byte: 1)
            var json = JSONWriter(capacity: body.count)
            canonical(parsed, into: &json)
            hasher.update(json.bytes)
        } else {
            hasher.update(byte: 2)
            hasher.update(body)
        }
        return hasher.finish()
    }

    static func fingerprint(method: String, path: String, body: [UInt8], parsed: JSONValue?) -> [UInt8] {
        var hasher = SHA256Hasher()
        return fingerprint(method: method, path: path, body: body, parsed: parsed, hasher: &hasher)
    }

    /// The value with every object's members sorted by name, written compactly into one buffer.
    private static func canonical(_ value: JSONValue, into json: inout JSONWriter) {
        switch value {
        case .object(let members):
            json.beginObject()
            // In order already (a client that sorts, or one member): no sorted copy.
            let ordered = zip(members, members.dropFirst()).allSatisfy { $0.key <= $1.key }
            for member in ordered ? members : members.sorted(by: { $0.key < $1.key }) {
                json.key(member.key)
                canonical(member.value, into: &json)
            }
            json.endObject()
        case .array(let elements):
            json.beginArray()
            for element in elements { canonical(element, into: &json) }
            json.endArray()
        default:
            value.write(to: &json)
        }
    }

    static func answered(_ response: HTTPResponse, fingerprint: [UInt8]) -> IdempotencyRecord {
        let headers = response.headers.filter(isStored).map { Header(name: $0.name, value: $0.value) }
        return IdempotencyRecord(fingerprint: fingerprint, state: .answered(status: response.status, headers: headers, body: response.body))
    }

    /// `answered(response, fingerprint:).encoded`, written straight from the response.
    static func encodedAnswer(_ response: HTTPResponse, fingerprint: [UInt8]) -> [UInt8] {
        var bytes = header(fingerprint, state: "A", capacity: response.body.count + 128)
        append(UInt64(response.status), to: &bytes)
        let count = bytes.count
        bytes.append(0)
        for field in response.headers where bytes[count] < 255 && isStored(field) {
            appendText(field.name, to: &bytes)
            appendText(field.value, to: &bytes)
            bytes[count] += 1
        }
        bytes += response.body
        return bytes
    }

    private static func isStored(_ field: (name: String, value: String)) -> Bool {
        storedHeaders.contains { ByteClass.equalIgnoringCase($0, field.name) }
    }

    /// The stored answer as a replay: the same status, fields and body, marked as a replay.
    func replay() -> HTTPResponse? {
        guard case .answered(let status, let headers, let body) = state else { return nil }
        return HTTPResponse(status: status, headers: headers.map { ($0.name, $0.value) } + [("Idempotent-Replayed", "true")], body: body)
    }

    // MARK: Bytes

    var encoded: [UInt8] {
        switch state {
        case .running(let lease, let owner):
            var bytes = Self.header(fingerprint, state: "R", capacity: 16)
            Self.append(lease, to: &bytes)
            Self.append(owner, to: &bytes)
            return bytes
        case .unknown:
            return Self.header(fingerprint, state: "U", capacity: 0)
        case .answered(let status, let headers, let body):
            var bytes = Self.header(fingerprint, state: "A", capacity: body.count + 128)
            Self.append(UInt64(status), to: &bytes)
            bytes.append(UInt8(headers.count))
            for header in headers {
                Self.appendText(header.name, to: &bytes)
                Self.appendText(header.value, to: &bytes)
            }
            bytes += body
            return bytes
        }
    }

    /// The format version, the fingerprint and the state's letter, with room for `capacity` more.
    private static func header(_ fingerprint: [UInt8], state: Unicode.Scalar, capacity: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2 + fingerprint.count + capacity)
        bytes.append(1)
        bytes += fingerprint
        bytes.append(UInt8(ascii: state))
        return bytes
    }

    init(fingerprint: [UInt8], state: State) {
        self.fingerprint = fingerprint
        self.state = state
    }

    /// nil for bytes this code did not write.
    init?(decoding bytes: [UInt8]) {
        guard bytes.count >= 34, bytes[0] == 1 else { return nil }
        fingerprint = Array(bytes[1..<33])
        var index = 34
        switch bytes[33] {
        case UInt8(ascii: "R"):
            guard let lease = Self.number(bytes, &index), let owner = Self.number(bytes, &index) else { return nil }
            state = .running(leaseUntilMilliseconds: lease, owner: owner)
        case UInt8(ascii: "U"):
            state = .unknown
        case UInt8(ascii: "A"):
            guard let status = Self.number(bytes, &index), index < bytes.count else { return nil }
            let count = Int(bytes[index])
            index += 1
            var headers: [Header] = []
            for _ in 0..<count {
                guard let name = Self.text(bytes, &index), let value = Self.text(bytes, &index) else { return nil }
                headers.append(Header(name: name, value: value))
            }
            state = .answered(status: Int(status), headers: headers, body: Array(bytes[index...]))
        default:
            return nil
        }
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
    }

    private static func appendText(_ text: String, to bytes: inout [UInt8]) {
        let length = min(text.utf8.count, 65535)
        bytes.append(UInt8(length >> 8))
        bytes.append(UInt8(length & 0xFF))
        if length == text.utf8.count {
            bytes += text.utf8  // contiguous: one copy, where a prefix goes byte by byte
        } else {
            bytes += text.utf8.prefix(length)
        }
    }

    private static func number(_ bytes: [UInt8], _ index: inout Int) -> UInt64? {
        guard index + 8 <= bytes.count else { return nil }
        let value = bytes[index..<(index + 8)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        index += 8
        return value
    }

    private static func text(_ bytes: [UInt8], _ index: inout Int) -> String? {
        guard index + 2 <= bytes.count else { return nil }
        let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
        index += 2
        guard index + length <= bytes.count else { return nil }
        defer { index += length }
        return String(decoding: bytes[index..<(index + length)], as: UTF8.self)
    }
}
