import EvoformCore

extension EvolutionClient {
    /// The groups whose values `observe` can report.
    static let observableGroups: [FieldGroup] = [.webhook, .chatwoot, .settings]

    /// Observes a fleet with the fewest requests the version allows: one `fetchInstances` for
    /// presence, status, id and token (and what it carries of the groups), then only the `find`
    /// calls still needed, at most `parallelism` in flight.
    ///
    /// - 2.3: `1 + (instances whose webhook is wanted)`; Chatwoot and settings come with the list.
    /// - 1.8: `1 + (webhook wanted) + (settings wanted)`, plus `chatwoot/find` for Chatwoot wanted
    ///   only when the server does not expose instance details (`AUTHENTICATION_EXPOSE_IN_FETCH_INSTANCES`).
    ///
    /// Returns the wanted instances that exist, normalised; an absent name is not on the server.
    /// Each observation holds only the wanted groups, plus the instance token when listed.
    public func observe(
        _ wanted: [InstanceName: Set<FieldGroup>], parallelism: Int
    ) async throws(RemoteError) -> [InstanceName: ObservedInstance] {
        guard !wanted.isEmpty else { return [:] }
        let dialect = try await apiVersion().dialect
        let listed = try await fetchInstances()
        var byName: [InstanceName: ListedInstance] = [:]
        for item in listed where wanted[item.summary.name] != nil { byName[item.summary.name] = item }

        var observed: [InstanceName: ObservedInstance] = [:]
        var finds: [Find] = []
        for name in wanted.keys.sorted() {
            guard let item = byName[name] else { continue }
            var instance = ObservedInstance(
                name: name, serverID: item.summary.serverID, status: item.summary.status)
            if let token = item.summary.token { instance.secrets[.token] = token }
            let groups = wanted[name] ?? []
            for group in Self.observableGroups where groups.contains(group) {
                if let known = item.groups[group] {
                    instance.merge(known)
                } else {
                    finds.append(Find(name: name, group: group))
                }
            }
            observed[name] = instance
        }

        let outcomes = await boundedMap(finds, limit: parallelism, stop: { $0.isFailure }) { find in
            await self.find(find, dialect: dialect)
        }
        for (find, outcome) in zip(finds, outcomes) {
            switch outcome {
            case .success(let observation?)?:
                observed[find.name]?.merge(observation)
            case .success(nil)?:
                observed[find.name] = nil  // deleted since the list was read
            case .failure(let error)?:
                throw error
            case nil:
                continue
            }
        }
        return observed
    }

    struct Find: Sendable {
        var name: InstanceName
        var group: FieldGroup
    }

    /// One `find`; nil when the instance no longer exists.
    func find(_ find: Find, dialect: any Dialect.Type) async -> Result<GroupObservation?, RemoteError> {
        let endpoint = Endpoint.find(find.group)!
        do throws(RemoteError) {
            let response = try await perform(Call(endpoint, find.name, kind: .read))
            let json = try decode(response, endpoint, find.name)
            do {
                return .success(try dialect.observation(of: find.group, from: json))
            } catch {
                throw .unexpectedResponse(context(endpoint, find.name, status: response.status), detail: error.detail)
            }
        } catch .notFound {
            return .success(nil)
        } catch {
            return .failure(error)
        }
    }
}

extension ObservedInstance {
    mutating func merge(_ observation: GroupObservation) {
        for (field, value) in observation.configuration.values { configuration[field] = value }
        for (field, secret) in observation.secrets { secrets[field] = secret }
    }
}

extension Result {
    var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}
