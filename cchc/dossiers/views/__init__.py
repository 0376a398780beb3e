"""The dossier screens, one module each (cchc/dossiers/urls.py maps them)."""
