import GraphQL
import RestgateConfiguration
import RestgateHTTP
import RestgateJSON
public import RestgateRoutePlan

/// Checks every route against its upstream's schema before the gateway takes traffic: the
/// document parses and validates, holds one operation, declares exactly the variables the
/// route fills (or leaves optional), and selects the fields the route reads.
public struct RouteValidator {
    private let schemas: [String: GraphQLSchema]

    /// The project's copies of the upstream schemas; `overrides` replaces one by name
    /// (SDL text, for example fetched from the live upstream by introspection).
    public init(overrides: [String: String] = [:]) throws {
        var sources = BuiltInConfiguration.schemas
        for (name, sdl) in overrides { sources[name] = sdl }
        schemas = try sources.mapValues { try buildSchema(source: $0) }
    }

    /// The schema routes of `upstream` are validated against.
    func schema(for upstream: String) -> GraphQLSchema? { schemas[upstream] }

    /// Returns the routes with what validation learns filled in (whether each is a mutation).
    public func validate(_ routes: [RouteDefinition]) throws(RouteFileError) -> [RouteDefinition] {
        try compile(routes).map(\.definition)
    }

    /// Validates the routes and keeps, for each, the GraphQL types of its variables, against
    /// which request bodies are checked.
    public func compile(_ routes: [RouteDefinition], errorRules: [ErrorRule] = []) throws(RouteFileError) -> [CompiledRoute] {
        try routes.map { route throws(RouteFileError) in
            var compiled = try validate(route)
            compiled.errorRules = errorRules
            return compiled
        }
    }

    /// Loads and validates a whole route file: routes and error rules.
    public func compile(yaml: String) throws(RouteFileError) -> [CompiledRoute] {
        try compileFile(yaml: yaml).routes
    }

    /// Loads and validates a whole route file, keeping what the OpenAPI document needs.
    public func compileFile(yaml: String) throws(RouteFileError) -> (routes: [CompiledRoute], info: APIInfo) {
        let file = try RouteFileLoader.loadFile(yaml: yaml)
        return (try compile(file.routes, errorRules: file.errorRules), file.info)
    }

    /// Every problem of a route file, for `restgate check`: the first that stops the file from
    /// loading, else each route's own, in the file's order.
    public func problems(yaml: String) -> [RouteFileError] {
        let file: RouteFile
        do {
            file = try RouteFileLoader.loadFile(yaml: yaml)
        } catch {
            return [error]
        }
        return file.routes.compactMap { route -> RouteFileError? in
            do throws(RouteFileError) {
                _ = try validate(route)
                return nil
            } catch {
                return error
            }
        }
    }

    private func validate(_ route: RouteDefinition) throws(RouteFileError) -> CompiledRoute {
        func fail(_ message: String, documentLine: Int? = nil) -> RouteFileError {
            // Past the route's own lines is a fragment it spreads: the route's line, said so.
            if let documentLine, let own = route.ownDocumentLines, documentLine > own {
                return RouteFileError(line: route.line, route: route.id, message: message + " (in a fragment the document spreads)")
            }
            return RouteFileError(line: documentLine.map { route.documentLine + $0 - 1 } ?? route.line, route: route.id, message: message)
        }
        guard let schema = schemas[route.upstream] else {
            throw fail("unknown upstream '\(route.upstream)'; known: \(schemas.keys.sorted().joined(separator: ", "))")
        }
        let document: Document
        do {
            document = try parse(source: Source(body: route.document, name: route.id))
        } catch let error as GraphQLError {
            throw fail("the document does not parse: \(error.message)", documentLine: error.locations.first?.line)
        } catch {
            throw fail("the document does not parse: \(error)")
        }
        let operations = document.definitions.compactMap { $0 as? OperationDefinition }
        guard operations.count == 1, let operation = operations.first else { throw fail("the document must hold exactly one operation") }
        if let problem = GraphQL.validate(schema: schema, ast: document).first {
            throw fail(
                "the document does not fit the \(route.upstream) schema: \(problem.message)", documentLine: problem.locations.first?.line)
        }
        var checked = route
        checked.isMutation = operation.operation == .mutation
        checked.operationName = operation.name?.value

        let declared = Dictionary(
            uniqueKeysWithValues: operation.variableDefinitions.map {
                ($0.variable.name.value, $0.type is NonNullType && $0.defaultValue == nil)
            })
        let paging = Set([route.list?.pageSizeVariable, route.list?.cursorVariable].compactMap { $0 })
        for name in route.variables.keys.sorted() + paging.sorted() where declared[name] == nil {
            throw fail("the route fills $\(name), which the document does not declare")
        }
        for (name, required) in declared.sorted(by: { $0.key < $1.key }) where required && route.variables[name] == nil {
            throw fail("the document requires $\(name), which the route does not fill")
        }
        guard let selections = Self.selectionSet(operation.selectionSet, along: route.result) else {
            throw fail("result '\(route.result.joined(separator: "."))' is not selected by the document")
        }
        if let list = route.list {
            for path in [list.items, list.hasNextPage, list.endCursor] + [list.totalCount].compactMap({ $0 }) where !path.isEmpty {
                guard Self.selectionSet(selections, along: path, leafAllowed: true) != nil else {
                    throw fail("list path '\(path.joined(separator: "."))' is not selected under the result")
                }
            }
        }
        var builder = InputShapeBuilder()
        var variableShapes: [String: InputShape] = [:]
        for definition in operation.variableDefinitions {
            guard let type = Self.inputType(definition.type, in: schema) else {
                throw fail("$\(definition.variable.name.value) has a type the schema does not define")
            }
            variableShapes[definition.variable.name.value] = builder.shape(of: type)
        }
        let compiled = CompiledRoute(definition: checked, variableShapes: variableShapes, shapes: builder.shapes)
        if let example = route.example {
            guard let body = compiled.body else { throw fail("the route has an example but reads no body") }
            var checker = InputChecker()
            checker.check(example, against: body.shape, in: compiled.shapes, excluding: body.excluded)
            if let problem = checker.problems.first { throw fail("the example does not fit the body: \(problem.message)") }
        }
        return compiled
    }

    private static func inputType(_ ast: any GraphQL.`Type`, in schema: GraphQLSchema) -> (any GraphQLInputType)? {
        if let nonNull = ast as? NonNullType {
            guard let inner = inputType(nonNull.type, in: schema) as? any GraphQLNullableType else { return nil }
            return GraphQLNonNull(inner)
        }
        if let list = ast as? ListType {
            guard let inner = inputType(list.type, in: schema) else { return nil }
            return GraphQLList(inner)
        }
        guard let named = ast as? NamedType else { return nil }
        return schema.getType(name: named.name.value) as? any GraphQLInputType
    }

    /// The selection set reached by following `path` through selected fields (by alias or
    /// name); a leaf at the end is accepted when `leafAllowed`.
    private static func selectionSet(_ start: SelectionSet, along path: [String], leafAllowed: Bool = true) -> SelectionSet? {
        var current = start
        for (index, key) in path.enumerated() {
            let field = current.selections.compactMap { $0 as? Field }.first { ($0.alias?.value ?? $0.name.value) == key }
            guard let field else { return nil }
            if let next = field.selectionSet {
                current = next
            } else {
                return leafAllowed && index == path.count - 1 ? current : nil
            }
        }
        return current
    }
}
