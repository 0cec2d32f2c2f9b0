import EvoformCore

extension EvolutionClient {
    /// `POST /instance/create` with the version's payload. One request; never retried once it
    /// may have reached the server: after a lost answer (`outcomeUnknown`) or a failure, look
    /// the instance up before trying again (1.8 can leave a half-created instance behind).
    public func create(_ instance: DesiredInstance) async throws(RemoteError) -> CreatedInstance {
        let dialect = try await apiVersion().dialect
        let payload = dialect.createPayload(for: instance)
        let response = try await perform(
            Call(.create, instance.name, body: payload.body, kind: .create, secrets: Array(instance.secrets.values)))
        // The instance exists now, whatever the answer looks like: read it leniently.
        let json = try? JSONBody.decode(response.body)
        let created = dialect.created(from: json ?? nil)
        return CreatedInstance(
            serverID: created.serverID, qrCode: created.qrCode, token: created.token ?? instance.secrets[.token],
            applied: payload.applied, pendingGroups: payload.pendingGroups)
    }

    /// Sets one group (`.webhook`, `.chatwoot`, `.settings`). The body sends every field the
    /// group has: the `current` (observed) values overlaid with `desired`, the fields the server
    /// requires filled with its defaults, so nothing unmanaged is reset (1.8 replaces the whole
    /// object, 2.3 upserts). Retried like a read: a set is idempotent.
    public func set(
        _ group: FieldGroup, of name: InstanceName, desired: InstanceConfiguration, secrets: [Field: Secret],
        current: ObservedInstance?
    ) async throws(RemoteError) {
        guard let endpoint = Endpoint.set(group) else {
            preconditionFailure("set(\(group)): only the webhook, Chatwoot and settings groups have a set endpoint")
        }
        let dialect = try await apiVersion().dialect
        let input = SetInput(group: group, name: name, desired: desired, desiredSecrets: secrets, current: current)
        let body: JSONValue
        do {
            body = try dialect.setBody(input)
        } catch {
            throw .validation(context(endpoint, name, status: nil), messages: error.messages)
        }
        let sent = Array(input.secrets.values) + Array(secrets.values)
        _ = try await perform(Call(endpoint, name, body: body, kind: .write, secrets: sent))
    }

    /// `DELETE /instance/delete/{name}`. On 1.8 an `open` instance must be logged out first:
    /// when the server says so, this logs out, waits for the session to close and deletes
    /// again (so the common case stays one request). 2.3 logs out by itself, and removes the
    /// instance in the background: see `waitUntilGone`.
    public func delete(_ name: InstanceName) async throws(RemoteError) {
        do {
            _ = try await perform(Call(.delete, name, kind: .delete))
        } catch .validation(_, let messages) where messages.contains(where: { $0.contains("needs to be disconnected") }) {
            try await logOutAndWaitUntilClosed(name)
            _ = try await perform(Call(.delete, name, kind: .delete))
        }
    }

    private func logOutAndWaitUntilClosed(_ name: InstanceName) async throws(RemoteError) {
        do {
            try await logout(name)
        } catch .validation(_, let messages) where messages.contains(where: { $0.contains("is not connected") }) {
            return
        }
        let deadline = timing.now() + Double(endpoint.timeoutSeconds)
        var pause = 0.1
        while try await connectionState(name) == .open {
            guard timing.now() < deadline, !Task.isCancelled else { return }  // the delete's own error will say why
            await timing.sleep(pause)
            pause = min(pause * 2, 1)
        }
    }

    /// Polls `fetchInstances` until the name is gone (2.3 deletes in the background, and its
    /// name stays taken until then). Throws `deletionTimedOut` after `timeoutSeconds`.
    public func waitUntilGone(_ name: InstanceName, timeoutSeconds: Int) async throws(RemoteError) {
        let deadline = timing.now() + Double(max(0, timeoutSeconds))
        var pause = 0.1
        while true {
            let listed = try await fetchInstances()
            if !listed.contains(where: { $0.summary.name == name }) { return }
            let remaining = deadline - timing.now()
            guard remaining > 0, !Task.isCancelled else {
                throw .deletionTimedOut(context(.fetchInstances, name, status: nil), seconds: timeoutSeconds)
            }
            await timing.sleep(min(pause, remaining))
            pause = min(pause * 2, 2)
        }
    }
}
