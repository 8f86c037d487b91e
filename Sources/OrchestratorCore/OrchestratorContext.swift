import Hummingbird
import NIOCore

/// Request context that remembers the peer's address: a worker that registers without an
/// `address` is called back on the address it came from.
public struct OrchestratorContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
