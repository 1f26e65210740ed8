import RestgateHTTP
import RestgateJSON

/// The input objects reachable from the routes' variables, by name.
package struct InputShapes: Sendable, Codable, Equatable {
    package var objects: [String: InputObjectShape] = [:]

    package init(objects: [String: InputObjectShape] = [:]) {
        self.objects = objects
    }

    /// The shape of member `name` when `shape` is an input object (possibly non-null).
    package func field(_ name: String, of shape: InputShape?) -> InputShape? {
        switch shape {
        case .nonNull(let inner): field(name, of: inner)
        case .object(let objectName):
            objects[objectName].flatMap { object in object.index[name].map { object.fields[$0].shape } }
        default: nil
        }
    }

    /// The shape the request body is checked against and the members the route fills itself,
    /// for a route that reads a body; nil for one that does not.
    package func body(of variables: [String: VariableSource], shapes variableShapes: [String: InputShape]) -> (
        shape: InputShape, excluded: Set<String>
    )? {
        for (name, source) in variables.sorted(by: { $0.key < $1.key }) where source.readsBody {
            if let found = body(source, variableShapes[name]) { return found }
        }
        return nil
    }

    private func body(_ source: VariableSource, _ shape: InputShape?) -> (shape: InputShape, excluded: Set<String>)? {
        switch source {
        case .body(let merge): return shape.map { ($0, Set(merge.keys)) }
        case .object(let members):
            for (name, inner) in members.sorted(by: { $0.key < $1.key }) where inner.readsBody {
                if let found = body(inner, field(name, of: shape)) { return found }
            }
            return nil
        default: return nil
        }
    }
}
