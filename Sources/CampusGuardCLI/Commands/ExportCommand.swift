import ArgumentParser
import CampusGuardConfig
import CampusGuardCore
import CampusGuardStore

/// `campusguard export`: the store's readings or events on stdout, for inspectors and tools.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print stored readings or events as JSON Lines or CSV.",
        discussion: """
            Reads the store named by the config's storage.path (or --storage). Works while the \
            daemon runs (it reads a consistent snapshot) and when it is stopped. Readings come \
            as replay input lines (so an export can be replayed), events in the event format \
            of docs/events.md. --since is inclusive, --until exclusive.
            """
    )

    enum What: String, ExpressibleByArgument, CaseIterable {
        case readings, events
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case jsonl, csv
    }

    @Argument(help: "readings or events")
    var what: What

    @Option(name: .long, help: "The config file (YAML); its storage.path is read.")
    var config: String?

    @Option(name: .long, help: "The store file, instead of the config's storage.path.")
    var storage: String?

    @Option(name: .long, help: "From this instant on (RFC 3339, e.g. 2026-11-20T22:00:00+08:00).")
    var since: String?

    @Option(name: .long, help: "Up to (not including) this instant (RFC 3339).")
    var until: String?

    @Option(name: .long, help: "Only this device.")
    var device: String?

    @Option(name: .long, help: "Only this channel (readings), e.g. smoke or residual_current.3.")
    var channel: String?

    @Option(name: .long, help: "jsonl (default) or csv (readings only).")
    var format: Format = .jsonl

    func validate() throws {
        if config == nil && storage == nil { throw ValidationError("give --config FILE or --storage FILE") }
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, RFC3339.parse(value) == nil {
                throw ValidationError("\(name) \(value) is not an RFC 3339 timestamp")
            }
        }
        if let channel, ChannelID(channel) == nil {
            throw ValidationError("--channel \(channel) is not a channel name")
        }
        if format == .csv && what == .events { throw ValidationError("events export as jsonl only") }
    }

    func run() throws {
        let path: String
        if let storage {
            path = storage
        } else {
            path = try loadConfigOrExit(config ?? "").config.storage.path
        }
        let store: Store
        do {
            store = try Store(path: path, readOnly: true)
        } catch {
            StandardError.write("campusguard export: \(error)")
            throw ExitCode(1)
        }
        let query = StoreQuery(
            since: since.flatMap(RFC3339.parse),
            until: until.flatMap(RFC3339.parse),
            device: device,
            channel: channel.flatMap(ChannelID.init)
        )
        let out = StandardOutput()
        do {
            switch (what, format) {
            case (.readings, .jsonl):
                try store.forEachReading(query) { out.writeLine($0.jsonLine) }
            case (.readings, .csv):
                out.writeLine(StoredReading.csvHeader)
                try store.forEachReading(query) { out.writeLine($0.csvLine) }
            case (.events, _):
                try store.forEachEvent(query) { out.writeLine($0) }
            }
        } catch {
            out.flush()
            StandardError.write("campusguard export: \(error)")
            throw ExitCode(1)
        }
        out.flush()
    }
}
