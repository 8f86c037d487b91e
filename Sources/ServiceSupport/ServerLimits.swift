import Hummingbird
import HummingbirdCore

/// Bounds on what clients may hold of a service, so that no flood of idle or slow clients
/// uses up its sockets (a worker's heartbeats need some too) or its answers.
public struct ServerLimits: Sendable {
    /// Seconds a connection may sit without a request before it is closed.
    public var idleTimeout: Double = 30
    /// Connections served at once; more wait in the kernel's backlog.
    public var maxConnections: Int = 512

    /// Creates the defaults.
    public init() {}

    /// The application configuration with the connection cap.
    public func configuration(host: String, port: Int, serverName: String) -> ApplicationConfiguration {
        ApplicationConfiguration(
            address: .hostname(host, port: port), serverName: serverName,
            availableConnectionsDelegate: MaximumAvailableConnections(maxConnections)
        )
    }

    /// An HTTP/1.1 server that closes idle connections and answers HTTP/1.0 in kind.
    public var server: HTTPServerBuilder { server(fastRoute: nil, serverName: nil) }

    /// The same, with `fastRoute` answered in the channel pipeline before the router.
    public func server(fastRoute: (any FastRoute)?, serverName: String?) -> HTTPServerBuilder {
        let configuration = HTTP1Channel.Configuration(idleTimeout: .milliseconds(Int64(idleTimeout * 1000)))
        return HTTPServerBuilder { responder in
            HTTP1ChannelWithVersions(
                inner: HTTP1Channel(responder: responder, configuration: configuration), fastRoute: fastRoute, serverName: serverName
            )
        }
    }
}
