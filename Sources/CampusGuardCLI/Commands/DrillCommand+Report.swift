import ArgumentParser
import CampusGuardConfig
import CampusGuardCore
import CampusGuardStore
import Foundation

extension DrillCommand {
    /// `campusguard drill report --config FILE [--storage FILE] [--drill ID | --since T] [--format md|csv|json]`.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Report drills from the store: each test alarm, who was notified, who acknowledged, how fast.",
            discussion: """
                Reads the store (read-only; works while the daemon runs). For each drill: its name, \
                buildings, start and stop; for each test alarm raised during it: kind, place, when \
                each escalation tier was notified, the first acknowledgement (who, after how many \
                seconds) and the resolution; and a summary (acknowledged within 60 s, later, never; \
                median and slowest; per person). Default: every drill; --since: the drills started \
                from then on. Markdown (default) is for filing; csv has one line per alarm; json is \
                for tools.
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case md, csv, json
        }

        @Option(name: .long, help: "The config file (YAML): site name, time zone, buildings, storage.path.")
        var config: String

        @Option(name: .long, help: "The store file, instead of the config's storage.path.")
        var storage: String?

        @Option(name: .long, help: "Only this drill (its number, as `drill start` printed it).")
        var drill: Int64?

        @Option(
            name: .long,
            help: "Only drills started from this instant on (RFC 3339, e.g. 2026-11-01T00:00:00+08:00)."
        )
        var since: String?

        @Option(name: .long, help: "md (default), csv or json.")
        var format: Format = .md

        func validate() throws {
            if drill != nil && since != nil { throw ValidationError("give --drill ID or --since TIME, not both") }
            if let since, RFC3339.parse(since) == nil {
                throw ValidationError("--since \(since) is not an RFC 3339 timestamp such as 2026-11-01T00:00:00+08:00")
            }
        }

        func run() throws {
            let site = try loadConfigOrExit(config).config
            let now = Instant(secondsSinceEpoch: Date().timeIntervalSince1970)
            let report: DrillReport
            do {
                let store = try Store(path: storage ?? site.storage.path, readOnly: true)
                let drills: [DrillRecord]
                if let drill {
                    guard let record = try store.drill(id: drill) else {
                        StandardError.write("campusguard drill report: no drill \(drill) in \(store.path)")
                        throw ExitCode(1)
                    }
                    drills = [record]
                } else {
                    drills = try store.drills(since: since.flatMap(RFC3339.parse))
                }
                report = try DrillReport(store: store, drills: drills, now: now)
            } catch let error as StoreError {
                StandardError.write("campusguard drill report: \(error)")
                throw ExitCode(1)
            }
            switch format {
            case .md: print(report.markdown(site: site), terminator: "")
            case .csv: print(report.csv(), terminator: "")
            case .json: print(report.json())
            }
        }
    }
}
