import RestgateHTTP
import RestgateJSON
import RestgateRuntime
import RestgateServer

#if canImport(Glibc)
    import Glibc
#endif

/// A real TLS server for client tests, its certificate signed by a CA made for this test with
/// the openssl command line, answering every request with fixed JSON: nginx with `ssl`, or
/// Python's `ssl` module for answers that end at the close (with or without close_notify).
public final class TLSTestServer {
    public enum Kind: Sendable {
        case nginx
        /// `Connection: close` and no length: the answer ends when the connection does,
        /// after close_notify when `closeNotify`, else with a bare TCP close.
        case closeDelimited(closeNotify: Bool)
    }

    public let port: UInt16
    public let directory: String
    public var caFile: String { directory + "/ca.pem" }
    private let server: ChildProcess

    /// `names` are the certificate's subjectAltName entries, e.g. `["DNS:localhost"]`.
    public init(names: [String] = ["DNS:localhost"], body: String = #"{"tls":true}"#, kind: Kind = .nginx) throws {
        var template = Array("/tmp/restgate-tls-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
        directory = String(cString: made)
        port = try LoopbackPort.free()
        let dir = directory
        try Self.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "\(dir)/ca.key", "-out", "\(dir)/ca.pem", "-days", "2", "-subj", "/CN=Restgate Test CA",
            ])
        try Self.run(
            "/usr/bin/openssl",
            [
                "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "\(dir)/server.key", "-out", "\(dir)/server.csr", "-subj", "/CN=restgate-test-server",
            ])
        try Self.write("\(dir)/ext.cnf", "subjectAltName=\(names.joined(separator: ","))\n")
        try Self.run(
            "/usr/bin/openssl",
            [
                "x509", "-req", "-in", "\(dir)/server.csr", "-CA", "\(dir)/ca.pem", "-CAkey", "\(dir)/ca.key",
                "-CAcreateserial", "-out", "\(dir)/server.pem", "-days", "2", "-extfile", "\(dir)/ext.cnf",
            ])
        if case .closeDelimited(let closeNotify) = kind {
            try Self.write("\(dir)/server.py", Self.pythonServer)
            server = try ChildProcess(
                executable: "/usr/bin/env",
                arguments: ["python3", "\(dir)/server.py", String(port), dir, body, closeNotify ? "notify" : "truncate"])
            try Self.waitUntilListening(port, server)
            return
        }
        let escaped = body.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "\\'")
        let configuration = """
            worker_processes 1;
            master_process off;
            daemon off;
            pid \(dir)/nginx.pid;
            error_log \(dir)/error.log;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(dir)/body;
                proxy_temp_path \(dir)/proxy;
                fastcgi_temp_path \(dir)/fastcgi;
                uwsgi_temp_path \(dir)/uwsgi;
                scgi_temp_path \(dir)/scgi;
                server {
                    listen 127.0.0.1:\(port) ssl;
                    ssl_certificate \(dir)/server.pem;
                    ssl_certificate_key \(dir)/server.key;
                    ssl_session_cache shared:restgate:1m;
                    location / {
                        default_type application/json;
                        return 200 '\(escaped)';
                    }
                }
            }
            """
        try Self.write("\(dir)/nginx.conf", configuration)
        server = try ChildProcess(executable: "/usr/sbin/nginx", arguments: ["-p", dir, "-c", "\(dir)/nginx.conf"])
        try Self.waitUntilListening(port, server)
    }

    private static func waitUntilListening(_ port: UInt16, _ server: ChildProcess) throws {
        for _ in 0..<200 {
            if (try? RawConnection(port: port)) != nil { return }
            usleep(25000)
        }
        throw TestFailure("the TLS server did not start: \(server.log)")
    }

    /// SSLSocket.shutdown drops the TLS layer and shuts the socket: no close_notify is sent.
    private static let pythonServer = """
        import socket, ssl, sys
        port, directory, body, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode(), sys.argv[4]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(directory + "/server.pem", directory + "/server.key")
        listener = socket.create_server(("127.0.0.1", port))
        while True:
            plain, _ = listener.accept()
            try:
                tls = context.wrap_socket(plain, server_side=True)
                received = b""
                while b"\\r\\n\\r\\n" not in received:
                    chunk = tls.recv(65536)
                    if not chunk:
                        break
                    received += chunk
                head = b"HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\nConnection: close\\r\\n\\r\\n"
                tls.sendall(head + body)
                if mode == "notify":
                    tls.unwrap().close()
                else:
                    tls.shutdown(socket.SHUT_RDWR)
                    tls.close()
            except (OSError, ssl.SSLError):
                plain.close()
        """

    deinit {
        server.stop()
        _ = try? Self.run("/bin/rm", ["-rf", directory])
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let child = try ChildProcess(executable: executable, arguments: arguments)
        let status = child.waitForExit()
        guard status == 0 else { throw TestFailure("\(executable) \(arguments.joined(separator: " ")) exited \(status): \(child.log)") }
    }

    private static func write(_ path: String, _ text: String) throws {
        guard let file = fopen(path, "w") else { throw TestFailure("cannot write \(path)") }
        defer { fclose(file) }
        _ = text.withCString { fputs($0, file) }
    }
}
