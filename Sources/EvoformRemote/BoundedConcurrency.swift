/// Runs `body` over `items` with at most `limit` calls in flight (a task group that is topped up
/// as calls finish, never more), and returns the outputs in item order. When `stop` returns true
/// for an output, or the calling task is cancelled, no further item is started; calls already
/// running finish (they are never cancelled), and items never started get no output.
func boundedMap<Item: Sendable, Output: Sendable>(
    _ items: [Item], limit: Int, stop: @escaping (Output) -> Bool = { _ in false },
    _ body: @escaping @Sendable (Item) async -> Output
) async -> [Output?] {
    var outputs = [Output?](repeating: nil, count: items.count)
    guard !items.isEmpty else { return outputs }
    let limit = max(1, limit)
    await withTaskGroup(of: (Int, Output).self) { group in
        var next = 0
        var stopped = false
        while next < items.count, next < limit {
            let index = next
            let item = items[index]
            group.addTask { (index, await body(item)) }
            next += 1
        }
        while let (index, output) = await group.next() {
            outputs[index] = output
            if stop(output) || Task.isCancelled { stopped = true }
            if !stopped, next < items.count {
                let index = next
                let item = items[index]
                group.addTask { (index, await body(item)) }
                next += 1
            }
        }
    }
    return outputs
}
