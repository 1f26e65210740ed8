import GraphQL
import OrderedCollections
import RestgateHTTP
import RestgateJSON
import RestgateRoutePlan

/// Flattens GraphQL input types into `InputShapes`, once, at compile time: GraphQLSwift
/// rebuilds an input object's field map on every `fields()` call, which cost a fifth of a
/// request's CPU when done per request (bench/RESULTS.md).
struct InputShapeBuilder {
    private(set) var shapes = InputShapes()
    /// Only while `shape(of:)` walks a recursive input type.
    private var building: Set<String> = []

    /// The shape of `type`, adding the input objects it reaches.
    mutating func shape(of type: any GraphQLInputType) -> InputShape {
        if let nonNull = type as? GraphQLNonNull, let inner = nonNull.ofType as? any GraphQLInputType {
            return .nonNull(shape(of: inner))
        }
        if let list = type as? GraphQLList, let inner = list.ofType as? any GraphQLInputType { return .list(shape(of: inner)) }
        if let object = type as? GraphQLInputObjectType {
            if shapes.objects[object.name] == nil, !building.contains(object.name) {
                building.insert(object.name)
                let fields = ((try? object.fields()) ?? [:]).map { name, field in
                    InputObjectShape.Field(name: name, shape: shape(of: field.type), hasDefault: field.defaultValue != nil)
                }
                shapes.objects[object.name] = InputObjectShape(name: object.name, fields: fields)
                building.remove(object.name)
            }
            return .object(object.name)
        }
        if let enumeration = type as? GraphQLEnumType {
            return .enumeration(name: enumeration.name, values: enumeration.values.map(\.name))
        }
        return .scalar((type as? any GraphQLNamedType)?.name ?? "")
    }
}
