from gpvoice.directory.importers.command import ImportCommand


class Command(ImportCommand):
    help = "Import the NHS file into the directory (--dry-run to preview)."
    importer = "epraccur"
