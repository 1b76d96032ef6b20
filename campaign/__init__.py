"""The campaign platform of the Week van de Duurzame Gemeente.

The application factory is ``campaign.app.create_app``. This file stays empty so that the
jobs process can import services without loading every view.
"""
