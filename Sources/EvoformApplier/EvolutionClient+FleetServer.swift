import EvoformCore
import EvoformRemote

extension EvolutionClient: FleetServer {
    public func createInstance(_ instance: DesiredInstance) async throws -> CreationResult {
        let created = try await create(instance)
        return CreationResult(
            serverID: created.serverID, applied: created.applied, pendingGroups: created.pendingGroups,
            qrCode: created.qrCode?.code, qrPNG: created.qrCode?.pngData.map { Array($0) })
    }

    public func isNotFound(_ error: any Error) -> Bool { (error as? RemoteError)?.isNotFound ?? false }

    public func isOutcomeUnknown(_ error: any Error) -> Bool { (error as? RemoteError)?.isOutcomeUnknown ?? false }

    public func createRetryDelay(after error: any Error, attempt: Int) -> Double? {
        let policy = endpoint.retry
        guard attempt < policy.maximumAttempts, let remote = error as? RemoteError else { return nil }
        switch remote {
        case .server(let context, _) where [429, 500, 502, 503, 504].contains(context.status ?? 0):
            break
        case .outcomeUnknown, .transport(_, kind: .timeout, _), .transport(_, kind: .connectionLost, _),
            .transport(_, kind: .refused, _):
            break
        default:
            return nil
        }
        return policy.delay(beforeRetry: attempt, retryAfter: nil, random: { Double.random(in: $0) })
    }
}
