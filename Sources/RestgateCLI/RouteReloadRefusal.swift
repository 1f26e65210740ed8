/// Why a validated plan still cannot be served.
struct RouteReloadRefusal: Error, CustomStringConvertible {
    let description: String
}
