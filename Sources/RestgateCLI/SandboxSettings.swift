import ArgumentParser
import Foundation
import Logging
import RestgateConfiguration
import RestgateGateway
import RestgateHTTP
import RestgateJSON
import RestgateRouteCompiler
import RestgateRoutePlan
import RestgateRuntime
import RestgateServer
import RestgateUpstream

#if canImport(Glibc)
    import Glibc
#endif

/// The in-process and stand-alone sandbox's quotas.
struct SandboxSettings {
    var invitationsPerMonth = 10
    var invitationsPerWeek = 5
}
