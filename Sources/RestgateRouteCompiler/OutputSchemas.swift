import GraphQL
import OrderedCollections
import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan
import Yams

/// JSON schemas for a document's selections, field by field, through fragments.
struct OutputSchemas {
    let schema: GraphQLSchema
    let fragments: [String: FragmentDefinition]

    mutating func schema(of selections: SelectionSet, on type: GraphQLObjectType) -> JSONValue {
        var properties: [(key: String, value: JSONValue)] = []
        collect(selections, on: type, into: &properties)
        // The type's name, for the component the generator makes of it (`OutputComponents`).
        return .object([("type", .string("object")), ("properties", .object(properties)), ("x-graphql-type", .string(type.name))])
    }

    private mutating func collect(
        _ selections: SelectionSet, on type: GraphQLObjectType, into properties: inout [(key: String, value: JSONValue)]
    ) {
        let fields = (try? type.fields()) ?? [:]
        for selection in selections.selections {
            if let field = selection as? Field {
                guard let definition = fields[field.name.value] else { continue }
                let key = field.alias?.value ?? field.name.value
                if !properties.contains(where: { $0.key == key }) { properties.append((key, output(definition.type, field.selectionSet))) }
            } else if let spread = selection as? FragmentSpread, let fragment = fragments[spread.name.value] {
                collect(fragment.selectionSet, on: type, into: &properties)
            } else if let inline = selection as? InlineFragment {
                collect(inline.selectionSet, on: type, into: &properties)
            }
        }
    }

    private mutating func output(_ type: any GraphQLOutputType, _ selections: SelectionSet?, nullable: Bool = true) -> JSONValue {
        if let nonNull = type as? GraphQLNonNull, let inner = nonNull.ofType as? any GraphQLOutputType {
            return output(inner, selections, nullable: false)
        }
        var schema: JSONValue
        if let list = type as? GraphQLList, let inner = list.ofType as? any GraphQLOutputType {
            schema = .object([("type", .string("array")), ("items", output(inner, selections))])
        } else if let object = type as? GraphQLObjectType, let selections {
            schema = self.schema(of: selections, on: object)
        } else if let enumeration = type as? GraphQLEnumType {
            schema = .object([("type", .string("string")), ("enum", .array(enumeration.values.map { .string($0.name) }))])
        } else if let scalar = type as? GraphQLScalarType {
            schema = OpenAPIGenerator.scalarSchema(scalar.name, nullable: false)
        } else {
            schema = .object([])
        }
        if nullable, case .object(var members) = schema {
            members.append(("nullable", .bool(true)))
            schema = .object(members)
        }
        return schema
    }
}
