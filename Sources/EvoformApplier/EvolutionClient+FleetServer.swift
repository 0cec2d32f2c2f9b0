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
}
