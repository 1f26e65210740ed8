import RestgateHTTP
import RestgateJSON
import RestgateRuntime
import RestgateServer
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A detached POSIX thread, for test servers that block.
enum Thread {
    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    static func detach(_ body: @escaping () -> Void) {
        var thread = pthread_t()
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        pthread_create(
            &thread, nil,
            { argument in
                Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue().body()
                return nil
            }, box)
        pthread_detach(thread)
    }
}
