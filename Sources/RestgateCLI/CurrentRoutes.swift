import RestgateRoutePlan
import Synchronization

/// The route file and schema overrides in use, as the last good (re)load read them: what the
/// live schema check validates.
final class CurrentRoutes: Sendable {
    private let input: Mutex<RoutePlan.Input>

    init(_ input: RoutePlan.Input) {
        self.input = Mutex(input)
    }

    var value: RoutePlan.Input {
        get { input.withLock { $0 } }
        set { input.withLock { $0 = newValue } }
    }
}
