@testable import RestgateGateway
@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRouteCompiler
@testable import RestgateRoutePlan
@testable import RestgateServer
@testable import RestgateUpstream

// The JSON parser and the locator as a differential check: both accept the same documents,
// and the bytes the locator finds parse to the value the tree holds there.

/// Paths into the document itself (first and last member or element at each level) and a
/// few fixed ones, so random documents are searched where they hold something.
private func paths(in document: JSONValue) -> [[JSONPathStep]] {
    var found: [[JSONPathStep]] = [[.member("data")], [.member("data"), .member("a")], [.element(0)], [.member("errors"), .element(0)]]
    func walk(_ value: JSONValue, _ path: [JSONPathStep]) {
        guard path.count < 6, found.count < 60 else { return }
        switch value {
        case .object(let members):
            for member in [members.first, members.last].compactMap({ $0 }) {
                found.append(path + [.member(member.key)])
                walk(member.value, path + [.member(member.key)])
            }
        case .array(let items):
            for index in Set([0, items.count - 1]) where items.indices.contains(index) {
                found.append(path + [.element(index)])
                walk(items[index], path + [.element(index)])
            }
        default: break
        }
    }
    walk(document, [])
    return Array(found.prefix(64))
}

func fuzzJSON(_ input: UnsafeBufferPointer<UInt8>) {
    let bytes = Array(input)
    let tree = Result { () throws(JSONParseError) -> JSONValue in try JSONParser.parse(bytes) }
    let probe: [[JSONPathStep]] = [[.member("data")]]
    let located = Result { () throws(JSONParseError) -> [Range<Int>?] in try JSONParser.locate(probe, in: bytes) }
    switch (tree, located) {
    case (.success(let document), .success):
        precondition((try? JSONParser.parse(document.bytes)) == document, "the written document reads back differently")
        let searched = paths(in: document)
        guard let ranges = try? JSONParser.locate(searched, in: bytes) else { preconditionFailure("locate refused a valid document") }
        for (path, range) in zip(searched, ranges) {
            let expected = document.value(at: path)
            let found = range.flatMap { try? JSONParser.parse(Array(bytes[$0])) }
            precondition(found == expected, "locate and parse disagree at \(path)")
        }
    case (.failure, .failure): break
    default: preconditionFailure("parse and locate disagree on whether the document is JSON: \(tree) / \(located)")
    }
}
