import RestgateTestSupport
import Testing

@testable import RestgateHTTP
@testable import RestgateJSON
@testable import RestgateRuntime
@testable import RestgateServer
@testable import RestgateUpstream

@Suite struct GraphQLSelectionTests {
    private let answer = Array(#"{"data":{"item":{"id":"a1","name":"x \"y\""}}}"#.utf8)

    @Test func theSelectedValueAndItsMembersAreLocatedInOnePass() throws {
        let selection = try #require(GraphQLSelection(path: [.member("item")], members: ["name", "missing", "id"]))
        let (selected, members) = try #require(GraphQLClient.selectedValue(answer, selection))
        #expect(String(decoding: selected, as: UTF8.self) == #"{"id":"a1","name":"x \"y\""}"#)
        #expect(members.count == 3)
        #expect(members[0].map { String(decoding: selected[$0], as: UTF8.self) } == #""x \"y\"""#)
        #expect(members[1] == nil)
        #expect(members[2].map { String(decoding: selected[$0], as: UTF8.self) } == #""a1""#)
    }

    @Test func anAnswerWithErrorsOrANullValueIsLeftToTheFullParse() throws {
        let selection = try #require(GraphQLSelection(path: [.member("item")]))
        #expect(GraphQLClient.selectedValue(Array(#"{"data":{"item":null}}"#.utf8), selection) == nil)
        #expect(GraphQLClient.selectedValue(Array(#"{"errors":[],"data":{"item":{}}}"#.utf8), selection) == nil)
        #expect(GraphQLClient.selectedValue(Array(#"{"data":{"item":{}}"#.utf8), selection) == nil)
    }

    @Test func moreMembersThanOneLocateFollowsMakeNoSelection() {
        // Two paths are the selection and `errors`; the rest are members.
        #expect(GraphQLSelection(path: [], members: (0..<(JSONParser.maxPaths - 2)).map { "m\($0)" }) != nil)
        #expect(GraphQLSelection(path: [], members: (0..<(JSONParser.maxPaths - 1)).map { "m\($0)" }) == nil)
    }
}
