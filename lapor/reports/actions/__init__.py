"""Every lifecycle action, declared once (one module each) for the API, the pages, bulk work and
the other channels; `engine.report_act` applies them. See `base.ActionSpec`."""
