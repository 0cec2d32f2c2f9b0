import EvoformCore
import EvoformPlanner

/// The documented, versioned JSON form of a plan (`plan --json`, `show --json`, saved plans).
///
/// `format_version` 1.0. `resource_changes` lists every instance in plan order with
/// Terraform-style `actions` (`["create"]`, `["update"]`, `["delete","create"]`, `["delete"]`,
/// `["forget"]`, `["no-op"]`), `before`/`after` objects of field paths, `changed_fields`, the
/// `calls` it makes, and `reason`/`warnings`. `drift` lists changes made outside evoform.
public enum PlanDocument {
    public static let formatVersion = "1.0"

    /// How secret values appear: masked for people and pipelines, fingerprints in saved plans.
    public enum SecretForm: Sendable {
        case masked
        case fingerprints
    }

    public static func json(_ plan: Plan, secrets: SecretForm) -> JSONValue {
        let summary: JSONValue = .object(
            Dictionary(uniqueKeysWithValues: [ChangeAction.create, .update, .replace, .delete, .forget].map {
                ($0.rawValue, JSONValue.number(Double(plan.count($0))))
            }))
        return .object([
            "format_version": .string(formatVersion),
            "api_version": .string(plan.apiVersion.rawValue),
            "refreshed": .bool(plan.refreshed),
            "has_changes": .bool(plan.hasChanges),
            "resource_changes": .array(plan.changes.map { change(json: $0, secrets: secrets) }),
            "drift": .array(plan.drift.map { drift(json: $0, secrets: secrets) }),
            "summary": summary,
        ])
    }

    static func change(json change: InstanceChange, secrets: SecretForm) -> JSONValue {
        var before: [String: JSONValue] = [:]
        var after: [String: JSONValue] = [:]
        for fieldChange in change.fieldChanges {
            if let value = fieldChange.before { before[fieldChange.field.rawValue] = json(value, secrets: secrets) }
            if let value = fieldChange.after { after[fieldChange.field.rawValue] = json(value, secrets: secrets) }
        }
        var object: [String: JSONValue] = [
            "name": .string(change.name.rawValue),
            "actions": .array(change.action.actions.map { .string($0) }),
            "before": change.action == .create ? .null : .object(before),
            "after": [.delete, .forget].contains(change.action) ? .null : .object(after),
            "changed_fields": .array(change.fieldChanges.map { .string($0.field.rawValue) }),
            "calls": .array(Endpoint.calls(for: change).map { .string($0) }),
            "warnings": .array(change.warnings.map { .string($0) }),
        ]
        if let reason = change.reason { object["reason"] = .string(reason) }
        return .object(object)
    }

    static func drift(json drift: Drift, secrets: SecretForm) -> JSONValue {
        switch drift.kind {
        case .deletedOutside:
            return ["name": .string(drift.name.rawValue), "kind": "deleted"]
        case .changedOutside(let changes):
            return [
                "name": .string(drift.name.rawValue), "kind": "changed",
                "changes": .array(
                    changes.map {
                        [
                            "field": .string($0.field.rawValue),
                            "before": $0.before.map { json($0, secrets: secrets) } ?? .null,
                            "after": $0.after.map { json($0, secrets: secrets) } ?? .null,
                        ]
                    }),
            ]
        }
    }

    static func json(_ value: FieldValue, secrets: SecretForm) -> JSONValue {
        if case .secret = value, secrets == .masked { return "(sensitive)" }
        return value.json
    }
}

extension PlanDocument {
    /// Reads a plan back from its saved form (`secrets: .fingerprints`), for `evoform show`.
    /// Nil when the document is not a plan this version can read.
    public static func plan(from json: JSONValue) -> Plan? {
        guard json["format_version"]?.stringValue == formatVersion,
            let version = json["api_version"]?.stringValue.flatMap(APIVersion.init(rawValue:)),
            let refreshed = json["refreshed"]?.boolValue,
            let changesJSON = json["resource_changes"]?.arrayValue,
            let driftJSON = json["drift"]?.arrayValue
        else { return nil }
        var changes: [InstanceChange] = []
        for item in changesJSON {
            guard let name = item["name"]?.stringValue,
                let actions = item["actions"]?.arrayValue?.compactMap(\.stringValue),
                let action = ChangeAction.allCases.first(where: { $0.actions == actions }),
                let fields = item["changed_fields"]?.arrayValue?.compactMap({ $0.stringValue.flatMap(Field.init(rawValue:)) })
            else { return nil }
            let fieldChanges = fields.map { field in
                FieldChange(
                    field: field, before: item["before"]?[field.rawValue].flatMap { FieldValue(json: $0, kind: field.kind) },
                    after: item["after"]?[field.rawValue].flatMap { FieldValue(json: $0, kind: field.kind) })
            }
            let groups = FieldGroup.allCases.filter { group in
                action == .update && fieldChanges.contains { $0.field.group == group }
            }
            changes.append(
                InstanceChange(
                    name: InstanceName(name), action: action, fieldChanges: fieldChanges, groupsToSet: groups,
                    reason: item["reason"]?.stringValue,
                    warnings: item["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []))
        }
        var drift: [Drift] = []
        for item in driftJSON {
            guard let name = item["name"]?.stringValue else { return nil }
            if item["kind"]?.stringValue == "deleted" {
                drift.append(Drift(name: InstanceName(name), kind: .deletedOutside))
            } else {
                let fieldChanges: [FieldChange] = (item["changes"]?.arrayValue ?? []).compactMap { change in
                    guard let field = change["field"]?.stringValue.flatMap(Field.init(rawValue:)) else { return nil }
                    return FieldChange(
                        field: field, before: change["before"].flatMap { FieldValue(json: $0, kind: field.kind) },
                        after: change["after"].flatMap { FieldValue(json: $0, kind: field.kind) })
                }
                drift.append(Drift(name: InstanceName(name), kind: .changedOutside(fieldChanges)))
            }
        }
        return Plan(changes: changes, drift: drift, apiVersion: version, refreshed: refreshed)
    }
}
