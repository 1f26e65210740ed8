import Foundation
import RestgateHTTP
import RestgateJSON
public import RestgateRoutePlan
import Yams

/// Reads a route file (YAML) into route definitions, reporting every mistake with its line.
public enum RouteFileLoader {
    public static func load(yaml: String) throws(RouteFileError) -> [RouteDefinition] {
        try loadFile(yaml: yaml).routes
    }

    /// The routes and the error rules of a route file.
    public static func loadFile(yaml: String) throws(RouteFileError) -> RouteFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            // Yams says "LINE:COLUMN: problem" and quotes the line under it: one line is kept.
            let text = "\(error)"
            let line = Int(text.prefix { $0.isNumber }) ?? 1
            let first = text.split(separator: "\n").first.map(String.init) ?? text
            throw RouteFileError(line: line, route: nil, message: "not valid YAML: \(first)")
        }
        guard let root, let routes = root["routes"]?.sequence else {
            throw RouteFileError(line: root?.mark?.line ?? 1, route: nil, message: "expected a top-level 'routes:' list")
        }
        let fragments = try fragmentTexts(root["fragments"])
        var seen: [String: Int] = [:]
        var definitions: [RouteDefinition] = []
        let policies = try RateLimitPolicyLoader.load(root["rateLimits"])
        for node in routes {
            var definition = try route(node, policies: policies)
            definition.ownDocumentLines = definition.document.split(separator: "\n", omittingEmptySubsequences: false).count
            definition.document = withFragments(definition.document, fragments)
            if let earlier = seen[definition.id] {
                throw RouteFileError(
                    line: definition.line, route: definition.id, message: "the id is already used by the route at line \(earlier)")
            }
            seen[definition.id] = definition.line
            definitions.append(definition)
        }
        let problems = try declaredProblems(root["problems"])
        return RouteFile(
            routes: definitions, errorRules: try errorRules(root["errors"], codes: ProblemCode.catalogue + problems), problems: problems,
            info: try info(root["info"]))
    }

    /// `problems:`, the route file's own problem codes by name: the domain's failures (a spent
    /// quota, an incomplete invitation) that its error rules map upstream errors to.
    private static func declaredProblems(_ node: Node?) throws(RouteFileError) -> [ProblemCode] {
        guard let node else { return [] }
        guard let entries = node.mapping else {
            throw RouteFileError(line: node.mark?.line ?? 0, route: nil, message: "problems must map codes to their description")
        }
        var problems: [ProblemCode] = []
        for (key, entry) in entries {
            let line = key.mark?.line ?? 0
            func fail(_ message: String) -> RouteFileError { RouteFileError(line: line, route: nil, message: "problem: \(message)") }
            guard let name = key.string, !name.isEmpty,
                name.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || (65...90).contains($0) || (48...57).contains($0) })
            else {
                throw fail("a code is SCREAMING_SNAKE_CASE, such as QUOTA_EXCEEDED")
            }
            guard !ProblemCode.catalogue.contains(where: { $0.name == name }) else {
                throw fail("\(name) is one of the gateway's own codes")
            }
            guard let status = entry["status"]?.int, (400...599).contains(status) else { throw fail("\(name) needs a 4xx or 5xx 'status'") }
            guard let title = entry["title"]?.string, let explanation = entry["explanation"]?.string else {
                throw fail("\(name) needs a 'title' and an 'explanation'")
            }
            var members: [ProblemMember] = []
            for (memberKey, schema) in entry["members"]?.mapping ?? [:] {
                guard let memberName = memberKey.string, schema.mapping != nil else { throw fail("members map names to JSON Schemas") }
                members.append(ProblemMember(name: memberName, schema: json(schema)))
            }
            problems.append(ProblemCode(name, status: status, title: title, explanation: explanation, members: members))
        }
        return problems
    }

    /// `info:`, the OpenAPI document's title, version and description.
    private static func info(_ node: Node?) throws(RouteFileError) -> APIInfo {
        guard let node else { return .generic }
        guard let title = node["title"]?.string, let version = node["version"]?.string, let description = node["description"]?.string else {
            throw RouteFileError(line: node.mark?.line ?? 0, route: nil, message: "info needs 'title', 'version' and 'description'")
        }
        return APIInfo(title: title, version: version, description: description)
    }

    /// `errors:` rules, checked now: a pattern that does not compile or a problem code neither
    /// the gateway nor the route file declares stops the start.
    private static func errorRules(_ node: Node?, codes: [ProblemCode]) throws(RouteFileError) -> [ErrorRule] {
        guard let node else { return [] }
        guard let entries = node.sequence else {
            throw RouteFileError(line: node.mark?.line ?? 0, route: nil, message: "errors must be a list of rules")
        }
        var rules: [ErrorRule] = []
        for entry in entries {
            let line = entry.mark?.line ?? 0
            func fail(_ message: String) -> RouteFileError { RouteFileError(line: line, route: nil, message: "error rule: \(message)") }
            let pattern = entry["match"]?["message"]?.string
            let code = entry["match"]?["code"]?.string
            guard pattern != nil || code != nil else { throw fail("'match' needs a 'message' pattern or a 'code'") }
            if let pattern, (try? Regex(pattern)) == nil { throw fail("'\(pattern)' is not a valid regular expression") }
            guard let name = entry["problem"]?.string, let problem = codes.first(where: { $0.name == name }) else {
                throw fail("'problem' must be one of \(codes.map(\.name).joined(separator: ", "))")
            }
            var members: [(name: String, template: String)] = []
            for (key, value) in entry["members"]?.mapping ?? [:] {
                guard let name = key.string, let template = value.string else { throw fail("members map names to text") }
                members.append((name, template))
            }
            rules.append(
                ErrorRule(
                    line: line, messagePattern: pattern, extensionCode: code, problem: problem, members: members,
                    field: entry["field"]?.string,
                    retryAfterSeconds: entry["retryAfter"]?.int))
        }
        return rules
    }

    private static func route(_ node: Node, policies: [String: RateLimitPolicy]) throws(RouteFileError) -> RouteDefinition {
        let line = node.mark?.line ?? 0
        guard node.mapping != nil else { throw RouteFileError(line: line, route: nil, message: "a route must be a mapping") }
        guard let id = node["id"]?.string, !id.isEmpty else {
            throw RouteFileError(line: line, route: nil, message: "a route needs an 'id'")
        }
        func fail(_ message: String, at member: Node? = nil) -> RouteFileError {
            RouteFileError(line: member?.mark?.line ?? line, route: id, message: message)
        }
        func required(_ key: String) throws(RouteFileError) -> Node {
            guard let value = node[key] else { throw fail("'\(key)' is required") }
            return value
        }
        let known: Set<String> = [
            "id", "method", "path", "upstream", "auth", "document", "variables", "result", "single", "list", "status", "location",
            "example", "idempotency", "rateLimit", "cacheControl", "deprecated",
        ]
        for (key, _) in node.mapping ?? [:] {
            guard let name = key.string, known.contains(name) else { throw fail("unknown key '\(key.string ?? "?")'", at: key) }
        }
        let methodNode = try required("method")
        guard let methodText = methodNode.string?.uppercased(), ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(methodText) else {
            throw fail("method must be GET, POST, PUT, PATCH or DELETE", at: methodNode)
        }
        let pathNode = try required("path")
        guard let path = pathNode.string, path.hasPrefix("/") else { throw fail("path must start with '/'", at: pathNode) }
        let upstreamNode = try required("upstream")
        guard let upstream = upstreamNode.string else { throw fail("upstream must be a name", at: upstreamNode) }
        let documentNode = try required("document")
        guard let document = documentNode.string else { throw fail("document must be a GraphQL text", at: documentNode) }
        var authentication = RouteDefinition.Authentication.bearer
        if let auth = node["auth"] {
            guard let value = auth.string.flatMap(RouteDefinition.Authentication.init(rawValue:)) else {
                throw fail("auth must be bearer or none", at: auth)
            }
            authentication = value
        }
        var idempotency = RouteDefinition.Idempotency.off
        if let setting = node["idempotency"] {
            guard let value = setting.string.flatMap(RouteDefinition.Idempotency.init(rawValue:)) else {
                throw fail("idempotency must be optional, required or off", at: setting)
            }
            idempotency = value
            // A key is scoped to the client's token: without one, clients would share keys.
            guard value == .off || authentication == .bearer else {
                throw fail("idempotency needs auth: bearer (a key belongs to the client whose token sent it)", at: setting)
            }
        }
        var variables: [String: VariableSource] = [:]
        if let mapping = node["variables"] {
            guard let members = mapping.mapping else { throw fail("variables must be a mapping", at: mapping) }
            for (key, value) in members {
                guard let name = key.string else { throw fail("a variable needs a name", at: key) }
                variables[name] = try source(value, route: id, parameters: templateParameters(path))
            }
        }
        if authentication != .bearer, variables.values.contains(where: \.readsClaim) {
            throw fail("a variable from a claim needs auth: bearer (claims come from the verified token)")
        }
        var rateLimit: RateLimitPolicy?
        if let setting = node["rateLimit"] {
            guard let name = setting.string, let policy = policies[name] else {
                throw fail("rateLimit must name a policy of rateLimits: (\(policies.keys.sorted().joined(separator: ", ")))", at: setting)
            }
            rateLimit = policy
        }
        var cacheControl: String?
        if let setting = node["cacheControl"] {
            guard let text = setting.string, !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
                throw fail("cacheControl must be a Cache-Control value, such as 'private, max-age=60'", at: setting)
            }
            guard methodText == "GET" else { throw fail("cacheControl applies to GET routes only", at: setting) }
            cacheControl = text
        }
        let deprecation = try node["deprecated"].map { setting throws(RouteFileError) in try RouteDeprecationLoader.load(setting, route: id)
        }
        let resultNode = try required("result")
        guard let result = resultNode.string.flatMap(dottedPath) else {
            throw fail(
                "result must be a dotted path of GraphQL names under data, such as 'createOrganizationInvitation.organizationInvitation'",
                at: resultNode)
        }
        var status = 200
        if let statusNode = node["status"] {
            guard let value = statusNode.int, (200...299).contains(value) else { throw fail("status must be a 2xx code", at: statusNode) }
            status = value
        }
        let documentLine =
            (documentNode.mark?.line ?? line) + (documentNode.scalar?.style == .literal || documentNode.scalar?.style == .folded ? 1 : 0)
        var definition = RouteDefinition(
            id: id, method: HTTPMethod(rawValue: methodText), path: path, upstream: upstream, authentication: authentication,
            document: document, variables: variables, result: result,
            single: node["single"]?.bool ?? false, list: try list(node["list"], route: id), status: status,
            location: node["location"]?.string, example: node["example"].map(json), line: line, documentLine: documentLine)
        definition.idempotency = idempotency
        definition.rateLimit = rateLimit
        definition.cacheControl = cacheControl
        definition.deprecation = deprecation
        return definition
    }

    /// `fragments:` maps a fragment's name to its text, shared by the routes' documents.
    private static func fragmentTexts(_ node: Node?) throws(RouteFileError) -> [String: String] {
        guard let node else { return [:] }
        guard let members = node.mapping else {
            throw RouteFileError(line: node.mark?.line ?? 0, route: nil, message: "fragments must map names to GraphQL fragments")
        }
        var result: [String: String] = [:]
        for (key, value) in members {
            guard let name = key.string, let text = value.string, text.contains("fragment \(name) on ") else {
                throw RouteFileError(
                    line: key.mark?.line ?? 0, route: nil,
                    message: "fragment '\(key.string ?? "?")' must be 'fragment \(key.string ?? "Name") on Type { … }'")
            }
            result[name] = text
        }
        return result
    }

    /// Appends every shared fragment the document spreads (`...Name`), and those they spread.
    static func withFragments(_ document: String, _ fragments: [String: String]) -> String {
        var text = document
        var added = Set<String>()
        var changed = true
        while changed {
            changed = false
            for (name, fragment) in fragments.sorted(by: { $0.key < $1.key }) where !added.contains(name) && spreads(text, name) {
                if !text.contains("fragment \(name) on ") { text += "\n" + fragment }
                added.insert(name)
                changed = true
            }
        }
        return text
    }

    private static func spreads(_ text: String, _ name: String) -> Bool {
        var rest = Substring(text)
        while let range = rest.range(of: "..." + name) {
            let after = rest[range.upperBound...].first
            if after == nil || !(after!.isLetter || after!.isNumber || after! == "_") { return true }
            rest = rest[range.upperBound...]
        }
        return false
    }

    /// A YAML value as JSON, scalars typed as YAML resolves them (`true`, `12`, `"12"`).
    static func json(_ node: Node) -> JSONValue {
        if let mapping = node.mapping { return .object(mapping.map { (key: $0.key.string ?? "", value: json($0.value)) }) }
        if let sequence = node.sequence { return .array(sequence.map(json)) }
        guard let scalar = node.scalar else { return .null }
        // A quoted scalar is a string; a plain one is typed by how it reads (YAML 1.2 core).
        guard scalar.style == .plain || scalar.style == .any else { return .string(scalar.string) }
        switch scalar.string {
        case "null", "~", "": return .null
        case "true": return .bool(true)
        case "false": return .bool(false)
        default:
            let text = scalar.string
            if case .number? = try? JSONParser.parse(Array(text.utf8)) { return .number(text) }
            // YAML also reads `+5`, `007`, `1.` and `0x1F` as numbers, which JSON spells
            // 5, 7, 1.0 and 31: the example must be valid JSON in the OpenAPI document and in
            // the route plan.
            if let integer = Int(text) { return .number(String(integer)) }
            if let real = Double(text), real.isFinite, text.first?.isNumber == true { return .number(String(real)) }
            return .string(text)
        }
    }

    /// A claim's dotted path (`erp.customer`): non-empty parts of printable ASCII.
    static func claimPath(_ text: String) -> [String]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F } }) else { return nil }
        return parts
    }

    /// `a.b.c` as its names, or nil when a part is empty or not a GraphQL name
    /// (`/[_A-Za-z][_0-9A-Za-z]*/`, GraphQL §2.1.9).
    static func dottedPath(_ text: String) -> [String]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let isName = { (part: Substring) -> Bool in
            guard let first = part.utf8.first, first == UInt8(ascii: "_") || (first | 0x20 >= 97 && first | 0x20 <= 122) else {
                return false
            }
            return part.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) || (48...57).contains($0) }
        }
        guard parts.allSatisfy(isName) else { return nil }
        return parts.map(String.init)
    }

    static func templateParameters(_ path: String) -> Set<String> {
        Set(path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) })
    }

    private static func source(_ node: Node, route: String, parameters: Set<String>) throws(RouteFileError) -> VariableSource {
        let line = node.mark?.line ?? 0
        func fail(_ message: String) -> RouteFileError { RouteFileError(line: line, route: route, message: message) }
        guard let from = node["from"]?.string else {
            throw fail("a variable source needs 'from' (path, query, header, claim, body or object)")
        }
        let format =
            try node["format"].map { formatNode throws(RouteFileError) -> ValueFormat in
                guard let value = formatNode.string.flatMap(ValueFormat.init(rawValue:)) else {
                    throw fail("format must be string, uuid or int")
                }
                return value
            } ?? .string
        func members(_ key: String) throws(RouteFileError) -> [String: VariableSource] {
            var result: [String: VariableSource] = [:]
            for (name, value) in node[key]?.mapping ?? [:] {
                guard let field = name.string else { throw fail("a member needs a name") }
                result[field] = try source(value, route: route, parameters: parameters)
            }
            return result
        }
        switch from {
        case "path":
            guard let name = node["name"]?.string, parameters.contains(name) else {
                throw fail("a path source needs 'name', one of the path's parameters (\(parameters.sorted().joined(separator: ", ")))")
            }
            return .path(name, format: format)
        case "query":
            guard let name = node["name"]?.string else { throw fail("a query source needs 'name'") }
            return .query(name, format: format)
        case "header":
            guard let name = node["name"]?.string else { throw fail("a header source needs 'name'") }
            return .header(name)
        case "claim":
            guard let name = node["name"]?.string.flatMap(claimPath) else {
                throw fail("a claim source needs 'name', a claim of the verified token as a dotted path (sub, erp.customer)")
            }
            return .claim(name)
        case "body":
            return .body(merge: try members("merge"))
        case "object":
            return .object(try members("fields"))
        default:
            throw fail("'from: \(from)' is not one of path, query, header, claim, body, object")
        }
    }

    private static func list(_ node: Node?, route: String) throws(RouteFileError) -> ListShape? {
        guard let node else { return nil }
        func dotted(_ key: String, default value: String?) throws(RouteFileError) -> [String]? {
            guard let text = node[key]?.string ?? value else { return nil }
            guard let path = dottedPath(text) else {
                throw RouteFileError(
                    line: node[key]?.mark?.line ?? node.mark?.line ?? 0, route: route,
                    message: "list '\(key)' must be a dotted path of GraphQL names; got '\(text)'")
            }
            return path
        }
        guard let cursor = node["cursorVariable"]?.string else {
            throw RouteFileError(line: node.mark?.line ?? 0, route: route, message: "a list needs 'cursorVariable'")
        }
        return ListShape(
            items: try dotted("items", default: "nodes") ?? ["nodes"],
            hasNextPage: try dotted("hasNextPage", default: "pageInfo.hasNextPage") ?? [],
            endCursor: try dotted("endCursor", default: "pageInfo.endCursor") ?? [],
            totalCount: try dotted("totalCount", default: nil), pageSizeVariable: node["pageSizeVariable"]?.string, cursorVariable: cursor)
    }
}
