import EvoformCore

/// The state change that goes with an outcome, written in the same transaction.
public enum StateChange: Hashable, Sendable {
    /// Insert or update the instance's record.
    case record(ManagedInstance)
    /// Remove the instance's record (no error if it is already gone).
    case forget(InstanceName)
    /// Leave the instances as they are.
    case none
}
