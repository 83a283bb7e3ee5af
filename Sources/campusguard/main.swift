import CampusGuardCLI

CampusGuardCommand.runFromCommandLine()
