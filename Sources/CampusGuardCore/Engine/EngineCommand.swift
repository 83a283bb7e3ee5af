/// What people ask of the engine through the API, the acknowledge link or the CLI.
public enum EngineCommand: Sendable, Hashable {
    case acknowledge(alarm: String, by: String)
    case resolve(alarm: String, by: String, note: String?)
    case startMaintenance(device: String, until: Instant)
    case endMaintenance(device: String)
    case startDrill(Drill)
    case stopDrill
    /// One of the gateway's outward links went down or came back (the police link).
    case link(name: String, up: Bool, detail: String?)
}

/// Why a command was not carried out.
public enum CommandError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The engine said no: an unknown alarm, a condition still present, a panic button.
    case refused(EngineError)
    /// The daemon is stopping.
    case stopped

    public var description: String {
        switch self {
        case .refused(let e): e.description
        case .stopped: "the daemon is stopping"
        }
    }
}

extension AlarmEngine {
    /// Carries out a person's command at `time`.
    public mutating func perform(_ command: EngineCommand, at time: Instant) throws(EngineError) -> [Event] {
        switch command {
        case .acknowledge(let alarm, let by):
            return try acknowledge(alarm, by: by, at: time)
        case .resolve(let alarm, let by, let note):
            return try resolve(alarm, by: by, note: note, at: time)
        case .startMaintenance(let device, let until):
            try startMaintenance(device: device, until: until)
            return []
        case .endMaintenance(let device):
            try endMaintenance(device: device)
            return []
        case .startDrill(let drill):
            startDrill(drill)
            return []
        case .stopDrill:
            stopDrill()
            return []
        case .link(let name, let up, let detail):
            return link(name, up: up, detail: detail, at: time)
        }
    }
}

/// Where people's commands go in a running daemon (the engine's queue); the API and the
/// acknowledge link call it.
public protocol CommandHandler: Sendable {
    /// Carries out the command; returns the events it caused, once they are committed.
    func perform(_ command: EngineCommand) async throws(CommandError) -> [Event]
}
