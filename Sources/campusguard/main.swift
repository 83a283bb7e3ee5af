import CampusGuardCLI

await CampusGuardCommand.runFromCommandLine()
