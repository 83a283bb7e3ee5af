import CampusGuardCore
import Synchronization

/// Stands in for the engine's queue: records each command and answers as the test says.
final class FakeEngine: CommandHandler {
    typealias Answer = @Sendable (EngineCommand) throws(CommandError) -> [Event]

    private let log = Mutex<[EngineCommand]>([])
    private let answer: Answer

    init(answer: @escaping Answer = { _ in [] }) {
        self.answer = answer
    }

    /// The commands received, in order.
    var received: [EngineCommand] { log.withLock { $0 } }

    func perform(_ command: EngineCommand) async throws(CommandError) -> [Event] {
        log.withLock { $0.append(command) }
        return try answer(command)
    }
}
